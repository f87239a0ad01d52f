//! Benchmark: full analysis (extract + structure + skills + ATS) per file, next to poppler's
//! `pdftotext` extracting the same PDF, measured in the same run.
//!
//! ```sh
//! cargo build --release -p qoder-cli -p qoder-analysis
//! target/release/bench-analyze tests/corpus/files [--runs 15] [--qoder target/release/qoder]
//! target/release/bench-analyze --peak-memory big.pdf
//! target/release/bench-analyze --startup            # one-time costs in a fresh process
//! target/release/bench-analyze --regexes list.tsv   # compile time of each `label<TAB>pattern`
//! ```
//!
//! Three timings per file, each the median of `--runs` runs: the analysis in this process, the
//! `qoder analyze --json` command (a process that parses in an isolated child process, as users
//! run it), and `pdftotext` (a process). The two processes are run alternately (qoder, pdftotext,
//! qoder, …) so that a change in the machine's load falls on both. The figure to reach: the
//! `qoder analyze` command within 1.5× of `pdftotext` alone.

use qoder_analysis::{AnalyzeOptions, analyze, skills::Taxonomy, structure};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn time_n(runs: usize, mut f: impl FnMut() -> bool) -> Option<Duration> {
    let mut v = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        if !f() {
            return None;
        }
        v.push(t.elapsed());
    }
    Some(median(v))
}

fn ms(d: Option<Duration>) -> String {
    d.map(|d| format!("{:8.2}", d.as_secs_f64() * 1e3)).unwrap_or_else(|| "       –".into())
}

/// Peak resident memory of this process so far (VmHWM), in MiB.
fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|kb| kb.parse::<f64>().ok()))
        })
        .map(|kb| kb / 1024.0)
        .unwrap_or(f64::NAN)
}

/// The one-time costs of a fresh process, in the order the CLI pays them.
fn startup() {
    let t = Instant::now();
    let tax = Taxonomy::builtin();
    let builtin = t.elapsed();
    let t = Instant::now();
    structure::warm_up();
    let warm = t.elapsed();
    println!(
        "fresh process: Taxonomy::builtin() {:.3} ms ({} skills), then structure::warm_up() {:.3} ms",
        builtin.as_secs_f64() * 1e3,
        tax.skills.len(),
        warm.as_secs_f64() * 1e3
    );
    // What `builtin()` cost before its tables were compiled in: parsing the TSV at start-up.
    if let Ok(tsv) = std::fs::read_to_string("models/skills/skills.tsv") {
        let t = Instant::now();
        let parsed = Taxonomy::parse(&tsv).map(|t| t.skills.len());
        println!(
            "for comparison: Taxonomy::parse(models/skills/skills.tsv) {:.3} ms ({parsed:?} skills)",
            t.elapsed().as_secs_f64() * 1e3
        );
    }
}

/// Compile each pattern of a `label<TAB>pattern` file: the first compile in this process, and
/// the median of 5 more (the regex crate keeps no cache, so each is a full compile).
fn regexes(file: &str) {
    let text = std::fs::read_to_string(file).expect("read pattern list");
    let mut rows: Vec<(Duration, Duration, String)> = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#')) {
        let (label, pattern) = line.split_once('\t').unwrap_or(("", line));
        let t = Instant::now();
        if let Err(e) = regex::Regex::new(pattern) {
            println!("{label}: does not compile: {e}");
            continue;
        }
        let first = t.elapsed();
        let again = time_n(5, || regex::Regex::new(pattern).is_ok()).unwrap_or_default();
        rows.push((first, again, label.to_string()));
    }
    rows.sort_by_key(|r| std::cmp::Reverse(r.1));
    let (mut sum_first, mut sum) = (Duration::ZERO, Duration::ZERO);
    println!("{:>9} {:>9}  pattern", "first ms", "median ms");
    for (first, again, label) in &rows {
        sum_first += *first;
        sum += *again;
        println!("{:9.3} {:9.3}  {label}", first.as_secs_f64() * 1e3, again.as_secs_f64() * 1e3);
    }
    println!(
        "{:9.3} {:9.3}  total of {} patterns",
        sum_first.as_secs_f64() * 1e3,
        sum.as_secs_f64() * 1e3,
        rows.len()
    );
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let opt =
        |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned();
    if args.iter().any(|a| a == "--startup") {
        startup();
        return;
    }
    if let Some(file) = opt("--regexes") {
        regexes(&file);
        return;
    }
    if let Some(file) = opt("--peak-memory") {
        let bytes = std::fs::read(&file).expect("read file");
        let before = peak_rss_mib();
        let mut opts = AnalyzeOptions { today: (2026, 11), ..AnalyzeOptions::default() };
        opts.limits.max_bytes = u64::MAX;
        opts.limits.timeout = Duration::from_secs(600);
        let t = Instant::now();
        let result = analyze(&bytes, &opts);
        let took = t.elapsed();
        println!(
            "{file}: {:.1} MB, {} in {:.2} s; peak RSS {:.1} MiB (before parsing {:.1} MiB)",
            bytes.len() as f64 / 1e6,
            match &result {
                Ok(a) =>
                    format!("score {} from {} lines", a.ats.score, a.resume.text.lines().count()),
                Err(e) => format!("error: {e}"),
            },
            took.as_secs_f64(),
            peak_rss_mib(),
            before
        );
        return;
    }
    let dir = args
        .iter()
        .find(|a| {
            !a.starts_with("--")
                && Some(*a) != opt("--runs").as_ref()
                && Some(*a) != opt("--qoder").as_ref()
        })
        .cloned()
        .unwrap_or_else(|| "tests/corpus/files".into());
    let runs: usize = opt("--runs").and_then(|r| r.parse().ok()).unwrap_or(15);
    let qoder = opt("--qoder").map(PathBuf::from).or_else(|| {
        let exe = std::env::current_exe().ok()?;
        let q = exe.with_file_name("qoder");
        q.exists().then_some(q)
    });
    let have_pdftotext = Command::new("pdftotext").arg("-v").stderr(Stdio::null()).status().is_ok();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("read corpus dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    println!(
        "median of {runs} runs, ms; qoder = {}; pdftotext {}",
        qoder
            .as_ref()
            .map(|q| q.display().to_string())
            .unwrap_or_else(|| "not found (build qoder-cli --release)".into()),
        if have_pdftotext { "found" } else { "not installed (apt install poppler-utils)" }
    );
    println!(
        "{:<36} {:>8} {:>8} {:>8} {:>7} {:>5}",
        "file", "in-proc", "qoder", "pdftotxt", "ratio", "score"
    );
    let (mut sum_q, mut sum_p, mut sum_i) = (Duration::ZERO, Duration::ZERO, Duration::ZERO);
    for f in &files {
        let bytes = std::fs::read(f).expect("read");
        let opts = AnalyzeOptions { today: (2026, 11), ..AnalyzeOptions::default() };
        let mut score = 0;
        let inproc = time_n(runs, || match analyze(&bytes, &opts) {
            Ok(a) => {
                score = a.ats.score;
                true
            }
            Err(_) => false,
        });
        let run_ok = |cmd: &mut Command| {
            cmd.stdout(Stdio::null()).stderr(Stdio::null()).status().is_ok_and(|s| s.success())
        };
        let run_q = |q: &PathBuf| run_ok(Command::new(q).arg("analyze").arg("--json").arg(f));
        let run_p = || run_ok(Command::new("pdftotext").arg(f).arg("-"));
        let is_pdf = bytes.starts_with(b"%PDF");
        // Alternate the two commands, so that both see the same machine.
        let (mut qs, mut ps) = (Some(Vec::new()), (is_pdf && have_pdftotext).then(Vec::new));
        let Some(qoder) = qoder.as_ref() else { continue };
        for _ in 0..runs {
            if let Some(v) = qs.as_mut() {
                let t = Instant::now();
                if run_q(qoder) { v.push(t.elapsed()) } else { qs = None }
            }
            if let Some(v) = ps.as_mut() {
                let t = Instant::now();
                if run_p() { v.push(t.elapsed()) } else { ps = None }
            }
        }
        let q = qs.filter(|v| !v.is_empty()).map(median);
        let p = ps.filter(|v| !v.is_empty()).map(median);
        let ratio = match (q, p) {
            (Some(q), Some(p)) => {
                sum_q += q;
                sum_p += p;
                sum_i += inproc.unwrap_or_default();
                format!("{:7.2}", q.as_secs_f64() / p.as_secs_f64())
            }
            _ => "      –".into(),
        };
        let name = f.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        println!("{name:<36} {} {} {} {ratio} {score:>5}", ms(inproc), ms(q), ms(p));
    }
    if !sum_p.is_zero() {
        println!(
            "PDF totals: in-process {:.1} ms, qoder analyze {:.1} ms, pdftotext {:.1} ms → qoder/pdftotext {:.2}× (target ≤ 1.5×), in-process/pdftotext {:.2}×",
            sum_i.as_secs_f64() * 1e3,
            sum_q.as_secs_f64() * 1e3,
            sum_p.as_secs_f64() * 1e3,
            sum_q.as_secs_f64() / sum_p.as_secs_f64(),
            sum_i.as_secs_f64() / sum_p.as_secs_f64()
        );
    }
    let _ = Path::new(&dir);
}
