// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/containment.h"

#include <climits>

namespace fs = std::filesystem;

namespace wb {

namespace {

// `p` lies in or below `root` (both already real paths): compared component
// by component, so /a/bc is not inside /a/b.
bool within(const fs::path& root, const fs::path& p)
{
    auto r = root.begin(), q = p.begin();
    for (; r != root.end(); ++r, ++q) {
        if (r->empty())
            continue; // the empty last component of a root ending in '/'
        if (q == p.end() || *r != *q)
            return false;
    }
    return true;
}

} // namespace

std::optional<std::string> containmentProblem(const fs::path& root, const std::string& relative)
{
    if (relative.empty())
        return std::string("the path is empty");
    for (unsigned char c : relative)
        if (c < 0x20 || c == 0x7f)
            return std::string("the path holds a control character");
    if (relative.size() >= PATH_MAX)
        return "the path is " + std::to_string(relative.size()) + " bytes long";
    const fs::path rel(relative);
    if (rel.is_absolute() || relative.front() == '/')
        return std::string("an absolute path");
    for (const auto& part : rel)
        if (part == "..")
            return std::string("it climbs out with '..'");
    if (rel.lexically_normal() == "." || rel.lexically_normal().empty())
        return std::string("it names the artifact folder itself");
    // The artifact folder must be a real folder: a link there (a received
    // catalog's folder pointing at the user's home) would make everything
    // it points to "inside".
    std::error_code lc;
    if (fs::is_symlink(root, lc))
        return "the artifact folder " + root.string() + " is a symbolic link, which LM Workbench never follows";
    // Symbolic links: the real path of what exists must stay inside the real
    // root. weakly_canonical follows every link of the existing prefix,
    // the last component's too, so a link planted anywhere on the way (a
    // corpus folder replaced by a link, a checkpoint that is a link) is seen.
    std::error_code ec;
    const fs::path realRoot = fs::weakly_canonical(root, ec);
    if (ec)
        return "the artifact folder " + root.string() + " cannot be resolved: " + ec.message();
    const fs::path real = fs::weakly_canonical(root / rel, ec);
    if (ec)
        return "it cannot be resolved: " + ec.message();
    if (!within(realRoot, real))
        return "a symbolic link on the way leads to " + real.string();
    return std::nullopt;
}

fs::path containedPath(const fs::path& root, const std::string& relative)
{
    if (const auto why = containmentProblem(root, relative))
        throw OutsideCatalogError("the catalog names the file '" + relative + "', which points outside the catalog's artifact folder "
                                  + root.string() + " (" + *why + "); it was not touched. lmwb check lists such rows and "
                                  "lmwb check --repair drops them");
    return root / fs::path(relative);
}

} // namespace wb
