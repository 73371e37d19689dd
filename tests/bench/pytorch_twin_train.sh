#!/usr/bin/env bash
# `lmwb train` against its plain-PyTorch twin trained the same way on the
# same corpus (tests/bench/pytorch_gpt.py --train-tokens): same windows in
# the same order, same initial weights, schedule, AdamW groups, clipping and
# threads (OpenBLAS held to one thread in both), one after the other. Prints
# a Markdown table for docs/benchmarks.md: training tokens/s (evaluation
# time excluded in both), wall time, the first training loss (equal when the
# weights start equal) and the final validation loss over the whole split.
#   usage: tests/bench/pytorch_twin_train.sh BUILD_DIR [STEPS=300] [WIDTH LAYERS HEADS] [CORPUS=fortunes]
# (without WIDTH LAYERS HEADS: tiny-gpt, width 128, 4 layers, 4 heads)
set -euo pipefail
build=${1:?usage: pytorch_twin_train.sh BUILD_DIR [STEPS] [WIDTH LAYERS HEADS] [CORPUS]}
steps=${2:-300}
width=${3:-128}; layers=${4:-4}; heads=${5:-4}
corpus=${6:-fortunes}
batch=16; threads=2; seed=1
here=$(cd "$(dirname "$0")" && pwd)
lmwb="$build/app/lmwb"
py=/usr/bin/python3
"$py" -c "import torch" 2>/dev/null || { echo "python3-torch is missing: packaging/setup-debian.sh --bench" >&2; exit 2; }
# The same OpenBLAS kernels for both: where lmwb chose better ones than
# OpenBLAS's generic fallback (engine/core/blas_kernels.h), PyTorch gets them too.
core=$("$lmwb" --version | sed -n 's/.*kernels \([A-Za-z0-9]*\) chosen by LM Workbench.*/\1/p')
if [ -n "$core" ]; then export OPENBLAS_CORETYPE=$core; echo "OpenBLAS kernels: $core (both)" >&2; fi
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
arch=tiny-gpt
if [ "$width" != 128 ] || [ "$layers" != 4 ] || [ "$heads" != 4 ]; then
  arch="$work/gpt.json"
  echo "{\"family\":\"transformer\",\"layers\":$layers,\"heads\":$heads,\"width\":$width,\"context\":128,\"dropout\":0}" > "$arch"
fi
catalog="$work/catalog.sqlite"
# The corpus and its caches first, so that their import is not in the timing.
"$lmwb" --catalog "$catalog" corpus system "$corpus" >/dev/null
echo "running: lmwb train --corpus $corpus --arch $arch --steps $steps --batch $batch --threads $threads --seed $seed --sample-tokens 0" >&2
"$lmwb" --catalog "$catalog" --json train --corpus "$corpus" --arch "$arch" --steps "$steps" --batch "$batch" \
  --threads "$threads" --seed "$seed" --sample-tokens 0 > "$work/lmwb.json"
run=$("$py" -c "import json,sys; print(json.load(open(sys.argv[1]))['run'])" "$work/lmwb.json")
"$lmwb" --catalog "$catalog" --json runs show "$run" > "$work/run.json"
# The twin's arguments: the run's resolved settings and its token caches.
twin_args=$("$py" - "$work/run.json" "$catalog" <<'PY'
import json, os, sqlite3, sys
run = json.load(open(sys.argv[1]))
cfg, t = run["config"], run["config"]["train"]
db = sqlite3.connect(sys.argv[2])
row = db.execute("SELECT tokenizer_id, corpus_id FROM runs WHERE id = ?", (run["id"] if "id" in run else run["run"],)).fetchone()
paths = dict(db.execute("SELECT split, path FROM token_caches WHERE tokenizer_id = ? AND corpus_id = ?", row).fetchall())
vocab = db.execute("SELECT vocab_size FROM tokenizers WHERE id = ?", (row[0],)).fetchone()[0]
catalog = os.path.abspath(sys.argv[2])  # artifacts live in <stem>-artifacts beside it (Catalog::artifactDir)
base = os.path.join(os.path.dirname(catalog), os.path.splitext(os.path.basename(catalog))[0] + "-artifacts")
full = lambda p: p if os.path.isabs(p) else os.path.join(base, p)
print(f"--train-tokens {full(paths['train'])} --val-tokens {full(paths['validation'])} --vocab {vocab} "
      f"--steps {t['steps']} --batch {t['batch']} --seed {t['seed']} --lr {t['lr']} --min-lr {t['min_lr']} "
      f"--warmup {t['warmup']} --weight-decay {t['weight_decay']} --beta1 {t['beta1']} --beta2 {t['beta2']} --clip {t['clip']}")
PY
)
echo "running: OPENBLAS_NUM_THREADS=1 python3 tests/bench/pytorch_gpt.py --threads $threads --width $width --layers $layers --heads $heads ${twin_args//$work/WORK}" >&2
# shellcheck disable=SC2086
OPENBLAS_NUM_THREADS=1 "$py" "$here/pytorch_gpt.py" --threads "$threads" --width "$width" --layers "$layers" --heads "$heads" \
  --context 128 $twin_args > "$work/twin.json"
"$py" - "$work/lmwb.json" "$work/twin.json" "$work/run.json" "$width" "$layers" "$heads" "$corpus" <<'PY'
import json, sys
lw, pt = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
width, layers, heads, corpus = sys.argv[4:8]
first = json.load(open(sys.argv[3]))["metrics"]["train_loss"][0]["value"]
print(f"GPT width {width}, {layers} layers, {heads} heads ({lw['params']:,} parameters), corpus {corpus}, "
      f"{pt['steps']} steps of batch {pt['batch']} x {pt['context']}, 2 threads, OpenBLAS 1 thread\n")
print("| implementation | train tok/s | wall s (training, evaluations) | first train loss | final validation loss |")
print("|---|---|---|---|---|")
print(f"| LM Workbench (`lmwb train`, periodic evaluations on) | {lw['tokens_per_s']:,.0f} | {lw['wall_s']:.1f} (all of it) | {first:.4f} | {lw['val_loss']:.4f} |")
print(f"| PyTorch twin (final evaluation only) | {pt['tokens_per_s']:,.0f} | {pt['train_seconds'] + pt['eval_seconds']:.1f} "
      f"({pt['train_seconds']:.1f} + {pt['eval_seconds']:.1f}) | {pt['first_loss']:.4f} | {pt['val_loss']:.4f} |")
print(f"\nLM Workbench / PyTorch: {lw['tokens_per_s'] / pt['tokens_per_s']:.2f}x training tokens/s; "
      f"validation loss difference {lw['val_loss'] - pt['val_loss']:+.4f} nats")
PY
