// SPDX-License-Identifier: GPL-3.0-or-later
// Program version and the source revision it was built from.
#pragma once

#include <string>

namespace wb {

std::string versionString();   // e.g. "0.1.0"
std::string codeRevision();    // git describe of the build
std::string buildInfo();       // LibTorch version, BLAS in use, CUDA availability
bool cudaAvailable();          // LibTorch built with CUDA and a GPU visible

} // namespace wb
