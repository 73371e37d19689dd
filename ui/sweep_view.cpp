// SPDX-License-Identifier: GPL-3.0-or-later
#include "sweep_view.h"

#include "engine_bridge.h"
#include "runs_table.h"

#include <qcustomplot.h>

#include <QComboBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

namespace wb::ui {

SweepView::SweepView(EngineBridge* bridge, QWidget* parent) : QWidget(parent), m_bridge(bridge)
{
    setObjectName(QStringLiteral("sweepView"));
    m_sweeps = new QComboBox;
    m_sweeps->setObjectName(QStringLiteral("sweepCombo"));
    m_sweeps->setMinimumContentsLength(24);
    auto* open = new QPushButton(tr("&Run sweep file…"));
    open->setObjectName(QStringLiteral("openSweep"));
    open->setToolTip(tr("Queue a grid or random sweep described in a JSON file (see docs/training.md)"));
    m_summary = new QLabel;
    m_summary->setObjectName(QStringLiteral("sweepSummary"));

    m_table = new QTableWidget;
    m_table->setObjectName(QStringLiteral("sweepTable"));
    m_table->verticalHeader()->setVisible(false);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);

    m_plot = new QCustomPlot;
    m_plot->setObjectName(QStringLiteral("sweepPlot"));
    m_plot->xAxis->setLabel(tr("step"));
    m_plot->yAxis->setLabel(tr("validation loss (nats/token)"));
    m_plot->legend->setVisible(true);
    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    m_plot->legend->setFont(small);
    m_plot->legend->setBrush(QColor(255, 255, 255, 200)); // curves show through
    m_plot->setMinimumHeight(160);

    auto* top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Sweep:")));
    top->addWidget(m_sweeps, 1);
    top->addWidget(open);
    auto* split = new QSplitter(Qt::Horizontal);
    split->addWidget(m_table);
    split->addWidget(m_plot);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 3);
    split->setSizes({400, 600});
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_summary);
    layout->addWidget(split, 1);

    connect(open, &QPushButton::clicked, this, &SweepView::openSweepFile);
    connect(m_sweeps, &QComboBox::currentIndexChanged, this, &SweepView::reloadResults);
    connect(m_table, &QTableWidget::cellDoubleClicked, this, [this](int row, int) {
        if (auto* item = m_table->item(row, 0))
            emit runSelected(item->text().toLongLong());
    });
}

std::int64_t SweepView::shownSweep() const
{
    return m_sweeps->currentData().toLongLong();
}

int SweepView::rowCount() const
{
    return m_table->rowCount();
}

int SweepView::curveCount() const
{
    return m_plot->graphCount();
}

void SweepView::refresh()
{
    const std::int64_t keep = shownSweep();
    const auto sweeps = m_bridge->sweeps();
    if (static_cast<int>(sweeps.size()) != m_sweeps->count()) {
        const QSignalBlocker block(m_sweeps);
        m_sweeps->clear();
        for (const auto& s : sweeps)
            m_sweeps->addItem(tr("%1 · %2").arg(s.id).arg(QString::fromStdString(s.name)), QVariant::fromValue<qlonglong>(s.id));
        const int at = m_sweeps->findData(QVariant::fromValue<qlonglong>(keep));
        m_sweeps->setCurrentIndex(at >= 0 ? at : 0);
    }
    reloadResults();
}

void SweepView::showSweep(std::int64_t sweepId)
{
    refresh();
    const int at = m_sweeps->findData(QVariant::fromValue<qlonglong>(sweepId));
    if (at >= 0)
        m_sweeps->setCurrentIndex(at);
    reloadResults();
}

void SweepView::reloadResults()
{
    const std::int64_t id = shownSweep();
    m_plot->clearGraphs();
    if (id == 0) {
        m_table->setRowCount(0);
        m_summary->setText(tr("No sweeps yet: run one from a sweep file, or with `lmwb sweep FILE.json`."));
        m_plot->replot(QCustomPlot::rpQueuedReplot);
        return;
    }
    SweepResults r;
    QString error;
    if (!m_bridge->sweepResults(id, &r, &error)) {
        m_summary->setText(error);
        return;
    }
    const int keyCount = static_cast<int>(r.keys.size());
    QStringList headers{tr("Run"), tr("Status")};
    for (const auto& k : r.keys)
        headers << QString::fromStdString(k);
    headers << tr("Val. loss") << tr("Val. perplexity") << tr("Steps");
    m_table->setColumnCount(headers.size());
    m_table->setHorizontalHeaderLabels(headers);
    m_table->setRowCount(static_cast<int>(r.rows.size()));
    int done = 0;
    const QLocale loc;
    for (int i = 0; i < static_cast<int>(r.rows.size()); ++i) {
        const SweepRow& row = r.rows[static_cast<std::size_t>(i)];
        done += row.run.status == status::kFinished;
        QStringList cells{QString::number(row.run.id), RunsTable::statusText(row.run.status)};
        for (const auto& v : row.values)
            cells << QString::fromStdString(v);
        cells << (row.valLoss ? loc.toString(*row.valLoss, 'f', 4) : QStringLiteral("–"))
              << (row.valPpl ? loc.toString(*row.valPpl, 'f', 3) : QStringLiteral("–")) << loc.toString(static_cast<qlonglong>(row.steps));
        for (int c = 0; c < cells.size(); ++c) {
            auto* item = new QTableWidgetItem(cells[c]);
            if (c >= 2 + keyCount || c == 0)
                item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            m_table->setItem(i, c, item);
        }

        // The run's validation curve, in a colour of its own, named by its values.
        QVector<double> steps, losses;
        for (const auto& m : m_bridge->metrics(row.run.id, "val_loss")) {
            steps.push_back(static_cast<double>(m.step));
            losses.push_back(m.value);
        }
        if (steps.isEmpty())
            continue;
        auto* g = m_plot->addGraph();
        // Short names (the columns say which parameter each value is).
        QStringList label;
        for (const auto& v : row.values)
            label << QString::fromStdString(v);
        g->setName(tr("run %1: %2").arg(row.run.id).arg(label.join(QStringLiteral(" · "))));
        g->setPen(QPen(QColor::fromHsv((i * 360 / std::max<int>(1, static_cast<int>(r.rows.size()))) % 360, 200, 190), i == 0 ? 2.5 : 1.5));
        g->setData(steps, losses, /*alreadySorted=*/true);
        g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, 4));
    }
    m_summary->setText(tr("%1 runs, %2 finished; best first (sorted by validation loss). Double-click a run to show it.")
                           .arg(r.rows.size())
                           .arg(done));
    m_plot->rescaleAxes();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void SweepView::openSweepFile()
{
    const QString file = QFileDialog::getOpenFileName(this, tr("Run sweep file"), QString(), tr("Sweep files (*.json)"));
    if (file.isEmpty())
        return;
    int runs = 0;
    QString error;
    const auto id = m_bridge->enqueueSweepFile(file, &runs, &error);
    if (!id) {
        QMessageBox::warning(this, tr("Cannot run the sweep"), error);
        return;
    }
    showSweep(id);
    emit sweepQueued(id);
}

} // namespace wb::ui
