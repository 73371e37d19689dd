// SPDX-License-Identifier: GPL-3.0-or-later
// The families other than the Transformer (gpt.cpp), as causal LMs
// (methods.md section A). Each keeps the prediction at t a function of the
// tokens up to t only; tests check that the gradient of the logits at t with
// respect to later inputs is zero.
#include "models/families.h"
#include "models/gpt.h"
#include "models/language_model.h"

#include "core/errors.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <cmath>

namespace wb {

namespace nn = torch::nn;

std::vector<torch::Tensor> LanguageModel::decayParameters()
{
    std::vector<torch::Tensor> out;
    for (auto& item : named_parameters())
        if (item.value().dim() >= 2 && !isEmbedding(item.key()))
            out.push_back(item.value());
    return out;
}

std::vector<torch::Tensor> LanguageModel::noDecayParameters()
{
    std::vector<torch::Tensor> out;
    for (auto& item : named_parameters())
        if (!(item.value().dim() >= 2 && !isEmbedding(item.key())))
            out.push_back(item.value());
    return out;
}

bool LanguageModel::isEmbedding(const std::string& name) const
{
    return name.find("emb") != std::string::npos || name.find("table") != std::string::npos;
}

namespace {

// Appends the fed tokens to cache.recent, keeping the last `keep`.
void remember(DecodeCache& cache, const torch::Tensor& ids, std::int64_t keep)
{
    auto cpu = ids.to(torch::kCPU).contiguous();
    const auto* p = cpu.data_ptr<std::int64_t>();
    cache.recent.insert(cache.recent.end(), p, p + cpu.numel());
    if (static_cast<std::int64_t>(cache.recent.size()) > keep)
        cache.recent.erase(cache.recent.begin(), cache.recent.end() - keep);
    cache.length += cpu.numel();
}

torch::Tensor recentIds(const DecodeCache& cache, const torch::Device& device)
{
    return torch::tensor(cache.recent, torch::kLong).unsqueeze(0).to(device); // (1, t)
}

} // namespace

torch::Tensor LanguageModel::decodeNext(const torch::Tensor& ids, DecodeCache& cache)
{
    // Full window: forward() over the tokens fed so far (at most the context).
    remember(cache, ids, context());
    auto logits = forward(recentIds(cache, ids.device())); // (1, t, V)
    return logits.select(1, logits.size(1) - 1).view({-1});
}

void LanguageModel::setKernels(Kernels kernels)
{
    m_kernels = kernels;
    for (auto& [name, layer] : denseLayers(*this))
        layer->fusedKernels = kernels == Kernels::Fused;
}

torch::Device LanguageModel::device() const
{
    const auto params = parameters();
    return params.empty() ? torch::Device(torch::kCPU) : params.front().device();
}

namespace {

// Sum of x[t-w+1 .. t] along dim 1 for every t, via a prefix sum.
torch::Tensor windowSum(const torch::Tensor& x, std::int64_t w)
{
    auto c = x.cumsum(1); // (B, T, D)
    const auto T = x.size(1);
    if (w >= T)
        return c;
    auto shifted = torch::zeros_like(c);
    shifted.slice(1, w, T).copy_(c.slice(1, 0, T - w));
    return c - shifted;
}

// Ordered prefix products P_t = M_1 M_2 ... M_t of (B, T, d, d) matrices,
// as (B, T, d*d) row-major (methods.md A2).
torch::Tensor prefixProducts(const torch::Tensor& m)
{
    const auto T = m.size(1), d = m.size(2);
    std::vector<torch::Tensor> states;
    states.reserve(static_cast<std::size_t>(T));
    auto p = m.select(1, 0);
    states.push_back(p);
    for (std::int64_t t = 1; t < T; ++t) {
        p = torch::bmm(p, m.select(1, t));
        states.push_back(p);
    }
    return torch::stack(states, 1).reshape({m.size(0), T, d * d});
}

// Suffix products S_t = M_n M_{n-1} ... M_t, aligned with t (the published
// code's reversed order is not reproduced; methods.md A2).
torch::Tensor suffixProducts(const torch::Tensor& m)
{
    const auto T = m.size(1), d = m.size(2);
    std::vector<torch::Tensor> states(static_cast<std::size_t>(T));
    auto p = m.select(1, T - 1);
    states[static_cast<std::size_t>(T - 1)] = p;
    for (std::int64_t t = T - 2; t >= 0; --t) {
        p = torch::bmm(p, m.select(1, t));
        states[static_cast<std::size_t>(t)] = p;
    }
    return torch::stack(states, 1).reshape({m.size(0), T, d * d});
}

// Noisy identity: I + N(0, std^2) element-wise (methods.md A2).
void noisyIdentity(torch::Tensor& table, int d, double std)
{
    torch::NoGradGuard g;
    table.normal_(0.0, std);
    table.view({table.size(0), d, d}).add_(torch::eye(d).unsqueeze(0));
}

// ---------------------------------------------------------------- fnn (A1)
class Fnn final : public LanguageModel {
public:
    Fnn(const ModelSpec& s, std::int64_t V) : LanguageModel(s, V)
    {
        const int w = s.i("window"), m = s.i("embed"), h = s.i("hidden");
        emb = register_module("emb", nn::Embedding(V, m));
        hidden = register_module("hidden", Dense(w * m, h));
        out = register_module("out", Dense(h, V));
        if (s.b("direct"))
            direct = register_module("direct", Dense(w * m, V, /*bias=*/false));
    }
    // The input at each position: the window's embeddings, most recent first.
    torch::Tensor windows(const torch::Tensor& idx)
    {
        const auto B = idx.size(0), T = idx.size(1);
        const int w = m_spec.i("window"), m = m_spec.i("embed");
        auto e = embedded(0, emb->forward(idx)); // (B, T, m)
        // Zero vectors stand before the text (boundary padding, methods.md A1).
        auto padded = torch::cat({torch::zeros({B, w - 1, m}, e.options()), e}, 1); // (B, T+w-1, m)
        // Most recent first: [C[w_t]; C[w_{t-1}]; ...; C[w_{t-w+1}]].
        std::vector<torch::Tensor> parts;
        for (int k = 0; k < w; ++k)
            parts.push_back(padded.slice(1, w - 1 - k, w - 1 - k + T));
        return torch::cat(parts, 2); // (B, T, w*m)
    }
    torch::Tensor forward(const torch::Tensor& idx) override
    {
        auto x = windows(idx);
        auto y = out->forward(outputInput(torch::tanh(hidden->forward(x))));
        if (direct)
            y = y + direct->forward(x);
        return y;
    }
    // Concat pooling of the hidden layer's states.
    torch::Tensor features(const torch::Tensor& idx, const torch::Tensor& lengths) override
    {
        return concatPool(torch::tanh(hidden->forward(windows(idx))), lengths);
    }
    // Incremental window: the next token depends on the last `window` tokens only.
    torch::Tensor decodeNext(const torch::Tensor& ids, DecodeCache& cache) override
    {
        remember(cache, ids, m_spec.i("window"));
        auto w = windows(recentIds(cache, ids.device()));
        auto x = w.select(1, w.size(1) - 1); // (1, w*m)
        auto y = out->forward(torch::tanh(hidden->forward(x)));
        if (direct)
            y = y + direct->forward(x);
        return y.view({-1});
    }
    std::int64_t featureWidth() const override { return 3 * m_spec.i("hidden"); }
    std::int64_t hiddenWidth() const override { return m_spec.i("hidden"); }
    nn::Embedding emb{nullptr};
    Dense hidden{nullptr}, out{nullptr}, direct{nullptr};
};

// ---------------------------------------------------------------- cbow (A2)
class Cbow final : public LanguageModel {
public:
    Cbow(const ModelSpec& s, std::int64_t V) : LanguageModel(s, V)
    {
        emb = register_module("emb", nn::Embedding(V, s.i("width")));
        out = register_module("out", Dense(s.i("width"), V));
    }
    torch::Tensor states(const torch::Tensor& idx)
    {
        const auto T = idx.size(1);
        const int w = m_spec.i("window");
        auto s = windowSum(embedded(0, emb->forward(idx)), w);
        if (m_spec.b("mean")) {
            auto count = torch::arange(1, T + 1, s.options()).clamp_max(w).view({1, T, 1});
            s = s / count;
        }
        return s;
    }
    torch::Tensor forward(const torch::Tensor& idx) override { return out->forward(outputInput(states(idx))); }
    // Incremental window: the state is the last `window` embeddings' sum (or mean).
    torch::Tensor decodeNext(const torch::Tensor& ids, DecodeCache& cache) override
    {
        remember(cache, ids, m_spec.i("window"));
        auto s = states(recentIds(cache, ids.device()));
        return out->forward(s.select(1, s.size(1) - 1)).view({-1});
    }
    // The mean of the sequence's embeddings (the CBOW sentence encoder).
    torch::Tensor features(const torch::Tensor& idx, const torch::Tensor& lengths) override
    {
        auto e = embedded(0, emb->forward(idx));
        auto mask = validMask(lengths, idx.size(1), e.options());
        return (e * mask).sum(1) / lengths.to(e.options()).unsqueeze(1);
    }
    std::int64_t featureWidth() const override { return m_spec.i("width"); }
    std::int64_t hiddenWidth() const override { return m_spec.i("width"); }
    nn::Embedding emb{nullptr};
    Dense out{nullptr};
};

// ---------------------------------------------------------------- cmow, cmow-cbow (A2)
class Cmow final : public LanguageModel {
public:
    Cmow(const ModelSpec& s, std::int64_t V) : LanguageModel(s, V), m_hybrid(s.family == "cmow-cbow")
    {
        const int d = s.i("matrix");
        matrixTable = register_parameter("matrix_table", torch::empty({V, d * d}));
        noisyIdentity(matrixTable, d, s.get("init_std"));
        std::int64_t in = d * d;
        if (m_hybrid) {
            emb = register_module("emb", nn::Embedding(V, s.i("width")));
            in += s.i("width");
            if (s.b("bidirectional")) {
                backwardTable = register_parameter("backward_matrix_table", torch::empty({V, d * d}));
                noisyIdentity(backwardTable, d, s.get("init_std"));
            }
        }
        out = register_module("out", Dense(in, V));
    }
    torch::Tensor matrices(const torch::Tensor& table, const torch::Tensor& idx)
    {
        const int d = m_spec.i("matrix");
        return table.index_select(0, idx.reshape({-1})).view({idx.size(0), idx.size(1), d, d});
    }
    // The hybrid's CBOW half as a language model: the mean of the last
    // `window` embeddings at each position (as the cbow family), so the
    // hybrid sees all that CBOW sees plus the CMOW prefix product.
    torch::Tensor cbowStates(const torch::Tensor& e)
    {
        const auto T = e.size(1);
        const int w = m_spec.i("window");
        auto count = torch::arange(1, T + 1, e.options()).clamp_max(w).view({1, T, 1});
        return windowSum(e, w) / count;
    }
    // Prefix state [c_t ; vec(P_t)] (forward direction only: it never holds
    // the future, methods.md A2 "CMOW as a causal LM").
    torch::Tensor forward(const torch::Tensor& idx) override
    {
        auto state = prefixProducts(embedded(0, matrices(matrixTable, idx))); // (B, T, d*d)
        if (m_hybrid)
            state = torch::cat({cbowStates(embedded(2, emb->forward(idx))), state}, 2);
        return out->forward(outputInput(state));
    }
    // Incremental: the prefix product P_t = P_{t-1} M_t carried (the same
    // bmm order as prefixProducts), the hybrid's CBOW half over its window.
    torch::Tensor decodeNext(const torch::Tensor& ids, DecodeCache& cache) override
    {
        auto m = matrices(matrixTable, ids.unsqueeze(0)); // (1, k, d, d)
        auto p = cache.tensors.empty() ? torch::Tensor() : cache.tensors[0];
        for (std::int64_t t = 0; t < m.size(1); ++t)
            p = p.defined() ? torch::bmm(p, m.select(1, t)) : m.select(1, t);
        cache.tensors = {p};
        auto state = p.reshape({1, -1});
        remember(cache, ids, m_hybrid ? m_spec.i("window") : 0);
        if (m_hybrid) {
            auto c = cbowStates(emb->forward(recentIds(cache, ids.device())));
            state = torch::cat({c.select(1, c.size(1) - 1), state}, 1);
        }
        return out->forward(state).view({-1});
    }
    // The bidirectional hybrid's backward half (Rei 2017's recipe): the
    // suffix state [c'_t ; vec(S_t)], S_t = M_n ... M_t over the window and
    // c'_t the mean of the next `window` embeddings, predicts w_{t-1} through
    // the same output layer.
    torch::Tensor backwardLmLoss(const torch::Tensor& idx) override
    {
        if (!backwardTable.defined() || idx.size(1) < 2)
            return {};
        const auto T = idx.size(1);
        auto reversed = idx.flip(1);
        auto suffix = prefixProducts(embedded(1, matrices(backwardTable, reversed))); // S_t, reversed in time
        auto state = torch::cat({cbowStates(embedded(2, emb->forward(reversed))), suffix}, 2).flip(1); // (B, T, D + d*d)
        auto logits = out->forward(state.slice(1, 1, T));                             // states t = 1 .. T-1
        return torch::nn::functional::cross_entropy(logits.reshape({-1, logits.size(-1)}), idx.slice(1, 0, T - 1).reshape({-1}));
    }
    // Pooled [c_n ; vec(P_n) ; vec(S_1)] (the bidirectional hybrid), or
    // [c_n ; vec(P_n)] / vec(P_n) otherwise (methods.md A2), with c_n the
    // mean of the embeddings. S_1 = M_n ... M_1 is the prefix product of
    // the sequence reversed within its length.
    torch::Tensor features(const torch::Tensor& idx, const torch::Tensor& lengths) override
    {
        std::vector<torch::Tensor> parts;
        if (m_hybrid) {
            auto e = embedded(2, emb->forward(idx));
            auto mask = validMask(lengths, idx.size(1), e.options());
            parts.push_back((e * mask).sum(1) / lengths.to(e.options()).unsqueeze(1));
        }
        parts.push_back(lastState(prefixProducts(embedded(0, matrices(matrixTable, idx))), lengths));
        if (backwardTable.defined())
            parts.push_back(lastState(prefixProducts(embedded(1, matrices(backwardTable, reverseWithinLength(idx, lengths)))), lengths));
        return torch::cat(parts, 1);
    }
    std::int64_t hiddenWidth() const override
    {
        return (m_hybrid ? m_spec.i("width") : 0) + std::int64_t(m_spec.i("matrix")) * m_spec.i("matrix");
    }
    std::int64_t featureWidth() const override
    {
        const std::int64_t d2 = std::int64_t(m_spec.i("matrix")) * m_spec.i("matrix");
        return (m_hybrid ? m_spec.i("width") : 0) + d2 * (backwardTable.defined() ? 2 : 1);
    }
    torch::Tensor matrixTable, backwardTable;
    nn::Embedding emb{nullptr};
    Dense out{nullptr};

private:
    bool m_hybrid;
};

} // namespace

namespace {

std::shared_ptr<LanguageModel> buildFamily(const ModelSpec& spec, std::int64_t vocab)
{
    spec.validate();
    if (vocab < 2)
        throw InputError("a model needs a vocabulary of at least 2 tokens");
    const auto& f = spec.family;
    if (f == "transformer")
        return std::make_shared<GptImpl>(spec, vocab);
    if (f == "fnn")
        return std::make_shared<Fnn>(spec, vocab);
    if (f == "cbow")
        return std::make_shared<Cbow>(spec, vocab);
    if (f == "cmow" || f == "cmow-cbow")
        return std::make_shared<Cmow>(spec, vocab);
    if (auto m = makeRecurrentFamily(spec, vocab))
        return m;
    throw InputError("unknown family '" + f + "'");
}

} // namespace

std::shared_ptr<LanguageModel> buildRunModel(const RunConfig& config, std::int64_t vocab, std::int64_t classes)
{
    auto model = buildModel(config.spec, vocab, classes);
    if (config.train.method == FinetuneMethod::Prefix)
        model->attachPrefix(config.train.prefixLength, config.train.prefixHidden);
    applyCompressionStructure(*model, config.compression);
    model->setKernels(config.train.kernels);
    return model;
}

std::shared_ptr<LanguageModel> buildModel(const ModelSpec& spec, std::int64_t vocab, std::int64_t classes)
{
    auto model = buildFamily(spec, vocab);
    if (classes > 0)
        model->attachClassifier(classes);
    return model;
}

} // namespace wb
