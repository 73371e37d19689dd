#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The tiny-gpt of LM Workbench written in plain PyTorch (Debian's
python3-torch), trained the way `lmwb bench train` trains it: the same
architecture and initialisation (engine/models/gpt.cpp), the same fixed batch
of random tokens, AdamW, gradient clipping at 1.0, 3 warm-up steps, then
timed steps. Prints one JSON line with training and inference tokens/s.

  python3 tests/bench/pytorch_gpt.py --batch 16 --steps 30 --threads 2
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
    args = ap.parse_args()
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
