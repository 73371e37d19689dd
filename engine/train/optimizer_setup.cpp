// SPDX-License-Identifier: GPL-3.0-or-later
#include "train/optimizer_setup.h"

#include "core/errors.h"
#include "models/finetune_layers.h"
#include "models/fused_adamw.h"
#include "train/radam.h"

#include <torch/torch.h>

#include <algorithm>

namespace wb {

namespace {

std::vector<torch::Tensor> trainable(std::vector<torch::Tensor> params)
{
    std::erase_if(params, [](const torch::Tensor& p) { return !p.requires_grad(); });
    return params;
}

} // namespace

void setWeightDecay(torch::optim::OptimizerOptions& o, double wd)
{
    if (auto* a = dynamic_cast<torch::optim::AdamWOptions*>(&o))
        a->weight_decay(wd);
    else if (auto* b = dynamic_cast<torch::optim::AdamOptions*>(&o))
        b->weight_decay(wd);
    else if (auto* c = dynamic_cast<torch::optim::SGDOptions*>(&o))
        c->weight_decay(wd);
}

// The model's parameters in ULMFiT's layer groups, bottom first; a parameter
// in no group's prefixes joins the top group.
std::vector<std::vector<torch::Tensor>> groupParameters(LanguageModel& model, const ModelSpec& spec)
{
    const auto prefixes = layerGroups(spec);
    std::vector<std::vector<torch::Tensor>> groups(prefixes.size());
    for (auto& p : model.named_parameters()) {
        std::size_t g = prefixes.size() - 1;
        for (std::size_t i = 0; i < prefixes.size(); ++i)
            if (std::any_of(prefixes[i].begin(), prefixes[i].end(), [&](const std::string& pre) { return p.key().rfind(pre, 0) == 0; }))
                g = i;
        groups[g].push_back(p.value());
    }
    return groups;
}

// A fine-tuning method trains only its share of the parameters: the rest are
// frozen (no gradient, not in the optimizer, bitwise unchanged).
void freezeForMethod(LanguageModel& model, const ModelSpec& spec, FinetuneMethod method)
{
    const auto prefixes = trainedPrefixes(spec, method);
    if (prefixes.empty())
        return;
    std::size_t kept = 0;
    for (auto& p : model.named_parameters()) {
        const bool trains = std::any_of(prefixes.begin(), prefixes.end(),
                                        [&](const std::string& pre) { return p.key().rfind(pre, 0) == 0; });
        p.value().set_requires_grad(trains);
        kept += trains;
    }
    if (kept == 0)
        throw InputError("method " + enumName(method) + " finds no parameters to train in this " + spec.family + " model");
}

// Weight decay on weight matrices only: one group with it, one without.
std::unique_ptr<torch::optim::Optimizer> makeOptimizer(LanguageModel& model, const TrainSettings& t)
{
    std::vector<torch::optim::OptimizerParamGroup> groups;
    auto twoGroups = [&](auto options, auto withDecay) {
        if (auto decay = trainable(model.decayParameters()); !decay.empty())
            groups.emplace_back(std::move(decay), std::make_unique<decltype(options)>(withDecay(options, t.weightDecay)));
        if (auto rest = trainable(model.noDecayParameters()); !rest.empty())
            groups.emplace_back(std::move(rest), std::make_unique<decltype(options)>(withDecay(options, 0.0)));
    };
    using AdamW = torch::optim::AdamWOptions;
    using Adam = torch::optim::AdamOptions;
    using Sgd = torch::optim::SGDOptions;
    switch (t.optimizer) {
    case Optimizer::AdamW:
        twoGroups(AdamW(t.lr).betas({t.beta1, t.beta2}), [](AdamW o, double wd) { return o.weight_decay(wd); });
        // The fused CPU kernels include AdamW's update (train/fused_adamw.h).
        if (t.kernels == Kernels::Fused && t.device == Device::Cpu)
            return std::make_unique<FusedAdamW>(std::move(groups), AdamW(t.lr));
        return std::make_unique<torch::optim::AdamW>(std::move(groups), AdamW(t.lr));
    case Optimizer::Adam: // Adam's weight decay is the L2 penalty (added to the gradient)
        twoGroups(Adam(t.lr).betas({t.beta1, t.beta2}), [](Adam o, double wd) { return o.weight_decay(wd); });
        return std::make_unique<torch::optim::Adam>(std::move(groups), Adam(t.lr));
    case Optimizer::Sgd:
        twoGroups(Sgd(t.lr).momentum(t.momentum).nesterov(t.nesterov), [](Sgd o, double wd) { return o.weight_decay(wd); });
        return std::make_unique<torch::optim::SGD>(std::move(groups), Sgd(t.lr));
    case Optimizer::RAdam: // decoupled decay on Adam's state (radam.h)
        twoGroups(Adam(t.lr).betas({t.beta1, t.beta2}), [](Adam o, double wd) { return o.weight_decay(wd); });
        return std::make_unique<RAdam>(std::move(groups), Adam(t.lr));
    }
    throw RuntimeError("unknown optimizer");
}

} // namespace wb
