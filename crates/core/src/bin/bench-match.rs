//! `bench-match [RESUME] [JD_DIR] [--rounds N]`: latency of a full match of an already-analysed
//! resume against a job description it has not seen: parse the JD, embed its skills,
//! responsibilities and title (no cache), compute the similarities and build the report.
//! Prints p50/p95/max and the split between embedding and the rest, and peak memory.
//!
//! Build and run in release: `cargo run --release -p qoder-core --bin bench-match`.
//! Defaults: tests/corpus/files/r01-software.pdf against every tests/corpus/jds/*.txt.

use qoder_analysis::jd::parse_jd;
use qoder_analysis::matching::{MatchOptions, ResumeFacts, match_report};
use qoder_analysis::{AnalyzeOptions, analyze};
use qoder_core::matching::{Embeddings, embed_jd, embed_resume, similarities};
use qoder_embed::{EmbedConfig, Embedder, default_model_dir};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const TODAY: (i32, u8) = (2026, 11);

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

fn peak_rss_mb() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn main() -> anyhow::Result<()> {
    let threads = qoder_embed::thread_count_from_env()?;
    qoder_embed::set_thread_count_at_startup(threads);

    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus");
    let mut positional: Vec<String> = Vec::new();
    let mut rounds = 6usize;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if a == "--rounds" {
            rounds = args
                .next()
                .and_then(|n| n.parse().ok())
                .filter(|n| *n > 0)
                .ok_or_else(|| anyhow::anyhow!("--rounds needs a positive number"))?;
        } else {
            positional.push(a);
        }
    }
    let resume_path = positional
        .first()
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("files/r01-software.pdf"));
    let jd_dir = positional.get(1).map(PathBuf::from).unwrap_or_else(|| root.join("jds"));

    let t = Instant::now();
    let embedder = Embedder::load_with(default_model_dir(), EmbedConfig::from_env()?)?;
    let load = t.elapsed();

    // The resume is analysed and embedded once, before timing: "an already-analysed resume".
    let bytes = std::fs::read(&resume_path)?;
    let analysis = analyze(&bytes, &AnalyzeOptions { today: TODAY, ..AnalyzeOptions::default() })?;
    let facts = ResumeFacts::from_resume(&analysis.resume, TODAY);
    let e = Embeddings { embedder: &embedder, cache: None };
    let t = Instant::now();
    let rv = embed_resume(&e, &facts)?;
    let resume_embed = t.elapsed();

    let mut jds: Vec<(String, String)> = Vec::new();
    let mut entries: Vec<PathBuf> = std::fs::read_dir(&jd_dir)?
        .filter_map(|d| d.ok().map(|d| d.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    entries.sort();
    for p in entries {
        let name = p.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        jds.push((name, std::fs::read_to_string(&p)?));
    }
    anyhow::ensure!(!jds.is_empty(), "no .txt job descriptions in {}", jd_dir.display());

    let opts = MatchOptions::new(TODAY);
    // warm-up: one pass, not timed
    for (_, text) in &jds {
        let jd = parse_jd(text);
        let jv = embed_jd(&e, &facts, &jd, &opts)?;
        let _ = match_report(&facts, &jd, Some(&similarities(&rv, &jv)), &opts);
    }
    let mut total = Vec::new();
    let mut embed_part = Vec::new();
    let mut scores = Vec::new();
    for _ in 0..rounds {
        for (name, text) in &jds {
            let t0 = Instant::now();
            let jd = parse_jd(text);
            let t1 = Instant::now();
            let jv = embed_jd(&e, &facts, &jd, &opts)?;
            let t2 = Instant::now();
            let report = match_report(&facts, &jd, Some(&similarities(&rv, &jv)), &opts);
            let t3 = Instant::now();
            total.push(t3 - t0);
            embed_part.push(t2 - t1);
            if scores.len() < jds.len() {
                scores.push((name.clone(), report.score));
            }
        }
    }
    total.sort();
    embed_part.sort();
    println!(
        "bench-match: {} × {} JDs × {rounds} rounds ({} matches), {threads} threads, model {}",
        resume_path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
        jds.len(),
        total.len(),
        embedder.model_id()
    );
    println!(
        "  model load {}, resume embedding (once) {} for {} skills + {} bullets",
        ms(load),
        ms(resume_embed),
        rv.skills.len(),
        rv.bullets.len()
    );
    println!(
        "  full match of a new JD:  p50 {}  p95 {}  max {}",
        ms(percentile(&total, 0.5)),
        ms(percentile(&total, 0.95)),
        ms(*total.last().unwrap_or(&Duration::ZERO))
    );
    println!(
        "  of which JD embedding:   p50 {}  p95 {}",
        ms(percentile(&embed_part, 0.5)),
        ms(percentile(&embed_part, 0.95))
    );
    if let Some(mb) = peak_rss_mb() {
        println!("  peak memory (VmHWM): {mb:.0} MB");
    }
    let s: Vec<String> = scores.iter().map(|(n, s)| format!("{n} {s}")).collect();
    println!("  scores: {}", s.join(", "));
    Ok(())
}
