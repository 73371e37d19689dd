// SPDX-License-Identifier: GPL-3.0-or-later
// RunConfig: everything that defines a training run, as plain data. Stored as
// JSON with the run so a run can be reproduced and its model rebuilt.
#pragma once

#include "models/model_spec.h"

#include <cstdint>
#include <string>

namespace wb {

struct TrainSettings {
    std::int64_t steps = 2000;
    int batch = 16;
    std::string optimizer = "adamw"; // sgd, adam, adamw
    std::string schedule = "cosine"; // constant, cosine, linear, step, onecycle, stlr
    double momentum = 0.9;     // sgd
    bool nesterov = false;     // sgd
    int accumulate = 1;        // micro-batches per optimizer step (gradient accumulation)
    std::int64_t patience = 0; // early stopping: evaluations without a better validation loss; 0 off
    std::int64_t checkpointEvery = 0; // a resumable checkpoint every N steps (0: only at the end and on Stop)
    int keepCheckpoints = 3;          // periodic checkpoints kept (the last K, plus the best by validation loss)
    double checkpointMinutes = 0;     // also one every M minutes of training (0: off)
    double divergeFactor = 4.0; // a loss above this times the first logged loss counts as diverged
    double lr = 1e-3;          // peak learning rate
    double minLr = 1e-4;       // floor of the cosine decay
    std::int64_t warmup = 100; // linear warm-up steps (capped at steps/10)
    double weightDecay = 0.1;  // on matrices only, not on norms, biases, positions
    double beta1 = 0.9;
    double beta2 = 0.99;
    double clip = 1.0;         // global gradient-norm clip; 0 disables
    std::int64_t evalEvery = 100;
    std::int64_t evalTokens = 32768; // cap per periodic evaluation; the final one takes the whole split
    std::int64_t logEvery = 1;       // read the loss every N steps
    int sampleTokens = 200;
    std::string samplePrompt = "\n";
    std::uint64_t seed = 1337;
    int threads = 0;             // 0: all cores
    std::string device = "cpu";  // cpu | cuda
    // fp32, or bf16: forward and backward under autocast to bfloat16 (weights,
    // optimizer state and the loss stay fp32).
    std::string precision = "fp32";
};

struct RunConfig {
    std::string corpus;  // corpus name
    std::string tokenizer; // tokenizer name; empty: the corpus's character tokenizer
    std::string arch;    // preset name or spec file as given
    ModelSpec spec;
    TrainSettings train;

    std::string toJson() const;
    static RunConfig fromJson(const std::string& json); // throws InputError
};

} // namespace wb
