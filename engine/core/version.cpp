// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/version.h"

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

} // namespace wb
