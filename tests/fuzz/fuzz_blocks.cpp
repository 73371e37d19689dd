// SPDX-License-Identifier: GPL-3.0-or-later
// The Blocks and fortune formats, question/answer blocks, Python docstrings.
#include "core/errors.h"
#include "data/corpus_import.h"

#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size)
{
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    try {
        for (const auto& doc : wb::splitDocuments(text)) {
            if (doc.size() > size)
                __builtin_trap(); // a document is made of the input's bytes
            (void)wb::splitQa(doc);
        }
        std::vector<std::string> lines;
        std::size_t start = 0;
        for (std::size_t i = 0; i <= text.size(); ++i)
            if (i == text.size() || text[i] == '\n') {
                lines.emplace_back(text.substr(start, i - start));
                start = i + 1;
            }
        (void)wb::pythonDocstringPairs(lines);
    } catch (const wb::InputError&) {
    }
    return 0;
}
