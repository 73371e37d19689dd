// SPDX-License-Identifier: GPL-3.0-or-later
// What a running job reports, as plain values. The worker delivers them in
// batches (about every 100 ms) to a listener, on the worker thread; the
// listener copies what it needs and returns (the UI bridge queues them to
// the GUI thread).
#pragma once

#include "core/enums.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace wb {

struct StepEvent {
    std::int64_t step = 0;       // 1-based optimizer steps done
    std::int64_t totalSteps = 0;
    double trainLoss = 0;        // nats per token, mean over the logging interval
    double lr = 0;
    double tokensPerSec = 0;
    double etaSeconds = 0;
    double wallTime = 0;         // seconds since the run started
    // Where the step time went (mean over the logging interval, ms; on a
    // GPU the phases overlap asynchronously and only their sum is exact).
    double dataMs = 0, forwardMs = 0, backwardMs = 0, optimizerMs = 0;
    double modelGflops = 0;      // achieved model FLOP/s / 1e9 (the spec's training FLOPs per token)
    double utilisation = 0;      // against the machine's measured matmul peak (0 when not measured)
    double rssMb = 0;            // resident memory of the process
    // The terms of a fine-tuning loss, mean over the interval, stored as
    // loss_<name>: task and aux_lm (mtl), with aux_lm_weight (gamma).
    std::vector<std::pair<std::string, double>> lossTerms;
};

struct EvalEvent {
    std::int64_t step = 0;
    double valLoss = 0;  // nats per token
    double valPpl = 0;
    double valBpc = 0;   // bits per character
    double valBpb = 0;   // bits per UTF-8 byte: compares runs across tokenizers
    double wallTime = 0;
    // A fine-tuning task's metrics (classify: accuracy, macro_f1,
    // majority_accuracy; pairs: exact_match, bleu; a distilled run:
    // agreement, kl, teacher_ppl, teacher_bpc), stored as val_<name>.
    // For classify valLoss is the cross-entropy per document and valBpc,
    // valBpb are NaN (not stored); for pairs they count target tokens only.
    std::vector<std::pair<std::string, double>> taskMetrics;
    std::string taskReport; // the whole score as JSON (eval/task_eval.h); final evaluation only
};

struct SampleEvent {
    std::int64_t step = 0;
    std::string prompt;
    std::string text;    // continuation only
};

struct StateEvent {
    RunStatus status = RunStatus::Running;
    std::string message; // error text for failed
    std::int64_t params = 0;
    std::int64_t fp32Bytes = 0;
    std::string device;
};

using Event = std::variant<StepEvent, EvalEvent, SampleEvent, StateEvent>;

struct EventBatch {
    std::int64_t runId = 0;
    std::vector<Event> events;
};

using EventListener = std::function<void(const EventBatch&)>;

// The outcome of a run, as the CLI prints it.
struct RunSummary {
    std::int64_t run = 0;
    RunStatus status = RunStatus::Queued;
    std::int64_t steps = 0;
    std::optional<double> trainLoss;
    // Unset when never measured (a run that diverged or failed before its
    // first evaluation): printed as null, never as 0.
    std::optional<double> valLoss;
    std::optional<double> valPpl;
    std::optional<double> valBpc;
    std::optional<double> valBpb;
    std::int64_t params = 0;
    std::optional<double> tokensPerSec;
    double wallSeconds = 0;
    bool earlyStopped = false; // ended by --patience before the last step
    // A fine-tuning task's final metrics, and the whole report as JSON.
    std::optional<double> accuracy, macroF1, exactMatch, bleu;
    // Distillation: top-1 agreement and KL(teacher || student) on a fixed
    // validation batch, and the teacher's own validation perplexity.
    std::optional<double> agreement, kl, teacherPpl, teacherAccuracy;
    std::string taskReport;
    std::string error;
};

} // namespace wb
