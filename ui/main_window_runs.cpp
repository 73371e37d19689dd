// SPDX-License-Identifier: GPL-3.0-or-later
// The main window's actions on a stored run: show it, resume it, fine-tune it.
#include "main_window.h"

#include "engine_bridge.h"
#include "distill_dialog.h"
#include "distill_view.h"
#include "variant_board.h"
#include "whatif_view.h"
#include "finetune_dialog.h"
#include "performance_plot.h"
#include "run_setup_panel.h"
#include "runs_table.h"
#include "task_view.h"
#include "training_plot.h"

#include <QLabel>
#include <QProgressBar>
#include <QLocale>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QStatusBar>

#include <algorithm>
#include <map>
#include <optional>

namespace wb::ui {

void MainWindow::finetuneSelectedRun()
{
    if (!m_shownRun || m_bridge->isTraining())
        return;
    FinetuneDialog dialog(m_bridge, m_shownRun, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    startFinetune(dialog.request());
}

void MainWindow::distillSelectedRun()
{
    if (!m_shownRun || m_bridge->isTraining())
        return;
    DistillDialog dialog(m_bridge, m_shownRun, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    startDistill(dialog.request(), dialog.baseline());
}

void MainWindow::startDistill(const DistillRequest& request, bool baseline)
{
    QString error;
    const auto runId = m_bridge->startDistill(request, baseline, &error);
    if (!runId) {
        QMessageBox::warning(this, tr("Cannot distil"), error);
        return;
    }
    m_finetune->setEnabled(false);
    m_distill->setEnabled(false);
    m_resume->setEnabled(false);
    m_setup->setTraining(true);
    m_liveRun = runId;
    refreshRuns();
    m_runs->selectRun(runId);
    m_stateLabel->setText(tr("run %1: distilling run %2…").arg(runId).arg(request.teacher));
}

void MainWindow::startFinetune(const FinetuneRequest& request)
{
    QString error;
    const auto runId = m_bridge->startFinetune(request, &error);
    if (!runId) {
        QMessageBox::warning(this, tr("Cannot fine-tune"), error);
        return;
    }
    m_finetune->setEnabled(false);
    m_resume->setEnabled(false);
    m_setup->setTraining(true);
    m_liveRun = runId;
    refreshRuns();
    m_runs->selectRun(runId);
    m_stateLabel->setText(tr("run %1: fine-tuning run %2…").arg(runId).arg(request.parent));
}

void MainWindow::resumeSelectedRun()
{
    if (!m_shownRun || m_bridge->isTraining())
        return;
    QString error;
    QStringList notices;
    const auto runId = m_bridge->resumeTraining(m_shownRun, &error, &notices);
    if (!runId) {
        QMessageBox::warning(this, tr("Cannot resume"), error);
        return;
    }
    if (!notices.isEmpty())
        statusBar()->showMessage(notices.join(QLatin1Char(' ')), 15000);
    m_liveRun = runId;
    m_resume->setEnabled(false);
    m_stateLabel->setText(tr("run %1: resuming…").arg(runId));
    m_setup->setTraining(true);
    refreshRuns();
    m_runs->selectRun(runId);
}

void MainWindow::updateRunActions(const std::vector<RunRecord>& runs)
{
    bool resumable = false, adaptable = false, deletable = false;
    for (const auto& r : runs)
        if (r.id == m_shownRun) {
            resumable = r.status == status::kStopped || r.status == status::kInterrupted || r.status == status::kDiverged;
            adaptable = r.status == status::kFinished || r.status == status::kStopped;
            deletable = r.status != status::kRunning && r.status != status::kPaused;
        }
    const bool idle = !m_bridge->isTraining();
    if (m_delete)
        m_delete->setEnabled(deletable && idle);
    m_resume->setEnabled(resumable && idle);
    m_finetune->setEnabled(adaptable && idle);
    m_distill->setEnabled(adaptable && idle);
}

void MainWindow::deleteSelectedRun()
{
    const std::int64_t run = m_shownRun;
    if (run <= 0)
        return;
    const int children = m_bridge->descendantCount(run);
    const QString text = children == 0
                             ? tr("Delete run %1 with its checkpoints, metrics and samples? This cannot be undone.").arg(run)
                             : tr("Runs built on run %1 (fine-tuned, distilled or compressed from it): %2. Delete run %1 "
                                  "and all of them, with their checkpoints, metrics and samples? This cannot be undone.")
                                   .arg(run)
                                   .arg(children);
    if (QMessageBox::question(this, tr("Delete run"), text) != QMessageBox::Yes)
        return;
    QString error;
    const auto deleted = m_bridge->deleteRun(run, children > 0, &error);
    if (deleted.empty()) {
        QMessageBox::warning(this, tr("Delete run"), error);
        return;
    }
    m_shownRun = 0;
    refreshRuns();
    m_plot->clearCurves();
    m_perfPlot->clearCurves();
    // Every view moves to a run that exists: the newest one left.
    if (const auto left = m_bridge->runs(); !left.empty()) {
        std::int64_t newest = 0;
        for (const auto& r : left)
            newest = std::max(newest, r.id);
        m_runs->selectRun(newest);
        showRun(newest);
    }
    m_stateLabel->setText(deleted.size() == 1 ? tr("Run %1 deleted").arg(run)
                                              : tr("Run %1 and the runs built on it deleted (%2 runs in all)")
                                                    .arg(run)
                                                    .arg(deleted.size()));
}

// Shows a stored or live run: its curves, status, sample and task.
void MainWindow::showRun(qint64 runId)
{
    const bool same = runId == m_shownRun;
    m_shownRun = runId;
    const auto runs = m_bridge->runs();
    if (m_resume)
        updateRunActions(runs);
    if (same)
        return;
    m_taskView->showRun(runId);
    m_distillView->showRun(runId);
    m_board->showRuns({runId});
    if (m_plotTabs->currentWidget() == m_whatIf)
        m_whatIf->showRun(runId);
    m_plot->clearCurves();
    m_perfPlot->clearCurves();
    m_sample->clear();
    try {
        QVector<double> steps, losses, evalSteps, ppls;
        double valLoss = 0;
        std::optional<double> valBpc, valAccuracy;
        std::map<std::int64_t, std::map<std::string, double>> perf; // step -> series -> value
        for (const auto& m : m_bridge->metrics(runId)) { // ordered by name, then step
            if (m.name == "train_loss") {
                steps.push_back(static_cast<double>(m.step));
                losses.push_back(m.value);
            } else if (m.name == "val_ppl") {
                evalSteps.push_back(static_cast<double>(m.step));
                ppls.push_back(m.value);
            } else if (m.name == "val_loss") {
                valLoss = m.value;
            } else if (m.name == "val_bpc") {
                valBpc = m.value;
            } else if (m.name == "val_accuracy") {
                valAccuracy = m.value;
            } else if (m.name.rfind("time_", 0) == 0 || m.name == "utilisation" || m.name == "rss_mb"
                       || m.name == "tokens_per_s") {
                perf[m.step][m.name] = m.value;
            }
        }
        for (const auto& [step, v] : perf) {
            auto at = [&](const char* k) { const auto it = v.find(k); return it == v.end() ? 0.0 : it->second; };
            m_perfPlot->addPoint(static_cast<double>(step), at("time_data_ms"), at("time_forward_ms"),
                                 at("time_backward_ms"), at("time_optimizer_ms"), at("utilisation"), at("rss_mb"),
                                 at("tokens_per_s"));
        }
        if (runId != m_liveRun) {
            // A stored run: the status panel describes it, not a live one.
            resetStatusPanel();
            const QLocale loc;
            if (!steps.isEmpty())
                m_stepLabel->setText(loc.toString(static_cast<qlonglong>(steps.back())));
            if (valAccuracy) // a classifier: its loss is per document, it has no bits per character
                m_valLabel->setText(tr("loss %1, accuracy %2").arg(loc.toString(valLoss, 'f', 4), loc.toString(*valAccuracy, 'f', 3)));
            else if (!ppls.isEmpty() && valBpc)
                m_valLabel->setText(tr("loss %1, perplexity %2, %3 bits/char")
                                        .arg(loc.toString(valLoss, 'f', 4), loc.toString(ppls.back(), 'f', 3),
                                             loc.toString(*valBpc, 'f', 4)));
            for (const auto& r : runs) {
                if (r.id != runId)
                    continue;
                // Where it stands against the steps it was set: "384 of 2,000", 19 %.
                std::int64_t total = 0;
                try {
                    total = RunConfig::fromJson(r.config).train.steps;
                } catch (const std::exception&) { // an unreadable config: the step alone
                }
                if (!steps.isEmpty() && total > 0) {
                    const auto done = static_cast<qlonglong>(steps.back());
                    m_stepLabel->setText(tr("%1 of %2").arg(loc.toString(done), loc.toString(static_cast<qlonglong>(total))));
                    m_progress->setFormat(QStringLiteral("%p%"));
                    m_progress->setValue(static_cast<int>(1000.0 * static_cast<double>(std::min<qlonglong>(done, total))
                                                          / static_cast<double>(total)));
                }
                if (!r.params)
                    continue;
                m_paramsLabel->setText(loc.toString(static_cast<qlonglong>(*r.params)));
                m_sizeLabel->setText(loc.formattedDataSize(fp32Bytes(*r.params)));
                if (!m_liveRun)
                    m_stateLabel->setText(tr("run %1: %2").arg(runId).arg(RunsTable::statusText(r.status)));
            }
        }
        m_plot->addTrainLoss(steps, losses);
        m_plot->addValidation(evalSteps, ppls);
        const auto samples = m_bridge->samples(runId);
        if (!samples.empty())
            m_sample->setPlainText(tr("[step %1]").arg(samples.back().step) + QLatin1Char('\n')
                                   + QString::fromStdString(samples.back().prompt + samples.back().text));
    } catch (const std::exception& e) {
        QMessageBox::warning(this, tr("Catalog"), QString::fromStdString(e.what()));
    }
}

} // namespace wb::ui
