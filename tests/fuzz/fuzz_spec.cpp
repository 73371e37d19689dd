// SPDX-License-Identifier: GPL-3.0-or-later
// Architecture spec files: parse, validate, and the size formulas.
#include "core/errors.h"
#include "models/model_spec.h"

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size)
{
    try {
        const auto spec = wb::ModelSpec::fromJson(std::string(reinterpret_cast<const char*>(data), size), "fuzz.json");
        spec.validate("fuzz.json");
        (void)spec.toJson();
    } catch (const wb::InputError&) {
    }
    return 0;
}
