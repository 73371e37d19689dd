// SPDX-License-Identifier: GPL-3.0-or-later
// Checkpoint files: model parameters and buffers, optimizer state and the
// step, in one LibTorch archive. Internal to the engine.
#pragma once

#include <torch/nn/module.h>

#include <torch/optim/adamw.h>

#include <filesystem>

namespace wb {

void saveTrainingCheckpoint(const std::filesystem::path& file, torch::nn::Module& model, torch::optim::Optimizer& optimizer,
                            std::int64_t step);

// Loads the model part of a checkpoint into `model` (same spec and vocab).
void loadModelWeights(const std::filesystem::path& file, torch::nn::Module& model);

} // namespace wb
