// SPDX-License-Identifier: GPL-3.0-or-later
#include "train/trainer.h"
#include "train/trainer_impl.h"

#include "core/errors.h"
#include "eval/lm_eval.h"
#include "models/language_model.h"
#include "compute/autocast.h"
#include "train/checkpoint.h"
#include "train/distributed.h"
#include "train/optimizer_setup.h"
#include "train/radam.h"
#include "train/schedule.h"
#include "settings/settings.h"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <fstream>
#include <sstream>

#include <torch/torch.h>

#include <chrono>
#include <limits>
#include <cmath>
#include <optional>
#include <random>

namespace wb {

namespace {

using Clock = std::chrono::steady_clock;

double residentMegabytes()
{
    std::ifstream statm("/proc/self/statm");
    long long pages = 0, resident = 0;
    statm >> pages >> resident;
    return static_cast<double>(resident) * static_cast<double>(::sysconf(_SC_PAGESIZE)) / 1e6;
}

} // namespace



Trainer::Trainer(const RunConfig& config, TrainingData data, TrainerHooks hooks) : d(std::make_unique<Impl>())
{
    // The settings themselves were validated against the settings table when
    // the run was built (buildRunConfig, prepareRun); here only what depends
    // on the data and the machine.
    validateSettings(config.train);
    d->config = config;
    resolveRunDefaults(d->config); // a no-op for a stored run: resolved when it was stored
    d->hooks = std::move(hooks);
    d->data = std::move(data);
    const auto T = config.spec.context();
    if (d->isTask()) {
        if (d->data.parallel)
            throw InputError("task " + enumName(config.train.task) + " trains in one process; drop --nproc");
        if (config.train.task == Task::Classify && config.train.batch < 2)
            throw SettingError("batch", "classify needs at least 2 (the head's batch norm), got " + std::to_string(config.train.batch));
    } else if (d->data.train->size() <= T + 1)
        throw InputError("corpus '" + config.corpus + "' has " + std::to_string(d->data.train->size())
                         + " training tokens; the model's context (" + std::to_string(T)
                         + ") needs more: use a larger corpus or a smaller spec field 'context'");
    if (d->data.validation->size() < 2)
        throw InputError("corpus '" + config.corpus + "' has too little validation text");

    if (config.train.device == Device::Cuda) {
        if (!torch::cuda::is_available())
            throw InputError("device cuda: this LibTorch was built without CUDA or no GPU is visible");
        // One GPU per local rank when training data-parallel.
        const int gpus = static_cast<int>(torch::cuda::device_count());
        const int index = d->data.parallel ? d->data.parallel->localRank() % std::max(1, gpus) : 0;
        d->device = torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(index));
    }

    torch::manual_seed(config.train.seed);
    d->batchRng.seed(config.train.seed);
    config.spec.checkFitsInMemory(d->data.tokenizer->vocabSize(), config.train.batch);
    const std::int64_t classes =
        d->isTask() && config.train.task == Task::Classify ? static_cast<std::int64_t>(d->data.task->labels.size()) : 0;
    d->model = buildRunModel(config, d->data.tokenizer->vocabSize(), classes);
    d->classes = classes;
    d->model->to(d->device);
    d->model->setStateCarry(d->streamed());
    if (d->data.parallel) {
        const int W = d->data.parallel->worldSize();
        if (config.train.batch % W != 0)
            throw InputError("batch " + std::to_string(config.train.batch) + " is the global batch and must divide evenly over "
                             + std::to_string(W) + " ranks");
        // Same seed, same initial weights; the broadcast makes sure of it.
        d->data.parallel->broadcast(d->model->parameters());
    }
    if (config.train.method == FinetuneMethod::Ulmfit) {
        d->layerGroups = groupParameters(*d->model, config.spec);
        for (auto& p : d->model->parameters())
            p.set_requires_grad(false);
        d->unfreezeFor(0); // the top group
    } else {
        freezeForMethod(*d->model, config.spec, config.train.method);
        d->optimizer = makeOptimizer(*d->model, config.train);
    }
    d->setupSparsity();
    try {
        d->promptIds = d->data.tokenizer->encode(config.train.samplePrompt);
    } catch (const InputError&) {
        d->promptIds = {0}; // the prompt's characters never occur in this corpus
    }
    if (d->promptIds.empty())
        d->promptIds = {0};
}

Trainer::~Trainer() = default;

std::int64_t Trainer::resume(const std::filesystem::path& checkpoint)
{
    // The optimizer's groups at that step first: ulmfit had unfrozen the
    // groups of its last step.
    if (const auto step = checkpointStep(checkpoint); step > 0)
        d->unfreezeFor(step - 1);
    const TrainingState state = loadTrainingCheckpoint(checkpoint, *d->model, *d->optimizer);
    std::istringstream rng(state.batchRng);
    rng >> d->batchRng;
    if (!rng)
        throw RuntimeError("checkpoint " + checkpoint.string() + " holds an unreadable random state");
    d->startStep = state.step;
    d->streamChunk = state.streamChunk;
    std::vector<torch::Tensor> carried;
    for (const auto& t : state.carried)
        carried.push_back(t.to(d->device));
    d->model->setCarriedState(std::move(carried));
    if (d->kd.projection && state.kdProjection.defined()) {
        torch::NoGradGuard noGrad;
        d->kd.projection->weight.copy_(state.kdProjection);
    }
    if (state.bestValLoss > 0)
        d->bestVal = state.bestValLoss;
    return state.step;
}

void Trainer::loadWeights(const std::filesystem::path& checkpoint)
{
    loadModelWeights(checkpoint, *d->model);
    d->model->to(d->device);
}

std::string Trainer::deviceName() const
{
    return d->device.str();
}

StepResult Trainer::trainStep(std::int64_t step, const std::atomic<bool>& stop)
{
    const auto& cfg = d->config.train;
    const bool bf16 = cfg.precision == Precision::Bf16;
    d->currentStep = step;
    d->unfreezeFor(step);
    const ScheduleSettings schedule{cfg.schedule, cfg.lr, cfg.minLr, cfg.warmup, cfg.steps};
    d->setLearningRate(learningRate(schedule, step));
    if (const auto m = cycledMomentum(schedule, step))
        d->setMomentum(*m);
    d->model->train();
    auto tick = Clock::now();
    auto lap = [&](double& acc) {
        const auto now = Clock::now();
        acc += std::chrono::duration<double, std::milli>(now - tick).count();
        tick = now;
    };
    // Gradient accumulation: `accumulate` micro-batches, each loss scaled so
    // the gradient is that of their mean.
    const bool split = d->canSplitStep();
    // Concurrent parts write fresh gradients: none are zeroed first.
    if (split)
        d->model->zero_grad(/*set_to_none=*/true);
    else
        d->optimizer->zero_grad();
    torch::Tensor stepLoss = torch::zeros({}, torch::TensorOptions().device(d->device));
    if (split) {
        auto [x, y] = d->nextBatch();
        lap(d->phaseMs[0]);
        double fwd = 0, bwd = 0;
        stepLoss = concurrentLmStep(*d->model, x, y, at::get_num_threads(), &fwd, &bwd);
        d->phaseMs[1] += fwd;
        d->phaseMs[2] += bwd;
        tick = Clock::now();
    }
    for (int micro = 0; micro < (split ? 0 : cfg.accumulate); ++micro) {
        d->termsThisBatch = false;
        auto loss = d->microBatchLoss(bf16, [&] { lap(d->phaseMs[0]); });
        if (d->termsThisBatch)
            ++d->termCount;
        lap(d->phaseMs[1]);
        (loss / static_cast<double>(cfg.accumulate)).backward();
        stepLoss += loss.detach() / static_cast<double>(cfg.accumulate);
        lap(d->phaseMs[2]);
    }
    StepResult r;
    auto stopFlag = torch::full({}, stop.load() ? 1.0 : 0.0, stepLoss.options());
    if (d->data.parallel) {
        // Equal shares: the mean of the ranks' mean gradients is the gradient
        // of the global batch's mean loss. The loss and a stop flag ride along.
        d->data.parallel->averageGradients(d->model->parameters(), {stepLoss, stopFlag});
        stepLoss.div_(d->data.parallel->worldSize());
        lap(d->phaseMs[2]); // communication counts as backward time
    }
    d->guard(r, stepLoss, stopFlag, step);
    if (!r.diverged.empty())
        return r; // the bad step is never applied
    if (d->firstLoss == 0)
        d->firstLoss = r.loss;
    // Gradient clipping as torch.nn.utils.clip_grad_norm_: scale by
    // max_norm / (norm + 1e-6) when that is below 1.
    if (cfg.clip > 0 && r.gradNorm > 0) {
        const double coef = cfg.clip / (r.gradNorm + 1e-6);
        if (coef < 1)
            for (auto& p : d->model->parameters())
                if (p.grad().defined())
                    p.grad().mul_(coef);
    }
    if (d->sparse.on)
        d->maskGradients();
    d->optimizer->step();
    if (d->sparse.on)
        d->keepSparsity(step + 1);
    if (cfg.method == FinetuneMethod::Smart)
        d->updateTeacher(step);
    lap(d->phaseMs[3]);
    d->intervalLoss += r.loss;
    ++d->intervalSteps;
    return r;
}

StepEvent Trainer::logInterval(std::int64_t step, double lr)
{
    const double dt = std::chrono::duration<double>(Clock::now() - d->intervalStart).count();
    const double n = static_cast<double>(std::max<std::int64_t>(1, d->intervalSteps));
    d->trainingSeconds += dt;
    const double perStep = dt / n;
    d->stepSecondsEma = d->stepSecondsEma == 0 ? perStep : 0.9 * d->stepSecondsEma + 0.1 * perStep;
    StepEvent ev;
    ev.step = step;
    ev.totalSteps = d->config.train.steps;
    ev.trainLoss = d->intervalLoss / n;
    ev.lr = lr;
    ev.tokensPerSec = static_cast<double>(d->tokensPerStep()) * n / std::max(dt, 1e-9);
    ev.etaSeconds = d->stepSecondsEma * static_cast<double>(d->config.train.steps - step);
    ev.wallTime = d->seconds();
    ev.dataMs = d->phaseMs[0] / n;
    ev.forwardMs = d->phaseMs[1] / n;
    ev.backwardMs = d->phaseMs[2] / n;
    ev.optimizerMs = d->phaseMs[3] / n;
    ev.modelGflops = ev.tokensPerSec * d->config.spec.trainingFlopsPerToken(d->data.tokenizer->vocabSize()) / 1e9;
    ev.utilisation = d->data.peakGflops > 0 ? ev.modelGflops / d->data.peakGflops : 0.0;
    ev.rssMb = residentMegabytes();
    if (d->termCount > 0) {
        for (auto& [name, sum] : d->termSums)
            ev.lossTerms.emplace_back(name, sum.item<double>() / static_cast<double>(d->termCount));
        if (d->config.train.method == FinetuneMethod::Mtl)
            ev.lossTerms.emplace_back("aux_lm_weight", auxLmWeight(d->config.train.auxLmWeight, d->config.train.auxLmHalfLife, step - 1));
        d->termSums.clear();
        d->termCount = 0;
    }
    d->phaseMs = {0, 0, 0, 0};
    d->intervalLoss = 0;
    d->intervalSteps = 0;
    d->intervalStart = Clock::now();
    d->hooks.onEvent(ev);
    return ev;
}

std::optional<EvalEvent> Trainer::evaluate(std::int64_t step, const std::atomic<bool>& stop, bool wholeSplit)
{
    // Periodic evaluations score the first eval_tokens validation tokens (the
    // same ones each time); the final one scores the whole split.
    const auto& cfg = d->config.train;
    if (d->isTask())
        return evaluateTask(step, stop, wholeSplit);
    const std::int64_t cap = wholeSplit ? std::numeric_limits<std::int64_t>::max() : cfg.evalTokens;
    const LmScore s = evaluateLm(*d->model, *d->data.validation, cfg.batch, cap, d->data.valCharsPerToken,
                                 d->data.valBytesPerToken, &stop);
    d->intervalStart = Clock::now(); // evaluation time is not training time
    if (!s.complete || s.tokens == 0)
        return std::nullopt;
    EvalEvent ev{step, s.loss, s.ppl, s.bpc, s.bpb, d->seconds(), {}, {}};
    if (d->kd.model) {
        // How close the student is to its teacher, on the same batch each time.
        const auto a = d->teacherAgreement();
        ev.taskMetrics = {{"agreement", a.top1}, {"kl", a.kl}, {"teacher_ppl", d->kd.val.ppl},
                          {"teacher_bpc", d->kd.val.bpc}};
    }
    d->lastEval = ev;
    d->hooks.onEvent(ev);
    if (cfg.sampleTokens > 0 && !d->promptIds.empty() && (!d->data.parallel || d->data.parallel->rank() == 0)) {
        const auto ids = sampleLm(*d->model, d->promptIds, cfg.sampleTokens, 0.8, cfg.seed + static_cast<std::uint64_t>(step), &stop);
        d->hooks.onEvent(SampleEvent{step, cfg.samplePrompt, d->data.tokenizer->decode(ids)});
    }
    d->intervalStart = Clock::now();
    return ev;
}

// A task's evaluation: the validation split scored; pairs generate greedy
// answers (up to 64 examples) at the final evaluation only.
std::optional<EvalEvent> Trainer::evaluateTask(std::int64_t step, const std::atomic<bool>& stop, bool final)
{
    const TaskData& task = *d->data.task;
    const TaskScore s = wb::evaluateTask(*d->model, task, task.validation, *d->data.tokenizer, d->config.train.batch,
                                         final && task.task == Task::Pairs ? 64 : 0, &stop);
    d->intervalStart = Clock::now();
    if (!s.complete)
        return std::nullopt;
    const double nan = std::numeric_limits<double>::quiet_NaN();
    EvalEvent ev{step, s.loss, s.ppl, task.task == Task::Pairs ? s.bpc : nan, nan, d->seconds(), {}, {}};
    if (s.classification) {
        ev.taskMetrics = {{"accuracy", s.classification->accuracy},
                          {"macro_f1", s.classification->macroF1},
                          {"majority_accuracy", s.classification->majorityAccuracy}};
    }
    if (d->kd.model) {
        const auto a = d->teacherAgreement();
        ev.taskMetrics.push_back({"agreement", a.top1});
        ev.taskMetrics.push_back({"kl", a.kl});
        ev.taskMetrics.push_back({"teacher_accuracy", d->kd.accuracy});
    }
    if (s.exactMatch)
        ev.taskMetrics.push_back({"exact_match", *s.exactMatch});
    if (s.bleu)
        ev.taskMetrics.push_back({"bleu", *s.bleu});
    if (final)
        ev.taskReport = taskScoreJson(s, task, "validation");
    d->lastEval = ev;
    d->hooks.onEvent(ev);
    return ev;
}

void Trainer::checkpoint(std::int64_t step, bool best, bool final)
{
    if (!d->hooks.checkpoint)
        return;
    std::ostringstream rng;
    rng << d->batchRng;
    const TrainingState state{step, rng.str(), std::isfinite(d->bestVal) ? d->bestVal : 0.0, d->streamChunk,
                              d->model->carriedState(),
                              d->kd.projection ? d->kd.projection->weight : torch::Tensor()};
    // Lightweight methods store a delta on the parent; ulmfit trains
    // everything in the end and stores it all.
    const auto method = d->config.train.method;
    const bool delta = method == FinetuneMethod::LEo || method == FinetuneMethod::LLdb || method == FinetuneMethod::Prefix;
    // A finished prefix run keeps its prefix only (methods.md B10): the MLP
    // that made it and the optimizer state go.
    const bool prefixOnly = final && method == FinetuneMethod::Prefix;
    if (prefixOnly)
        d->model->freezePrefix();
    d->hooks.checkpoint(step,
                        [&](const std::filesystem::path& file) {
                            saveTrainingCheckpoint(file, *d->model, *d->optimizer, state, delta, prefixOnly);
                        },
                        best);
    if (!best)
        d->savedStep = step;
}

RunSummary Trainer::run(const std::atomic<bool>& stop)
{
    // Out of memory or disk space is reported like a divergence (resumable
    // when there is room): the step, what ran out, and the checkpoint a
    // resume continues from, named only when one exists (a failed
    // checkpoint write leaves no file behind; see writeFileAtomically).
    auto exhausted = [&](const std::string& what) {
        RunSummary s;
        s.status = RunStatus::Diverged;
        s.params = parameterCount();
        s.steps = d->currentStep;
        s.error = what + " at step " + std::to_string(d->currentStep + 1) + "; "
                  + (d->savedStep >= 0 ? "resume continues from its checkpoint at step " + std::to_string(d->savedStep)
                                       : std::string("no checkpoint was written in this session, so resume starts it from its last "
                                                     "stored checkpoint (or from the beginning)"));
        return s;
    };
    try {
        return runSteps(stop);
    } catch (const std::bad_alloc&) {
        return exhausted("out of memory (lower batch, context or the model size)");
    } catch (const ResourceError& e) {
        return exhausted(e.what());
    } catch (const c10::Error& e) {
        const std::string msg = e.what_without_backtrace();
        if (msg.find("out of memory") != std::string::npos || msg.find("allocate memory") != std::string::npos
            || msg.find("not enough memory") != std::string::npos)
            return exhausted("out of memory (" + msg.substr(0, msg.find('\n')) + "; lower batch, context or the model size)");
        throw;
    }
}

// The training loop: schedule, step, log, evaluate, checkpoint.
RunSummary Trainer::runSteps(const std::atomic<bool>& stop)
{
    const auto& cfg = d->config.train;
    const std::int64_t total = cfg.steps;
    d->t0 = d->intervalStart = Clock::now();
    RunSummary summary;
    summary.params = parameterCount();
    auto lastCheckpoint = Clock::now();
    std::int64_t step = d->startStep;
    std::int64_t evalsWithoutBetter = 0;
    std::string diverged; // why the run diverged, empty while it has not
    bool earlyStopped = false;
    // Data parallel: a stop request becomes everyone's through the step's
    // allreduce, and evaluations are never cut short (every rank must
    // evaluate the same way so early stopping agrees).
    const bool parallel = d->data.parallel != nullptr;
    bool groupStop = false;
    const std::atomic<bool> neverStop{false};
    const std::atomic<bool>& evalStop = parallel ? neverStop : stop;
    while (step < total && !(parallel ? groupStop : stop.load(std::memory_order_relaxed))) {
        const double lr = learningRate({cfg.schedule, cfg.lr, cfg.minLr, cfg.warmup, total}, step);
        const StepResult r = trainStep(step, stop);
        if (!r.diverged.empty()) {
            diverged = r.diverged;
            break;
        }
        groupStop = r.stopRequested;
        ++step;
        if (step % cfg.logEvery == 0 || step == total)
            summary.trainLoss = logInterval(step, lr).trainLoss;
        if (step % cfg.evalEvery == 0 && step < total) {
            const auto e = evaluate(step, evalStop);
            // Early stopping with patience; better means at least 1e-4 nats
            // lower (noise below that is not progress).
            if (e && e->valLoss < d->bestVal - 1e-4) {
                d->bestVal = e->valLoss;
                evalsWithoutBetter = 0;
                if (cfg.checkpointEvery > 0)
                    checkpoint(step, /*best=*/true);
            } else if (cfg.patience > 0 && ++evalsWithoutBetter >= cfg.patience) {
                earlyStopped = true;
                break;
            }
        }
        const bool byStep = cfg.checkpointEvery > 0 && step % cfg.checkpointEvery == 0;
        const bool byTime = cfg.checkpointMinutes > 0
                            && std::chrono::duration<double>(Clock::now() - lastCheckpoint).count() >= 60.0 * cfg.checkpointMinutes;
        if ((byStep || byTime) && step < total) {
            checkpoint(step);
            lastCheckpoint = Clock::now();
        }
    }
    if (diverged.empty()) {
        if (d->intervalSteps > 0) // stopped between logging steps
            summary.trainLoss = d->intervalLoss / static_cast<double>(d->intervalSteps);
        const bool stopped = step < total && !earlyStopped;
        if (!stopped) // a stop request during this last evaluation keeps the previous one
            evaluate(step, evalStop, /*wholeSplit=*/true);
        checkpoint(step, false, /*final=*/!stopped);
        if (d->trainingSeconds > 0)
            summary.tokensPerSec = static_cast<double>(d->tokensPerStep() * (step - d->startStep)) / d->trainingSeconds;
        summary.earlyStopped = earlyStopped;
        summary.status = stopped ? RunStatus::Stopped : RunStatus::Finished;
    } else {
        // No checkpoint of diverged weights: the catalog keeps the last good one.
        summary.error = diverged + "; try a lower learning rate or clip";
        summary.status = RunStatus::Diverged;
    }
    summary.steps = step;
    if (d->lastEval) {
        const auto& e = *d->lastEval;
        auto known = [](double v) { return std::isfinite(v) ? std::optional<double>(v) : std::nullopt; };
        summary.valLoss = e.valLoss;
        summary.valPpl = known(e.valPpl);
        summary.valBpc = known(e.valBpc);
        summary.valBpb = known(e.valBpb);
        for (const auto& [name, value] : e.taskMetrics) {
            if (name == "accuracy")
                summary.accuracy = value;
            else if (name == "macro_f1")
                summary.macroF1 = value;
            else if (name == "exact_match")
                summary.exactMatch = value;
            else if (name == "bleu")
                summary.bleu = value;
            else if (name == "agreement")
                summary.agreement = value;
            else if (name == "kl")
                summary.kl = value;
            else if (name == "teacher_ppl")
                summary.teacherPpl = value;
            else if (name == "teacher_accuracy")
                summary.teacherAccuracy = value;
        }
        summary.taskReport = e.taskReport;
    }
    summary.wallSeconds = d->seconds();
    return summary;
}

} // namespace wb
