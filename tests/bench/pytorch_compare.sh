#!/usr/bin/env bash
# Training tokens/s of tiny-gpt in LM Workbench (LibTorch C++) against the
# same model in plain PyTorch (tests/bench/pytorch_gpt.py, Debian's
# python3-torch: packaging/setup-debian.sh --bench), one after the other in
# one run: same architecture, initialisation, batch, context, vocabulary,
# optimizer and threads. Prints a Markdown table for docs/benchmarks.md.
#   usage: tests/bench/pytorch_compare.sh BUILD_DIR [THREADS] [STEPS] [WIDTH LAYERS HEADS]
# (without the last three: tiny-gpt, width 128, 4 layers, 4 heads)
set -euo pipefail
build=${1:?usage: pytorch_compare.sh BUILD_DIR [THREADS] [STEPS]}
threads=${2:-2}
steps=${3:-30}
width=${4:-128}; layers=${5:-4}; heads=${6:-4}
arch=tiny-gpt
if [ "$width" != 128 ] || [ "$layers" != 4 ] || [ "$heads" != 4 ]; then
  arch=$(mktemp --suffix .json)
  echo "{\"family\":\"transformer\",\"layers\":$layers,\"heads\":$heads,\"width\":$width,\"context\":128,\"dropout\":0}" > "$arch"
fi
here=$(cd "$(dirname "$0")" && pwd)
lmwb="$build/app/lmwb"
py=/usr/bin/python3
"$py" -c "import torch" 2>/dev/null || { echo "python3-torch is missing: packaging/setup-debian.sh --bench" >&2; exit 2; }
# The same OpenBLAS kernels for both: where lmwb chose better ones than
# OpenBLAS's generic fallback (engine/core/blas_kernels.h), PyTorch gets them too.
core=$("$lmwb" --version | sed -n 's/.*kernels \([A-Za-z0-9]*\) chosen by LM Workbench.*/\1/p')
if [ -n "$core" ]; then export OPENBLAS_CORETYPE=$core; echo "OpenBLAS kernels: $core (both)" >&2; fi

field() { "$py" -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }
common=(--batch 16 --steps "$steps" --threads "$threads")
echo "running: $lmwb bench train --arch "$arch" --vocab 96 ${common[*]} [--kernels reference | --precision bf16]" >&2
lw_fp32=$("$lmwb" --json bench train --arch "$arch" --vocab 96 "${common[@]}" --kernels fused 2>/dev/null)
lw_ref=$("$lmwb" --json bench train --arch "$arch" --vocab 96 "${common[@]}" --kernels reference 2>/dev/null)
lw_bf16=$("$lmwb" --json bench train --arch "$arch" --vocab 96 "${common[@]}" --precision bf16 2>/dev/null)
echo "running: $py $here/pytorch_gpt.py --vocab 96 ${common[*]} (OpenBLAS pinned to 1 thread, then its default)" >&2
pt_pinned=$(OPENBLAS_NUM_THREADS=1 "$py" "$here/pytorch_gpt.py" --vocab 96 "${common[@]}" --width "$width" --layers "$layers" --heads "$heads")
pt_default=$(env -u OPENBLAS_NUM_THREADS "$py" "$here/pytorch_gpt.py" --vocab 96 "${common[@]}" --width "$width" --layers "$layers" --heads "$heads")

lw=$(field tokens_per_s <<<"$lw_fp32"); lwb=$(field tokens_per_s <<<"$lw_bf16"); lwr=$(field tokens_per_s <<<"$lw_ref")
pp=$(field tokens_per_s <<<"$pt_pinned"); pd=$(field tokens_per_s <<<"$pt_default")
lwi=$(field inference_tokens_per_s <<<"$lw_fp32"); ppi=$(field inference_tokens_per_s <<<"$pt_pinned")
pdi=$(field inference_tokens_per_s <<<"$pt_default")
lp=$(field params <<<"$lw_fp32"); pyp=$(field params <<<"$pt_pinned")
util=$(field utilisation <<<"$lw_fp32")
"$py" - "$lw" "$lwb" "$pp" "$pd" "$lwi" "$ppi" "$pdi" "$lp" "$pyp" "$threads" "$lwr" "$width" "$layers" "$heads" "$util" <<'PY'
import sys
lw, lwb, pp, pd, lwi, ppi, pdi = map(float, sys.argv[1:8])
lp, pyp, threads = sys.argv[8], sys.argv[9], sys.argv[10]
lwr = float(sys.argv[11])
width, layers, heads, util = sys.argv[12], sys.argv[13], sys.argv[14], float(sys.argv[15])
print(f"GPT width {width}, {layers} layers, {heads} heads ({lp} parameters in LM Workbench, {pyp} in PyTorch), "
      f"batch 16 x 128, vocabulary 96, {threads} threads; LM Workbench fused at {100 * util:.0f}% of the measured matmul peak\n")
print("| implementation | train tok/s | ratio to LM Workbench fp32 | inference tok/s |")
print("|---|---|---|---|")
print(f"| LM Workbench (LibTorch C++), fp32, fused kernels | {lw:,.0f} | 1.00 | {lwi:,.0f} |")
print(f"| LM Workbench, fp32, reference kernels (LibTorch ops) | {lwr:,.0f} | {lwr/lw:.2f} | |")
print(f"| LM Workbench, bf16 autocast (reference kernels) | {lwb:,.0f} | {lwb/lw:.2f} | |")
print(f"| PyTorch, OpenBLAS pinned to 1 thread (as LM Workbench does) | {pp:,.0f} | {pp/lw:.2f} | {ppi:,.0f} |")
print(f"| PyTorch, default threads (OpenBLAS on every core) | {pd:,.0f} | {pd/lw:.2f} | {pdi:,.0f} |")
print(f"\nLM Workbench / PyTorch default: {lw/pd:.2f}x training, {lwi/pdi:.2f}x inference; "
      f"/ PyTorch pinned: {lw/pp:.2f}x training, {lwi/ppi:.2f}x inference")
PY
