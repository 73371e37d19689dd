// SPDX-License-Identifier: GPL-3.0-or-later
// GPT-style decoder-only Transformer (methods.md A5; Radford et al. 2019, as
// in nanoGPT): learned positions, pre-LayerNorm blocks, causal multi-head
// self-attention, GELU MLP, output tied to the token embedding.
// Internal to the engine: includes LibTorch.
#pragma once

#include "models/dense.h"
#include "models/language_model.h"
#include "models/model_spec.h"

#include <torch/nn/module.h>
#include <torch/nn/modules/dropout.h>
#include <torch/nn/modules/embedding.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/normalization.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/pimpl.h>

#include <vector>

namespace wb {

class CausalSelfAttentionImpl : public torch::nn::Module {
public:
    CausalSelfAttentionImpl(const TransformerSpec& spec);
    // (B, T, d) -> (B, T, d). With a prefix, pk and pv (L_p, d) are keys and
    // values every position sees before its own causal window (B10).
    torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& pk = {}, const torch::Tensor& pv = {});

    // Incremental decoding: x (k, d) of the tokens at positions start ..
    // start+k-1 (counting a prefix's Lp keys first); their keys and values
    // are written into K, V (H, Lp + context, hd) at those positions and
    // the queries attend to positions 0 .. start+k-1. Returns (k, d).
    torch::Tensor decode(const torch::Tensor& x, torch::Tensor& K, torch::Tensor& V, std::int64_t start, std::int64_t prefix);

    Dense qkv{nullptr};
    Dense proj{nullptr};

    // The fused attention kernel (models/fused.h) where it applies: no
    // prefix, no head gates, no attention dropout while training.
    bool fusedKernels = false;

    int heads() const { return m_heads; }
    int headWidth() const { return m_headWidth; }
    // Michel et al.'s head gates (methods.md B11): when set, (H) values that
    // multiply each head's output, for dL/dgate as its importance.
    torch::Tensor headGate;

private:
    int m_heads;
    int m_headWidth;
    torch::nn::Dropout m_attnDrop{nullptr};
    torch::nn::Dropout m_residDrop{nullptr};
    torch::Tensor m_mask; // (n_ctx, n_ctx) lower-triangular, a buffer
    torch::Tensor m_causalBias; // 0 where visible, -inf after: made once for inference (not saved)
};

TORCH_MODULE(CausalSelfAttention);

class BlockImpl : public torch::nn::Module {
public:
    BlockImpl(const TransformerSpec& spec);
    torch::Tensor forward(torch::Tensor x, const torch::Tensor& pk = {}, const torch::Tensor& pv = {}); // (B, T, d)
    // (k, d) -> (k, d) with the layer's KV cache (CausalSelfAttention::decode).
    torch::Tensor decode(torch::Tensor x, torch::Tensor& K, torch::Tensor& V, std::int64_t start, std::int64_t prefix);

    torch::nn::LayerNorm ln1{nullptr}, ln2{nullptr};
    CausalSelfAttention attn{nullptr};
    Dense fc{nullptr}, fcProj{nullptr};
    torch::nn::Dropout drop{nullptr};
};
TORCH_MODULE(Block);

// Prefix tuning's prefix (Li & Liang 2021; methods.md B10): while training
// P = MLP(E), E an (L_p, d) table, MLP = Linear(d, k) -> tanh -> Linear(k, 2Ld);
// freeze() keeps P itself in the buffer "values" (with "ready" set), which
// is all a finished run stores.
class PrefixEncoderImpl : public torch::nn::Module {
public:
    PrefixEncoderImpl(int layers, int width, int length, int hidden);
    torch::Tensor forward(); // (2L, L_p, d): keys and values of layer l at 2l and 2l + 1
    void freeze();
    torch::nn::Embedding embed{nullptr};
    torch::nn::Linear mlp1{nullptr}, mlp2{nullptr};
    torch::Tensor values, ready;

private:
    int m_layers, m_width, m_length;
};
TORCH_MODULE(PrefixEncoder);

class GptImpl : public LanguageModel {
public:
    GptImpl(const ModelSpec& spec, std::int64_t vocab);
    GptImpl(const TransformerSpec& spec, std::int64_t vocab) : GptImpl(ModelSpec::gpt(spec), vocab) {}
    // (B, T) token ids -> (B, T, V) logits
    torch::Tensor forward(const torch::Tensor& idx) override;
    // With the fused kernels: the tied output and the cross-entropy as one
    // Function (fused::tiedCrossEntropy).
    torch::Tensor lmLoss(const torch::Tensor& idx, const torch::Tensor& target) override;
    // [h_n ; meanpool(H)]: the last valid position's final state (it has
    // attended to every token, methods.md A5) and the mean of the states.
    torch::Tensor features(const torch::Tensor& idx, const torch::Tensor& lengths) override;
    std::int64_t featureWidth() const override { return 2 * m_t.width; }
    std::int64_t hiddenWidth() const override { return m_t.width; }

    // Parameters that get weight decay (the matrices of attention and MLP)
    // and those that do not (embeddings, positions, norms, biases).
    // The KV cache (methods.md A5): each layer's keys and values of the
    // tokens fed so far; a new token costs one position's work.
    torch::Tensor decodeNext(const torch::Tensor& ids, DecodeCache& cache) override;
    void setKernels(Kernels kernels) override;

    std::vector<torch::Tensor> decayParameters() override;
    std::vector<torch::Tensor> noDecayParameters() override;

    const TransformerSpec& transformerSpec() const { return m_t; }
    void attachPrefix(int length, int hidden) override;
    void freezePrefix() override;

    torch::nn::Embedding wte{nullptr}, wpe{nullptr};
    torch::nn::ModuleList blocks{nullptr};
    torch::nn::LayerNorm lnF{nullptr};
    PrefixEncoder prefix{nullptr};

protected:
    bool isEmbedding(const std::string& name) const override
    {
        return name.rfind("wte.", 0) == 0 || name.rfind("wpe.", 0) == 0 || name.rfind("prefix.embed.", 0) == 0;
    }

private:
    torch::Tensor hidden(const torch::Tensor& idx);
    // Whether hidden() can take the fused residual-add-and-LayerNorm path.
    bool fusedNorms(const torch::Tensor& x) const;
    // Whether a one-token decoding step can take fused::gptDecodeStep.
    bool rawDecodeUsable(const torch::Tensor& ids) const;
    TransformerSpec m_t;
    torch::nn::Dropout m_drop{nullptr};
};
TORCH_MODULE(Gpt);

} // namespace wb
