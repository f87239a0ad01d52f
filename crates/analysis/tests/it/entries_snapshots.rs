//! Snapshots of the entry parser: the positions and education read from a dozen resumes of the
//! three corpora (tests/fit, tests/corpus, tests/unseen; text, DOCX and PDF, one and two
//! columns), through `analyze` as the app runs it. A change in what is read shows as a diff of
//! `snapshots/entries/NAME.txt`; accept an intended one with
//! `UPDATE_EXPECT=1 cargo test -p qoder-analysis --test it entries_snapshots`.

use expect_test::expect_file;
use qoder_analysis::{AnalyzeOptions, analyze};
use qoder_domain::{Education, Experience, ParsedResume, PartialDate};
use std::fmt::Write as _;
use std::path::Path;

const TODAY: (i32, u8) = (2026, 11);

/// (snapshot name, file under the repository's tests/).
const RESUMES: &[(&str, &str)] = &[
    ("fit-backend-go", "fit/resumes/backend-go.txt"),
    ("fit-chef", "fit/resumes/chef.txt"),
    ("fit-accountant", "fit/resumes/accountant.txt"),
    ("fit-electrician", "fit/resumes/electrician.txt"),
    ("corpus-r01-software", "corpus/files/r01-software.pdf"),
    ("corpus-r03-nurse", "corpus/files/r03-nurse.docx"),
    ("corpus-r08-sales", "corpus/files/r08-sales.txt"),
    ("corpus-r37-engineering-manager", "corpus/files/r37-engineering-manager.pdf"),
    ("corpus-r38-career-changer", "corpus/files/r38-career-changer.txt"),
    ("unseen-u01-jr-even", "unseen/files/u01-jr-even.pdf"),
    ("unseen-u13-html-sidebar", "unseen/files/u13-html-sidebar.pdf"),
    ("unseen-u100-promo-moderncv", "unseen/files/u100-promo-moderncv.pdf"),
    ("unseen-u119-pydocx-tablegrid", "unseen/files/u119-pydocx-tablegrid.docx"),
    ("unseen-u128-fpdf-cells", "unseen/files/u128-fpdf-cells.pdf"),
];

fn date(d: Option<PartialDate>) -> String {
    d.map_or_else(|| "?".to_string(), PartialDate::iso)
}

fn opt(s: &Option<String>) -> &str {
    s.as_deref().unwrap_or("-")
}

fn experience(out: &mut String, e: &Experience) {
    let end = if e.current { "present".to_string() } else { date(e.end) };
    writeln!(out, "- title: {}", opt(&e.title)).unwrap();
    writeln!(out, "  employer: {}", opt(&e.employer)).unwrap();
    writeln!(out, "  location: {}", opt(&e.location)).unwrap();
    writeln!(out, "  dates: {} .. {end}", date(e.start)).unwrap();
    for b in &e.bullets {
        writeln!(out, "  * {b}").unwrap();
    }
}

fn education(out: &mut String, e: &Education) {
    writeln!(out, "- institution: {}", opt(&e.institution)).unwrap();
    writeln!(out, "  degree: {}", opt(&e.degree)).unwrap();
    writeln!(out, "  field: {}", opt(&e.field)).unwrap();
    writeln!(out, "  location: {}", opt(&e.location)).unwrap();
    writeln!(out, "  dates: {} .. {}", date(e.start), date(e.end)).unwrap();
    if let Some(g) = &e.gpa {
        writeln!(out, "  gpa: {g}").unwrap();
    }
}

fn render(r: &ParsedResume) -> String {
    let mut out = String::new();
    writeln!(out, "experience ({}):", r.experience.len()).unwrap();
    for e in &r.experience {
        experience(&mut out, e);
    }
    writeln!(out, "education ({}):", r.education.len()).unwrap();
    for e in &r.education {
        education(&mut out, e);
    }
    out
}

#[test]
fn entries_of_a_dozen_resumes() {
    let tests = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests");
    for (name, file) in RESUMES {
        let path = tests.join(file);
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let opts = AnalyzeOptions {
            today: TODAY,
            file_name: Some(file.rsplit('/').next().unwrap_or(file).to_string()),
            ..AnalyzeOptions::default()
        };
        let a = analyze(&bytes, &opts).unwrap_or_else(|e| panic!("{file}: {e}"));
        expect_file![format!("snapshots/entries/{name}.txt")].assert_eq(&render(&a.resume));
    }
}
