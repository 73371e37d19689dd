// SPDX-License-Identifier: GPL-3.0-or-later
// Whole-file reads and atomic whole-file writes.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

namespace wb {

// The file's bytes; InputError naming the file and the reason on failure.
std::string readFile(const std::filesystem::path& file);

// Writes a file atomically: `write` fills a temporary file beside
// `finalPath`, which is then flushed to disk and renamed, and the folder
// synced. Returns the final size. On failure the temporary file is removed
// and the exception rethrown; `finalPath` is then untouched.
std::int64_t writeFileAtomically(const std::filesystem::path& finalPath,
                                 const std::function<void(const std::filesystem::path& tmp)>& write);

// writeFileAtomically for bytes in memory.
std::int64_t writeBytesAtomically(const std::filesystem::path& finalPath, std::string_view bytes);

} // namespace wb
