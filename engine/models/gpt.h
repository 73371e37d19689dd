// SPDX-License-Identifier: GPL-3.0-or-later
// GPT-style decoder-only Transformer (methods.md A5; Radford et al. 2019, as
// in nanoGPT): learned positions, pre-LayerNorm blocks, causal multi-head
// self-attention, GELU MLP, output tied to the token embedding.
// Internal to the engine: includes LibTorch.
#pragma once

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
    torch::Tensor forward(const torch::Tensor& x); // (B, T, d) -> (B, T, d)

    torch::nn::Linear qkv{nullptr};
    torch::nn::Linear proj{nullptr};

private:
    int m_heads;
    torch::nn::Dropout m_attnDrop{nullptr};
    torch::nn::Dropout m_residDrop{nullptr};
    torch::Tensor m_mask; // (n_ctx, n_ctx) lower-triangular, a buffer
};
TORCH_MODULE(CausalSelfAttention);

class BlockImpl : public torch::nn::Module {
public:
    BlockImpl(const TransformerSpec& spec);
    torch::Tensor forward(torch::Tensor x); // (B, T, d)

    torch::nn::LayerNorm ln1{nullptr}, ln2{nullptr};
    CausalSelfAttention attn{nullptr};
    torch::nn::Linear fc{nullptr}, fcProj{nullptr};
    torch::nn::Dropout drop{nullptr};
};
TORCH_MODULE(Block);

class GptImpl : public torch::nn::Module {
public:
    GptImpl(const TransformerSpec& spec, std::int64_t vocab);
    // (B, T) token ids -> (B, T, V) logits
    torch::Tensor forward(const torch::Tensor& idx);

    // Parameters that get weight decay (the matrices of attention and MLP)
    // and those that do not (embeddings, positions, norms, biases).
    std::vector<torch::Tensor> decayParameters();
    std::vector<torch::Tensor> noDecayParameters();

    const TransformerSpec& spec() const { return m_spec; }
    std::int64_t vocabSize() const { return m_vocab; }

    torch::nn::Embedding wte{nullptr}, wpe{nullptr};
    torch::nn::ModuleList blocks{nullptr};
    torch::nn::LayerNorm lnF{nullptr};

private:
    TransformerSpec m_spec;
    std::int64_t m_vocab;
    torch::nn::Dropout m_drop{nullptr};
};
TORCH_MODULE(Gpt);

} // namespace wb
