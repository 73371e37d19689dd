// SPDX-License-Identifier: GPL-3.0-or-later
#include "data/utf8.h"

#include <cstdio>

namespace wb::utf8 {

namespace {

std::string hexByte(unsigned char b)
{
    char buf[8];
    std::snprintf(buf, sizeof buf, "0x%02x", b);
    return buf;
}

// Length of the sequence starting with lead byte b, 0 if b cannot start one.
int sequenceLength(unsigned char b)
{
    if (b < 0x80) return 1;
    if (b >= 0xC2 && b <= 0xDF) return 2;
    if (b >= 0xE0 && b <= 0xEF) return 3;
    if (b >= 0xF0 && b <= 0xF4) return 4;
    return 0;
}

} // namespace

std::optional<Problem> validate(std::string_view text)
{
    const auto* s = reinterpret_cast<const unsigned char*>(text.data());
    const std::size_t n = text.size();
    std::size_t line = 1;
    std::size_t i = 0;
    while (i < n) {
        const unsigned char b = s[i];
        if (b < 0x80) { // fast path for ASCII
            if (b == '\n') ++line;
            ++i;
            continue;
        }
        const int len = sequenceLength(b);
        if (len == 0)
            return Problem{i, line, "invalid lead byte " + hexByte(b)};
        if (i + len > n)
            return Problem{i, line, "truncated " + std::to_string(len) + "-byte sequence at end of file"};
        // Second-byte ranges exclude overlongs (E0, F0), surrogates (ED) and
        // code points above U+10FFFF (F4).
        unsigned char lo = 0x80, hi = 0xBF;
        if (b == 0xE0) lo = 0xA0;
        else if (b == 0xED) hi = 0x9F;
        else if (b == 0xF0) lo = 0x90;
        else if (b == 0xF4) hi = 0x8F;
        if (s[i + 1] < lo || s[i + 1] > hi)
            return Problem{i, line, "invalid continuation byte " + hexByte(s[i + 1]) + " after " + hexByte(b)};
        for (int k = 2; k < len; ++k)
            if ((s[i + k] & 0xC0) != 0x80)
                return Problem{i, line, "invalid continuation byte " + hexByte(s[i + k]) + " after " + hexByte(b)};
        i += len;
    }
    return std::nullopt;
}

namespace {

// Length of the maximal ill-formed subsequence starting at i: the lead byte
// and the continuation bytes that were still valid for it.
std::size_t invalidSpan(std::string_view text, std::size_t i)
{
    const auto* s = reinterpret_cast<const unsigned char*>(text.data());
    const unsigned char b = s[i];
    const int len = sequenceLength(b);
    if (len <= 1)
        return 1;
    unsigned char lo = 0x80, hi = 0xBF;
    if (b == 0xE0) lo = 0xA0;
    else if (b == 0xED) hi = 0x9F;
    else if (b == 0xF0) lo = 0x90;
    else if (b == 0xF4) hi = 0x8F;
    std::size_t n = 1;
    if (i + 1 < text.size() && s[i + 1] >= lo && s[i + 1] <= hi) {
        ++n;
        while (static_cast<int>(n) < len && i + n < text.size() && (s[i + n] & 0xC0) == 0x80)
            ++n;
    }
    return n;
}

} // namespace

std::string replaceInvalid(std::string_view text, std::size_t& replaced)
{
    replaced = 0;
    std::string out;
    out.reserve(text.size());
    std::size_t pos = 0;
    while (pos < text.size()) {
        const auto problem = validate(text.substr(pos));
        if (!problem) {
            out.append(text.substr(pos));
            break;
        }
        const std::size_t bad = pos + problem->byteOffset;
        out.append(text.substr(pos, bad - pos));
        out.append("\xEF\xBF\xBD"); // U+FFFD
        ++replaced;
        pos = bad + invalidSpan(text, bad);
    }
    return out;
}

std::vector<char32_t> decode(std::string_view text)
{
    std::vector<char32_t> out;
    out.reserve(text.size());
    const auto* s = reinterpret_cast<const unsigned char*>(text.data());
    const std::size_t n = text.size();
    for (std::size_t i = 0; i < n;) {
        const unsigned char b = s[i];
        const int len = sequenceLength(b);
        char32_t cp = 0;
        if (len <= 1) { cp = b; i += 1; }
        else if (len == 2) { cp = ((b & 0x1F) << 6) | (s[i + 1] & 0x3F); i += 2; }
        else if (len == 3) { cp = ((b & 0x0F) << 12) | ((s[i + 1] & 0x3F) << 6) | (s[i + 2] & 0x3F); i += 3; }
        else { cp = ((b & 0x07) << 18) | ((s[i + 1] & 0x3F) << 12) | ((s[i + 2] & 0x3F) << 6) | (s[i + 3] & 0x3F); i += 4; }
        out.push_back(cp);
    }
    return out;
}

void append(std::string& out, char32_t cp)
{
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

std::string encode(const std::vector<char32_t>& cps)
{
    std::string out;
    out.reserve(cps.size());
    for (char32_t cp : cps)
        append(out, cp);
    return out;
}

std::size_t length(std::string_view text)
{
    std::size_t n = 0;
    for (unsigned char c : text)
        n += (c & 0xC0) != 0x80;
    return n;
}

std::string describe(char32_t cp)
{
    char buf[16];
    std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(cp));
    std::string s = buf;
    if (cp >= 0x20 && cp != 0x7F) {
        s += " '";
        append(s, cp);
        s += "'";
    }
    return s;
}

} // namespace wb::utf8
