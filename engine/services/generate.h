// SPDX-License-Identifier: GPL-3.0-or-later
// Text generation from a stored run (its latest checkpoint and its own copy
// of the tokenizer). No LibTorch in this header.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

namespace wb {

class Catalog;

struct GenerateOptions {
    std::string prompt;
    int maxTokens = 200;
    double temperature = 0.8;
    std::uint64_t seed = 1;
};

// Returns the continuation (without the prompt). InputError for an unknown
// run, a run without checkpoint, or a prompt with characters the run's
// tokenizer does not know.
std::string generateFromRun(Catalog& catalog, std::int64_t runId, const GenerateOptions& options,
                            const std::atomic<bool>* stop = nullptr);

} // namespace wb
