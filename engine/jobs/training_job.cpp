// SPDX-License-Identifier: GPL-3.0-or-later
#include "jobs/training_job.h"

#include "catalog/catalog.h"
#include "core/allocator.h"
#include "compute/runtime.h"
#include "core/containment.h"
#include "core/errors.h"
#include "core/sha256.h"
#include "compute/threads.h"
#include "core/version.h"
#include "data/corpus_import.h"
#include "store/corpus_store.h"
#include "store/task_data.h"
#include "models/finetune_layers.h"
#include "eval/bench.h"
#include "jobs/checkpoint_store.h"
#include "jobs/run_reporter.h"
#include "settings/settings.h"
#include "models/language_model.h"
#include "train/checkpoint.h"
#include "train/schedule.h"
#include "train/trainer.h"

#include <c10/util/Exception.h>
#include <nlohmann/json.hpp>

#include <algorithm>

namespace fs = std::filesystem;

namespace wb {

TrainingData loadTrainingData(Catalog& catalog, const CorpusRecord& corpus, const TokenizerRecord& tokenizer,
                              const std::atomic<bool>& stop)
{
    TrainingData data;
    data.tokenizer = openTokenizer(catalog, tokenizer);
    // Encoding the corpus with a tokenizer made elsewhere happens once;
    // later runs reuse the caches. A stop request cancels it.
    const auto caches = ensureTokenCaches(catalog, corpus, tokenizer, *data.tokenizer, [&](double) { return !stop.load(); });
    for (const auto& c : caches) {
        // Verified before it is mapped: a damaged cache would train on
        // (or score) tokens that were never in the corpus.
        if ((c.split == "train" || c.split == "validation") && c.sha256
            && sha256File(catalog.artifactPath(c.path)) != *c.sha256)
            throw InputError("the " + c.split + " token cache of corpus '" + corpus.name + "' is damaged (checksum mismatch): "
                             + catalog.artifactPath(c.path).string()
                             + "; lmwb check --repair moves it aside, and the next run encodes the corpus again");
        if (c.split == "train")
            data.train = std::make_shared<TokenCache>(catalog.artifactPath(c.path));
        else if (c.split == "validation") {
            data.validation = std::make_shared<TokenCache>(catalog.artifactPath(c.path));
            data.valCharsPerToken = c.tokens ? static_cast<double>(c.chars) / static_cast<double>(c.tokens) : 1.0;
            data.valBytesPerToken = c.tokens ? static_cast<double>(c.bytes) / static_cast<double>(c.tokens) : 1.0;
        }
    }
    if (!data.train || !data.validation)
        throw RuntimeError("corpus '" + corpus.name + "' lacks a training or validation token cache");
    return data;
}

LrFindResult findLearningRate(const std::filesystem::path& catalogFile, const RunConfig& config, double lo, double hi,
                              int steps, const std::atomic<bool>& stop)
{
    if (!(lo > 0 && hi > lo))
        throw InputError("lr-find: the range must satisfy 0 < low < high");
    if (steps < 10)
        throw InputError("lr-find: --steps must be at least 10");
    Catalog catalog(catalogFile);
    const auto corpus = catalog.corpusByName(config.corpus);
    if (!corpus)
        throw InputError("no corpus named '" + config.corpus + "' in the catalog");
    const auto tok = config.tokenizer.empty() ? corpusTokenizer(catalog, *corpus) : catalog.tokenizerByName(config.tokenizer).value_or(TokenizerRecord{});
    if (tok.id == 0)
        throw InputError("--tokenizer '" + config.tokenizer + "': no such tokenizer in the catalog");
    configureThreads(config.train.threads);
    RunConfig cfg = config;
    cfg.train.steps = steps;
    Trainer trainer(cfg, loadTrainingData(catalog, *corpus, tok, stop), {});
    return trainer.lrSweep(lo, hi, steps, stop);
}

// A distilled run's teacher (methods.md B6): a run with weights, a
// language model, reading text with the student's tokenizer and seeing at
// least the student's context.
void checkTeacher(Catalog& catalog, const RunConfig& config, std::int64_t studentTokenizer)
{
    const std::int64_t id = *config.teacherRun;
    const auto teacher = catalog.run(id);
    if (!teacher)
        throw InputError("--teacher: no run " + std::to_string(id) + " in the catalog");
    const RunConfig tc = RunConfig::fromJson(teacher->config);
    const Task task = config.train.task;
    if (task != Task::Lm && task != Task::Classify)
        throw SettingError("task", "a distilled student learns language modelling (lm) or classification (classify), not "
                                       + enumName(task));
    if (config.train.method != FinetuneMethod::Full)
        throw SettingError("method", "a distilled student trains every parameter (full)");
    if (config.train.kdHiddenWeight > 0 && (task != Task::Lm || config.train.kdTopkCache > 0))
        throw SettingError("kd_hidden_weight", task != Task::Lm ? "is a term of language-model distillation, not of task distillation"
                                                                 : "needs the teacher's states at every step; it cannot go with --topk-cache");
    if (config.train.kdLayerInit && config.parentRun)
        throw SettingError("kd_layer_init", "starts a new student from the teacher's blocks; a student that goes on from a run has its weights");
    if (tc.train.task != task)
        throw InputError("--teacher: run " + std::to_string(id) + " was trained for task " + enumName(tc.train.task) + " and the student learns "
                         + enumName(task) + (task == Task::Classify ? ": task distillation needs a teacher fine-tuned with --task classify"
                                                                      : ": distilling a language model needs a teacher of task lm"));
    if (task == Task::Classify) {
        const auto mine = catalog.corpusByName(config.corpus), theirs = catalog.corpusByName(tc.corpus);
        if (!mine || !theirs || nlohmann::json::parse(mine->labels) != nlohmann::json::parse(theirs->labels))
            throw InputError("--teacher: run " + std::to_string(id) + " classifies the labels of corpus '" + tc.corpus
                             + "', and the student's corpus '" + config.corpus + "' has other labels (or none)");
    }
    auto name = [&](std::optional<std::int64_t> tok) {
        const auto t = tok ? catalog.tokenizerById(*tok) : std::nullopt;
        return t ? t->name : std::string("?");
    };
    if (teacher->tokenizerId != std::optional<std::int64_t>(studentTokenizer))
        throw InputError("the teacher (run " + std::to_string(id) + ") reads text with tokenizer '" + name(teacher->tokenizerId)
                         + "' and the student with '" + name(studentTokenizer)
                         + "': distillation compares their next-token distributions, so they must share the tokenizer "
                           "(give --tokenizer " + name(teacher->tokenizerId) + ")");
    if (config.spec.context() > tc.spec.context())
        throw InputError("the student's context (" + std::to_string(config.spec.context()) + ") is longer than the teacher's ("
                         + std::to_string(tc.spec.context()) + "); give the student --context " + std::to_string(tc.spec.context())
                         + " or less");
    if (config.train.kdTopkCache > 0)
        if (const auto tok = catalog.tokenizerById(studentTokenizer); tok && config.train.kdTopkCache > tok->vocabSize)
            throw SettingError("kd_topk_cache", "is " + std::to_string(config.train.kdTopkCache) + ", more than the vocabulary ("
                                                    + std::to_string(tok->vocabSize) + " tokens)");
    checkpointChain(catalog, id, config.teacherStep); // InputError naming the run when its weights are gone
}

namespace {

// Validates a configuration against the catalog and fills in what it leaves
// open (warm-up cap, the corpus's own tokenizer); the run row to create.
RunRecord prepareRun(Catalog& catalog, RunConfig& cfg)
{
    const RunConfig& config = cfg;
    // One defaults policy and one validation, whichever front end built the run.
    validateSettings(cfg.train);
    if (!cfg.parentRun && cfg.train.method != FinetuneMethod::Full)
        throw SettingError("method", "'" + enumName(cfg.train.method) + "' adapts a trained run: start it with `lmwb finetune RUN`");
    resolveRunDefaults(cfg);
    if (cfg.train.device == Device::Cuda && !cudaAvailable())
        throw SettingError("device", "cuda: this LibTorch was built without CUDA or no GPU is visible");
    const auto corpus = catalog.corpusByName(config.corpus);
    if (!corpus)
        throw InputError("no corpus named '" + config.corpus + "' in the catalog; add one with `lmwb corpus add`");
    const auto& t = config.train;
    config.spec.validate("arch " + config.arch);
    checkMethodForSpec(config.spec, t.method);
    checkCorpusServesTask(*corpus, t.task);

    RunRecord r;
    if (!config.tokenizer.empty()) {
        const auto tok = catalog.tokenizerByName(config.tokenizer);
        if (!tok)
            throw InputError("--tokenizer '" + config.tokenizer
                             + "': no such tokenizer in the catalog; train one with `lmwb tokenizer train`");
        r.tokenizerId = tok->id;
        config.spec.checkFitsInMemory(tok->vocabSize, t.batch);
    } else {
        const auto tok = corpusTokenizer(catalog, *corpus);
        r.tokenizerId = tok.id;
        cfg.tokenizer = tok.name;
        // A model too large for the machine is refused before a run row exists.
        config.spec.checkFitsInMemory(tok.vocabSize, t.batch);
    }
    // A training split shorter than one window cannot give a batch: found
    // here, before the run row exists (where the corpus is already encoded).
    for (const auto& c : catalog.tokenCaches(corpus->id, r.tokenizerId))
        if (c.split == "train" && c.tokens <= config.spec.context())
            throw InputError("corpus '" + corpus->name + "': its training split has " + std::to_string(c.tokens)
                             + " tokens, and one window of the model's context needs " + std::to_string(config.spec.context() + 1)
                             + "; give the model a shorter context or add more text");
    if (config.teacherRun)
        checkTeacher(catalog, cfg, r.tokenizerId.value_or(0));
    r.corpusId = corpus->id;
    r.parentRun = config.parentRun;
    r.teacherRun = config.teacherRun;
    r.arch = config.arch;
    r.config = cfg.toJson();
    r.status = status::kQueued;
    r.device = enumName(t.device);
    r.seed = static_cast<std::int64_t>(t.seed);
    r.codeVersion = codeRevision();
    return r;
}

} // namespace

std::int64_t TrainingJob::enqueue(const fs::path& catalogFile, const RunConfig& config, std::optional<std::int64_t> sweepId)
{
    Catalog catalog(catalogFile);
    return enqueue(catalog, config, sweepId);
}

std::int64_t TrainingJob::enqueue(Catalog& catalog, const RunConfig& config, std::optional<std::int64_t> sweepId)
{
    RunConfig cfg = config;
    RunRecord r = prepareRun(catalog, cfg);
    r.sweepId = sweepId;
    return catalog.enqueueRun(r);
}

TrainingJob::TrainingJob(const fs::path& catalogFile, const RunConfig& config, EventListener listener)
    : m_catalogFile(catalogFile), m_config(config), m_listener(std::move(listener))
{
    Catalog catalog(catalogFile);
    m_runId = catalog.createRun(prepareRun(catalog, m_config));
    m_summary.run = m_runId;
}

TrainingJob::TrainingJob(const fs::path& catalogFile, const RunRecord& claimed, EventListener listener)
    : m_catalogFile(catalogFile), m_listener(std::move(listener)), m_runId(claimed.id), m_fromQueue(true)
{
    Catalog catalog(catalogFile);
    m_config = RunConfig::fromJson(claimed.config);
    // A paused or re-queued run continues from its latest checkpoint.
    m_resumeFrom = !catalog.runArtifacts(m_runId, "checkpoint").empty();
    m_summary.run = m_runId;
}

TrainingJob::TrainingJob(const fs::path& catalogFile, std::int64_t resumeRun, std::int64_t totalSteps,
                         EventListener listener)
    : m_catalogFile(catalogFile), m_listener(std::move(listener)), m_runId(resumeRun), m_resumeFrom(true)
{
    Catalog catalog(catalogFile);
    const auto run = catalog.run(resumeRun);
    if (!run)
        throw InputError("no run " + std::to_string(resumeRun) + " in the catalog");
    if (run->status == status::kRunning || run->status == status::kQueued)
        throw InputError("run " + std::to_string(resumeRun) + " is " + enumName(run->status) + "; only a stopped, interrupted, "
                         "diverged or finished run can be resumed");
    m_config = RunConfig::fromJson(run->config);
    // Newest first, each checkpoint's checksum is verified: a damaged one
    // is moved aside (its row goes) and the one before is tried.
    auto checkpoints = catalog.runArtifacts(resumeRun, "checkpoint");
    std::sort(checkpoints.begin(), checkpoints.end(),
              [](const auto& x, const auto& y) { return x.step.value_or(0) > y.step.value_or(0); });
    std::optional<std::int64_t> lastStep;
    for (const auto& a : checkpoints) {
        if (const auto why = containmentProblem(catalog.artifactDir(), a.path)) {
            // A received catalog's row: neither loaded nor moved aside.
            m_notices.push_back("checkpoint row for step " + std::to_string(a.step.value_or(0)) + " of run "
                                + std::to_string(resumeRun) + " points outside the catalog (" + *why
                                + "); it was not touched; trying the one before");
            continue;
        }
        const auto problem = catalog.artifactProblem(a);
        if (!problem) {
            lastStep = a.step.value_or(0);
            break;
        }
        const fs::path file = catalog.artifactPath(a.path);
        std::error_code ec;
        if (fs::symlink_status(file, ec).type() == fs::file_type::regular) // a file, never a folder a row names
            fs::rename(file, file.string() + ".damaged", ec);
        catalog.deleteArtifact(a.id);
        m_notices.push_back("checkpoint for step " + std::to_string(a.step.value_or(0)) + " of run " + std::to_string(resumeRun)
                            + " is damaged (" + *problem + ")" + (fs::exists(file.string() + ".damaged") ? "; moved aside to " + file.string() + ".damaged" : std::string())
                            + "; trying the one before");
    }
    if (!lastStep) {
        // Killed (or stopped) before its first checkpoint: nothing to resume
        // from, so it starts again from step 0 with the same seed.
        if (run->status != status::kInterrupted && run->status != status::kStopped)
            throw InputError("run " + std::to_string(resumeRun) + " has no checkpoint to resume from");
        m_resumeFrom = false;
        m_restart = true;
    }
    if (run->status == status::kFinished && m_config.train.method == FinetuneMethod::Prefix)
        throw InputError("run " + std::to_string(resumeRun) + " is a finished prefix-tuning run and kept only its prefix; "
                         "fine-tune its parent again with more --steps");
    if (run->status == status::kFinished && (totalSteps <= 0 || totalSteps <= lastStep.value_or(0)))
        throw InputError("run " + std::to_string(resumeRun) + " is already finished (" + std::to_string(lastStep.value_or(0))
                         + " of " + std::to_string(m_config.train.steps) + " steps); give --steps to extend it");
    if (totalSteps > 0)
        m_config.train.steps = totalSteps;
    m_summary.run = resumeRun;
    catalog.resumeRun(resumeRun, m_config.toJson());
}

RunSummary runWorkerRank(const fs::path& catalogFile, const RunConfig& config, const DistributedEnv& env,
                         const std::atomic<bool>& stop)
{
    configureThreads(config.train.threads);
    auto parallel = std::make_shared<DataParallel>(env, enumName(config.train.device));
    parallel->barrier(); // rank 0 has validated the run and built the token caches
    Catalog catalog(catalogFile, Catalog::ReadOnly{});
    const auto corpus = catalog.corpusByName(config.corpus);
    if (!corpus)
        throw InputError("rank " + std::to_string(env.rank) + ": no corpus named '" + config.corpus + "' in the catalog");
    const auto tok = config.tokenizer.empty() ? std::optional<TokenizerRecord>(corpusTokenizer(catalog, *corpus))
                                              : catalog.tokenizerByName(config.tokenizer);
    if (!tok)
        throw InputError("rank " + std::to_string(env.rank) + ": no tokenizer '" + config.tokenizer + "'");
    TrainingData data = loadTrainingData(catalog, *corpus, *tok, stop);
    data.parallel = parallel;
    RunConfig cfg = config;
    resolveRunDefaults(cfg); // as rank 0 stores it
    TrainerHooks hooks;
    hooks.onEvent = [](Event) {};
    Trainer trainer(cfg, std::move(data), hooks);
    return trainer.run(stop);
}

TrainingJob::~TrainingJob()
{
    requestStop();
    if (m_thread.joinable())
        m_thread.join();
}

void TrainingJob::start()
{
    configureAllocator(); // once per process; the executables did it already
    m_thread = std::thread([this] { work(); });
}

void TrainingJob::wait()
{
    if (m_thread.joinable())
        m_thread.join();
}

RunStatus TrainingJob::stoppedStatus() const
{
    // A stopped run ends paused, cancelled or back in the queue when that is
    // why it stopped.
    if (m_control == "pause")
        return status::kPaused;
    if (m_control == "cancel")
        return status::kCancelled;
    if (m_fromQueue && m_requeue.load())
        return status::kQueued;
    return status::kStopped;
}

void TrainingJob::fail(const std::string& message, RunStatus as)
{
    m_summary.status = as;
    m_summary.error = message;
    try {
        if (m_catalog) {
            if (m_reporter)
                m_reporter->flush(true);
            m_catalog->finishRun(m_runId, as, message);
        }
    } catch (...) { // the catalog itself failed; the message still reaches the listener
    }
    StateEvent ev{as, message, m_summary.params, fp32Bytes(m_summary.params), enumName(m_config.train.device)};
    if (m_listener)
        m_listener(EventBatch{m_runId, {ev}});
}

void TrainingJob::endStoppedEarly()
{
    m_summary.status = stoppedStatus();
    try {
        if (m_reporter)
            m_reporter->flush(true);
        if (m_catalog) {
            m_catalog->finishRun(m_runId, m_summary.status,
                                 m_summary.status == status::kStopped ? std::optional<std::string>("stopped before training began")
                                                                      : std::nullopt);
            m_catalog->clearControl(m_runId);
        }
    } catch (...) {
    }
    if (m_listener)
        m_listener(EventBatch{m_runId, {StateEvent{m_summary.status, "", 0, 0, enumName(m_config.train.device)}}});
}

TrainingData TrainingJob::openData()
{
    const auto corpus = m_catalog->corpusByName(m_config.corpus);
    if (!corpus)
        throw InputError("corpus '" + m_config.corpus + "' was removed before the run started");
    const auto tokRecord = m_catalog->tokenizerById(*m_catalog->run(m_runId)->tokenizerId);
    if (!tokRecord)
        throw InputError("tokenizer '" + m_config.tokenizer + "' was removed before the run started");
    std::shared_ptr<DataParallel> parallel;
    if (m_distributed.enabled()) {
        if (m_resumeFrom)
            throw InputError("resuming a run on several ranks is not supported; resume it in one process");
        if (m_config.parentRun)
            throw InputError("fine-tuning on several ranks is not supported yet; fine-tune in one process");
        parallel = std::make_shared<DataParallel>(m_distributed, enumName(m_config.train.device));
    }
    TrainingData data = loadTrainingData(*m_catalog, *corpus, *tokRecord, m_stop);
    data.parallel = parallel;
    if (m_config.train.task != Task::Lm)
        data.task = std::make_shared<TaskData>(
            loadTaskData(*m_catalog, *corpus, *data.tokenizer, m_config.train.task, m_config.spec.context(),
                         m_config.train.examplesPerClass));
    if (parallel)
        parallel->barrier(); // the token caches exist: the other ranks may read them
    if (m_config.train.device == Device::Cpu) {
        // The machine's fp32 matmul peak, measured once per process (about a
        // second), for the utilisation the run reports.
        static const double peak = measureMatmulPeak(1024, 5).gflops;
        data.peakGflops = peak;
        configureThreads(m_config.train.threads); // the measurement uses every core
    }
    return data;
}

std::filesystem::path TrainingJob::topkCacheBase() const
{
    // Beside the run's checkpoints; regenerated when missing, removed when
    // the run has finished.
    const std::string rel = "runs/" + std::to_string(m_runId) + "/teacher-top" + std::to_string(m_config.train.kdTopkCache) + "-ctx"
                            + std::to_string(m_config.spec.context()) + "-T" + formatNumber(m_config.train.kdTemperature);
    // Its three files are read by size and memory-mapped: each must stay
    // inside the artifact folder (a link planted on one is refused).
    for (const char* suffix : {".ids", ".logits", ".lse"})
        m_catalog->artifactPath(rel + suffix);
    return m_catalog->artifactPath(rel);
}

std::shared_ptr<LanguageModel> TrainingJob::loadTeacher()
{
    const auto id = *m_config.teacherRun;
    const auto run = m_catalog->run(id);
    if (!run)
        throw InputError("the teacher, run " + std::to_string(id) + ", was removed before the run started");
    const RunConfig tc = RunConfig::fromJson(run->config);
    const auto tok = run->tokenizerId ? m_catalog->tokenizerById(*run->tokenizerId) : std::nullopt;
    if (!tok)
        throw InputError("the teacher's tokenizer is gone from the catalog");
    // Building a model draws its initial weights from LibTorch's generator:
    // the student's random stream (dropout) is put back as it was, so the
    // teacher changes nothing but the loss.
    auto gen = at::detail::getDefaultCPUGenerator();
    torch::Tensor state;
    {
        std::lock_guard<std::mutex> lock(gen.mutex());
        state = gen.get_state();
    }
    std::int64_t classes = 0;
    if (tc.train.task == Task::Classify)
        if (const auto c = m_catalog->corpusByName(tc.corpus))
            classes = static_cast<std::int64_t>(nlohmann::json::parse(c->labels).size());
    auto teacher = buildRunModel(tc, tok->vocabSize, classes);
    {
        std::lock_guard<std::mutex> lock(gen.mutex());
        gen.set_state(state);
    }
    for (const auto& file : checkpointChain(*m_catalog, id, m_config.teacherStep))
        loadModelWeights(file, *teacher);
    return teacher;
}

void TrainingJob::restoreState(Trainer& trainer, const CheckpointStore& store)
{
    if (m_resumeFrom) {
        const auto latest = store.latest();
        if (!latest)
            throw InputError("run " + std::to_string(m_runId) + " has no checkpoint to resume from");
        const auto from = trainer.resume(m_catalog->artifactPath(latest->path));
        // Metrics after the checkpoint belong to the lost tail: the resumed
        // run writes them again.
        m_catalog->truncateRunAfter(m_runId, from);
    } else if (m_fromQueue || m_restart) {
        // A run started again from scratch (its process died before its
        // first checkpoint): the old attempt's metrics go.
        m_catalog->truncateRunAfter(m_runId, 0);
    }
}

void TrainingJob::train()
{
    m_catalog = std::make_unique<Catalog>(m_catalogFile);
    m_reporter = std::make_unique<RunReporter>(*m_catalog, m_runId, m_listener);
    // Pause and cancel requests from another process (`lmwb queue pause`,
    // the GUI's queue) arrive through the catalog.
    m_reporter->setAfterWrite([this] {
        if (!m_control.empty())
            return;
        if (auto c = m_catalog->pendingControl(m_runId); c && !c->empty()) {
            m_control = *c;
            m_stop.store(true);
        }
    });
    configureThreads(m_config.train.threads); // on this thread: OpenMP settings are per thread
    TrainingData data = openData();
    CheckpointStore store(*m_catalog, m_runId, m_config.train.keepCheckpoints);
    TrainerHooks hooks;
    hooks.onEvent = [this](Event ev) { m_reporter->post(std::move(ev)); };
    hooks.checkpoint = [&](std::int64_t step, const std::function<void(const fs::path&)>& write, bool best) {
        // Metrics up to the checkpoint are stored before it is.
        store.save(step, write, best, [this] { m_reporter->flush(true); });
    };
    const std::string tokenizerBytes = data.tokenizer->serialize();
    const std::string tokenizerExt = data.tokenizer->fileExtension();
    Trainer trainer(m_config, std::move(data), hooks);
    // A fine-tuning run starts from its parent's weights (a resumed one then
    // loads its own checkpoint, or its delta, on top).
    if (m_config.parentRun)
        for (const auto& file : checkpointChain(*m_catalog, *m_config.parentRun, m_config.parentStep))
            trainer.loadWeights(file);
    if (m_config.teacherRun)
        trainer.setTeacher(loadTeacher(), topkCacheBase(), &m_stop);
    restoreState(trainer, store);
    store.storeTokenizer(tokenizerBytes, tokenizerExt);

    m_summary.params = trainer.parameterCount();
    m_catalog->markRunStarted(m_runId, m_summary.params);
    m_catalog->setRunSizes(m_runId, trainer.trainableParameterCount(), std::nullopt);
    m_reporter->post(StateEvent{status::kRunning, "", m_summary.params, fp32Bytes(m_summary.params), trainer.deviceName()});

    RunSummary result = trainer.run(m_stop);
    result.run = m_runId;
    if (result.status == status::kStopped)
        result.status = stoppedStatus();
    m_summary = result;
    m_reporter->flush(true);
    if (const auto latest = store.latest())
        m_catalog->setRunSizes(m_runId, trainer.trainableParameterCount(), latest->bytes);
    if (!result.taskReport.empty())
        m_catalog->setRunTaskReport(m_runId, result.taskReport);
    m_catalog->finishRun(m_runId, result.status, result.error.empty() ? std::nullopt : std::optional<std::string>(result.error));
    if (m_config.teacherRun && m_config.train.kdTopkCache > 0 && result.status == status::kFinished) {
        std::error_code ec; // the cache only serves a resume
        fs::remove(topkCacheBase().string() + ".ids", ec);
        fs::remove(topkCacheBase().string() + ".logits", ec);
        fs::remove(topkCacheBase().string() + ".lse", ec);
    }
    if (!m_control.empty())
        m_catalog->clearControl(m_runId);
    m_reporter->post(StateEvent{result.status, result.error, result.params, fp32Bytes(result.params), trainer.deviceName()});
}

void TrainingJob::work()
{
    if (m_workerNice > 0)
        lowerThisThreadPriority(m_workerNice); // before any OpenMP thread exists for this one
    try {
        train();
    } catch (const Cancelled&) {
        endStoppedEarly();
    } catch (const InputError& e) {
        fail(e.what(), status::kRefused); // found after the row existed: the input, not the run, is at fault
    } catch (const c10::Error& e) {
        fail(e.what_without_backtrace());
    } catch (const std::exception& e) {
        fail(e.what());
    }
    m_reporter.reset(); // its last events are delivered
    m_catalog.reset();
    releaseFreeMemory(); // the run's model, batches and optimizer state are gone
    m_finished.store(true);
}

} // namespace wb
