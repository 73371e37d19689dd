// SPDX-License-Identifier: GPL-3.0-or-later
// Sweep files: parsed, expanded into runs, every run validated.
#include "core/errors.h"
#include "settings/sweep_plan.h"

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size)
{
    try {
        const auto plan = wb::planSweep(std::string(reinterpret_cast<const char*>(data), size), "fuzz.json");
        for (const auto& key : plan.keys)
            for (const auto& run : plan.runs)
                (void)wb::sweptValue(run.toJson(), key);
        (void)wb::sweepKeys(plan.json);
    } catch (const wb::InputError&) {
    }
    return 0;
}
