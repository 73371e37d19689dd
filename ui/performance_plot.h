// SPDX-License-Identifier: GPL-3.0-or-later
// Where a run's step time goes, live: milliseconds per step for data,
// forward, backward and optimizer (left axis) and model FLOP/s as a share
// of the machine's matmul peak (right axis); below, the process's resident
// memory in megabytes (left) and training tokens per second (right).
#pragma once

#include <qcustomplot.h>

namespace wb::ui {

class PerformancePlot : public QCustomPlot {
    Q_OBJECT
public:
    explicit PerformancePlot(QWidget* parent = nullptr);
    void clearCurves();
    // One point per step; utilisation as a fraction (0..1), 0 when unknown.
    // rssMb: resident memory, 0 when unknown.
    void addPoint(double step, double dataMs, double forwardMs, double backwardMs, double optimizerMs, double utilisation,
                  double rssMb, double tokensPerSec);
    int memoryPointCount() const;
    int pointCount() const;

private:
    QCPGraph* m_phase[4] = {};
    QCPGraph* m_util = nullptr;
    QCPAxisRect* m_memRect = nullptr;
    QCPGraph* m_mem = nullptr;
    QCPGraph* m_tokens = nullptr;
};

} // namespace wb::ui
