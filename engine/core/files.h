// SPDX-License-Identifier: GPL-3.0-or-later
// Whole-file reads and atomic whole-file writes.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace wb {

// The file's bytes; InputError naming the file and the reason on failure.
std::string readFile(const std::filesystem::path& file);

// The one naming rule of temporary files and folders, so that `lmwb check`
// can tell a killed write from one in progress: FINAL.tmp-PID-NONCE, PID
// being the writing process. Everything written under a temporary name is
// renamed into place (or removed) by its writer.
std::filesystem::path temporaryPath(const std::filesystem::path& finalPath);
// The process that owns a temporary name (its last path component), or
// nothing when `name` does not follow the rule. Older versions wrote
// NAME.tmp-PID and NAME.tmp; those count as temporaries with no live owner.
struct TemporaryName {
    std::int64_t ownerPid = 0; // 0: unknown
};
std::optional<TemporaryName> temporaryName(const std::string& fileName);
// Whether a process of this machine with that id exists.
bool processAlive(std::int64_t pid);

// Writes a file atomically: `write` fills a temporary file beside
// `finalPath`, which is then flushed to disk and renamed, and the folder
// synced. Returns the final size. On failure the temporary file is removed
// and the exception rethrown; `finalPath` is then untouched.
std::int64_t writeFileAtomically(const std::filesystem::path& finalPath,
                                 const std::function<void(const std::filesystem::path& tmp)>& write);

// writeFileAtomically for bytes in memory.
std::int64_t writeBytesAtomically(const std::filesystem::path& finalPath, std::string_view bytes);

} // namespace wb
