// SPDX-License-Identifier: GPL-3.0-or-later
// Checkpoint files: model parameters and buffers, optimizer state, the step,
// and the random state (the batch sampler's generator and LibTorch's CPU
// generator), in one LibTorch archive, so a resumed run continues exactly
// as an uninterrupted one would. Internal to the engine.
#pragma once

#include <torch/nn/module.h>
#include <torch/optim/optimizer.h>

#include <filesystem>
#include <string>
#include <vector>

namespace wb {

struct TrainingState {
    std::int64_t step = 0;
    std::string batchRng;    // std::mt19937_64 written with operator<<
    double bestValLoss = 0;  // best validation loss so far (0: none)
    // Contiguous streams (a family that carries its state, methods.md A4):
    // the next chunk and the state each layer carries, h and c.
    std::int64_t streamChunk = 0;
    std::vector<torch::Tensor> carried;
    // Distillation's hidden-state projection (not part of the student).
    torch::Tensor kdProjection;
};

// `deltaOnly`: only the parameters that train (requires_grad) are written,
// as a "delta" on the parent's checkpoint: loading it needs the parent's
// weights in the model first (lightweight fine-tuning methods).
// `prefixOnly` (a finished prefix-tuning run, methods.md B10): only the
// fixed prefix ("prefix.values"), a classifier head if there is one, and no
// optimizer state: what the run keeps. It cannot be resumed.
void saveTrainingCheckpoint(const std::filesystem::path& file, torch::nn::Module& model, torch::optim::Optimizer& optimizer,
                            const TrainingState& state, bool deltaOnly = false, bool prefixOnly = false);

// A model alone, as compactly as its values allow (a compression variant's
// file, methods.md B11): a tensor with at least half zeros is stored as CSR
// (values, column indices in 16 bits where they fit, row pointers), and with
// `int8Tables` the embedding tables as per-row int8 with float scales (the
// model's tables must already hold those values). Loads like any checkpoint;
// it cannot be resumed. Returns the file's bytes.
std::int64_t saveCompactModel(const std::filesystem::path& file, torch::nn::Module& model, std::int64_t step,
                              const std::vector<std::string>& int8Tables);

// The step a checkpoint was written at.
std::int64_t checkpointStep(const std::filesystem::path& file);

// Loads the model part of a checkpoint into `model` (same spec and vocab).
void loadModelWeights(const std::filesystem::path& file, torch::nn::Module& model);

// Loads model, optimizer and random state; RuntimeError naming the file for
// a checkpoint without them (one written before resumable checkpoints).
TrainingState loadTrainingCheckpoint(const std::filesystem::path& file, torch::nn::Module& model,
                                     torch::optim::Optimizer& optimizer);

} // namespace wb
