// SPDX-License-Identifier: GPL-3.0-or-later
// On-disk token caches: one split of a corpus encoded by one tokenizer, as a
// flat array of 16-bit ids (32-bit when the vocabulary needs it) after a
// 16-byte header ("LMWBTOK1", width, reserved). Written once as a stream,
// then memory-mapped for training, so a corpus is never held in memory.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <vector>

namespace wb {

class TokenCacheWriter {
public:
    // Writes to a temporary file beside `file`; finish() renames it there.
    TokenCacheWriter(const std::filesystem::path& file, int vocabSize);
    ~TokenCacheWriter(); // removes the temporary file unless finished
    TokenCacheWriter(const TokenCacheWriter&) = delete;
    TokenCacheWriter& operator=(const TokenCacheWriter&) = delete;

    void append(const std::vector<std::int32_t>& ids);
    std::int64_t tokens() const { return m_tokens; }
    // Flushes, fsyncs and renames; returns the file's size in bytes.
    std::int64_t finish();

private:
    std::filesystem::path m_file, m_tmp;
    std::FILE* m_f = nullptr;
    int m_width = 2;
    std::int64_t m_tokens = 0;
    std::vector<unsigned char> m_buffer;
};

class TokenCache {
public:
    // Maps the file read-only; RuntimeError naming it when it is not a cache.
    explicit TokenCache(const std::filesystem::path& file);
    ~TokenCache();
    TokenCache(const TokenCache&) = delete;
    TokenCache& operator=(const TokenCache&) = delete;

    std::int64_t size() const { return m_count; }
    std::int32_t at(std::int64_t i) const
    {
        return m_width == 2 ? static_cast<const std::uint16_t*>(m_data)[i] : static_cast<const std::int32_t*>(m_data)[i];
    }
    // Copies tokens [start, start + n) as int64 into `out`.
    void copy(std::int64_t start, std::int64_t n, std::int64_t* out) const;
    std::vector<std::int32_t> slice(std::int64_t start, std::int64_t n) const;

private:
    void* m_map = nullptr;
    std::size_t m_mapBytes = 0;
    const void* m_data = nullptr;
    int m_width = 2;
    std::int64_t m_count = 0;
};

} // namespace wb
