// SPDX-License-Identifier: GPL-3.0-or-later
// Live training curves: training loss (raw and smoothed) on the left axis,
// validation perplexity on the right, against the step. Data is appended in
// batches (already sorted); one queued replot per frame from a single timer.
#pragma once

#include <qcustomplot.h>

#include <QElapsedTimer>
#include <QTimer>

namespace wb::ui {

class TrainingPlot : public QCustomPlot {
    Q_OBJECT
public:
    explicit TrainingPlot(QWidget* parent = nullptr);

    void clearCurves();
    void addTrainLoss(const QVector<double>& steps, const QVector<double>& losses);
    void addValidation(const QVector<double>& steps, const QVector<double>& perplexities);
    void setLogScale(bool on);
    bool logScale() const { return m_log; }

    int trainPointCount() const;
    int validationPointCount() const;
    // Fits the axes to the curves now (also done by the frame timer).
    void rescale();

private:
    void onFrame();
    void fitPerplexityAxis();

    QCPGraph* m_raw = nullptr;
    QCPGraph* m_smooth = nullptr;
    QCPGraph* m_ppl = nullptr;
    double m_ema = 0;
    int m_emaCount = 0;
    bool m_log = false;
    bool m_dirty = false;      // needs a replot
    bool m_stale = false;      // the axes need a rescale
    int m_pointsAtRescale = 0; // training points when the axes were last fitted
    QTimer m_frameTimer;
    QElapsedTimer m_sinceRescale;
};

} // namespace wb::ui
