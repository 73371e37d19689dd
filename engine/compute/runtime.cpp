// SPDX-License-Identifier: GPL-3.0-or-later
#include "compute/runtime.h"

#include "compute/threads.h"

#include <c10/util/Exception.h>
#include <torch/cuda.h>
#include <torch/version.h>

namespace wb {

std::string errorMessage(const std::exception& e)
{
    if (const auto* c = dynamic_cast<const c10::Error*>(&e))
        return c->what_without_backtrace();
    return e.what();
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
