// SPDX-License-Identifier: GPL-3.0-or-later
// SHA-256 (FIPS 180-4) of bytes and of files: the checksums the catalog
// stores with its artifacts (checkpoints, tokenizers, corpus splits) and
// verifies before it loads them.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace wb {

class Sha256 {
public:
    Sha256();
    void update(const void* data, std::size_t size);
    void update(std::string_view bytes) { update(bytes.data(), bytes.size()); }
    std::string hex(); // the digest as 64 lowercase hex digits; ends the hash

private:
    void block(const unsigned char* p);

    std::uint32_t m_h[8];
    unsigned char m_buf[64];
    std::size_t m_fill = 0;
    std::uint64_t m_bytes = 0;
};

std::string sha256Hex(std::string_view bytes);
// The file's digest; InputError naming the file when it cannot be read.
std::string sha256File(const std::filesystem::path& file);

} // namespace wb
