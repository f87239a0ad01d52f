#![allow(unsafe_code)] // getrusage, for the peak memory of the parse workers
//! `bench-bulk [N] [--concurrency C] [--semantic-top K] [--jd FILE] [--keep DIR]`: bulk
//! screening of N resumes (default 1,000) against one JD, through `qoder_core::bulk::run` with
//! the isolated parse worker, printing the per-stage breakdown and peak memory (this process
//! and the largest parse worker, from getrusage).
//!
//! The N files are the corpora's resumes (tests/corpus/files, tests/unseen/files,
//! tests/fit/resumes: a PDF/DOCX/TXT mix) repeated, each copy with a few bytes appended so
//! every file has its own hash (nothing is deduplicated away).
//!
//! Build the worker and run in release:
//! `cargo build --release -p qoder-analysis --bin qoder-extract-worker &&
//!  cargo run --release -p qoder-core --example bench-bulk -- 1000`

use qoder_analysis::extract::isolate::{WORKER_PROGRAM, WorkerCommand};
use qoder_core::bulk::{self, BatchChoice, BulkRequest};
use qoder_core::{Config, Store};
use qoder_domain::bulk::{BulkEvent, BulkSource, Criteria};
use qoder_embed::{EmbedConfig, Embedder, default_model_dir};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

fn maxrss_mb(who: libc::c_int) -> f64 {
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: getrusage writes one rusage struct we own.
    let rc = unsafe { libc::getrusage(who, &mut u) };
    if rc != 0 {
        return f64::NAN;
    }
    u.ru_maxrss as f64 / 1024.0 // kilobytes on Linux
}

fn corpus(root: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for dir in ["corpus/files", "unseen/files", "fit/resumes"] {
        let Ok(rd) = std::fs::read_dir(root.join(dir)) else { continue };
        for e in rd.flatten() {
            let p = e.path();
            let ext = p.extension().map(|x| x.to_string_lossy().to_lowercase()).unwrap_or_default();
            if ["pdf", "docx", "txt"].contains(&ext.as_str()) {
                files.push(p);
            }
        }
    }
    files.sort();
    files
}

/// A copy of `src` whose bytes differ: a line for text, a trailing comment for PDF (after
/// %%EOF, which readers ignore), the zip comment for DOCX.
fn variant(src: &Path, i: usize) -> Vec<u8> {
    let mut bytes = std::fs::read(src).expect("read corpus file");
    let ext = src.extension().map(|x| x.to_string_lossy().to_lowercase()).unwrap_or_default();
    match ext.as_str() {
        "docx" => {
            // The end-of-central-directory record ends with a comment length (u16) and the
            // comment: set a comment of our own.
            if let Some(at) = bytes.windows(4).rposition(|w| w == [0x50, 0x4b, 0x05, 0x06]) {
                let comment = format!("copy {i}");
                bytes.truncate(at + 20);
                bytes.extend_from_slice(&(comment.len() as u16).to_le_bytes());
                bytes.extend_from_slice(comment.as_bytes());
            }
        }
        "pdf" => bytes.extend_from_slice(format!("\n% copy {i}\n").as_bytes()),
        _ => bytes.extend_from_slice(format!("\nRef {i}\n").as_bytes()),
    }
    bytes
}

fn main() -> anyhow::Result<()> {
    let threads = qoder_embed::thread_count_from_env()?;
    qoder_embed::set_thread_count_at_startup(threads);
    let mut n = 1000usize;
    let mut concurrency = 0usize;
    let mut semantic_top = bulk::DEFAULT_SEMANTIC_TOP;
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests");
    let mut jd_path = root.join("fit/jds/backend-java.txt");
    let mut keep: Option<PathBuf> = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || args.next().ok_or_else(|| anyhow::anyhow!("{a} needs a value"));
        match a.as_str() {
            "--concurrency" => concurrency = value()?.parse()?,
            "--semantic-top" => semantic_top = value()?.parse()?,
            "--jd" => jd_path = value()?.into(),
            "--keep" => keep = Some(value()?.into()),
            other => n = other.parse()?,
        }
    }

    // The worker program: in target/<profile>/, the parent of this example's folder.
    let exe = std::env::current_exe()?;
    let program = exe
        .parent()
        .and_then(Path::parent)
        .map(|d| d.join(format!("{WORKER_PROGRAM}{}", std::env::consts::EXE_SUFFIX)))
        .filter(|p| p.is_file())
        .ok_or_else(|| {
            anyhow::anyhow!(
                "no {WORKER_PROGRAM} beside {}: cargo build --release -p qoder-analysis --bin {WORKER_PROGRAM}",
                exe.display()
            )
        })?;
    let worker = WorkerCommand { program, args: Vec::new() };

    let tmp = tempfile::tempdir()?;
    let cvs = keep.clone().unwrap_or_else(|| tmp.path().join("cvs"));
    let t = Instant::now();
    let files = corpus(&root);
    anyhow::ensure!(!files.is_empty(), "no corpus files under {}", root.display());
    std::fs::create_dir_all(&cvs)?;
    let (mut pdf, mut docx, mut txt) = (0, 0, 0);
    for i in 0..n {
        let src = &files[i % files.len()];
        let name = format!("{i:04}-{}", src.file_name().unwrap().to_string_lossy());
        match src.extension().map(|x| x.to_string_lossy().to_lowercase()).as_deref() {
            Some("pdf") => pdf += 1,
            Some("docx") => docx += 1,
            _ => txt += 1,
        }
        std::fs::write(cvs.join(name), variant(src, i))?;
    }
    println!(
        "bench-bulk: {n} resumes ({pdf} PDF, {docx} DOCX, {txt} TXT) from {} corpus files, made in {:.1} s",
        files.len(),
        t.elapsed().as_secs_f64()
    );

    let embedder = if semantic_top > 0 {
        match Embedder::load_with(default_model_dir(), EmbedConfig::from_env()?) {
            Ok(e) => Some(e),
            Err(e) => {
                println!("no embedding model ({e}): keyword scores only");
                None
            }
        }
    } else {
        None
    };
    let data = tempfile::tempdir()?;
    let store = Mutex::new(Store::open(data.path())?);
    let cache = qoder_core::Cache::open(data.path()).ok();
    let req = BulkRequest {
        source: BulkSource::Folder { path: cvs.to_string_lossy().into_owned() },
        jd_text: std::fs::read_to_string(&jd_path)?,
        criteria: Criteria {
            must_have: vec!["Java".into(), "Kafka".into()],
            min_years: Some(5.0),
            certificates: vec![],
            statements: vec!["authorized to work".into()],
        },
        concurrency,
        semantic_top,
        analyze: Config::default().analyze_options(None, Some(worker)),
        batch: BatchChoice::New,
    };
    let t = Instant::now();
    let mut failed = 0;
    let out = bulk::run(
        &store,
        cache.as_ref(),
        embedder.as_ref(),
        &req,
        &mut |e| {
            if let BulkEvent::FileFinished { ok: false, .. } = e {
                failed += 1;
            }
        },
        &AtomicBool::new(false),
    )?;
    let total = t.elapsed();
    println!(
        "concurrency {}, semantic top {semantic_top}, model {}",
        out.view.batch.concurrency,
        out.model_id.as_deref().unwrap_or("none")
    );
    for s in &out.stages {
        println!(
            "  {:<11} {:>8.2} s  ({} items)",
            s.stage.as_str(),
            s.millis as f64 / 1e3,
            s.items
        );
    }
    println!(
        "  {:<11} {:>8.2} s  ({} ranked, {failed} failed, {} duplicates) — {:.1} files/s",
        "total",
        total.as_secs_f64(),
        out.view.candidates.len(),
        out.view.duplicates.len(),
        n as f64 / total.as_secs_f64()
    );
    let me = maxrss_mb(libc::RUSAGE_SELF);
    let child = maxrss_mb(libc::RUSAGE_CHILDREN);
    println!(
        "peak memory: this process {me:.0} MB; largest child {child:.0} MB (getrusage counts the \
         image a child had between fork and exec, so this bounds a parse worker from above); at \
         most {:.0} MB together ({} workers at once)",
        me + child * out.view.batch.concurrency as f64,
        out.view.batch.concurrency
    );
    for f in out.view.failed.iter().take(5) {
        println!(
            "  failed: {} — {}",
            f.file,
            f.error.as_ref().map(|e| e.message.as_str()).unwrap_or("")
        );
    }
    if let Some(c) = out.view.candidates.first() {
        println!("best: {} ({})", c.file, c.score.unwrap_or(0));
    }
    Ok(())
}
