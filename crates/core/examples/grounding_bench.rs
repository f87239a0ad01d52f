//! The grounding guard's speed on the adversarial set, and a look at one bullet.
//!
//! `cargo run --release -p qoder-core --example grounding_bench` prints the time per bullet;
//! `… -- RESUME_FILE "bullet"` prints what the guard finds in one bullet (the resume file as
//! text, or a PDF/DOCX read as the app reads it).

use qoder_core::grounding::Grounding;
use std::path::Path;
use std::time::Instant;

fn resume_text(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    if path.extension().is_some_and(|e| e == "txt") {
        return String::from_utf8_lossy(&bytes).into_owned();
    }
    let opts = qoder_analysis::AnalyzeOptions { today: (2026, 11), ..Default::default() };
    let a = qoder_analysis::analyze(&bytes, &opts).unwrap_or_else(|e| panic!("{e}"));
    let skills: Vec<String> = a.resume.skills.iter().map(|s| s.name.clone()).collect();
    format!("{}\n{}", a.resume.text, skills.join("\n"))
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() >= 2 {
        let text = resume_text(Path::new(&args[0]));
        let g = Grounding::new(&text, args.get(2).map(String::as_str).unwrap_or(""));
        if std::env::var_os("QODER_GROUNDING_BLOCKS").is_some() {
            println!("{}", g.describe_blocks());
        }
        let a = g.assess(&args[1]);
        for i in &a.issues {
            println!("{}: {} — {}", i.kind.as_str(), i.text, i.reason);
        }
        if a.issues.is_empty() {
            println!("grounded");
        }
        if let Some(w) = a.without_claim {
            println!("without the claim: {w}");
        }
        return;
    }
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/grounding");
    let data = std::fs::read_to_string(dir.join("bullets.tsv")).expect("bullets.tsv");
    let mut cases: Vec<(String, String)> = Vec::new();
    for line in data.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
        let cols: Vec<&str> = line.split('\t').collect();
        cases.push((cols[0].to_string(), cols[3].to_string()));
    }
    let mut guards = std::collections::HashMap::new();
    let t = Instant::now();
    for (r, _) in &cases {
        guards.entry(r.clone()).or_insert_with(|| {
            Grounding::new(&resume_text(&dir.join("resumes").join(format!("{r}.txt"))), "")
        });
    }
    let build = t.elapsed();
    // Warm-up (the taxonomy and regexes are compiled on first use).
    for (r, b) in &cases {
        let _ = guards[r].assess(b);
    }
    let rounds = 5;
    let mut worst = 0.0f64;
    let t = Instant::now();
    for _ in 0..rounds {
        for (r, b) in &cases {
            let one = Instant::now();
            std::hint::black_box(guards[r].assess(b));
            worst = worst.max(one.elapsed().as_secs_f64());
        }
    }
    let per = t.elapsed().as_secs_f64() / (rounds * cases.len()) as f64;
    println!(
        "grounding guard: {} bullets × {rounds}: {:.3} ms per bullet (check + without-the-claim), slowest {:.3} ms; {} resumes read in {:.1} ms",
        cases.len(),
        per * 1000.0,
        worst * 1000.0,
        guards.len(),
        build.as_secs_f64() * 1000.0
    );
}
