// SPDX-License-Identifier: GPL-3.0-or-later
// Sweeps together: a table of a sweep's runs sorted by validation loss (the
// swept values in columns) and their validation curves overlaid.
#pragma once

#include <QWidget>

#include <cstdint>

class QComboBox;
class QCustomPlot;
class QLabel;
class QTableWidget;

namespace wb::ui {

class EngineBridge;

class SweepView : public QWidget {
    Q_OBJECT
public:
    explicit SweepView(EngineBridge* bridge, QWidget* parent = nullptr);
    // Re-reads the sweep list and the shown sweep's results.
    void refresh();
    void showSweep(std::int64_t sweepId);
    std::int64_t shownSweep() const;
    int rowCount() const;
    int curveCount() const;

signals:
    void runSelected(qint64 runId);
    void sweepQueued(qint64 sweepId);

private:
    void openSweepFile();
    void reloadResults();

    EngineBridge* m_bridge;
    QComboBox* m_sweeps = nullptr;
    QLabel* m_summary = nullptr;
    QTableWidget* m_table = nullptr;
    QCustomPlot* m_plot = nullptr;
};

} // namespace wb::ui
