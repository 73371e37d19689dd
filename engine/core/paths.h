// SPDX-License-Identifier: GPL-3.0-or-later
// Where things live on disk: the default catalog (XDG data directory) and the
// default corpus that ships with Debian's `fortunes` package.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace wb {

// $LMWB_CATALOG, else $XDG_DATA_HOME/lm-workbench/catalog.sqlite, else
// ~/.local/share/lm-workbench/catalog.sqlite.
std::filesystem::path defaultCatalogPath();

// The text files of Debian's fortunes packages (without the .dat indexes and
// the .u8 symlinks); empty when the package is not installed.
std::vector<std::filesystem::path> systemFortuneFiles();

inline constexpr const char* kDefaultCorpusName = "fortunes";

} // namespace wb
