#!/usr/bin/env bash
# Generation with the cache (KV cache, carried LSTM state, sliding windows)
# against re-running the whole window for every token (`--no-cache`), for
# one model of every family plus a width-256 GPT: 500 new tokens, batch 1,
# greedy (temperature 0, so both produce the same tokens), one thread.
# Each model is trained for a few steps on Debian's fortunes first (the
# speed does not depend on what the weights learned). Prints a Markdown
# table for docs/benchmarks.md.
#   usage: tests/bench/generate_cache.sh [BUILD_DIR] [TOKENS=500] [WORK_DIR]
set -euo pipefail
build=${1:-build}
tokens=${2:-500}
work=${3:-$(mktemp -d)}
lmwb="$(cd "$build" && pwd)/app/lmwb"
cat="$work/gen.sqlite"
rm -rf "$cat" "$work/gen-artifacts"
"$lmwb" --catalog "$cat" corpus system fortunes > /dev/null 2>&1
gpt256='{"family":"transformer","layers":6,"heads":4,"width":256,"context":128}'
echo "$gpt256" > "$work/gpt256.json"
echo "| model | params | context | prefill ms | tokens/s with the cache | tokens/s without (--no-cache) | ratio | identical to full-window sampling |"
echo "|---|---|---|---|---|---|---|---|"
for arch in tiny-gpt "$work/gpt256.json" fnn-tiny cbow-tiny cmow-tiny cmow-cbow-tiny cnn-bilstm-tiny lstm-tiny; do
  run=$("$lmwb" --catalog "$cat" --json train --corpus fortunes --arch "$arch" --steps 20 --threads 2 --sample-tokens 0 --eval-every 1000 2>/dev/null)
  id=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["run"])' "$run")
  common=(--catalog "$cat" --json generate "$id" --prompt "The meaning of life is" --max-tokens "$tokens" --temperature 0 --threads 1)
  with=$("$lmwb" "${common[@]}" 2>/dev/null)
  without=$("$lmwb" "${common[@]}" --no-cache 2>/dev/null)
  name=$arch; [ "$arch" = "$work/gpt256.json" ] && name="gpt width 256, 6 layers"
  ctx=$("$lmwb" --catalog "$cat" --json runs show "$id" | python3 -c 'import json,sys; print(json.load(sys.stdin)["config"]["spec"].get("context","-"))')
  python3 - "$run" "$with" "$without" "$name" "$ctx" <<'PY'
import json, sys
r, a, b = (json.loads(v) for v in sys.argv[1:4])
name, ctx = sys.argv[4], sys.argv[5]
ca, cb = a["decode_tokens_per_s"], b["decode_tokens_per_s"]
# Greedy, both condition on the last `context` tokens while the text fits;
# past it the cache restarts from the last half window (re-anchors: learned
# absolute positions cannot slide), the full-window sampler slides by one.
common = next((i for i, (p, q) in enumerate(zip(a["text"], b["text"])) if p != q), min(len(a["text"]), len(b["text"])))
same = "all" if a["text"] == b["text"] else f"first {common} characters ({a['reanchors']} re-anchors)"
print(f"| `{name}` | {r['params']:,} | {ctx} | {a['prefill_ms']:.1f} | {ca:,.0f} | {cb:,.0f} | {ca / cb:.1f}x | {same} |")
PY
done
