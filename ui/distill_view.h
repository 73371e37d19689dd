// SPDX-License-Identifier: GPL-3.0-or-later
// The distillation cockpit for a distilled run: its loss terms (the soft
// term T^2 KL, the hard cross-entropy and their mix), the student's and the
// teacher's validation perplexity on one plot, top-1 agreement and KL
// between the two on a fixed validation batch, and a side-by-side card:
// teacher, student and (when it was trained) the same student without the
// teacher: parameters, size, tokens/s, perplexity, agreement.
#pragma once

#include "catalog/records.h"
#include "core/events.h"

#include <qcustomplot.h>

#include <QWidget>

class QLabel;
class QTableWidget;

namespace wb::ui {

class EngineBridge;

class DistillView : public QWidget {
    Q_OBJECT
public:
    explicit DistillView(EngineBridge* bridge, QWidget* parent = nullptr);
    // Shows a distilled run's curves and card; any other run says what the view is for.
    void showRun(std::int64_t runId);
    // A live run's events, added to the curves when it is the run shown.
    void addLiveStep(std::int64_t runId, const StepEvent& step);
    void addLiveEval(std::int64_t runId, const EvalEvent& eval);
    // The card again (a run finished: its final figures and its baseline).
    void refreshCard();

private:
    QCPGraph* graph(QCustomPlot* plot, int index) const { return plot->graph(index); }
    void replotAll();

    EngineBridge* m_bridge;
    std::int64_t m_run = 0;
    bool m_classify = false; // task distillation: accuracy where a language model has perplexity
    QLabel* m_summary;
    QCustomPlot* m_losses;
    QCustomPlot* m_ppl;
    QCustomPlot* m_agreement;
    QTableWidget* m_card;
};

} // namespace wb::ui
