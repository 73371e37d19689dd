// SPDX-License-Identifier: GPL-3.0-or-later
#include "train/checkpoint.h"

#include "core/errors.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/serialize.h>
#include <torch/torch.h>

#include <cerrno>
#include <cstring>
#include <fstream>

namespace wb {

namespace {

// The model part of a checkpoint: the whole module, or the delta of the
// parameters that train, by their names.
void readModel(torch::serialize::InputArchive& archive, torch::nn::Module& model, const std::filesystem::path& file)
{
    torch::serialize::InputArchive part;
    if (archive.try_read("model", part)) {
        // A classifier's head or a prefix that the checkpoint does not have
        // (its parent is a plain language model) keeps its initialisation.
        std::vector<std::pair<std::string, std::shared_ptr<torch::nn::Module>>> kept;
        const auto children = model.named_children();
        for (const char* name : {"head", "prefix"}) {
            torch::serialize::InputArchive sub;
            if (children.contains(name) && !part.try_read(name, sub)) {
                kept.emplace_back(name, children[name]);
                model.unregister_module(name);
            }
        }
        auto restore = [&] {
            for (auto& [name, module] : kept)
                model.register_module(name, module);
        };
        try {
            model.load(part);
        } catch (...) {
            restore();
            throw;
        }
        restore();
        return;
    }
    if (!archive.try_read("delta", part))
        throw RuntimeError("checkpoint " + file.string() + " holds no model");
    torch::NoGradGuard noGrad;
    std::size_t found = 0;
    for (auto& p : model.named_parameters()) {
        torch::Tensor t;
        if (part.try_read(p.key(), t)) {
            p.value().copy_(t);
            ++found;
        }
    }
    for (auto& b : model.named_buffers()) {
        torch::Tensor t;
        if ((b.key().rfind("head.", 0) == 0 || b.key().rfind("prefix.", 0) == 0) && part.try_read(b.key(), t)) {
            b.value().copy_(t);
            ++found;
        }
    }
    if (found == 0)
        throw RuntimeError("checkpoint " + file.string() + " is a delta for another model");
}

} // namespace

void saveTrainingCheckpoint(const std::filesystem::path& file, torch::nn::Module& model, torch::optim::Optimizer& optimizer,
                            const TrainingState& state, bool deltaOnly, bool prefixOnly)
{
    torch::serialize::OutputArchive archive;
    torch::serialize::OutputArchive modelArchive;
    if (deltaOnly || prefixOnly) {
        for (const auto& p : model.named_parameters())
            if (p.value().requires_grad() && !(prefixOnly && p.key().rfind("prefix.", 0) == 0))
                modelArchive.write(p.key(), p.value().detach());
        // A classifier head's batch-norm statistics go with its weights, a
        // prefix's fixed values with it.
        for (const auto& b : model.named_buffers())
            if (b.key().rfind("head.", 0) == 0 || b.key().rfind("prefix.", 0) == 0)
                modelArchive.write(b.key(), b.value().detach());
        archive.write("delta", modelArchive);
    } else {
        model.save(modelArchive);
        archive.write("model", modelArchive);
    }
    if (!prefixOnly) {
        torch::serialize::OutputArchive optimizerArchive;
        optimizer.save(optimizerArchive);
        archive.write("optimizer", optimizerArchive);
    }
    archive.write("step", torch::tensor(state.step, torch::kLong));
    archive.write("batch_rng", c10::IValue(state.batchRng));
    archive.write("best_val_loss", torch::tensor(state.bestValLoss, torch::kDouble));
    if (state.kdProjection.defined())
        archive.write("kd_projection", state.kdProjection.detach().to(torch::kCPU));
    if (state.streamChunk > 0 || !state.carried.empty()) {
        archive.write("stream_chunk", torch::tensor(state.streamChunk, torch::kLong));
        archive.write("carried_states", torch::tensor(static_cast<std::int64_t>(state.carried.size()), torch::kLong));
        for (std::size_t i = 0; i < state.carried.size(); ++i)
            archive.write("carried_state_" + std::to_string(i), state.carried[i].detach().to(torch::kCPU));
    }
    {
        auto gen = at::detail::getDefaultCPUGenerator();
        std::lock_guard<std::mutex> lock(gen.mutex());
        archive.write("torch_rng", gen.get_state());
    }
    // Serialised in memory, then written with every error checked: LibTorch's
    // own file writer throws from its destructor when a write fails (a full
    // disk), which ends the process instead of reporting it.
    std::string bytes;
    archive.save_to([&](const void* data, std::size_t n) {
        bytes.append(static_cast<const char*>(data), n);
        return n;
    });
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.flush();
    const int err = errno;
    out.close();
    if (!out)
        throw ResourceError("cannot write " + file.string() + ": " + std::strerror(err ? err : EIO));
}

std::int64_t checkpointStep(const std::filesystem::path& file)
{
    try {
        torch::serialize::InputArchive archive;
        archive.load_from(file.string(), torch::Device(torch::kCPU));
        torch::Tensor step;
        archive.read("step", step);
        return step.item<std::int64_t>();
    } catch (const c10::Error& e) {
        throw RuntimeError("cannot load checkpoint " + file.string() + ": " + e.what_without_backtrace());
    }
}

void loadModelWeights(const std::filesystem::path& file, torch::nn::Module& model)
{
    try {
        torch::serialize::InputArchive archive;
        // Weights land on the CPU whatever device trained them; the caller
        // moves the model where it wants it.
        archive.load_from(file.string(), torch::Device(torch::kCPU));
        readModel(archive, model, file);
    } catch (const c10::Error& e) {
        throw RuntimeError("cannot load checkpoint " + file.string() + ": " + e.what_without_backtrace());
    }
}

TrainingState loadTrainingCheckpoint(const std::filesystem::path& file, torch::nn::Module& model,
                                     torch::optim::Optimizer& optimizer)
{
    TrainingState state;
    try {
        torch::serialize::InputArchive archive;
        archive.load_from(file.string(), torch::Device(torch::kCPU));
        readModel(archive, model, file);
        torch::serialize::InputArchive optimizerArchive;
        if (!archive.try_read("optimizer", optimizerArchive))
            throw RuntimeError("checkpoint " + file.string() + " keeps only a prefix (a finished prefix-tuning run); "
                               "it cannot be resumed: fine-tune its parent again with more --steps");
        optimizer.load(optimizerArchive);
        torch::Tensor step;
        archive.read("step", step);
        state.step = step.item<std::int64_t>();
        c10::IValue rng;
        if (!archive.try_read("batch_rng", rng))
            throw RuntimeError("checkpoint " + file.string()
                               + " has no random state (written before resumable checkpoints); it cannot be resumed");
        state.batchRng = rng.toStringRef();
        torch::Tensor best;
        if (archive.try_read("best_val_loss", best))
            state.bestValLoss = best.item<double>();
        torch::Tensor projection;
        if (archive.try_read("kd_projection", projection))
            state.kdProjection = projection;
        torch::Tensor chunk, count;
        if (archive.try_read("stream_chunk", chunk))
            state.streamChunk = chunk.item<std::int64_t>();
        if (archive.try_read("carried_states", count))
            for (std::int64_t i = 0; i < count.item<std::int64_t>(); ++i) {
                torch::Tensor t;
                archive.read("carried_state_" + std::to_string(i), t);
                state.carried.push_back(t);
            }
        torch::Tensor torchRng;
        if (archive.try_read("torch_rng", torchRng)) {
            auto gen = at::detail::getDefaultCPUGenerator();
            std::lock_guard<std::mutex> lock(gen.mutex());
            gen.set_state(torchRng);
        }
    } catch (const c10::Error& e) {
        throw RuntimeError("cannot load checkpoint " + file.string() + ": " + e.what_without_backtrace());
    }
    return state;
}

} // namespace wb
