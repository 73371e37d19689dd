// SPDX-License-Identifier: GPL-3.0-or-later
// What this process computes with: LibTorch's version, the BLAS, the GPUs.
// Torch-free header.
#pragma once

#include <exception>
#include <string>

namespace wb {

std::string buildInfo(); // LibTorch version, BLAS in use, CUDA availability
bool cudaAvailable();    // LibTorch built with CUDA and a GPU visible

// An error's message for a person: LibTorch's errors without their C++
// backtrace, the others as they are.
std::string errorMessage(const std::exception& e);

} // namespace wb
