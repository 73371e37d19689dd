// SPDX-License-Identifier: GPL-3.0-or-later
#include "train/smart.h"

#include <torch/torch.h>

#include <cmath>

namespace wb {

namespace F = torch::nn::functional;

std::pair<torch::Tensor, torch::Tensor> taskOutputs(LanguageModel& model, const TaskData& data, const TaskBatch& batch)
{
    if (data.task == Task::Classify)
        return {model.classify(batch.x, batch.lengths).to(torch::kFloat), batch.y};
    auto logits = model.forward(batch.x);
    auto rows = logits.reshape({-1, logits.size(-1)}).to(torch::kFloat);
    auto targets = batch.y.reshape({-1});
    auto keep = (targets != kIgnoreIndex).nonzero().squeeze(1);
    return {rows.index_select(0, keep), targets.index_select(0, keep)};
}

namespace {

// KL(P || Q) of rows of logits, mean over rows.
torch::Tensor kl(const torch::Tensor& p, const torch::Tensor& q)
{
    auto lp = torch::log_softmax(p, -1), lq = torch::log_softmax(q, -1);
    return (lp.exp() * (lp - lq)).sum(-1).mean();
}

// (B, T) valid positions, shaped to multiply a (B, T, ...) embedding.
torch::Tensor maskLike(const TaskBatch& batch, const torch::Tensor& e)
{
    auto mask = validMask(batch.lengths, batch.x.size(1), e.options()); // (B, T, 1)
    while (mask.dim() < e.dim())
        mask = mask.unsqueeze(-1);
    return mask;
}

} // namespace

SmartLoss smartLoss(LanguageModel& model, LanguageModel* teacher, const TaskData& data, const TaskBatch& batch,
                    const SmartSettings& s)
{
    SmartLoss out;
    std::vector<torch::Tensor> embeds;
    model.recordEmbeddings(&embeds);
    auto [logits, targets] = taskOutputs(model, data, batch);
    model.recordEmbeddings(nullptr);
    out.task = F::cross_entropy(logits, targets);

    // Ascent: one step from a little noise, in embedding space.
    std::vector<torch::Tensor> noise(embeds.size());
    std::vector<torch::Tensor> leaves;
    for (std::size_t i = 0; i < embeds.size(); ++i) {
        if (!embeds[i].defined())
            continue;
        noise[i] = (torch::randn_like(embeds[i]) * s.sigma * maskLike(batch, embeds[i])).requires_grad_(true);
        leaves.push_back(noise[i]);
    }
    model.setEmbeddingNoise(&noise);
    auto noisy = taskOutputs(model, data, batch).first;
    const auto ascent = kl(noisy, logits.detach());
    const auto grads = torch::autograd::grad({ascent}, leaves, {}, /*retain_graph=*/false, /*create_graph=*/false,
                                             /*allow_unused=*/true);
    bool finite = true;
    for (const auto& g : grads)
        finite = finite && (!g.defined() || torch::isfinite(g).all().item<bool>());
    out.perturbation.assign(embeds.size(), {});
    if (finite) {
        std::size_t k = 0;
        for (std::size_t i = 0; i < embeds.size(); ++i) {
            if (!embeds[i].defined())
                continue;
            auto g = grads[k++];
            if (!g.defined())
                g = torch::zeros_like(embeds[i]);
            // Per token: the infinity norm over the embedding's own dimensions.
            auto flat = g.reshape({g.size(0), g.size(1), -1});
            auto scale = flat.abs().amax(-1, true) + 1e-6; // (B, T, 1)
            auto step = (flat / scale).reshape(g.sizes());
            out.perturbation[i] = (s.eta * step * maskLike(batch, embeds[i])).detach();
        }
        model.setEmbeddingNoise(&out.perturbation);
        auto adv = taskOutputs(model, data, batch).first;
        // The symmetric KL as the reference code: each direction against a
        // stopped copy of the other.
        out.adversarial = kl(adv, logits.detach()) + kl(logits, adv.detach());
    } else {
        out.skipped = true;
        out.adversarial = torch::zeros({}, logits.options());
    }
    model.setEmbeddingNoise(nullptr);

    if (teacher) {
        torch::Tensor taught;
        {
            torch::NoGradGuard g;
            taught = taskOutputs(*teacher, data, batch).first;
        }
        out.proximal = kl(logits, taught) + kl(taught, logits);
    } else {
        out.proximal = torch::zeros({}, logits.options());
    }
    out.total = out.task + s.lambda * out.adversarial + s.mu * out.proximal;
    return out;
}

void emaUpdate(LanguageModel& teacher, LanguageModel& model, double beta)
{
    torch::NoGradGuard g;
    auto tp = teacher.parameters(), mp = model.parameters();
    for (std::size_t i = 0; i < tp.size() && i < mp.size(); ++i)
        tp[i].mul_(beta).add_(mp[i], 1 - beta);
    auto tb = teacher.buffers(), mb = model.buffers();
    for (std::size_t i = 0; i < tb.size() && i < mb.size(); ++i)
        if (tb[i].is_floating_point())
            tb[i].copy_(mb[i]);
}

} // namespace wb
