#!/usr/bin/env python3
"""Writes SIZE_MB of English-like text for import benchmarks: documents of
random length (20 to 3000 characters) drawn from the words of Debian's
fortunes, separated by blank lines, every document unique (a numbered
first line). Deterministic for a seed.
    usage: make_text.py OUT SIZE_MB [SEED]
"""
import random
import re
import sys
from pathlib import Path

out, size_mb = sys.argv[1], int(sys.argv[2])
rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 1)
words = []
for f in sorted(Path("/usr/share/games/fortunes").glob("*")):
    if f.suffix in (".dat", ".u8") or not f.is_file():
        continue
    words += re.findall(r"[A-Za-z']+|[.,;:!?]", f.read_text(encoding="utf-8", errors="ignore"))
target = size_mb * 1_000_000
written = 0
n = 0
with open(out, "w", encoding="utf-8") as fh:
    while written < target:
        n += 1
        length = int(rng.lognormvariate(5.5, 1.0)) + 20
        start = rng.randrange(len(words) - 800)
        body = " ".join(words[start:start + max(4, length // 5)])
        lines = [f"Document {n}."] + [body[i:i + 72] for i in range(0, len(body), 72)]
        doc = "\n".join(lines) + "\n\n"
        fh.write(doc)
        written += len(doc.encode("utf-8"))
print(f"{out}: {written} bytes, {n} documents", file=sys.stderr)
