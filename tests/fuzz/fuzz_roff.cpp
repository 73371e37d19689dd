// SPDX-License-Identifier: GPL-3.0-or-later
// Manual pages: roff source to plain text.
#include "core/errors.h"
#include "data/corpus_import.h"

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size)
{
    try {
        (void)wb::roffToText(std::string_view(reinterpret_cast<const char*>(data), size));
    } catch (const wb::InputError&) {
    }
    return 0;
}
