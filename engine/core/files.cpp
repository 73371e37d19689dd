// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/files.h"

#include "core/errors.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

namespace fs = std::filesystem;

namespace wb {

namespace {

void fsyncPath(const fs::path& p, bool directory)
{
    const int fd = ::open(p.c_str(), directory ? (O_RDONLY | O_DIRECTORY) : O_RDONLY);
    if (fd < 0)
        return;
    ::fsync(fd);
    ::close(fd);
}

} // namespace

std::string readFile(const fs::path& file)
{
    std::error_code ec;
    if (fs::is_directory(file, ec))
        throw InputError("cannot read " + file.string() + ": it is a folder");
    std::ifstream in(file, std::ios::binary);
    if (!in)
        throw InputError("cannot read " + file.string() + ": " + std::strerror(errno));
    in.seekg(0, std::ios::end);
    const auto size = in.tellg();
    if (size < 0)
        throw InputError("cannot read " + file.string() + ": not a regular file");
    std::string data(static_cast<std::size_t>(size), '\0');
    in.seekg(0);
    in.read(data.data(), static_cast<std::streamsize>(data.size()));
    if (!in)
        throw InputError("cannot read " + file.string() + ": " + std::strerror(errno));
    return data;
}

std::int64_t writeFileAtomically(const fs::path& finalPath, const std::function<void(const fs::path&)>& write)
{
    fs::create_directories(finalPath.parent_path());
    const fs::path tmp = finalPath.string() + ".tmp-" + std::to_string(::getpid());
    try {
        write(tmp);
        fsyncPath(tmp, false);
        fs::rename(tmp, finalPath);
        fsyncPath(finalPath.parent_path(), true);
        return static_cast<std::int64_t>(fs::file_size(finalPath));
    } catch (...) {
        std::error_code ec;
        fs::remove(tmp, ec);
        throw;
    }
}

std::int64_t writeBytesAtomically(const fs::path& finalPath, std::string_view bytes)
{
    return writeFileAtomically(finalPath, [&](const fs::path& tmp) {
        std::ofstream out(tmp, std::ios::binary);
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        out.close();
        if (!out)
            throw RuntimeError("cannot write " + tmp.string() + ": " + std::strerror(errno));
    });
}

} // namespace wb
