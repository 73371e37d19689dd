// SPDX-License-Identifier: GPL-3.0-or-later
#include "services/run_service.h"
#include "models/finetune_layers.h"

#include "catalog/catalog.h"
#include "core/containment.h"
#include "core/errors.h"
#include "core/files.h"
#include "models/language_model.h"
#include "settings/settings.h"
#include "store/task_data.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>

namespace wb {

std::unique_ptr<TrainingJob> newRun(const std::filesystem::path& catalogFile, const RunConfig& config, EventListener listener)
{
    return std::make_unique<TrainingJob>(catalogFile, config, std::move(listener));
}

std::unique_ptr<TrainingJob> resumedRun(const std::filesystem::path& catalogFile, std::int64_t run, std::int64_t totalSteps,
                                        EventListener listener)
{
    return std::make_unique<TrainingJob>(catalogFile, run, totalSteps, std::move(listener));
}

RunConfig finetuneConfig(Catalog& catalog, const FinetuneRequest& request)
{
    const auto parent = catalog.run(request.parent);
    if (!parent)
        throw InputError("no run " + std::to_string(request.parent) + " in the catalog");
    if (parent->status == status::kRunning || parent->status == status::kQueued)
        throw InputError("run " + std::to_string(request.parent) + " is " + enumName(parent->status)
                         + "; fine-tune a run that has stopped or finished");
    std::optional<ArtifactRecord> latest;
    for (const auto& a : catalog.runArtifacts(request.parent, "checkpoint"))
        if (!latest || a.step.value_or(0) > latest->step.value_or(0))
            latest = a;
    if (!latest)
        throw InputError("run " + std::to_string(request.parent) + " has no checkpoint to fine-tune from");
    if (const auto problem = catalog.artifactProblem(*latest))
        throw InputError("run " + std::to_string(request.parent) + ": its checkpoint for step " + std::to_string(latest->step.value_or(0))
                         + " is " + *problem + " (" + latest->path + "); `lmwb check --repair` drops it so that fine-tuning "
                         "starts from the checkpoint before, if the run has one");
    const RunConfig base = RunConfig::fromJson(parent->config);
    if (base.train.method == FinetuneMethod::Prefix)
        throw InputError("run " + std::to_string(request.parent) + " is prefix-tuned: it kept only its prefix, which no other run "
                         "can build on; fine-tune its parent" + (parent->parentRun ? " (run " + std::to_string(*parent->parentRun) + ")" : std::string())
                         + " instead");
    const std::string parentTokenizer =
        parent->tokenizerId ? catalog.tokenizerById(*parent->tokenizerId).value_or(TokenizerRecord{}).name : base.tokenizer;
    if (!request.tokenizer.empty() && request.tokenizer != parentTokenizer)
        throw InputError("tokenizer '" + request.tokenizer + "' is not the parent's ('" + parentTokenizer
                         + "'): a fine-tuned run reads text with its parent's tokenizer");
    if (!catalog.corpusByName(request.corpus))
        throw InputError("no corpus named '" + request.corpus + "' in the catalog; add one with `lmwb corpus add`");
    RunRequest r;
    r.corpus = request.corpus;
    r.arch = base.arch;
    r.tokenizer = parentTokenizer;
    r.specJson = base.spec.toJson();
    r.values = request.values;
    RunConfig config = buildRunConfig(r);
    // A task the corpus cannot serve is named now (the dialog shows it under
    // the Task field), not when the run starts.
    checkCorpusServesTask(*catalog.corpusByName(request.corpus), config.train.task);
    checkMethodForSpec(config.spec, config.train.method);
    config.parentRun = request.parent;
    config.parentStep = latest->step.value_or(0);
    if (!base.compression.empty()) {
        // A variant's child is built the way the variant is (factored layers,
        // pruned weights kept at zero); an int8 variant does not train.
        const auto c = nlohmann::json::parse(base.compression);
        if (c.contains("structure") && c.at("structure").value("int8", false))
            throw InputError("run " + std::to_string(request.parent) + " is an int8 variant and cannot be trained; fine-tune "
                             + (parent->parentRun ? "its parent (run " + std::to_string(*parent->parentRun) + ")" : std::string("its parent"))
                             + ", then quantize the result");
        if (c.contains("structure"))
            config.compression = nlohmann::json{{"structure", c.at("structure")}}.dump();
    }
    return config;
}

RunConfig distillConfig(Catalog& catalog, const DistillRequest& request)
{
    const auto teacher = catalog.run(request.teacher);
    if (!teacher)
        throw InputError("--teacher: no run " + std::to_string(request.teacher) + " in the catalog");
    if (teacher->status == status::kRunning || teacher->status == status::kQueued)
        throw InputError("--teacher: run " + std::to_string(request.teacher) + " is " + enumName(teacher->status)
                         + "; a teacher must have stopped or finished");
    std::optional<ArtifactRecord> latest;
    for (const auto& a : catalog.runArtifacts(request.teacher, "checkpoint"))
        if (!latest || a.step.value_or(0) > latest->step.value_or(0))
            latest = a;
    if (!latest)
        throw InputError("--teacher: run " + std::to_string(request.teacher) + " has no checkpoint to teach from");
    const RunConfig tc = RunConfig::fromJson(teacher->config);
    const std::string teacherTokenizer =
        teacher->tokenizerId ? catalog.tokenizerById(*teacher->tokenizerId).value_or(TokenizerRecord{}).name : tc.tokenizer;
    RunRequest r;
    r.corpus = request.corpus;
    r.arch = request.student;
    r.specJson = request.studentSpec;
    r.tokenizer = request.tokenizer.empty() ? teacherTokenizer : request.tokenizer;
    r.values = request.values;
    if (request.kind != Task::Lm)
        r.values.emplace_back("task", enumName(request.kind));
    std::optional<std::int64_t> studentStep;
    if (request.studentRun) {
        // The student goes on from a run of its own (its spec and weights).
        const auto start = catalog.run(*request.studentRun);
        if (!start)
            throw InputError("--student-run: no run " + std::to_string(*request.studentRun) + " in the catalog");
        for (const auto& a : catalog.runArtifacts(*request.studentRun, "checkpoint"))
            studentStep = std::max(studentStep.value_or(0), a.step.value_or(0));
        if (!studentStep)
            throw InputError("--student-run: run " + std::to_string(*request.studentRun) + " has no checkpoint to start from");
        if (start->tokenizerId != teacher->tokenizerId)
            throw InputError("--student-run: run " + std::to_string(*request.studentRun) + " reads text with another tokenizer than the teacher ('"
                             + teacherTokenizer + "'); its weights cannot learn from the teacher's distributions");
        const RunConfig sc = RunConfig::fromJson(start->config);
        r.arch = sc.arch;
        r.specJson = sc.spec.toJson();
    }
    RunConfig config = buildRunConfig(r);
    if (request.studentRun) {
        config.parentRun = request.studentRun;
        config.parentStep = *studentStep;
    }
    const bool contextGiven = std::any_of(r.values.begin(), r.values.end(), [](const auto& v) { return v.first == "context"; });
    if (!contextGiven && config.spec.context() > tc.spec.context())
        config.spec.set("context", tc.spec.context());
    config.teacherRun = request.teacher;
    config.teacherStep = latest->step.value_or(0);
    return config;
}

DistillPreview previewDistill(Catalog& catalog, const DistillRequest& request)
{
    const RunConfig config = distillConfig(catalog, request);
    const auto tok = catalog.tokenizerByName(config.tokenizer);
    if (!tok)
        throw InputError("--tokenizer '" + config.tokenizer + "': no such tokenizer in the catalog");
    if (!catalog.corpusByName(config.corpus))
        throw InputError("no corpus named '" + config.corpus + "' in the catalog");
    checkTeacher(catalog, config, tok->id);
    DistillPreview p;
    p.studentParams = config.spec.parameterCount(tok->vocabSize);
    p.teacherParams = catalog.run(request.teacher)->params.value_or(0);
    p.context = config.spec.context();
    p.tokenizer = config.tokenizer;
    return p;
}

RunConfig distillBaseline(const RunConfig& distilled)
{
    RunConfig c = distilled;
    c.teacherRun.reset();
    c.teacherStep = 0;
    return c;
}

FinetunePreview previewFinetune(Catalog& catalog, const FinetuneRequest& request)
{
    const RunConfig config = finetuneConfig(catalog, request);
    const auto tok = catalog.tokenizerByName(config.tokenizer);
    if (!tok)
        throw InputError("tokenizer '" + config.tokenizer + "' is gone from the catalog");
    // Counted on the model itself: the method's prefixes against its parameters.
    std::int64_t classes = 0;
    if (config.train.task == Task::Classify)
        classes = static_cast<std::int64_t>(nlohmann::json::parse(catalog.corpusByName(config.corpus)->labels).size());
    const auto model = buildRunModel(config, tok->vocabSize, classes);
    const auto prefixes = trainedPrefixes(config.spec, config.train.method);
    FinetunePreview p;
    for (const auto& param : model->named_parameters()) {
        p.parameters += param.value().numel();
        if (prefixes.empty() || std::any_of(prefixes.begin(), prefixes.end(),
                                            [&](const std::string& pre) { return param.key().rfind(pre, 0) == 0; }))
            p.trainable += param.value().numel();
    }
    p.trains = trainedDescription(config.spec, config.train.method);
    p.parentStep = config.parentStep;
    return p;
}

std::int64_t queueRun(Catalog& catalog, const RunConfig& config)
{
    return TrainingJob::enqueue(catalog, config, std::nullopt);
}

std::optional<RunRecord> claimQueuedRun(Catalog& catalog, const std::string& device)
{
    return catalog.claimNextQueued(device);
}

std::unique_ptr<TrainingJob> claimedRunJob(const std::filesystem::path& catalogFile, const RunRecord& claimed,
                                           EventListener listener)
{
    try {
        return std::make_unique<TrainingJob>(catalogFile, claimed, std::move(listener));
    } catch (const std::exception& e) {
        try {
            Catalog catalog(catalogFile);
            catalog.finishRun(claimed.id, dynamic_cast<const InputError*>(&e) ? status::kRefused : status::kFailed,
                              std::string(e.what()));
        } catch (...) { // the catalog itself is gone: the run stays claimed and is recovered as interrupted
        }
        throw;
    }
}

QueuedSweep queueSweepFile(const std::filesystem::path& catalogFile, const std::string& sweepFile)
{
    return enqueueSweep(catalogFile, planSweep(readFile(sweepFile), sweepFile));
}

std::vector<std::int64_t> runsBuiltOn(Catalog& catalog, std::int64_t runId)
{
    // Breadth first from the run, so every parent comes before its children.
    std::vector<std::int64_t> order{runId};
    std::set<std::int64_t> seen{runId};
    for (std::size_t i = 0; i < order.size(); ++i) {
        std::vector<std::int64_t> next;
        for (const auto& c : catalog.childRuns(order[i]))
            next.push_back(c.id);
        for (const auto s : catalog.studentRuns(order[i]))
            next.push_back(s);
        std::sort(next.begin(), next.end());
        for (const auto k : next)
            if (seen.insert(k).second)
                order.push_back(k);
    }
    order.erase(order.begin());
    return order;
}

DeletedRuns deleteRun(Catalog& catalog, std::int64_t runId, bool withChildren)
{
    if (!catalog.run(runId))
        throw InputError("no run " + std::to_string(runId) + " in the catalog");
    const auto descendants = runsBuiltOn(catalog, runId);
    if (!descendants.empty() && !withChildren)
        throw InputError("run " + std::to_string(runId) + " has child runs (run " + std::to_string(descendants.front())
                         + " is built on it); delete them first, or delete them with it (--with-children)");
    std::vector<std::int64_t> order{runId};
    order.insert(order.end(), descendants.begin(), descendants.end());
    for (const auto id : order) {
        const auto r = catalog.run(id);
        if (r->status == RunStatus::Running || r->status == RunStatus::Paused)
            throw InputError("run " + std::to_string(id) + " is " + enumName(r->status) + "; stop it before deleting it");
    }
    const auto files = catalog.deleteRuns(order);
    DeletedRuns out;
    out.runs = order;
    for (const auto& f : files)
        out.files += catalog.removeArtifactFile(f) ? 1 : 0;
    // What is left in each run's own folder (a teacher's top-k cache).
    for (const auto id : order) {
        const std::string dir = "runs/" + std::to_string(id);
        if (containmentProblem(catalog.artifactDir(), dir))
            continue;
        std::error_code ec;
        const auto path = catalog.artifactDir() / dir;
        if (!std::filesystem::is_symlink(path, ec) && std::filesystem::is_directory(path, ec))
            for (const auto& e : std::filesystem::directory_iterator(path, ec))
                if (e.path().filename().string().rfind("teacher-top", 0) == 0)
                    catalog.removeArtifactFile(dir + "/" + e.path().filename().string());
        if (std::filesystem::is_directory(path, ec) && std::filesystem::is_empty(path, ec))
            std::filesystem::remove(path, ec);
    }
    return out;
}

} // namespace wb
