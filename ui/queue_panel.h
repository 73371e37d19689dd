// SPDX-License-Identifier: GPL-3.0-or-later
// The run queue as a table: queued, paused and running runs in order, with
// pause, resume, cancel and reorder. The queue lives in the catalog, so runs
// queued with `lmwb queue add` or by another window appear here too.
#pragma once

#include "catalog/records.h"

#include <QWidget>

#include <vector>

class QCheckBox;
class QPushButton;
class QTableWidget;

namespace wb::ui {

class EngineBridge;

class QueuePanel : public QWidget {
    Q_OBJECT
public:
    explicit QueuePanel(EngineBridge* bridge, QWidget* parent = nullptr);
    // Re-reads the queue from the catalog (cheap; called about once a second).
    void refresh();
    // Whether this window trains queued runs when it has nothing to train.
    bool processing() const;
    void setProcessing(bool on);
    std::int64_t selectedRun() const;

signals:
    void changed(); // the queue changed here (a run paused, moved, ...)

private:
    void act(const QString& action);
    void move(int delta);
    void updateButtons();

    EngineBridge* m_bridge;
    QTableWidget* m_table = nullptr;
    QCheckBox* m_process = nullptr;
    QPushButton* m_pause = nullptr;
    QPushButton* m_resume = nullptr;
    QPushButton* m_cancel = nullptr;
    QPushButton* m_up = nullptr;
    QPushButton* m_down = nullptr;
    std::vector<RunRecord> m_runs;
};

} // namespace wb::ui
