#!/usr/bin/env bash
# The equal-1m trade-off table (issue 4): for one model per family at about
# one million parameters, training and inference tokens/s (`lmwb bench
# train`, random tokens, batch 16, the spec's context), the memory estimate
# against the measured RSS growth, and the validation bits per character
# after the same wall-clock budget of training on Debian's fortunes.
#   usage: tests/bench/zoo_bench.sh [BUILD_DIR] [BUDGET_SECONDS] [WORK_DIR]
set -euo pipefail
build=${1:-build}
budget=${2:-60}
work=${3:-$(mktemp -d)}
lmwb="$(cd "$build" && pwd)/app/lmwb"
cat="$work/zoo.sqlite"
rm -rf "$cat" "$work/zoo-artifacts"
"$lmwb" --catalog "$cat" corpus system fortunes > /dev/null 2>&1
vocab=$("$lmwb" --catalog "$cat" --json corpus show fortunes | python3 -c 'import json,sys; print(json.load(sys.stdin)["vocab_size"])')
echo "| model | params | train tokens/s | inference tokens/s | memory estimate / measured | steps in ${budget} s | val bpc |"
echo "|---|---|---|---|---|---|---|"
for arch in transformer-1m fnn-1m cbow-1m cmow-1m cmow-cbow-1m cnn-bilstm-1m lstm-1m; do
  bench=$("$lmwb" --json bench train --arch "$arch" --vocab "$vocab" --steps 10 --threads 2 2>/dev/null)
  read -r params tps itps est rss ctx < <(python3 -c '
import json,sys; b=json.loads(sys.argv[1])
print(b["params"], b["tokens_per_s"], b["inference_tokens_per_s"], b["memory_estimate_bytes"], b["rss_peak_bytes"]-b["rss_before_bytes"], b["context"])' "$bench")
  steps=$(python3 -c "print(max(10, int($budget * $tps / (16 * $ctx))))")
  run=$("$lmwb" --catalog "$cat" --json train --corpus fortunes --arch "$arch" --steps "$steps" --threads 2 --sample-tokens 0 2>/dev/null)
  python3 -c '
import json,sys
r=json.loads(sys.argv[1]); a=sys.argv[2]; params,tps,itps,est,rss,steps=map(float,sys.argv[3:9])
wall=r["wall_s"]; bpc=r["val_bpc"]
print(f"| `{a}` | {int(params):,} | {tps:,.0f} | {itps:,.0f} | {est/1e6:.0f} MB / {rss/1e6:.0f} MB | {int(steps):,} ({wall:.0f} s) | **{bpc:.3f}** |")' "$run" "$arch" "$params" "$tps" "$itps" "$est" "$rss" "$steps"
done
