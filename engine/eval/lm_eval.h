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

// One training step's loss and gradient for next-token prediction on the
// CPU, x (B, T) -> y (B, T), with the batch split into `parts` blocks of
// rows whose forward and backward passes run at the same time, one on each
// of LibTorch's intra-op threads (the ops inside a part then run on that
// thread alone: at this size whole passes side by side use the cores better
// than every small op split in two). Each part's mean cross-entropy is
// weighted by its share of the rows, so the gradients accumulated into the
// parameters are those of the whole batch's mean, up to float rounding.
// Returns that mean (detached). For models without carried state or
// randomness (dropout off): the parts must not share either.
torch::Tensor concurrentLmStep(LanguageModel& model, const torch::Tensor& x, const torch::Tensor& y, int parts,
                               double* forwardMs = nullptr, double* backwardMs = nullptr);

struct SampleOptions {
    double temperature = 0.8; // 0: greedy
    int topK = 0;             // > 0: only the k most likely tokens (renormalised)
    double topP = 1.0;        // < 1: only the most likely tokens whose probabilities sum to top_p (nucleus)
    std::uint64_t seed = 1;
    bool cache = true;        // false: every token from a full forward over the window (the reference)
};
struct SampleStats {
    double prefillMs = 0;          // feeding the prompt, up to the first token's logits
    double decodeSeconds = 0;      // every token after that (re-anchoring included)
    std::int64_t decodeTokens = 0; // tokens sampled after the first
    std::int64_t reanchors = 0;    // times the window was re-anchored (see sampleLm)
    double decodeTokensPerSecond() const { return decodeSeconds > 0 ? static_cast<double>(decodeTokens) / decodeSeconds : 0.0; }
};

// Samples `count` tokens after `prompt` from a std::mt19937_64 seeded with
// options.seed, so samples repeat exactly. With the cache (the default) the
// prompt is fed once (prefill) and then one token per step through the
// family's decodeNext (KV cache, carried state, incremental window); while
// prompt and sample fit in the context this gives the same logits as a full
// forward per token. Past the context a family that does not carry its state
// (all but a state-carrying AWD-LSTM) re-anchors: the cache restarts from
// the last context/2 tokens (positions from 0 again), where full-window
// sampling slides by one token and recomputes everything.
std::vector<std::int32_t> sampleLm(LanguageModel& model, const std::vector<std::int32_t>& prompt, int count,
                                   const SampleOptions& options, const std::atomic<bool>* stop = nullptr,
                                   SampleStats* stats = nullptr);
// The same with temperature, seed and top-k (the cache on).
std::vector<std::int32_t> sampleLm(LanguageModel& model, const std::vector<std::int32_t>& prompt, int count,
                                   double temperature, std::uint64_t seed, const std::atomic<bool>* stop = nullptr,
                                   int topK = 0);

} // namespace wb
