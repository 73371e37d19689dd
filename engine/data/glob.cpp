// SPDX-License-Identifier: GPL-3.0-or-later
#include "data/glob.h"

namespace wb {

namespace {

// Matches a character class starting after '[' at p[i]; sets `end` to the
// index after ']'. A class without ']' matches '[' literally.
bool matchClass(std::string_view p, std::size_t i, char c, std::size_t& end)
{
    std::size_t j = i;
    bool negate = false;
    if (j < p.size() && (p[j] == '!' || p[j] == '^')) {
        negate = true;
        ++j;
    }
    bool matched = false;
    bool first = true;
    for (; j < p.size() && (first || p[j] != ']'); ++j, first = false) {
        if (j + 2 < p.size() && p[j + 1] == '-' && p[j + 2] != ']') {
            matched |= p[j] <= c && c <= p[j + 2];
            j += 2;
        } else {
            matched |= p[j] == c;
        }
    }
    if (j >= p.size()) { // no closing bracket: a literal '['
        end = i;
        return c == '[';
    }
    end = j + 1;
    return matched != negate;
}

bool match(std::string_view p, std::string_view s)
{
    std::size_t pi = 0, si = 0;
    while (pi < p.size()) {
        if (p.substr(pi, 2) == "**") {
            std::size_t rest = pi + 2;
            const bool slash = rest < p.size() && p[rest] == '/';
            if (slash)
                ++rest;
            // `**/` may match nothing, or anything ending at a '/'.
            for (std::size_t k = si; k <= s.size(); ++k) {
                if (slash && k > si && s[k - 1] != '/')
                    continue;
                if (match(p.substr(rest), s.substr(k)))
                    return true;
            }
            return false;
        }
        const char pc = p[pi];
        if (pc == '*') {
            for (std::size_t k = si; k <= s.size(); ++k) {
                if (match(p.substr(pi + 1), s.substr(k)))
                    return true;
                if (k < s.size() && s[k] == '/')
                    return false;
            }
            return false;
        }
        if (si >= s.size())
            return false;
        if (pc == '?') {
            if (s[si] == '/')
                return false;
        } else if (pc == '[') {
            std::size_t end = 0;
            if (!matchClass(p, pi + 1, s[si], end))
                return false;
            if (end != pi + 1) {
                pi = end;
                ++si;
                continue;
            }
        } else if (pc != s[si]) {
            return false;
        }
        ++pi;
        ++si;
    }
    return si == s.size();
}

} // namespace

bool globMatch(std::string_view pattern, std::string_view path)
{
    return match(pattern, path);
}

} // namespace wb
