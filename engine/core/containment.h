// SPDX-License-Identifier: GPL-3.0-or-later
// Containment: the one place where a path named by a catalog row (or any
// other text that came from a file someone may have handed over) becomes a
// path on disk. A catalog received from someone else can say anything in
// its rows; nothing it says may lead the program to read, write, rename or
// delete a file outside the catalog's artifact folder.
#pragma once

#include "core/errors.h"

#include <filesystem>
#include <optional>
#include <string>

namespace wb {

// A row's path that would lead outside the artifact folder. An InputError:
// the catalog is what is wrong, and the message names the row's text.
class OutsideCatalogError : public InputError {
public:
    using InputError::InputError;
};

// Why `relative` may not be used below `root`, or nothing when it may:
// empty, absolute, a `..` component, the folder itself, a NUL or other
// control byte, longer than a path can be, `root` itself a symbolic link,
// or (after following every symbolic link on the way, the last component's
// included) a real path outside the real `root`.
// A path that does not exist yet is judged by the part of it that does.
std::optional<std::string> containmentProblem(const std::filesystem::path& root, const std::string& relative);

// root / relative, or OutsideCatalogError naming `relative` and the reason.
std::filesystem::path containedPath(const std::filesystem::path& root, const std::string& relative);

} // namespace wb
