// SPDX-License-Identifier: GPL-3.0-or-later
#include "compress/compress.h"

#include "core/errors.h"

#include <torch/torch.h>

#include <cmath>

namespace wb {

double zhuGuptaSparsity(std::int64_t t, double initial, double final, std::int64_t t0, std::int64_t span)
{
    // methods.md B11 (Zhu & Gupta 2017): prune fast early, slowly near the target.
    if (t <= t0)
        return initial;
    if (span <= 0 || t >= t0 + span)
        return final;
    const double left = 1.0 - static_cast<double>(t - t0) / static_cast<double>(span);
    return final + (initial - final) * left * left * left;
}

std::vector<std::string> prunableTensors(LanguageModel& model, const PruneOptions& options)
{
    std::vector<std::string> out;
    for (const auto& p : model.named_parameters()) {
        const std::string& name = p.key();
        if (p.value().dim() < 2 || name.rfind("head.", 0) == 0 || name.rfind("prefix.", 0) == 0)
            continue;
        if (!options.includeEmbeddings && model.isEmbeddingTable(name))
            continue;
        if (!options.includeOutput && model.isOutputLayer(name))
            continue;
        out.push_back(name);
    }
    return out;
}

namespace {

// The magnitude below which a fraction s of |t|'s values lie (k-th smallest).
double threshold(const torch::Tensor& absValues, double s)
{
    const auto n = absValues.numel();
    const auto k = static_cast<std::int64_t>(std::llround(s * static_cast<double>(n)));
    if (k <= 0)
        return -1.0;
    return std::get<0>(absValues.reshape({-1}).kthvalue(std::min<std::int64_t>(k, n))).item<double>();
}

} // namespace

std::map<std::string, torch::Tensor> magnitudeMasks(LanguageModel& model, const PruneOptions& options)
{
    if (!(options.sparsity >= 0 && options.sparsity < 1))
        throw InputError("--sparsity must be in [0, 1), got " + std::to_string(options.sparsity));
    torch::NoGradGuard noGrad;
    const auto names = prunableTensors(model, options);
    if (names.empty())
        throw InputError("the model has no weight matrices to prune");
    const auto params = model.named_parameters();
    std::map<std::string, torch::Tensor> masks;
    if (!options.global) {
        for (const auto& name : names) {
            auto a = params[name].detach().abs();
            masks[name] = a > threshold(a, options.sparsity);
        }
        return masks;
    }
    std::vector<torch::Tensor> all;
    for (const auto& name : names)
        all.push_back(params[name].detach().abs().reshape({-1}).to(torch::kCPU));
    const double tau = threshold(torch::cat(all), options.sparsity);
    for (const auto& name : names) {
        auto a = params[name].detach().abs();
        auto m = a > tau;
        // A small or sensitive tensor may fall below the global threshold
        // entirely: keep at least 1 - cap of it (methods.md B11).
        const double lost = 1.0 - m.to(torch::kDouble).mean().item<double>();
        if (lost > options.layerCap)
            m = a > threshold(a, options.layerCap);
        masks[name] = m;
    }
    return masks;
}

void applyMasks(LanguageModel& model, const std::map<std::string, torch::Tensor>& masks)
{
    torch::NoGradGuard noGrad;
    auto params = model.named_parameters();
    for (const auto& [name, mask] : masks)
        params[name].mul_(mask.to(params[name].dtype()));
}

std::map<std::string, torch::Tensor> zeroMasks(LanguageModel& model, const PruneOptions& options)
{
    torch::NoGradGuard noGrad;
    const auto params = model.named_parameters();
    std::map<std::string, torch::Tensor> masks;
    for (const auto& name : prunableTensors(model, options))
        masks[name] = params[name].detach() != 0;
    return masks;
}

namespace {

std::vector<double> singularValues(const torch::Tensor& w)
{
    auto s = torch::linalg_svdvals(w.detach().to(torch::kCPU, torch::kDouble));
    return {s.data_ptr<double>(), s.data_ptr<double>() + s.numel()};
}

RankChoice choiceAt(const std::string& name, const DenseImpl& layer, const std::vector<double>& s, std::int64_t r)
{
    double total = 0, kept = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        total += s[i] * s[i];
        if (static_cast<std::int64_t>(i) < r)
            kept += s[i] * s[i];
    }
    RankChoice c;
    c.layer = name;
    c.in = layer.inFeatures();
    c.out = layer.outFeatures();
    c.rank = r;
    c.fullRank = static_cast<std::int64_t>(s.size());
    c.energy = total > 0 ? kept / total : 1.0;
    // Eckart-Young: the best rank-r error is the norm of the dropped values.
    c.relativeError = total > 0 ? std::sqrt(std::max(0.0, total - kept) / total) : 0.0;
    const std::int64_t bias = layer.hasBias() ? c.out : 0;
    c.paramsBefore = c.in * c.out + bias;
    c.paramsAfter = r * (c.in + c.out) + bias;
    return c;
}

} // namespace

std::vector<RankChoice> chooseRanks(LanguageModel& model, double energy, std::int64_t rank, bool includeOutput)
{
    if (rank <= 0 && !(energy > 0 && energy <= 1))
        throw InputError("--energy must be in (0, 1], got " + std::to_string(energy));
    std::vector<RankChoice> out;
    std::int64_t largest = 0;
    for (const auto& [name, layer] : denseLayers(model)) {
        if (layer->rank() > 0 || layer->isInt8())
            continue;
        if (!includeOutput && model.isOutputLayer(name + ".weight"))
            continue;
        const auto s = singularValues(layer->weight);
        largest = std::max<std::int64_t>(largest, static_cast<std::int64_t>(s.size()));
        std::int64_t r = rank;
        if (rank <= 0) {
            double total = 0;
            for (double v : s)
                total += v * v;
            double kept = 0;
            r = 0;
            while (r < static_cast<std::int64_t>(s.size()) && (total <= 0 || kept / total < energy - 1e-12))
                kept += s[static_cast<std::size_t>(r)] * s[static_cast<std::size_t>(r)], ++r;
            r = std::max<std::int64_t>(r, 1);
        } else if (r > static_cast<std::int64_t>(s.size())) {
            continue;
        }
        RankChoice c = choiceAt(name, *layer, s, r);
        if (c.paramsAfter < c.paramsBefore)
            out.push_back(c);
    }
    if (rank > 0 && rank > largest)
        throw InputError("--rank " + std::to_string(rank) + " is above every layer's rank (the largest is " +
                         std::to_string(largest) + ")");
    return out;
}

std::vector<RankChoice> rankCurve(LanguageModel& model, const std::string& layerName)
{
    for (const auto& [name, layer] : denseLayers(model)) {
        if (name != layerName)
            continue;
        if (layer->rank() > 0 || layer->isInt8())
            throw InputError("layer '" + layerName + "' is already factored or int8");
        const auto s = singularValues(layer->weight);
        std::vector<RankChoice> curve;
        for (std::int64_t r = 1; r <= static_cast<std::int64_t>(s.size()); ++r)
            curve.push_back(choiceAt(name, *layer, s, r));
        return curve;
    }
    throw InputError("the model has no linear layer '" + layerName + "'");
}

void factorizeLayers(LanguageModel& model, const std::vector<RankChoice>& choices)
{
    const auto layers = denseLayers(model);
    for (const auto& c : choices)
        for (const auto& [name, layer] : layers)
            if (name == c.layer)
                layer->factorize(c.rank);
}

std::vector<std::string> quantizeModel(LanguageModel& model)
{
    if (!int8KernelsAvailable())
        throw InputError("this LibTorch has no int8 kernels for this CPU (no fbgemm, onednn or qnnpack engine)");
    if (model.int8Output())
        throw InputError("the model is already int8");
    if (model.device().type() != torch::kCPU)
        throw InputError("int8 variants run on the CPU; quantize a model on the CPU");
    torch::NoGradGuard noGrad;
    for (const auto& [name, layer] : denseLayers(model))
        if (!layer->isInt8())
            layer->quantize();
    std::vector<std::string> tables;
    for (auto& p : model.named_parameters()) {
        if (!model.isEmbeddingTable(p.key()) || p.value().dim() != 2)
            continue;
        // 8-bit per-row embeddings (methods.md B11): the table keeps the
        // dequantised values, the file the integers.
        const Int8Rows q = quantizeRows(p.value());
        p.value().copy_(dequantizeRows(q.values, q.scales));
        tables.push_back(p.key());
    }
    model.setInt8Output(true);
    return tables;
}

ParamCount countParameters(LanguageModel& model)
{
    torch::NoGradGuard noGrad;
    ParamCount c;
    auto add = [&](const torch::Tensor& t) {
        c.params += t.numel();
        c.nonzero += t.count_nonzero().item<std::int64_t>();
    };
    for (const auto& p : model.named_parameters())
        add(p.value());
    for (const auto& b : model.named_buffers())
        if (b.key().ends_with("_int8"))
            add(b.value());
    return c;
}

std::vector<std::pair<std::string, std::int64_t>> layerBytes(LanguageModel& model)
{
    std::vector<std::pair<std::string, std::int64_t>> out;
    auto add = [&](const std::string& key, const torch::Tensor& t) {
        // Group by the module: drop the tensor's own name.
        const auto dot = key.rfind('.');
        const std::string group = dot == std::string::npos ? key : key.substr(0, dot);
        const std::int64_t bytes = t.numel() * static_cast<std::int64_t>(t.element_size());
        if (!out.empty() && out.back().first == group)
            out.back().second += bytes;
        else
            out.emplace_back(group, bytes);
    };
    for (const auto& p : model.named_parameters())
        add(p.key(), p.value());
    for (const auto& b : model.named_buffers())
        if (b.key().ends_with("_int8") || b.key().ends_with("_scale"))
            add(b.key(), b.value());
    return out;
}

} // namespace wb
