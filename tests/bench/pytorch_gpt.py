#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The tiny-gpt of LM Workbench written in plain PyTorch (Debian's
python3-torch), trained the way `lmwb bench train` trains it: the same
architecture and initialisation (engine/models/gpt.cpp), the same fixed batch
of random tokens, AdamW, gradient clipping at 1.0, 3 warm-up steps, then
timed steps. Prints one JSON line with training and inference tokens/s.

  python3 tests/bench/pytorch_gpt.py --batch 16 --steps 30 --threads 2

With --train-tokens and --val-tokens (LM Workbench token caches of one
corpus) it trains the way `lmwb train` does instead: the same windows in the
same order (the trainer's std::mt19937_64 sampler, reimplemented below), the
same warm-up and cosine schedule, AdamW with weight decay on the blocks'
weight matrices only, clipping, and the validation loss over the whole split
in windows of the context, as the trainer's final evaluation. Both seed
LibTorch's generator the same way and build the modules in the same order,
so both start from the same weights (tests/bench/pytorch_twin_train.sh).
"""
import argparse
import json
import math
import os
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class Attention(nn.Module):
    def __init__(self, width, heads, context):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(width, 3 * width)
        self.proj = nn.Linear(width, width)
        self.register_buffer("mask", torch.ones(context, context).tril().bool())

    def forward(self, x):
        B, T, C = x.shape
        hd = C // self.heads
        q, k, v = self.qkv(x).split(C, dim=2)
        q = q.view(B, T, self.heads, hd).transpose(1, 2)  # (B, H, T, hd)
        k = k.view(B, T, self.heads, hd).transpose(1, 2)
        v = v.view(B, T, self.heads, hd).transpose(1, 2)
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(hd))  # (B, H, T, T)
        att = att.masked_fill(~self.mask[:T, :T], float("-inf"))
        y = torch.softmax(att, -1) @ v  # (B, H, T, hd)
        return self.proj(y.transpose(1, 2).contiguous().view(B, T, C))


class Block(nn.Module):
    def __init__(self, width, heads, context):
        super().__init__()
        self.ln1 = nn.LayerNorm(width)
        self.attn = Attention(width, heads, context)
        self.ln2 = nn.LayerNorm(width)
        self.fc = nn.Linear(width, 4 * width)
        self.fc_proj = nn.Linear(4 * width, width)

    def forward(self, x):
        x = x + self.attn(self.ln1(x))
        return x + self.fc_proj(F.gelu(self.fc(self.ln2(x)), approximate="tanh"))


class Gpt(nn.Module):
    def __init__(self, vocab, width=128, heads=4, layers=4, context=128):
        super().__init__()
        self.wte = nn.Embedding(vocab, width)
        self.wpe = nn.Embedding(context, width)
        self.blocks = nn.ModuleList([Block(width, heads, context) for _ in range(layers)])
        self.ln_f = nn.LayerNorm(width)
        resid = 0.02 / math.sqrt(2 * layers)
        with torch.no_grad():
            for name, p in self.named_parameters():
                if name.endswith(".bias"):
                    p.zero_()
                elif "ln" in name:
                    p.fill_(1.0)
                elif name.endswith("attn.proj.weight") or name.endswith("fc_proj.weight"):
                    p.normal_(0.0, resid)
                else:
                    p.normal_(0.0, 0.02)

    def forward(self, idx):
        T = idx.shape[1]
        x = self.wte(idx) + self.wpe(torch.arange(T))
        for b in self.blocks:
            x = b(x)
        return self.ln_f(x) @ self.wte.weight.t()  # tied output, (B, T, V)


class Mt19937_64:
    """std::mt19937_64 (C++ [rand.predef]): the trainer's batch sampler."""
    MASK = (1 << 64) - 1

    def __init__(self, seed):
        self.mt = [0] * 312
        self.mt[0] = seed & self.MASK
        for i in range(1, 312):
            self.mt[i] = (6364136223846793005 * (self.mt[i - 1] ^ (self.mt[i - 1] >> 62)) + i) & self.MASK
        self.i = 312

    def __call__(self):
        mt = self.mt
        if self.i >= 312:
            for k in range(312):
                y = (mt[k] & 0xFFFFFFFF80000000) | (mt[(k + 1) % 312] & 0x7FFFFFFF)
                mt[k] = mt[(k + 156) % 312] ^ (y >> 1) ^ (0xB5026F5AA96619E9 if y & 1 else 0)
            self.i = 0
        x = mt[self.i]
        self.i += 1
        x ^= (x >> 29) & 0x5555555555555555
        x ^= (x << 17) & 0x71D67FFFEDA60000
        x ^= (x << 37) & 0xFFF7EEE000000000
        x ^= x >> 43
        return x & self.MASK


def read_tokens(path):
    """A token cache (engine/data/token_cache.h): 16-byte header, then ids."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"LMWBTOK1" or data[8] not in (2, 4):
        raise SystemExit(f"{path}: not an LM Workbench token cache")
    ids = torch.frombuffer(bytearray(data[16:]), dtype=torch.int16 if data[8] == 2 else torch.int32)
    return ids.to(torch.int64) & 0xFFFF if data[8] == 2 else ids.to(torch.int64)


def warmup_cosine(step, warmup, total, peak, floor):
    """engine/train/schedule.cpp, warmupCosine (nanoGPT's get_lr)."""
    if warmup > 0 and step < warmup:
        return peak * (step + 1) / warmup
    if step >= total:
        return floor
    progress = min(max((step - warmup) / max(1, total - warmup), 0.0), 1.0)
    return floor + 0.5 * (1.0 + math.cos(math.pi * progress)) * (peak - floor)


def validation_loss(model, val, context, batch):
    """The trainer's final evaluation (engine/eval/lm_eval.cpp, evaluateLm):
    windows at stride `context` over the whole split, the last one shorter."""
    model.eval()
    n = val.numel()
    starts = list(range(0, n - 1, context))
    nll, count = 0.0, 0
    with torch.no_grad():
        i = 0
        while i < len(starts):
            length = min(context, n - 1 - starts[i])
            j = i
            while j < len(starts) and j < i + batch and min(context, n - 1 - starts[j]) == length:
                j += 1
            w = torch.stack([val[s:s + length + 1] for s in starts[i:j]])
            logits = model(w[:, :-1])
            nll += F.cross_entropy(logits.reshape(-1, logits.shape[-1]), w[:, 1:].reshape(-1), reduction="sum").item()
            count += (j - i) * length
            i = j
    model.train()
    return nll / count


def train_corpus(args):
    train, val = read_tokens(args.train_tokens), read_tokens(args.val_tokens)
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    model = Gpt(args.vocab, width=args.width, heads=args.heads, layers=args.layers, context=args.context)
    decay = [p for n, p in model.named_parameters() if p.dim() == 2 and n.startswith("blocks.")]
    rest = [p for n, p in model.named_parameters() if not (p.dim() == 2 and n.startswith("blocks."))]
    groups = [{"params": decay, "weight_decay": args.weight_decay}, {"params": rest, "weight_decay": 0.0}]
    opt = torch.optim.AdamW(groups, lr=args.lr, betas=(args.beta1, args.beta2))
    rng = Mt19937_64(args.seed)
    T, B, n = args.context, args.batch, train.numel()
    first_loss, losses, secs = None, [], 0.0
    for step in range(args.steps):
        t = time.perf_counter()
        lr = warmup_cosine(step, args.warmup, args.steps, args.lr, args.min_lr)
        for g in opt.param_groups:
            g["lr"] = lr
        w = torch.stack([train[s:s + T + 1] for s in (rng() % (n - T) for _ in range(B))])
        logits = model(w[:, :-1])
        loss = F.cross_entropy(logits.reshape(-1, args.vocab), w[:, 1:].reshape(-1))
        opt.zero_grad()
        loss.backward()
        if args.clip > 0:
            torch.nn.utils.clip_grad_norm_(model.parameters(), args.clip)
        opt.step()
        value = loss.item()
        secs += time.perf_counter() - t
        first_loss = value if first_loss is None else first_loss
        losses.append(value)
    t = time.perf_counter()
    val_loss = validation_loss(model, val, T, B)
    eval_secs = time.perf_counter() - t
    print(json.dumps({"framework": "pytorch " + torch.__version__, "params": sum(p.numel() for p in model.parameters()),
                      "steps": args.steps, "batch": B, "context": T, "threads": torch.get_num_threads(),
                      "openblas_threads": os.environ.get("OPENBLAS_NUM_THREADS", "default"),
                      "first_loss": first_loss, "last_train_loss": losses[-1], "val_loss": val_loss,
                      "train_seconds": secs, "eval_seconds": eval_secs, "tokens_per_s": B * T * args.steps / secs}))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--vocab", type=int, default=96)
    ap.add_argument("--context", type=int, default=128)
    ap.add_argument("--width", type=int, default=128)
    ap.add_argument("--layers", type=int, default=4)
    ap.add_argument("--heads", type=int, default=4)
    ap.add_argument("--train-tokens", help="token cache of the training split: train as lmwb train does")
    ap.add_argument("--val-tokens", help="token cache of the validation split")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--min-lr", type=float, default=1e-4)
    ap.add_argument("--warmup", type=int, default=0)
    ap.add_argument("--weight-decay", type=float, default=0.1)
    ap.add_argument("--beta1", type=float, default=0.9)
    ap.add_argument("--beta2", type=float, default=0.95)
    ap.add_argument("--clip", type=float, default=1.0)
    args = ap.parse_args()
    if args.train_tokens:
        return train_corpus(args)
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    model = Gpt(args.vocab, width=args.width, heads=args.heads, layers=args.layers, context=args.context)
    params = sum(p.numel() for p in model.parameters())
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    data = torch.randint(args.vocab, (args.batch, args.context + 1))
    x, y = data[:, :-1], data[:, 1:]

    def step():
        logits = model(x)
        loss = F.cross_entropy(logits.reshape(-1, args.vocab), y.reshape(-1))
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        return loss.item()

    for _ in range(3):
        step()
    t = time.perf_counter()
    for _ in range(args.steps):
        step()
    secs = time.perf_counter() - t
    model.eval()
    with torch.no_grad():
        model(x)
        t2, passes = time.perf_counter(), 0
        while time.perf_counter() - t2 < 1.0 or passes < 3:
            model(x)
            passes += 1
        infer = args.batch * args.context * passes / (time.perf_counter() - t2)
    print(json.dumps({"framework": "pytorch " + torch.__version__, "params": params, "batch": args.batch,
                      "context": args.context, "threads": torch.get_num_threads(),
                      "openblas_threads": os.environ.get("OPENBLAS_NUM_THREADS", "default"),
                      "tokens_per_s": args.batch * args.context * args.steps / secs,
                      "inference_tokens_per_s": infer}))


if __name__ == "__main__":
    main()
