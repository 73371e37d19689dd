// SPDX-License-Identifier: GPL-3.0-or-later
#include "main_window.h"

#include "settings/settings.h"

#include "core/paths.h"
#include "corpus_view.h"
#include "data/system_corpora.h"
#include "designer.h"
#include "performance_plot.h"
#include "queue_panel.h"
#include "sweep_view.h"
#include "import_dialog.h"
#include "engine_bridge.h"
#include "models/model_spec.h"
#include "run_setup_panel.h"
#include "runs_table.h"
#include "training_plot.h"

#include <QApplication>
#include <QCheckBox>
#include <QCloseEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QGroupBox>
#include <QGridLayout>
#include <QInputDialog>
#include <QLabel>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QHBoxLayout>
#include <QSettings>
#include <QSplitter>
#include <QTabWidget>

#include <algorithm>
#include <optional>

#include "distill_view.h"
#include "variant_board.h"
#include "whatif_view.h"
#include "task_view.h"
#include <QTimer>
#include <QStatusBar>
#include <QVBoxLayout>

#include <cmath>
#include <map>

namespace wb::ui {

namespace {

QString formatSeconds(double s)
{
    const auto t = static_cast<qint64>(std::llround(s));
    if (t >= 3600)
        return QStringLiteral("%1:%2:%3").arg(t / 3600).arg((t % 3600) / 60, 2, 10, QLatin1Char('0')).arg(t % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1:%2").arg(t / 60).arg(t % 60, 2, 10, QLatin1Char('0'));
}

QLabel* valueLabel(const QString& objectName)
{
    auto* l = new QLabel(QStringLiteral("–"));
    l->setObjectName(objectName);
    l->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return l;
}

} // namespace

MainWindow::MainWindow(const std::filesystem::path& catalogFile, QWidget* parent) : QMainWindow(parent)
{
    m_bridge = new EngineBridge(catalogFile, this);
    buildUi();
    connect(m_bridge, &EngineBridge::events, this, &MainWindow::onEvents);
    connect(m_bridge, &EngineBridge::trainingEnded, this, &MainWindow::onTrainingEnded);
    connect(m_bridge, &EngineBridge::importProgress, this, &MainWindow::onImportProgress);
    connect(m_bridge, &EngineBridge::importFinished, this, &MainWindow::onImportFinished);
    connect(m_bridge, &EngineBridge::tokenizerFinished, this, &MainWindow::onTokenizerFinished);
    restoreSettings();
    refreshRuns();
    importDefaultCorpusIfEmpty();
    m_queueTimer = new QTimer(this);
    m_queueTimer->setInterval(1000);
    connect(m_queueTimer, &QTimer::timeout, this, &MainWindow::queueTick);
    connect(m_queue, &QueuePanel::changed, this, &MainWindow::refreshRuns);
    connect(m_sweepView, &SweepView::runSelected, this, [this](qint64 id) {
        m_runs->selectRun(id);
        showRun(id);
    });
    connect(m_sweepView, &SweepView::sweepQueued, this, [this](qint64) { queueTick(); });
    m_queueTimer->start();
    queueTick();
}

MainWindow::~MainWindow() = default;

void MainWindow::buildUi()
{
    setWindowTitle(tr("LM Workbench"));
    m_setup = new RunSetupPanel;
    m_setup->setMinimumWidth(280);
    connect(m_setup, &RunSetupPanel::trainRequested, this, &MainWindow::startTraining);
    connect(m_setup, &RunSetupPanel::queueRequested, this, &MainWindow::queueRun);
    connect(m_setup, &RunSetupPanel::stopRequested, this, &MainWindow::stopTraining);
    connect(m_setup, &RunSetupPanel::addCorpusRequested, this, &MainWindow::addCorpus);
    connect(m_setup, &RunSetupPanel::corpusStatsRequested, this, &MainWindow::showCorpusStats);
    connect(m_setup, &RunSetupPanel::designRequested, this, &MainWindow::showDesigner);

    m_plot = new TrainingPlot;
    m_logScale = new QCheckBox(tr("&Logarithmic scale"));
    m_logScale->setObjectName(QStringLiteral("logScaleCheck"));
    connect(m_logScale, &QCheckBox::toggled, m_plot, &TrainingPlot::setLogScale);

    // Status panel.
    auto* status = new QGroupBox(tr("Status"));
    auto* grid = new QGridLayout(status);
    m_stateLabel = valueLabel(QStringLiteral("stateLabel"));
    m_stepLabel = valueLabel(QStringLiteral("stepLabel"));
    m_speedLabel = valueLabel(QStringLiteral("speedLabel"));
    m_perfLabel = valueLabel(QStringLiteral("perfLabel"));
    m_perfLabel->setToolTip(tr("Step time by phase (data, forward, backward, optimizer), model FLOP/s against this "
                               "machine's measured matmul peak, and the process's memory"));
    m_etaLabel = valueLabel(QStringLiteral("etaLabel"));
    m_paramsLabel = valueLabel(QStringLiteral("paramsLabel"));
    m_sizeLabel = valueLabel(QStringLiteral("sizeLabel"));
    m_valLabel = valueLabel(QStringLiteral("valLabel"));
    const std::pair<QString, QLabel*> rows[] = {
        {tr("Run:"), m_stateLabel},     {tr("Step:"), m_stepLabel},           {tr("Tokens/s:"), m_speedLabel},
        {tr("Compute:"), m_perfLabel},
        {tr("Time left:"), m_etaLabel}, {tr("Parameters:"), m_paramsLabel},   {tr("Size (fp32):"), m_sizeLabel},
        {tr("Validation:"), m_valLabel}};
    int r = 0;
    for (const auto& [name, label] : rows) {
        grid->addWidget(new QLabel(name), r, 0);
        grid->addWidget(label, r, 1);
        ++r;
    }
    m_progress = new QProgressBar;
    m_progress->setObjectName(QStringLiteral("runProgress"));
    m_progress->setRange(0, 1000);
    m_progress->setValue(0);
    m_progress->setTextVisible(true);
    grid->addWidget(m_progress, r, 0, 1, 2);
    grid->setColumnStretch(1, 1);

    auto* sampleBox = new QGroupBox(tr("Latest sample"));
    auto* sampleLayout = new QVBoxLayout(sampleBox);
    m_sample = new QPlainTextEdit;
    m_sample->setObjectName(QStringLiteral("sampleView"));
    m_sample->setReadOnly(true);
    m_sample->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_sample->setPlaceholderText(tr("Text generated by the model appears here at every evaluation."));
    sampleLayout->addWidget(m_sample);

    auto* plotBox = new QWidget;
    auto* plotLayout = new QVBoxLayout(plotBox);
    plotLayout->setContentsMargins(0, 0, 0, 0);
    plotLayout->addWidget(m_plot, 1);
    plotLayout->addWidget(m_logScale);
    m_perfPlot = new PerformancePlot;
    auto* plotTabs = new QTabWidget;
    plotTabs->setObjectName(QStringLiteral("plotTabs"));
    plotTabs->addTab(plotBox, tr("Loss and perplexity"));
    plotTabs->addTab(m_perfPlot, tr("Performance"));
    m_sweepView = new SweepView(m_bridge);
    plotTabs->addTab(m_sweepView, tr("Sweeps"));
    m_taskView = new TaskView(m_bridge);
    plotTabs->addTab(m_taskView, tr("Task"));
    m_distillView = new DistillView(m_bridge);
    plotTabs->addTab(m_distillView, tr("Distillation"));
    m_board = new VariantBoard(m_bridge);
    plotTabs->addTab(m_board, tr("Variants"));
    m_whatIf = new WhatIfView(m_bridge);
    plotTabs->addTab(m_whatIf, tr("What if"));
    m_plotTabs = plotTabs;
    // The what-if tools load the run's model: only when their tab is shown.
    connect(plotTabs, &QTabWidget::currentChanged, this, [this] {
        if (m_plotTabs->currentWidget() == m_whatIf && m_shownRun > 0)
            m_whatIf->showRun(m_shownRun);
    });
    connect(m_board, &VariantBoard::runSelected, this, [this](qint64 id) {
        m_runs->selectRun(id);
        showRun(id);
    });
    connect(m_bridge, &EngineBridge::compressFinished, this, [this](bool ok, qint64, const QString&) {
        m_progress->setValue(ok ? 1000 : 0);
        refreshRuns();
    });
    connect(m_bridge, &EngineBridge::measureFinished, this, [this](bool ok, const QString&) { m_progress->setValue(ok ? 1000 : 0); });
    connect(m_bridge, &EngineBridge::sensitivityFinished, this,
            [this](bool ok, const QString&, const QString&) { m_progress->setValue(ok ? 1000 : 0); });

    auto* infoRow = new QSplitter(Qt::Horizontal);
    infoRow->addWidget(status);
    infoRow->addWidget(sampleBox);
    infoRow->setStretchFactor(1, 2);

    m_runs = new RunsTable;
    connect(m_runs, &RunsTable::runSelected, this, &MainWindow::showRun);
    auto* runsBox = new QWidget;
    auto* runsLayout = new QVBoxLayout(runsBox);
    runsLayout->setContentsMargins(4, 4, 4, 4);
    runsLayout->addWidget(m_runs);
    m_resume = new QPushButton(tr("&Resume run"));
    m_resume->setObjectName(QStringLiteral("resumeButton"));
    m_resume->setToolTip(tr("Continue the selected stopped, interrupted or diverged run from its last checkpoint"));
    m_resume->setEnabled(false);
    connect(m_resume, &QPushButton::clicked, this, &MainWindow::resumeSelectedRun);
    m_finetune = new QPushButton(tr("&Fine-tune…"));
    m_finetune->setObjectName(QStringLiteral("finetuneButton"));
    m_finetune->setToolTip(tr("Adapt the selected run to a target corpus: a new run that records it as its parent"));
    m_finetune->setEnabled(false);
    connect(m_finetune, &QPushButton::clicked, this, &MainWindow::finetuneSelectedRun);
    m_distill = new QPushButton(tr("&Distil…"));
    m_distill->setObjectName(QStringLiteral("distillButton"));
    m_distill->setToolTip(tr("Teach a smaller student with the selected run: a new run that records it as its teacher"));
    m_distill->setEnabled(false);
    connect(m_distill, &QPushButton::clicked, this, &MainWindow::distillSelectedRun);
    m_delete = new QPushButton(tr("De&lete run…"));
    m_delete->setObjectName(QStringLiteral("deleteRunButton"));
    m_delete->setToolTip(tr("Delete the selected run from the catalog with its checkpoints and files"));
    m_delete->setEnabled(false);
    connect(m_delete, &QPushButton::clicked, this, &MainWindow::deleteSelectedRun);
    auto* runButtons = new QHBoxLayout;
    runButtons->addWidget(m_delete);
    runButtons->addStretch(1);
    runButtons->addWidget(m_distill);
    runButtons->addWidget(m_finetune);
    runButtons->addWidget(m_resume);
    runsLayout->addLayout(runButtons);

    auto* centre = new QSplitter(Qt::Vertical);
    centre->setObjectName(QStringLiteral("centreSplitter"));
    centre->addWidget(plotTabs);
    centre->addWidget(infoRow);
    m_queue = new QueuePanel(m_bridge);
    auto* bottomTabs = m_bottomTabs = new QTabWidget;
    bottomTabs->setObjectName(QStringLiteral("bottomTabs"));
    bottomTabs->addTab(runsBox, tr("Runs in the catalog"));
    bottomTabs->addTab(m_queue, tr("Queue"));
    centre->addWidget(bottomTabs);
    centre->setStretchFactor(0, 3);
    centre->setStretchFactor(1, 2);
    centre->setStretchFactor(2, 2);

    auto* main = new QSplitter(Qt::Horizontal);
    main->setObjectName(QStringLiteral("mainSplitter"));
    main->addWidget(m_setup);
    main->addWidget(centre);
    main->setStretchFactor(1, 1);
    setCentralWidget(main);

    auto* file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&Add corpus…"), this, &MainWindow::addCorpus);
    auto* system = file->addMenu(tr("Add &system corpus"));
    system->setObjectName(QStringLiteral("systemCorpusMenu"));
    for (const auto& sc : EngineBridge::systemCorpora()) {
        const QString name = QString::fromStdString(sc.name);
        auto* a = system->addAction(tr("%1 — %2 (%3 files, %4)")
                                        .arg(name, QString::fromStdString(sc.description))
                                        .arg(sc.files)
                                        .arg(QLocale().formattedDataSize(sc.bytes)),
                                    this, [this, name] { addSystemCorpus(name); });
        a->setObjectName(QStringLiteral("system-") + name);
    }
    if (system->isEmpty())
        system->addAction(tr("none found on this machine"))->setEnabled(false);
    file->addAction(tr("Corpus &statistics…"), this, &MainWindow::showCorpusStats);
    auto* designer = file->addAction(tr("Architecture &designer…"), this, &MainWindow::showDesigner);
    designer->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_D));
    file->addAction(tr("Train &tokenizer…"), this, [this] { trainTokenizer(m_setup->corpus()); });
    file->addAction(tr("Run s&weep file…"), this, [this] {
        m_plotTabs->setCurrentWidget(m_sweepView);
        m_sweepView->findChild<QPushButton*>(QStringLiteral("openSweep"))->click();
    });
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);
    auto* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About LM Workbench"), this, [this] {
        QMessageBox::about(this, tr("About LM Workbench"),
                           tr("<b>LM Workbench</b> %1<br>Design, train, shrink and compare small language models."
                              "<br>Catalog: %2")
                               .arg(QApplication::applicationVersion(),
                                    QString::fromStdString(m_bridge->catalogFile().string()).toHtmlEscaped()));
    });
    statusBar()->showMessage(tr("Catalog: %1").arg(QString::fromStdString(m_bridge->catalogFile().string())));
    resize(1280, 860);
}

void MainWindow::restoreSettings()
{
    QSettings s;
    if (const auto geo = s.value(QStringLiteral("window/geometry")).toByteArray(); !geo.isEmpty())
        restoreGeometry(geo);
    if (const auto st = s.value(QStringLiteral("window/state")).toByteArray(); !st.isEmpty())
        restoreState(st);
    m_setup->setPreset(s.value(QStringLiteral("run/preset"), QString::fromLatin1(kDefaultPreset)).toString());
    for (const auto& setting : trainSettings()) {
        const QString key = QStringLiteral("run/") + QString::fromStdString(setting.key);
        if (s.contains(key))
            m_setup->setSettingValue(setting.key, s.value(key).toString());
    }
    m_logScale->setChecked(s.value(QStringLiteral("plot/log"), false).toBool());
    m_queue->setProcessing(s.value(QStringLiteral("queue/process"), true).toBool());
    m_plotTabs->setCurrentIndex(s.value(QStringLiteral("window/plotTab"), 0).toInt());
    m_bottomTabs->setCurrentIndex(s.value(QStringLiteral("window/bottomTab"), 0).toInt());
    refreshCorpora(s.value(QStringLiteral("run/corpus"), QString::fromLatin1(kDefaultCorpusName)).toString());
    refreshTokenizers(s.value(QStringLiteral("run/tokenizer"), QString()).toString());
}

void MainWindow::saveSettings()
{
    QSettings s;
    s.setValue(QStringLiteral("window/geometry"), saveGeometry());
    s.setValue(QStringLiteral("window/state"), saveState());
    s.setValue(QStringLiteral("run/corpus"), m_setup->corpus());
    s.setValue(QStringLiteral("run/preset"), m_setup->preset());
    s.setValue(QStringLiteral("run/tokenizer"), m_setup->tokenizer());
    for (const auto& setting : trainSettings())
        s.setValue(QStringLiteral("run/") + QString::fromStdString(setting.key), m_setup->settingValue(setting.key));
    s.setValue(QStringLiteral("plot/log"), m_logScale->isChecked());
    s.setValue(QStringLiteral("queue/process"), m_queue->processing());
    s.setValue(QStringLiteral("window/plotTab"), m_plotTabs->currentIndex());
    s.setValue(QStringLiteral("window/bottomTab"), m_bottomTabs->currentIndex());
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    if (m_bridge->isTraining()) {
        const auto answer = QMessageBox::question(
            this, tr("Training in progress"),
            m_bridge->isQueueJob()
                ? tr("A queued run is still training. Quit? It goes back to the queue with a checkpoint and "
                     "continues at the next start.")
                : tr("A run is still training. Stop it (its checkpoint is kept) and quit?"));
        if (answer != QMessageBox::Yes) {
            event->ignore();
            return;
        }
    }
    saveSettings();
    event->accept();
}

void MainWindow::refreshCorpora(const QString& select)
{
    try {
        m_setup->setCorpora(m_bridge->corpora(), select);
    } catch (const std::exception& e) {
        QMessageBox::warning(this, tr("Catalog"), QString::fromStdString(e.what()));
    }
}

void MainWindow::refreshTokenizers(const QString& select)
{
    try {
        m_setup->setTokenizers(m_bridge->tokenizers(), select);
    } catch (const std::exception& e) {
        QMessageBox::warning(this, tr("Catalog"), QString::fromStdString(e.what()));
    }
}

void MainWindow::refreshRuns()
{
    try {
        const auto runs = m_bridge->runs();
        m_runs->setRuns(runs);
        // A run's status changes under a selection that stays (it stops,
        // finishes, is claimed by the queue): its actions follow it.
        if (m_resume)
            updateRunActions(runs);
    } catch (const std::exception& e) {
        QMessageBox::warning(this, tr("Catalog"), QString::fromStdString(e.what()));
    }
}

void MainWindow::importDefaultCorpusIfEmpty()
{
    if (!m_bridge->corpora().empty())
        return;
    const auto files = systemFortuneFiles();
    if (files.empty()) {
        m_stateLabel->setText(tr("No corpus yet: add UTF-8 text files with “Add…”."));
        return;
    }
    CorpusImportOptions opt;
    opt.name = kDefaultCorpusName;
    opt.paths = files;
    opt.format = TextFormat::Blocks;
    QString error;
    m_pendingCorpusSelection = QString::fromLatin1(kDefaultCorpusName);
    if (m_bridge->startImport(opt, &error)) {
        m_setup->setTraining(true); // Stop cancels the import
        m_stateLabel->setText(tr("Importing the default corpus (Debian fortunes)…"));
    }
}

std::optional<RunConfig> MainWindow::configFromSetup()
{
    // The same request the CLI makes from its options: one defaults policy
    // and one validation (settings/settings.h).
    RunRequest request;
    request.corpus = m_setup->corpus().toStdString();
    request.arch = m_setup->preset().toStdString();
    request.tokenizer = m_setup->tokenizer().toStdString();
    request.specJson = m_setup->designedSpec().toStdString();
    request.values = m_setup->settingValues();
    try {
        return buildRunConfig(request);
    } catch (const SettingError& e) {
        m_setup->showSettingError(e.key(), QString::fromStdString(e.what()));
        return std::nullopt;
    } catch (const std::exception& e) {
        QMessageBox::warning(this, tr("Cannot train"), QString::fromStdString(e.what()));
        return std::nullopt;
    }
}

void MainWindow::startTraining()
{
    const auto cfg = configFromSetup();
    if (!cfg)
        return;
    QString error;
    const auto runId = m_bridge->startTraining(*cfg, &error);
    if (!runId) {
        QMessageBox::warning(this, tr("Cannot train"), error);
        return;
    }
    beginLiveRun(runId);
}

void MainWindow::beginLiveRun(std::int64_t runId)
{
    m_liveRun = runId;
    m_shownRun = runId;
    m_plot->clearCurves();
    m_perfPlot->clearCurves();
    m_sample->clear();
    resetStatusPanel();
    m_stateLabel->setText(tr("run %1: starting…").arg(runId));
    m_setup->setTraining(true);
    refreshRuns();
    m_runs->selectRun(runId);
}

void MainWindow::stopTraining()
{
    if (m_bridge->isImporting()) {
        m_bridge->cancelImport();
        return;
    }
    m_bridge->stopTraining();
    m_stateLabel->setText(tr("run %1: stopping…").arg(m_liveRun));
}

void MainWindow::onImportProgress(double fraction, const QString& what)
{
    m_progress->setValue(static_cast<int>(fraction * 1000));
    m_progress->setFormat(what + QStringLiteral(" %p%"));
}

void MainWindow::onImportFinished(bool ok, const QString& name, const QString& error)
{
    m_setup->setTraining(false);
    m_progress->setValue(ok ? 1000 : 0);
    m_progress->setFormat(QStringLiteral("%p%"));
    if (!ok) {
        m_stateLabel->setText(tr("Import of %1 failed").arg(name));
        QMessageBox::warning(this, tr("Add corpus"), tr("The corpus “%1” was not added:\n\n%2").arg(name, error));
        return;
    }
    m_stateLabel->setText(tr("Corpus %1 ready: press Train").arg(name));
    refreshCorpora(m_pendingCorpusSelection);
    refreshTokenizers();
}

void MainWindow::onEvents(const EventBatch& batch)
{
    if (batch.runId != m_liveRun)
        return;
    const bool shown = m_shownRun == m_liveRun;
    QVector<double> steps, losses, evalSteps, ppls;
    const StepEvent* lastStep = nullptr;
    for (const auto& ev : batch.events) {
        if (const auto* s = std::get_if<StepEvent>(&ev)) {
            steps.push_back(static_cast<double>(s->step));
            losses.push_back(s->trainLoss);
            lastStep = s;
            if (shown)
                m_perfPlot->addPoint(static_cast<double>(s->step), s->dataMs, s->forwardMs, s->backwardMs, s->optimizerMs,
                                     s->utilisation, s->rssMb, s->tokensPerSec);
            if (shown && !s->lossTerms.empty())
                m_taskView->addLiveTerms(s->step, s->lossTerms);
            m_distillView->addLiveStep(batch.runId, *s);
        } else if (const auto* e = std::get_if<EvalEvent>(&ev)) {
            evalSteps.push_back(static_cast<double>(e->step));
            ppls.push_back(e->valPpl);
            m_distillView->addLiveEval(batch.runId, *e);
            const QLocale loc;
            const auto accuracy = std::find_if(e->taskMetrics.begin(), e->taskMetrics.end(),
                                               [](const auto& m) { return m.first == "accuracy"; });
            if (accuracy != e->taskMetrics.end())
                m_valLabel->setText(tr("loss %1, accuracy %2").arg(loc.toString(e->valLoss, 'f', 4), loc.toString(accuracy->second, 'f', 3)));
            else
                m_valLabel->setText(tr("loss %1, perplexity %2, %3 bits/char")
                                        .arg(loc.toString(e->valLoss, 'f', 4), loc.toString(e->valPpl, 'f', 3),
                                             loc.toString(e->valBpc, 'f', 4)));
        } else if (const auto* smp = std::get_if<SampleEvent>(&ev)) {
            if (shown)
                m_sample->setPlainText(tr("[step %1]").arg(smp->step) + QLatin1Char('\n')
                                       + QString::fromStdString(smp->prompt + smp->text));
        } else if (const auto* st = std::get_if<StateEvent>(&ev)) {
            if (st->status == RunStatus::Running) {
                m_stateLabel->setText(tr("run %1: training on %2").arg(batch.runId).arg(QString::fromStdString(st->device)));
                m_paramsLabel->setText(QLocale().toString(static_cast<qlonglong>(st->params)));
                m_sizeLabel->setText(QLocale().formattedDataSize(st->fp32Bytes));
                refreshRuns();
            }
        }
    }
    if (shown) {
        if (!steps.isEmpty())
            m_plot->addTrainLoss(steps, losses);
        if (!evalSteps.isEmpty())
            m_plot->addValidation(evalSteps, ppls);
    }
    if (lastStep) {
        m_stepLabel->setText(tr("%1 of %2").arg(QLocale().toString(static_cast<qlonglong>(lastStep->step)),
                                                QLocale().toString(static_cast<qlonglong>(lastStep->totalSteps))));
        m_speedLabel->setText(QLocale().toString(lastStep->tokensPerSec, 'f', 0));
        const QLocale loc;
        QString perf = tr("data %1 · forward %2 · backward %3 · optimizer %4 ms")
                           .arg(loc.toString(lastStep->dataMs, 'f', 1), loc.toString(lastStep->forwardMs, 'f', 1),
                                loc.toString(lastStep->backwardMs, 'f', 1), loc.toString(lastStep->optimizerMs, 'f', 1));
        perf += QLatin1Char('\n') + tr("%1 GFLOP/s").arg(loc.toString(lastStep->modelGflops, 'f', 1));
        if (lastStep->utilisation > 0)
            perf += QLatin1Char(' ') + tr("(%1 % of the matmul peak)").arg(loc.toString(100.0 * lastStep->utilisation, 'f', 0));
        perf += QStringLiteral(", ") + tr("%1 MB resident").arg(loc.toString(lastStep->rssMb, 'f', 0));
        m_perfLabel->setText(perf);
        m_etaLabel->setText(formatSeconds(lastStep->etaSeconds));
        m_progress->setFormat(QStringLiteral("%p%"));
        m_progress->setValue(static_cast<int>(1000.0 * static_cast<double>(lastStep->step)
                                              / static_cast<double>(std::max<std::int64_t>(1, lastStep->totalSteps))));
    }
}

void MainWindow::onTrainingEnded(qint64 runId, RunStatus status, const QString& error)
{
    m_setup->setTraining(false);
    m_liveRun = 0;
    m_etaLabel->setText(QStringLiteral("–"));
    m_stateLabel->setText(tr("run %1: %2").arg(runId).arg(RunsTable::statusText(status)));
    refreshRuns();
    m_distillView->refreshCard();
    if (status == RunStatus::Failed)
        QMessageBox::warning(this, tr("Run failed"), tr("Run %1 failed:\n\n%2").arg(runId).arg(error));
}

void MainWindow::resetStatusPanel()
{
    for (QLabel* l : {m_stepLabel, m_speedLabel, m_perfLabel, m_etaLabel, m_paramsLabel, m_sizeLabel, m_valLabel})
        l->setText(QStringLiteral("–"));
    m_progress->setValue(0);
}

} // namespace wb::ui
