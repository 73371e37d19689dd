// SPDX-License-Identifier: GPL-3.0-or-later
// Real corpora that this machine already has, found at run time (nothing is
// downloaded): Debian's fortunes (also as a labeled topic set, one label per
// category file), the C and C++ headers of the system include folder, the
// Python standard library, and the English manual pages.
#pragma once

#include "data/corpus_import.h"

#include <cstdint>
#include <string>
#include <vector>

namespace wb {

struct SystemCorpus {
    std::string name;        // the corpus name it is imported under
    std::string description;
    std::string kind;        // text, code, labeled
    CorpusImportOptions options; // paths, format, globs, labels
    std::int64_t files = 0;  // files found
    std::int64_t bytes = 0;  // their size on disk (compressed for manual pages)
};

// Those present on this machine, in a fixed order.
std::vector<SystemCorpus> systemCorpora();

// The named one; InputError listing the names found otherwise.
SystemCorpus systemCorpus(const std::string& name);

} // namespace wb
