// SPDX-License-Identifier: GPL-3.0-or-later
// The one bridge between the Qt UI and the engine. Jobs run on engine worker
// threads; their event batches arrive here on those threads and are queued
// to the GUI thread, where they are re-emitted as signals. Control goes in
// through atomics (TrainingJob::requestStop), never by waiting on a worker.
// This header sees only plain engine types, never LibTorch.
#pragma once

#include "catalog/records.h"
#include "data/corpus_import.h"
#include "jobs/events.h"
#include "train/run_config.h"

#include <QObject>
#include <QString>
#include <QStringList>

#include <atomic>
#include <filesystem>
#include <memory>
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
    std::vector<MetricPoint> metrics(std::int64_t runId);
    std::vector<SampleRecord> samples(std::int64_t runId);

    // Starts a run; returns its id, or 0 with `error` set (bad input).
    std::int64_t startTraining(const RunConfig& config, QString* error);
    void stopTraining();
    bool isTraining() const { return m_job != nullptr; }
    std::int64_t activeRun() const;

    // Imports files as a corpus on a worker thread.
    bool startImport(const CorpusImportOptions& options, QString* error);
    void cancelImport();
    bool isImporting() const { return m_importThread.joinable(); }

    static bool cudaAvailable();
    static QString cudaUnavailableReason();

signals:
    void events(const wb::EventBatch& batch);
    void trainingEnded(qint64 runId, const QString& status, const QString& error);
    void importProgress(double fraction);
    void importFinished(bool ok, const QString& name, const QString& error);

private:
    void deliver(const EventBatch& batch);

    std::filesystem::path m_catalogFile;
    std::unique_ptr<Catalog> m_catalog;
    std::unique_ptr<TrainingJob> m_job;
    std::thread m_importThread;
    std::atomic<bool> m_cancelImport{false};
};

} // namespace wb::ui
