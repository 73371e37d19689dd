// SPDX-License-Identifier: GPL-3.0-or-later
#include "task_view.h"

#include "engine_bridge.h"

#include <nlohmann/json.hpp>

#include <QDateTime>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableWidget>
#include <QVBoxLayout>

#include <map>

namespace wb::ui {

namespace {

QTableWidget* table(const QString& name, const QStringList& headers)
{
    auto* t = new QTableWidget(0, static_cast<int>(headers.size()));
    t->setObjectName(name);
    t->setHorizontalHeaderLabels(headers);
    t->setEditTriggers(QAbstractItemView::NoEditTriggers);
    t->verticalHeader()->setVisible(false);
    t->horizontalHeader()->setStretchLastSection(true);
    return t;
}

void setRow(QTableWidget* t, int row, const QStringList& cells)
{
    for (int c = 0; c < cells.size(); ++c) {
        auto* item = new QTableWidgetItem(cells[c]);
        item->setToolTip(cells[c]);
        t->setItem(row, c, item);
    }
}

nlohmann::json parsed(const std::optional<std::string>& text)
{
    if (!text)
        return {};
    auto j = nlohmann::json::parse(*text, nullptr, false);
    return j.is_discarded() ? nlohmann::json() : j;
}

} // namespace

TaskView::TaskView(EngineBridge* bridge, QWidget* parent) : QWidget(parent), m_bridge(bridge)
{
    setObjectName(QStringLiteral("taskView"));
    m_summary = new QLabel(tr("Select a fine-tuned run to see its task."));
    m_summary->setObjectName(QStringLiteral("taskSummary"));
    m_summary->setWordWrap(true);

    m_heatmap = new QCustomPlot;
    m_heatmap->setObjectName(QStringLiteral("confusionHeatmap"));
    m_heatmap->setMinimumSize(260, 200);
    m_heatmap->xAxis->setLabel(tr("predicted class"));
    m_heatmap->yAxis->setLabel(tr("true class"));
    m_classes = table(QStringLiteral("classTable"), {tr("Class"), tr("Precision"), tr("Recall"), tr("F1"), tr("Support")});
    auto* classify = new QSplitter(Qt::Horizontal);
    classify->addWidget(m_heatmap);
    classify->addWidget(m_classes);
    m_answers = table(QStringLiteral("answerTable"), {tr("Prompt"), tr("Reference"), tr("Generated")});
    m_answers->setWordWrap(true);
    m_detail = new QStackedWidget;
    m_detail->addWidget(new QLabel(tr("No task report: a language-model run is scored by its loss and perplexity.")));
    m_detail->addWidget(classify);
    m_detail->addWidget(m_answers);

    m_terms = new QCustomPlot;
    m_terms->setObjectName(QStringLiteral("lossTermsPlot"));
    m_terms->setMinimumHeight(150);
    m_terms->xAxis->setLabel(tr("step"));
    m_terms->yAxis->setLabel(tr("loss term"));
    m_terms->legend->setVisible(true);

    m_family = table(QStringLiteral("familyTable"), {tr("Run"), tr("Task"), tr("Method"), tr("Trainable"), tr("Stored"),
                                                     tr("Time"), tr("Metric")});
    m_family->setToolTip(tr("Every run fine-tuned from the same parent: what each method cost and what it reached"));

    auto* split = new QSplitter(Qt::Vertical);
    split->addWidget(m_detail);
    split->addWidget(m_terms);
    split->addWidget(m_family);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addWidget(split, 1);
}

void TaskView::showRun(std::int64_t runId)
{
    const auto all = m_bridge->runs();
    const RunRecord* run = nullptr;
    for (const auto& r : all)
        if (r.id == runId)
            run = &r;
    m_detail->setCurrentIndex(0);
    m_terms->clearGraphs();
    m_terms->replot();
    m_family->setRowCount(0);
    if (!run) {
        m_summary->setText(tr("Select a fine-tuned run to see its task."));
        return;
    }
    showReport(*run);
    showTerms(runId);
    showFamily(*run, all);
}

void TaskView::showReport(const RunRecord& run)
{
    const QLocale loc;
    const auto config = nlohmann::json::parse(run.config, nullptr, false);
    const std::string task = config.is_object() ? config["train"].value("task", std::string("lm")) : "lm";
    const std::string method = config.is_object() ? config["train"].value("method", std::string("full")) : "full";
    const auto report = parsed(run.taskReport);
    QString head = tr("Run %1: task %2, method %3").arg(run.id).arg(QString::fromStdString(task), QString::fromStdString(method));
    if (run.parentRun)
        head += tr(", fine-tuned from run %1").arg(*run.parentRun);
    if (task == "classify" && report.contains("confusion")) {
        head += QLatin1String(". ")
                + tr("Accuracy %1 and macro-F1 %2 on %3 validation documents; always answering '%4' (the majority class) "
                     "gives accuracy %5.")
                      .arg(loc.toString(report.value("accuracy", 0.0), 'f', 3), loc.toString(report.value("macro_f1", 0.0), 'f', 3))
                      .arg(report.value("examples", 0))
                      .arg(QString::fromStdString(report.value("majority_class", std::string())),
                           loc.toString(report.value("majority_accuracy", 0.0), 'f', 3));
        const auto& confusion = report["confusion"];
        const int n = static_cast<int>(confusion.size());
        m_heatmap->clearPlottables();
        auto* map = new QCPColorMap(m_heatmap->xAxis, m_heatmap->yAxis);
        map->data()->setSize(n, n);
        map->data()->setRange(QCPRange(0, n - 1), QCPRange(0, n - 1));
        QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
        m_classes->setRowCount(n);
        for (int g = 0; g < n; ++g) {
            std::int64_t rowSum = 0;
            for (const auto& v : confusion[static_cast<std::size_t>(g)])
                rowSum += v.get<std::int64_t>();
            for (int p = 0; p < n; ++p) {
                // Row-normalised: the share of class g's documents predicted as p.
                const double v = static_cast<double>(confusion[static_cast<std::size_t>(g)][static_cast<std::size_t>(p)].get<std::int64_t>());
                map->data()->setCell(p, g, rowSum ? v / static_cast<double>(rowSum) : 0.0);
            }
            const auto& c = report["classes"][static_cast<std::size_t>(g)];
            const QString label = QString::fromStdString(c.value("label", std::string()));
            if (n <= 20)
                ticker->addTick(g, label);
            setRow(m_classes, g, {label, loc.toString(c.value("precision", 0.0), 'f', 3), loc.toString(c.value("recall", 0.0), 'f', 3),
                                  loc.toString(c.value("f1", 0.0), 'f', 3), loc.toString(c.value("support", 0))});
        }
        map->setGradient(QCPColorGradient::gpThermal);
        map->setDataRange(QCPRange(0, 1));
        map->setInterpolate(false);
        map->setName(tr("share of the true class"));
        if (n <= 20) {
            m_heatmap->xAxis->setTicker(ticker);
            QSharedPointer<QCPAxisTickerText> yTicker(new QCPAxisTickerText);
            for (int g = 0; g < n; ++g)
                yTicker->addTick(g, ticker->ticks().value(g));
            m_heatmap->yAxis->setTicker(yTicker);
            m_heatmap->xAxis->setTickLabelRotation(60);
        } else {
            m_heatmap->xAxis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
            m_heatmap->yAxis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
        }
        // Whole cells: each class's cell spans its index +- 0.5.
        m_heatmap->xAxis->setRange(-0.5, n - 0.5);
        m_heatmap->yAxis->setRange(-0.5, n - 0.5);
        m_heatmap->yAxis->setRangeReversed(true); // the first class on top, as in the table
        m_heatmap->replot();
        m_detail->setCurrentIndex(1);
    } else if (task == "pairs" && report.contains("generations")) {
        if (!report["bleu"].is_null())
            head += QLatin1String(". ") + tr("Exact match %1, BLEU %2 over %3 generated answers.")
                                            .arg(loc.toString(report.value("exact_match", 0.0), 'f', 3),
                                                 loc.toString(report.value("bleu", 0.0), 'f', 2))
                                            .arg(report["generations"].size());
        const auto& g = report["generations"];
        m_answers->setRowCount(static_cast<int>(g.size()));
        for (std::size_t i = 0; i < g.size(); ++i)
            setRow(m_answers, static_cast<int>(i),
                   {QString::fromStdString(g[i].value("prompt", std::string())), QString::fromStdString(g[i].value("reference", std::string())),
                    QString::fromStdString(g[i].value("generated", std::string()))});
        m_answers->resizeRowsToContents();
        m_detail->setCurrentIndex(2);
    }
    m_summary->setText(head);
}

QCPGraph* TaskView::termGraph(const std::string& name)
{
    const QString label = QString::fromStdString(name);
    for (int i = 0; i < m_terms->graphCount(); ++i)
        if (m_terms->graph(i)->name() == label)
            return m_terms->graph(i);
    static const QColor colours[] = {QColor(31, 80, 140), QColor(214, 110, 20), QColor(60, 150, 60), QColor(160, 40, 120)};
    auto* g = m_terms->addGraph();
    g->setName(label);
    g->setPen(QPen(colours[(m_terms->graphCount() - 1) % 4], 2));
    return g;
}

void TaskView::addLiveTerms(std::int64_t step, const std::vector<std::pair<std::string, double>>& terms)
{
    for (const auto& [name, value] : terms)
        if (name != "aux_lm_weight" && name != "skipped")
            termGraph(name)->addData(static_cast<double>(step), value);
    m_terms->setVisible(m_terms->graphCount() > 0);
    m_terms->rescaleAxes();
    m_terms->replot(QCustomPlot::rpQueuedReplot);
}

void TaskView::showTerms(std::int64_t runId)
{
    std::map<std::string, std::pair<QVector<double>, QVector<double>>> series;
    for (const auto& m : m_bridge->metrics(runId))
        if (m.name.rfind("loss_", 0) == 0 && m.name != "loss_aux_lm_weight" && m.name != "loss_skipped") {
            series[m.name.substr(5)].first.push_back(static_cast<double>(m.step));
            series[m.name.substr(5)].second.push_back(m.value);
        }
    for (const auto& [name, xy] : series)
        termGraph(name)->setData(xy.first, xy.second, true);
    m_terms->setVisible(!series.empty());
    m_terms->rescaleAxes();
    m_terms->replot();
}

void TaskView::showFamily(const RunRecord& run, const std::vector<RunRecord>& all)
{
    // The runs adapted from the same parent (or from this run, when it is the parent).
    const std::int64_t parent = run.parentRun.value_or(run.id);
    std::vector<const RunRecord*> family;
    for (const auto& r : all)
        if (r.parentRun && *r.parentRun == parent)
            family.push_back(&r);
    m_family->setVisible(!family.empty());
    const QLocale loc;
    m_family->setRowCount(static_cast<int>(family.size()));
    int row = 0;
    for (const auto* r : family) {
        const auto config = nlohmann::json::parse(r->config, nullptr, false);
        const auto train = config.is_object() ? config["train"] : nlohmann::json();
        const auto report = parsed(r->taskReport);
        QString time = QStringLiteral("-");
        if (r->startedAt && r->finishedAt) {
            const auto a = QDateTime::fromString(QString::fromStdString(*r->startedAt), Qt::ISODateWithMs);
            const auto b = QDateTime::fromString(QString::fromStdString(*r->finishedAt), Qt::ISODateWithMs);
            if (a.isValid() && b.isValid())
                time = tr("%1 s").arg(loc.toString(static_cast<double>(a.msecsTo(b)) / 1000.0, 'f', 1));
        }
        QString metric = QStringLiteral("-");
        if (report.contains("accuracy"))
            metric = tr("accuracy %1").arg(loc.toString(report.value("accuracy", 0.0), 'f', 3));
        else if (report.contains("bleu") && !report["bleu"].is_null())
            metric = tr("BLEU %1").arg(loc.toString(report.value("bleu", 0.0), 'f', 2));
        else
            for (const auto& m : m_bridge->metrics(r->id, "val_loss"))
                metric = tr("val loss %1").arg(loc.toString(m.value, 'f', 4));
        setRow(m_family, row++,
               {QString::number(r->id) + (r->id == run.id ? QStringLiteral(" ◀") : QString()),
                QString::fromStdString(train.value("task", std::string("lm"))), QString::fromStdString(train.value("method", std::string("full"))),
                r->trainableParams ? loc.toString(static_cast<qlonglong>(*r->trainableParams)) : QStringLiteral("-"),
                r->storedBytes ? loc.formattedDataSize(*r->storedBytes) : QStringLiteral("-"), time, metric});
    }
    m_family->resizeColumnsToContents();
}

} // namespace wb::ui
