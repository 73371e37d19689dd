// SPDX-License-Identifier: GPL-3.0-or-later
#include "data/byte_stream.h"

#include "core/errors.h"

#include <zlib.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace wb {

ByteStream::ByteStream(Source source, std::size_t bufferSize) : m_source(std::move(source)), m_buffer(bufferSize)
{
}

ByteStream::ByteStream(std::istream& in)
    : ByteStream([&in](char* buf, std::size_t n) {
          in.read(buf, static_cast<std::streamsize>(n));
          return static_cast<std::size_t>(in.gcount());
      }, 64 << 10)
{
}

std::unique_ptr<ByteStream> ByteStream::open(const std::filesystem::path& file)
{
    const std::string name = file.string();
    if (file.extension() == ".gz") {
        gzFile gz = gzopen(name.c_str(), "rb");
        if (!gz)
            throw InputError("cannot read " + name + ": " + std::strerror(errno));
        gzbuffer(gz, 1 << 17);
        std::shared_ptr<void> handle(gz, [](void* p) { gzclose(static_cast<gzFile>(p)); });
        auto s = std::make_unique<ByteStream>([gz, name](char* buf, std::size_t n) -> std::size_t {
            const int got = gzread(gz, buf, static_cast<unsigned>(n));
            int code = Z_OK;
            const char* message = gzerror(gz, &code);
            // A truncated stream reads as a short read with Z_BUF_ERROR set.
            if (got < 0 || (code != Z_OK && code != Z_STREAM_END))
                throw InputError("cannot decompress " + name + ": " + message);
            return static_cast<std::size_t>(got);
        }, 1 << 18);
        s->m_handle = std::move(handle);
        return s;
    }
    std::FILE* f = std::fopen(name.c_str(), "rb");
    if (!f)
        throw InputError("cannot read " + name + ": " + std::strerror(errno));
    std::shared_ptr<void> handle(f, [](void* p) { std::fclose(static_cast<std::FILE*>(p)); });
    auto s = std::make_unique<ByteStream>([f, name](char* buf, std::size_t n) -> std::size_t {
        const std::size_t got = std::fread(buf, 1, n, f);
        if (got < n && std::ferror(f))
            throw InputError("cannot read " + name + ": " + std::strerror(errno));
        return got;
    });
    s->m_handle = std::move(handle);
    return s;
}

bool ByteStream::refill()
{
    m_pos = 0;
    m_end = m_source(m_buffer.data(), m_buffer.size());
    m_sourceBytes += m_end;
    if (onRefill && m_end > 0)
        onRefill(m_sourceBytes);
    return m_end > 0;
}

bool ByteStream::readLine(std::string& line, std::uint64_t& lineOffset)
{
    line.clear();
    lineOffset = m_offset;
    bool any = false;
    for (;;) {
        if (m_pos == m_end && !refill())
            return any;
        any = true;
        const char* start = m_buffer.data() + m_pos;
        const auto* nl = static_cast<const char*>(std::memchr(start, '\n', m_end - m_pos));
        if (nl) {
            const std::size_t n = static_cast<std::size_t>(nl - start);
            line.append(start, n);
            m_pos += n + 1;
            m_offset += n + 1;
            return true;
        }
        line.append(start, m_end - m_pos);
        m_offset += m_end - m_pos;
        m_pos = m_end;
    }
}

} // namespace wb
