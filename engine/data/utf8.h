// SPDX-License-Identifier: GPL-3.0-or-later
// Strict UTF-8 validation and decoding (RFC 3629: no overlongs, no
// surrogates, nothing above U+10FFFF), with the byte offset and line of the
// first bad sequence so a user can find it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wb::utf8 {

struct Problem {
    std::size_t byteOffset = 0; // offset of the first byte of the bad sequence
    std::size_t line = 1;       // 1-based line of that byte
    std::string what;           // "invalid lead byte 0xff", ...
};

// nullopt when `text` is valid UTF-8.
std::optional<Problem> validate(std::string_view text);

// Replaces each maximal ill-formed subsequence with U+FFFD (the Unicode
// standard's recommended practice, section 3.9); `replaced` counts them.
std::string replaceInvalid(std::string_view text, std::size_t& replaced);

// Decodes valid UTF-8 (call validate first) into code points.
std::vector<char32_t> decode(std::string_view text);

void append(std::string& out, char32_t cp);
std::string encode(const std::vector<char32_t>& cps);

// Number of code points in valid UTF-8.
std::size_t length(std::string_view text);

// "U+00E9 'é'" for messages.
std::string describe(char32_t cp);

} // namespace wb::utf8
