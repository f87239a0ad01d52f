//! The grounding guard on a labelled set (tests/data/grounding.tsv): bullets that are backed by
//! a corpus resume and bullets that invent a number, year, skill, employer or title. Prints
//! precision and recall of "flagged as fabricated" and holds them above floors.

use qoder_core::grounding::Grounding;
use std::collections::HashMap;
use std::path::Path;

fn resume_text(file: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus/files").join(file);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let opts = qoder_analysis::AnalyzeOptions { today: (2026, 11), ..Default::default() };
    let a = qoder_analysis::analyze(&bytes, &opts).unwrap_or_else(|e| panic!("{file}: {e}"));
    // As qoder-core's suggest module builds it: the text plus the parsed skills.
    let skills: Vec<String> = a.resume.skills.iter().map(|s| s.name.clone()).collect();
    format!("{}\n{}", a.resume.text, skills.join("\n"))
}

#[test]
fn labelled_set_precision_and_recall() {
    let data = include_str!("data/grounding.tsv");
    let mut texts: HashMap<String, Grounding> = HashMap::new();
    let (mut tp, mut fp, mut tn, mut fneg) = (0, 0, 0, 0);
    let mut by_kind: HashMap<String, (u32, u32)> = HashMap::new();
    for line in data.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
        let cols: Vec<&str> = line.split('\t').collect();
        assert_eq!(cols.len(), 4, "{line}");
        let (file, label, kind, bullet) = (cols[0], cols[1], cols[2], cols[3]);
        let g =
            texts.entry(file.to_string()).or_insert_with(|| Grounding::new(&resume_text(file), ""));
        let issues = g.check(bullet);
        let flagged = !issues.is_empty();
        match (label, flagged) {
            ("fab", true) => tp += 1,
            ("fab", false) => {
                fneg += 1;
                println!("missed ({kind}): {bullet}");
            }
            ("ok", true) => {
                fp += 1;
                println!("false alarm: {bullet} → {issues:?}");
            }
            ("ok", false) => tn += 1,
            _ => panic!("bad label in {line}"),
        }
        if label == "fab" {
            let e = by_kind.entry(kind.to_string()).or_default();
            e.1 += 1;
            if flagged {
                e.0 += 1;
            }
        }
    }
    let total = tp + fp + tn + fneg;
    assert!(total >= 40, "{total} bullets");
    let precision = tp as f64 / (tp + fp).max(1) as f64;
    let recall = tp as f64 / (tp + fneg).max(1) as f64;
    println!(
        "grounding guard: {total} bullets ({} fabricated, {} backed): precision {precision:.3}, recall {recall:.3} (tp {tp}, fp {fp}, tn {tn}, fn {fneg})",
        tp + fneg,
        tn + fp
    );
    let mut kinds: Vec<_> = by_kind.into_iter().collect();
    kinds.sort();
    for (k, (hit, n)) in kinds {
        println!("  {k}: {hit}/{n} caught");
    }
    assert!(precision >= 0.9, "precision {precision:.3}");
    assert!(recall >= 0.85, "recall {recall:.3}");
}

#[test]
fn context_the_user_supplies_backs_a_bullet() {
    let text = resume_text("r01-software.pdf");
    let bare = Grounding::new(&text, "");
    let with = Grounding::new(
        &text,
        "I built fraud models with TensorFlow in a side project at Tidewater Payments",
    );
    let b = "Built a real-time fraud model in TensorFlow for Tidewater Payments";
    assert!(!bare.check(b).is_empty());
    assert!(with.check(b).is_empty(), "{:?}", with.check(b));
}
