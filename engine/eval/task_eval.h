// SPDX-License-Identifier: GPL-3.0-or-later
// Batches of task examples and the task metrics of a fine-tuned model:
// classification (loss, accuracy, macro-F1, per class, confusion, the
// majority baseline) and pairs (target-token loss, perplexity and bits per
// character; exact match and corpus BLEU of greedy generations). Internal
// to the engine: includes LibTorch.
#pragma once

#include "data/task_data.h"
#include "data/tokenizer.h"
#include "metrics/classification.h"
#include "models/language_model.h"

#include <torch/types.h>

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace wb {

// Examples as tensors, right-padded with token 0.
struct TaskBatch {
    torch::Tensor x;       // (B, T) input ids
    torch::Tensor lengths; // (B) valid positions of each row (classify)
    torch::Tensor y;       // classify: (B) labels; pairs: (B, T) next tokens, -100 off the target
};
inline constexpr std::int64_t kIgnoreIndex = -100;

TaskBatch makeTaskBatch(const TaskData& data, const TaskSplit& split, const std::vector<std::size_t>& rows,
                        const torch::Device& device);

// SiATL's auxiliary LM loss (methods.md B8): the next-token cross-entropy of
// the causal model on the batch's own text (every valid position of x that
// has a next token in x), mean per predicted token.
torch::Tensor auxLmLoss(LanguageModel& model, const TaskBatch& batch);

// gamma_t = gamma_0 * 0.5^(t / halfLife): the auxiliary loss's weight at step t.
double auxLmWeight(double gamma0, std::int64_t halfLife, std::int64_t step);

// The task's training loss of a batch: cross-entropy over the classes, or
// over the target tokens only (pairs). Mean over what it counts.
torch::Tensor taskLoss(LanguageModel& model, const TaskData& data, const TaskBatch& batch);

struct GeneratedPair {
    std::string prompt, reference, generated;
};

struct TaskScore {
    double loss = 0;   // classify: cross-entropy per example; pairs: per target token
    double ppl = 0;    // exp(loss)
    double bpc = 0;    // pairs: bits per target character; 0 for classify
    std::optional<ClassificationReport> classification;
    std::optional<double> exactMatch; // pairs with generation: share of exact answers (0..1)
    std::optional<double> bleu;       // pairs with generation: corpus BLEU (sacreBLEU 2.x default)
    std::vector<GeneratedPair> generations;
    bool complete = true; // false when a stop request cut it short
};

// The majority class of the training split (ties: the lower id).
std::int32_t majorityClass(const TaskData& data);

// Scores a split. Pairs: with `generateLimit` > 0, greedy generations of
// the first `generateLimit` examples (all: -1) give exact match and BLEU;
// each is cut at the end marker or at twice its reference's tokens plus 8.
TaskScore evaluateTask(LanguageModel& model, const TaskData& data, const TaskSplit& split, const Tokenizer& tokenizer,
                       int batch, std::int64_t generateLimit, const std::atomic<bool>* stop = nullptr);

// The score as JSON: {"split","loss","ppl","bpc", classification's
// report fields, "exact_match","bleu","generations":[{"prompt","reference","generated"}]}.
std::string taskScoreJson(const TaskScore& score, const TaskData& data, const std::string& split);

} // namespace wb
