// SPDX-License-Identifier: GPL-3.0-or-later
#include "whatif_view.h"

#include "settings/compression_settings.h"
#include "settings_form.h"

#include "engine_bridge.h"

#include <qcustomplot.h>

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSlider>
#include <QVBoxLayout>

namespace wb::ui {

namespace {

// Horizontal bars with one category per layer (names on the left axis).
void barChart(QCustomPlot* plot, const QVector<QString>& names, const QVector<double>& values, const QString& valueLabel,
              const QColor& colour)
{
    plot->clearPlottables();
    auto* bars = new QCPBars(plot->yAxis, plot->xAxis);
    bars->setPen(Qt::NoPen);
    bars->setBrush(colour);
    QVector<double> keys;
    for (int i = 0; i < names.size(); ++i)
        keys.push_back(i + 1);
    bars->setData(keys, values);
    auto ticker = QSharedPointer<QCPAxisTickerText>(new QCPAxisTickerText);
    ticker->addTicks(keys, names);
    plot->yAxis->setTicker(ticker);
    plot->yAxis->setRange(0.4, names.size() + 0.6);
    plot->yAxis->setRangeReversed(true);
    double lo = 0, hi = 0;
    for (double v : values)
        lo = std::min(lo, v), hi = std::max(hi, v);
    const double pad = std::max(1e-9, 0.05 * (hi - lo));
    plot->xAxis->setRange(lo - (lo < 0 ? pad : 0), hi + pad);
    plot->xAxis->setLabel(valueLabel);
    plot->replot();
}

} // namespace

WhatIfView::WhatIfView(EngineBridge* bridge, QWidget* parent) : QWidget(parent), m_bridge(bridge)
{
    setObjectName(QStringLiteral("whatIfView"));
    m_title = new QLabel(tr("Select a run to see where its bytes are and what compressing it would do."));
    m_title->setWordWrap(true);
    m_bytes = new QCustomPlot;
    m_bytes->setObjectName(QStringLiteral("layerBytesPlot"));
    m_bytes->setMinimumHeight(140);

    m_layer = new QComboBox;
    m_layer->setObjectName(QStringLiteral("svdLayer"));
    m_energy = new QSlider(Qt::Horizontal);
    m_energy->setObjectName(QStringLiteral("svdEnergy"));
    applyOptionRow(m_energy, compressionSetting("energy"), 1000); // per mille of sum sigma^2
    m_energyText = new QLabel;
    m_energyText->setObjectName(QStringLiteral("svdEnergyText"));
    m_energyText->setWordWrap(true);
    m_curve = new QCustomPlot;
    m_curve->setObjectName(QStringLiteral("svdCurve"));
    m_curve->setMinimumHeight(120);
    auto* svdBox = new QGroupBox(tr("Low rank: what an energy threshold gives one layer"));
    auto* svd = new QVBoxLayout(svdBox);
    auto* svdRow = new QHBoxLayout;
    svdRow->addWidget(new QLabel(tr("Layer:")));
    svdRow->addWidget(m_layer, 1);
    svdRow->addWidget(new QLabel(tr("energy kept:")));
    svdRow->addWidget(m_energy, 2);
    svd->addLayout(svdRow);
    svd->addWidget(m_energyText);
    svd->addWidget(m_curve, 1);

    m_method = new QComboBox;
    m_method->setObjectName(QStringLiteral("sweepMethod"));
    m_method->addItem(tr("prune one layer (magnitude)"), QStringLiteral("prune"));
    m_method->addItem(tr("int8 one layer"), QStringLiteral("quantize"));
    m_sparsity = new QDoubleSpinBox;
    m_sparsity->setRange(0.05, 0.99);
    m_sparsity->setSingleStep(0.05);
    m_sparsity->setValue(0.5);
    m_sweep = new QPushButton(tr("Run &sweep"));
    m_sweep->setObjectName(QStringLiteral("sweepButton"));
    m_sensitivity = new QCustomPlot;
    m_sensitivity->setObjectName(QStringLiteral("sensitivityPlot"));
    m_sensitivity->setMinimumHeight(140);
    auto* sweepBox = new QGroupBox(tr("Sensitivity: validation loss change with one layer compressed"));
    auto* sw = new QVBoxLayout(sweepBox);
    auto* swRow = new QHBoxLayout;
    swRow->addWidget(m_method);
    swRow->addWidget(new QLabel(tr("sparsity:")));
    swRow->addWidget(m_sparsity);
    swRow->addStretch(1);
    swRow->addWidget(m_sweep);
    sw->addLayout(swRow);
    sw->addWidget(m_sensitivity, 1);

    auto* bytesBox = new QGroupBox(tr("Bytes per layer (as stored)"));
    auto* bl = new QVBoxLayout(bytesBox);
    bl->addWidget(m_bytes);
    auto* grid = new QGridLayout;
    grid->addWidget(bytesBox, 0, 0, 2, 1);
    grid->addWidget(svdBox, 0, 1);
    grid->addWidget(sweepBox, 1, 1);
    grid->setColumnStretch(0, 2);
    grid->setColumnStretch(1, 3);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_title);
    layout->addLayout(grid, 1);

    connect(m_layer, &QComboBox::currentIndexChanged, this, &WhatIfView::chooseLayer);
    connect(m_energy, &QSlider::valueChanged, this, &WhatIfView::showEnergy);
    connect(m_method, &QComboBox::currentIndexChanged, this,
            [this] { m_sparsity->setEnabled(m_method->currentData().toString() == QStringLiteral("prune")); });
    connect(m_sweep, &QPushButton::clicked, this, &WhatIfView::startSweep);
    connect(m_bridge, &EngineBridge::sensitivityFinished, this, [this](bool ok, const QString& json, const QString& error) {
        m_sweep->setEnabled(m_run != 0);
        if (!ok) {
            m_title->setText(tr("Sensitivity sweep failed: %1").arg(error));
            return;
        }
        showSweep(json);
    });
    m_sweep->setEnabled(false);
}

void WhatIfView::showRun(std::int64_t runId)
{
    if (runId == m_run)
        return;
    m_run = runId;
    QString error;
    const QString json = m_bridge->layerBytes(runId, &error);
    m_layer->blockSignals(true);
    m_layer->clear();
    m_layer->blockSignals(false);
    m_sensitivity->clearPlottables();
    m_sensitivity->replot();
    if (json.isEmpty()) {
        m_title->setText(tr("Run %1: %2").arg(runId).arg(error));
        m_bytes->clearPlottables();
        m_bytes->replot();
        m_sweep->setEnabled(false);
        return;
    }
    const QJsonObject r = QJsonDocument::fromJson(json.toUtf8()).object();
    QVector<QString> names;
    QVector<double> kb;
    double total = 0;
    for (const auto& v : r.value(QStringLiteral("layers")).toArray()) {
        names.push_back(v.toObject().value(QStringLiteral("layer")).toString());
        kb.push_back(v.toObject().value(QStringLiteral("bytes")).toDouble() / 1024.0);
        total += kb.back();
    }
    barChart(m_bytes, names, kb, tr("kB"), QColor(31, 119, 180));
    m_title->setText(tr("Run %1: %2 kB of weights in %3 groups of tensors").arg(runId).arg(QLocale().toString(total, 'f', 1)).arg(names.size()));
    m_layer->blockSignals(true);
    for (const auto& v : r.value(QStringLiteral("linear")).toArray()) {
        const QJsonObject l = v.toObject();
        if (l.value(QStringLiteral("rank")).toInt() > 0 || l.value(QStringLiteral("int8")).toBool())
            continue;
        m_layer->addItem(QStringLiteral("%1 (%2 \u00D7 %3)")
                             .arg(l.value(QStringLiteral("layer")).toString())
                             .arg(l.value(QStringLiteral("out")).toInt())
                             .arg(l.value(QStringLiteral("in")).toInt()),
                         l.value(QStringLiteral("layer")).toString());
    }
    m_layer->blockSignals(false);
    m_sweep->setEnabled(true);
    chooseLayer();
}

void WhatIfView::chooseLayer()
{
    m_rankCurve = {};
    if (m_layer->count() == 0) {
        m_energyText->setText(tr("No float linear layer to factor."));
        m_curve->clearPlottables();
        m_curve->replot();
        return;
    }
    QString error;
    const QString json = m_bridge->rankCurve(m_run, m_layer->currentData().toString(), &error);
    m_rankCurve = QJsonDocument::fromJson(json.toUtf8()).array();
    m_curve->clearPlottables();
    m_curve->clearItems();
    auto* energy = m_curve->addGraph();
    energy->setName(tr("energy kept"));
    energy->setPen(QPen(QColor(31, 119, 180), 2));
    auto* err = m_curve->addGraph();
    err->setName(tr("relative error"));
    err->setPen(QPen(QColor(214, 39, 40), 2));
    for (const auto& v : m_rankCurve) {
        const QJsonObject c = v.toObject();
        energy->addData(c.value(QStringLiteral("rank")).toDouble(), c.value(QStringLiteral("energy")).toDouble());
        err->addData(c.value(QStringLiteral("rank")).toDouble(), c.value(QStringLiteral("relative_error")).toDouble());
    }
    m_curve->xAxis->setLabel(tr("rank"));
    m_curve->xAxis->setRange(1, std::max<double>(2, m_rankCurve.size()));
    m_curve->yAxis->setRange(0, 1.02);
    m_curve->legend->setVisible(true);
    m_curve->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignRight | Qt::AlignVCenter);
    showEnergy();
}

void WhatIfView::setEnergy(double energy)
{
    m_energy->setValue(static_cast<int>(std::lround(energy * 1000.0)));
    showEnergy();
}

QString WhatIfView::energyText() const
{
    return m_energyText->text();
}

void WhatIfView::showEnergy()
{
    if (m_rankCurve.isEmpty())
        return;
    const double target = m_energy->value() / 1000.0;
    QJsonObject pick = m_rankCurve.last().toObject();
    for (const auto& v : m_rankCurve)
        if (v.toObject().value(QStringLiteral("energy")).toDouble() >= target - 1e-12) {
            pick = v.toObject();
            break;
        }
    const int r = pick.value(QStringLiteral("rank")).toInt();
    const double before = pick.value(QStringLiteral("params_before")).toDouble();
    const double after = pick.value(QStringLiteral("params_after")).toDouble();
    QString text = tr("Energy %1%: rank %2 of %3, parameters %4 \u2192 %5 (%6%), relative error %7.")
                       .arg(QLocale().toString(100.0 * target, 'f', 1))
                       .arg(r)
                       .arg(m_rankCurve.size())
                       .arg(QLocale().toString(before, 'f', 0), QLocale().toString(after, 'f', 0))
                       .arg(QLocale().toString(100.0 * after / before, 'f', 1))
                       .arg(QLocale().toString(pick.value(QStringLiteral("relative_error")).toDouble(), 'f', 4));
    if (after >= before)
        text += QLatin1Char(' ') + tr("Factoring would not save parameters at this rank; lmwb compress leaves such a layer alone.");
    m_energyText->setText(text);
    m_curve->clearItems();
    auto* line = new QCPItemStraightLine(m_curve);
    line->setPen(QPen(Qt::darkGray, 1, Qt::DashLine));
    line->point1->setCoords(r, 0);
    line->point2->setCoords(r, 1);
    m_curve->replot();
}

void WhatIfView::startSweep()
{
    if (m_run == 0)
        return;
    QString error;
    if (!m_bridge->startSensitivity(m_run, m_method->currentData().toString(), m_sparsity->value(), &error)) {
        m_title->setText(error);
        return;
    }
    m_sweep->setEnabled(false);
    m_title->setText(tr("Run %1: compressing one layer at a time…").arg(m_run));
}

void WhatIfView::showSweep(const QString& json)
{
    const QJsonObject r = QJsonDocument::fromJson(json.toUtf8()).object();
    if (r.value(QStringLiteral("run")).toInteger() != m_run)
        return;
    QVector<QString> names;
    QVector<double> delta;
    for (const auto& v : r.value(QStringLiteral("layers")).toArray()) {
        names.push_back(v.toObject().value(QStringLiteral("layer")).toString());
        delta.push_back(v.toObject().value(QStringLiteral("delta")).toDouble());
    }
    barChart(m_sensitivity, names, delta, tr("validation loss change (nats per token)"), QColor(214, 39, 40));
    m_title->setText(tr("Run %1: base validation loss %2 on %3 tokens; the tallest bars are the layers to leave alone.")
                         .arg(m_run)
                         .arg(QLocale().toString(r.value(QStringLiteral("base_loss")).toDouble(), 'f', 4))
                         .arg(r.value(QStringLiteral("tokens")).toInteger()));
}

} // namespace wb::ui
