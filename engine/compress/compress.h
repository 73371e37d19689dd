// SPDX-License-Identifier: GPL-3.0-or-later
// Compression of a model in memory (methods.md B11): magnitude pruning with
// masks, low-rank factorisation of linear layers by truncated SVD, and int8
// quantisation of linear layers and embedding tables. The catalog side
// (variants as runs with a parent) is services/compress.h. Internal to the
// engine: includes LibTorch.
#pragma once

#include "models/language_model.h"

#include <torch/types.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace wb {

// Zhu & Gupta's (2017) gradual schedule (methods.md B11):
// s_t = s_f + (s_i - s_f) (1 - (t - t0) / span)^3, s_i before t0 and s_f
// after t0 + span.
double zhuGuptaSparsity(std::int64_t t, double initial, double final, std::int64_t t0, std::int64_t span);

struct PruneOptions {
    double sparsity = 0.5;        // fraction of the prunable weights set to zero, in [0, 1)
    bool global = false;          // one threshold over all prunable tensors (else each its own)
    double layerCap = 0.98;       // global: no tensor loses more than this fraction
    bool includeEmbeddings = false;
    bool includeOutput = false;
};

// The weight matrices pruning may touch: linear layers, recurrent and
// convolution weights; not biases, norms, embedding tables or the output
// layer unless asked (methods.md B11).
std::vector<std::string> prunableTensors(LanguageModel& model, const PruneOptions& options);

// Masks M = 1[|W| > tau] by magnitude: per tensor tau its s-quantile, or one
// global tau (each tensor capped at layerCap). Keyed by parameter name.
std::map<std::string, torch::Tensor> magnitudeMasks(LanguageModel& model, const PruneOptions& options);
// W <- W * M for each mask.
void applyMasks(LanguageModel& model, const std::map<std::string, torch::Tensor>& masks);
// Masks of a pruned model's zeros (to keep them through a fine-tune).
std::map<std::string, torch::Tensor> zeroMasks(LanguageModel& model, const PruneOptions& options);

struct RankChoice {
    std::string layer;
    std::int64_t in = 0, out = 0;
    std::int64_t rank = 0;      // chosen
    std::int64_t fullRank = 0;  // min(in, out)
    double energy = 0;          // kept fraction of sum sigma^2
    double relativeError = 0;   // ||W - W_r||_F / ||W||_F
    std::int64_t paramsBefore = 0, paramsAfter = 0;
};

// Ranks for each linear layer by energy threshold (smallest r with
// sum_{i<=r} s_i^2 / sum s_i^2 >= energy) or a fixed rank; a layer is
// factored only where r (in + out) < in out (it saves parameters). The
// output layer is left alone unless asked. InputError for an energy outside
// (0, 1], or a rank above every layer's.
std::vector<RankChoice> chooseRanks(LanguageModel& model, double energy, std::int64_t rank, bool includeOutput = false);
// Ranks under a global parameter budget: the factored layers together keep
// at most `budget` (0 < budget < 1) of their dense parameters. Every layer
// starts at rank 1; then, greedily, the next singular value with the most
// energy (its share of its layer's sum sigma^2) per parameter it costs
// (in + out) is added while the budget allows.
std::vector<RankChoice> chooseRanksByBudget(LanguageModel& model, double budget, bool includeOutput = false);
// Every threshold's rank and size for one layer, for the what-if slider.
std::vector<RankChoice> rankCurve(LanguageModel& model, const std::string& layer);
void factorizeLayers(LanguageModel& model, const std::vector<RankChoice>& choices);

// All linear layers to int8 (per-channel symmetric weights), and the
// embedding tables' values to per-row int8 (kept as their dequantised
// floats in memory; the variant file stores the integers). Returns the
// tables' names. InputError when this LibTorch has no int8 kernels.
// With `calibration` batches ((B, T + 1) token windows), static int8 where
// the layer allows (plain linear layers): their input and output ranges
// observed over the batches fix their uint8 scales (methods.md B11, static
// quantisation); the LSTM layers and factored layers stay dynamic.
std::vector<std::string> quantizeModel(LanguageModel& model, const std::vector<torch::Tensor>& calibration = {});

// Structured pruning (methods.md B11): the model made physically smaller,
// an ordinary smaller spec of its family with the kept weights copied in.
//  - heads (Transformer): Michel et al.'s importance E|dL/d xi_h| of a gate
//    on each head's output over `batches`, normalised per layer by its L2
//    norm; the lowest round(fraction H) heads of every layer go (the spec
//    keeps one head count and records the head width);
//  - ffn (Transformer): MLP unit j scored ||W_1[j,:]|| ||W_2[:,j]||;
//  - units (AWD-LSTM): the inner layers' units, unit j scored by the norms
//    of its four gate rows times the norm of the column that reads it;
//  - channels (CNN + LSTM): convolution filter c scored ||conv[c]|| times
//    the norm of the first LSTM layers' input column c.
// `batches`: (B, T + 1) token windows (heads only). InputError for a kind
// the family does not have, a fraction that removes nothing or everything,
// or layers already factored or int8.
struct StructuredPrune {
    ModelSpec spec;                        // the smaller spec
    std::shared_ptr<LanguageModel> model;  // built from it, the kept weights copied in
    std::map<std::string, std::vector<std::int64_t>> kept; // per layer: the indices kept
    std::int64_t removed = 0;              // heads, units or channels removed in all
};
StructuredPrune structuredPrune(LanguageModel& model, const std::string& kind, double fraction,
                                const std::vector<torch::Tensor>& batches);
// Michel et al.'s per-layer-normalised head importance (layers x heads).
std::vector<std::vector<double>> headImportance(LanguageModel& model, const std::vector<torch::Tensor>& batches);

// Parameters as stored (int8 values count as parameters) and their non-zeros.
struct ParamCount {
    std::int64_t params = 0;
    std::int64_t nonzero = 0;
};
ParamCount countParameters(LanguageModel& model);

// Bytes of each tensor group ("blocks.0.attn.qkv", "wte", ...) as stored
// dense: for the what-if bar chart of where the bytes are.
std::vector<std::pair<std::string, std::int64_t>> layerBytes(LanguageModel& model);

} // namespace wb
