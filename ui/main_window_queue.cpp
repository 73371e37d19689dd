// SPDX-License-Identifier: GPL-3.0-or-later
// The main window's run queue and sweeps: queueing the run the setup panel
// describes, and a once-a-second tick that refreshes the queue and sweep
// views and starts the next queued run when this window trains nothing.
#include "main_window.h"

#include "engine_bridge.h"
#include "queue_panel.h"
#include "run_setup_panel.h"
#include "runs_table.h"
#include "sweep_view.h"

#include <QMessageBox>
#include <QStatusBar>
#include <QTabWidget>

namespace wb::ui {

void MainWindow::queueRun()
{
    const auto cfg = configFromSetup();
    if (!cfg)
        return;
    QString error;
    const auto runId = m_bridge->enqueue(*cfg, &error);
    if (!runId) {
        QMessageBox::warning(this, tr("Cannot queue the run"), error);
        return;
    }
    statusBar()->showMessage(tr("Run %1 queued").arg(runId), 5000);
    refreshRuns();
    queueTick();
}

void MainWindow::queueTick()
{
    m_queue->refresh();
    if (m_queue->processing() && !m_bridge->isTraining()) {
        std::int64_t id = m_bridge->startNextQueued("cpu");
        if (!id && EngineBridge::cudaAvailable())
            id = m_bridge->startNextQueued("cuda");
        if (id) {
            beginLiveRun(id);
            m_queue->refresh();
        }
    }
    // The sweeps view reads every run's curve: only while it is shown.
    if (m_plotTabs->currentWidget() == m_sweepView && ++m_tick % 2 == 0)
        m_sweepView->refresh();
}

} // namespace wb::ui
