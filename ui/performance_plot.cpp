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

    // Memory below, on the same steps, its left edge aligned with the plot above.
    m_memRect = new QCPAxisRect(this);
    plotLayout()->addElement(1, 0, m_memRect);
    plotLayout()->setRowStretchFactor(1, 0.6);
    auto* margins = new QCPMarginGroup(this);
    axisRect()->setMarginGroup(QCP::msLeft | QCP::msRight, margins);
    m_memRect->setMarginGroup(QCP::msLeft | QCP::msRight, margins);
    m_memRect->axis(QCPAxis::atRight)->setVisible(true);
    m_memRect->axis(QCPAxis::atRight)->setLabel(tr("tokens/s"));
    m_mem = addGraph(m_memRect->axis(QCPAxis::atBottom), m_memRect->axis(QCPAxis::atLeft));
    m_mem->setName(tr("resident memory (MB)"));
    m_mem->setPen(QPen(QColor(30, 140, 140), 1.5));
    m_mem->setBrush(QColor(30, 140, 140, 40));
    m_memRect->axis(QCPAxis::atLeft)->setLabel(tr("memory (MB)"));
    m_tokens = addGraph(m_memRect->axis(QCPAxis::atBottom), m_memRect->axis(QCPAxis::atRight));
    m_tokens->setName(tr("tokens/s"));
    m_tokens->setPen(QPen(QColor(190, 60, 60), 1.2));
    // No legend in the strip: each axis is drawn in its curve's colour.
    m_mem->removeFromLegend();
    m_tokens->removeFromLegend();
    for (auto [axis, color] : {std::pair{m_memRect->axis(QCPAxis::atLeft), QColor(30, 140, 140)},
                               std::pair{m_memRect->axis(QCPAxis::atRight), QColor(190, 60, 60)}}) {
        axis->setLabelColor(color);
        axis->setTickLabelColor(color);
        axis->setBasePen(QPen(color));
        axis->setTickPen(QPen(color));
        axis->setSubTickPen(QPen(color));
    }
    m_memRect->axis(QCPAxis::atBottom)->setLabel(tr("step"));
    connect(xAxis, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), m_memRect->axis(QCPAxis::atBottom),
            qOverload<const QCPRange&>(&QCPAxis::setRange));
    xAxis->setLabel(QString());
}

void PerformancePlot::clearCurves()
{
    for (auto* g : m_phase)
        g->data()->clear();
    m_util->data()->clear();
    m_mem->data()->clear();
    m_tokens->data()->clear();
    replot(rpQueuedReplot);
}

void PerformancePlot::addPoint(double step, double dataMs, double forwardMs, double backwardMs, double optimizerMs,
                               double utilisation, double rssMb, double tokensPerSec)
{
    if (rssMb > 0)
        m_mem->addData(step, rssMb);
    if (tokensPerSec > 0)
        m_tokens->addData(step, tokensPerSec);
    const double v[4] = {dataMs, forwardMs, backwardMs, optimizerMs};
    for (int i = 0; i < 4; ++i)
        m_phase[i]->addData(step, v[i]);
    if (utilisation > 0)
        m_util->addData(step, 100.0 * utilisation);
    rescaleAxes();
    yAxis->setRangeLower(0);
    yAxis2->setRangeLower(0);
    m_mem->rescaleValueAxis();
    m_memRect->axis(QCPAxis::atLeft)->setRangeLower(0);
    m_memRect->axis(QCPAxis::atLeft)->setRangeUpper(m_memRect->axis(QCPAxis::atLeft)->range().upper * 1.1);
    m_tokens->rescaleValueAxis();
    m_memRect->axis(QCPAxis::atRight)->setRangeLower(0);
    replot(rpQueuedReplot);
}

int PerformancePlot::memoryPointCount() const
{
    return m_mem->dataCount();
}

int PerformancePlot::pointCount() const
{
    return m_phase[1]->dataCount();
}

} // namespace wb::ui
