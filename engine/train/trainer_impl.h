// SPDX-License-Identifier: GPL-3.0-or-later
// The trainer's state, shared by the files that define its members
// (trainer.cpp: the loop and its stages; trainer_inspect.cpp: the
// learning-rate finder and what tests read back). Private to engine/train.
#pragma once

#include "compute/autocast.h"
#include "core/errors.h"
#include "eval/lm_eval.h"
#include "eval/task_eval.h"
#include "compress/compress.h"
#include "train/distill.h"
#include "train/smart.h"
#include "models/finetune_layers.h"
#include "models/language_model.h"
#include "settings/settings.h"
#include "train/checkpoint.h"
#include "train/distributed.h"
#include "train/optimizer_setup.h"
#include "train/trainer.h"

#include <torch/torch.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <optional>
#include <random>
#include <sstream>

namespace wb {

struct Trainer::Impl {
    using Clock = std::chrono::steady_clock;

    RunConfig config;
    TrainerHooks hooks;
    TrainingData data;
    torch::Device device{torch::kCPU};
    std::shared_ptr<LanguageModel> model;
    std::unique_ptr<torch::optim::Optimizer> optimizer;
    std::mt19937_64 batchRng;
    // Knowledge distillation's teacher (methods.md B6), its validation
    // score, and the fixed validation batch agreement is measured on.
    struct Teacher {
        std::shared_ptr<LanguageModel> model;
        LmScore val;
        torch::Tensor batch, lengths; // lengths: a classifier's fixed batch
        double accuracy = 0;          // a teacher classifier's validation accuracy
        // The top-k cache: (windows, T, k) ids and logits, memory-mapped;
        // the windows of the current batch's rows.
        torch::Tensor ids, logits, lse;
        // The hidden-state term's projection, student width -> teacher width.
        torch::nn::Linear projection{nullptr};
        std::int64_t windows = 0;
        std::vector<std::int64_t> rows;
    } kd;
    Agreement teacherAgreement()
    {
        torch::NoGradGuard noGrad;
        StateCarryScope fresh(*model, false);
        const bool wasTraining = model->is_training();
        model->eval();
        torch::Tensor s, t;
        if (isTask()) { // a classifier: its class logits on the fixed batch
            s = model->classify(kd.batch, kd.lengths);
            t = kd.model->classify(kd.batch, kd.lengths);
        } else {
            s = model->forward(kd.batch);
            t = kd.model->forward(kd.batch);
        }
        if (wasTraining)
            model->train();
        return agreement(s.reshape({-1, s.size(-1)}), t.reshape({-1, t.size(-1)}));
    }
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
        if (kd.windows > 0) {
            // The teacher's cached logits are those of windows at stride T.
            kd.rows.clear();
            for (int b = 0; b < B; ++b) {
                const auto w = static_cast<std::int64_t>(batchRng() % static_cast<std::uint64_t>(kd.windows));
                if (b >= first && b < first + rows) {
                    data.train->copy(w * T, T + 1, out + static_cast<std::int64_t>(b - first) * (T + 1));
                    kd.rows.push_back(w);
                }
            }
        } else if (streamed()) {
            // Contiguous streams (methods.md A4): the training tokens cut in
            // B equal segments, row b reading its segment's next chunk of T,
            // so the state each row carries is that of the text before it.
            // At the end of the segments every stream starts over, from a
            // fresh state.
            const std::int64_t segment = n / B;
            const std::int64_t chunks = std::max<std::int64_t>(1, (segment - 1) / T);
            if (streamChunk >= chunks) {
                streamChunk = 0;
                model->resetState();
            }
            for (int b = first; b < first + rows; ++b) {
                const std::int64_t s = std::min(b * segment + streamChunk * T, n - T - 1);
                data.train->copy(s, T + 1, out + static_cast<std::int64_t>(b - first) * (T + 1));
            }
            ++streamChunk;
        } else {
            for (int b = 0; b < B; ++b) {
                const auto s = static_cast<std::int64_t>(batchRng() % static_cast<std::uint64_t>(n - T));
                if (b >= first && b < first + rows)
                    data.train->copy(s, T + 1, out + static_cast<std::int64_t>(b - first) * (T + 1));
            }
        }
        window = window.to(device);
        return {window.slice(1, 0, T).contiguous(), window.slice(1, 1, T + 1).contiguous()}; // (B, T) each
    }

    bool isTask() const { return data.task && data.task->task != Task::Lm; }

    // Whether a step can run as concurrent parts (eval/lm_eval.h,
    // concurrentLmStep): plain language modelling of a Transformer on the
    // CPU in fp32 with dropout off, one micro-batch, two intra-op threads
    // or more. Anything with carried state, randomness inside the forward,
    // a teacher, extra loss terms or SMART's perturbations takes the plain
    // path.
    bool canSplitStep() const
    {
        const auto& t = config.train;
        const auto drop = config.spec.fields.find("dropout");
        return device.is_cpu() && t.precision == Precision::Fp32 && t.accumulate == 1 && !isTask() && !kd.model
               && t.method != FinetuneMethod::Smart && t.method != FinetuneMethod::Mtl && config.spec.family == "transformer"
               && (drop == config.spec.fields.end() || drop->second == 0.0) && !model->stateCarry()
               && at::get_num_threads() >= 2 && !at::in_parallel_region();
    }
    // Language modelling by a family that carries its state: contiguous
    // batches (SMART's several forwards per batch excluded).
    bool streamed() const { return !isTask() && config.train.method != FinetuneMethod::Smart && model->carriesState(); }
    std::int64_t streamChunk = 0; // the streams' next chunk

    // A batch of task examples drawn at random from the training split.
    TaskBatch nextTaskBatch()
    {
        const auto n = static_cast<std::uint64_t>(data.task->train.examples.size());
        std::vector<std::size_t> rows(static_cast<std::size_t>(config.train.batch));
        for (auto& r : rows)
            r = static_cast<std::size_t>(batchRng() % n);
        return makeTaskBatch(*data.task, data.task->train, rows, device);
    }

    // One micro-batch's training loss (fp32), its forward under autocast;
    // `lap` marks the end of data loading.
    template <class Lap> torch::Tensor microBatchLoss(bool bf16, Lap&& lap)
    {
        if (config.train.method == FinetuneMethod::Smart) {
            TaskBatch batch;
            if (isTask()) {
                batch = nextTaskBatch();
            } else {
                auto [x, y] = nextBatch();
                batch = {x, torch::full({x.size(0)}, x.size(1), x.options()), y};
            }
            lap();
            AutocastScope mixed(bf16, device.type());
            return smartStep(batch);
        }
        if (isTask()) {
            const TaskBatch batch = nextTaskBatch();
            lap();
            AutocastScope mixed(bf16, device.type());
            if (kd.model) {
                // Task distillation (methods.md B6): the teacher classifier's
                // softened class distribution beside the labels.
                auto logits = model->classify(batch.x, batch.lengths).to(torch::kFloat);
                torch::Tensor t;
                {
                    torch::NoGradGuard noGrad;
                    t = kd.model->classify(batch.x, batch.lengths);
                }
                auto hard = torch::nn::functional::cross_entropy(logits, batch.y);
                auto soft = softTargetLoss(logits, t, config.train.kdTemperature);
                addTerm("soft", soft);
                addTerm("hard", hard);
                return distillationLoss(soft, hard, config.train.kdAlpha);
            }
            auto loss = taskLoss(*model, *data.task, batch);
            if (config.train.method != FinetuneMethod::Mtl)
                return loss;
            // SiATL (methods.md B8): L = L_task + gamma_t L_LM, both per
            // token or example, logged apart.
            auto aux = auxLmLoss(*model, batch);
            addTerm("task", loss);
            addTerm("aux_lm", aux);
            return loss + auxLmWeight(config.train.auxLmWeight, config.train.auxLmHalfLife, currentStep) * aux;
        }
        auto [x, y] = nextBatch();
        lap();
        torch::Tensor logits;
        {
            AutocastScope mixed(bf16, device.type()); // forward only; backward follows its casts
            logits = model->forward(x); // (B, T, V)
        }
        // The loss in fp32 whatever the forward ran in.
        auto loss = torch::nn::functional::cross_entropy(logits.view({-1, logits.size(-1)}).to(torch::kFloat), y.view({-1}));
        if (kd.model) {
            // Token-level distillation (methods.md B6): the teacher's
            // softened next-token distribution at every position, beside
            // the labels.
            torch::Tensor soft;
            if (kd.windows > 0) {
                auto w = torch::tensor(kd.rows, torch::kLong);
                const auto k = kd.ids.size(-1);
                auto ids = kd.ids.index_select(0, w).to(device, torch::kLong).view({-1, k});
                auto top = kd.logits.index_select(0, w).to(device).view({-1, k});
                auto lse = kd.lse.index_select(0, w).to(device).view({-1});
                soft = softTargetLossTopK(logits.view({-1, logits.size(-1)}), ids, top, lse, config.train.kdTemperature);
            } else {
                torch::Tensor t;
                {
                    torch::NoGradGuard noGrad;
                    AutocastScope mixed(bf16, device.type());
                    t = kd.model->forward(x);
                }
                soft = softTargetLoss(logits.view({-1, logits.size(-1)}), t.view({-1, t.size(-1)}), config.train.kdTemperature);
            }
            addTerm("soft", soft);
            addTerm("hard", loss);
            loss = distillationLoss(soft, loss, config.train.kdAlpha);
            if (kd.projection) {
                // DistilBERT's cosine term on the states the output layers
                // read, through the learned projection (methods.md B6).
                const auto& hs = model->lastHidden();
                const auto& ht = kd.model->lastHidden();
                auto cos = torch::cosine_similarity(kd.projection->forward(hs.to(torch::kFloat)), ht.to(torch::kFloat).detach(), -1);
                auto hidden = (1.0 - cos).mean();
                addTerm("hidden", hidden);
                loss = loss + config.train.kdHiddenWeight * hidden;
            }
        }
        // Terms besides the LM loss: name, value as logged, weight in the loss.
        std::vector<std::tuple<std::string, torch::Tensor, double>> extra;
        if (config.train.activationReg > 0 || config.train.temporalActivationReg > 0) {
            // AWD-LSTM's AR/TAR on the forward just made.
            auto penalty = model->activationPenalty(config.train.activationReg, config.train.temporalActivationReg);
            if (penalty.defined())
                extra.emplace_back("activation", penalty.to(torch::kFloat), 1.0);
        }
        if (config.train.backwardLmWeight > 0) {
            // Backward stacks learn as a backward LM (Rei 2017), logged apart.
            torch::Tensor backward;
            {
                AutocastScope mixed(bf16, device.type());
                backward = model->backwardLmLoss(x);
            }
            if (backward.defined())
                extra.emplace_back("backward_lm", backward.to(torch::kFloat), config.train.backwardLmWeight);
        }
        if (extra.empty())
            return loss;
        addTerm("task", loss);
        for (auto& [name, term, weight] : extra) {
            addTerm(name, term);
            loss = loss + weight * term;
        }
        return loss;
    }

    // SMART (methods.md B9): the moving-average teacher, made from the model
    // as it starts (after the parent's weights are in).
    std::shared_ptr<LanguageModel> teacher;
    std::int64_t classes = 0;
    torch::Tensor smartStep(const TaskBatch& batch)
    {
        if (!teacher) {
            teacher = buildRunModel(config, data.tokenizer->vocabSize(), classes);
            teacher->to(device);
            torch::NoGradGuard g;
            auto tp = teacher->parameters(), mp = model->parameters();
            for (std::size_t i = 0; i < tp.size(); ++i)
                tp[i].copy_(mp[i]).set_requires_grad(false);
            auto tb = teacher->buffers(), mb = model->buffers();
            for (std::size_t i = 0; i < tb.size(); ++i)
                tb[i].copy_(mb[i]);
            teacher->eval();
        }
        static const TaskData lmData{}; // task lm: every position is a target
        const TaskData& task = isTask() ? *data.task : lmData;
        const auto& t = config.train;
        const SmartLoss s = smartLoss(*model, teacher.get(), task, batch, {t.smartLambda, t.smartMu, t.smartEta, t.smartSigma});
        addTerm("task", s.task);
        addTerm("adversarial", s.adversarial);
        addTerm("proximal", s.proximal);
        addTerm("skipped", torch::full({}, s.skipped ? 1.0 : 0.0));
        return s.total;
    }
    // beta 0.99 for the first 10% of the steps, 0.999 after (the paper's section 5).
    // Pruning kept through training (methods.md B11): a pruned variant's
    // zeros stay zero while it is fine-tuned, and a gradual prune raises the
    // sparsity on Zhu & Gupta's schedule (trainer_prune.cpp).
    struct Sparsity {
        bool on = false;
        bool gradual = false;
        PruneOptions options;
        double target = 0;
        std::int64_t every = 1, span = 0;
        std::map<std::string, torch::Tensor> masks;
        std::map<std::string, torch::Tensor> params;
    } sparse;
    void setupSparsity();
    void maskGradients();
    void keepSparsity(std::int64_t step);

    void updateTeacher(std::int64_t step)
    {
        if (teacher)
            emaUpdate(*teacher, *model, step < config.train.steps / 10 ? 0.99 : 0.999);
    }

    // The loss terms of the logging interval, summed on the device (read once
    // per interval), and the micro-batches they cover.
    std::vector<std::pair<std::string, torch::Tensor>> termSums;
    std::int64_t termCount = 0;
    bool termsThisBatch = false;
    // Adds a loss term of this micro-batch to the logging interval's sums
    // (averaged over the micro-batches that had terms).
    void addTerm(const std::string& name, const torch::Tensor& value)
    {
        termsThisBatch = true;
        for (auto& [n, sum] : termSums)
            if (n == name) {
                sum += value.detach().to(torch::kFloat);
                return;
            }
        termSums.emplace_back(name, value.detach().to(torch::kFloat).clone());
    }

    // Each optimizer group's share of the scheduled rate (ULMFiT's
    // discriminative rates; 1 otherwise).
    std::vector<double> lrScale;

    void setLearningRate(double lr)
    {
        auto& groups = optimizer->param_groups();
        for (std::size_t i = 0; i < groups.size(); ++i)
            groups[i].options().set_lr(lr * (i < lrScale.size() ? lrScale[i] : 1.0));
    }

    // ULMFiT's gradual unfreezing (methods.md B7): the layer groups, bottom
    // first, and how many (from the top) train so far.
    std::vector<std::vector<torch::Tensor>> layerGroups;
    std::size_t unfrozen = 0;

    // Makes the next lower group train: its parameters join the optimizer as
    // new groups (weight matrices with decay, the rest without) at the rate
    // of the group above divided by the discriminative factor.
    void unfreezeNextGroup()
    {
        const std::size_t g = layerGroups.size() - 1 - unfrozen;
        const double scale = std::pow(config.train.discriminativeFactor, -static_cast<double>(unfrozen));
        std::vector<torch::Tensor> decay, rest;
        const auto decaying = model->decayParameters();
        for (auto& p : layerGroups[g]) {
            p.set_requires_grad(true);
            const bool d = std::any_of(decaying.begin(), decaying.end(), [&](const torch::Tensor& q) { return q.is_same(p); });
            (d ? decay : rest).push_back(p);
        }
        ++unfrozen;
        if (unfrozen == 1) { // the top group: the optimizer is made for it
            optimizer = makeOptimizer(*model, config.train);
            lrScale.assign(optimizer->param_groups().size(), 1.0);
            return;
        }
        for (auto* part : {&decay, &rest}) {
            if (part->empty())
                continue;
            auto options = optimizer->param_groups().front().options().clone();
            setWeightDecay(*options, part == &decay ? config.train.weightDecay : 0.0);
            optimizer->add_param_group(torch::optim::OptimizerParamGroup(*part, std::move(options)));
            lrScale.push_back(scale);
        }
    }

    // Unfreezes what should train at `step`: one more group every
    // unfreeze_every steps.
    void unfreezeFor(std::int64_t step)
    {
        if (layerGroups.empty())
            return;
        const auto every = std::max<std::int64_t>(1, config.train.unfreezeEvery);
        const std::size_t target = std::min<std::size_t>(layerGroups.size(), 1 + static_cast<std::size_t>(step / every));
        while (unfrozen < target)
            unfreezeNextGroup();
    }

    // One-cycle's momentum: SGD's momentum, Adam's beta1 (schedule.h).
    void setMomentum(double m)
    {
        for (auto& group : optimizer->param_groups()) {
            if (auto* sgd = dynamic_cast<torch::optim::SGDOptions*>(&group.options()))
                sgd->momentum(m);
            else if (auto* adamw = dynamic_cast<torch::optim::AdamWOptions*>(&group.options()))
                adamw->betas({m, std::get<1>(adamw->betas())});
            else if (auto* adam = dynamic_cast<torch::optim::AdamOptions*>(&group.options()))
                adam->betas({m, std::get<1>(adam->betas())});
        }
    }

    std::int64_t startStep = 0;
    std::int64_t currentStep = 0; // the step in progress, for error messages
    std::int64_t savedStep = -1;  // the last (non-best) checkpoint written by this process
    double bestVal = std::numeric_limits<double>::infinity();
    double firstLoss = 0;         // the first step's loss: the reference for "exploding"
    std::optional<EvalEvent> lastEval;
    // The logging interval in progress.
    double intervalLoss = 0;
    std::int64_t intervalSteps = 0;
    Clock::time_point intervalStart = Clock::now();
    std::array<double, 4> phaseMs{0, 0, 0, 0}; // data, forward, backward, optimizer
    double trainingSeconds = 0;                 // excludes evaluation, for tokens/s
    double stepSecondsEma = 0;
    Clock::time_point t0 = Clock::now();

    double seconds() const { return std::chrono::duration<double>(Clock::now() - t0).count(); }

    // The divergence guard, before the optimizer touches the weights: the
    // global gradient norm and the loss, read together in one device sync;
    // `r.diverged` says why the step is refused.
    void guard(StepResult& r, const torch::Tensor& stepLoss, const torch::Tensor& stopFlag, std::int64_t step)
    {
        const auto& cfg = config.train;
        std::vector<torch::Tensor> norms;
        for (const auto& p : model->parameters())
            if (p.grad().defined())
                norms.push_back(p.grad().detach().norm(2).to(torch::kFloat));
        const torch::Tensor total = norms.empty() ? torch::zeros({}, stepLoss.options()) : torch::stack(norms).norm(2);
        const torch::Tensor readings = torch::stack({total, stepLoss.to(torch::kFloat), stopFlag.to(torch::kFloat)}).to(torch::kCPU);
        const auto acc = readings.accessor<float, 1>();
        r.gradNorm = acc[0];
        r.loss = acc[1];
        r.stopRequested = acc[2] > 0;
        if (!std::isfinite(r.loss))
            r.diverged = "the training loss became " + formatNumber(r.loss) + " at step " + std::to_string(step + 1);
        else if (!std::isfinite(r.gradNorm))
            r.diverged = "the gradient norm became " + formatNumber(r.gradNorm) + " at step " + std::to_string(step + 1);
        else if (cfg.divergeFactor > 0 && firstLoss > 0 && r.loss > cfg.divergeFactor * firstLoss) {
            char buf[200];
            std::snprintf(buf, sizeof buf, "the training loss exploded to %.4g at step %lld (%.4g at the start)", r.loss,
                          static_cast<long long>(step + 1), firstLoss);
            r.diverged = buf;
        }
    }

    std::int64_t tokensPerStep() const
    {
        return static_cast<std::int64_t>(config.train.batch) * config.train.accumulate * config.spec.context();
    }
};

} // namespace wb
