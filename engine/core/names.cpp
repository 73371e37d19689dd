// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/names.h"

#include "core/errors.h"

#include <cctype>

namespace wb {

namespace {

// Strict UTF-8 (RFC 3629: no overlongs, no surrogates, at most U+10FFFF).
bool validUtf8(const std::string& s)
{
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        int n = c < 0x80 ? 0 : (c >> 5) == 6 ? 1 : (c >> 4) == 14 ? 2 : (c >> 3) == 30 ? 3 : -1;
        if (n < 0 || (n == 1 && c < 0xc2) || i + static_cast<std::size_t>(n) >= s.size() + (n == 0 ? 1 : 0))
            return false;
        char32_t cp = n == 0 ? c : c & (0x3f >> n);
        for (int k = 1; k <= n; ++k) {
            const auto d = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
            if ((d >> 6) != 2)
                return false;
            cp = (cp << 6) | (d & 0x3f);
        }
        if ((n == 2 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) || (n == 3 && (cp < 0x10000 || cp > 0x10ffff)))
            return false;
        i += static_cast<std::size_t>(n) + 1;
    }
    return true;
}

} // namespace

std::optional<std::string> nameProblem(const std::string& name)
{
    bool blank = true;
    for (unsigned char c : name)
        blank = blank && std::isspace(c);
    if (blank)
        return std::string(name.empty() ? "a name is needed" : "a name cannot be blank");
    if (name.size() > kMaxNameBytes)
        return "it is " + std::to_string(name.size()) + " bytes long; a name has at most " + std::to_string(kMaxNameBytes);
    if (!validUtf8(name))
        return std::string("it is not valid UTF-8");
    for (unsigned char c : name)
        if (c < 0x20 || c == 0x7f)
            return std::string("it holds a control character");
    if (name.find_first_of("/\\") != std::string::npos)
        return std::string("a name cannot hold '/' or '\\' (names are never paths)");
    if (name.find(':') != std::string::npos)
        return std::string("a name cannot hold ':' (it separates a corpus from its tokenizer)");
    if (name.find("..") != std::string::npos || name == ".")
        return std::string("a name cannot be '.' or hold '..'");
    if (std::isspace(static_cast<unsigned char>(name.front())) || std::isspace(static_cast<unsigned char>(name.back())))
        return std::string("a name cannot begin or end with a space");
    return std::nullopt;
}

bool isUtf8(const std::string& text)
{
    return validUtf8(text);
}

std::string printable(const std::string& text)
{
    static const char* hex = "0123456789abcdef";
    std::string out;
    for (std::size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        // The longest valid UTF-8 sequence starting here, if any.
        std::size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        if (n > 1 && (i + n > text.size() || !validUtf8(text.substr(i, n))))
            n = 0;
        if (n == 0 || (n == 1 && (c < 0x20 || c == 0x7f))) {
            out += "\\x";
            out += hex[c >> 4];
            out += hex[c & 15];
            ++i;
        } else {
            out.append(text, i, n);
            i += n;
        }
    }
    return out;
}

void checkName(const std::string& what, const std::string& name)
{
    if (const auto why = nameProblem(name))
        throw InputError(what + " '" + printable(name) + "': " + *why);
}

} // namespace wb
