// SPDX-License-Identifier: GPL-3.0-or-later
#include "data/token_cache.h"

#include "core/errors.h"
#include "core/files.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace fs = std::filesystem;

namespace wb {

namespace {
constexpr char kMagic[8] = {'L', 'M', 'W', 'B', 'T', 'O', 'K', '1'};
constexpr std::size_t kHeader = 16;
} // namespace

TokenCacheWriter::TokenCacheWriter(const fs::path& file, int vocabSize) : m_file(file)
{
    m_width = vocabSize <= 65536 ? 2 : 4;
    fs::create_directories(file.parent_path());
    m_tmp = temporaryPath(file);
    m_f = std::fopen(m_tmp.c_str(), "wb");
    if (!m_f)
        throw RuntimeError("cannot write " + m_tmp.string() + ": " + std::strerror(errno));
    unsigned char header[kHeader] = {};
    std::memcpy(header, kMagic, 8);
    header[8] = static_cast<unsigned char>(m_width);
    if (std::fwrite(header, 1, kHeader, m_f) != kHeader)
        throw RuntimeError("cannot write " + m_tmp.string() + ": " + std::strerror(errno));
}

TokenCacheWriter::~TokenCacheWriter()
{
    if (m_f) {
        std::fclose(m_f);
        std::error_code ec;
        fs::remove(m_tmp, ec);
    }
}

void TokenCacheWriter::append(const std::vector<std::int32_t>& ids)
{
    if (ids.empty())
        return;
    m_buffer.resize(ids.size() * static_cast<std::size_t>(m_width));
    if (m_width == 2) {
        auto* out = reinterpret_cast<std::uint16_t*>(m_buffer.data());
        for (std::size_t i = 0; i < ids.size(); ++i)
            out[i] = static_cast<std::uint16_t>(ids[i]);
    } else {
        std::memcpy(m_buffer.data(), ids.data(), m_buffer.size());
    }
    if (std::fwrite(m_buffer.data(), 1, m_buffer.size(), m_f) != m_buffer.size())
        throw RuntimeError("cannot write " + m_tmp.string() + ": " + std::strerror(errno));
    m_tokens += static_cast<std::int64_t>(ids.size());
}

std::int64_t TokenCacheWriter::finish()
{
    if (std::fflush(m_f) != 0 || ::fsync(::fileno(m_f)) != 0)
        throw RuntimeError("cannot write " + m_tmp.string() + ": " + std::strerror(errno));
    std::fclose(m_f);
    m_f = nullptr;
    std::error_code ec;
    fs::rename(m_tmp, m_file, ec);
    if (ec) {
        fs::remove(m_tmp, ec);
        throw RuntimeError("cannot write " + m_file.string() + ": " + ec.message());
    }
    return static_cast<std::int64_t>(kHeader) + m_tokens * m_width;
}

TokenCache::TokenCache(const fs::path& file)
{
    const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        throw RuntimeError("cannot read token cache " + file.string() + ": " + std::strerror(errno));
    struct stat st {};
    ::fstat(fd, &st);
    m_mapBytes = static_cast<std::size_t>(st.st_size);
    if (m_mapBytes < kHeader) {
        ::close(fd);
        throw RuntimeError(file.string() + " is not a token cache (too short)");
    }
    m_map = ::mmap(nullptr, m_mapBytes, PROT_READ, MAP_SHARED, fd, 0);
    ::close(fd);
    if (m_map == MAP_FAILED) {
        m_map = nullptr;
        throw RuntimeError("cannot map token cache " + file.string() + ": " + std::strerror(errno));
    }
    const auto* bytes = static_cast<const unsigned char*>(m_map);
    m_width = bytes[8];
    if (std::memcmp(bytes, kMagic, 8) != 0 || (m_width != 2 && m_width != 4)
        || (m_mapBytes - kHeader) % static_cast<std::size_t>(m_width) != 0) {
        ::munmap(m_map, m_mapBytes);
        m_map = nullptr;
        throw RuntimeError(file.string() + " is not a token cache");
    }
    m_data = bytes + kHeader;
    m_count = static_cast<std::int64_t>((m_mapBytes - kHeader) / static_cast<std::size_t>(m_width));
    ::madvise(m_map, m_mapBytes, MADV_RANDOM);
}

TokenCache::~TokenCache()
{
    if (m_map)
        ::munmap(m_map, m_mapBytes);
}

void TokenCache::copy(std::int64_t start, std::int64_t n, std::int64_t* out) const
{
    if (m_width == 2) {
        const auto* p = static_cast<const std::uint16_t*>(m_data) + start;
        for (std::int64_t i = 0; i < n; ++i)
            out[i] = p[i];
    } else {
        const auto* p = static_cast<const std::int32_t*>(m_data) + start;
        for (std::int64_t i = 0; i < n; ++i)
            out[i] = p[i];
    }
}

std::vector<std::int32_t> TokenCache::slice(std::int64_t start, std::int64_t n) const
{
    std::vector<std::int32_t> out(static_cast<std::size_t>(n));
    for (std::int64_t i = 0; i < n; ++i)
        out[static_cast<std::size_t>(i)] = at(start + i);
    return out;
}

} // namespace wb
