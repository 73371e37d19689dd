// SPDX-License-Identifier: GPL-3.0-or-later
// The main window: run setup on the left, live curves, status and the latest
// sample in the middle, the catalog's runs below.
#pragma once

#include "core/events.h"
#include "settings/run_config.h"

#include "services/run_service.h"

#include <QMainWindow>
#include <QPointer>

#include <filesystem>
#include <optional>

class QAction;
class QCheckBox;
class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QTabWidget;
class QTimer;

namespace wb::ui {

class EngineBridge;
class RunSetupPanel;
class RunsTable;
class TrainingPlot;
class CorpusView;
class PerformancePlot;
class QueuePanel;
class SweepView;
class TaskView;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(const std::filesystem::path& catalogFile, QWidget* parent = nullptr);
    ~MainWindow() override;

    EngineBridge* bridge() const { return m_bridge; }
    // Starts a fine-tuning run (what the Fine-tune dialog's OK does).
    void startFinetune(const FinetuneRequest& request);
    // Starts a distilled run, and queues its baseline when asked (the Distil dialog's OK).
    void startDistill(const DistillRequest& request, bool baseline);

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void buildUi();
    void restoreSettings();
    void saveSettings();
    void refreshCorpora(const QString& select = {});
    void refreshRuns();
    // Resume, Fine-tune and Distil follow the shown run's stored status.
    void updateRunActions(const std::vector<RunRecord>& runs);
    void importDefaultCorpusIfEmpty();

    // The run the setup panel describes; nothing (after a message) when
    // its spec is invalid.
    std::optional<RunConfig> configFromSetup();
    void startTraining();
    void queueRun();
    // About once a second: the queue table, the sweeps view, and the next
    // queued run when this window trains nothing (main_window_queue.cpp).
    void queueTick();
    void beginLiveRun(std::int64_t runId);
    void resumeSelectedRun();
    // Asks, then deletes the shown run (and, when the user agrees, the runs
    // built on it) through the same service as `lmwb runs delete`.
    void deleteSelectedRun();
    void finetuneSelectedRun();
    void distillSelectedRun();
    void stopTraining();
    void addCorpus();
    void addSystemCorpus(const QString& name);
    void showCorpusStats();
    void showDesigner();
    void trainTokenizer(const QString& corpus);
    void removeCorpus(const QString& corpus);
    void onTokenizerFinished(bool ok, const QString& name, const QString& error);
    void refreshTokenizers(const QString& select = QString());
    void onEvents(const wb::EventBatch& batch);
    void onTrainingEnded(qint64 runId, wb::RunStatus status, const QString& error);
    void onImportProgress(double fraction, const QString& what);
    void onImportFinished(bool ok, const QString& name, const QString& error);
    void showRun(qint64 runId);
    void resetStatusPanel();

    EngineBridge* m_bridge = nullptr;
    RunSetupPanel* m_setup = nullptr;
    TrainingPlot* m_plot = nullptr;
    RunsTable* m_runs = nullptr;
    QCheckBox* m_logScale = nullptr;
    PerformancePlot* m_perfPlot = nullptr;
    QPushButton* m_resume = nullptr;
    QPushButton* m_finetune = nullptr;
    QPushButton* m_distill = nullptr;
    QPushButton* m_delete = nullptr;
    QPlainTextEdit* m_sample = nullptr;
    QProgressBar* m_progress = nullptr;
    QLabel* m_stepLabel = nullptr;
    QLabel* m_speedLabel = nullptr;
    QLabel* m_perfLabel = nullptr;
    QLabel* m_etaLabel = nullptr;
    QLabel* m_paramsLabel = nullptr;
    QLabel* m_sizeLabel = nullptr;
    QLabel* m_valLabel = nullptr;
    QLabel* m_stateLabel = nullptr;
    std::int64_t m_liveRun = 0;  // run being trained, 0 when none
    std::int64_t m_shownRun = 0; // run whose curves are on the plot
    QString m_pendingCorpusSelection;
    QPointer<CorpusView> m_corpusView; // null once the view closed (WA_DeleteOnClose)
    QueuePanel* m_queue = nullptr;
    TaskView* m_taskView = nullptr;
    class DistillView* m_distillView = nullptr;
    class VariantBoard* m_board = nullptr;
    class WhatIfView* m_whatIf = nullptr;
    SweepView* m_sweepView = nullptr;
    QTabWidget* m_plotTabs = nullptr;
    QTabWidget* m_bottomTabs = nullptr;
    QTimer* m_queueTimer = nullptr;
    int m_tick = 0;
};

} // namespace wb::ui
