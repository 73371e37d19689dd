// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/paths.h"

#include "core/errors.h"

#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace fs = std::filesystem;

namespace wb {

fs::path defaultCatalogPath()
{
    if (const char* env = std::getenv("LMWB_CATALOG"); env && *env)
        return fs::path(env);
    fs::path base;
    // The XDG base directory rules: a relative XDG_DATA_HOME is ignored.
    if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg == '/')
        base = xdg;
    else if (const char* home = std::getenv("HOME"); home && *home == '/')
        base = fs::path(home) / ".local" / "share";
    else if (const passwd* pw = ::getpwuid(::getuid()); pw && pw->pw_dir && *pw->pw_dir == '/') {
        // HOME unset (a cron job, a service): the user's home from the
        // password database, said once, never the current folder.
        base = fs::path(pw->pw_dir) / ".local" / "share";
        static bool said = false;
        if (!said) {
            said = true;
            std::fprintf(stderr, "lm-workbench: HOME is not set; using %s (give --catalog or LMWB_CATALOG to choose)\n",
                         (base / "lm-workbench" / "catalog.sqlite").c_str());
        }
    } else
        throw InputError("HOME is not set and this user has no home folder: give the catalog with --catalog PATH or "
                         "LMWB_CATALOG");
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
