// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/blas_kernels.h"

#include <dlfcn.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

namespace wb {

std::string blasCore()
{
    // OpenBLAS is reached through the generic libblas.so.3 that LibTorch
    // links: looked up at run time so that any BLAS still loads.
    using CoreNameFn = char* (*)();
    if (auto fn = reinterpret_cast<CoreNameFn>(dlsym(RTLD_DEFAULT, "openblas_get_corename")))
        if (const char* name = fn())
            return name;
    return {};
}

std::string betterBlasCore()
{
    if (std::getenv("OPENBLAS_CORETYPE"))
        return {};
    const std::string core = blasCore();
    // The generic cores OpenBLAS falls back to for a CPU it does not know.
    static const char* const generic[] = {"Prescott", "Core2", "Nehalem", "Katmai", "Coppermine", "Northwood", "Banias"};
    bool fellBack = false;
    for (const char* g : generic)
        fellBack |= strcasecmp(core.c_str(), g) == 0;
    if (!fellBack)
        return {};
#if defined(__x86_64__)
    __builtin_cpu_init();
    const bool avx512 = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw")
                        && __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq");
    if (avx512 && __builtin_cpu_supports("avx512bf16"))
        return "Cooperlake";
    if (avx512)
        return "SkylakeX";
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
        return "Haswell";
#endif
    return {};
}

void useBestBlasKernels(char** argv)
{
    if (const char* keep = std::getenv("LMWB_BLAS_CORE"); keep && std::strcmp(keep, "keep") == 0)
        return;
    if (std::getenv("LMWB_BLAS_CORE_SET"))
        return; // this is the second start: keep whatever OpenBLAS chose now
    const std::string core = betterBlasCore();
    if (core.empty())
        return;
    ::setenv("OPENBLAS_CORETYPE", core.c_str(), 1);
    ::setenv("LMWB_BLAS_CORE_SET", "1", 1);
    ::execv("/proc/self/exe", argv);
    // The exec failed: go on with the kernels OpenBLAS chose.
    ::unsetenv("OPENBLAS_CORETYPE");
}

} // namespace wb
