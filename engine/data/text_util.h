// SPDX-License-Identifier: GPL-3.0-or-later
// Small text helpers shared by the import's readers (internal).
#pragma once

#include <algorithm>
#include <string>
#include <string_view>

namespace wb::detail {

inline bool isBlank(std::string_view line)
{
    return std::all_of(line.begin(), line.end(), [](char c) { return c == ' ' || c == '\t' || c == '\r'; });
}

inline std::string_view stripCr(std::string_view line)
{
    if (!line.empty() && line.back() == '\r')
        line.remove_suffix(1);
    return line;
}

inline void trimDocument(std::string& doc)
{
    std::size_t end = doc.size();
    while (end > 0 && (doc[end - 1] == '\n' || doc[end - 1] == '\r' || doc[end - 1] == ' ' || doc[end - 1] == '\t'))
        --end;
    doc.resize(end);
    // Blank lines at the start.
    std::size_t start = 0;
    for (;;) {
        const std::size_t nl = doc.find('\n', start);
        if (nl == std::string::npos || !isBlank(std::string_view(doc).substr(start, nl - start)))
            break;
        start = nl + 1;
    }
    if (start > 0)
        doc.erase(0, start);
}

// Reads the first bytes of a file (decompressed) to sniff binary content and
// the fortune format.

inline bool looksLikeFortunes(std::string_view head)
{
    return head.rfind("%\n", 0) == 0 || head.find("\n%\n") != std::string_view::npos
           || head.find("\n%\r\n") != std::string_view::npos;
}

// Document hashes for exact-duplicate detection: open addressing over a
// power-of-two table of (hash, document index) pairs, 12 bytes a slot, at

} // namespace wb::detail
