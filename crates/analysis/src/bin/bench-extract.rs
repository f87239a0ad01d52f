//! Compare PDF text extractors on a folder of PDFs.
//!
//! `cargo run --release -p qoder-analysis --bin bench-extract -- DIR [--src SRC_DIR] [--oxide BIN]`
//! (`--dump FILE` prints our lines for one file, with heading/bullet marks, and its facts)
//!
//! For every `*.pdf` in DIR it finds the reference text (the source the PDF was made from:
//! `SRC_DIR/<stem>.{txt,html,md,tex}`, default `DIR/../src`, else `DIR/<stem>.txt`) and prints,
//! per extractor, the time (best of 3) and two accuracy figures over lower-cased words:
//! `order` = 2·LCS / (|reference| + |extracted|) (reading order counts) and `recall` = share of
//! reference words found at all (bag of words). Extractors: (a) pdf-extract's plain
//! `extract_text_from_mem`, (b) our layout extractor, (c) `pdftotext -layout` and `pdftotext`
//! (poppler), (d) pdf_oxide via the `oxide-text` helper (benches/oxide-text) when given.
#![allow(clippy::print_stdout)]

use qoder_domain::CodedError;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase())
        .collect()
}

fn lcs(a: &[String], b: &[String]) -> usize {
    let mut prev = vec![0usize; b.len() + 1];
    let mut cur = vec![0usize; b.len() + 1];
    for x in a {
        for (j, y) in b.iter().enumerate() {
            cur[j + 1] = if x == y { prev[j] + 1 } else { cur[j].max(prev[j + 1]) };
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

fn recall(reference: &[String], got: &[String]) -> f64 {
    let mut bag: HashMap<&str, usize> = HashMap::new();
    for w in got {
        *bag.entry(w.as_str()).or_default() += 1;
    }
    let mut hit = 0;
    for w in reference {
        if let Some(n) = bag.get_mut(w.as_str())
            && *n > 0
        {
            *n -= 1;
            hit += 1;
        }
    }
    hit as f64 / reference.len().max(1) as f64
}

fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest.find(';').filter(|&e| e <= 10);
        match end {
            Some(e) => {
                let ent = &rest[1..e];
                let rep = match ent {
                    "amp" => "&".to_string(),
                    "lt" => "<".into(),
                    "gt" => ">".into(),
                    "quot" => "\"".into(),
                    "apos" => "'".into(),
                    "nbsp" => " ".into(),
                    "ndash" => "–".into(),
                    "mdash" => "—".into(),
                    "middot" | "bull" => "·".into(),
                    _ if ent.starts_with("#x") => u32::from_str_radix(&ent[2..], 16)
                        .ok()
                        .and_then(char::from_u32)
                        .map(String::from)
                        .unwrap_or_default(),
                    _ if ent.starts_with('#') => ent[1..]
                        .parse()
                        .ok()
                        .and_then(char::from_u32)
                        .map(String::from)
                        .unwrap_or_default(),
                    _ => String::new(),
                };
                out.push_str(&rep);
                rest = &rest[e + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Visible text of an HTML page (no head, style or script).
fn html_text(html: &str) -> String {
    let lower = html.to_ascii_lowercase();
    let body_start = lower.find("<body").unwrap_or(0);
    let mut out = String::new();
    let mut i = body_start;
    let bytes = html.as_bytes();
    while i < html.len() {
        if bytes[i] == b'<' {
            for skip in ["<style", "<script"] {
                if lower[i..].starts_with(skip) {
                    let close = format!("</{}", &skip[1..]);
                    if let Some(e) = lower[i..].find(&close) {
                        i += e;
                    }
                }
            }
            match html[i..].find('>') {
                Some(e) => i += e + 1,
                None => break,
            }
            out.push(' ');
        } else {
            let next = html[i..].find('<').map(|n| i + n).unwrap_or(html.len());
            out.push_str(&html[i..next]);
            i = next;
        }
    }
    decode_entities(&out)
}

/// Rough visible text of a LaTeX document body.
fn tex_text(tex: &str) -> String {
    let body = tex.split_once("\\begin{document}").map(|(_, b)| b).unwrap_or(tex);
    let mut out = String::new();
    for line in body.lines() {
        let line = match line.find('%') {
            Some(i) if i == 0 || !line[..i].ends_with('\\') => &line[..i],
            _ => line,
        };
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '\\' {
                let mut name = String::new();
                while let Some(&n) = chars.peek() {
                    if n.is_ascii_alphabetic() {
                        name.push(n);
                        chars.next();
                    } else {
                        break;
                    }
                }
                if name.is_empty() {
                    if let Some(n) = chars.next() {
                        out.push(if n == '\\' { ' ' } else { n });
                    }
                } else if matches!(
                    name.as_str(),
                    "begin"
                        | "end"
                        | "vspace"
                        | "hspace"
                        | "textwidth"
                        | "href"
                        | "setlength"
                        | "usepackage"
                ) {
                    // Skip the first brace argument (an environment name, a length, a URL).
                    if chars.peek() == Some(&'{') {
                        for n in chars.by_ref() {
                            if n == '}' {
                                break;
                            }
                        }
                    }
                    out.push(' ');
                } else {
                    out.push(' ');
                }
            } else if matches!(c, '{' | '}' | '&' | '~' | '$') {
                out.push(' ');
            } else {
                out.push(c);
            }
        }
        out.push('\n');
    }
    out
}

fn md_text(md: &str) -> String {
    let mut out = String::new();
    let mut rest = md;
    // [text](url) → text
    while let Some(i) = rest.find("](") {
        out.push_str(&rest[..i]);
        rest = &rest[i + 2..];
        match rest.find(')') {
            Some(e) => rest = &rest[e + 1..],
            None => break,
        }
    }
    out.push_str(rest);
    out
}

fn reference_for(pdf: &Path, src_dir: &Path) -> Option<String> {
    let stem = pdf.file_stem()?.to_str()?;
    for ext in ["txt", "html", "md", "tex"] {
        for dir in [src_dir, pdf.parent()?] {
            let p = dir.join(format!("{stem}.{ext}"));
            if let Ok(s) = std::fs::read_to_string(&p) {
                return Some(match ext {
                    "html" => html_text(&s),
                    "md" => md_text(&s),
                    "tex" => tex_text(&s),
                    _ => s,
                });
            }
        }
    }
    None
}

type Extractor = dyn Fn(&Path, &[u8]) -> Result<String, String>;
type Method = (&'static str, Box<Extractor>);

fn best_of_3(f: &Extractor, path: &Path, bytes: &[u8]) -> (Result<String, String>, Duration) {
    let mut best = Duration::MAX;
    let mut out = Err("not run".to_string());
    for _ in 0..3 {
        let t = Instant::now();
        out = f(path, bytes);
        best = best.min(t.elapsed());
        if out.is_err() {
            break;
        }
    }
    (out, best)
}

fn run_tool(program: &str, args: &[&str], path: &Path) -> Result<String, String> {
    let out = Command::new(program)
        .args(args)
        .arg(path)
        .args(if program == "pdftotext" { &["-"][..] } else { &[][..] })
        .output()
        .map_err(|e| format!("{program}: {e}"))?;
    if !out.status.success() {
        return Err(format!("{program}: {}", String::from_utf8_lossy(&out.stderr).trim()));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mut dir: Option<PathBuf> = None;
    let mut src: Option<PathBuf> = None;
    let mut oxide: Option<PathBuf> = None;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--src" => src = args.next().map(PathBuf::from),
            "--oxide" => oxide = args.next().map(PathBuf::from),
            "--dump" => {
                let path = args.next().unwrap_or_default();
                let bytes = std::fs::read(&path).unwrap_or_default();
                match qoder_analysis::extract::extract(&bytes, &Default::default()) {
                    Ok(e) => {
                        for l in &e.lines {
                            let h = if l.heading_hint { "H" } else { " " };
                            let b = if l.bullet { "B" } else { " " };
                            println!("{} {h}{b} {}", l.page, l.text);
                        }
                        println!("{:?}", e.facts);
                    }
                    Err(e) => println!("error: {e} ({:?})", e.code()),
                }
                return;
            }
            _ => dir = Some(PathBuf::from(a)),
        }
    }
    let Some(dir) = dir else {
        eprintln!("usage: bench-extract DIR [--src SRC_DIR] [--oxide OXIDE_TEXT_BIN]");
        std::process::exit(2);
    };
    let src = src.unwrap_or_else(|| dir.join("../src"));
    let mut pdfs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| {
            eprintln!("{}: {e}", dir.display());
            std::process::exit(2)
        })
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x.eq_ignore_ascii_case("pdf")))
        .collect();
    pdfs.sort();

    let mut methods: Vec<Method> = vec![
        (
            "pdf-extract plain",
            Box::new(|_, b| {
                std::panic::catch_unwind(|| pdf_extract::extract_text_from_mem(b))
                    .map_err(|_| "panicked".to_string())?
                    .map_err(|e| e.to_string())
            }),
        ),
        (
            "qoder layout",
            Box::new(|_, b| {
                qoder_analysis::extract::extract(b, &Default::default())
                    .map(|e| e.text())
                    .map_err(|e| e.to_string())
            }),
        ),
        (
            "pdftotext -layout",
            Box::new(|p, _| run_tool("pdftotext", &["-layout", "-enc", "UTF-8"], p)),
        ),
        ("pdftotext", Box::new(|p, _| run_tool("pdftotext", &["-enc", "UTF-8"], p))),
    ];
    if let Some(bin) = oxide {
        let bin = bin.to_string_lossy().into_owned();
        methods.push(("pdf_oxide 0.3", Box::new(move |p, _| run_tool(&bin, &[], p))));
    }

    let mut totals: Vec<(f64, f64, Duration, usize)> =
        vec![(0.0, 0.0, Duration::ZERO, 0); methods.len()];
    println!("{:<28} {:<20} {:>9} {:>7} {:>7}", "file", "extractor", "ms", "order", "recall");
    for pdf in &pdfs {
        let bytes = match std::fs::read(pdf) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("{}: {e}", pdf.display());
                continue;
            }
        };
        let name = pdf.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let reference = reference_for(pdf, &src);
        let reference = match reference {
            Some(r) => words(&r),
            None => {
                eprintln!("{name}: no reference text; scoring against pdftotext");
                words(&run_tool("pdftotext", &["-enc", "UTF-8"], pdf).unwrap_or_default())
            }
        };
        for (i, (label, f)) in methods.iter().enumerate() {
            let (out, took) = best_of_3(f.as_ref(), pdf, &bytes);
            match out {
                Ok(text) => {
                    let got = words(&text);
                    let order = 2.0 * lcs(&reference, &got) as f64
                        / (reference.len() + got.len()).max(1) as f64;
                    let rec = recall(&reference, &got);
                    println!(
                        "{name:<28} {label:<20} {:>9.2} {order:>7.3} {rec:>7.3}",
                        took.as_secs_f64() * 1e3
                    );
                    totals[i].0 += order;
                    totals[i].1 += rec;
                    totals[i].2 += took;
                    totals[i].3 += 1;
                }
                Err(e) => println!(
                    "{name:<28} {label:<20} {:>9.2}   error: {e}",
                    took.as_secs_f64() * 1e3
                ),
            }
        }
    }
    println!();
    println!(
        "{:<20} {:>6} {:>12} {:>10} {:>10}",
        "extractor", "files", "mean ms", "order", "recall"
    );
    for ((label, _), (order, rec, took, n)) in methods.iter().zip(&totals) {
        let n1 = (*n).max(1) as f64;
        println!(
            "{label:<20} {n:>6} {:>12.2} {:>10.3} {:>10.3}",
            took.as_secs_f64() * 1e3 / n1,
            order / n1,
            rec / n1
        );
    }
}
