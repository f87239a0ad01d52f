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
    let data = include_str!("../data/grounding.tsv");
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

/// The adversarial set (tests/data/grounding/): 21 resumes from as many professions and
/// hand-written bullets, half backed in other words, half inventing one kind of claim each.
/// Prints, per kind, the fabricated bullets caught and the backed ones held back.
#[test]
fn adversarial_set_per_kind() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/grounding");
    let data = std::fs::read_to_string(dir.join("bullets.tsv")).expect("bullets.tsv");
    let mut guards: HashMap<String, Grounding> = HashMap::new();
    // kind → (fabricated caught, fabricated, backed held back, backed)
    let mut by_kind: std::collections::BTreeMap<String, [u32; 4]> = Default::default();
    let mut resumes = std::collections::BTreeSet::new();
    let (mut kept, mut held_back, mut fab, mut ok) = (Vec::new(), Vec::new(), 0, 0);
    let mut slowest = std::time::Duration::ZERO;
    let mut total_time = std::time::Duration::ZERO;
    for line in data.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
        let cols: Vec<&str> = line.split('\t').collect();
        assert_eq!(cols.len(), 4, "{line}");
        let (resume, label, kind, bullet) = (cols[0], cols[1], cols[2], cols[3]);
        resumes.insert(resume.to_string());
        let g = guards.entry(resume.to_string()).or_insert_with(|| {
            let text = std::fs::read_to_string(dir.join("resumes").join(format!("{resume}.txt")))
                .unwrap_or_else(|e| panic!("{resume}: {e}"));
            Grounding::new(&text, "")
        });
        let t = std::time::Instant::now();
        let issues = g.check(bullet);
        let spent = t.elapsed();
        total_time += spent;
        slowest = slowest.max(spent);
        let e = by_kind.entry(kind.to_string()).or_default();
        match label {
            "fab" => {
                fab += 1;
                e[1] += 1;
                if issues.is_empty() {
                    kept.push(format!("{resume} ({kind}): {bullet}"));
                } else {
                    e[0] += 1;
                }
            }
            "ok" => {
                ok += 1;
                e[3] += 1;
                if !issues.is_empty() {
                    e[2] += 1;
                    let why: Vec<String> =
                        issues.iter().map(|i| format!("{}: {}", i.kind.as_str(), i.text)).collect();
                    held_back.push(format!("{resume} ({kind}): {bullet} → {}", why.join("; ")));
                }
            }
            _ => panic!("bad label in {line}"),
        }
    }
    println!(
        "adversarial set: {} resumes, {} bullets ({fab} fabricated, {ok} backed)",
        resumes.len(),
        fab + ok
    );
    println!("{:<14} {:>18} {:>22}", "kind", "fabricated caught", "backed held back");
    for (k, [c, f, h, o]) in &by_kind {
        let fc = if *f > 0 { format!("{c}/{f}") } else { "-".into() };
        let bh = if *o > 0 { format!("{h}/{o}") } else { "-".into() };
        println!("{k:<14} {fc:>18} {bh:>22}");
    }
    let recall = (fab - kept.len()) as f64 / fab as f64;
    let held = held_back.len() as f64 / ok as f64;
    println!(
        "fabricated recall {recall:.3} ({} kept); backed held back {:.1}% ({}); mean {:.3} ms, slowest {:.3} ms per bullet",
        kept.len(),
        held * 100.0,
        held_back.len(),
        total_time.as_secs_f64() * 1000.0 / (fab + ok) as f64,
        slowest.as_secs_f64() * 1000.0
    );
    for k in &kept {
        println!("  kept: {k}");
    }
    for h in &held_back {
        println!("  held back: {h}");
    }
    assert!(resumes.len() >= 20 && fab + ok >= 300, "the set is too small");
    assert!(kept.is_empty(), "{} fabricated bullets kept", kept.len());
    assert!(held <= 0.05, "{:.1}% of backed bullets held back", held * 100.0);
}
