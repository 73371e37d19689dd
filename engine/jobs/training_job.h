// SPDX-License-Identifier: GPL-3.0-or-later
// A training run on its own worker thread. Creating the job validates the
// configuration and records the run as queued; start() launches the worker,
// which opens its own catalog connection, trains, writes metrics in batched
// transactions (about once a second) and delivers events to the listener
// (about every 100 ms). requestStop() is an atomic store, safe from a signal
// handler; the run then saves a checkpoint and ends as `stopped`.
#pragma once

#include "core/events.h"
#include "settings/run_config.h"
#include "train/distributed.h"
#include "train/trainer.h"

#include <atomic>
#include <filesystem>
#include <memory>
#include <optional>
#include <thread>

namespace wb {

class Catalog;
class CheckpointStore;
class RunReporter;
struct CorpusRecord;
struct RunRecord;
struct TokenizerRecord;

// The token caches (encoding them first when needed) and tokenizer a run on
// `corpus` with `tokenizer` trains on.
TrainingData loadTrainingData(Catalog& catalog, const CorpusRecord& corpus, const TokenizerRecord& tokenizer,
                              const std::atomic<bool>& stop);

// A distilled run's teacher (methods.md B6): a language-model run with
// weights that reads text with the student's tokenizer (`studentTokenizer`,
// an id) and sees at least the student's context. InputError naming both
// tokenizers, or what else is wrong.
void checkTeacher(Catalog& catalog, const RunConfig& config, std::int64_t studentTokenizer);

// The learning-rate finder (Smith 2017, as fastai's lr_find): `steps` steps
// with the rate growing exponentially from `lo` to `hi`, on the run's model,
// data and optimizer; stops early once the loss is 4x its best.
LrFindResult findLearningRate(const std::filesystem::path& catalogFile, const RunConfig& config, double lo, double hi,
                              int steps, const std::atomic<bool>& stop);

// A data-parallel rank other than 0: trains in step with rank 0 (which runs
// a TrainingJob and writes the catalog) and writes nothing. Returns its
// summary (status as rank 0 decides it).
RunSummary runWorkerRank(const std::filesystem::path& catalogFile, const RunConfig& config, const DistributedEnv& env,
                         const std::atomic<bool>& stop);

class TrainingJob {
public:
    // Throws InputError for an unknown corpus or an invalid configuration.
    TrainingJob(const std::filesystem::path& catalogFile, const RunConfig& config, EventListener listener = {});
    // Runs a queued run this process claimed (Catalog::claimNextQueued),
    // from its latest checkpoint when it has one (a paused run).
    TrainingJob(const std::filesystem::path& catalogFile, const RunRecord& claimed, EventListener listener = {});
    // Validates `config` and adds it to the end of the run queue; its id.
    static std::int64_t enqueue(const std::filesystem::path& catalogFile, const RunConfig& config,
                                std::optional<std::int64_t> sweepId = std::nullopt);
    static std::int64_t enqueue(Catalog& catalog, const RunConfig& config, std::optional<std::int64_t> sweepId);
    // Continues a stopped, interrupted, diverged or finished run from its
    // latest checkpoint, in the same run; `totalSteps` > 0 sets a new total.
    TrainingJob(const std::filesystem::path& catalogFile, std::int64_t resumeRun, std::int64_t totalSteps,
                EventListener listener = {});
    ~TrainingJob(); // requests a stop and joins
    TrainingJob(const TrainingJob&) = delete;
    TrainingJob& operator=(const TrainingJob&) = delete;

    std::int64_t runId() const { return m_runId; }
    // Makes this job rank 0 of a data-parallel group (before start()).
    void setDistributed(const DistributedEnv& env) { m_distributed = env; }
    // The worker thread (and the OpenMP threads it starts) at nice `nice`
    // (before start()): a GUI keeps its thread responsive this way.
    void setWorkerNice(int nice) { m_workerNice = nice; }
    void start();
    void requestStop() { m_stop.store(true, std::memory_order_relaxed); }
    // Stops a run taken from the queue so that it goes back to the queue
    // (checkpoint kept) rather than ending as stopped: the queue runner is
    // shutting down, not the user stopping this run.
    void requestRequeue()
    {
        m_requeue.store(true);
        requestStop();
    }
    std::atomic<bool>& stopFlag() { return m_stop; }
    bool isFinished() const { return m_finished.load(); }
    void wait();
    // Valid after wait(); status finished, stopped or failed.
    const RunSummary& summary() const { return m_summary; }
    const RunConfig& config() const { return m_config; } // as stored, with the tokenizer resolved
    // A resumed run that had no checkpoint trains again from step 0.
    bool restartsFromScratch() const { return m_restart; }
    // What the resume had to do that the user should hear of (damaged
    // checkpoints moved aside), one sentence each.
    const std::vector<std::string>& notices() const { return m_notices; }

private:
    // The run's lifecycle on the worker thread: work() runs train() and
    // ends the run as failed or stopped when it throws.
    void work();
    void train();
    TrainingData openData();
    void restoreState(Trainer& trainer, const CheckpointStore& store);
    std::shared_ptr<LanguageModel> loadTeacher(); // a distilled run's teacher, its weights loaded
    std::filesystem::path topkCacheBase() const;  // where its top-k logits cache lives
    RunStatus stoppedStatus() const;
    void fail(const std::string& message, RunStatus as = RunStatus::Failed);
    void endStoppedEarly(); // stopped before training began (Cancelled)

    int m_workerNice = 0;
    std::unique_ptr<Catalog> m_catalog;     // the worker's own connection
    std::unique_ptr<RunReporter> m_reporter;
    std::string m_control; // a pause or cancel request taken from the catalog

    std::filesystem::path m_catalogFile;
    RunConfig m_config;
    EventListener m_listener;
    std::int64_t m_runId = 0;
    bool m_resumeFrom = false;
    bool m_fromQueue = false;
    std::vector<std::string> m_notices;
    bool m_restart = false; // resumed without a checkpoint: trains again from step 0
    DistributedEnv m_distributed;
    std::atomic<bool> m_requeue{false};
    std::atomic<bool> m_stop{false};
    std::atomic<bool> m_finished{false};
    RunSummary m_summary;
    std::thread m_thread;
};

} // namespace wb
