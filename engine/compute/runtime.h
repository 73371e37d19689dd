// SPDX-License-Identifier: GPL-3.0-or-later
// What this process computes with: LibTorch's version, the BLAS, the GPUs.
// Torch-free header.
#pragma once

#include <string>

namespace wb {

std::string buildInfo(); // LibTorch version, BLAS in use, CUDA availability
bool cudaAvailable();    // LibTorch built with CUDA and a GPU visible

} // namespace wb
