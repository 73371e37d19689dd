// SPDX-License-Identifier: GPL-3.0-or-later
// lmwb train, lmwb bench train
#include "cli/commands.h"
#include "settings/compression_settings.h"
#include "models/finetune_layers.h"
#include "services/run_service.h"
#include "compute/runtime.h"
#include "core/errors.h"
#include "compute/threads.h"
#include "core/version.h"
#include "eval/bench.h"
#include "catalog/catalog.h"
#include "settings/settings.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <functional>
#include <memory>
#include <iostream>
#include <mutex>
#include <thread>

namespace wb::cli {

namespace {

nlohmann::json orNull(const std::optional<double>& v)
{
    return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

std::string formatDuration(double s)
{
    char buf[32];
    const long t = static_cast<long>(s + 0.5);
    if (t >= 3600)
        std::snprintf(buf, sizeof buf, "%ldh%02ldm", t / 3600, (t % 3600) / 60);
    else
        std::snprintf(buf, sizeof buf, "%ldm%02lds", t / 60, t % 60);
    return buf;
}

} // namespace

int runAndReport(Context& ctx, const std::function<std::unique_ptr<TrainingJob>(EventListener)>& make, bool requeueOnInterrupt,
                 std::vector<std::string>* collected)
{
    std::mutex mu;
    double lastPpl = 0;
    auto listener = [&](const EventBatch& batch) {
        std::lock_guard lock(mu);
        for (const auto& ev : batch.events) {
            if (const auto* e = std::get_if<EvalEvent>(&ev))
                lastPpl = e->valPpl;
            else if (const auto* st = std::get_if<StateEvent>(&ev); st && st->status == RunStatus::Running)
                std::cerr << "run " << batch.runId << ": " << st->params << " parameters on " << st->device << '\n';
        }
        for (auto it = batch.events.rbegin(); it != batch.events.rend(); ++it) {
            if (const auto* s = std::get_if<StepEvent>(&*it)) {
                char ppl[32] = "-";
                if (lastPpl > 0)
                    std::snprintf(ppl, sizeof ppl, "%.3f", lastPpl);
                char buf[200];
                std::snprintf(buf, sizeof buf, "run %lld  step %lld/%lld  loss %.4f  val_ppl %s  %.0f tok/s  eta %s",
                              static_cast<long long>(batch.runId), static_cast<long long>(s->step),
                              static_cast<long long>(s->totalSteps), s->trainLoss, ppl, s->tokensPerSec,
                              formatDuration(s->etaSeconds).c_str());
                progressLine(buf, s->step == s->totalSteps);
                break;
            }
        }
    };
    auto jobPtr = make(listener);
    TrainingJob& job = *jobPtr;
    job.start();
    // Forward Ctrl-C to the job; the job itself polls an atomic each step.
    while (!job.isFinished()) {
        if (ctx.interrupted.load()) {
            if (requeueOnInterrupt)
                job.requestRequeue();
            else
                job.requestStop();
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    job.wait();
    const RunSummary& s = job.summary();
    if (s.status == RunStatus::Stopped)
        progressLine("run " + std::to_string(s.run) + " stopped at step " + std::to_string(s.steps)
                     + " (checkpoint saved)", true);

    nlohmann::json j = {{"run", s.run},
                        {"status", s.status},
                        {"steps", s.steps},
                        {"train_loss", orNull(s.trainLoss)},
                        {"val_loss", orNull(s.valLoss)},
                        {"val_ppl", orNull(s.valPpl)},
                        {"val_bpc", orNull(s.valBpc)},
                        {"val_bpb", orNull(s.valBpb)},
                        {"tokenizer", job.config().tokenizer},
                        {"early_stopped", s.earlyStopped},
                        {"params", s.params},
                        {"tokens_per_s", orNull(s.tokensPerSec)},
                        {"wall_s", s.wallSeconds}};
    if (!s.error.empty())
        j["error"] = s.error;
    if (const auto& c = job.config(); c.parentRun) {
        // A fine-tuning run: its lineage and cost; task metrics that do not
        // apply to its task are null.
        const auto row = Catalog(ctx.catalog, Catalog::ReadOnly{}).run(s.run);
        j["parent"] = *c.parentRun;
        j["parent_step"] = c.parentStep;
        j["task"] = c.train.task;
        j["method"] = c.train.method;
        j["trainable_params"] = row && row->trainableParams ? nlohmann::json(*row->trainableParams) : nlohmann::json(nullptr);
        j["stored_bytes"] = row && row->storedBytes ? nlohmann::json(*row->storedBytes) : nlohmann::json(nullptr);
        j["accuracy"] = orNull(s.accuracy);
        j["macro_f1"] = orNull(s.macroF1);
        j["bleu"] = orNull(s.bleu);
        j["exact_match"] = orNull(s.exactMatch);
    }
    if (const auto& c = job.config(); c.teacherRun) {
        j["teacher"] = *c.teacherRun;
        j["teacher_step"] = c.teacherStep;
        j["agreement"] = orNull(s.agreement);
        j["kl"] = orNull(s.kl);
        j["teacher_val_ppl"] = orNull(s.teacherPpl);
        j["accuracy"] = orNull(s.accuracy);
        j["macro_f1"] = orNull(s.macroF1);
        j["teacher_accuracy"] = orNull(s.teacherAccuracy);
        j["alpha"] = c.train.kdAlpha;
        j["temperature"] = c.train.kdTemperature;
        j["topk_cache"] = c.train.kdTopkCache;
    }
    if (collected) {
        collected->push_back(j.dump());
    } else if (ctx.json) {
        std::cout << j.dump() << '\n';
    } else {
        auto num = [](const std::optional<double>& v, int digits) {
            if (!v)
                return std::string("-");
            char buf[48];
            std::snprintf(buf, sizeof buf, "%.*f", digits, *v);
            return std::string(buf);
        };
        std::printf("run %lld %s after %lld steps: train loss %s, val loss %s, val ppl %s, val bpc %s, "
                    "val bpb %s, %lld params, %s tokens/s, %.1f s\n",
                    static_cast<long long>(s.run), enumName(s.status).c_str(), static_cast<long long>(s.steps),
                    num(s.trainLoss, 4).c_str(), num(s.valLoss, 4).c_str(), num(s.valPpl, 3).c_str(),
                    num(s.valBpc, 4).c_str(), num(s.valBpb, 4).c_str(), static_cast<long long>(s.params),
                    num(s.tokensPerSec, 0).c_str(), s.wallSeconds);
    }
    if (!s.error.empty())
        std::cerr << "lmwb: run " << s.run << " " << enumName(s.status) << ": " << s.error << '\n'; // the status as stored
    if (s.status == RunStatus::Refused)
        return 2; // bad input, found after the run row existed (`lmwb runs delete` removes it)
    if (s.status == RunStatus::Failed || s.status == RunStatus::Diverged)
        return 1;
    if ((s.status == RunStatus::Stopped || s.status == RunStatus::Queued) && ctx.interrupted.load())
        return 130;
    return 0;
}

namespace {

// The flag a setting key is spelled as on this command line.
std::string flagOf(const std::string& key)
{
    if (const Setting* s = findSetting(key))
        return s->cliFlag();
    return "--" + key;
}

// The settings `keys` (all of them when empty) given on the command line, by key.
std::vector<std::pair<std::string, std::string>> settingValues(const Args& a, const std::set<std::string>& keys = {})
{
    std::vector<std::pair<std::string, std::string>> values;
    for (const auto& s : trainSettings()) {
        if (!keys.empty() && !keys.count(s.key))
            continue;
        const std::string flag = s.cliFlag();
        if (!a.has(flag))
            continue;
        std::string text = a.value(flag).value_or("");
        if (s.key == "device" && text == "auto") // the CLI's shorthand
            text = cudaAvailable() ? "cuda" : "cpu";
        values.emplace_back(s.key, text);
    }
    return values;
}

} // namespace

RunConfig buildFromCommandLine(const Args& a, const std::string& command, const std::set<std::string>& keys)
{
    RunRequest r;
    r.corpus = a.require("--corpus", command);
    r.arch = a.require("--arch", command);
    r.tokenizer = a.value("--tokenizer").value_or("");
    if (auto c = a.value("--context"))
        r.values.emplace_back("context", *c);
    const auto values = settingValues(a, keys);
    r.values.insert(r.values.end(), values.begin(), values.end());
    try {
        return buildRunConfig(r);
    } catch (const SettingError& e) {
        throw InputError(flagOf(e.key()) + " " + e.detail());
    }
}

RunConfig parseRunOptions(const Args& a, const std::string& command)
{
    return buildFromCommandLine(a, command, {});
}

const std::set<std::string>& runOptionNames()
{
    static const std::set<std::string> names = [] {
        std::set<std::string> n{"--corpus", "--arch", "--tokenizer", "--context"};
        for (const auto& s : trainSettings())
            n.insert(s.cliFlag());
        return n;
    }();
    return names;
}

std::set<std::string> flagOptionNames()
{
    std::set<std::string> n;
    for (const auto& s : trainSettings())
        if (s.type == SettingType::Flag)
            n.insert(s.cliFlag());
    return n;
}

std::string trainOptionsHelp()
{
    std::string out = "training settings (train, queue add, sweep files' \"train\" object by key):\n";
    std::string group;
    for (const auto& s : trainSettings()) {
        if (s.group != group) {
            group = s.group;
            out += "  " + group + ":\n";
        }
        std::string left = "    " + s.cliFlag();
        if (s.type != SettingType::Flag)
            left += s.type == SettingType::Choice ? " " + s.rangeText().substr(7) : " " + s.key;
        std::string def = s.autoValue ? "auto: " + s.autoHelp : settingText(s.defaultValue);
        if (s.key == "sample_prompt")
            def = "a newline";
        out += left + "\n        " + s.help + " (default " + def;
        if (s.type == SettingType::Integer || s.type == SettingType::Real)
            out += "; " + s.rangeText();
        out += ")\n";
    }
    return out;
}

// lmwb settings [--markdown]: the settings table itself.
int cmdSettings(Context& ctx)
{
    ctx.args.allowOnly("settings", {"--markdown"});
    auto typeName = [](SettingType t) {
        switch (t) {
        case SettingType::Integer: return "integer";
        case SettingType::Real: return "number";
        case SettingType::Flag: return "flag";
        case SettingType::Text: return "text";
        case SettingType::Choice: return "choice";
        }
        return "";
    };
    auto defaultText = [](const Setting& s) {
        if (s.autoValue)
            return "auto (" + s.autoHelp + ")";
        if (s.key == "sample_prompt")
            return std::string("a newline");
        if (s.key == "threads")
            return std::string("0 (all cores)");
        return settingText(s.defaultValue);
    };
    if (ctx.args.has("--markdown")) {
        std::cout << "| key | option | default | range | meaning |\n|---|---|---|---|---|\n";
        for (const auto& s : trainSettings()) {
            const std::string range = s.type == SettingType::Integer || s.type == SettingType::Real || s.type == SettingType::Choice
                                          ? s.rangeText() : "";
            std::cout << "| `" << s.key << "` | `" << s.cliFlag() << "` | " << defaultText(s) << " | " << range << " | " << s.help
                      << " |\n";
        }
        return 0;
    }
    // Every option table, each row with its group (the training settings'
    // groups, then "Compression").
    std::vector<const Setting*> rows;
    for (const auto& s : trainSettings())
        rows.push_back(&s);
    for (const auto& s : compressionSettings())
        rows.push_back(&s);
    nlohmann::json all = nlohmann::json::array();
    for (const Setting* row : rows) {
        const Setting& s = *row;
        nlohmann::json j{{"key", s.key},     {"flag", s.cliFlag()}, {"type", typeName(s.type)},
                         {"group", s.group}, {"label", s.label},    {"help", s.help}};
        std::visit([&](const auto& v) { j["default"] = v; }, s.defaultValue);
        if (s.type == SettingType::Integer || s.type == SettingType::Real) {
            j["min"] = s.min;
            j["max"] = s.max;
            j["min_exclusive"] = s.minExclusive;
            j["max_exclusive"] = s.maxExclusive;
        }
        if (!s.choices.empty())
            j["choices"] = s.choices;
        if (s.autoValue)
            j["auto"] = {{"value", *s.autoValue}, {"means", s.autoHelp}};
        all.push_back(j);
    }
    if (ctx.json) {
        std::cout << all.dump() << '\n';
    } else {
        std::cout << trainOptionsHelp();
    }
    return 0;
}

int cmdTrain(Context& ctx)
{
    const auto& a = ctx.args;
    auto allowed = runOptionNames();
    allowed.insert("--nproc");
    a.allowOnly("train", allowed);
    if (a.positional().size() != 1)
        throw InputError("'lmwb train' takes no positional arguments (got '" + a.positional()[1] + "')");
    const auto env = DistributedEnv::fromEnvironment();
    if (a.value("--nproc")) {
        const int nproc = static_cast<int>(a.integer("--nproc", 1, 1, 256));
        if (env)
            throw InputError("--nproc: this process is already rank " + std::to_string(env->rank) + " of "
                             + std::to_string(env->worldSize) + " (RANK/WORLD_SIZE are set); drop --nproc under a launcher");
        if (nproc > 1) {
            const RunConfig check = parseRunOptions(a, "train"); // bad options fail here, not in N ranks
            if (check.train.batch % nproc != 0)
                throw InputError("--batch " + std::to_string(check.train.batch) + " is the global batch and must divide evenly over "
                                 + std::to_string(nproc) + " ranks");
            return launchLocalRanks(ctx, nproc);
        }
    }
    const RunConfig cfg = parseRunOptions(a, "train");
    if (env && env->rank > 0) {
        // A worker rank: trains in step with rank 0 and writes nothing.
        const RunSummary s = runWorkerRank(ctx.catalog, cfg, *env, ctx.interrupted);
        if (s.status == RunStatus::Diverged)
            return 1;
        return 0;
    }
    return runAndReport(ctx, [&](EventListener l) {
        auto job = newRun(ctx.catalog, cfg, std::move(l));
        if (env)
            job->setDistributed(*env);
        return job;
    });
}

int cmdFinetune(Context& ctx)
{
    const auto& a = ctx.args;
    std::set<std::string> allowed{"--corpus", "--tokenizer"};
    for (const auto& s : trainSettings())
        allowed.insert(s.cliFlag());
    a.allowOnly("finetune", allowed);
    if (a.positional().size() != 2)
        throw InputError("usage: lmwb finetune RUN --corpus C [--task lm] [--method full|ulmfit|l-eo|l-ldb] [training settings] [--json]");
    FinetuneRequest request;
    request.parent = parseRunId(a.positional()[1]);
    request.corpus = a.require("--corpus", "finetune");
    request.tokenizer = a.value("--tokenizer").value_or("");
    request.values = settingValues(a);
    RunConfig cfg;
    try {
        Catalog catalog(ctx.catalog);
        cfg = finetuneConfig(catalog, request);
    } catch (const SettingError& e) {
        throw InputError(flagOf(e.key()) + " " + e.detail());
    }
    std::cerr << "finetune: run " << request.parent << " on " << cfg.corpus << ", method " << enumName(cfg.train.method)
              << " trains " << trainedDescription(cfg.spec, cfg.train.method) << '\n';
    return runAndReport(ctx, [&](EventListener l) { return newRun(ctx.catalog, cfg, std::move(l)); });
}

int cmdDistill(Context& ctx)
{
    const auto& a = ctx.args;
    std::set<std::string> allowed{"--teacher", "--student", "--student-run", "--corpus", "--tokenizer", "--context", "--kind", "--baseline"};
    for (const auto& s : trainSettings())
        allowed.insert(s.cliFlag());
    a.allowOnly("distill", allowed);
    if (a.positional().size() != 1)
        throw InputError("usage: lmwb distill --teacher RUN --student SPEC_OR_PRESET|--student-run RUN --corpus C [--kind lm|classify] "
                         "[--alpha A] [--temperature T] [--topk-cache K] [--baseline] [training settings] [--json]");
    DistillRequest request;
    if (const auto kind = a.value("--kind")) {
        if (*kind != "lm" && *kind != "classify")
            throw InputError("--kind '" + *kind + "': expected lm or classify");
        request.kind = *kind == "lm" ? Task::Lm : Task::Classify;
    }
    request.teacher = parseRunId(a.require("--teacher", "distill"));
    if (auto s = a.value("--student-run")) {
        if (a.has("--student"))
            throw InputError("--student and --student-run: give one (a new student, or a run to go on from)");
        request.studentRun = parseRunId(*s);
        request.student = "run " + *s;
    } else {
        request.student = a.require("--student", "distill");
    }
    request.corpus = a.require("--corpus", "distill");
    request.tokenizer = a.value("--tokenizer").value_or("");
    if (auto c = a.value("--context"))
        request.values.emplace_back("context", *c);
    const auto values = settingValues(a);
    request.values.insert(request.values.end(), values.begin(), values.end());
    RunConfig cfg;
    std::int64_t teacherParams = 0;
    try {
        Catalog catalog(ctx.catalog);
        cfg = distillConfig(catalog, request);
        teacherParams = catalog.run(request.teacher)->params.value_or(0);
    } catch (const SettingError& e) {
        throw InputError(flagOf(e.key()) + " " + e.detail());
    }
    std::cerr << "distill: run " << request.teacher << " (" << teacherParams << " parameters) teaches " << request.student << " on "
              << cfg.corpus << ", alpha " << formatNumber(cfg.train.kdAlpha) << ", T " << formatNumber(cfg.train.kdTemperature)
              << '\n';
    std::vector<std::string> out;
    int rc = runAndReport(ctx, [&](EventListener l) { return newRun(ctx.catalog, cfg, std::move(l)); }, false, &out);
    auto j = nlohmann::json::parse(out.at(0));
    j["student_params"] = j["params"];
    j["teacher_params"] = teacherParams;
    j["kind"] = enumName(cfg.train.task);
    j["baseline_run"] = nullptr;
    j["baseline_val_loss"] = nullptr;
    j["baseline_val_ppl"] = nullptr;
    if (a.has("--baseline") && rc == 0 && !ctx.interrupted.load()) {
        // The same student from scratch on the same tokens: what the teacher bought.
        std::cerr << "distill: baseline, the same student without the teacher\n";
        rc = runAndReport(ctx, [&](EventListener l) { return newRun(ctx.catalog, distillBaseline(cfg), std::move(l)); }, false, &out);
        const auto b = nlohmann::json::parse(out.at(1));
        j["baseline_run"] = b["run"];
        j["baseline_val_loss"] = b["val_loss"];
        j["baseline_val_ppl"] = b["val_ppl"];
        j["baseline_val_bpc"] = b["val_bpc"];
        j["baseline_tokens_per_s"] = b["tokens_per_s"];
    }
    if (ctx.json) {
        std::cout << j.dump() << '\n';
    } else {
        auto num = [](const nlohmann::json& v, const char* fmt) {
            if (!v.is_number())
                return std::string("-");
            char buf[48];
            std::snprintf(buf, sizeof buf, fmt, v.get<double>());
            return std::string(buf);
        };
        std::printf("run %lld %s after %lld steps: val loss %s, val ppl %s (teacher %s), agreement %s, KL %s nats; "
                    "%lld parameters against the teacher's %lld\n",
                    j["run"].get<long long>(), j["status"].get<std::string>().c_str(), j["steps"].get<long long>(),
                    num(j["val_loss"], "%.4f").c_str(), num(j["val_ppl"], "%.3f").c_str(), num(j["teacher_val_ppl"], "%.3f").c_str(),
                    num(j["agreement"], "%.3f").c_str(), num(j["kl"], "%.4f").c_str(), j["student_params"].get<long long>(),
                    static_cast<long long>(teacherParams));
        if (!j["baseline_run"].is_null())
            std::printf("baseline run %lld (no teacher): val loss %s, val ppl %s\n", j["baseline_run"].get<long long>(),
                        num(j["baseline_val_loss"], "%.4f").c_str(), num(j["baseline_val_ppl"], "%.3f").c_str());
    }
    return rc;
}

int cmdLrFind(Context& ctx)
{
    const auto& a = ctx.args;
    a.allowOnly("lr-find", {"--corpus", "--arch", "--tokenizer", "--min-lr", "--max-lr", "--steps", "--batch", "--optimizer",
                            "--threads", "--seed", "--clip"});
    // lr-find's own --min-lr/--max-lr/--steps are its range, not the run's settings.
    const RunConfig cfg = buildFromCommandLine(a, "lr-find", {"batch", "optimizer", "threads", "seed", "clip"});
    const double lo = a.number("--min-lr", 1e-7, 1e-12, 1e3);
    const double hi = a.number("--max-lr", 10.0, 1e-12, 1e6);
    const int steps = static_cast<int>(a.integer("--steps", 100, 10, 100000));
    std::cerr << "lr-find: " << steps << " steps from " << lo << " to " << hi << " on " << cfg.corpus << " with " << cfg.arch
              << "...\n";
    const LrFindResult r = findLearningRate(ctx.catalog, cfg, lo, hi, steps, ctx.interrupted);
    nlohmann::json points = nlohmann::json::array();
    for (std::size_t i = 0; i < r.lrs.size(); ++i)
        points.push_back({{"lr", r.lrs[i]}, {"loss", r.losses[i]}, {"smoothed", r.smoothed[i]}});
    nlohmann::json j{{"suggested_lr", r.suggested}, {"min_loss_lr", r.minLossLr}, {"steps", r.lrs.size()}, {"points", points}};
    if (ctx.json) {
        std::cout << j.dump() << '\n';
    } else {
        // A small text plot: smoothed loss against log10(lr).
        double top = 0, bottom = 1e300;
        for (double v : r.smoothed) {
            top = std::max(top, v);
            bottom = std::min(bottom, v);
        }
        for (std::size_t i = 0; i < r.lrs.size(); i += std::max<std::size_t>(1, r.lrs.size() / 25)) {
            const int bar = static_cast<int>(50 * (r.smoothed[i] - bottom) / std::max(1e-12, top - bottom));
            std::printf("  lr %9.2e  loss %7.4f  %s\n", r.lrs[i], r.smoothed[i], std::string(static_cast<std::size_t>(bar), '#').c_str());
        }
        std::printf("suggested learning rate %.3g (steepest descent); lowest loss at %.3g\n", r.suggested, r.minLossLr);
    }
    return 0;
}

int cmdResume(Context& ctx)
{
    const auto& a = ctx.args;
    a.allowOnly("resume", {"--steps"});
    if (a.positional().size() != 2)
        throw InputError("usage: lmwb resume RUN [--steps N] [--json]");
    long long run = 0;
    try {
        run = std::stoll(a.positional()[1]);
    } catch (const std::exception&) {
        throw InputError("resume: '" + a.positional()[1] + "' is not a run number");
    }
    const auto steps = a.integer("--steps", 0, 1, 100000000);
    return runAndReport(ctx, [&](EventListener l) {
        auto job = resumedRun(ctx.catalog, run, steps, std::move(l));
        for (const auto& notice : job->notices())
            std::cerr << "lmwb: " << notice << '\n';
        if (job->restartsFromScratch())
            std::cerr << "run " << run << " has no checkpoint (it ended before its first one): it trains again from step 0"
                      << " with the same seed\n";
        return job;
    });
}

int cmdBench(Context& ctx)
{
    const auto& a = ctx.args;
    const auto& pos = a.positional();
    if (pos.size() >= 2 && pos[1] == "infer")
        return cmdBenchInfer(ctx);
    a.allowOnly("bench", {"--arch", "--batch", "--steps", "--threads", "--vocab", "--precision", "--kernels"});
    if (pos.size() != 2 || pos[1] != "train")
        throw InputError("usage: lmwb bench train --arch SPEC [--batch B] [--steps N] [--threads N] [--vocab V] [--precision P] [--kernels K] | bench infer RUN [--batch B] [--threads N]");
    const std::string arch = a.value("--arch").value_or("tiny-gpt");
    const ModelSpec spec = resolveSpec(arch);
    const int batch = static_cast<int>(a.integer("--batch", 16, 1, 4096));
    const int steps = static_cast<int>(a.integer("--steps", 20, 1, 100000));
    const int threads = static_cast<int>(a.integer("--threads", 0, 0, 1024));
    const int vocab = static_cast<int>(a.integer("--vocab", 96, 2, 1000000));
    std::cerr << "benchmarking " << arch << ": " << steps << " steps of batch " << batch << " x " << spec.context()
              << " tokens...\n";
    const std::string precision = a.value("--precision").value_or("fp32");
    const std::string kernelsName = a.value("--kernels").value_or("fused");
    const auto kernels = parseEnum<Kernels>(kernelsName);
    if (!kernels)
        throw InputError("--kernels '" + kernelsName + "': expected fused or reference");
    const TrainBenchResult r = benchTraining(spec, vocab, batch, steps, threads, precision, *kernels);
    nlohmann::json j = {{"arch", arch},           {"params", r.params},
                        {"batch", r.batch},       {"context", r.context},
                        {"steps", r.steps},       {"threads", r.threads}, {"precision", precision}, {"kernels", kernelsName},
                        {"vocab", vocab},         {"tokens_per_s", r.tokensPerSec},
                        {"flops_per_token", r.flopsPerToken}, {"model_gflops", r.modelGflops},
                        {"matmul_peak_gflops", r.peakGflops}, {"utilisation", r.utilisation},
                        {"inference_tokens_per_s", r.inferenceTokensPerSec},
                        {"memory_estimate_bytes", spec.trainingMemoryBytes(vocab, batch)},
                        {"rss_before_bytes", r.rssBeforeBytes}, {"rss_peak_bytes", r.peakRssBytes},
                        {"blas", blasDescription()}};
    if (ctx.json) {
        std::cout << j.dump() << '\n';
    } else {
        std::printf("%s: %lld params, batch %d x %d, %d threads\n"
                    "  %.0f tokens/s, %.3g FLOP/token, %.2f GFLOP/s model\n"
                    "  matmul peak %.2f GFLOP/s (1024x1024 fp32) -> utilisation %.1f%%\n  BLAS: %s\n",
                    arch.c_str(), static_cast<long long>(r.params), r.batch, r.context, r.threads, r.tokensPerSec,
                    r.flopsPerToken, r.modelGflops, r.peakGflops, 100.0 * r.utilisation, blasDescription().c_str());
        std::printf("  inference %.0f tokens/s; training memory estimate %.1f MB, measured RSS growth %.1f MB\n",
                    r.inferenceTokensPerSec, spec.trainingMemoryBytes(vocab, batch) / 1e6,
                    (r.peakRssBytes - r.rssBeforeBytes) / 1e6);
    }
    return 0;
}

} // namespace wb::cli
