// SPDX-License-Identifier: GPL-3.0-or-later
// The training loop for one run (AdamW, warm-up + cosine, clipping, periodic
// evaluation and samples). It knows nothing of threads or the catalog: it
// reports through hooks and checks a stop flag between steps.
#pragma once

#include "data/task_data.h"
#include "data/token_cache.h"
#include "data/tokenizer.h"
#include "core/events.h"
#include "settings/run_config.h"

#include <atomic>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace wb {

class DataParallel;
class LanguageModel;

// What a run trains on: the token caches of a corpus's training and
// validation splits under one tokenizer, and the validation split's
// characters and bytes per token (for bits per character and per byte).
struct TrainingData {
    std::shared_ptr<const Tokenizer> tokenizer;
    std::shared_ptr<const TokenCache> train;
    std::shared_ptr<const TokenCache> validation;
    double valCharsPerToken = 1;
    double valBytesPerToken = 1;
    double peakGflops = 0; // the machine's matmul peak, for utilisation (0: not measured)
    // A fine-tuning task's examples (null, or task lm: language modelling on
    // the token caches).
    std::shared_ptr<const TaskData> task;
    // Data-parallel training: this rank's process group (null: one process).
    // The rank takes its share of each global batch; only rank 0 samples
    // text, and only its hooks should write anything.
    std::shared_ptr<DataParallel> parallel;
};

struct LrFindResult {
    std::vector<double> lrs;
    std::vector<double> losses;   // raw training loss at each rate
    std::vector<double> smoothed; // exponential moving average (beta 0.98, bias-corrected)
    double suggested = 0;         // where the smoothed loss falls fastest
    double minLossLr = 0;         // the rate of the lowest smoothed loss
};

struct TrainerHooks {
    std::function<void(Event)> onEvent;
    // Called with the step and a function that writes the checkpoint to a
    // given path; the owner decides where it goes and records it.
    // `best`: the model has the best validation loss so far.
    std::function<void(std::int64_t step, const std::function<void(const std::filesystem::path&)>& write, bool best)>
        checkpoint;
};

// One optimizer step's outcome.
struct StepResult {
    double loss = 0;            // the step's mean training loss (over all ranks)
    double gradNorm = 0;        // global gradient norm before clipping
    bool stopRequested = false; // data parallel: some rank was asked to stop
    // Why the step was refused (a NaN/Inf loss or gradient, or a loss above
    // diverge_factor times the first); empty when the optimizer applied it.
    std::string diverged;
};

class Trainer {
public:
    // Builds the model (seeded); throws InputError for a corpus or spec
    // that cannot train (text shorter than the context).
    Trainer(const RunConfig& config, TrainingData data, TrainerHooks hooks);
    ~Trainer();
    Trainer(const Trainer&) = delete;
    Trainer& operator=(const Trainer&) = delete;

    std::int64_t parameterCount() const;
    // The parameters this run trains: all, or a fine-tuning method's share.
    std::int64_t trainableParameterCount() const;
    // Starts from a checkpoint's weights (a fine-tuning run's parent; then,
    // for a lightweight method, its own delta on top): model only.
    void loadWeights(const std::filesystem::path& checkpoint);
    // Knowledge distillation (methods.md B6): the teacher whose softened
    // outputs the student learns from, beside the labels (kd_alpha,
    // kd_temperature). Kept in evaluation mode without gradients; its
    // validation perplexity is measured once here. With kd_topk_cache k > 0
    // the teacher's k largest logits at every position of the training
    // split's windows (at stride context) are computed once into
    // `cacheBase`.ids / .logits (reused when they are there, as on resume),
    // memory-mapped, and training windows are drawn at those strides.
    // `stop` (when given) cancels the top-k cache build with Cancelled.
    void setTeacher(std::shared_ptr<LanguageModel> teacher, const std::filesystem::path& cacheBase = {},
                    const std::atomic<bool>* stop = nullptr);
    // Every parameter's value, flattened in registration order (a copy on
    // the CPU): for tests that check what a step changed or left alone.
    std::vector<float> parameterValues() const;
    std::vector<std::string> parameterNames() const;  // in the same order
    // The learning rate of each optimizer group at the last step (ulmfit: the
    // unfrozen layer groups from the top, weight matrices and the rest).
    std::vector<double> groupLearningRates() const;
    std::vector<std::int64_t> parameterSizes() const; // elements of each
    // The learning-rate range test on this model and data (changes them).
    LrFindResult lrSweep(double lo, double hi, int steps, const std::atomic<bool>& stop);
    // Continues from a checkpoint: model, optimizer, step and random state.
    // Returns the step it continues from.
    std::int64_t resume(const std::filesystem::path& checkpoint);
    std::string deviceName() const;

    // Trains until the configured steps or until `stop` is set; the returned
    // summary has status finished, stopped or diverged (a NaN/Inf or
    // exploding loss, or running out of memory or disk space); other errors
    // propagate as exceptions.
    RunSummary run(const std::atomic<bool>& stop);

    // The stages run() is made of, each usable on its own:
    // One optimizer step at `step` (0-based): learning rate from the
    // schedule, forward and backward over the micro-batches, the divergence
    // guard (loss and gradient norm checked before the weights change, on
    // every step), clipping, the optimizer step.
    StepResult trainStep(std::int64_t step, const std::atomic<bool>& stop);
    // The StepEvent of the logging interval ending at `step` (1-based):
    // mean loss, tokens/s, phase times; emitted and returned; starts a new interval.
    StepEvent logInterval(std::int64_t step, double lr);
    // Scores the validation split (the first eval_tokens, or all of it) and
    // samples text; emitted. Empty when `stop` cut it short.
    std::optional<EvalEvent> evaluate(std::int64_t step, const std::atomic<bool>& stop, bool wholeSplit = false);
    // Hands a checkpoint of model, optimizer and sampler state to the hooks.
    // `final`: the run has finished (a prefix-tuning run then keeps only its prefix).
    void checkpoint(std::int64_t step, bool best = false, bool final = false);

private:
    RunSummary runSteps(const std::atomic<bool>& stop);
    std::optional<EvalEvent> evaluateTask(std::int64_t step, const std::atomic<bool>& stop, bool final);
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace wb
