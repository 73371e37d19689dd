// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/version.h"

#include "core/threads.h"

#include <torch/cuda.h>
#include <torch/version.h>

#ifndef LMWB_VERSION
#define LMWB_VERSION "0.0.0"
#endif
#ifndef LMWB_GIT_DESCRIBE
#define LMWB_GIT_DESCRIBE "unknown"
#endif

namespace wb {

std::string versionString()
{
    return LMWB_VERSION;
}

std::string codeRevision()
{
    return LMWB_GIT_DESCRIBE;
}

bool cudaAvailable()
{
    return torch::cuda::is_available();
}

std::string buildInfo()
{
    std::string s = "LibTorch " TORCH_VERSION;
    s += "; BLAS: " + blasDescription();
    s += torch::cuda::is_available() ? "; CUDA available (" + std::to_string(torch::cuda::device_count()) + " devices)"
                                     : std::string("; CUDA not available");
    return s;
}

} // namespace wb
