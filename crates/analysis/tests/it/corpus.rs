//! Accuracy on the labelled corpus (tests/corpus): per-field precision/recall, printed, with
//! floors. Run `cargo test -p qoder-analysis --test it corpus:: -- --nocapture` to see the table;
//! set QODER_CORPUS_VERBOSE=1 for the misses of every file. Scored as `unseen` is (`scoring`).

use crate::scoring::{FIELDS, print_table, run_dir};
use qoder_analysis::skills::Taxonomy;
use std::path::Path;

#[test]
fn corpus_accuracy() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus");
    let verbose = std::env::var_os("QODER_CORPUS_VERBOSE").is_some();
    let (n, tallies) = run_dir(&dir, Taxonomy::builtin(), verbose);
    assert!(n >= 30, "the corpus has {n} labelled resumes; expected at least 30");
    print_table("tests/corpus", n, &tallies);
    // Floors: the targets where we reach them; raise these as the parser improves.
    let floor = |field: &str, f1: f64| {
        let i = FIELDS.iter().position(|f| *f == field).expect("field");
        let got = tallies[i].f1();
        assert!(got >= f1, "{field}: f1 {got:.3} is under the floor {f1}");
    };
    floor("email", 0.99);
    floor("phone", 0.99);
    floor("name", 0.97);
    floor("sections", 0.95);
    floor("skills", 0.90);
    floor("location", 0.93);
    floor("links", 0.90);
    floor("exp.employer", 0.85);
    floor("exp.title", 0.85);
    floor("exp.dates", 0.88);
    floor("edu.institution", 0.90);
    floor("edu.degree", 0.90);
}
