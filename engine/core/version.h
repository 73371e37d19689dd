// SPDX-License-Identifier: GPL-3.0-or-later
// Program version and the source revision it was built from (torch-free;
// LibTorch's version and the devices are in compute/runtime.h).
#pragma once

#include <string>

namespace wb {

std::string versionString(); // e.g. "0.1.0"
std::string codeRevision();  // git describe of the build

} // namespace wb
