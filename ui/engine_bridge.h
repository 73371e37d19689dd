// SPDX-License-Identifier: GPL-3.0-or-later
// The one bridge between the Qt UI and the engine. Jobs run on engine worker
// threads; their event batches arrive here on those threads and are queued
// to the GUI thread, where they are re-emitted as signals. Control goes in
// through atomics (TrainingJob::requestStop), never by waiting on a worker.
// This header sees only plain engine types, never LibTorch.
#pragma once

#include "catalog/records.h"
#include "core/events.h"
#include "data/system_corpora.h"
#include "services/corpus_service.h"
#include "services/compress.h"
#include "services/run_service.h"
#include "settings/run_config.h"

#include <QObject>
#include <QString>
#include <QStringList>

#include <atomic>
#include <functional>
#include <filesystem>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace wb {
class Catalog;
class TrainingJob;
}

namespace wb::ui {

class EngineBridge : public QObject {
    Q_OBJECT
public:
    explicit EngineBridge(const std::filesystem::path& catalogFile, QObject* parent = nullptr);
    ~EngineBridge() override;

    const std::filesystem::path& catalogFile() const { return m_catalogFile; }

    // Catalog reads for the GUI thread (its own connection).
    std::vector<CorpusRecord> corpora();
    std::vector<RunRecord> runs();
    std::vector<MetricPoint> metrics(std::int64_t runId, const std::string& name = {});
    std::vector<SampleRecord> samples(std::int64_t runId);
    std::vector<TokenizerRecord> tokenizers();
    // The corpus statistics as `lmwb corpus show --json` gives them; empty
    // with `error` set when the corpus is gone.
    QString corpusSummaryJson(const QString& corpus, QString* error);
    // Removes a corpus and its files; false with `error` when runs use it.
    bool removeCorpus(const QString& corpus, QString* error);
    static std::vector<SystemCorpus> systemCorpora();
    // Deletes a run, its rows and its files (and with `withChildren` every
    // run built on it): the service `lmwb runs delete` uses. The ids
    // deleted, or empty with `error` set (children without the flag, a run
    // still training).
    std::vector<std::int64_t> deleteRun(std::int64_t runId, bool withChildren, QString* error);
    // How many runs are built on `runId` (fine-tuned, distilled, compressed
    // from it, or taught by it), all generations.
    int descendantCount(std::int64_t runId);

    // Starts a run; returns its id, or 0 with `error` set (bad input).
    std::int64_t startTraining(const RunConfig& config, QString* error);
    void stopTraining();
    // Continues a stopped, interrupted or diverged run from its last checkpoint.
    // `notices`, when given, receives what the resume had to do that the
    // user should hear of (a damaged checkpoint moved aside, a restart).
    std::int64_t resumeTraining(std::int64_t runId, QString* error, QStringList* notices = nullptr);
    // Fine-tunes a run (a new run recording its parent); its id, or 0 with `error`.
    std::int64_t startFinetune(const FinetuneRequest& request, QString* error);
    // What that run would train; false with `error` (bad input) otherwise.
    bool previewFinetune(const FinetuneRequest& request, FinetunePreview* out, QString* error);
    // Distils a run into a student (a new run recording its teacher); with
    // `baseline` the same student without the teacher is queued too. The
    // distilled run's id, or 0 with `error`.
    std::int64_t startDistill(const DistillRequest& request, bool baseline, QString* error);
    bool previewDistill(const DistillRequest& request, DistillPreview* out, QString* error);
    bool isTraining() const { return m_job != nullptr; }
    bool isQueueJob() const { return m_job && m_jobFromQueue; }

    // The run queue, shared through the catalog with `lmwb queue` and other
    // windows. Errors (bad input, a run in the wrong state) go to `error`.
    std::vector<RunRecord> queue();
    std::int64_t enqueue(const RunConfig& config, QString* error);
    bool controlRun(std::int64_t runId, const QString& action, QString* error); // pause, resume, cancel
    bool moveInQueue(std::int64_t runId, int position, QString* error);
    // When nothing trains here: takes the next queued run for `device` if
    // the device has a free slot, and starts it. Its id, or 0.
    std::int64_t startNextQueued(const std::string& device);

    // Sweeps.
    std::vector<SweepRecord> sweeps();
    bool sweepResults(std::int64_t sweepId, SweepResults* out, QString* error);
    // Expands a sweep file and queues its runs; the sweep id (0 + error on failure).
    std::int64_t enqueueSweepFile(const QString& path, int* runs, QString* error);
    std::int64_t activeRun() const;

    // Imports files as a corpus on a worker thread.
    bool startImport(const CorpusImportOptions& options, QString* error);
    void cancelImport();
    bool isImporting() const { return m_importThread.joinable(); }
    // Trains a tokenizer on a corpus on the same worker (progress through
    // importProgress); tokenizerFinished follows.
    bool startTokenizerTraining(const QString& name, const QString& corpus, const TokenizerTrainOptions& options,
                                QString* error);

    // Compression variants (services/compress.h). On the background thread,
    // one task at a time with imports: a variant made and measured, runs
    // measured, a per-layer sensitivity sweep; cancelImport() cancels them.
    bool startCompress(const CompressRequest& request, QString* error);
    bool startMeasure(const std::vector<std::int64_t>& runs, QString* error);
    bool startSensitivity(std::int64_t run, const QString& method, double sparsity, QString* error);
    // The board's rows (stored measurements) and the what-if reports, as JSON.
    QString variantBoard(const std::vector<std::int64_t>& runs, QString* error);
    QString layerBytes(std::int64_t run, QString* error);
    QString rankCurve(std::int64_t run, const QString& layer, QString* error);

    static bool cudaAvailable();
    static QString cudaUnavailableReason();

signals:
    void events(const wb::EventBatch& batch);
    void trainingEnded(qint64 runId, wb::RunStatus status, const QString& error);
    // Progress of the background task (an import, tokenizer training,
    // compression, measuring, a sensitivity sweep): what it is and how far.
    void importProgress(double fraction, const QString& what);
    void compressFinished(bool ok, qint64 variantRun, const QString& error);
    void measureFinished(bool ok, const QString& error);
    void sensitivityFinished(bool ok, const QString& reportJson, const QString& error);
    void importFinished(bool ok, const QString& name, const QString& error);
    void tokenizerFinished(bool ok, const QString& name, const QString& error);

private:
    // From a worker thread: runs `call` on the GUI thread, in posting order.
    void postToGui(std::function<void()> call);
    Q_INVOKABLE void runPosted();
    void deliver(const EventBatch& batch);
    std::int64_t startJob(const std::function<std::unique_ptr<TrainingJob>(EventListener)>& make, QString* error);
    // Runs `work` on the worker thread; `done` is emitted on the GUI thread.
    bool startBackground(const std::function<void(const std::function<bool(double)>&)>& work,
                         const std::function<void(bool, const QString&)>& done, QString* error, const QString& what = {});

    std::filesystem::path m_catalogFile;
    std::unique_ptr<Catalog> m_catalog;
    std::unique_ptr<TrainingJob> m_job;
    bool m_jobFromQueue = false;
    std::thread m_importThread;
    std::atomic<bool> m_cancelImport{false};
    std::mutex m_postedMutex;
    std::vector<std::function<void()>> m_posted; // guarded by m_postedMutex
    bool m_wakePosted = false;                   // guarded by m_postedMutex
};

} // namespace wb::ui
