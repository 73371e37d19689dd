// SPDX-License-Identifier: GPL-3.0-or-later
// A stored run's model for the services that run it (generation,
// compression, measuring). Internal to the engine: includes LibTorch.
#pragma once

#include "data/tokenizer.h"
#include "models/language_model.h"
#include "settings/run_config.h"

#include <cstdint>
#include <memory>

namespace wb {

class Catalog;

// A run's language model with its weights (its checkpoint chain) on the
// CPU, and its own copy of the tokenizer.
struct RunLm {
    RunConfig config;
    std::unique_ptr<Tokenizer> tokenizer;
    std::shared_ptr<LanguageModel> model;
};

// InputError for an unknown run, one without checkpoint or tokenizer.
RunLm loadRunLm(Catalog& catalog, std::int64_t runId);

} // namespace wb
