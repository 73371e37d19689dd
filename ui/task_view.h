// SPDX-License-Identifier: GPL-3.0-or-later
// A fine-tuned run's task at a glance: its metrics beside the majority
// baseline, the confusion matrix as a heatmap and the per-class table
// (classify), the generated answers beside their references (pairs), the
// curves of each loss term (mtl, smart), and every run fine-tuned from the
// same parent compared: method, trainable parameters, stored bytes, time,
// metric.
#pragma once

#include "catalog/records.h"

#include <qcustomplot.h>

#include <QWidget>

#include <vector>

class QLabel;
class QTableWidget;
class QStackedWidget;

namespace wb::ui {

class EngineBridge;

class TaskView : public QWidget {
    Q_OBJECT
public:
    explicit TaskView(EngineBridge* bridge, QWidget* parent = nullptr);
    // Shows the run (and its family of runs); a run without fine-tuning says so.
    void showRun(std::int64_t runId);
    // A training run's loss terms as they arrive (the live curves).
    void addLiveTerms(std::int64_t step, const std::vector<std::pair<std::string, double>>& terms);

private:
    void showReport(const RunRecord& run);
    void showTerms(std::int64_t runId);
    void showFamily(const RunRecord& run, const std::vector<RunRecord>& all);
    QCPGraph* termGraph(const std::string& name);

    EngineBridge* m_bridge;
    QLabel* m_summary;
    QStackedWidget* m_detail;
    QCustomPlot* m_heatmap;
    QTableWidget* m_classes;
    QTableWidget* m_answers;
    QCustomPlot* m_terms;
    QTableWidget* m_family;
};

} // namespace wb::ui
