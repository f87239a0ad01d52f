//! Accuracy on the unseen-maker corpus (tests/unseen, issue 12): resumes made by third-party
//! tools (LaTeX classes, JSON Resume themes printed by Chromium, python-docx, LibreOffice, pandoc,
//! ReportLab, Markdown), labelled from the content given to the maker, never from our output.
//! Also reads extra labelled files from `$QODER_UNSEEN_DIR` (same layout: expected/*.json whose
//! `file` is relative to that directory) when it is set.
//!
//! Run `cargo test -p qoder-analysis --test it unseen:: -- --nocapture` for the table;
//! set QODER_UNSEEN_VERBOSE=1 for the misses of every file.

use crate::scoring::{FIELDS, print_table, run_dir};
use qoder_analysis::skills::Taxonomy;
use std::path::{Path, PathBuf};

fn unseen_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/unseen")
}

#[test]
fn unseen_accuracy() {
    let taxonomy = Taxonomy::builtin();
    let verbose = std::env::var_os("QODER_UNSEEN_VERBOSE").is_some();
    let (n, t) = run_dir(&unseen_dir(), taxonomy, verbose);
    assert!(n >= 100, "tests/unseen has {n} labelled resumes; expected at least 100");
    print_table("tests/unseen", n, &t);
    if let Some(extra) = std::env::var_os("QODER_UNSEEN_DIR") {
        let (m, te) = run_dir(Path::new(&extra), taxonomy, verbose);
        print_table(&format!("{} (QODER_UNSEEN_DIR)", Path::new(&extra).display()), m, &te);
    }

    // Floors: what the parser reaches (100 files, parser of commit 55bc0b3: name 0.990, email
    // 1.000, phone 1.000, employers 0.903, titles 0.911, dates 0.923, degrees 0.930, skills
    // 0.948; at 211450a it was name 0.970, employers 0.765, titles 0.802), less a little, so a
    // change that loses ground on unseen makers fails here. Raise them as the parser improves.
    // Issue 12's targets on this set: email 0.99, phone 0.97, name 0.97, employers 0.90,
    // titles 0.85, skills-section items 0.90 (all recall).
    let floor = |field: &str, recall: f64| {
        let i = FIELDS.iter().position(|f| *f == field).expect("field");
        let got = t[i].recall();
        assert!(got >= recall, "{field}: recall {got:.3} is under the floor {recall}");
    };
    floor("name", 0.97);
    floor("email", 0.99);
    floor("phone", 0.97);
    floor("exp.employer", 0.88);
    floor("exp.title", 0.88);
    floor("exp.dates", 0.90);
    floor("edu.degree", 0.90);
    floor("skills", 0.92);
}
