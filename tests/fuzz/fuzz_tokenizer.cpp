// SPDX-License-Identifier: GPL-3.0-or-later
// Tokenizer files (char, byte, word; the first byte picks the kind): a file
// either loads or raises InputError; a loaded one decodes what it encodes.
#include "core/errors.h"
#include "data/tokenizer.h"

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size)
{
    if (size == 0)
        return 0;
    static const char* kinds[] = {"", "char", "byte", "word"};
    const std::string kind = kinds[data[0] % 4];
    try {
        auto tok = wb::loadTokenizer(std::string(reinterpret_cast<const char*>(data) + 1, size - 1), kind);
        if (tok->vocabSize() <= 0)
            __builtin_trap();
        try {
            const auto ids = tok->encode("hello, world");
            for (auto id : ids)
                if (id < 0 || id >= tok->vocabSize())
                    __builtin_trap();
            (void)tok->decode(ids);
        } catch (const wb::InputError&) { // a character the vocabulary lacks
        }
    } catch (const wb::InputError&) {
    }
    return 0;
}
