#!/usr/bin/env bash
# Issue 13's performance goals, side by side in one run: a width-256 GPT
# trained briefly on 1 MB of English, its int8 variant, a 50%-pruned and a
# low-rank variant and one with half the MLP units and heads removed, each measured by `lmwb bench infer` (batch-1 latency and
# batch-16 throughput), and PyTorch's own dynamic quantisation of the same
# architecture (tests/bench/pytorch_int8.py) timed the same way. Prints
# Markdown tables for docs/benchmarks.md.
#   usage: tests/bench/compress_int8.sh BUILD_DIR [STEPS] [THREADS]
set -euo pipefail
build=${1:?usage: compress_int8.sh BUILD_DIR [STEPS] [THREADS]}
steps=${2:-200}
threads=${3:-1}
here=$(cd "$(dirname "$0")" && pwd)
source "$here/english_mb.sh"
py=/usr/bin/python3
field() { "$py" -c "import json,sys; d=json.load(sys.stdin); print(d['$1'])"; }

echo '{"family":"transformer","layers":4,"heads":4,"width":256,"context":128,"dropout":0.0}' > "$work/w256.json"
echo "running: $lmwb train --corpus english --arch w256.json (4 layers, 4 heads, width 256, context 128) --steps $steps --batch 16" >&2
base=$($lmwb $cat --json train --corpus english --arch "$work/w256.json" --steps "$steps" --batch 16 2>/dev/null | field run)
echo "running: $lmwb compress $base --method quantize | prune --sparsity 0.5 | lowrank --energy 0.9" >&2
q=$($lmwb $cat --json compress "$base" --method quantize 2>/dev/null | field run)
p=$($lmwb $cat --json compress "$base" --method prune --sparsity 0.5 2>/dev/null | field run)
l=$($lmwb $cat --json compress "$base" --method lowrank --energy 0.9 2>/dev/null | field run)
echo "running: $lmwb compress $base --method prune --structured ffn --sparsity 0.5, then --structured heads --sparsity 0.5 on the result" >&2
f=$($lmwb $cat --json compress "$base" --method prune --structured ffn --sparsity 0.5 2>/dev/null | field run)
s=$($lmwb $cat --json compress "$f" --method prune --structured heads --sparsity 0.5 2>/dev/null | field run)

declare -A lat thr1 thr16 size ppl params nz
for r in $base $q $p $l $s; do
  echo "running: $lmwb bench infer $r --threads $threads --batch 1, then --batch 16" >&2
  one=$($lmwb $cat --json bench infer "$r" --threads "$threads" --batch 1 2>/dev/null)
  many=$($lmwb $cat --json bench infer "$r" --threads "$threads" --batch 16 2>/dev/null)
  lat[$r]=$(field latency_ms_p50 <<<"$one"); thr1[$r]=$(field tokens_per_s <<<"$one"); thr16[$r]=$(field tokens_per_s <<<"$many")
  size[$r]=$(field file_bytes <<<"$one"); ppl[$r]=$(field val_ppl <<<"$one"); params[$r]=$(field params <<<"$one"); nz[$r]=$(field nonzero <<<"$one")
  cpu=$(field cpu <<<"$one"); tv=$(field torch_version <<<"$one"); eng=$(field int8_engine <<<"$one")
done
echo "| variant | params | non-zeros | file bytes | val ppl | batch-1 latency p50 (ms) | batch-1 tokens/s | batch-16 tokens/s |"
echo "|---|---|---|---|---|---|---|---|"
for r in $base $q $p $l $s; do
  case $r in $base) name="fp32 (run $r)";; $q) name="int8 (run $r)";; $p) name="pruned 50%, unstructured (run $r)";;
    $l) name="low rank, energy 0.9 (run $r)";; $s) name="half the MLP units, then half the heads (run $r)";; esac
  printf "| %s | %s | %s | %s | %.4f | %.3f | %.0f | %.0f |\n" "$name" "${params[$r]}" "${nz[$r]}" "${size[$r]}" "${ppl[$r]}" "${lat[$r]}" "${thr1[$r]}" "${thr16[$r]}"
done
"$py" - "${lat[$base]}" "${lat[$q]}" "${thr16[$base]}" "${thr16[$q]}" "${size[$base]}" "${size[$q]}" "${ppl[$base]}" "${ppl[$q]}" <<'PY'
import sys
lb, lq, tb, tq, sb, sq, pb, pq = map(float, sys.argv[1:])
print(f"\nint8 against fp32: batch-1 latency {lb/lq:.2f}x faster, batch-16 throughput {tq/tb:.2f}x, "
      f"file {100*sq/sb:.1f}% of fp32, perplexity {100*(pq-pb)/pb:+.3f}%")
PY
echo "($cpu, LibTorch $tv, int8 engine $eng, $threads thread(s))"
if "$py" -c "import torch" 2>/dev/null; then
  echo "running: $py $here/pytorch_int8.py --width 256 --layers 4 --heads 4 --context 128 --threads $threads" >&2
  out=$("$py" "$here/pytorch_int8.py" --width 256 --layers 4 --heads 4 --context 128 --vocab 107 --threads "$threads")
  pf=$(sed -n 1p <<<"$out"); pq=$(sed -n 2p <<<"$out")
  echo
  echo "| PyTorch $(field framework <<<"$pf" | cut -d' ' -f2) (engine $(field engine <<<"$pq")) | file bytes | batch-1 latency p50 (ms) | batch-16 tokens/s |"
  echo "|---|---|---|---|"
  for v in "$pf" "$pq"; do
    printf "| %s | %s | %.3f | %.0f |\n" "$(field variant <<<"$v")" "$(field file_bytes <<<"$v")" "$(field latency_ms_p50 <<<"$v")" "$(field tokens_per_s <<<"$v")"
  done
  "$py" - "$(field latency_ms_p50 <<<"$pf")" "$(field latency_ms_p50 <<<"$pq")" "$(field tokens_per_s <<<"$pf")" "$(field tokens_per_s <<<"$pq")" "${lat[$q]}" "${thr16[$q]}" <<'PY'
import sys
pfl, pql, pft, pqt, ol, ot = map(float, sys.argv[1:])
print(f"\nPyTorch int8 against its fp32: latency {pfl/pql:.2f}x, throughput {pqt/pft:.2f}x. "
      f"LM Workbench int8 against PyTorch int8: latency {pql/ol:.2f}x faster, throughput {ot/pqt:.2f}x.")
PY
else
  echo "(python3-torch is missing: packaging/setup-debian.sh --bench installs it for the PyTorch row)" >&2
fi
