// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/files.h"

#include "core/errors.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fstream>
#include <random>

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

fs::path temporaryPath(const fs::path& finalPath)
{
    static thread_local std::mt19937_64 rng{std::random_device{}()};
    return finalPath.string() + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(rng() % 1000000000ULL);
}

std::optional<TemporaryName> temporaryName(const std::string& fileName)
{
    const auto digits = [](std::string_view s) {
        return !s.empty() && s.size() < 19 && s.find_first_not_of("0123456789") == std::string_view::npos;
    };
    if (fileName.size() > 4 && fileName.compare(fileName.size() - 4, 4, ".tmp") == 0)
        return TemporaryName{};
    const auto pos = fileName.rfind(".tmp-");
    if (pos == std::string::npos)
        return std::nullopt;
    const std::string_view tail = std::string_view(fileName).substr(pos + 5);
    const auto dash = tail.find('-');
    if (dash == std::string_view::npos)
        return digits(tail) ? std::optional(TemporaryName{}) : std::nullopt; // NAME.tmp-PID of older versions
    if (!digits(tail.substr(0, dash)) || !digits(tail.substr(dash + 1)))
        return std::nullopt;
    return TemporaryName{std::stoll(std::string(tail.substr(0, dash)))};
}

bool processAlive(std::int64_t pid)
{
    return pid > 0 && (::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM);
}

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
    const fs::path tmp = temporaryPath(finalPath);
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
