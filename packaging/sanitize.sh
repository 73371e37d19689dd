#!/usr/bin/env bash
# Builds LM Workbench with a sanitizer and runs the test suite under it.
#   usage: packaging/sanitize.sh address|thread [BUILD_DIR] [CTEST_ARGS...]
#   address: AddressSanitizer + UndefinedBehaviorSanitizer (build-asan)
#   thread:  ThreadSanitizer for the queue, the trainer's worker thread and
#            the GUI bridge (build-tsan; runs the tests that use threads)
# Suppressions: packaging/sanitizers/*.supp, each entry justified there.
set -euo pipefail
kind=${1:?usage: packaging/sanitize.sh address|thread [BUILD_DIR] [CTEST_ARGS...]}
root=$(cd "$(dirname "$0")/.." && pwd)
supp="$root/packaging/sanitizers"
case "$kind" in
  address)
    build=${2:-build-asan}
    flags="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined -DLMWB_SANITIZED"
    export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:suppressions=$supp/asan.supp"
    export LSAN_OPTIONS="suppressions=$supp/lsan.supp:print_suppressions=0"
    export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:suppressions=$supp/ubsan.supp"
    tests=()
    targets=()
    # The engine's loops on OpenMP, as in a normal build (explicit, so that a
    # build folder configured for TSan before does not keep them serial).
    extra=(-DLMWB_OPENMP=ON)
    ;;
  thread)
    build=${2:-build-tsan}
    flags="-fsanitize=thread -fno-omit-frame-pointer -DLMWB_SANITIZED"
    export OMP_NUM_THREADS=1 # LibTorch's pool: see configureThreads under TSan
    # die_after_fork=0: QProcess (the GUI tests run lmwb) starts its child
    # with a vfork-style clone that shares the parent's memory, so TSan's
    # "this is a child after a multi-threaded fork" mark lands in the parent
    # and its next thread start is refused. The child only calls execve.
    export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:die_after_fork=0:suppressions=$supp/tsan.supp"
    tests=(-R "^(test_queue|test_trainer|test_main_window|test_distill_view)$")
    targets=(test_queue test_trainer test_main_window test_distill_view)
    # libgomp is not built with TSan, which then cannot see its barriers and
    # reports every OpenMP region as a race: the engine's own loops run
    # serially here, and LibTorch's pool is held to one thread
    # (configureThreads under TSan, OMP_NUM_THREADS above).
    extra=(-DLMWB_OPENMP=OFF)
    ;;
  *) echo "sanitize: unknown kind '$kind' (address or thread)" >&2; exit 2 ;;
esac
shift; [ $# -gt 0 ] && shift
# -O1 with line tables only: a sanitizer build costs less to compile on 2
# cores, and its reports still name the file and line. JOBS limits ninja.
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" \
  -DCMAKE_CXX_FLAGS="$flags" -DCMAKE_EXE_LINKER_FLAGS="$flags" -DCMAKE_SHARED_LINKER_FLAGS="$flags" -DCMAKE_MODULE_LINKER_FLAGS="$flags" \
  -DLMWB_TEST_TIMEOUT_SCALE=10 "${extra[@]}"
ninja -C "$build" ${JOBS:+-j "$JOBS"} "${targets[@]}"
cd "$build"
# Instrumented -O1 code runs the engine's kernels 5-15x slower: Qt Test's
# 300 s limit per test function would stop the longest training tests, and
# each test's CTest limit is scaled by 10 (LMWB_TEST_TIMEOUT_SCALE above).
export QTEST_FUNCTION_TIMEOUT=${QTEST_FUNCTION_TIMEOUT:-3000000}
QT_QPA_PLATFORM=offscreen ctest --output-on-failure "${tests[@]}" "$@"
