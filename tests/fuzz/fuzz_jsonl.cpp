// SPDX-License-Identifier: GPL-3.0-or-later
// JSON Lines records with text, label and target fields.
#include "core/errors.h"
#include "data/record_readers.h"

#include <sstream>

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size)
{
    std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
    try {
        wb::JsonlReader reader(in, "fuzz.jsonl");
        wb::JsonlReader::Record r;
        while (reader.next(r, "text", (size & 1) ? "label" : ""))
            ;
    } catch (const wb::InputError&) {
    }
    try {
        wb::JsonlReader::Record r;
        wb::JsonlReader::parseLine(std::string(reinterpret_cast<const char*>(data), size), 1, "fuzz.jsonl", r, "prompt", "",
                                   "answer");
    } catch (const wb::InputError&) {
    }
    return 0;
}
