#!/usr/bin/env bash
# Distillation against training from scratch (issue 12's benchmark): one
# teacher, students of several families at about a tenth of its size or
# less, each trained twice on the same tokens and steps: distilled
# (lmwb distill --baseline) and from scratch (the baseline).
#   usage: tests/bench/distill.sh BUILD_DIR [TEACHER_STEPS] [STUDENT_STEPS] [THREADS]
set -euo pipefail
build=${1:-build}
tsteps=${2:-1500}
ssteps=${3:-400}
threads=${4:-2}
. "$(dirname "$0")/english_mb.sh"
# A small LSTM student (the lstm presets are larger than a tenth of the teacher).
echo '{"family":"lstm","embed":64,"hidden":96,"layers":1,"context":64}' > "$work/lstm-student.json"
common="--threads $threads --seed 5 --sample-tokens 0"
t=$($lmwb $cat --json train --corpus english --arch tiny-gpt --steps "$tsteps" $common 2>/dev/null)
teacher=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["run"])' "$t")
python3 - "$t" "$tsteps" <<'PY'
import json, sys
j = json.loads(sys.argv[1])
print(f"Teacher: tiny-gpt, {j['params']:,} parameters, {sys.argv[2]} steps: val ppl {j['val_ppl']:.3f}, "
      f"{j['val_bpc']:.3f} bits/char, {j['tokens_per_s']:,.0f} tokens/s training.")
PY
echo
echo "| student | params | share of the teacher | distilled val ppl | from scratch val ppl | distilled bits/char | from scratch bits/char | agreement with the teacher | distilled tokens/s | from scratch tokens/s |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for s in cbow-tiny fnn-tiny cmow-tiny cmow-cbow-tiny "$work/lstm-student.json"; do
  out=$($lmwb $cat --json distill --teacher "$teacher" --student "$s" --corpus english --steps "$ssteps" --baseline $common 2>/dev/null)
  python3 - "$s" "$out" <<'PY'
import json, os, sys
j = json.loads(sys.argv[2])
name = os.path.basename(sys.argv[1]).replace(".json", "")
print(f"| {name} | {j['student_params']:,} | {j['student_params'] / j['teacher_params']:.3f} | {j['val_ppl']:.3f} | "
      f"{j['baseline_val_ppl']:.3f} | {j['val_bpc']:.3f} | {j['baseline_val_bpc']:.3f} | {j['agreement']:.3f} | "
      f"{j['tokens_per_s']:,.0f} | {j['baseline_tokens_per_s']:,.0f} |")
PY
done
