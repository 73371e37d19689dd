// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/gpt.h"

#include "core/errors.h"
#include "models/fused.h"

#include <torch/torch.h>

#include <cmath>

namespace wb {

namespace nn = torch::nn;

CausalSelfAttentionImpl::CausalSelfAttentionImpl(const TransformerSpec& spec)
    : m_heads(spec.heads), m_headWidth(spec.headWidth())
{
    const int a = spec.attentionWidth(); // d, or less after heads were pruned
    qkv = register_module("qkv", Dense(spec.width, 3 * a));
    proj = register_module("proj", Dense(a, spec.width));
    m_attnDrop = register_module("attn_drop", nn::Dropout(spec.dropout));
    m_residDrop = register_module("resid_drop", nn::Dropout(spec.dropout));
    m_mask = register_buffer("mask", torch::ones({spec.context, spec.context}).tril().to(torch::kBool));
}

torch::Tensor CausalSelfAttentionImpl::forward(const torch::Tensor& x, const torch::Tensor& pk, const torch::Tensor& pv)
{
    const auto B = x.size(0), T = x.size(1);
    const std::int64_t hd = m_headWidth, C = m_heads * hd;         // C = d unless heads were pruned
    if (fusedKernels && !pk.defined() && !headGate.defined() && fused::usable(x)
        && (!is_training() || m_attnDrop->options.p() == 0.0)) {
        auto y = fused::causalAttention(qkv->forward(x), m_heads); // (B, T, C)
        return m_residDrop->forward(proj->forward(y));
    }
    auto parts = qkv->forward(x).split(C, /*dim=*/2);              // 3 x (B, T, C)
    auto q = parts[0].view({B, T, m_heads, hd}).transpose(1, 2);   // (B, H, T, hd)
    auto k = parts[1].view({B, T, m_heads, hd}).transpose(1, 2);   // (B, H, T, hd)
    auto v = parts[2].view({B, T, m_heads, hd}).transpose(1, 2);   // (B, H, T, hd)
    auto visible = m_mask.slice(0, 0, T).slice(1, 0, T);            // (T, T)
    if (pk.defined()) {
        // The prefix's keys and values come first, seen by every position;
        // the real tokens keep their positions 0..T-1.
        const auto Lp = pk.size(0);
        auto heads = [&](const torch::Tensor& p) { return p.view({Lp, m_heads, hd}).transpose(0, 1).unsqueeze(0).expand({B, m_heads, Lp, hd}); };
        k = torch::cat({heads(pk), k}, 2);                          // (B, H, Lp + T, hd)
        v = torch::cat({heads(pv), v}, 2);
        visible = torch::cat({torch::ones({T, Lp}, visible.options()), visible}, 1);
    }
    const double scale = 1.0 / std::sqrt(static_cast<double>(hd));
    torch::Tensor att;
    if (!torch::GradMode::is_enabled() && !is_training() && !pk.defined()) {
        // Inference: the causal mask as an additive bias (0 or -inf) that
        // the batched GEMM adds with the scale, beta 1 and alpha 1/sqrt(hd):
        // one kernel for what masked_fill did in a slow second pass.
        if (!m_causalBias.defined() || m_causalBias.device() != m_mask.device())
            m_causalBias = torch::zeros(m_mask.sizes(), q.options()).masked_fill(m_mask.logical_not(), -std::numeric_limits<float>::infinity());
        const auto BH = B * m_heads;
        att = torch::baddbmm(m_causalBias.slice(0, 0, T).slice(1, 0, T).expand({BH, T, T}), q.reshape({BH, T, hd}),
                             k.reshape({BH, T, hd}).transpose(1, 2), /*beta=*/1.0, /*alpha=*/scale)
                  .view({B, m_heads, T, T});
        att = torch::softmax(att, -1);
    } else {
        att = torch::matmul(q, k.transpose(-2, -1)) * scale;        // (B, H, T, [Lp +] T)
        // Key positions after the query position get -inf: causality.
        att = att.masked_fill(visible.logical_not(), -std::numeric_limits<float>::infinity());
        att = m_attnDrop->forward(torch::softmax(att, -1));
    }
    auto y = torch::matmul(att, v);                                // (B, H, T, hd)
    if (headGate.defined())
        y = y * headGate.view({1, m_heads, 1, 1});
    y = y.transpose(1, 2).contiguous().view({B, T, C});            // (B, T, C)
    return m_residDrop->forward(proj->forward(y));
}

torch::Tensor CausalSelfAttentionImpl::decode(const torch::Tensor& x, torch::Tensor& K, torch::Tensor& V, std::int64_t start,
                                              std::int64_t prefix)
{
    const auto k = x.size(0);
    const std::int64_t hd = m_headWidth, C = m_heads * hd;
    auto parts = qkv->forward(x).split(C, /*dim=*/1);                    // 3 x (k, C)
    auto q = parts[0].view({k, m_heads, hd}).transpose(0, 1);            // (H, k, hd)
    K.narrow(1, start, k).copy_(parts[1].view({k, m_heads, hd}).transpose(0, 1));
    V.narrow(1, start, k).copy_(parts[2].view({k, m_heads, hd}).transpose(0, 1));
    const auto n = start + k;                                           // keys visible to the last query
    const double scale = 1.0 / std::sqrt(static_cast<double>(hd));
    if (k == 1) {
        // One query: scores and mixture as broadcast products and sums over
        // (H, n, hd). LibTorch's CPU bmm runs small batches as one GEMM call
        // per head with a select per operand, which cost more than the work.
        auto s = (K.narrow(1, 0, n) * q).sum(-1).mul_(scale);           // (H, n)
        auto p = torch::softmax(s, -1);
        auto y = (V.narrow(1, 0, n) * p.unsqueeze(-1)).sum(1);          // (H, hd)
        return proj->forward(y.view({1, C}));
    }
    // The same additive causal bias and scaled batched GEMM as forward()'s
    // inference path, for the rows of the new positions: row i sees keys
    // 0 .. start+i (a prefix's keys are seen by all).
    if (!m_causalBias.defined() || m_causalBias.device() != m_mask.device())
        m_causalBias = torch::zeros(m_mask.sizes(), x.options()).masked_fill(m_mask.logical_not(), -std::numeric_limits<float>::infinity());
    auto bias = m_causalBias.slice(0, start - prefix, n - prefix).slice(1, 0, n - prefix); // (k, n - Lp)
    if (prefix > 0)
        bias = torch::cat({torch::zeros({k, prefix}, bias.options()), bias}, 1);
    auto att = torch::baddbmm(bias.expand({m_heads, k, n}), q, K.narrow(1, 0, n).transpose(1, 2), /*beta=*/1.0, /*alpha=*/scale);
    att = torch::softmax(att, -1);                                      // (H, k, n)
    auto y = torch::bmm(att, V.narrow(1, 0, n)).transpose(0, 1).reshape({k, C});
    return proj->forward(y);
}

torch::Tensor geluTanh(const torch::Tensor& x)
{
    // Training, and small inputs (a decoding step), take LibTorch's one kernel.
    if (torch::GradMode::is_enabled() || x.numel() < 16384)
        return torch::gelu(x, "tanh");
    // Inference: GPT-2's tanh GELU as x sigmoid(2 k (x + 0.044715 x^3)),
    // k = sqrt(2 / pi) (0.5 (1 + tanh z) = sigmoid(2 z)), in place: about
    // twice as fast as LibTorch 1.13's tanh kernel on a CPU, equal to float
    // rounding (docs/benchmarks.md).
    const double k2 = 2.0 * std::sqrt(2.0 / M_PI);
    auto z = x * x;
    z.mul_(0.044715 * k2).add_(k2).mul_(x);
    return z.sigmoid_().mul_(x);
}

BlockImpl::BlockImpl(const TransformerSpec& spec)
{
    ln1 = register_module("ln1", nn::LayerNorm(nn::LayerNormOptions({spec.width}).eps(1e-5)));
    attn = register_module("attn", CausalSelfAttention(spec));
    ln2 = register_module("ln2", nn::LayerNorm(nn::LayerNormOptions({spec.width}).eps(1e-5)));
    fc = register_module("fc", Dense(spec.width, spec.mlpWidth()));
    fcProj = register_module("fc_proj", Dense(spec.mlpWidth(), spec.width));
    drop = register_module("drop", nn::Dropout(spec.dropout));
}

torch::Tensor BlockImpl::forward(torch::Tensor x, const torch::Tensor& pk, const torch::Tensor& pv)
{
    x = x + attn->forward(ln1->forward(x), pk, pv);
    auto h = fc->forwardGelu(ln2->forward(x));                    // (B, T, 4d)
    return x + drop->forward(fcProj->forward(h));
}

torch::Tensor BlockImpl::decode(torch::Tensor x, torch::Tensor& K, torch::Tensor& V, std::int64_t start, std::int64_t prefix)
{
    x = x + attn->decode(ln1->forward(x), K, V, start, prefix);
    return x + fcProj->forward(fc->forwardGelu(ln2->forward(x)));
}

GptImpl::GptImpl(const ModelSpec& modelSpec, std::int64_t vocab)
    : LanguageModel(modelSpec, vocab), m_t(modelSpec.transformer())
{
    const TransformerSpec& spec = m_t;
    wte = register_module("wte", nn::Embedding(vocab, spec.width));
    wpe = register_module("wpe", nn::Embedding(spec.context, spec.width));
    m_drop = register_module("drop", nn::Dropout(spec.dropout));
    blocks = register_module("blocks", nn::ModuleList());
    for (int l = 0; l < spec.layers; ++l)
        blocks->push_back(Block(spec));
    lnF = register_module("ln_f", nn::LayerNorm(nn::LayerNormOptions({spec.width}).eps(1e-5)));

    // GPT-2 initialisation: N(0, 0.02) weights, zero biases, residual output
    // projections scaled by 1/sqrt(2L) (methods.md A5).
    torch::NoGradGuard noGrad;
    const double residStd = 0.02 / std::sqrt(2.0 * spec.layers);
    for (auto& item : named_parameters()) {
        const auto& name = item.key();
        auto& p = item.value();
        if (name.ends_with(".bias"))
            p.zero_();
        else if (name.find("ln") != std::string::npos)
            p.fill_(1.0);
        else if (name.ends_with("attn.proj.weight") || name.ends_with("fc_proj.weight"))
            p.normal_(0.0, residStd);
        else
            p.normal_(0.0, 0.02);
    }
}

torch::Tensor GptImpl::forward(const torch::Tensor& idx)
{
    // Tied output: logits = x W_e^T, no bias and no second matrix.
    return tiedLogits(outputInput(hidden(idx)), wte->weight); // (B, T, V)
}

torch::Tensor GptImpl::lmLoss(const torch::Tensor& idx, const torch::Tensor& target)
{
    if (kernels() != Kernels::Fused || int8Output() || !fused::usable(wte->weight) || !idx.device().is_cpu())
        return LanguageModel::lmLoss(idx, target);
    return fused::tiedCrossEntropy(outputInput(hidden(idx)), wte->weight, target);
}

bool GptImpl::rawDecodeUsable(const torch::Tensor& ids) const
{
    if (!ids.device().is_cpu() || !wte->weight.device().is_cpu() || wte->weight.scalar_type() != torch::kFloat
        || !fused::available() || torch::GradMode::is_enabled())
        return false;
    auto plain = [](const Dense& dense) {
        return dense->rank() == 0 && !dense->isInt8() && !dense->isStatic() && dense->weight.is_contiguous();
    };
    for (const auto& block : *blocks) {
        const auto* b = block->as<Block>();
        if (!plain(b->attn->qkv) || !plain(b->attn->proj) || !plain(b->fc) || !plain(b->fcProj) || !b->ln1->weight.defined()
            || !b->ln2->weight.defined())
            return false;
    }
    return lnF->weight.defined() && wte->weight.is_contiguous();
}

torch::Tensor GptImpl::decodeNext(const torch::Tensor& ids, DecodeCache& cache)
{
    const auto k = ids.size(0), n = cache.length;
    TORCH_CHECK(n + k <= m_t.context, "decoding past the context ", m_t.context);
    const torch::Tensor p = prefix ? prefix->forward() : torch::Tensor(); // (2L, Lp, d)
    const std::int64_t Lp = p.defined() ? p.size(1) : 0;
    const std::int64_t H = m_t.heads, hd = m_t.headWidth();
    if (cache.tensors.empty()) {
        // Keys and values of every layer, for the whole context, made once.
        const auto options = wte->weight.options();
        for (int l = 0; l < m_t.layers; ++l) {
            auto K = torch::empty({H, Lp + m_t.context, hd}, options);
            auto V = torch::empty({H, Lp + m_t.context, hd}, options);
            if (Lp > 0) {
                K.narrow(1, 0, Lp).copy_(p[2 * l].view({Lp, H, hd}).transpose(0, 1));
                V.narrow(1, 0, Lp).copy_(p[2 * l + 1].view({Lp, H, hd}).transpose(0, 1));
            }
            cache.tensors.push_back(K);
            cache.tensors.push_back(V);
        }
    }
    if (k == 1 && Lp == 0 && rawDecodeUsable(ids)) {
        // One token on the CPU: the whole step in plain loops and BLAS
        // calls (fused::gptDecodeStep), without per-operator dispatch.
        const std::int64_t d = m_t.width;
        const auto id = ids.item<std::int64_t>();
        auto x = (wte->weight[id] + wpe->weight[n]).contiguous();
        std::vector<fused::DecodeLayer> layers;
        std::int64_t l = 0;
        auto f = [](const torch::Tensor& t) { return t.defined() ? t.data_ptr<float>() : nullptr; };
        for (const auto& block : *blocks) {
            auto* b = block->as<Block>();
            layers.push_back({f(b->ln1->weight), f(b->ln1->bias), f(b->attn->qkv->weight), f(b->attn->qkv->bias),
                              f(b->attn->proj->weight), f(b->attn->proj->bias), f(b->ln2->weight), f(b->ln2->bias),
                              f(b->fc->weight), f(b->fc->bias), f(b->fcProj->weight), f(b->fcProj->bias),
                              cache.tensors[2 * l].data_ptr<float>(), cache.tensors[2 * l + 1].data_ptr<float>()});
            ++l;
        }
        fused::gptDecodeStep(layers, f(lnF->weight), f(lnF->bias), x.data_ptr<float>(), d, H,
                             cache.tensors[0].size(1), n, m_t.mlpWidth());
        cache.length += 1;
        return torch::mv(wte->weight, x); // tied output, (V)
    }
    auto pos = torch::arange(n, n + k, ids.options());
    auto x = wte->forward(ids) + wpe->forward(pos); // (k, d)
    std::int64_t l = 0;
    for (const auto& block : *blocks) {
        x = block->as<Block>()->decode(x, cache.tensors[2 * l], cache.tensors[2 * l + 1], Lp + n, Lp);
        ++l;
    }
    cache.length += k;
    // Only the last position's logits are needed.
    return tiedLogits(lnF->forward(x.slice(0, k - 1, k)), wte->weight).view({-1});
}

void GptImpl::setKernels(Kernels kernels)
{
    LanguageModel::setKernels(kernels);
    for (const auto& block : *blocks)
        block->as<Block>()->attn->fusedKernels = kernels == Kernels::Fused;
}

torch::Tensor GptImpl::features(const torch::Tensor& idx, const torch::Tensor& lengths)
{
    auto h = hidden(idx);
    auto mask = validMask(lengths, idx.size(1), h.options());
    return torch::cat({lastState(h, lengths), (h * mask).sum(1) / lengths.to(h.options()).unsqueeze(1)}, 1);
}

bool GptImpl::fusedNorms(const torch::Tensor& x) const
{
    if (kernels() != Kernels::Fused || !fused::usable(x) || blocks->is_empty())
        return false;
    auto plain = [](const nn::LayerNorm& ln) {
        return ln->weight.defined() && ln->bias.defined() && ln->weight.scalar_type() == torch::kFloat
               && ln->options.eps() == 1e-5;
    };
    for (const auto& block : *blocks) {
        const auto* b = block->as<Block>();
        if (!plain(b->ln1) || !plain(b->ln2))
            return false;
    }
    return plain(lnF);
}

torch::Tensor GptImpl::hidden(const torch::Tensor& idx)
{
    const auto T = idx.size(1);
    TORCH_CHECK(T <= m_t.context, "sequence of ", T, " tokens is longer than the context ", m_t.context);
    auto pos = torch::arange(T, idx.options().dtype(torch::kLong));  // (T)
    auto x = m_drop->forward(embedded(0, wte->forward(idx)) + wpe->forward(pos)); // (B, T, d)
    const torch::Tensor p = prefix ? prefix->forward() : torch::Tensor(); // (2L, Lp, d)
    if (!p.defined() && fusedNorms(x)) {
        // Fused kernels: every residual add goes into the LayerNorm that
        // follows it (fused::addLayerNorm): ln2 inside a block, the next
        // block's ln1 (or ln_f) after it. The same function as below.
        const auto L = blocks->size();
        const auto& first = blocks->at<BlockImpl>(0).ln1;
        auto n = fused::layerNorm(x, first->weight, first->bias, 1e-5);
        for (std::size_t i = 0; i < L; ++i) {
            auto& b = blocks->at<BlockImpl>(i);
            std::tie(x, n) = fused::addLayerNorm(x, b.attn->forward(n), b.ln2->weight, b.ln2->bias, 1e-5);
            const auto m = b.drop->forward(b.fcProj->forward(b.fc->forwardGelu(n)));
            const auto& next = i + 1 < L ? blocks->at<BlockImpl>(i + 1).ln1 : lnF;
            std::tie(x, n) = fused::addLayerNorm(x, m, next->weight, next->bias, 1e-5);
        }
        return n;
    }
    std::int64_t l = 0;
    for (const auto& block : *blocks) {
        if (p.defined())
            x = block->as<Block>()->forward(x, p[2 * l], p[2 * l + 1]);
        else
            x = block->as<Block>()->forward(x);
        ++l;
    }
    return lnF->forward(x);
}

PrefixEncoderImpl::PrefixEncoderImpl(int layers, int width, int length, int hidden)
    : m_layers(layers), m_width(width), m_length(length)
{
    embed = register_module("embed", nn::Embedding(length, width));
    mlp1 = register_module("mlp1", nn::Linear(width, hidden));
    mlp2 = register_module("mlp2", nn::Linear(hidden, 2 * layers * width));
    values = register_buffer("values", torch::zeros({2 * layers, length, width}));
    ready = register_buffer("ready", torch::zeros({}, torch::kBool));
}

torch::Tensor PrefixEncoderImpl::forward()
{
    // A fixed prefix is only ever read outside training (reading the flag is
    // a host sync on a GPU, kept out of training steps).
    if (!is_training() && ready.item<bool>())
        return values;
    auto p = mlp2->forward(torch::tanh(mlp1->forward(embed->weight))); // (Lp, 2Ld)
    return p.view({m_length, 2 * m_layers, m_width}).permute({1, 0, 2});
}

void PrefixEncoderImpl::freeze()
{
    torch::NoGradGuard g;
    values.copy_(forward());
    ready.fill_(true);
}

void GptImpl::attachPrefix(int length, int hidden)
{
    if (m_t.attentionWidth() != m_t.width)
        throw InputError("prefix tuning needs every attention head: this Transformer's heads were pruned; tune its parent instead");
    prefix = register_module("prefix", PrefixEncoder(m_t.layers, m_t.width, length, hidden));
    prefix->to(device());
}

void GptImpl::freezePrefix()
{
    if (prefix)
        prefix->freeze();
}

std::vector<torch::Tensor> GptImpl::decayParameters()
{
    std::vector<torch::Tensor> out;
    for (auto& item : named_parameters())
        if (item.value().dim() == 2 && item.key().rfind("blocks.", 0) == 0)
            out.push_back(item.value());
    return out;
}

std::vector<torch::Tensor> GptImpl::noDecayParameters()
{
    std::vector<torch::Tensor> out;
    for (auto& item : named_parameters())
        if (!(item.value().dim() == 2 && item.key().rfind("blocks.", 0) == 0))
            out.push_back(item.value());
    return out;
}

} // namespace wb
