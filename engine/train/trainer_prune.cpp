// SPDX-License-Identifier: GPL-3.0-or-later
// The trainer's pruning (methods.md B11): masks applied to the gradients
// before and to the weights after every optimiser step, recomputed on Zhu
// & Gupta's cubic schedule for a gradual prune.
#include "train/trainer_impl.h"

#include <nlohmann/json.hpp>

namespace wb {

void Trainer::Impl::setupSparsity()
{
    sparse = Sparsity();
    if (config.compression.empty())
        return;
    const auto j = nlohmann::json::parse(config.compression);
    const bool keepZeros = j.contains("structure") && j.at("structure").value("sparse", false);
    const bool gradual = j.value("method", "") == "prune" && j.value("schedule", "") == "gradual";
    if (!keepZeros && !gradual)
        return;
    sparse.on = true;
    sparse.options.global = j.value("scope", "layer") == "global";
    sparse.options.includeEmbeddings = j.value("include_embeddings", false);
    sparse.options.includeOutput = j.value("include_output", false);
    for (const auto& p : model->named_parameters())
        sparse.params[p.key()] = p.value();
    if (gradual) {
        // Ten mask updates over the first three quarters of the steps, so
        // the last quarter recovers at the final sparsity.
        sparse.gradual = true;
        sparse.target = j.at("sparsity").get<double>();
        sparse.every = std::max<std::int64_t>(1, (3 * config.train.steps / 4) / 10);
        sparse.span = 10 * sparse.every;
    }
}

void Trainer::Impl::maskGradients()
{
    if (sparse.masks.empty()) {
        // The first step: a pruned parent's zeros (or none yet, gradual).
        PruneOptions now = sparse.options;
        // (A resumed run: the level of the last update before its step.)
        const std::int64_t last = std::min(sparse.span, currentStep / sparse.every * sparse.every);
        now.sparsity = sparse.gradual ? zhuGuptaSparsity(last, 0.0, sparse.target, 0, sparse.span) : 0.0;
        sparse.masks = sparse.gradual && now.sparsity > 0 ? magnitudeMasks(*model, now) : zeroMasks(*model, now);
    }
    torch::NoGradGuard noGrad;
    for (const auto& [name, mask] : sparse.masks) {
        auto& p = sparse.params[name];
        if (p.grad().defined())
            p.grad().mul_(mask);
    }
}

void Trainer::Impl::keepSparsity(std::int64_t step)
{
    // `step`: the steps done, this one included.
    if (sparse.gradual && step % sparse.every == 0 && step <= sparse.span) {
        PruneOptions now = sparse.options;
        now.sparsity = zhuGuptaSparsity(step, 0.0, sparse.target, 0, sparse.span);
        sparse.masks = magnitudeMasks(*model, now);
    }
    torch::NoGradGuard noGrad;
    for (const auto& [name, mask] : sparse.masks)
        sparse.params[name].mul_(mask);
}

} // namespace wb
