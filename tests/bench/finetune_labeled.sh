#!/usr/bin/env bash
# Does pretraining buy labeled examples (ULMFiT's claim, methods.md B7)?
# Pretrain tiny-gpt on English manual pages (a byte tokenizer, so any text
# encodes), then classify Debian's fortunes by category file
# (fortunes-topics, 43 classes) with 10, 100 and all labeled documents per
# class: from scratch, pretrained + full, pretrained + ulmfit. Then every
# method on the whole task. Test-split accuracy and macro-F1 (lmwb eval), the
# majority class beside them. Prints markdown tables.
#   usage: tests/bench/finetune_labeled.sh BUILD_DIR [PRETRAIN_STEPS] [FINETUNE_STEPS] [THREADS]
set -euo pipefail
build=${1:-build}
pre=${2:-500}
ft=${3:-250}
threads=${4:-2}
lmwb="$build/app/lmwb"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat="--catalog $work/bench.sqlite"
$lmwb $cat corpus system man-pages >/dev/null 2>&1
$lmwb $cat corpus system fortunes-topics >/dev/null 2>&1
$lmwb $cat tokenizer train bytes --corpus man-pages --kind byte >/dev/null 2>&1
common="--threads $threads --seed 7 --sample-tokens 0"
parent=$($lmwb $cat --json train --corpus man-pages --tokenizer bytes --arch tiny-gpt --steps "$pre" $common 2>/dev/null)
pid=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["run"])' "$parent")
pbpc=$(python3 -c 'import json,sys; print(round(json.loads(sys.argv[1])["val_bpc"], 3))' "$parent")
echo "Pretrained: run $pid, tiny-gpt, $pre steps on man-pages (byte tokenizer), validation $pbpc bits/char."
echo
# row LABEL TRAIN_JSON: the run's cost and its test-split scores.
row() {
  local run
  run=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["run"])' "$2")
  local ev
  ev=$($lmwb $cat --json eval "$run" --split test 2>/dev/null)
  python3 - "$1" "$2" "$ev" <<'PY'
import json, sys
t, e = json.loads(sys.argv[2]), json.loads(sys.argv[3])
tp = t.get("trainable_params") or t["params"]
sb = t.get("stored_bytes")
size = f"{sb/1e6:.2f} MB" if sb else "-"
print(f"| {sys.argv[1]} | {tp:,} | {size} | {t['wall_s']:.0f} s | {e['accuracy']:.3f} | {e['macro_f1']:.3f} | {e['majority_accuracy']:.3f} |")
PY
}
echo "| labeled documents per class, model | trainable params | stored | time | test accuracy | test macro-F1 | majority class |"
echo "|---|---|---|---|---|---|---|"
for n in 10 100 0; do
  label=$([[ $n == 0 ]] && echo "all" || echo "$n")
  out=$($lmwb $cat --json train --corpus fortunes-topics --tokenizer bytes --arch tiny-gpt --task classify \
        --examples-per-class "$n" --steps "$ft" $common 2>/dev/null)
  row "$label, from scratch" "$out"
  for m in full ulmfit; do
    extra=""
    [[ $m == ulmfit ]] && extra="--schedule stlr"
    out=$($lmwb $cat --json finetune "$pid" --corpus fortunes-topics --task classify --method "$m" \
          --examples-per-class "$n" --steps "$ft" $extra $common 2>/dev/null)
    row "$label, pretrained + $m${extra:+ (stlr)}" "$out"
  done
done
echo
echo "| method (all labeled documents) | trainable params | stored | time | test accuracy | test macro-F1 | majority class |"
echo "|---|---|---|---|---|---|---|"
for m in l-eo l-ldb mtl smart prefix; do
  out=$($lmwb $cat --json finetune "$pid" --corpus fortunes-topics --task classify --method "$m" --steps "$ft" $common 2>/dev/null)
  row "pretrained + $m" "$out"
done
