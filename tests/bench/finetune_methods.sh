#!/usr/bin/env bash
# Fine-tuning methods on one task (language modelling on a target corpus):
# pretrain tiny-gpt on the Python standard library, adapt it to Debian's
# fortunes with each method, and train the same model from scratch on the
# fortunes for the same steps. Prints a markdown table.
#   usage: tests/bench/finetune_methods.sh BUILD_DIR [PRETRAIN_STEPS] [FINETUNE_STEPS] [THREADS]
set -euo pipefail
build=${1:-build}
pre=${2:-400}
ft=${3:-200}
threads=${4:-2}
lmwb="$build/app/lmwb"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat="--catalog $work/bench.sqlite"
$lmwb $cat corpus system python-stdlib >/dev/null 2>&1
$lmwb $cat corpus system fortunes >/dev/null 2>&1
common="--threads $threads --seed 7 --sample-tokens 0"
parent=$($lmwb $cat --json train --corpus python-stdlib --arch tiny-gpt --steps "$pre" $common 2>/dev/null)
pid=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["run"])' "$parent")
row() { # label json
  python3 - "$1" "$2" <<'PY'
import json, sys
j = json.loads(sys.argv[2])
tp = j.get("trainable_params") or j["params"]
sb = j.get("stored_bytes")
print(f"| {sys.argv[1]} | {tp:,} | {sb/1e6:.2f} MB | {j['wall_s']:.0f} s | {j['val_bpc']:.3f} |" if sb else
      f"| {sys.argv[1]} | {tp:,} | full checkpoint | {j['wall_s']:.0f} s | {j['val_bpc']:.3f} |")
PY
}
echo "| run | trainable params | stored | time | val bits/char on fortunes |"
echo "|---|---|---|---|---|"
scratch=$($lmwb $cat --json train --corpus fortunes --arch tiny-gpt --steps "$ft" $common 2>/dev/null)
row "from scratch, $ft steps" "$scratch"
for m in full ulmfit l-eo l-ldb; do
  extra=""
  [[ $m == ulmfit ]] && extra="--schedule stlr"
  out=$($lmwb $cat --json finetune "$pid" --corpus fortunes --method "$m" --steps "$ft" $extra $common 2>/dev/null)
  row "pretrained ($pre steps on python-stdlib) + $m${extra:+ (stlr)}, $ft steps" "$out"
done
