// SPDX-License-Identifier: GPL-3.0-or-later
#include "train/checkpoint.h"

#include "core/errors.h"

#include <torch/serialize.h>
#include <torch/torch.h>

namespace wb {

void saveTrainingCheckpoint(const std::filesystem::path& file, torch::nn::Module& model, torch::optim::Optimizer& optimizer,
                            std::int64_t step)
{
    torch::serialize::OutputArchive archive;
    torch::serialize::OutputArchive modelArchive;
    model.save(modelArchive);
    archive.write("model", modelArchive);
    torch::serialize::OutputArchive optimizerArchive;
    optimizer.save(optimizerArchive);
    archive.write("optimizer", optimizerArchive);
    archive.write("step", torch::tensor(step, torch::kLong));
    archive.save_to(file.string());
}

void loadModelWeights(const std::filesystem::path& file, torch::nn::Module& model)
{
    try {
        torch::serialize::InputArchive archive;
        // Weights land on the CPU whatever device trained them; the caller
        // moves the model where it wants it.
        archive.load_from(file.string(), torch::Device(torch::kCPU));
        torch::serialize::InputArchive modelArchive;
        archive.read("model", modelArchive);
        model.load(modelArchive);
    } catch (const c10::Error& e) {
        throw RuntimeError("cannot load checkpoint " + file.string() + ": " + e.what_without_backtrace());
    }
}

} // namespace wb
