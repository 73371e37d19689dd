// SPDX-License-Identifier: GPL-3.0-or-later
// RunConfig: everything that defines a training run, as plain data. Stored as
// JSON with the run so a run can be reproduced and its model rebuilt. The
// fields' defaults, ranges and help live in one place, the settings table
// (settings/settings.cpp); a default-constructed TrainSettings holds them.
#pragma once

#include "models/model_spec.h"
#include "core/enums.h"

#include <cstdint>
#include <optional>
#include <string>

namespace wb {

// What each field means, its default and its range: settings/settings.cpp.
struct TrainSettings {
    TrainSettings(); // every field at its default from the settings table

    std::int64_t steps;
    int batch;
    Optimizer optimizer;
    Schedule schedule;
    double momentum;
    bool nesterov;
    int accumulate;
    std::int64_t patience;
    std::int64_t checkpointEvery;
    int keepCheckpoints;
    double checkpointMinutes;
    double divergeFactor;
    double lr;
    double minLr;           // kAutoMinLr until resolved
    std::int64_t warmup;
    double weightDecay;
    double beta1;
    double beta2;
    double clip;
    std::int64_t evalEvery; // kAutoEvalEvery until resolved
    std::int64_t evalTokens;
    std::int64_t logEvery;
    int sampleTokens;
    std::string samplePrompt;
    std::uint64_t seed;
    int threads;            // 0: all cores
    Device device;
    Precision precision;
    Kernels kernels;        // fused CPU kernels, or LibTorch's ops only
    double backwardLmWeight;     // families with backward stacks: weight of the backward-LM loss in training (0: off)
    double activationReg;        // lstm: AR, alpha (0: off; AWD-LSTM: 2)
    double temporalActivationReg; // lstm: TAR, beta (0: off; AWD-LSTM: 1)
    Task task;
    std::int64_t examplesPerClass; // classify: training examples kept per class (0: all)
    FinetuneMethod method; // full for a pretraining run
    std::int64_t unfreezeEvery; // ulmfit: steps between unfreezing the next lower group (0: auto)
    double discriminativeFactor; // ulmfit: each lower group's rate is the one above divided by this
    double auxLmWeight;          // mtl: gamma_0, the auxiliary LM loss's weight at step 0
    std::int64_t auxLmHalfLife;  // mtl: steps in which gamma halves (0: auto, steps / 4)
    int prefixLength;            // prefix: L_p virtual tokens per layer
    int prefixHidden;            // prefix: k, the reparameterisation MLP's hidden width
    double smartLambda;          // smart: lambda_s, the adversarial term's weight
    double smartMu;              // smart: mu, the proximal term's weight
    double smartEta;             // smart: the ascent step
    double smartSigma;           // smart: the initial noise's standard deviation
    double kdAlpha;              // distillation: weight of the soft (teacher) term; 1 - alpha weights the labels
    double kdTemperature;        // distillation: T, the softmax temperature of both distributions
    double kdHiddenWeight;       // distillation: weight of 1 - cos(W h_student, h_teacher) on the last hidden states (0: off)
    bool kdLayerInit;            // distillation: a Transformer student starts from every k-th teacher block (DistilBERT)
    std::int64_t kdTopkCache;    // distillation: k of the teacher's top-k logits cached once per position (0: live teacher)

    bool operator==(const TrainSettings&) const = default;
};

struct RunConfig {
    std::string corpus;    // corpus name
    std::string tokenizer; // tokenizer name; empty: the corpus's character tokenizer
    std::string arch;      // preset name or spec file as given
    ModelSpec spec;
    TrainSettings train;
    // Lineage: a fine-tuning run starts from its parent run's checkpoint at
    // parentStep (and a lightweight method stores only what it trains, as a
    // delta on that checkpoint).
    std::optional<std::int64_t> parentRun;
    std::int64_t parentStep = 0;
    // Knowledge distillation (methods.md B6): the teacher run and the step
    // of its checkpoint whose outputs the student learns from.
    std::optional<std::int64_t> teacherRun;
    std::int64_t teacherStep = 0;
    // Compression (methods.md B11), as a JSON object, empty for other runs:
    // "method" (prune, quantize, lowrank; absent on a run fine-tuned from a
    // variant) and its settings, and "structure", what the model is built
    // with: "factors" {layer: rank}, "int8" (linear layers and embedding
    // tables in int8), "sparse" (pruned weights keep their zeros), and
    // "pruned" {what was removed by structured pruning, for the record}.
    std::string compression;

    std::string toJson() const;
    static RunConfig fromJson(const std::string& json); // throws InputError naming the setting
};

} // namespace wb
