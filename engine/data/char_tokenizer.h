// SPDX-License-Identifier: GPL-3.0-or-later
// Character-level tokenizer: one token per Unicode code point, the vocabulary
// being the sorted set of code points seen in the corpus. Stored as JSON with
// the corpus and copied to every run, so a run can always decode its samples.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace wb {

class CharTokenizer {
public:
    CharTokenizer() = default;

    // Builds the vocabulary from code points (any order, duplicates fine);
    // with `unknown`, one more token (the last id) stands for any other
    // character, so text from another corpus can be encoded too.
    static CharTokenizer fromCodePoints(std::vector<char32_t> cps, bool unknown = false);
    static CharTokenizer fromJson(const std::string& json); // throws InputError
    std::string toJson() const;

    int vocabSize() const { return static_cast<int>(m_vocab.size()) + (m_unknown ? 1 : 0); }
    int unkId() const { return m_unknown ? static_cast<int>(m_vocab.size()) : -1; }
    const std::vector<char32_t>& vocabulary() const { return m_vocab; }

    // Encodes valid UTF-8. A character outside the vocabulary throws an
    // InputError naming it and its byte offset.
    std::vector<std::int32_t> encode(std::string_view text) const;
    // Appends; text must be valid UTF-8 (not checked again).
    void encodeInto(std::string_view text, std::vector<std::int32_t>& out) const;
    std::string decode(const std::vector<std::int32_t>& ids) const;
    std::string decodeOne(std::int32_t id) const;

private:
    std::int32_t lookup(char32_t cp, std::size_t offset) const;

    std::vector<char32_t> m_vocab;
    std::unordered_map<char32_t, std::int32_t> m_index;
    std::vector<std::int32_t> m_bmp; // ids of U+0000..U+FFFF, -1 when absent
    bool m_unknown = false;
};

} // namespace wb
