//! The BERT encoder of all-MiniLM-L6-v2.
//!
//! The matrix products of the linear layers run in candle (f32 through gemm, or q8_0 through
//! candle's quantized `QMatMul`); everything between them runs here as fused, multi-threaded
//! (rayon) passes over plain `f32` rows, because candle's CPU element-wise ops are
//! single-threaded and its batched attention matmul issues one small gemm per (sequence, head):
//! - bias + GELU in one pass (GELU with an erf accurate to ~5e-7, written so it vectorises);
//! - bias + residual + LayerNorm in one pass;
//! - attention per sequence over its real tokens only: padding never enters the scores, so no
//!   mask is needed, and padded rows are zeros;
//! - query, key and value come from one fused `[384 → 1152]` matmul, with the attention scale
//!   1/sqrt(head_dim) folded into the query weights and bias;
//! - token type ids are always 0, so the type embedding is folded into the position table.

use candle_core::quantized::{GgmlDType, QMatMul, QTensor};
use candle_core::{DType, Device, Module, Storage, Tensor};
use rayon::prelude::*;
use std::collections::HashMap;

use crate::Precision;

/// The hyper-parameters read from config.json that the forward pass depends on.
#[derive(Debug, Clone, serde::Deserialize)]
pub(crate) struct BertConfig {
    pub vocab_size: usize,
    pub hidden_size: usize,
    pub num_hidden_layers: usize,
    pub num_attention_heads: usize,
    pub intermediate_size: usize,
    pub max_position_embeddings: usize,
    pub layer_norm_eps: f64,
    #[serde(default = "default_act")]
    pub hidden_act: String,
}

fn default_act() -> String {
    "gelu".to_string()
}

/// Rows handed to one rayon task in the element-wise passes.
const ROWS_PER_TASK: usize = 16;

/// A dense layer's matrix product `x·Wᵀ` (its bias is applied by the fused pass after it).
enum MatMul {
    /// Weight stored transposed and contiguous, `[in, out]`.
    F32(Tensor),
    /// Weight quantized, `[out, in]` as QMatMul expects.
    Quant(QMatMul),
}

impl MatMul {
    fn new(w: &Tensor, precision: Precision) -> candle_core::Result<Self> {
        Ok(match precision {
            Precision::F32 => MatMul::F32(w.t()?.contiguous()?),
            Precision::Q8_0 => {
                MatMul::Quant(QMatMul::from_qtensor(QTensor::quantize(w, GgmlDType::Q8_0)?)?)
            }
        })
    }

    /// `x` is `[rows, in]`; returns `[rows, out]`.
    fn forward(&self, x: &Tensor) -> candle_core::Result<Tensor> {
        match self {
            MatMul::F32(w_t) => x.matmul(w_t),
            MatMul::Quant(w) => w.forward(x),
        }
    }
}

/// Calls `f` with the contiguous f32 data of a CPU tensor, without copying it.
fn with_data<R>(t: &Tensor, f: impl FnOnce(&[f32]) -> R) -> candle_core::Result<R> {
    let (storage, layout) = t.storage_and_layout();
    let Storage::Cpu(cpu) = &*storage else {
        candle_core::bail!("qoder-embed runs on the CPU only");
    };
    let data = cpu.as_slice::<f32>()?;
    match layout.contiguous_offsets() {
        Some((a, b)) => Ok(f(&data[a..b])),
        None => candle_core::bail!("expected a contiguous tensor"),
    }
}

fn tensor_data(t: &Tensor) -> candle_core::Result<Vec<f32>> {
    t.flatten_all()?.to_vec1::<f32>()
}

struct Norm {
    w: Vec<f32>,
    b: Vec<f32>,
}

struct Layer {
    qkv: MatMul,
    qkv_b: Vec<f32>,
    attn_out: MatMul,
    attn_out_b: Vec<f32>,
    attn_norm: Norm,
    up: MatMul,
    up_b: Vec<f32>,
    down: MatMul,
    down_b: Vec<f32>,
    out_norm: Norm,
}

pub(crate) struct Bert {
    /// `[vocab, hidden]` row-major.
    word: Vec<f32>,
    /// position embeddings + token-type-0 embedding, `[max_positions, hidden]`.
    pos_type: Vec<f32>,
    emb_norm: Norm,
    layers: Vec<Layer>,
    heads: usize,
    head_dim: usize,
    hidden: usize,
    inter: usize,
    eps: f32,
    vocab: usize,
    pub(crate) max_positions: usize,
}

/// Takes a named tensor out of the loaded map, with an error that names it.
fn take(map: &mut HashMap<String, Tensor>, name: &str, dims: &[usize]) -> Result<Tensor, String> {
    let t = map.remove(name).or_else(|| map.remove(&format!("bert.{name}")));
    let t = t.ok_or_else(|| format!("model.safetensors has no tensor {name:?}"))?;
    if t.dims() != dims {
        return Err(format!("tensor {name} has shape {:?}, expected {dims:?}", t.dims()));
    }
    t.to_dtype(DType::F32).map_err(|e| format!("tensor {name}: {e}"))
}

impl Bert {
    /// Builds the model from the tensors of model.safetensors. Errors are plain messages naming
    /// the tensor that is missing or misshapen.
    pub(crate) fn new(
        cfg: &BertConfig,
        mut map: HashMap<String, Tensor>,
        precision: Precision,
    ) -> Result<Self, String> {
        if cfg.hidden_act != "gelu" {
            return Err(format!("unsupported hidden_act {:?} (expected \"gelu\")", cfg.hidden_act));
        }
        let h = cfg.hidden_size;
        if cfg.num_attention_heads == 0 || !h.is_multiple_of(cfg.num_attention_heads) {
            return Err(format!(
                "hidden_size {h} is not a multiple of num_attention_heads {}",
                cfg.num_attention_heads
            ));
        }
        let head_dim = h / cfg.num_attention_heads;
        let ce = |e: candle_core::Error| e.to_string();
        let mut get = |name: &str, dims: &[usize]| take(&mut map, name, dims);
        let vec = |t: Tensor| tensor_data(&t).map_err(ce);

        let word = vec(get("embeddings.word_embeddings.weight", &[cfg.vocab_size, h])?)?;
        let pos = get("embeddings.position_embeddings.weight", &[cfg.max_position_embeddings, h])?;
        let types = get("embeddings.token_type_embeddings.weight", &[2, h])?;
        let type0 = types.narrow(0, 0, 1).map_err(ce)?;
        let pos_type = vec(pos.broadcast_add(&type0).map_err(ce)?)?;
        let emb_norm = Norm {
            w: vec(get("embeddings.LayerNorm.weight", &[h])?)?,
            b: vec(get("embeddings.LayerNorm.bias", &[h])?)?,
        };

        let scale = 1.0 / (head_dim as f64).sqrt();
        let i_sz = cfg.intermediate_size;
        let mut layers = Vec::with_capacity(cfg.num_hidden_layers);
        for i in 0..cfg.num_hidden_layers {
            let p = format!("encoder.layer.{i}");
            let mut g = |n: &str, dims: &[usize]| get(&format!("{p}.{n}"), dims);
            let qw = g("attention.self.query.weight", &[h, h])?.affine(scale, 0.0).map_err(ce)?;
            let qb = g("attention.self.query.bias", &[h])?.affine(scale, 0.0).map_err(ce)?;
            let kw = g("attention.self.key.weight", &[h, h])?;
            let kb = g("attention.self.key.bias", &[h])?;
            let vw = g("attention.self.value.weight", &[h, h])?;
            let vb = g("attention.self.value.bias", &[h])?;
            let qkv_w = Tensor::cat(&[&qw, &kw, &vw], 0).map_err(ce)?;
            let qkv_b = Tensor::cat(&[&qb, &kb, &vb], 0).map_err(ce)?;
            let ao_w = g("attention.output.dense.weight", &[h, h])?;
            let up_w = g("intermediate.dense.weight", &[i_sz, h])?;
            let down_w = g("output.dense.weight", &[h, i_sz])?;
            layers.push(Layer {
                qkv: MatMul::new(&qkv_w, precision).map_err(ce)?,
                qkv_b: vec(qkv_b)?,
                attn_out: MatMul::new(&ao_w, precision).map_err(ce)?,
                attn_out_b: vec(g("attention.output.dense.bias", &[h])?)?,
                attn_norm: Norm {
                    w: vec(g("attention.output.LayerNorm.weight", &[h])?)?,
                    b: vec(g("attention.output.LayerNorm.bias", &[h])?)?,
                },
                up: MatMul::new(&up_w, precision).map_err(ce)?,
                up_b: vec(g("intermediate.dense.bias", &[i_sz])?)?,
                down: MatMul::new(&down_w, precision).map_err(ce)?,
                down_b: vec(g("output.dense.bias", &[h])?)?,
                out_norm: Norm {
                    w: vec(g("output.LayerNorm.weight", &[h])?)?,
                    b: vec(g("output.LayerNorm.bias", &[h])?)?,
                },
            });
        }
        Ok(Bert {
            word,
            pos_type,
            emb_norm,
            layers,
            heads: cfg.num_attention_heads,
            head_dim,
            hidden: h,
            inter: i_sz,
            eps: cfg.layer_norm_eps as f32,
            vocab: cfg.vocab_size,
            max_positions: cfg.max_position_embeddings,
        })
    }

    /// Runs a batch of token-id sequences (each 1..=`max_positions` long) and returns one
    /// mean-pooled, L2-normalised vector per sequence. Sequences are right-padded to the longest
    /// in the batch; padding takes no part in attention or pooling.
    pub(crate) fn embed_batch(&self, seqs: &[&[u32]]) -> candle_core::Result<Vec<Vec<f32>>> {
        let b = seqs.len();
        if b == 0 {
            return Ok(Vec::new());
        }
        let t = seqs.iter().map(|s| s.len()).max().unwrap_or(0);
        if t == 0 || t > self.max_positions || seqs.iter().any(|s| s.is_empty()) {
            candle_core::bail!("sequence length outside 1..={}", self.max_positions);
        }
        if let Some(bad) = seqs.iter().flat_map(|s| s.iter()).find(|&&id| id as usize >= self.vocab)
        {
            candle_core::bail!("token id {bad} outside the vocabulary");
        }
        let (h, rows) = (self.hidden, b * t);
        let lens: Vec<usize> = seqs.iter().map(|s| s.len()).collect();

        // embeddings + LayerNorm; padded rows stay zero
        let mut x = vec![0f32; rows * h];
        x.par_chunks_mut(t * h).zip(seqs.par_iter()).for_each(|(xb, s)| {
            for (pos, (&id, row)) in s.iter().zip(xb.chunks_exact_mut(h)).enumerate() {
                let w = &self.word[id as usize * h..(id as usize + 1) * h];
                let p = &self.pos_type[pos * h..(pos + 1) * h];
                row.iter_mut().zip(w.iter().zip(p)).for_each(|(o, (a, c))| *o = a + c);
                layer_norm(row, &self.emb_norm, self.eps);
            }
        });

        let dev = Device::Cpu;
        let mut x = Tensor::from_vec(x, (rows, h), &dev)?;
        for layer in &self.layers {
            let qkv = layer.qkv.forward(&x)?;
            let ctx = with_data(&qkv, |s| self.attention(s, &layer.qkv_b, &lens, t))?;
            let ao = layer.attn_out.forward(&Tensor::from_vec(ctx, (rows, h), &dev)?)?;
            let x1 = with_data(&ao, |y| {
                with_data(&x, |r| add_norm(y, &layer.attn_out_b, r, &layer.attn_norm, h, self.eps))
            })??;
            let x1 = Tensor::from_vec(x1, (rows, h), &dev)?;
            let up = layer.up.forward(&x1)?;
            let g = with_data(&up, |u| bias_gelu(u, &layer.up_b, self.inter))?;
            let down = layer.down.forward(&Tensor::from_vec(g, (rows, self.inter), &dev)?)?;
            let out = with_data(&down, |y| {
                with_data(&x1, |r| add_norm(y, &layer.down_b, r, &layer.out_norm, h, self.eps))
            })??;
            x = Tensor::from_vec(out, (rows, h), &dev)?;
        }
        let x = with_data(&x, <[f32]>::to_vec)?;

        // mean pooling over each sequence's real tokens, then L2 normalisation
        Ok(x.chunks_exact(t * h)
            .zip(&lens)
            .map(|(xb, &len)| {
                let mut v = vec![0f32; h];
                for row in xb.chunks_exact(h).take(len) {
                    v.iter_mut().zip(row).for_each(|(a, b)| *a += b);
                }
                crate::normalize(&mut v);
                v
            })
            .collect())
    }

    /// Multi-head self-attention of each sequence over its own `len` tokens. `qkv` is
    /// `[b*t, 3*hidden]` without bias; returns the context `[b*t, hidden]` (zero on padding).
    fn attention(&self, qkv: &[f32], qkv_b: &[f32], lens: &[usize], t: usize) -> Vec<f32> {
        let (h, nh, hd) = (self.hidden, self.heads, self.head_dim);
        let w3 = 3 * h;
        let mut ctx = vec![0f32; lens.len() * t * h];
        ctx.par_chunks_mut(t * h).zip(lens.par_iter()).enumerate().for_each(|(bi, (cb, &len))| {
            let base = bi * t * w3;
            let mut q = vec![0f32; len * hd];
            let mut k = vec![0f32; len * hd];
            let mut v = vec![0f32; len * hd];
            let mut scores = vec![0f32; len];
            let mut acc = vec![0f32; hd];
            for head in 0..nh {
                for i in 0..len {
                    let row = &qkv[base + i * w3..base + (i + 1) * w3];
                    for (dst, off) in [(&mut q, 0), (&mut k, h), (&mut v, 2 * h)] {
                        let c0 = off + head * hd;
                        let d = &mut dst[i * hd..(i + 1) * hd];
                        d.iter_mut()
                            .zip(&row[c0..c0 + hd])
                            .zip(&qkv_b[c0..c0 + hd])
                            .for_each(|((o, a), bb)| *o = a + bb);
                    }
                }
                for i in 0..len {
                    let qi = &q[i * hd..(i + 1) * hd];
                    let mut max = f32::NEG_INFINITY;
                    for (j, s) in scores.iter_mut().enumerate() {
                        *s = dot(qi, &k[j * hd..(j + 1) * hd]);
                        max = max.max(*s);
                    }
                    scores.iter_mut().for_each(|s| *s -= max);
                    exp_in_place(&mut scores);
                    let inv = 1.0 / scores.iter().sum::<f32>();
                    acc.iter_mut().for_each(|a| *a = 0.0);
                    for (j, &p) in scores.iter().enumerate() {
                        acc.iter_mut()
                            .zip(&v[j * hd..(j + 1) * hd])
                            .for_each(|(a, vv)| *a += p * vv);
                    }
                    let out = &mut cb[i * h + head * hd..i * h + (head + 1) * hd];
                    out.iter_mut().zip(&acc).for_each(|(o, a)| *o = a * inv);
                }
            }
        });
        ctx
    }
}

fn dot(a: &[f32], b: &[f32]) -> f32 {
    // 8 independent accumulators so the loop vectorises without reassociation
    let mut acc = [0f32; 8];
    let (ac, ar) = a.split_at(a.len() / 8 * 8);
    let (bc, br) = b.split_at(ac.len());
    for (x, y) in ac.chunks_exact(8).zip(bc.chunks_exact(8)) {
        for l in 0..8 {
            acc[l] += x[l] * y[l];
        }
    }
    let mut s: f32 = acc.iter().sum();
    for (x, y) in ar.iter().zip(br) {
        s += x * y;
    }
    s
}

/// LayerNorm of one row in place.
fn layer_norm(row: &mut [f32], n: &Norm, eps: f32) {
    let len = row.len() as f32;
    let mean = row.iter().sum::<f32>() / len;
    let var = row.iter().map(|x| (x - mean) * (x - mean)).sum::<f32>() / len;
    let inv = 1.0 / (var + eps).sqrt();
    row.iter_mut().zip(n.w.iter().zip(&n.b)).for_each(|(x, (w, b))| *x = (*x - mean) * inv * w + b);
}

/// `LayerNorm(y + bias + residual)` row by row, into a new buffer.
fn add_norm(y: &[f32], bias: &[f32], residual: &[f32], n: &Norm, h: usize, eps: f32) -> Vec<f32> {
    let mut out = vec![0f32; y.len()];
    out.par_chunks_mut(h * ROWS_PER_TASK)
        .zip(y.par_chunks(h * ROWS_PER_TASK).zip(residual.par_chunks(h * ROWS_PER_TASK)))
        .for_each(|(oc, (yc, rc))| {
            for (row, (yr, res)) in
                oc.chunks_exact_mut(h).zip(yc.chunks_exact(h).zip(rc.chunks_exact(h)))
            {
                row.iter_mut()
                    .zip(yr.iter().zip(res.iter().zip(bias)))
                    .for_each(|(o, (a, (r, b)))| *o = a + r + b);
                layer_norm(row, n, eps);
            }
        });
    out
}

/// `GELU(y + bias)` row by row (`width` values per row), into a new buffer.
fn bias_gelu(y: &[f32], bias: &[f32], width: usize) -> Vec<f32> {
    let mut out = vec![0f32; y.len()];
    out.par_chunks_mut(width * ROWS_PER_TASK).zip(y.par_chunks(width * ROWS_PER_TASK)).for_each(
        |(oc, yc)| {
            for (row, yr) in oc.chunks_exact_mut(width).zip(yc.chunks_exact(width)) {
                row.iter_mut().zip(yr.iter().zip(bias)).for_each(|(o, (x, b))| *o = gelu(x + b));
            }
        },
    );
    out
}

/// GELU with the exact erf form, `x/2 · (1 + erf(x/√2))`.
#[inline(always)]
fn gelu(x: f32) -> f32 {
    0.5 * x * (1.0 + erf(x * std::f32::consts::FRAC_1_SQRT_2))
}

/// erf by Abramowitz & Stegun 7.1.26 (|error| ≤ 1.5e-7) with [`exp`] below; about 5e-7
/// overall. Branch-free so that loops over it vectorise.
#[inline(always)]
fn erf(x: f32) -> f32 {
    let a = x.abs().min(5.0);
    let t = 1.0 / (1.0 + 0.327_591_1 * a);
    let poly = ((((1.061_405_4 * t - 1.453_152) * t + 1.421_413_8) * t - 0.284_496_74) * t
        + 0.254_829_6)
        * t;
    let r = 1.0 - poly * exp(-a * a);
    r.copysign(x)
}

/// e^y for y ≤ 0 (clamped at -87), relative error ~2.5e-7: y = n·ln2 + r with n rounded by the
/// 1.5·2²³ trick, a degree-6 polynomial for e^r, 2ⁿ built from the exponent bits.
#[inline(always)]
fn exp(y: f32) -> f32 {
    const MAGIC: f32 = 12_582_912.0; // 1.5 * 2^23
    let y = y.clamp(-87.0, 0.0);
    let n = (y * std::f32::consts::LOG2_E + MAGIC) - MAGIC;
    let r = y - n * 0.693_145_75 - n * 1.428_606_8e-6;
    let p = ((((((1.0 / 720.0) * r + 1.0 / 120.0) * r + 1.0 / 24.0) * r + 1.0 / 6.0) * r + 0.5)
        * r
        + 1.0)
        * r
        + 1.0;
    let bits = ((n as i32 + 127) as u32) << 23;
    p * f32::from_bits(bits)
}

fn exp_in_place(v: &mut [f32]) {
    v.iter_mut().for_each(|x| *x = exp(*x));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_exp_and_erf_are_accurate() {
        let mut worst_exp = 0f64;
        let mut y = -87.0f32;
        while y <= 0.0 {
            let rel = (f64::from(exp(y)) / f64::from(y).exp() - 1.0).abs();
            worst_exp = worst_exp.max(rel);
            y += 0.001;
        }
        assert!(worst_exp < 1e-6, "exp relative error {worst_exp}");
        // erf: check against the odd Taylor series near 0 and known values further out
        let known = [
            (0.0f32, 0.0f64),
            (0.5, 0.520_499_877_813_046_5),
            (1.0, 0.842_700_792_949_714_9),
            (2.0, 0.995_322_265_018_952_7),
            (-1.5, -0.966_105_146_475_310_7),
            (3.0, 0.999_977_909_503_001_4),
            (10.0, 1.0),
        ];
        for (x, want) in known {
            let got = f64::from(erf(x));
            assert!((got - want).abs() < 1e-6, "erf({x}) = {got}, want {want}");
        }
        assert!((gelu(1.0) - 0.841_344_7).abs() < 1e-6);
        assert!(gelu(-10.0).abs() < 1e-6);
    }

    #[test]
    fn dot_handles_tails() {
        let a: Vec<f32> = (0..13).map(|i| i as f32).collect();
        let b = vec![1f32; 13];
        assert_eq!(dot(&a, &b), 78.0);
    }
}
