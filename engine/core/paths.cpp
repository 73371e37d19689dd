// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/paths.h"

#include <algorithm>
#include <cstdlib>

namespace fs = std::filesystem;

namespace wb {

fs::path defaultCatalogPath()
{
    if (const char* env = std::getenv("LMWB_CATALOG"); env && *env)
        return fs::path(env);
    fs::path base;
    if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg)
        base = xdg;
    else if (const char* home = std::getenv("HOME"); home && *home)
        base = fs::path(home) / ".local" / "share";
    else
        base = fs::current_path();
    return base / "lm-workbench" / "catalog.sqlite";
}

std::vector<fs::path> systemFortuneFiles()
{
    std::vector<fs::path> files;
    const fs::path dir = "/usr/share/games/fortunes";
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        return files;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        if (entry.is_symlink() || !entry.is_regular_file())
            continue;
        const auto ext = entry.path().extension().string();
        if (ext == ".dat" || ext == ".u8")
            continue;
        files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end()); // directory order is not stable
    return files;
}

} // namespace wb
