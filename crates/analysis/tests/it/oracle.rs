//! Differential check of the PDF extractor against poppler's `pdftotext` as an oracle (issue 12):
//! for every PDF in tests/corpus/files and tests/unseen/files, the multiset of words we extract
//! should agree with pdftotext's (Jaccard ≥ 0.98 after lowercasing and splitting on
//! non-alphanumerics). pdftotext is used here only; the product stays pure Rust. Skips with a
//! notice when pdftotext is not on PATH.
//!
//! Run `cargo test -p qoder-analysis --test it oracle:: -- --nocapture` for the per-file table.

use qoder_analysis::extract::{Limits, extract};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

const GOOD: f64 = 0.98;

/// The words of a text in reading order, normalised as [`words`] does.
fn tokens(text: &str) -> Vec<String> {
    normalise(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// pdftotext's words with its own word-boundary misses put right where our words show them:
/// each run of its words that none of ours account for ("e d u c at i o n", "c ontact",
/// "thandekamthembu"), when its letters are exactly a sequence of our unaccounted words
/// ("education", "contact", "thandeka mthembu"), counts as those words. Only pdftotext's side
/// is adjusted: where we split or glue a word wrongly, it still counts against us.
fn adjudicated(ours: &HashMap<String, usize>, theirs_text: &str) -> HashMap<String, usize> {
    let seq = tokens(theirs_text);
    let mut left: HashMap<String, usize> = ours.clone();
    let mut matched = vec![false; seq.len()];
    let mut out: HashMap<String, usize> = HashMap::new();
    // A letter-spaced word split into letters and pairs ("s u m m a ry", "w ata"), or a
    // drop cap split from its word ("c ontact"), first, so that its fragments are not taken
    // one by one as our words "a" or "at" elsewhere in the text. Only runs holding a
    // one-letter fragment are joined, and only into our own words.
    let avail = |left: &HashMap<String, usize>, w: &str| left.get(w).copied().unwrap_or(0);
    let mut i = 0;
    while i < seq.len() {
        let one = |w: &String| w.chars().count() == 1;
        let mut j = i;
        while j < seq.len() && j < i + 24 && seq[j].chars().count() <= 3 {
            j += 1;
        }
        let mut take: Option<(usize, Vec<String>)> = None;
        let mut k = j;
        while k >= i + 2 {
            let run = &seq[i..k];
            let joined: String = run.concat();
            if run.iter().any(one) {
                if run.len() >= 3
                    && let Some(parts) = segment(&joined, &left)
                    && parts.iter().all(|p| p.chars().count() >= 3)
                {
                    take = Some((k, parts));
                    break;
                }
                if run.iter().all(one) && avail(&left, &joined) > 0 {
                    take = Some((k, vec![joined]));
                    break;
                }
            }
            k -= 1;
        }
        if take.is_none() && one(&seq[i]) && i + 1 < seq.len() {
            let joined = format!("{}{}", seq[i], seq[i + 1]);
            if avail(&left, &joined) > 0 && avail(&left, &seq[i + 1]) == 0 {
                take = Some((i + 2, vec![joined]));
            }
        }
        match take {
            Some((k, parts)) => {
                for p in parts {
                    if let Some(n) = left.get_mut(&p) {
                        *n -= 1;
                    }
                    *out.entry(p).or_insert(0) += 1;
                }
                matched[i..k].fill(true);
                i = k;
            }
            None => i += 1,
        }
    }
    let pre_matched = matched.clone();
    for (i, w) in seq.iter().enumerate() {
        if pre_matched[i] {
            continue;
        }
        if let Some(n) = left.get_mut(w)
            && *n > 0
        {
            *n -= 1;
            matched[i] = true;
        }
    }
    let mut i = 0;
    while i < seq.len() {
        if pre_matched[i] {
            i += 1;
            continue;
        }
        if matched[i] {
            *out.entry(seq[i].clone()).or_insert(0) += 1;
            i += 1;
            continue;
        }
        let mut j = i;
        while j < seq.len() && !matched[j] {
            j += 1;
        }
        // The longest prefix runs i..k (k ≤ j) that segment into our unaccounted words.
        let mut k = j;
        let mut done = false;
        while k > i {
            let joined: String = seq[i..k].concat();
            if let Some(parts) = segment(&joined, &left)
                && (k - i >= 2 || parts.len() >= 2)
            {
                for p in parts {
                    if let Some(n) = left.get_mut(&p) {
                        *n -= 1;
                    }
                    *out.entry(p).or_insert(0) += 1;
                }
                i = k;
                done = true;
                break;
            }
            k -= 1;
        }
        if !done {
            *out.entry(seq[i].clone()).or_insert(0) += 1;
            i += 1;
        }
    }
    out
}

/// `s` as a sequence of words still available in `pool`, if it is one.
fn segment(s: &str, pool: &HashMap<String, usize>) -> Option<Vec<String>> {
    if s.is_empty() {
        return None;
    }
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    let ends: Vec<usize> = chars.iter().map(|(b, c)| b + c.len_utf8()).collect();
    // best[k]: a segmentation of s[..ends[k-1]] (k chars), as the start byte of its last word.
    let n = chars.len();
    let mut prev: Vec<Option<usize>> = vec![None; n + 1];
    let mut reach = vec![false; n + 1];
    reach[0] = true;
    let byte_at = |k: usize| if k == 0 { 0 } else { ends[k - 1] };
    for end in 1..=n {
        for start in (0..end).rev() {
            if reach[start] && pool.get(&s[byte_at(start)..byte_at(end)]).is_some_and(|&c| c > 0) {
                reach[end] = true;
                prev[end] = Some(start);
                break;
            }
        }
    }
    if !reach[n] {
        return None;
    }
    let mut parts = Vec::new();
    let mut end = n;
    while end > 0 {
        let start = prev[end]?;
        parts.push(s[byte_at(start)..byte_at(end)].to_string());
        end = start;
    }
    parts.reverse();
    // Each word used no more often than we have it.
    let mut used: HashMap<&str, usize> = HashMap::new();
    for p in &parts {
        *used.entry(p).or_insert(0) += 1;
    }
    used.iter().all(|(w, n)| pool.get(*w).is_some_and(|c| c >= n)).then_some(parts)
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
            // Our lines as the product reads them: a word hyphenated at a line end is one word
            // (as the structure step joins wrapped bullets, and pdftotext does), and the
            // running header and footer lines set aside are text of the page too.
            Ok(x) => {
                let mut text = String::new();
                for l in &x.lines {
                    let t = l.text.trim_end();
                    if text.ends_with('-')
                        && text[..text.len() - 1].ends_with(|c: char| c.is_lowercase())
                        && t.starts_with(|c: char| c.is_lowercase())
                    {
                        text.pop();
                    } else if !text.is_empty() {
                        text.push('\n');
                    }
                    text.push_str(t);
                }
                for h in &x.facts.header_footer_text {
                    text.push('\n');
                    text.push_str(h);
                }
                text
            }
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
        let ours_words = words(&ours);
        let joined = jaccard(&ours_words, &adjudicated(&ours_words, &theirs));
        rows.push((name, strict, joined));
    }

    println!("\n{:<52} {:>8} {:>8}", "file", "jaccard", "adjud.");
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
    let share_joined = good_joined as f64 / rows.len() as f64;
    println!(
        "with pdftotext's own word-boundary misses put right where our words show them (it splits \
         letter-spaced words into letters, drop caps from their words, and glues some words): \
         {good_joined} of {} agree, share {share_joined:.3}",
        rows.len()
    );
    let below_joined: Vec<String> = rows
        .iter()
        .filter(|(_, _, k)| *k < GOOD)
        .map(|(n, _, k)| format!("{n} ({k:.3})"))
        .collect();
    if !below_joined.is_empty() {
        println!("below {GOOD} so adjudicated: {}", below_joined.join(", "));
    }
    // Floors: the shares measured with the extractor of this commit on 153 PDFs (0.804 strict,
    // 0.961 with pdftotext's own misses put right), less a little. Issue 12's target: 0.95.
    // Raise them as the extractor improves.
    let floor = 0.78;
    let floor_joined = 0.94;
    assert!(
        share_joined >= floor_joined,
        "share agreeing once pdftotext's word-boundary misses are put right {share_joined:.3} is \
         under the floor {floor_joined}"
    );
    assert!(
        share >= floor,
        "share of PDFs agreeing with pdftotext {share:.3} is under the floor {floor}"
    );
}
