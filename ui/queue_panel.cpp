// SPDX-License-Identifier: GPL-3.0-or-later
#include "queue_panel.h"

#include "engine_bridge.h"
#include "runs_table.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QMessageBox>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace wb::ui {

QueuePanel::QueuePanel(EngineBridge* bridge, QWidget* parent) : QWidget(parent), m_bridge(bridge)
{
    setObjectName(QStringLiteral("queuePanel"));
    m_table = new QTableWidget(0, 6);
    m_table->setObjectName(QStringLiteral("queueTable"));
    m_table->setHorizontalHeaderLabels({tr("#"), tr("Run"), tr("Status"), tr("Corpus"), tr("Architecture"), tr("Sweep")});
    m_table->verticalHeader()->setVisible(false);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);

    m_process = new QCheckBox(tr("Train queued runs"));
    m_process->setObjectName(QStringLiteral("processQueue"));
    m_process->setToolTip(tr("When this window trains nothing, take the next queued run (one per device at a time; "
                             "`lmwb queue run` can share the queue)"));
    m_process->setChecked(true);
    auto button = [this](const QString& text, const char* name, const QString& tip) {
        auto* b = new QPushButton(text);
        b->setObjectName(QLatin1String(name));
        b->setToolTip(tip);
        return b;
    };
    m_pause = button(tr("&Pause"), "queuePause", tr("Hold a queued run; a running one saves a checkpoint and waits"));
    m_resume = button(tr("Re&sume"), "queueResume", tr("Put a paused, stopped or interrupted run back in the queue"));
    m_cancel = button(tr("&Cancel"), "queueCancel", tr("Take the run out of the queue (a running one stops after a checkpoint)"));
    m_up = button(tr("Move &up"), "queueUp", tr("Train this run earlier"));
    m_down = button(tr("Move do&wn"), "queueDown", tr("Train this run later"));
    connect(m_pause, &QPushButton::clicked, this, [this] { act(QStringLiteral("pause")); });
    connect(m_resume, &QPushButton::clicked, this, [this] { act(QStringLiteral("resume")); });
    connect(m_cancel, &QPushButton::clicked, this, [this] { act(QStringLiteral("cancel")); });
    connect(m_up, &QPushButton::clicked, this, [this] { move(-1); });
    connect(m_down, &QPushButton::clicked, this, [this] { move(+1); });
    connect(m_table, &QTableWidget::itemSelectionChanged, this, &QueuePanel::updateButtons);

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_process);
    buttons->addStretch(1);
    for (auto* b : {m_pause, m_resume, m_cancel, m_up, m_down})
        buttons->addWidget(b);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_table, 1);
    layout->addLayout(buttons);
    updateButtons();
}

bool QueuePanel::processing() const
{
    return m_process->isChecked();
}

void QueuePanel::setProcessing(bool on)
{
    m_process->setChecked(on);
}

std::int64_t QueuePanel::selectedRun() const
{
    const int row = m_table->currentRow();
    return row >= 0 && row < static_cast<int>(m_runs.size()) && m_table->selectionModel()->hasSelection()
               ? m_runs[static_cast<std::size_t>(row)].id
               : 0;
}

void QueuePanel::refresh()
{
    const std::int64_t keep = selectedRun();
    std::vector<RunRecord> runs;
    try {
        runs = m_bridge->queue();
    } catch (const std::exception&) {
        return; // busy catalog: next tick
    }
    bool same = runs.size() == m_runs.size();
    for (std::size_t i = 0; same && i < runs.size(); ++i)
        same = runs[i].id == m_runs[i].id && runs[i].status == m_runs[i].status && runs[i].control == m_runs[i].control;
    if (same)
        return;
    m_runs = std::move(runs);
    m_table->setRowCount(static_cast<int>(m_runs.size()));
    for (int r = 0; r < static_cast<int>(m_runs.size()); ++r) {
        const auto& run = m_runs[static_cast<std::size_t>(r)];
        QString status = RunsTable::statusText(run.status);
        if (run.control)
            status += run.control == "pause" ? tr(" (pausing)") : tr(" (cancelling)");
        const QString cells[] = {QString::number(r + 1), QString::number(run.id), status,
                                 QString::fromStdString(run.corpusName), QString::fromStdString(run.arch),
                                 run.sweepId ? QString::number(*run.sweepId) : QString()};
        for (int c = 0; c < 6; ++c)
            m_table->setItem(r, c, new QTableWidgetItem(cells[c]));
        if (run.id == keep)
            m_table->selectRow(r);
    }
    updateButtons();
}

void QueuePanel::updateButtons()
{
    const std::int64_t id = selectedRun();
    const RunRecord* run = nullptr;
    for (const auto& r : m_runs)
        if (r.id == id)
            run = &r;
    const bool waiting = run && (run->status == status::kQueued || run->status == status::kPaused);
    m_pause->setEnabled(run && run->status != status::kPaused && !run->control);
    m_resume->setEnabled(run && run->status == status::kPaused);
    m_cancel->setEnabled(run && !run->control);
    m_up->setEnabled(waiting);
    m_down->setEnabled(waiting);
}

void QueuePanel::act(const QString& action)
{
    const std::int64_t id = selectedRun();
    if (!id)
        return;
    QString error;
    if (!m_bridge->controlRun(id, action, &error))
        QMessageBox::warning(this, tr("Queue"), error);
    m_runs.clear(); // force a redraw
    refresh();
    emit changed();
}

void QueuePanel::move(int delta)
{
    const std::int64_t id = selectedRun();
    if (!id)
        return;
    // Positions among the waiting runs (running ones are not reordered).
    int index = 0, waiting = 0;
    for (const auto& r : m_runs) {
        if (r.status == status::kRunning)
            continue;
        if (r.id == id)
            index = waiting;
        ++waiting;
    }
    QString error;
    if (!m_bridge->moveInQueue(id, std::max(0, index + delta), &error))
        QMessageBox::warning(this, tr("Queue"), error);
    m_runs.clear();
    refresh();
    emit changed();
}

} // namespace wb::ui
