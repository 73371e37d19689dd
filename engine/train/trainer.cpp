// SPDX-License-Identifier: GPL-3.0-or-later
#include "train/trainer.h"

#include "core/errors.h"
#include "eval/lm_eval.h"
#include "models/language_model.h"
#include "train/autocast.h"
#include "train/checkpoint.h"
#include "train/distributed.h"
#include "train/radam.h"
#include "train/schedule.h"

#include <unistd.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <sstream>

#include <torch/torch.h>

#include <chrono>
#include <limits>
#include <cmath>
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

struct Trainer::Impl {
    RunConfig config;
    TrainerHooks hooks;
    TrainingData data;
    torch::Device device{torch::kCPU};
    std::shared_ptr<LanguageModel> model;
    std::unique_ptr<torch::optim::Optimizer> optimizer;
    std::mt19937_64 batchRng;
    std::vector<std::int32_t> promptIds;

    std::pair<torch::Tensor, torch::Tensor> nextBatch()
    {
        const int B = config.train.batch;
        const std::int64_t T = config.spec.context();
        const std::int64_t n = data.train->size();
        // Data parallel: every rank draws the whole global batch's positions
        // (so the sampler's state stays that of one process) and reads only
        // its own rows, [rank*B/W, (rank+1)*B/W).
        const int W = data.parallel ? data.parallel->worldSize() : 1;
        const int first = data.parallel ? data.parallel->rank() * (B / W) : 0;
        const int rows = B / W;
        // Windows of T+1 tokens read straight from the memory-mapped cache.
        auto window = torch::empty({rows, T + 1}, torch::kLong);
        auto* out = window.data_ptr<std::int64_t>();
        for (int b = 0; b < B; ++b) {
            const auto s = static_cast<std::int64_t>(batchRng() % static_cast<std::uint64_t>(n - T));
            if (b >= first && b < first + rows)
                data.train->copy(s, T + 1, out + static_cast<std::int64_t>(b - first) * (T + 1));
        }
        window = window.to(device);
        return {window.slice(1, 0, T).contiguous(), window.slice(1, 1, T + 1).contiguous()}; // (B, T) each
    }

    void setLearningRate(double lr)
    {
        for (auto& group : optimizer->param_groups())
            group.options().set_lr(lr);
    }

    // Periodic evaluations score the first evalTokens validation tokens (the
    // same ones each time); the final one scores the whole split.
    void evaluateAndSample(std::int64_t step, double wallTime, const std::atomic<bool>& stop, LmScore& last,
                           bool wholeSplit = false)
    {
        const std::int64_t cap = wholeSplit ? std::numeric_limits<std::int64_t>::max() : config.train.evalTokens;
        const LmScore s = evaluateLm(*model, *data.validation, config.train.batch, cap, data.valCharsPerToken,
                                     data.valBytesPerToken, &stop);
        if (!s.complete || s.tokens == 0)
            return;
        last = s;
        hooks.onEvent(EvalEvent{step, s.loss, s.ppl, s.bpc, s.bpb, wallTime});
        if (config.train.sampleTokens > 0 && !promptIds.empty() && (!data.parallel || data.parallel->rank() == 0)) {
            const auto ids = sampleLm(*model, promptIds, config.train.sampleTokens, 0.8,
                                      config.train.seed + static_cast<std::uint64_t>(step), &stop);
            hooks.onEvent(SampleEvent{step, config.train.samplePrompt, data.tokenizer->decode(ids)});
        }
    }

    std::int64_t startStep = 0;
    std::int64_t currentStep = 0; // the step in progress, for error messages
    double bestVal = std::numeric_limits<double>::infinity();

    void saveCheckpoint(std::int64_t step, bool best = false)
    {
        if (!hooks.checkpoint)
            return;
        std::ostringstream rng;
        rng << batchRng;
        const TrainingState state{step, rng.str(), std::isfinite(bestVal) ? bestVal : 0.0};
        hooks.checkpoint(step, [&](const std::filesystem::path& file) {
            saveTrainingCheckpoint(file, *model, *optimizer, state);
        }, best);
    }
};

Trainer::Trainer(const RunConfig& config, TrainingData data, TrainerHooks hooks) : d(std::make_unique<Impl>())
{
    d->config = config;
    d->hooks = std::move(hooks);
    d->data = std::move(data);
    const auto T = config.spec.context();
    if (d->data.train->size() <= T + 1)
        throw InputError("corpus '" + config.corpus + "' has " + std::to_string(d->data.train->size())
                         + " training tokens; the model's context (" + std::to_string(T)
                         + ") needs more: use a larger corpus or a smaller spec field 'context'");
    if (d->data.validation->size() < 2)
        throw InputError("corpus '" + config.corpus + "' has too little validation text");
    if (config.train.batch < 1)
        throw InputError("--batch must be at least 1");
    if (config.train.steps < 1)
        throw InputError("--steps must be at least 1");

    if (config.train.device == "cuda") {
        if (!torch::cuda::is_available())
            throw InputError("--device cuda: this LibTorch was built without CUDA or no GPU is visible");
        // One GPU per local rank when training data-parallel.
        const int gpus = static_cast<int>(torch::cuda::device_count());
        const int index = d->data.parallel ? d->data.parallel->localRank() % std::max(1, gpus) : 0;
        d->device = torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(index));
    } else if (config.train.device != "cpu") {
        throw InputError("--device '" + config.train.device + "': expected cpu or cuda");
    }

    torch::manual_seed(config.train.seed);
    d->batchRng.seed(config.train.seed);
    config.spec.checkFitsInMemory(d->data.tokenizer->vocabSize(), config.train.batch);
    d->model = buildModel(config.spec, d->data.tokenizer->vocabSize());
    d->model->to(d->device);
    if (d->data.parallel) {
        const int W = d->data.parallel->worldSize();
        if (config.train.batch % W != 0)
            throw InputError("--batch " + std::to_string(config.train.batch) + " is the global batch and must divide evenly over "
                             + std::to_string(W) + " ranks");
        // Same seed, same initial weights; the broadcast makes sure of it.
        d->data.parallel->broadcast(d->model->parameters());
    }

    const auto& t = config.train;
    learningRate({t.schedule, t.lr, t.minLr, t.warmup, t.steps}, 0); // InputError for an unknown schedule
    if (t.accumulate < 1)
        throw InputError("--accumulate must be at least 1");
    // Weight decay on weight matrices only: one group with it, one without.
    std::vector<torch::optim::OptimizerParamGroup> groups;
    if (t.optimizer == "adamw") {
        using O = torch::optim::AdamWOptions;
        groups.emplace_back(d->model->decayParameters(), std::make_unique<O>(O(t.lr).betas({t.beta1, t.beta2}).weight_decay(t.weightDecay)));
        groups.emplace_back(d->model->noDecayParameters(), std::make_unique<O>(O(t.lr).betas({t.beta1, t.beta2}).weight_decay(0.0)));
        d->optimizer = std::make_unique<torch::optim::AdamW>(std::move(groups), O(t.lr));
    } else if (t.optimizer == "adam") {
        // Adam's weight decay is the L2 penalty (added to the gradient).
        using O = torch::optim::AdamOptions;
        groups.emplace_back(d->model->decayParameters(), std::make_unique<O>(O(t.lr).betas({t.beta1, t.beta2}).weight_decay(t.weightDecay)));
        groups.emplace_back(d->model->noDecayParameters(), std::make_unique<O>(O(t.lr).betas({t.beta1, t.beta2}).weight_decay(0.0)));
        d->optimizer = std::make_unique<torch::optim::Adam>(std::move(groups), O(t.lr));
    } else if (t.optimizer == "sgd") {
        using O = torch::optim::SGDOptions;
        groups.emplace_back(d->model->decayParameters(),
                            std::make_unique<O>(O(t.lr).momentum(t.momentum).nesterov(t.nesterov).weight_decay(t.weightDecay)));
        groups.emplace_back(d->model->noDecayParameters(),
                            std::make_unique<O>(O(t.lr).momentum(t.momentum).nesterov(t.nesterov).weight_decay(0.0)));
        if (t.nesterov && t.momentum <= 0)
            throw InputError("--nesterov needs a momentum above 0");
        d->optimizer = std::make_unique<torch::optim::SGD>(std::move(groups), O(t.lr));
    } else if (t.optimizer == "radam") {
        using O = torch::optim::AdamOptions;
        groups.emplace_back(d->model->decayParameters(), std::make_unique<O>(O(t.lr).betas({t.beta1, t.beta2}).weight_decay(t.weightDecay)));
        groups.emplace_back(d->model->noDecayParameters(), std::make_unique<O>(O(t.lr).betas({t.beta1, t.beta2}).weight_decay(0.0)));
        d->optimizer = std::make_unique<RAdam>(std::move(groups), O(t.lr));
    } else {
        throw InputError("--optimizer '" + t.optimizer + "': expected sgd, adam, adamw or radam");
    }

    try {
        d->promptIds = d->data.tokenizer->encode(t.samplePrompt);
    } catch (const InputError&) {
        d->promptIds = {0}; // the prompt's characters never occur in this corpus
    }
    if (d->promptIds.empty())
        d->promptIds = {0};
}

Trainer::~Trainer() = default;

LrFindResult Trainer::lrSweep(double lo, double hi, int steps, const std::atomic<bool>& stop)
{
    LrFindResult r;
    d->model->train();
    const double beta = 0.98;
    double avg = 0, best = std::numeric_limits<double>::infinity();
    for (int i = 0; i < steps && !stop.load(std::memory_order_relaxed); ++i) {
        const double lr = lo * std::pow(hi / lo, static_cast<double>(i) / static_cast<double>(steps - 1));
        d->setLearningRate(lr);
        d->optimizer->zero_grad();
        auto [x, y] = d->nextBatch();
        auto logits = d->model->forward(x);
        auto loss = torch::nn::functional::cross_entropy(logits.view({-1, logits.size(-1)}), y.view({-1}));
        loss.backward();
        if (d->config.train.clip > 0)
            torch::nn::utils::clip_grad_norm_(d->model->parameters(), d->config.train.clip);
        d->optimizer->step();
        const double l = loss.item<double>();
        if (!std::isfinite(l))
            break;
        avg = beta * avg + (1 - beta) * l;
        const double smooth = avg / (1 - std::pow(beta, i + 1));
        r.lrs.push_back(lr);
        r.losses.push_back(l);
        r.smoothed.push_back(smooth);
        best = std::min(best, smooth);
        if (i > 10 && smooth > 4 * best)
            break; // exploded: the rest of the range says nothing more
    }
    if (r.lrs.size() < 5)
        throw RuntimeError("lr-find: the loss diverged after " + std::to_string(r.lrs.size()) + " steps; lower --min-lr");
    // Steepest descent of the smoothed loss over log(lr), ignoring the ends.
    std::size_t iMin = 0;
    for (std::size_t i = 0; i < r.smoothed.size(); ++i)
        if (r.smoothed[i] < r.smoothed[iMin])
            iMin = i;
    r.minLossLr = r.lrs[iMin];
    double steepest = 0;
    r.suggested = r.lrs[iMin] / 10;
    for (std::size_t i = 1; i < iMin; ++i) {
        const double slope = (r.smoothed[i] - r.smoothed[i - 1]) / (std::log(r.lrs[i]) - std::log(r.lrs[i - 1]));
        if (slope < steepest) {
            steepest = slope;
            r.suggested = r.lrs[i];
        }
    }
    return r;
}

std::int64_t Trainer::resume(const std::filesystem::path& checkpoint)
{
    const TrainingState state = loadTrainingCheckpoint(checkpoint, *d->model, *d->optimizer);
    std::istringstream rng(state.batchRng);
    rng >> d->batchRng;
    if (!rng)
        throw RuntimeError("checkpoint " + checkpoint.string() + " holds an unreadable random state");
    d->startStep = state.step;
    if (state.bestValLoss > 0)
        d->bestVal = state.bestValLoss;
    return state.step;
}

std::int64_t Trainer::parameterCount() const
{
    std::int64_t n = 0;
    for (const auto& p : d->model->parameters())
        n += p.numel();
    return n;
}

std::string Trainer::deviceName() const
{
    return d->device.str();
}

RunSummary Trainer::run(const std::atomic<bool>& stop)
{
    // Out of memory or disk space is reported like a divergence: the step,
    // what ran out, and the last good checkpoint kept (a failed checkpoint
    // write leaves no file behind; see writeFileAtomically).
    auto exhausted = [&](const std::string& what) {
        RunSummary s;
        s.status = "diverged";
        s.params = parameterCount();
        s.steps = d->currentStep;
        s.error = what + " at step " + std::to_string(d->currentStep + 1) + "; the last good checkpoint is kept";
        return s;
    };
    try {
        return runSteps(stop);
    } catch (const std::bad_alloc&) {
        return exhausted("out of memory (lower --batch, --context or the model size)");
    } catch (const ResourceError& e) {
        return exhausted(e.what());
    } catch (const c10::Error& e) {
        const std::string msg = e.what_without_backtrace();
        if (msg.find("out of memory") != std::string::npos || msg.find("allocate memory") != std::string::npos
            || msg.find("not enough memory") != std::string::npos)
            return exhausted("out of memory (" + msg.substr(0, msg.find('\n')) + "; lower --batch, --context or the model size)");
        throw;
    }
}

RunSummary Trainer::runSteps(const std::atomic<bool>& stop)
{
    const auto& cfg = d->config.train;
    const std::int64_t total = cfg.steps;
    const ScheduleSettings schedule{cfg.schedule, cfg.lr, cfg.minLr, cfg.warmup, total};
    const std::int64_t tokensPerStep = static_cast<std::int64_t>(cfg.batch) * cfg.accumulate * d->config.spec.context();
    const auto t0 = Clock::now();
    auto seconds = [&] { return std::chrono::duration<double>(Clock::now() - t0).count(); };

    RunSummary summary;
    summary.params = parameterCount();
    LmScore lastEval;
    torch::Tensor lossSum = torch::zeros({}, torch::TensorOptions().device(d->device));
    std::int64_t lossCount = 0;
    auto intervalStart = Clock::now();
    double trainingSeconds = 0; // excludes evaluation, for tokens/s
    double stepSecondsEma = 0;

    d->model->train();
    std::array<double, 4> phaseMs{0, 0, 0, 0}; // data, forward, backward, optimizer
    auto lastCheckpoint = Clock::now();
    const double flopsPerToken = d->config.spec.trainingFlopsPerToken(d->data.tokenizer->vocabSize());
    std::int64_t step = d->startStep;
    double firstLoss = 0;       // the first logged loss: the reference for "exploding"
    double& bestVal = d->bestVal;
    std::int64_t evalsWithoutBetter = 0;
    std::string diverged;       // why the run diverged, empty while it has not
    bool earlyStopped = false;
    // Data parallel: a stop request becomes everyone's at the next step's
    // allreduce, and evaluations are never cut short (every rank must
    // evaluate the same way so early stopping agrees).
    const std::shared_ptr<DataParallel> parallel = d->data.parallel;
    const bool bf16 = cfg.precision == "bf16";
    bool groupStop = false;
    const std::atomic<bool> neverStop{false};
    const std::atomic<bool>& evalStop = parallel ? neverStop : stop;
    auto stopping = [&] { return parallel ? groupStop : stop.load(std::memory_order_relaxed); };
    while (step < total && !stopping()) {
        d->currentStep = step;
        const double lr = learningRate(schedule, step);
        d->setLearningRate(lr);

        // Gradient accumulation: `accumulate` micro-batches per step, each
        // loss scaled so the gradient is that of their mean.
        auto tick = Clock::now();
        auto lap = [&](double& acc) {
            const auto now = Clock::now();
            acc += std::chrono::duration<double, std::milli>(now - tick).count();
            tick = now;
        };
        d->optimizer->zero_grad();
        torch::Tensor stepLoss = torch::zeros({}, lossSum.options());
        for (int micro = 0; micro < cfg.accumulate; ++micro) {
            auto [x, y] = d->nextBatch();
            lap(phaseMs[0]);
            torch::Tensor logits;
            {
                AutocastScope mixed(bf16, d->device.type()); // forward only; backward follows its casts
                logits = d->model->forward(x); // (B, T, V)
            }
            // The loss in fp32 whatever the forward ran in.
            auto loss = torch::nn::functional::cross_entropy(logits.view({-1, logits.size(-1)}).to(torch::kFloat),
                                                             y.view({-1}));
            lap(phaseMs[1]);
            (loss / static_cast<double>(cfg.accumulate)).backward();
            stepLoss += loss.detach() / static_cast<double>(cfg.accumulate);
            lap(phaseMs[2]);
        }
        if (parallel) {
            // Equal shares: the mean of the ranks' mean gradients is the
            // gradient of the global batch's mean loss.
            // The loss and a stop flag ride along in the same allreduce.
            auto stopFlag = torch::full({}, stop.load() ? 1.0 : 0.0, stepLoss.options());
            parallel->averageGradients(d->model->parameters(), {stepLoss, stopFlag});
            stepLoss.div_(parallel->worldSize());
            // Reading the flag is a device sync: only on logging steps (every
            // step on a CPU), which all ranks reach together.
            if ((step + 1) % cfg.logEvery == 0 || step + 1 == total)
                groupStop = stopFlag.item<double>() > 0;
            lap(phaseMs[2]); // communication counts as backward time
        }
        lossSum += stepLoss;
        // Divergence guard: a NaN or Inf gradient stops the run before the
        // optimizer applies it, so the weights stay those of the last good step.
        if (cfg.clip > 0) {
            const double norm = torch::nn::utils::clip_grad_norm_(d->model->parameters(), cfg.clip);
            if (!std::isfinite(norm)) {
                diverged = "the gradient norm became " + std::to_string(norm) + " at step " + std::to_string(step + 1);
                break;
            }
        }
        d->optimizer->step();
        lap(phaseMs[3]);
        ++lossCount;
        ++step;

        if (step % cfg.logEvery == 0 || step == total) {
            const double meanLoss = lossSum.item<double>() / static_cast<double>(lossCount); // a sync point
            if (firstLoss == 0 && std::isfinite(meanLoss))
                firstLoss = meanLoss;
            if (!std::isfinite(meanLoss)) {
                diverged = "the training loss became " + std::to_string(meanLoss) + " at step " + std::to_string(step);
                break;
            }
            if (cfg.divergeFactor > 0 && step > cfg.logEvery && meanLoss > cfg.divergeFactor * firstLoss) {
                char buf[200];
                std::snprintf(buf, sizeof buf, "the training loss exploded to %.4g at step %lld (%.4g at the start)",
                              meanLoss, static_cast<long long>(step), firstLoss);
                diverged = buf;
                break;
            }
            const double dt = std::chrono::duration<double>(Clock::now() - intervalStart).count();
            trainingSeconds += dt;
            const double perStep = dt / static_cast<double>(lossCount);
            stepSecondsEma = stepSecondsEma == 0 ? perStep : 0.9 * stepSecondsEma + 0.1 * perStep;
            StepEvent ev;
            ev.step = step;
            ev.totalSteps = total;
            ev.trainLoss = meanLoss;
            ev.lr = lr;
            ev.tokensPerSec = static_cast<double>(tokensPerStep * lossCount) / std::max(dt, 1e-9);
            ev.etaSeconds = stepSecondsEma * static_cast<double>(total - step);
            ev.wallTime = seconds();
            const double n = static_cast<double>(lossCount);
            ev.dataMs = phaseMs[0] / n;
            ev.forwardMs = phaseMs[1] / n;
            ev.backwardMs = phaseMs[2] / n;
            ev.optimizerMs = phaseMs[3] / n;
            phaseMs = {0, 0, 0, 0};
            ev.modelGflops = ev.tokensPerSec * flopsPerToken / 1e9;
            ev.utilisation = d->data.peakGflops > 0 ? ev.modelGflops / d->data.peakGflops : 0.0;
            ev.rssMb = residentMegabytes();
            d->hooks.onEvent(ev);
            summary.trainLoss = meanLoss;
            lossSum.zero_();
            lossCount = 0;
            intervalStart = Clock::now();
        }
        if (step % cfg.evalEvery == 0 && step < total) {
            d->evaluateAndSample(step, seconds(), evalStop, lastEval);
            intervalStart = Clock::now();
            // Early stopping on the validation loss, with patience.
            // Better means at least 1e-4 nats lower (noise below that is not progress).
            bool improved = false;
            if (lastEval.tokens > 0 && lastEval.loss < bestVal - 1e-4) {
                bestVal = lastEval.loss;
                evalsWithoutBetter = 0;
                improved = true;
            } else if (cfg.patience > 0 && ++evalsWithoutBetter >= cfg.patience) {
                earlyStopped = true;
                break;
            }
            if (improved && cfg.checkpointEvery > 0)
                d->saveCheckpoint(step, /*best=*/true);
        }
        const bool byStep = cfg.checkpointEvery > 0 && step % cfg.checkpointEvery == 0;
        const bool byTime = cfg.checkpointMinutes > 0
                            && std::chrono::duration<double>(Clock::now() - lastCheckpoint).count() >= 60.0 * cfg.checkpointMinutes;
        if ((byStep || byTime) && step < total) {
            d->saveCheckpoint(step);
            lastCheckpoint = Clock::now();
        }
    }
    auto finish = [&](const char* status) {
        summary.status = status;
        summary.steps = step;
        summary.valLoss = lastEval.loss;
        summary.valPpl = lastEval.ppl;
        summary.valBpc = lastEval.bpc;
        summary.valBpb = lastEval.bpb;
        summary.wallSeconds = seconds();
        return summary;
    };
    if (!diverged.empty()) {
        // No checkpoint of diverged weights: the catalog keeps the last good one.
        summary.error = diverged + "; try a lower learning rate or --clip";
        return finish("diverged");
    }
    summary.earlyStopped = earlyStopped;
    if (lossCount > 0) // stopped between logging steps
        summary.trainLoss = lossSum.item<double>() / static_cast<double>(lossCount);

    const bool stopped = step < total && !earlyStopped;
    if (!stopped) {
        // A stop request during this last evaluation keeps the previous one.
        d->evaluateAndSample(step, seconds(), evalStop, lastEval, /*wholeSplit=*/true);
    }
    d->saveCheckpoint(step);

    summary.tokensPerSec =
        trainingSeconds > 0 ? static_cast<double>(tokensPerStep * (step - d->startStep)) / trainingSeconds : 0;
    return finish(stopped ? "stopped" : "finished");
}

} // namespace wb
