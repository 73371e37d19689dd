// SPDX-License-Identifier: GPL-3.0-or-later
// The main window's actions on a stored run: resume it, fine-tune it.
#include "main_window.h"

#include "engine_bridge.h"
#include "finetune_dialog.h"
#include "run_setup_panel.h"
#include "runs_table.h"

#include <QLabel>
#include <QMessageBox>
#include <QPushButton>

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
    const auto runId = m_bridge->resumeTraining(m_shownRun, &error);
    if (!runId) {
        QMessageBox::warning(this, tr("Cannot resume"), error);
        return;
    }
    m_liveRun = runId;
    m_resume->setEnabled(false);
    m_stateLabel->setText(tr("run %1: resuming…").arg(runId));
    m_setup->setTraining(true);
    refreshRuns();
    m_runs->selectRun(runId);
}

} // namespace wb::ui
