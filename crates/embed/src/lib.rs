//! qoder-embed: local sentence embeddings with all-MiniLM-L6-v2 (384 dimensions), run by candle
//! on the CPU.
//!
//! - [`Embedder::load`] reads `model.safetensors`, `config.json` and `tokenizer.json` from a model
//!   directory ([`default_model_dir`]; `models/fetch-minilm.sh` fills it).
//! - [`Embedder::embed`] embeds many texts: they are tokenized, sorted by token length and run in
//!   batches padded only to the longest sequence of each batch (so little is wasted on padding),
//!   mean-pooled over real tokens and L2-normalised; results come back in input order.
//! - Texts longer than the model's 256-token window are not truncated: they are split per
//!   line/bullet and sentence ([`Embedder::embed_long`] returns the piece vectors and their mean).
//! - [`Embedder::model_id`] names the weights (and precision) for cache keys: a cached vector is
//!   valid only under the same id.

mod chunk;
mod model;

use std::path::{Path, PathBuf};
use std::str::FromStr;

pub use chunk::split_segments;

/// Dimension of the vectors.
pub const DIM: usize = 384;
/// The model's attention window in tokens, including `[CLS]` and `[SEP]` (sentence-transformers'
/// `max_seq_length` for all-MiniLM-L6-v2).
pub const MAX_TOKENS: usize = 256;
/// The model's name, the first part of [`Embedder::model_id`].
pub const MODEL_NAME: &str = "all-MiniLM-L6-v2";

/// Files a model directory must hold.
pub const MODEL_FILES: [&str; 3] = ["model.safetensors", "config.json", "tokenizer.json"];

/// An embedding: [`DIM`] floats, L2-normalised.
pub type Vector = Vec<f32>;

#[derive(Debug, thiserror::Error)]
pub enum EmbedError {
    /// A model file is absent: the model was never fetched, or the directory is wrong.
    #[error(
        "the embedding model is not installed: {} is missing. Run models/fetch-minilm.sh \
         (or set QODER_MODEL_DIR to a directory holding sentence-transformers/all-MiniLM-L6-v2)",
        path.display()
    )]
    ModelMissing { path: PathBuf },
    #[error("cannot read {}: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
    /// The files are there but do not hold the model this crate runs.
    #[error("invalid model files in {}: {message}", dir.display())]
    InvalidModel { dir: PathBuf, message: String },
    #[error("tokenizer error: {0}")]
    Tokenizer(String),
    #[error("embedding computation failed: {0}")]
    Compute(String),
    /// An environment setting has a value this crate does not understand.
    #[error("invalid {name}={value:?}: expected {expected}")]
    Setting { name: &'static str, value: String, expected: &'static str },
}

impl From<candle_core::Error> for EmbedError {
    fn from(e: candle_core::Error) -> Self {
        EmbedError::Compute(e.to_string())
    }
}

/// Arithmetic used for the linear layers (the attention itself always runs in f32).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Precision {
    /// The original f32 weights.
    F32,
    /// Weights quantized to 8 bits per value in blocks of 32 (ggml q8_0) through candle's
    /// `QMatMul`, activations quantized the same way inside each matmul. Cosine to f32: min
    /// 0.9994 over the 1,000 benchmark bullets but 0.9986 for the empty text. On x86 CPUs without
    /// AVX-VNNI/AVX512-VNNI candle has no repacked q8_0 kernel and this is several times slower
    /// than f32, so it is opt-in (`QODER_EMBED_PRECISION=q8_0`).
    Q8_0,
}

impl Precision {
    pub fn as_str(self) -> &'static str {
        match self {
            Precision::F32 => "f32",
            Precision::Q8_0 => "q8_0",
        }
    }
}

impl FromStr for Precision {
    type Err = EmbedError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "f32" | "fp32" => Ok(Precision::F32),
            "q8_0" | "q8" | "int8" => Ok(Precision::Q8_0),
            _ => Err(EmbedError::Setting {
                name: "QODER_EMBED_PRECISION",
                value: s.to_string(),
                expected: "f32 or q8_0",
            }),
        }
    }
}

/// How the embedder runs. `EmbedConfig::default()` is what [`Embedder::load`] uses.
#[derive(Clone, Debug)]
pub struct EmbedConfig {
    pub precision: Precision,
    /// Most sequences in one forward pass.
    pub max_batch: usize,
    /// Most tokens (sequences × padded length) in one forward pass; bounds the memory of the
    /// attention scores for long inputs.
    pub max_batch_tokens: usize,
}

impl Default for EmbedConfig {
    fn default() -> Self {
        EmbedConfig { precision: Precision::F32, max_batch: 32, max_batch_tokens: 4096 }
    }
}

impl EmbedConfig {
    /// The defaults, with `QODER_EMBED_PRECISION` (f32 | q8_0) and `QODER_EMBED_BATCH` applied.
    pub fn from_env() -> Result<Self, EmbedError> {
        let mut c = EmbedConfig::default();
        if let Ok(v) = std::env::var("QODER_EMBED_PRECISION") {
            c.precision = v.parse()?;
        }
        if let Ok(v) = std::env::var("QODER_EMBED_BATCH") {
            c.max_batch = v.trim().parse().ok().filter(|n| *n > 0).ok_or(EmbedError::Setting {
                name: "QODER_EMBED_BATCH",
                value: v.clone(),
                expected: "a positive number of sentences",
            })?;
        }
        Ok(c)
    }
}

/// The thread count to use: `QODER_EMBED_THREADS` if set, else the number of CPUs available.
pub fn thread_count_from_env() -> Result<usize, EmbedError> {
    match std::env::var("QODER_EMBED_THREADS") {
        Ok(v) => v.trim().parse().ok().filter(|n| *n > 0).ok_or(EmbedError::Setting {
            name: "QODER_EMBED_THREADS",
            value: v,
            expected: "a positive number of threads",
        }),
        Err(_) => Ok(std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)),
    }
}

/// Tells candle how many threads its CPU kernels use. candle reads this only from the
/// `RAYON_NUM_THREADS`/`CANDLE_NUM_THREADS` environment variables when it first builds its
/// thread pools, so this sets them.
///
/// Call it at the start of `main`, before any other thread is spawned and before any
/// embedding runs (later calls do not change pools already built).
#[allow(unsafe_code)]
pub fn set_thread_count_at_startup(threads: usize) {
    let n = threads.max(1).to_string();
    // SAFETY: documented precondition: called from `main` while the process is still
    // single-threaded, so no other thread reads the environment concurrently.
    unsafe {
        std::env::set_var("RAYON_NUM_THREADS", &n);
        std::env::set_var("CANDLE_NUM_THREADS", &n);
    }
}

/// Where the model is looked for: `QODER_MODEL_DIR`; else `models/minilm` in an ancestor of the
/// running executable (a workspace checkout: `target/release/qoder`); else the workspace this
/// crate was built from; else `<platform data dir>/qoder/models/minilm`.
pub fn default_model_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("QODER_MODEL_DIR").filter(|d| !d.is_empty()) {
        return PathBuf::from(d);
    }
    let has_model = |d: &Path| d.join("model.safetensors").is_file();
    if let Ok(exe) = std::env::current_exe() {
        for a in exe.ancestors().skip(1) {
            let c = a.join("models").join("minilm");
            if has_model(&c) {
                return c;
            }
        }
    }
    let ws = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models/minilm");
    if has_model(&ws) {
        return ws;
    }
    if let Some(p) = directories::ProjectDirs::from("", "", "qoder") {
        let d = p.data_dir().join("models").join("minilm");
        if has_model(&d) || !ws.parent().is_some_and(Path::is_dir) {
            return d;
        }
    }
    ws
}

/// Cosine similarity of two vectors (0 when either is zero or the lengths differ).
pub fn cosine(a: &[f32], b: &[f32]) -> f32 {
    if a.len() != b.len() {
        return 0.0;
    }
    let (mut dot, mut na, mut nb) = (0f64, 0f64, 0f64);
    for (x, y) in a.iter().zip(b) {
        let (x, y) = (f64::from(*x), f64::from(*y));
        dot += x * y;
        na += x * x;
        nb += y * y;
    }
    if na == 0.0 || nb == 0.0 {
        return 0.0;
    }
    (dot / (na.sqrt() * nb.sqrt())) as f32
}

/// Scales `v` to unit length in place (a zero vector stays zero).
pub fn normalize(v: &mut [f32]) {
    let n = v.iter().map(|x| f64::from(*x) * f64::from(*x)).sum::<f64>().sqrt();
    if n > 0.0 {
        let inv = (1.0 / n) as f32;
        v.iter_mut().for_each(|x| *x *= inv);
    }
}

/// One piece of a long text and its vector.
#[derive(Clone, Debug)]
pub struct Chunk {
    /// The piece's text (a line, bullet or sentence; a window of a longer sentence).
    pub text: String,
    pub vector: Vector,
}

/// The embedding of a text of any length.
#[derive(Clone, Debug)]
pub struct LongEmbedding {
    /// One entry per piece; a single entry holding the whole text when it fits the window.
    pub chunks: Vec<Chunk>,
    /// The normalised mean of the chunk vectors.
    pub mean: Vector,
}

/// Token ids and their byte offsets in the text.
type Encoded = (Vec<u32>, Vec<(usize, usize)>);

/// A loaded model, ready to embed. `Send + Sync`: share one behind an `Arc`.
pub struct Embedder {
    tokenizer: tokenizers::Tokenizer,
    model: model::Bert,
    model_id: String,
    config: EmbedConfig,
    cls: u32,
    sep: u32,
}

impl std::fmt::Debug for Embedder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Embedder").field("model_id", &self.model_id).finish_non_exhaustive()
    }
}

fn read(path: &Path) -> Result<Vec<u8>, EmbedError> {
    std::fs::read(path).map_err(|source| {
        if source.kind() == std::io::ErrorKind::NotFound {
            EmbedError::ModelMissing { path: path.to_path_buf() }
        } else {
            EmbedError::Io { path: path.to_path_buf(), source }
        }
    })
}

impl Embedder {
    /// Loads the model from `dir` with the default configuration (f32).
    pub fn load(dir: impl AsRef<Path>) -> Result<Embedder, EmbedError> {
        Self::load_with(dir, EmbedConfig::default())
    }

    pub fn load_with(dir: impl AsRef<Path>, config: EmbedConfig) -> Result<Embedder, EmbedError> {
        let dir = dir.as_ref();
        for f in MODEL_FILES {
            if !dir.join(f).is_file() {
                return Err(EmbedError::ModelMissing { path: dir.join(f) });
            }
        }
        let invalid =
            |message: String| EmbedError::InvalidModel { dir: dir.to_path_buf(), message };

        let cfg_bytes = read(&dir.join("config.json"))?;
        let cfg: model::BertConfig =
            serde_json::from_slice(&cfg_bytes).map_err(|e| invalid(format!("config.json: {e}")))?;
        if cfg.hidden_size != DIM {
            return Err(invalid(format!("hidden_size is {}, expected {DIM}", cfg.hidden_size)));
        }
        if cfg.max_position_embeddings < MAX_TOKENS {
            return Err(invalid(format!(
                "max_position_embeddings {} is below {MAX_TOKENS}",
                cfg.max_position_embeddings
            )));
        }

        let weights = read(&dir.join("model.safetensors"))?;
        // The digest (for the model id) is computed on a second thread while the tensors load.
        let (digest, model) = std::thread::scope(|s| {
            let hasher = s.spawn(|| {
                use sha2::Digest;
                hex::encode(sha2::Sha256::digest(&weights))
            });
            let model = candle_core::safetensors::load_buffer(&weights, &candle_core::Device::Cpu)
                .map_err(|e| format!("model.safetensors: {e}"))
                .and_then(|tensors| model::Bert::new(&cfg, tensors, config.precision));
            (hasher.join(), model)
        });
        drop(weights);
        let model = model.map_err(invalid)?;
        let digest =
            digest.map_err(|_| EmbedError::Compute("hashing the weights failed".into()))?;

        let tok_path = dir.join("tokenizer.json");
        let mut tokenizer = tokenizers::Tokenizer::from_file(&tok_path)
            .map_err(|e| invalid(format!("tokenizer.json: {e}")))?;
        // tokenizer.json ships with fixed padding to 128 and truncation at 128: both off, this
        // crate pads per batch and splits long texts instead of truncating them.
        tokenizer.with_padding(None);
        tokenizer.with_truncation(None).map_err(|e| invalid(format!("tokenizer.json: {e}")))?;
        let id = |t: &str| {
            tokenizer.token_to_id(t).ok_or_else(|| invalid(format!("tokenizer has no {t} token")))
        };
        let (cls, sep) = (id("[CLS]")?, id("[SEP]")?);

        let suffix = match config.precision {
            Precision::F32 => String::new(),
            p => format!("+{}", p.as_str()),
        };
        let model_id = format!("{MODEL_NAME}@{}{suffix}", &digest[..12]);
        Ok(Embedder { tokenizer, model, model_id, config, cls, sep })
    }

    /// Identifies the weights and precision, e.g. `all-MiniLM-L6-v2@53aa51172d14` (f32) or
    /// `all-MiniLM-L6-v2@53aa51172d14+q8_0`; use it in cache keys.
    pub fn model_id(&self) -> &str {
        &self.model_id
    }

    pub fn config(&self) -> &EmbedConfig {
        &self.config
    }

    /// Token ids of `text` with `[CLS]`/`[SEP]`, and their byte offsets in `text`.
    fn encode(&self, text: &str) -> Result<Encoded, EmbedError> {
        let enc =
            self.tokenizer.encode(text, true).map_err(|e| EmbedError::Tokenizer(e.to_string()))?;
        Ok((enc.get_ids().to_vec(), enc.get_offsets().to_vec()))
    }

    /// Splits `text` into model-sized pieces: the whole text when it fits the window, else its
    /// lines/bullets and sentences, and windows of tokens for a single sentence still too long.
    fn pieces(&self, text: &str) -> Result<Vec<(String, Vec<u32>)>, EmbedError> {
        let (ids, _) = self.encode(text)?;
        if ids.len() <= MAX_TOKENS {
            return Ok(vec![(text.to_string(), ids)]);
        }
        let mut out = Vec::new();
        for seg in split_segments(text) {
            let (ids, offsets) = self.encode(seg)?;
            if ids.len() <= MAX_TOKENS {
                out.push((seg.to_string(), ids));
                continue;
            }
            // inner tokens only (drop [CLS]/[SEP]), cut into windows
            let inner = &ids[1..ids.len() - 1];
            let offs = &offsets[1..offsets.len() - 1];
            let w = MAX_TOKENS - 2;
            for (win, woffs) in inner.chunks(w).zip(offs.chunks(w)) {
                let mut piece = Vec::with_capacity(win.len() + 2);
                piece.push(self.cls);
                piece.extend_from_slice(win);
                piece.push(self.sep);
                let start = woffs.first().map_or(0, |o| o.0);
                let end = woffs.last().map_or(start, |o| o.1);
                let t = seg.get(start..end).unwrap_or_default().to_string();
                out.push((t, piece));
            }
        }
        if out.is_empty() {
            // e.g. only whitespace or separators: fall back to token windows of the whole text
            out.push((
                text.to_string(),
                ids[..MAX_TOKENS - 1].iter().copied().chain([self.sep]).collect(),
            ));
        }
        Ok(out)
    }

    /// Embeds each text; a text longer than the window gets the normalised mean of its pieces.
    /// Output order is input order.
    pub fn embed(&self, texts: &[&str]) -> Result<Vec<Vector>, EmbedError> {
        let mut owners = Vec::new();
        let mut seqs = Vec::new();
        for (i, t) in texts.iter().enumerate() {
            for (_, ids) in self.pieces(t)? {
                owners.push(i);
                seqs.push(ids);
            }
        }
        let vecs = self.run(&seqs)?;
        let mut out = vec![vec![0f32; DIM]; texts.len()];
        let mut counts = vec![0usize; texts.len()];
        for (owner, v) in owners.into_iter().zip(vecs) {
            counts[owner] += 1;
            out[owner].iter_mut().zip(&v).for_each(|(a, b)| *a += b);
        }
        for (v, c) in out.iter_mut().zip(counts) {
            if c > 1 {
                normalize(v);
            }
        }
        Ok(out)
    }

    /// Embeds one text of any length piecewise: the vector of each piece and their mean.
    pub fn embed_long(&self, text: &str) -> Result<LongEmbedding, EmbedError> {
        let pieces = self.pieces(text)?;
        let seqs: Vec<Vec<u32>> = pieces.iter().map(|(_, ids)| ids.clone()).collect();
        let vecs = self.run(&seqs)?;
        let mut mean = vec![0f32; DIM];
        for v in &vecs {
            mean.iter_mut().zip(v).for_each(|(a, b)| *a += b);
        }
        normalize(&mut mean);
        let chunks = pieces
            .into_iter()
            .zip(vecs)
            .map(|((text, _), vector)| Chunk { text, vector })
            .collect();
        Ok(LongEmbedding { chunks, mean })
    }

    /// Runs token sequences (each within the window) through the model in length-sorted
    /// batches and returns their vectors in the given order.
    fn run(&self, seqs: &[Vec<u32>]) -> Result<Vec<Vector>, EmbedError> {
        let mut order: Vec<usize> = (0..seqs.len()).collect();
        order.sort_by_key(|&i| (seqs[i].len(), i));
        let mut out: Vec<Vector> = vec![Vec::new(); seqs.len()];
        for batch in plan_batches(&order, |i| seqs[i].len(), &self.config) {
            let refs: Vec<&[u32]> = batch.iter().map(|&i| seqs[i].as_slice()).collect();
            let vecs = self.model.embed_batch(&refs)?;
            for (&i, v) in batch.iter().zip(vecs) {
                out[i] = v;
            }
        }
        Ok(out)
    }
}

/// Cuts the length-sorted `order` into batches of at most `max_batch` sequences and
/// `max_batch_tokens` padded tokens. Since lengths ascend, the last sequence of a batch sets its
/// padded length, and neighbours differ little, so padding stays small.
fn plan_batches<'a>(
    order: &'a [usize],
    len: impl Fn(usize) -> usize,
    config: &EmbedConfig,
) -> Vec<&'a [usize]> {
    let mut out = Vec::new();
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len()
            && end - start < config.max_batch.max(1)
            && (end - start + 1) * len(order[end]) <= config.max_batch_tokens
        {
            end += 1;
        }
        out.push(&order[start..end]);
        start = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cosine_basics() {
        assert!((cosine(&[1.0, 0.0], &[1.0, 0.0]) - 1.0).abs() < 1e-6);
        assert!(cosine(&[1.0, 0.0], &[0.0, 1.0]).abs() < 1e-6);
        assert!((cosine(&[1.0, 0.0], &[-2.0, 0.0]) + 1.0).abs() < 1e-6);
        assert_eq!(cosine(&[0.0, 0.0], &[1.0, 0.0]), 0.0);
        assert_eq!(cosine(&[1.0], &[1.0, 0.0]), 0.0);
    }

    #[test]
    fn normalize_unit_and_zero() {
        let mut v = vec![3.0, 4.0];
        normalize(&mut v);
        assert!((v[0] - 0.6).abs() < 1e-6 && (v[1] - 0.8).abs() < 1e-6);
        let mut z = vec![0.0; 3];
        normalize(&mut z);
        assert_eq!(z, vec![0.0; 3]);
    }

    #[test]
    fn precision_parses() {
        assert_eq!("F32".parse::<Precision>().unwrap(), Precision::F32);
        assert_eq!("q8_0".parse::<Precision>().unwrap(), Precision::Q8_0);
        assert!("q4".parse::<Precision>().is_err());
    }

    #[test]
    fn batches_respect_limits_and_cover_everything() {
        let lens = [5usize, 7, 7, 9, 30, 31, 200, 250];
        let order: Vec<usize> = (0..lens.len()).collect();
        let cfg = EmbedConfig { max_batch: 3, max_batch_tokens: 300, ..EmbedConfig::default() };
        let batches = plan_batches(&order, |i| lens[i], &cfg);
        let flat: Vec<usize> = batches.iter().flat_map(|b| b.iter().copied()).collect();
        assert_eq!(flat, order);
        for b in &batches {
            assert!(b.len() <= 3);
            let padded = b.len() * b.iter().map(|&i| lens[i]).max().unwrap();
            assert!(padded <= 300 || b.len() == 1, "{b:?}");
        }
        assert!(plan_batches(&[], |i| lens[i], &cfg).is_empty());
    }
}
