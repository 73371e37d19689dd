// SPDX-License-Identifier: GPL-3.0-or-later
// UTF-8 validation, replacement and NFC: the replaced text is always valid,
// valid text decodes and encodes back to itself.
#include "core/errors.h"
#include "data/corpus_import.h"
#include "data/utf8.h"

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size)
{
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto problem = wb::utf8::validate(text);
    std::size_t replaced = 0;
    const std::string fixed = wb::utf8::replaceInvalid(text, replaced);
    if (wb::utf8::validate(fixed))
        __builtin_trap();
    if (!problem) {
        if (replaced != 0 || fixed != text)
            __builtin_trap();
        if (wb::utf8::encode(wb::utf8::decode(text)) != text)
            __builtin_trap();
        if (wb::utf8::length(text) != wb::utf8::decode(text).size())
            __builtin_trap();
        const std::string nfc = wb::normalizeNfc(text);
        if (wb::utf8::validate(nfc))
            __builtin_trap();
    }
    return 0;
}
