// SPDX-License-Identifier: GPL-3.0-or-later
#include "compute/threads.h"

#include "core/blas_kernels.h"

#include <ATen/Parallel.h>

#include <dlfcn.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <mutex>
#include <set>
#include <thread>

namespace wb {

namespace {

// OpenBLAS is reached through the generic libblas.so.3 that LibTorch links;
// look its control functions up at run time so that any BLAS still loads.
using SetThreadsFn = void (*)(int);
using GetConfigFn = char* (*)();

} // namespace

int hardwareThreads()
{
    return std::max(1u, std::thread::hardware_concurrency());
}

int parallelLoopThreads()
{
    const std::int64_t n = at::get_num_threads();
    std::mutex m;
    std::set<std::thread::id> seen;
    at::parallel_for(0, n, 1, [&](std::int64_t, std::int64_t) {
        std::lock_guard lock(m);
        seen.insert(std::this_thread::get_id());
    });
    return static_cast<int>(seen.size());
}

bool lowerThisThreadPriority(int nice)
{
    // PRIO_PROCESS with a thread id sets that one thread's nice value.
    return setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), nice) == 0;
}

void configureThreads(int threads)
{
#if defined(__SANITIZE_THREAD__)
    // ThreadSanitizer build: libgomp is not instrumented, so TSan cannot see
    // its barriers and reports every region of LibTorch's pool as a race
    // (and cannot unwind into LibTorch to suppress them). The pool is held
    // to one thread there; TSan checks the engine's own threads (worker,
    // queue, GUI bridge). packaging/sanitize.sh thread.
    (void)threads;
    const int n = 1;
#else
    const int n = threads > 0 ? threads : hardwareThreads();
#endif
    // Intra-op threads are per calling thread under OpenMP: call this on the
    // thread that runs the tensor work.
    at::set_num_threads(n);
    setBlasThreads(configuredBlasThreads());
}

int configuredBlasThreads()
{
    // LMWB_BLAS_THREADS overrides the single OpenBLAS thread, for benchmarks.
    if (const char* env = std::getenv("LMWB_BLAS_THREADS"); env && std::atoi(env) > 0)
        return std::atoi(env);
    return 1;
}

void setBlasThreads(int n)
{
    if (auto fn = reinterpret_cast<SetThreadsFn>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads")))
        fn(n);
}

std::string blasDescription()
{
    if (auto fn = reinterpret_cast<GetConfigFn>(dlsym(RTLD_DEFAULT, "openblas_get_config"))) {
        std::string s = std::string("OpenBLAS ") + fn();
        if (std::getenv("LMWB_BLAS_CORE_SET"))
            s += " (kernels " + blasCore() + " chosen by LM Workbench: this OpenBLAS does not know the CPU)";
        else if (const auto better = betterBlasCore(); !better.empty())
            s += " (generic kernels: OPENBLAS_CORETYPE=" + better + " would be faster)";
        return s;
    }
    return "not OpenBLAS (probably the slow reference BLAS: run packaging/setup-debian.sh)";
}

} // namespace wb
