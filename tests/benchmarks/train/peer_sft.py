#!/usr/bin/python3
"""The Python peer of Astro's SFT trainer: PyTorch eager (Debian python3-torch) training the same
model, from the same weights, on the exact packed batches bench_sft --prepare wrote: block-diagonal
causal attention inside each packed sequence, summed token cross-entropy over response targets
divided by the step's trained tokens, gradient accumulation, clip_grad_norm_, AdamW.

  peer_sft.py --work DIR --out FILE.json
"""
import argparse
import json
import os
import statistics
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "model"))
from peer_llama import load_model  # noqa: E402  (the model peer of bench_model)

WARMUP_STEPS = 2
IGNORE = -100


def packed_forward(model, ids, positions, sequences):
    """Logits [rows, columns, vocab] of packed rows, attention kept inside each sequence."""
    rows, columns = ids.shape
    x = model.model.embed_tokens(ids)
    angles = positions.float()[..., None] * model.inv_freq  # [rows, columns, head_dim / 2]
    emb = torch.cat((angles, angles), dim=-1)
    cos, sin = emb.cos()[:, None], emb.sin()[:, None]  # [rows, 1, columns, head_dim]
    causal = torch.ones(columns, columns, dtype=torch.bool).tril()
    allowed = (sequences[:, :, None] == sequences[:, None, :]) & causal  # [rows, columns, columns]
    mask = torch.zeros(rows, 1, columns, columns).masked_fill(
        ~allowed[:, None], torch.finfo(torch.float32).min)
    for layer in model.model.layers:
        x, _ = layer(x, cos, sin, mask, None)
    x = model.model.norm(x)
    weight = model.model.embed_tokens.weight if model.tied else model.lm_head.weight
    return F.linear(x, weight)


def train_config(folder):
    with open(os.path.join(folder, "batches.json")) as f:
        manifest = json.load(f)
    data = np.fromfile(os.path.join(folder, "batches.i32"), dtype=np.int32)
    model = load_model(os.path.join(folder, "init"))
    model.train()
    optimizer = torch.optim.AdamW(model.parameters(), lr=manifest["learning_rate"],
                                  betas=tuple(manifest["betas"]), eps=manifest["epsilon"],
                                  weight_decay=manifest["weight_decay"])
    vocab = model.cfg["vocab_size"]
    rates, first_loss = [], None
    for step, micro_batches in enumerate(manifest["steps"]):
        tensors = []
        for micro in micro_batches:
            size = micro["rows"] * micro["columns"]
            parts = data[micro["offset"]:micro["offset"] + 4 * size].reshape(
                4, micro["rows"], micro["columns"])
            tensors.append([torch.from_numpy(p.astype(np.int64)) for p in parts])
        trained = sum(int((t[3] != IGNORE).sum()) for t in tensors)
        started = time.perf_counter()
        optimizer.zero_grad()
        loss_sum, tokens = 0.0, 0
        for ids, positions, sequences, targets in tensors:
            logits = packed_forward(model, ids, positions, sequences)
            loss = F.cross_entropy(logits.reshape(-1, vocab), targets.reshape(-1),
                                   ignore_index=IGNORE, reduction="sum") / max(1, trained)
            loss.backward()
            loss_sum += loss.item()
            tokens += ids.numel()
        torch.nn.utils.clip_grad_norm_(model.parameters(), manifest["gradient_clip"])
        optimizer.step()
        seconds = time.perf_counter() - started
        if step == 0:
            first_loss = loss_sum
        if step >= WARMUP_STEPS:
            rates.append(tokens / seconds)
    return statistics.median(rates), first_loss


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    torch.set_num_threads(int(os.environ.get("ASTRO_THREADS", os.cpu_count())))
    results = {"threads": torch.get_num_threads(), "torch": torch.__version__}
    for config in ("tiny", "small"):
        rate, first_loss = train_config(os.path.join(args.work, config))
        results[f"{config}.tokens_per_s"] = rate
        results[f"{config}.first_loss"] = first_loss
    with open(args.out, "w") as f:
        json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
