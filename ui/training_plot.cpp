// SPDX-License-Identifier: GPL-3.0-or-later
#include "training_plot.h"

#include <algorithm>
#include <cmath>

namespace wb::ui {

namespace {
constexpr double kSmoothing = 0.9; // EMA factor, debiased as in TensorBoard
constexpr int kFrameMs = 50;       // at most 20 redraws a second
} // namespace

TrainingPlot::TrainingPlot(QWidget* parent) : QCustomPlot(parent)
{
    setObjectName(QStringLiteral("trainingPlot"));
    setMinimumSize(420, 260);
    setNoAntialiasingOnDrag(true);
    setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    setPlottingHint(QCP::phFastPolylines, true);

    xAxis->setLabel(tr("step"));
    yAxis->setLabel(tr("training loss (nats/token)"));
    // Hidden until the first evaluation; perplexity is at least 1.
    yAxis2->setVisible(false);
    yAxis2->setLabel(tr("validation perplexity"));
    yAxis2->setRange(1, 10);

    m_raw = addGraph(xAxis, yAxis);
    m_raw->setName(tr("training loss"));
    m_raw->setPen(QPen(QColor(70, 130, 180, 90), 1));

    m_smooth = addGraph(xAxis, yAxis);
    m_smooth->setName(tr("training loss (smoothed)"));
    m_smooth->setPen(QPen(QColor(31, 80, 140), 2));

    m_ppl = addGraph(xAxis, yAxis2);
    m_ppl->setName(tr("validation perplexity"));
    m_ppl->setPen(QPen(QColor(214, 110, 20), 2));
    m_ppl->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, 6));

    legend->setVisible(true);
    legend->setBrush(QColor(255, 255, 255, 210));
    axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);

    m_frameTimer.setInterval(kFrameMs);
    connect(&m_frameTimer, &QTimer::timeout, this, &TrainingPlot::onFrame);
    m_frameTimer.start();
    m_sinceRescale.start();
}

void TrainingPlot::clearCurves()
{
    m_raw->data()->clear();
    m_smooth->data()->clear();
    m_ppl->data()->clear();
    m_ema = 0;
    m_emaCount = 0;
    m_dirty = true;
    rescale();
}

void TrainingPlot::addTrainLoss(const QVector<double>& steps, const QVector<double>& losses)
{
    QVector<double> smooth;
    smooth.reserve(losses.size());
    for (double l : losses) {
        m_ema = kSmoothing * m_ema + (1 - kSmoothing) * l;
        ++m_emaCount;
        smooth.push_back(m_ema / (1 - std::pow(kSmoothing, m_emaCount)));
    }
    m_raw->addData(steps, losses, /*alreadySorted=*/true);
    m_smooth->addData(steps, smooth, /*alreadySorted=*/true);
    m_dirty = m_stale = true;
}

void TrainingPlot::addValidation(const QVector<double>& steps, const QVector<double>& perplexities)
{
    m_ppl->addData(steps, perplexities, /*alreadySorted=*/true);
    m_dirty = m_stale = true;
}

void TrainingPlot::setLogScale(bool on)
{
    m_log = on;
    for (QCPAxis* axis : {yAxis, yAxis2}) {
        axis->setScaleType(on ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
        if (on)
            axis->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
        else
            axis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
    }
    rescale();
}

int TrainingPlot::trainPointCount() const
{
    return m_raw->dataCount();
}

int TrainingPlot::validationPointCount() const
{
    return m_ppl->dataCount();
}

void TrainingPlot::onFrame()
{
    // Rescaling walks all points: at most once a second while data streams,
    // but at once for a few points or when the curve has more than doubled
    // since the last fit (a stored run loaded after clearCurves()). A stale
    // fit stays pending until it happens.
    const int n = m_raw->dataCount();
    if (m_stale && (m_sinceRescale.elapsed() > 1000 || n < 50 || n > 2 * m_pointsAtRescale)) {
        rescale();
        return;
    }
    if (m_dirty) {
        m_dirty = false;
        replot(QCustomPlot::rpQueuedReplot);
    }
}

void TrainingPlot::fitPerplexityAxis()
{
    yAxis2->setVisible(m_ppl->dataCount() > 0);
    if (m_ppl->dataCount() == 0)
        return;
    bool found = false;
    QCPRange r = m_ppl->getValueRange(found);
    if (!found)
        return;
    // Perplexity is at least 1: the axis never goes below it, and one point
    // (or a flat line) gets a range of +-20% around it.
    double lo = r.lower, hi = r.upper;
    if (hi - lo <= 1e-9 * hi) {
        lo = hi / 1.2;
        hi = hi * 1.2;
    }
    if (m_log) {
        lo /= 1.1;
        hi *= 1.1;
    } else {
        const double margin = 0.05 * (hi - lo);
        lo -= margin;
        hi += margin;
    }
    yAxis2->setRange(std::max(1.0, lo), std::max(hi, 1.0 + 1e-6));
}

void TrainingPlot::rescale()
{
    // The step axis is shared: the second graph may only enlarge it.
    m_raw->rescaleKeyAxis();
    m_ppl->rescaleKeyAxis(m_raw->dataCount() > 0);
    m_raw->rescaleValueAxis();
    m_smooth->rescaleValueAxis(true);
    // Leave a margin so the newest point is never on the border.
    QCPRange r = yAxis->range();
    if (r.size() <= 1e-9 * std::max(1.0, std::abs(r.center()))) {
        // One point (or a flat line): centre it in a range of +-20%.
        const double c = r.center() != 0 ? r.center() : 1.0;
        r = QCPRange(c - 0.2 * std::abs(c), c + 0.2 * std::abs(c));
    }
    if (m_log)
        yAxis->setRange(r.lower / 1.1, r.upper * 1.1);
    else
        yAxis->setRange(r.lower - 0.05 * r.size(), r.upper + 0.05 * r.size());
    fitPerplexityAxis();
    m_sinceRescale.restart();
    m_pointsAtRescale = m_raw->dataCount();
    m_stale = m_dirty = false;
    replot(QCustomPlot::rpQueuedReplot);
}

} // namespace wb::ui
