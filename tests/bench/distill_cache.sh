#!/usr/bin/env bash
# The teacher's top-k logits cache against the live teacher (issue 12):
# the student's training tokens/s and its validation perplexity, distilled
# from a live teacher and from caches of k = 8 and k = 64 logits per position.
#   usage: tests/bench/distill_cache.sh BUILD_DIR [TEACHER_STEPS] [STUDENT_STEPS] [THREADS]
set -euo pipefail
build=${1:-build}
tsteps=${2:-600}
ssteps=${3:-400}
threads=${4:-2}
. "$(dirname "$0")/english_mb.sh"
common="--threads $threads --seed 5 --sample-tokens 0"
t=$($lmwb $cat --json train --corpus english --arch tiny-gpt --steps "$tsteps" $common 2>/dev/null)
teacher=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["run"])' "$t")
echo "Teacher: tiny-gpt, $tsteps steps. Students: $ssteps steps, context 64, batch 16, $threads threads."
echo
echo "| student | teacher logits | val ppl | val bits/char | student tokens/s | command wall s (with building the cache) |"
echo "|---|---|---|---|---|---|"
for s in cbow-tiny lstm-tiny; do
  for k in 0 8 64; do
    start=$(date +%s.%N)
    out=$($lmwb $cat --json distill --teacher "$teacher" --student "$s" --corpus english --steps "$ssteps" --topk-cache "$k" $common 2>/dev/null)
    wall=$(python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$start" "$(date +%s.%N)")
    python3 - "$s" "$k" "$out" "$wall" <<'PY'
import json, sys
j = json.loads(sys.argv[3]); k = int(sys.argv[2])
how = "live (a forward per step)" if k == 0 else f"cached top-{k}"
print(f"| {sys.argv[1]} | {how} | {j['val_ppl']:.3f} | {j['val_bpc']:.3f} | {j['tokens_per_s']:,.0f} | {sys.argv[4]} |")
PY
  done
done
