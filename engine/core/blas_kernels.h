// SPDX-License-Identifier: GPL-3.0-or-later
// OpenBLAS's kernels for this CPU. A DYNAMIC_ARCH OpenBLAS chooses its
// kernels by the CPU model when it loads; a CPU newer than the OpenBLAS
// release (Debian 12's 0.3.21 predates Sapphire Rapids) gets the generic
// "Prescott" SSE3 kernels: fp32 GEMM at 29 instead of 135 GFLOP/s on this
// project's machine, training at half speed (docs/benchmarks.md, "BLAS
// kernels"). No LibTorch: both executables call it first thing in main().
#pragma once

#include <string>

namespace wb {

// The OpenBLAS core in use ("Prescott", "SkylakeX", ...); empty when the
// loaded BLAS is not OpenBLAS.
std::string blasCore();

// The OpenBLAS core this CPU should use when OpenBLAS fell back to a generic
// one ("Cooperlake" with AVX-512 BF16, "SkylakeX" with AVX-512, "Haswell"
// with AVX2 and FMA); empty when the core in use is right, the BLAS is not
// OpenBLAS, or OPENBLAS_CORETYPE was set by the user (their choice stands).
std::string betterBlasCore();

// When betterBlasCore() names one, runs this program again (execv of
// /proc/self/exe, same arguments and process id) with OPENBLAS_CORETYPE set
// to it, since OpenBLAS reads that only when it loads. Returns when nothing
// needs doing, after one attempt already (LMWB_BLAS_CORE_SET guards against
// loops), or when the exec failed; LMWB_BLAS_CORE=keep turns it off.
void useBestBlasKernels(char** argv);

} // namespace wb
