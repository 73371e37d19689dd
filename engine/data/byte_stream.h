// SPDX-License-Identifier: GPL-3.0-or-later
// Buffered reading of a file (gzip-compressed when its name ends in .gz, as
// manual pages are) or of a std::istream, one byte or one line at a time,
// with the byte offset kept. Imports read through this so that memory stays
// bounded by the longest line, whatever the file's size.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <istream>
#include <memory>
#include <string>
#include <vector>

namespace wb {

class ByteStream {
public:
    // Reads `bytes` into `buffer`, returns how many (0 at the end).
    using Source = std::function<std::size_t(char* buffer, std::size_t bytes)>;

    explicit ByteStream(Source source, std::size_t bufferSize = 1 << 20);
    explicit ByteStream(std::istream& in);
    // InputError naming the file when it cannot be opened or decompressed.
    static std::unique_ptr<ByteStream> open(const std::filesystem::path& file);

    int get()
    {
        if (m_pos == m_end && !refill())
            return -1;
        ++m_offset;
        return static_cast<unsigned char>(m_buffer[m_pos++]);
    }
    int peek()
    {
        if (m_pos == m_end && !refill())
            return -1;
        return static_cast<unsigned char>(m_buffer[m_pos]);
    }
    // The next line without its '\n' (a '\r' before it is kept); false at
    // the end of the input. `lineOffset` receives the byte offset where it
    // starts. A last line without '\n' is returned like any other.
    bool readLine(std::string& line, std::uint64_t& lineOffset);
    // Byte offset of the next byte (of the decompressed text).
    std::uint64_t offset() const { return m_offset; }
    // Called after each refill with the bytes read from the source so far
    // (compressed bytes for .gz); may throw (Cancelled) to abort.
    std::function<void(std::uint64_t sourceBytes)> onRefill;

private:
    bool refill();

    Source m_source;
    std::vector<char> m_buffer;
    std::size_t m_pos = 0;
    std::size_t m_end = 0;
    std::uint64_t m_offset = 0;
    std::uint64_t m_sourceBytes = 0;
    std::shared_ptr<void> m_handle;
};

} // namespace wb
