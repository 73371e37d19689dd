// SPDX-License-Identifier: GPL-3.0-or-later
// The trainer's knowledge-distillation setup (methods.md B6): the teacher,
// its fixed agreement batch, the hidden-state projection and the top-k
// logits cache. The loss terms themselves are in the micro-batch loss
// (trainer_impl.h) and train/distill.cpp.
#include "train/trainer.h"
#include "train/trainer_impl.h"

#include "core/files.h"

#include <filesystem>
#include <fstream>

namespace wb {

namespace {

// The teacher's k largest logits at every position of the training split's
// windows at stride T, written to `base`.ids (int32) and .logits (float32),
// each (windows, T, k), through temporary files renamed when complete.
void writeTopkCache(LanguageModel& teacher, const TokenCache& train, std::int64_t T, std::int64_t k, int batch, double temperature,
                    const std::filesystem::path& base, const std::atomic<bool>* stop)
{
    torch::NoGradGuard noGrad;
    const std::int64_t windows = (train.size() - 1) / T;
    const auto idsFile = std::filesystem::path(base.string() + ".ids"), logitsFile = std::filesystem::path(base.string() + ".logits");
    const auto idsTmp = temporaryPath(idsFile), logitsTmp = temporaryPath(logitsFile);
    const auto lseFile = std::filesystem::path(base.string() + ".lse"), lseTmp = temporaryPath(lseFile);
    std::filesystem::create_directories(base.parent_path());
    // A stop (Ctrl-C, Stop) or a failure leaves no temporary behind.
    struct Cleanup {
        std::vector<std::filesystem::path> files;
        bool done = false;
        ~Cleanup()
        {
            std::error_code ec;
            if (!done)
                for (const auto& f : files)
                    std::filesystem::remove(f, ec);
        }
    } cleanup{{idsTmp, logitsTmp, lseTmp}};
    {
        std::ofstream ids(idsTmp, std::ios::binary | std::ios::trunc), logits(logitsTmp, std::ios::binary | std::ios::trunc),
            lse(lseTmp, std::ios::binary | std::ios::trunc);
        for (std::int64_t w = 0; w < windows; w += batch) {
            if (stop && stop->load(std::memory_order_relaxed))
                throw Cancelled();
            const std::int64_t rows = std::min<std::int64_t>(batch, windows - w);
            auto x = torch::empty({rows, T}, torch::kLong);
            for (std::int64_t r = 0; r < rows; ++r)
                train.copy((w + r) * T, T, x[r].data_ptr<std::int64_t>());
            auto out = teacher.forward(x.to(teacher.device())).to(torch::kCPU, torch::kFloat);
            auto [values, indices] = out.topk(k, -1);
            auto i32 = indices.to(torch::kInt).contiguous();
            auto f32 = values.contiguous();
            ids.write(reinterpret_cast<const char*>(i32.data_ptr<std::int32_t>()), static_cast<std::streamsize>(i32.numel() * 4));
            logits.write(reinterpret_cast<const char*>(f32.data_ptr<float>()), static_cast<std::streamsize>(f32.numel() * 4));
            auto norm = torch::logsumexp(out / temperature, -1).contiguous();
            lse.write(reinterpret_cast<const char*>(norm.data_ptr<float>()), static_cast<std::streamsize>(norm.numel() * 4));
        }
        ids.flush();
        logits.flush();
        lse.flush();
        if (!ids || !logits || !lse)
            throw ResourceError("cannot write the teacher's top-k cache beside " + base.string() + " (disk full?)");
    }
    std::filesystem::rename(idsTmp, idsFile);
    std::filesystem::rename(logitsTmp, logitsFile);
    std::filesystem::rename(lseTmp, lseFile);
    cleanup.done = true;
}

} // namespace

void Trainer::setTeacher(std::shared_ptr<LanguageModel> teacher, const std::filesystem::path& cacheBase, const std::atomic<bool>* stop)
{
    const bool classify = d->isTask() && d->config.train.task == Task::Classify;
    if ((d->isTask() && !classify) || d->config.train.method == FinetuneMethod::Smart)
        throw InputError("distillation teaches language modelling (task lm) or classification (task classify) with method full");
    teacher->to(d->device);
    teacher->eval();
    for (auto& p : teacher->parameters())
        p.set_requires_grad(false);
    if (d->config.train.kdLayerInit)
        initFromTeacherLayers(*d->model, *teacher);
    d->kd.model = std::move(teacher);
    const auto& cfg = d->config.train;
    if (cfg.kdHiddenWeight > 0) {
        if (classify || cfg.kdTopkCache > 0)
            throw SettingError("kd_hidden_weight", classify ? "is a term of language-model distillation, not of task distillation"
                                                            : "needs the teacher's states at every step; it cannot go with --topk-cache");
        // The projection is drawn from its own generator: the student's
        // random stream stays as it was.
        auto gen = at::detail::getDefaultCPUGenerator();
        torch::Tensor state;
        {
            std::lock_guard<std::mutex> lock(gen.mutex());
            state = gen.get_state();
        }
        d->kd.projection = torch::nn::Linear(torch::nn::LinearOptions(d->model->hiddenWidth(), d->kd.model->hiddenWidth()).bias(false));
        {
            std::lock_guard<std::mutex> lock(gen.mutex());
            gen.set_state(state);
        }
        d->kd.projection->to(d->device);
        auto options = d->optimizer->param_groups().front().options().clone();
        d->optimizer->add_param_group(torch::optim::OptimizerParamGroup(d->kd.projection->parameters(), std::move(options)));
        d->model->keepHidden(true);
        d->kd.model->keepHidden(true);
    }
    if (classify) {
        if (!d->kd.model->hasClassifier())
            throw InputError("the teacher has no classifier head: task distillation needs a teacher fine-tuned with --task classify");
        // The fixed batch: the first validation examples.
        const auto& val = d->data.task->validation;
        std::vector<std::size_t> rows(std::min<std::size_t>(val.examples.size(), static_cast<std::size_t>(std::max(2, cfg.batch))));
        for (std::size_t i = 0; i < rows.size(); ++i)
            rows[i] = i;
        const TaskBatch b = makeTaskBatch(*d->data.task, val, rows, d->device);
        d->kd.batch = b.x;
        d->kd.lengths = b.lengths;
        const TaskScore s = wb::evaluateTask(*d->kd.model, *d->data.task, val, *d->data.tokenizer, cfg.batch, 0);
        d->kd.val.loss = s.loss;
        d->kd.val.ppl = std::numeric_limits<double>::quiet_NaN();
        d->kd.val.bpc = std::numeric_limits<double>::quiet_NaN();
        d->kd.accuracy = s.classification ? s.classification->accuracy : std::numeric_limits<double>::quiet_NaN();
        return;
    }
    d->kd.val = evaluateLm(*d->kd.model, *d->data.validation, cfg.batch, cfg.evalTokens, d->data.valCharsPerToken,
                           d->data.valBytesPerToken);
    // The fixed validation batch agreement is measured on: the first
    // windows of the split.
    const std::int64_t T = std::min<std::int64_t>(d->config.spec.context(), d->kd.model->context());
    const std::int64_t n = d->data.validation->size();
    const std::int64_t rows = std::max<std::int64_t>(1, std::min<std::int64_t>(cfg.batch, (n - 1) / T));
    const std::int64_t len = std::min(T, n - 1);
    auto x = torch::empty({rows, len}, torch::kLong);
    for (std::int64_t r = 0; r < rows; ++r)
        d->data.validation->copy(r * len, len, x[r].data_ptr<std::int64_t>());
    d->kd.batch = x.to(d->device);

    const std::int64_t k = cfg.kdTopkCache;
    if (k <= 0)
        return;
    if (k > d->kd.model->vocabSize())
        throw SettingError("kd_topk_cache", "is " + std::to_string(k) + ", more than the vocabulary (" + std::to_string(d->kd.model->vocabSize()) + ")");
    if (cacheBase.empty())
        throw InputError("the teacher's top-k cache needs a place to live");
    const std::int64_t Tt = d->config.spec.context();
    const std::int64_t windows = (d->data.train->size() - 1) / Tt;
    const auto bytes = static_cast<std::uintmax_t>(windows * Tt * k * 4);
    const auto idsFile = std::filesystem::path(cacheBase.string() + ".ids"), logitsFile = std::filesystem::path(cacheBase.string() + ".logits");
    const auto lseFile = std::filesystem::path(cacheBase.string() + ".lse");
    std::error_code e1, e2, e3;
    if (std::filesystem::file_size(idsFile, e1) != bytes || e1 || std::filesystem::file_size(logitsFile, e2) != bytes || e2
        || std::filesystem::file_size(lseFile, e3) != static_cast<std::uintmax_t>(windows * Tt * 4) || e3)
        writeTopkCache(*d->kd.model, *d->data.train, Tt, k, cfg.batch, cfg.kdTemperature, cacheBase, stop);
    // Memory-mapped, read-only, never copied whole.
    d->kd.ids = torch::from_file(idsFile.string(), false, windows * Tt * k, torch::kInt).view({windows, Tt, k});
    d->kd.logits = torch::from_file(logitsFile.string(), false, windows * Tt * k, torch::kFloat).view({windows, Tt, k});
    d->kd.lse = torch::from_file(lseFile.string(), false, windows * Tt, torch::kFloat).view({windows, Tt});
    d->kd.windows = windows;
}

} // namespace wb
