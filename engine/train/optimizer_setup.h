// SPDX-License-Identifier: GPL-3.0-or-later
// What a run's optimizer updates: the optimizer with its parameter groups
// (weight decay on weight matrices only), a fine-tuning method's frozen
// parameters, and ULMFiT's layer groups. Internal to the trainer: LibTorch.
#pragma once

#include "models/language_model.h"
#include "settings/run_config.h"

#include <torch/optim.h>

#include <memory>
#include <vector>

namespace wb {

// The optimizer over the parameters that train (requires_grad), in two
// groups: weight matrices with weight decay, the rest without.
std::unique_ptr<torch::optim::Optimizer> makeOptimizer(LanguageModel& model, const TrainSettings& t);
// Sets an optimizer group's weight decay, whichever optimizer it belongs to.
void setWeightDecay(torch::optim::OptimizerOptions& o, double wd);
// The model's parameters in ULMFiT's layer groups, bottom first; a parameter
// in no group's prefixes joins the top group.
std::vector<std::vector<torch::Tensor>> groupParameters(LanguageModel& model, const ModelSpec& spec);
// A fine-tuning method trains only its share of the parameters: the rest are
// frozen (no gradient, not in the optimizer, bitwise unchanged).
void freezeForMethod(LanguageModel& model, const ModelSpec& spec, FinetuneMethod method);

} // namespace wb
