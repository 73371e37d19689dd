// SPDX-License-Identifier: GPL-3.0-or-later
// Run configurations (as stored with every run and read back on resume).
#include "core/errors.h"
#include "settings/run_config.h"

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size)
{
    try {
        const auto cfg = wb::RunConfig::fromJson(std::string(reinterpret_cast<const char*>(data), size));
        // What is accepted must round-trip.
        const auto again = wb::RunConfig::fromJson(cfg.toJson());
        if (again.toJson() != cfg.toJson())
            __builtin_trap();
    } catch (const wb::InputError&) {
    }
    return 0;
}
