// SPDX-License-Identifier: GPL-3.0-or-later
#include "compress/compress.h"

#include "core/errors.h"
#include "models/gpt.h"

#include <torch/torch.h>

#include <cmath>
#include <numeric>
#include <sstream>

namespace wb {

namespace {
// A number in a message as the user would write it (0.5, not 0.500000).
std::string shortNumber(double x)
{
    std::ostringstream o;
    o << x;
    return o.str();
}
} // namespace


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
        throw InputError("sparsity must be at least 0 and below 1, got " + shortNumber(options.sparsity));
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
        throw InputError("energy must be greater than 0 and at most 1, got " + shortNumber(energy));
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

std::vector<RankChoice> chooseRanksByBudget(LanguageModel& model, double budget, bool includeOutput)
{
    if (!(budget > 0 && budget < 1))
        throw InputError("budget must be greater than 0 and below 1, got " + shortNumber(budget));
    struct Layer {
        std::string name;
        std::shared_ptr<DenseImpl> dense;
        std::vector<double> s;
        double total = 0;
        std::int64_t rank = 1;
    };
    std::vector<Layer> layers;
    double dense = 0, used = 0;
    for (const auto& [name, layer] : denseLayers(model)) {
        if (layer->rank() > 0 || layer->isInt8() || (!includeOutput && model.isOutputLayer(name + ".weight")))
            continue;
        Layer l{name, layer, singularValues(layer->weight)};
        for (double v : l.s)
            l.total += v * v;
        dense += static_cast<double>(layer->inFeatures() * layer->outFeatures());
        used += static_cast<double>(layer->inFeatures() + layer->outFeatures());
        layers.push_back(std::move(l));
    }
    if (layers.empty())
        throw InputError("the model has no linear layer to factor");
    const double limit = budget * dense;
    if (used > limit)
        throw InputError("--budget " + shortNumber(budget) + " is below rank 1 in every layer (" + std::to_string(used / dense) + ")");
    for (;;) {
        Layer* best = nullptr;
        double bestGain = -1;
        for (auto& l : layers) {
            if (l.rank >= static_cast<std::int64_t>(l.s.size()))
                continue;
            const double cost = static_cast<double>(l.dense->inFeatures() + l.dense->outFeatures());
            const double v = l.s[static_cast<std::size_t>(l.rank)];
            const double gain = (l.total > 0 ? v * v / l.total : 0) / cost;
            if (gain > bestGain && used + cost <= limit)
                best = &l, bestGain = gain;
        }
        if (!best)
            break;
        used += static_cast<double>(best->dense->inFeatures() + best->dense->outFeatures());
        ++best->rank;
    }
    std::vector<RankChoice> out;
    for (const auto& l : layers) {
        RankChoice c = choiceAt(l.name, *l.dense, l.s, l.rank);
        if (c.paramsAfter < c.paramsBefore)
            out.push_back(c);
    }
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

std::vector<std::string> quantizeModel(LanguageModel& model, const std::vector<torch::Tensor>& calibration)
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
    model.quantizeRecurrent(false);
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
    if (!calibration.empty()) {
        std::vector<std::shared_ptr<DenseImpl>> plain;
        for (const auto& [name, layer] : denseLayers(model))
            if (layer->rank() == 0) {
                layer->observe(true);
                plain.push_back(layer);
            }
        model.eval();
        {
            StateCarryScope fresh(model, false);
            for (const auto& batch : calibration)
                model.forward(batch.slice(1, 0, batch.size(1) - 1));
        }
        for (const auto& layer : plain)
            layer->staticFromObserved();
    }
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

// ------------------------------------------------------------------ structured pruning
namespace wb {

namespace {

using Plan = std::map<std::string, std::vector<std::pair<int, torch::Tensor>>>; // name -> (dim, indices) in order

std::vector<std::int64_t> keepTop(const std::vector<double>& score, std::int64_t keep)
{
    std::vector<std::int64_t> idx(score.size());
    std::iota(idx.begin(), idx.end(), 0);
    std::stable_sort(idx.begin(), idx.end(), [&](auto a, auto b) { return score[a] > score[b]; });
    idx.resize(static_cast<std::size_t>(keep));
    std::sort(idx.begin(), idx.end());
    return idx;
}

torch::Tensor indexTensor(const std::vector<std::int64_t>& v)
{
    return torch::tensor(v, torch::kLong);
}

// Rows {g h + j : g < gates, j in keep}.
torch::Tensor gateRows(const std::vector<std::int64_t>& keep, std::int64_t h, int gates)
{
    std::vector<std::int64_t> rows;
    for (int g = 0; g < gates; ++g)
        for (auto j : keep)
            rows.push_back(g * h + j);
    return indexTensor(rows);
}

std::int64_t removedCount(double fraction, std::int64_t n, const char* what)
{
    if (!(fraction > 0 && fraction < 1))
        throw InputError("--sparsity must be in (0, 1) for structured pruning, got " + std::to_string(fraction));
    const auto k = static_cast<std::int64_t>(std::llround(fraction * static_cast<double>(n)));
    if (k < 1)
        throw InputError("--sparsity " + std::to_string(fraction) + " removes none of the " + std::to_string(n) + " " + what
                         + " of a layer; give at least " + std::to_string(0.5 / static_cast<double>(n)));
    if (k >= n)
        throw InputError("--sparsity " + std::to_string(fraction) + " removes all " + std::to_string(n) + " " + what + " of a layer");
    return k;
}

void checkPlain(LanguageModel& model)
{
    for (const auto& [name, layer] : denseLayers(model))
        if (layer->rank() > 0 || layer->isInt8())
            throw InputError("structured pruning needs plain layers: '" + name + "' is factored or int8; prune its parent");
}

double rowNorm(const torch::Tensor& w, std::int64_t j, int dim)
{
    return w.select(dim, j).norm().item<double>();
}

} // namespace

std::vector<std::vector<double>> headImportance(LanguageModel& model, const std::vector<torch::Tensor>& batches)
{
    auto* gpt = dynamic_cast<GptImpl*>(&model);
    if (!gpt)
        throw InputError("heads are pruned in a Transformer only");
    if (batches.empty())
        throw InputError("head importance needs text to score on");
    std::vector<CausalSelfAttentionImpl*> attn;
    for (const auto& b : *gpt->blocks)
        attn.push_back(b->as<BlockImpl>()->attn.get());
    std::vector<torch::Tensor> gates;
    for (auto* a : attn) {
        a->headGate = torch::ones({a->heads()}, torch::requires_grad());
        gates.push_back(a->headGate);
    }
    const bool wasTraining = model.is_training();
    model.eval();
    std::vector<torch::Tensor> total(attn.size());
    try {
        torch::AutoGradMode on(true);
        for (const auto& batch : batches) {
            auto x = batch.slice(1, 0, batch.size(1) - 1), y = batch.slice(1, 1);
            auto logits = model.forward(x);
            auto loss = torch::nn::functional::cross_entropy(logits.reshape({-1, logits.size(-1)}), y.reshape({-1}));
            auto grads = torch::autograd::grad({loss}, gates);
            for (std::size_t l = 0; l < grads.size(); ++l)
                total[l] = total[l].defined() ? total[l] + grads[l].abs() : grads[l].abs();
        }
    } catch (...) {
        for (auto* a : attn)
            a->headGate = torch::Tensor();
        model.train(wasTraining);
        throw;
    }
    for (auto* a : attn)
        a->headGate = torch::Tensor();
    model.train(wasTraining);
    std::vector<std::vector<double>> out;
    for (auto& t : total) {
        auto n = t / std::max(1e-12, t.norm().item<double>()); // per layer, by its L2 norm (Michel et al.)
        out.emplace_back(n.data_ptr<float>(), n.data_ptr<float>() + n.numel());
    }
    return out;
}

StructuredPrune structuredPrune(LanguageModel& model, const std::string& kind, double fraction, const std::vector<torch::Tensor>& batches)
{
    checkPlain(model);
    torch::NoGradGuard noGrad;
    const auto params = model.named_parameters();
    const ModelSpec& spec = model.spec();
    StructuredPrune r;
    r.spec = spec;
    Plan plan;
    auto family = spec.family;
    auto refuse = [&] {
        const char* what = family == "transformer" ? "heads or ffn" : family == "lstm" ? "units" : family == "cnn-bilstm" ? "channels" : "";
        throw InputError("--structured " + kind + " does not apply to the " + family + " family"
                         + (*what ? std::string(" (it has ") + what + ")" : std::string(" (no structured pruning for it yet)")));
    };
    if (family == "transformer" && kind == "heads") {
        const TransformerSpec t = spec.transformer();
        const std::int64_t H = t.heads, hd = t.headWidth(), a = t.attentionWidth();
        const std::int64_t k = removedCount(fraction, H, "heads");
        torch::NoGradGuard off; // importance turns gradients on itself
        const auto importance = headImportance(model, batches);
        for (int l = 0; l < t.layers; ++l) {
            const auto keep = keepTop(importance[static_cast<std::size_t>(l)], H - k);
            r.kept["blocks." + std::to_string(l) + ".attn"] = keep;
            std::vector<std::int64_t> cols;
            for (auto h : keep)
                for (std::int64_t i = 0; i < hd; ++i)
                    cols.push_back(h * hd + i);
            std::vector<std::int64_t> rows;
            for (int part = 0; part < 3; ++part)
                for (auto c : cols)
                    rows.push_back(part * a + c);
            const std::string p = "blocks." + std::to_string(l) + ".attn.";
            plan[p + "qkv.weight"] = {{0, indexTensor(rows)}};
            plan[p + "qkv.bias"] = {{0, indexTensor(rows)}};
            plan[p + "proj.weight"] = {{1, indexTensor(cols)}};
        }
        r.spec.set("heads", static_cast<double>(H - k));
        r.spec.set("head_dim", static_cast<double>(hd));
        r.removed = k * t.layers;
    } else if (family == "transformer" && kind == "ffn") {
        const TransformerSpec t = spec.transformer();
        const std::int64_t f = t.mlpWidth();
        const std::int64_t k = removedCount(fraction, f, "MLP units");
        for (int l = 0; l < t.layers; ++l) {
            const std::string p = "blocks." + std::to_string(l) + ".";
            const auto& w1 = params[p + "fc.weight"];
            const auto& w2 = params[p + "fc_proj.weight"];
            auto score = (w1.norm(2, {1}) * w2.norm(2, {0})).to(torch::kDouble).contiguous();
            const auto keep = keepTop({score.data_ptr<double>(), score.data_ptr<double>() + f}, f - k);
            r.kept[p + "mlp"] = keep;
            plan[p + "fc.weight"] = {{0, indexTensor(keep)}};
            plan[p + "fc.bias"] = {{0, indexTensor(keep)}};
            plan[p + "fc_proj.weight"] = {{1, indexTensor(keep)}};
        }
        r.spec.set("ffn", static_cast<double>(f - k));
        r.removed = k * t.layers;
    } else if (family == "lstm" && kind == "units") {
        const int L = spec.i("layers");
        const bool tied = spec.b("tied");
        const int inner = tied ? L - 1 : L; // the last layer of a tied model is as wide as the embedding
        if (inner < 1)
            throw InputError("this AWD-LSTM has no inner layer to prune (one layer, tied to the embedding)");
        const std::int64_t h = spec.i("hidden");
        const std::int64_t k = removedCount(fraction, h, "units");
        for (int l = 0; l < inner; ++l) {
            const std::string p = "layers." + std::to_string(l) + ".";
            const std::string next = l + 1 < L ? "layers." + std::to_string(l + 1) + ".weight_ih" : "decoder.weight";
            const auto& wih = params[p + "weight_ih"];
            const auto& whh = params[p + "weight_hh"];
            std::vector<double> score(static_cast<std::size_t>(h));
            for (std::int64_t j = 0; j < h; ++j) {
                double in = 0;
                for (int g = 0; g < 4; ++g)
                    in += std::pow(rowNorm(wih, g * h + j, 0), 2) + std::pow(rowNorm(whh, g * h + j, 0), 2);
                const double out = std::hypot(rowNorm(params[next], j, 1), rowNorm(whh, j, 1));
                score[static_cast<std::size_t>(j)] = std::sqrt(in) * out;
            }
            const auto keep = keepTop(score, h - k);
            r.kept[p.substr(0, p.size() - 1)] = keep;
            const auto rows = gateRows(keep, h, 4);
            plan[p + "weight_ih"].push_back({0, rows});
            plan[p + "weight_hh"] = {{0, rows}, {1, indexTensor(keep)}};
            plan[p + "bias_ih"] = {{0, rows}};
            plan[p + "bias_hh"] = {{0, rows}};
            plan[next].push_back({1, indexTensor(keep)});
        }
        r.spec.set("hidden", static_cast<double>(h - k));
        r.removed = k * inner;
    } else if (family == "cnn-bilstm" && kind == "channels") {
        const std::int64_t f = spec.i("filters");
        const std::int64_t k = removedCount(fraction, f, "channels");
        const auto& conv = params["conv.weight"];
        const auto& first = params["forward_lstm.0.weight_ih"];
        auto score = (conv.reshape({f, -1}).norm(2, {1}) * first.norm(2, {0})).to(torch::kDouble).contiguous();
        const auto keep = keepTop({score.data_ptr<double>(), score.data_ptr<double>() + f}, f - k);
        r.kept["conv"] = keep;
        plan["conv.weight"] = {{0, indexTensor(keep)}};
        plan["conv.bias"] = {{0, indexTensor(keep)}};
        plan["forward_lstm.0.weight_ih"] = {{1, indexTensor(keep)}};
        if (spec.b("bidirectional"))
            plan["backward_lstm.0.weight_ih"] = {{1, indexTensor(keep)}};
        r.spec.set("filters", static_cast<double>(f - k));
        r.removed = k;
    } else {
        refuse();
    }
    r.spec.validate("pruned spec");
    r.model = buildModel(r.spec, model.vocabSize());
    auto target = r.model->named_parameters();
    for (auto& item : target) {
        const std::string& name = item.key();
        torch::Tensor src = params[name].detach();
        if (const auto it = plan.find(name); it != plan.end())
            for (const auto& [dim, idx] : it->second)
                src = src.index_select(dim, idx);
        if (src.sizes() != item.value().sizes())
            throw RuntimeError("structured pruning: '" + name + "' became " + c10::str(src.sizes()) + ", the smaller spec has "
                               + c10::str(item.value().sizes()));
        item.value().copy_(src);
    }
    r.model->eval();
    return r;
}

} // namespace wb
