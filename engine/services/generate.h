// SPDX-License-Identifier: GPL-3.0-or-later
// Text generation from a stored run (its latest checkpoint and its own copy
// of the tokenizer). No LibTorch in this header.
#pragma once

#include "catalog/records.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

namespace wb {

class Catalog;

struct GenerateOptions {
    std::string prompt;
    int maxTokens = 200;
    double temperature = 0.8;
    int topK = 0;       // 0: the whole vocabulary
    double topP = 1.0;  // 1: no nucleus cut
    std::uint64_t seed = 1;
    bool cache = true;  // false: a full forward over the window per token (for comparison)
};
// How fast it went (eval/lm_eval.h's SampleStats).
struct GenerateStats {
    std::int64_t promptTokens = 0;
    std::int64_t tokens = 0;           // sampled
    double prefillMs = 0;              // the prompt fed, up to the first sampled token
    double decodeTokensPerSecond = 0;  // the tokens after the first
    std::int64_t reanchors = 0;        // cache restarts past the context
};

// Returns the continuation (without the prompt). InputError for an unknown
// run, a run without checkpoint, options out of range, or a prompt with
// characters the run's tokenizer does not know.
std::string generateFromRun(Catalog& catalog, std::int64_t runId, const GenerateOptions& options,
                            const std::atomic<bool>* stop = nullptr, GenerateStats* stats = nullptr);

// Sequence-level distillation (Kim & Rush 2016; methods.md B6): a corpus of
// text sampled from a run, stored in the catalog with the run as its source.
struct GenerateCorpusOptions {
    std::string name;       // the new corpus
    int documents = 100;
    int maxTokens = 256;    // sampled tokens per document
    double temperature = 1.0;
    int topK = 0;           // 0: the whole vocabulary
    int promptTokens = 16;  // each document continues this many tokens from a random place in the
                            // run's training split (kept in the document); 0: free sampling
    std::uint64_t seed = 1;
};
struct GeneratedCorpus {
    CorpusRecord corpus;
    std::int64_t sampledTokens = 0;
};
// Called with the fraction done; return false to cancel (Cancelled is
// thrown and nothing is left behind). InputError for an unknown run, a
// corpus name already taken, or options out of range, before sampling.
GeneratedCorpus generateCorpus(Catalog& catalog, std::int64_t runId, const GenerateCorpusOptions& options,
                               const std::function<bool(double)>& progress = {});

} // namespace wb
