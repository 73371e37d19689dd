#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""PyTorch's own post-training dynamic int8 quantisation of the same GPT
(tests/bench/pytorch_gpt.py's model, Debian's python3-torch), timed by the
protocol `lmwb bench infer` uses (engine/eval/infer_bench.h): inference
mode, a fixed thread count, 10 warm-up passes, then the median and p90 of
100 batch-1 passes over a full window, and batch-B throughput. Weights are
random (speed and size do not depend on them). Prints one JSON line for fp32
and one for int8.

  python3 tests/bench/pytorch_int8.py --width 256 --layers 4 --heads 4 --context 128 --vocab 107
"""
import argparse
import io
import json
import os
import statistics
import sys
import time

import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pytorch_gpt import Gpt  # noqa: E402


def timed(model, x, warmup, runs):
    for _ in range(warmup):
        model(x)
    ms = []
    for _ in range(runs):
        t = time.perf_counter()
        model(x)
        ms.append((time.perf_counter() - t) * 1000.0)
    return ms


def measure(name, model, args):
    buf = io.BytesIO()
    torch.save(model.state_dict(), buf)
    one = torch.randint(args.vocab, (1, args.context))
    many = one.expand(args.batch, args.context).contiguous()
    with torch.inference_mode():
        lat = sorted(timed(model, one, 10, 100))
        thr = timed(model, many, 3, 20)
    return {"framework": "pytorch " + torch.__version__, "variant": name, "engine": torch.backends.quantized.engine,
            "threads": torch.get_num_threads(), "file_bytes": buf.getbuffer().nbytes,
            "latency_ms_p50": statistics.median(lat), "latency_ms_p90": lat[int(0.9 * (len(lat) - 1))],
            "tokens_per_s": args.batch * args.context / (statistics.median(thr) / 1000.0), "batch": args.batch}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--width", type=int, default=256)
    ap.add_argument("--layers", type=int, default=4)
    ap.add_argument("--heads", type=int, default=4)
    ap.add_argument("--context", type=int, default=128)
    ap.add_argument("--vocab", type=int, default=107)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    engines = torch.backends.quantized.supported_engines
    torch.backends.quantized.engine = next(e for e in ("fbgemm", "onednn", "qnnpack") if e in engines)
    torch.manual_seed(1)
    model = Gpt(args.vocab, width=args.width, heads=args.heads, layers=args.layers, context=args.context).eval()
    print(json.dumps(measure("fp32", model, args)))
    qconfig = torch.ao.quantization.per_channel_dynamic_qconfig
    int8 = torch.ao.quantization.quantize_dynamic(model, {nn.Linear: qconfig}, dtype=torch.qint8)
    print(json.dumps(measure("int8", int8, args)))


if __name__ == "__main__":
    main()
