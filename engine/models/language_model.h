// SPDX-License-Identifier: GPL-3.0-or-later
// The interface every family implements: a causal next-token model over
// (B, T) token ids giving (B, T, V) logits, where the logits at t depend only
// on tokens 0..t. Families that can also encode a sequence (cbow, cmow,
// cmow-cbow, cnn-bilstm, lstm, transformer) give a pooled vector for a
// classification head. Internal to the engine: includes LibTorch.
#pragma once

#include "models/model_spec.h"

#include <torch/nn/module.h>
#include <torch/types.h>

#include <memory>
#include <vector>

namespace wb {

class LanguageModel : public torch::nn::Module {
public:
    LanguageModel(const ModelSpec& spec, std::int64_t vocab) : m_spec(spec), m_vocab(vocab) {}
    ~LanguageModel() override = default;

    virtual torch::Tensor forward(const torch::Tensor& idx) = 0; // (B, T) -> (B, T, V)
    // (B, T) -> (B, encoderWidth()); empty tensor when the family has none.
    virtual torch::Tensor encode(const torch::Tensor& idx) { return {}; }
    virtual std::int64_t encoderWidth() const { return 0; }

    // Weight decay on weight matrices only: not on biases, norms or
    // embedding tables (methods.md A5 pitfalls).
    virtual std::vector<torch::Tensor> decayParameters();
    virtual std::vector<torch::Tensor> noDecayParameters();

    const ModelSpec& spec() const { return m_spec; }
    std::int64_t vocabSize() const { return m_vocab; }
    std::int64_t context() const { return m_spec.context(); }
    torch::Device device() const;

protected:
    // Names of parameters that are embedding tables (no weight decay).
    virtual bool isEmbedding(const std::string& name) const;

    ModelSpec m_spec;
    std::int64_t m_vocab;
};

// Builds the family's module, initialised from the current torch seed.
std::shared_ptr<LanguageModel> buildModel(const ModelSpec& spec, std::int64_t vocab);

} // namespace wb
