#!/usr/bin/python3
"""The Python peer of Astro's model engine: the Llama/Qwen3 forward as transformers' eager
modeling_llama.py computes it, in plain PyTorch (no transformers), reading and writing
safetensors with a tiny reader of its own.

  peer_llama.py golden --out DIR [--arch llama|qwen3]   tiny random checkpoint + expected logits
  peer_llama.py bench --checkpoints DIR --out FILE.json  speed figures for bench_model's table
"""
import argparse
import json
import math
import os
import struct
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

# ---------------------------------------------------------------------------------------------
# safetensors

_NP_TYPES = {"F32": np.float32, "F16": np.float16, "F64": np.float64}


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (header_len,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + header_len])
    base = 8 + header_len
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        begin, end = info["data_offsets"]
        raw = data[base + begin:base + end]
        if info["dtype"] == "BF16":
            bits = np.frombuffer(raw, dtype=np.uint16).astype(np.uint32) << 16
            array = bits.view(np.float32)
        else:
            array = np.frombuffer(raw, dtype=_NP_TYPES[info["dtype"]]).astype(np.float32)
        tensors[name] = torch.from_numpy(array.copy()).reshape(info["shape"])
    return tensors


def write_safetensors_bf16(path, tensors):
    """Writes float32 arrays rounded to BF16 (round to nearest even); returns the rounded ones."""
    header, blobs, offset, rounded = {}, [], 0, {}
    for name, array in tensors.items():
        bits = array.astype(np.float32).view(np.uint32)
        bits16 = ((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16).astype(np.uint16)
        blob = bits16.tobytes()
        header[name] = {"dtype": "BF16", "shape": list(array.shape),
                        "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
        rounded[name] = (bits16.astype(np.uint32) << 16).view(np.float32).reshape(array.shape)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))
    return rounded


# ---------------------------------------------------------------------------------------------
# The model (transformers' LlamaForCausalLM / Qwen3ForCausalLM, eager attention)

def rope_inverse_frequencies(cfg):
    dim = cfg.get("head_dim") or cfg["hidden_size"] // cfg["num_attention_heads"]
    inv = 1.0 / (cfg.get("rope_theta", 10000.0) **
                 (torch.arange(0, dim, 2, dtype=torch.float64) / dim))
    scaling = cfg.get("rope_scaling") or {}
    kind = scaling.get("rope_type", scaling.get("type", "default"))
    if kind == "linear":
        inv = inv / scaling["factor"]
    elif kind == "llama3":
        factor, low, high = scaling["factor"], scaling["low_freq_factor"], scaling["high_freq_factor"]
        old = scaling["original_max_position_embeddings"]
        low_wavelen, high_wavelen = old / low, old / high
        wavelen = 2 * math.pi / inv
        scaled = torch.where(wavelen > low_wavelen, inv / factor, inv)
        smooth = (old / wavelen - low) / (high - low)
        smoothed = (1 - smooth) * scaled / factor + smooth * scaled
        medium = ~(wavelen < high_wavelen) * ~(wavelen > low_wavelen)
        inv = torch.where(medium, smoothed, scaled)
    return inv.float()


class RMSNorm(torch.nn.Module):
    def __init__(self, size, eps):
        super().__init__()
        self.weight = torch.nn.Parameter(torch.ones(size))
        self.eps = eps

    def forward(self, x):
        dtype = x.dtype
        x = x.float()
        x = x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps)
        return self.weight * x.to(dtype)


def rotate_half(x):
    x1, x2 = x.chunk(2, dim=-1)
    return torch.cat((-x2, x1), dim=-1)


class Attention(torch.nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.heads = cfg["num_attention_heads"]
        self.kv_heads = cfg.get("num_key_value_heads", self.heads)
        self.head_dim = cfg.get("head_dim") or cfg["hidden_size"] // self.heads
        h, bias = cfg["hidden_size"], cfg.get("attention_bias", False)
        qwen3 = cfg["architectures"][0] == "Qwen3ForCausalLM"
        self.q_proj = torch.nn.Linear(h, self.heads * self.head_dim, bias=bias)
        self.k_proj = torch.nn.Linear(h, self.kv_heads * self.head_dim, bias=bias)
        self.v_proj = torch.nn.Linear(h, self.kv_heads * self.head_dim, bias=bias)
        self.o_proj = torch.nn.Linear(self.heads * self.head_dim, h, bias=bias)
        if qwen3:
            self.q_norm = RMSNorm(self.head_dim, cfg["rms_norm_eps"])
            self.k_norm = RMSNorm(self.head_dim, cfg["rms_norm_eps"])
        self.qwen3 = qwen3

    def forward(self, x, cos, sin, mask, past):
        b, t, _ = x.shape
        q = self.q_proj(x).view(b, t, self.heads, self.head_dim)
        k = self.k_proj(x).view(b, t, self.kv_heads, self.head_dim)
        v = self.v_proj(x).view(b, t, self.kv_heads, self.head_dim).transpose(1, 2)
        if self.qwen3:
            q, k = self.q_norm(q), self.k_norm(k)
        q, k = q.transpose(1, 2), k.transpose(1, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        if past is not None:  # transformers' DynamicCache: concatenate
            k = torch.cat([past[0], k], dim=2)
            v = torch.cat([past[1], v], dim=2)
        present = (k, v)
        groups = self.heads // self.kv_heads
        if groups > 1:  # repeat_kv
            s = k.shape[2]
            k = k[:, :, None].expand(b, self.kv_heads, groups, s, self.head_dim).reshape(
                b, self.heads, s, self.head_dim)
            v = v[:, :, None].expand(b, self.kv_heads, groups, s, self.head_dim).reshape(
                b, self.heads, s, self.head_dim)
        scores = torch.matmul(q, k.transpose(2, 3)) / math.sqrt(self.head_dim)
        if mask is not None:
            scores = scores + mask
        probs = torch.softmax(scores, dim=-1, dtype=torch.float32).to(q.dtype)
        out = torch.matmul(probs, v).transpose(1, 2).reshape(b, t, -1)
        return self.o_proj(out), present


class Mlp(torch.nn.Module):
    def __init__(self, cfg):
        super().__init__()
        h, i, bias = cfg["hidden_size"], cfg["intermediate_size"], cfg.get("mlp_bias", False)
        self.gate_proj = torch.nn.Linear(h, i, bias=bias)
        self.up_proj = torch.nn.Linear(h, i, bias=bias)
        self.down_proj = torch.nn.Linear(i, h, bias=bias)

    def forward(self, x):
        return self.down_proj(F.silu(self.gate_proj(x)) * self.up_proj(x))


class Layer(torch.nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.self_attn = Attention(cfg)
        self.mlp = Mlp(cfg)
        self.input_layernorm = RMSNorm(cfg["hidden_size"], cfg["rms_norm_eps"])
        self.post_attention_layernorm = RMSNorm(cfg["hidden_size"], cfg["rms_norm_eps"])

    def forward(self, x, cos, sin, mask, past):
        attn, present = self.self_attn(self.input_layernorm(x), cos, sin, mask, past)
        x = x + attn
        return x + self.mlp(self.post_attention_layernorm(x)), present


class Backbone(torch.nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.embed_tokens = torch.nn.Embedding(cfg["vocab_size"], cfg["hidden_size"])
        self.layers = torch.nn.ModuleList([Layer(cfg) for _ in range(cfg["num_hidden_layers"])])
        self.norm = RMSNorm(cfg["hidden_size"], cfg["rms_norm_eps"])


class CausalLM(torch.nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        self.model = Backbone(cfg)
        self.tied = cfg.get("tie_word_embeddings", False)
        if not self.tied:
            self.lm_head = torch.nn.Linear(cfg["hidden_size"], cfg["vocab_size"], bias=False)
        self.register_buffer("inv_freq", rope_inverse_frequencies(cfg), persistent=False)

    def forward(self, ids, past=None, last_only=False):
        b, t = ids.shape
        start = 0 if past is None else past[0][0].shape[2]
        x = self.model.embed_tokens(ids)
        positions = torch.arange(start, start + t).float()
        angles = positions[:, None] * self.inv_freq[None, :]
        emb = torch.cat((angles, angles), dim=-1)
        cos, sin = emb.cos().to(x.dtype)[None, None], emb.sin().to(x.dtype)[None, None]
        mask = None
        if t > 1:
            mask = torch.full((t, start + t), torch.finfo(torch.float32).min).triu(start + 1)
            mask = mask[None, None]
        presents = []
        for i, layer in enumerate(self.model.layers):
            x, present = layer(x, cos, sin, mask, None if past is None else past[i])
            presents.append(present)
        if last_only:
            x = x[:, -1:]
        x = self.model.norm(x)
        weight = self.model.embed_tokens.weight if self.tied else self.lm_head.weight
        return F.linear(x, weight).float(), presents


def load_model(folder, dtype=torch.float32):
    with open(os.path.join(folder, "config.json")) as f:
        cfg = json.load(f)
    model = CausalLM(cfg)
    state = read_safetensors(os.path.join(folder, "model.safetensors"))
    model.load_state_dict(state, strict=True)
    return model.to(dtype).eval()


# ---------------------------------------------------------------------------------------------
# golden fixture

def golden(out, arch):
    cfg = {
        "architectures": ["LlamaForCausalLM" if arch == "llama" else "Qwen3ForCausalLM"],
        "vocab_size": 32, "hidden_size": 16, "intermediate_size": 24, "num_hidden_layers": 2,
        "num_attention_heads": 4, "num_key_value_heads": 2, "head_dim": 8,
        "hidden_act": "silu", "max_position_embeddings": 64, "rms_norm_eps": 1e-5,
        "rope_theta": 10000.0, "tie_word_embeddings": arch != "llama",
        "attention_bias": arch != "llama", "torch_dtype": "bfloat16",
    }
    if arch == "llama":
        cfg["rope_scaling"] = {"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0,
                               "high_freq_factor": 4.0, "original_max_position_embeddings": 16}
    else:
        cfg["rope_theta"] = 1000.0
    model = CausalLM(cfg)
    rng = np.random.default_rng(20250717)
    weights = {}
    for name, parameter in model.state_dict().items():
        shape = tuple(parameter.shape)
        if name.endswith("norm.weight"):
            weights[name] = (1.0 + 0.3 * rng.standard_normal(shape)).astype(np.float32)
        else:
            weights[name] = (0.3 * rng.standard_normal(shape)).astype(np.float32)
    os.makedirs(out, exist_ok=True)
    rounded = write_safetensors_bf16(os.path.join(out, "model.safetensors"), weights)
    with open(os.path.join(out, "config.json"), "w") as f:
        json.dump(cfg, f, indent=2)
    model.load_state_dict({k: torch.from_numpy(v.copy()) for k, v in rounded.items()})
    model = model.double().eval()
    ids = [1, 5, 9, 31, 0, 17, 17, 3, 28, 12, 7, 30, 2, 19, 25, 11, 4, 22, 8, 16]
    with torch.no_grad():
        logits, _ = model(torch.tensor([ids]))
    with open(os.path.join(out, "expected_logits.json"), "w") as f:
        json.dump({"ids": ids, "logits": [[round(v, 9) for v in row]
                                          for row in logits[0].double().tolist()]}, f)


# ---------------------------------------------------------------------------------------------
# speed

def median_seconds(run, repeats):
    run()  # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return sorted(times)[len(times) // 2]


def token_ids(batch, length, vocab, salt=0):
    return torch.tensor([[(7 * (i + 13 * row) + 3 + salt) % vocab for i in range(length)]
                         for row in range(batch)], dtype=torch.long)


def greedy_decode(model, prompt, steps):
    logits, past = model(prompt, None, last_only=True)
    for _ in range(steps):
        next_ids = logits[:, -1].argmax(-1, keepdim=True)
        logits, past = model(next_ids, past, last_only=True)


def bench(checkpoints, out):
    with open(os.path.join(checkpoints, "protocol.json")) as f:
        protocol = json.load(f)
    # The thread count bench_model uses (initTorchRuntime): $ASTRO_THREADS, else one per core.
    torch.set_num_threads(int(os.environ.get("ASTRO_THREADS") or 0) or os.cpu_count())
    results = {}
    for size, spec in protocol["configs"].items():
        model = load_model(os.path.join(checkpoints, size))
        vocab = model.cfg["vocab_size"]
        repeats = spec["repeats"]
        with torch.inference_mode():
            prompt = token_ids(1, spec["prefill_tokens"], vocab)
            seconds = median_seconds(lambda: model(prompt, None, last_only=True), repeats)
            results[f"{size}.prefill_tokens_per_s"] = spec["prefill_tokens"] / seconds
            for batch in (1, 16):
                prompt = token_ids(batch, spec["decode_prompt"], vocab)
                steps = spec["decode_steps"]
                seconds = median_seconds(lambda: greedy_decode(model, prompt, steps - 1), repeats)
                results[f"{size}.decode_b{batch}_tokens_per_s"] = batch * steps / seconds
        train = token_ids(spec["train_batch"], spec["train_tokens"], vocab, salt=1)
        model.train()
        optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4, weight_decay=0.0)

        def step():
            logits, _ = model(train)
            loss = F.cross_entropy(logits[:, :-1].reshape(-1, vocab), train[:, 1:].reshape(-1))
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()

        seconds = median_seconds(step, repeats)
        results[f"{size}.train_tokens_per_s"] = spec["train_batch"] * spec["train_tokens"] / seconds
        print(f"peer: {size} done", file=sys.stderr)
    with open(out, "w") as f:
        json.dump(results, f, indent=1)


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    g = sub.add_parser("golden")
    g.add_argument("--out", required=True)
    g.add_argument("--arch", choices=["llama", "qwen3"], default="llama")
    b = sub.add_parser("bench")
    b.add_argument("--checkpoints", required=True)
    b.add_argument("--out", required=True)
    args = parser.parse_args()
    if args.command == "golden":
        golden(args.out, args.arch)
    else:
        bench(args.checkpoints, args.out)


if __name__ == "__main__":
    main()
