// SPDX-License-Identifier: GPL-3.0-or-later
#include "runs_table.h"

#include "models/model_spec.h"
#include "models/finetune_layers.h"
#include "settings/run_config.h"

#include <algorithm>

#include <QHeaderView>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QSignalBlocker>

namespace wb::ui {

RunsTable::RunsTable(QWidget* parent) : QTableWidget(parent)
{
    setObjectName(QStringLiteral("runsTable"));
    setColumnCount(7);
    setHorizontalHeaderLabels({tr("Run"), tr("Status"), tr("Corpus"), tr("Architecture"), tr("Parameters"),
                               tr("From"), tr("Created (UTC)")});
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setSelectionMode(QAbstractItemView::SingleSelection);
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    verticalHeader()->setVisible(false);
    horizontalHeader()->setStretchLastSection(true);
    setAlternatingRowColors(true);
    connect(this, &QTableWidget::itemSelectionChanged, this, [this] {
        if (const auto id = selectedRun())
            emit runSelected(id);
    });
}

QString RunsTable::statusText(RunStatus status)
{
    switch (status) {
    case RunStatus::Queued: return tr("queued");
    case RunStatus::Running: return tr("running");
    case RunStatus::Finished: return tr("finished");
    case RunStatus::Stopped: return tr("stopped");
    case RunStatus::Failed: return tr("failed");
    case RunStatus::Interrupted: return tr("interrupted");
    case RunStatus::Diverged: return tr("diverged");
    case RunStatus::Paused: return tr("paused");
    case RunStatus::Cancelled: return tr("cancelled");
    case RunStatus::Refused: return tr("refused (bad input)");
    }
    return QString::fromStdString(enumName(status));
}

namespace {

// What the model is ("transformer 4L 4H d128 ctx64"); a spec file's path in
// the tooltip. A preset keeps its name, with the summary in the tooltip.
QTableWidgetItem* archItem(const RunRecord& r)
{
    std::string summary;
    try {
        summary = RunConfig::fromJson(r.config).spec.summary();
    } catch (const std::exception&) { // an unreadable config: show what was given
    }
    const bool preset = std::any_of(presets().begin(), presets().end(), [&](const Preset& p) { return p.name == r.arch; });
    auto* item = new QTableWidgetItem(QString::fromStdString(preset || summary.empty() ? r.arch : summary));
    item->setToolTip(QString::fromStdString(preset ? summary : r.arch));
    return item;
}

// Where a run comes from: "run 3 · l-eo" for a fine-tuned run, with what it
// trains and stores in the tooltip, "run 3 · distilled" for a student;
// empty for a run trained from scratch.
QTableWidgetItem* lineageItem(const RunRecord& r)
{
    auto* item = new QTableWidgetItem;
    RunConfig config;
    try {
        config = RunConfig::fromJson(r.config);
    } catch (const std::exception&) {
    }
    if (r.teacherRun) {
        // A distilled run: "run 3 · distilled", its loss settings in the tooltip.
        item->setText(RunsTable::tr("run %1 · distilled").arg(*r.teacherRun));
        item->setToolTip(RunsTable::tr("Distilled from run %1 (its step %2) on %3: alpha %4, temperature %5")
                             .arg(*r.teacherRun)
                             .arg(config.teacherStep)
                             .arg(QString::fromStdString(r.corpusName))
                             .arg(config.train.kdAlpha)
                             .arg(config.train.kdTemperature));
        return item;
    }
    if (!r.parentRun)
        return item;
    if (!config.compression.empty()) {
        const QJsonObject c = QJsonDocument::fromJson(QByteArray::fromStdString(config.compression)).object();
        const QString m = c.value(QStringLiteral("method")).toString();
        QString what;
        if (m == QStringLiteral("quantize"))
            what = RunsTable::tr("int8");
        else if (m == QStringLiteral("lowrank"))
            what = RunsTable::tr("low rank");
        else if (m == QStringLiteral("prune") && c.contains(QStringLiteral("structured")))
            what = RunsTable::tr("%1 pruned").arg(c.value(QStringLiteral("structured")).toString());
        else if (m == QStringLiteral("prune"))
            what = RunsTable::tr("pruned %1%").arg(qRound(100 * c.value(QStringLiteral("sparsity")).toDouble()));
        if (!what.isEmpty()) {
            // A compression variant: "run 3 · int8", its settings in the tooltip.
            QJsonObject settings = c;
            settings.remove(QStringLiteral("layers"));
            item->setText(RunsTable::tr("run %1 · %2").arg(*r.parentRun).arg(what));
            item->setToolTip(RunsTable::tr("A variant of run %1: %2")
                                 .arg(*r.parentRun)
                                 .arg(QString::fromUtf8(QJsonDocument(settings).toJson(QJsonDocument::Compact))));
            return item;
        }
    }
    const QString method = QString::fromStdString(enumName(config.train.method));
    item->setText(RunsTable::tr("run %1 · %2").arg(*r.parentRun).arg(method));
    QString tip = RunsTable::tr("Fine-tuned from run %1 (its step %2) on %3 with %4: trains %5")
                      .arg(*r.parentRun)
                      .arg(config.parentStep)
                      .arg(QString::fromStdString(r.corpusName), method,
                           QString::fromStdString(trainedDescription(config.spec, config.train.method)));
    if (r.trainableParams)
        tip += QLatin1Char('\n') + RunsTable::tr("%1 trainable parameters").arg(QLocale().toString(static_cast<qlonglong>(*r.trainableParams)));
    if (r.storedBytes)
        tip += QLatin1Char('\n') + RunsTable::tr("%1 stored").arg(QLocale().formattedDataSize(*r.storedBytes));
    item->setToolTip(tip);
    return item;
}

} // namespace

void RunsTable::setRuns(const std::vector<RunRecord>& runs)
{
    const QSignalBlocker blocker(this);
    const auto keep = selectedRun();
    setRowCount(static_cast<int>(runs.size()));
    int row = 0;
    for (const auto& r : runs) {
        auto* id = new QTableWidgetItem(QString::number(r.id));
        id->setData(Qt::UserRole, static_cast<qlonglong>(r.id));
        setItem(row, 0, id);
        auto* st = new QTableWidgetItem(statusText(r.status));
        if (r.error)
            st->setToolTip(QString::fromStdString(*r.error));
        setItem(row, 1, st);
        setItem(row, 2, new QTableWidgetItem(QString::fromStdString(r.corpusName)));
        setItem(row, 3, archItem(r));
        setItem(row, 4, new QTableWidgetItem(r.params ? QLocale().toString(static_cast<qlonglong>(*r.params)) : QString()));
        QString created = QString::fromStdString(r.createdAt).left(19);
        created.replace(QLatin1Char('T'), QLatin1Char(' '));
        setItem(row, 5, lineageItem(r));
        setItem(row, 6, new QTableWidgetItem(created));
        ++row;
    }
    resizeColumnsToContents();
    if (keep)
        selectRun(keep);
}

void RunsTable::selectRun(std::int64_t runId)
{
    for (int row = 0; row < rowCount(); ++row) {
        if (item(row, 0)->data(Qt::UserRole).toLongLong() == runId) {
            // Selecting the row already selected changes nothing, so say it:
            // the window updates what depends on the selected run.
            const bool already = selectedRun() == runId;
            selectRow(row);
            if (already)
                emit runSelected(runId);
            return;
        }
    }
}

std::int64_t RunsTable::selectedRun() const
{
    const auto rows = selectionModel() ? selectionModel()->selectedRows() : QModelIndexList{};
    if (rows.isEmpty())
        return 0;
    return item(rows.first().row(), 0)->data(Qt::UserRole).toLongLong();
}

} // namespace wb::ui
