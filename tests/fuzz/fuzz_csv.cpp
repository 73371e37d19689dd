// SPDX-License-Identifier: GPL-3.0-or-later
// CSV and TSV (RFC 4180) records: any bytes either parse or raise InputError.
#include "core/errors.h"
#include "data/record_readers.h"

#include <sstream>

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size)
{
    if (size == 0)
        return 0;
    // The first byte picks the delimiter, the rest is the file.
    const char delimiter = (data[0] & 1) ? '\t' : ',';
    std::istringstream in(std::string(reinterpret_cast<const char*>(data) + 1, size - 1));
    try {
        wb::CsvReader reader(in, delimiter, "fuzz.csv");
        std::vector<std::string> fields;
        while (reader.next(fields))
            if (reader.fieldOffsets().size() != fields.size())
                __builtin_trap();
    } catch (const wb::InputError&) {
    }
    return 0;
}
