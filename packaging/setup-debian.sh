#!/usr/bin/env bash
# Installs the Debian 12 packages LM Workbench needs to build, test and run
# on its default corpus. Idempotent: installs only what is missing.
#   usage: packaging/setup-debian.sh [--gui-test] [--bench] [--fuzz]   (root, or sudo available)
set -euo pipefail

pkgs=(
  build-essential cmake ninja-build ccache pkg-config
  qt6-base-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools libgl-dev
  libqcustomplot-dev qt6-svg-dev
  libtorch-dev libgloo-dev libopenblas0-pthread libopenblas-pthread-dev
  libsqlite3-dev sqlite3 nlohmann-json3-dev
  libsentencepiece-dev sentencepiece libutf8proc-dev zlib1g-dev
  manpages python3.11
  fortunes fortunes-min
)
# A virtual display for screenshots and the GUI when no display exists.
# --bench: plain PyTorch for the throughput comparison (tests/bench/pytorch_gpt.py).
# --fuzz: clang with libFuzzer and the sanitizer runtimes (tests/fuzz/run.sh,
# packaging/sanitize.sh).
for arg in "$@"; do
  case "$arg" in
    --gui-test) pkgs+=(xvfb xauth) ;;
    --bench) pkgs+=(python3-torch) ;;
    --fuzz) pkgs+=(clang-14 libclang-rt-14-dev) ;;
    *) echo "setup: unknown option $arg" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  if ! $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"; then
    $SUDO apt-get update -q
    $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
  fi
fi

# LibTorch computes with whatever BLAS the alternatives system points at; the
# reference BLAS is ~37x slower than OpenBLAS for float matmul. Select the
# pthread OpenBLAS explicitly for the generic libblas.so.3 / liblapack.so.3.
arch=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)
for lib in libblas.so.3 liblapack.so.3; do
  target="/usr/lib/${arch}/openblas-pthread/${lib}"
  if [[ -e "$target" ]]; then
    $SUDO update-alternatives --set "${lib}-${arch}" "$target" >/dev/null
  fi
done
echo "setup: all packages present" >&2
