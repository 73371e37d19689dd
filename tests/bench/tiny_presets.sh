#!/usr/bin/env bash
# Every family's -tiny preset after a short run at the default settings, on
# about 1 MB of English text (the first 1 MB of Debian's fortunes), against
# the unigram entropy of the text's characters: how far below it each ends.
#   usage: tests/bench/tiny_presets.sh BUILD_DIR [STEPS] [THREADS]
set -euo pipefail
build=${1:-build}
steps=${2:-200}
threads=${3:-2}
. "$(dirname "$0")/english_mb.sh"
entropy=$(python3 - "$work/english.txt" <<'PY'
import collections, math, sys
text = open(sys.argv[1], encoding="utf-8", errors="replace").read()
n = len(text)
print(f"{-sum(c / n * math.log2(c / n) for c in collections.Counter(text).values()):.3f}")
PY
)
echo "Unigram entropy of the characters: $entropy bits/char. $steps steps, default settings (lr auto: the family's rate; batch 16), $threads threads."
families=$($lmwb --json arch list)
echo
echo "| preset | lr (auto) | params | val bits/char | below the unigram entropy |"
echo "|---|---|---|---|---|"
for f in tiny-gpt fnn-tiny cbow-tiny cmow-tiny cmow-cbow-tiny cnn-bilstm-tiny lstm-tiny; do
  out=$($lmwb $cat --json train --corpus english --arch "$f" --steps "$steps" --threads "$threads" --seed 3 --sample-tokens 0 2>/dev/null)
  python3 - "$f" "$out" "$entropy" "$families" <<'PY'
import json, sys
j = json.loads(sys.argv[2]); e = float(sys.argv[3])
lr = next(f["learning_rate"] for f in json.loads(sys.argv[4]) if sys.argv[1] in f["presets"])
print(f"| {sys.argv[1]} | {lr:g} | {j['params']:,} | {j['val_bpc']:.3f} | {e - j['val_bpc']:.2f} |")
PY
done
