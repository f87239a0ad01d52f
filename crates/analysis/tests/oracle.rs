//! Differential check of the PDF extractor against poppler's `pdftotext` as an oracle (issue 12):
//! for every PDF in tests/corpus/files and tests/unseen/files, the multiset of words we extract
//! should agree with pdftotext's (Jaccard ≥ 0.98 after lowercasing and splitting on
//! non-alphanumerics). pdftotext is used here only; the product stays pure Rust. Skips with a
//! notice when pdftotext is not on PATH.
//!
//! Run `cargo test -p qoder-analysis --test oracle -- --nocapture` for the per-file table.

use qoder_analysis::extract::{Limits, extract};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

const GOOD: f64 = 0.98;

/// Words as pdftotext-style normalisation sees them; with `join_letters`, runs of two or more
/// one-letter words are joined ("p r o f i l e" -> "profile"): pdftotext itself splits some
/// letter-spaced headings into letters, so the second figure tells its misses from ours.
fn words_with(text: &str, join_letters: bool) -> HashMap<String, usize> {
    if !join_letters {
        return words(text);
    }
    let text = normalise(text);
    let mut out = HashMap::new();
    let mut run = String::new();
    for w in text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        if w.chars().count() == 1 {
            run.push_str(w);
            continue;
        }
        if !run.is_empty() {
            *out.entry(std::mem::take(&mut run)).or_insert(0) += 1;
        }
        *out.entry(w.to_string()).or_insert(0) += 1;
    }
    if !run.is_empty() {
        *out.entry(run).or_insert(0) += 1;
    }
    out
}

fn normalise(text: &str) -> String {
    text.to_lowercase()
        .replace('\u{FB00}', "ff")
        .replace('\u{FB01}', "fi")
        .replace('\u{FB02}', "fl")
        .replace('\u{FB03}', "ffi")
        .replace('\u{FB04}', "ffl")
}

fn words(text: &str) -> HashMap<String, usize> {
    // Ligature glyphs are spelled out on both sides: "ﬁ" and "fi" are the same word.
    let text = normalise(text);
    let mut m = HashMap::new();
    for w in text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        *m.entry(w.to_string()).or_insert(0) += 1;
    }
    m
}

/// Multiset Jaccard: Σ min(a, b) / Σ max(a, b) over all words.
fn jaccard(a: &HashMap<String, usize>, b: &HashMap<String, usize>) -> f64 {
    let (mut inter, mut union) = (0usize, 0usize);
    for (w, &x) in a {
        let y = b.get(w).copied().unwrap_or(0);
        inter += x.min(y);
        union += x.max(y);
    }
    for (w, &y) in b {
        if !a.contains_key(w) {
            union += y;
        }
    }
    if union == 0 { 1.0 } else { inter as f64 / union as f64 }
}

fn pdfs(dir: &Path) -> Vec<PathBuf> {
    let Ok(rd) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut v: Vec<PathBuf> = rd
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("pdf")))
        .collect();
    v.sort();
    v
}

#[test]
fn pdftotext_agreement() {
    if Command::new("pdftotext").arg("-v").output().is_err() {
        println!("oracle: pdftotext is not on PATH (poppler-utils); skipped");
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files = pdfs(&root.join("tests/corpus/files"));
    files.extend(pdfs(&root.join("tests/unseen/files")));
    assert!(!files.is_empty(), "no PDFs found");

    let mut rows = Vec::new();
    for f in &files {
        let bytes = std::fs::read(f).expect("read pdf");
        let ours = match extract(&bytes, &Limits::default()) {
            Ok(x) => x.lines.iter().map(|l| l.text.as_str()).collect::<Vec<_>>().join("\n"),
            Err(e) => {
                println!("{}: extract failed: {e}", f.display());
                String::new()
            }
        };
        let out = Command::new("pdftotext")
            .args(["-enc", "UTF-8"])
            .arg(f)
            .arg("-")
            .output()
            .expect("run pdftotext");
        let theirs = String::from_utf8_lossy(&out.stdout);
        let name = f
            .strip_prefix(&root)
            .unwrap_or(f)
            .display()
            .to_string()
            .trim_start_matches("tests/")
            .to_string();
        let strict = jaccard(&words(&ours), &words(&theirs));
        let joined = jaccard(&words_with(&ours, true), &words_with(&theirs, true));
        rows.push((name, strict, joined));
    }

    println!("\n{:<52} {:>8} {:>8}", "file", "jaccard", "joined");
    for (n, j, k) in &rows {
        println!("{n:<52} {j:>8.3} {k:>8.3}{}", if *j < GOOD { "  < 0.98" } else { "" });
    }
    let good = rows.iter().filter(|(_, j, _)| *j >= GOOD).count();
    let good_joined = rows.iter().filter(|(_, _, k)| *k >= GOOD).count();
    let share = good as f64 / rows.len() as f64;
    let mean = rows.iter().map(|(_, j, _)| j).sum::<f64>() / rows.len() as f64;
    println!(
        "\noracle: {good} of {} PDFs agree with pdftotext (Jaccard >= {GOOD}): share {share:.3}, mean Jaccard {mean:.3}",
        rows.len()
    );
    let below: Vec<String> = rows
        .iter()
        .filter(|(_, j, _)| *j < GOOD)
        .map(|(n, j, _)| format!("{n} ({j:.3})"))
        .collect();
    if !below.is_empty() {
        println!("below {GOOD}: {}", below.join(", "));
    }
    println!(
        "with runs of one-letter words joined on both sides (pdftotext splits some letter-spaced \
         headings into letters): {good_joined} of {} agree",
        rows.len()
    );
    // Floor: the share when this test was added (62 of 95 = 0.653 with the extractor of commit
    // 211450a), less 0.01 and rounded down to 0.05. Issue 12's target: 0.95 of the PDFs of both
    // corpora. Raise it as the extractor improves.
    let floor = 0.65;
    assert!(
        share >= floor,
        "share of PDFs agreeing with pdftotext {share:.3} is under the floor {floor}"
    );
}
