// SPDX-License-Identifier: GPL-3.0-or-later
// Validation loss, perplexity and bits per character of a causal LM, and
// sampling from it. Internal to the engine: includes LibTorch.
#pragma once

#include "data/token_cache.h"
#include "models/language_model.h"

#include <atomic>
#include <cstdint>
#include <vector>

namespace wb {

struct LmScore {
    double loss = 0;  // mean NLL in nats per predicted token
    double ppl = 0;
    double bpc = 0;   // bits per character
    double bpb = 0;   // bits per UTF-8 byte
    std::int64_t tokens = 0;
    bool complete = true; // false when a stop request cut it short
};

// Scores `tokens` (1-D int64) in non-overlapping chunks of the model's
// context: windows of T+1 tokens at stride T, so every token but the first
// is predicted once, from the tokens before it inside its window. Summed
// NLL divided once (methods.md C12). At most `maxTokens` predictions.
// `charsPerToken` and `bytesPerToken` (of the split) convert to bits per
// character and per byte (methods.md: bpc = loss / ln 2 / chars-per-token).
// A model that carries its state (AWD-LSTM) is scored instead over `batch`
// contiguous streams with its state carried from chunk to chunk.
LmScore evaluateLm(LanguageModel& model, const TokenCache& tokens, int batch, std::int64_t maxTokens,
                   double charsPerToken, double bytesPerToken, const std::atomic<bool>* stop = nullptr);

// Samples `count` tokens after `prompt` with temperature (0: greedy), from a
// std::mt19937_64 seeded with `seed`, so samples repeat exactly; `topK` > 0
// draws from the k most likely tokens only (renormalised).
std::vector<std::int32_t> sampleLm(LanguageModel& model, const std::vector<std::int32_t>& prompt, int count,
                                   double temperature, std::uint64_t seed, const std::atomic<bool>* stop = nullptr,
                                   int topK = 0);

} // namespace wb
