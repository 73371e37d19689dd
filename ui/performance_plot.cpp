// SPDX-License-Identifier: GPL-3.0-or-later
#include "performance_plot.h"

namespace wb::ui {

PerformancePlot::PerformancePlot(QWidget* parent) : QCustomPlot(parent)
{
    setObjectName(QStringLiteral("performancePlot"));
    const QString names[4] = {tr("data"), tr("forward"), tr("backward"), tr("optimizer")};
    const QColor colors[4] = {QColor(120, 120, 120), QColor(40, 110, 190), QColor(200, 90, 30), QColor(60, 150, 60)};
    for (int i = 0; i < 4; ++i) {
        m_phase[i] = addGraph(xAxis, yAxis);
        m_phase[i]->setName(names[i] + tr(" (ms/step)"));
        m_phase[i]->setPen(QPen(colors[i], 1.5));
    }
    m_util = addGraph(xAxis, yAxis2);
    m_util->setName(tr("utilisation (% of the matmul peak)"));
    m_util->setPen(QPen(QColor(150, 60, 160), 1.5, Qt::DashLine));
    xAxis->setLabel(tr("step"));
    yAxis->setLabel(tr("milliseconds per step"));
    yAxis2->setLabel(tr("% of the matmul peak"));
    yAxis2->setVisible(true);
    legend->setVisible(true);
    legend->setFont(font());
    axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);
}

void PerformancePlot::clearCurves()
{
    for (auto* g : m_phase)
        g->data()->clear();
    m_util->data()->clear();
    replot(rpQueuedReplot);
}

void PerformancePlot::addPoint(double step, double dataMs, double forwardMs, double backwardMs, double optimizerMs,
                               double utilisation)
{
    const double v[4] = {dataMs, forwardMs, backwardMs, optimizerMs};
    for (int i = 0; i < 4; ++i)
        m_phase[i]->addData(step, v[i]);
    if (utilisation > 0)
        m_util->addData(step, 100.0 * utilisation);
    rescaleAxes();
    yAxis->setRangeLower(0);
    yAxis2->setRangeLower(0);
    replot(rpQueuedReplot);
}

int PerformancePlot::pointCount() const
{
    return m_phase[1]->dataCount();
}

} // namespace wb::ui
