#!/usr/bin/env bash
# Builds the libFuzzer harnesses with clang (ASan + UBSan) and runs each for
# SECONDS, starting from tests/fuzz/seeds/<harness>. A crash found is copied
# to tests/fuzz/regressions/<harness>/, which the normal test suite replays
# (ctest -R fuzz_replay); the new inputs the fuzzer found stay in
# BUILD/corpus/<harness> for the next run.
#   usage: tests/fuzz/run.sh [SECONDS_EACH=600] [BUILD=build-fuzz] [HARNESS...]
set -uo pipefail
seconds=${1:-600}
build=${2:-build-fuzz}
shift 2 2>/dev/null || shift $#
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
# UndefinedBehaviorSanitizer stops at its first report, so that it counts as a crash.
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
command -v clang++ >/dev/null || { echo "clang++ is missing: packaging/setup-debian.sh --fuzz" >&2; exit 2; }
CXX=clang++ cmake -S "$root" -B "$build" -G Ninja -DLMWB_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null || exit 2
ninja -C "$build" || exit 2
harnesses=("$@")
[ ${#harnesses[@]} -gt 0 ] || harnesses=(fuzz_csv fuzz_jsonl fuzz_blocks fuzz_roff fuzz_utf8 fuzz_spec fuzz_run_config fuzz_tokenizer fuzz_catalog fuzz_sweep fuzz_checkpoint)
status=0
for h in "${harnesses[@]}"; do
  corpus="$build/corpus/$h"; crashes="$build/crashes/$h"
  rm -rf "$crashes"; mkdir -p "$corpus" "$crashes"
  echo "== $h: $seconds s" >&2
  # -rss_limit_mb: the parsers must stream, never hold a file many times over
  # (4 GiB: the checkpoint harness carries LibTorch and ASan's quarantine).
  "$build/tests/fuzz/$h" "$corpus" "$here/seeds/$h" -max_total_time="$seconds" -rss_limit_mb=4096 -timeout=10 \
      -max_len=65536 -artifact_prefix="$crashes/" -print_final_stats=1 2>"$build/$h.log"
  rc=$?
  grep -E "stat::number_of_executed_units|cov: " "$build/$h.log" | tail -2 >&2
  if ls "$crashes"/* >/dev/null 2>&1; then
    mkdir -p "$here/regressions/$h"
    cp "$crashes"/* "$here/regressions/$h/"
    echo "$h: crash inputs copied to tests/fuzz/regressions/$h (log: $build/$h.log)" >&2
    status=1
  elif [ $rc -ne 0 ]; then
    echo "$h: exit $rc (log: $build/$h.log)" >&2
    status=1
  fi
done
exit $status
