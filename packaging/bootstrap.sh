#!/usr/bin/env bash
# One command from a fresh Debian 12 checkout to a running workbench or a
# passing test suite:
#   packaging/bootstrap.sh gui    install what is missing, build, launch the GUI
#   packaging/bootstrap.sh test   install what is missing, build, run all tests
# Extra arguments after `gui` go to lm-workbench.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:-gui}
shift || true
case "$mode" in
  gui)  packaging/setup-debian.sh ;;
  test) packaging/setup-debian.sh --gui-test ;;
  *) echo "usage: packaging/bootstrap.sh gui|test" >&2; exit 2 ;;
esac

build=${LMWB_BUILD_DIR:-build}
jobs=$(nproc)
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" --parallel "$jobs"

if [[ "$mode" == test ]]; then
  cd "$build"
  # Engine tests use one or two threads each; two at a time fill 2 cores.
  exec ctest --output-on-failure --timeout 900 -j "${LMWB_TEST_JOBS:-1}"
fi

if [[ -z "${DISPLAY:-}" && -z "${WAYLAND_DISPLAY:-}" ]]; then
  echo "bootstrap: built; no display found (DISPLAY is unset). Run $build/app/lm-workbench on a desktop," >&2
  echo "           or try it headless: xvfb-run -a $build/app/lm-workbench" >&2
  exit 0
fi
exec "$build/app/lm-workbench" "$@"
