// SPDX-License-Identifier: GPL-3.0-or-later
#include "distill_view.h"

#include "engine_bridge.h"
#include "models/model_spec.h"
#include "services/run_service.h"
#include "settings/run_config.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QTableWidget>
#include <QVBoxLayout>

#include <map>
#include <optional>

namespace wb::ui {

namespace {

QCustomPlot* makePlot(const QString& title, const QString& yLabel, const std::vector<std::pair<QString, QColor>>& graphs)
{
    auto* plot = new QCustomPlot;
    plot->setMinimumHeight(150);
    plot->plotLayout()->insertRow(0);
    plot->plotLayout()->addElement(0, 0, new QCPTextElement(plot, title, QFont(plot->font().family(), 9, QFont::Bold)));
    plot->xAxis->setLabel(QObject::tr("step"));
    plot->yAxis->setLabel(yLabel);
    for (const auto& [name, colour] : graphs) {
        auto* g = plot->addGraph();
        g->setName(name);
        g->setPen(QPen(colour, 2));
    }
    plot->legend->setVisible(true);
    plot->legend->setFont(QFont(plot->font().family(), 8));
    plot->legend->setBrush(QColor(255, 255, 255, 180)); // the curves show through
    return plot;
}

const QColor kBlue(31, 80, 140), kOrange(214, 110, 20), kGreen(60, 150, 60), kGrey(110, 110, 110);

// The last value of a metric, if the run has one.
std::optional<double> last(EngineBridge* bridge, std::int64_t run, const std::string& name)
{
    const auto points = bridge->metrics(run, name);
    if (points.empty())
        return std::nullopt;
    return points.back().value;
}

} // namespace

DistillView::DistillView(EngineBridge* bridge, QWidget* parent) : QWidget(parent), m_bridge(bridge)
{
    setObjectName(QStringLiteral("distillView"));
    m_summary = new QLabel;
    m_summary->setWordWrap(true);
    m_losses = makePlot(tr("Loss terms"), tr("nats"),
                        {{tr("soft: T\u00B2 KL(teacher || student)"), kBlue}, {tr("hard: cross-entropy"), kOrange}, {tr("loss (their mix)"), kGrey},
                         {tr("hidden: 1 \u2212 cos"), kGreen}});
    m_ppl = makePlot(tr("Validation perplexity"), tr("perplexity"), {{tr("student"), kBlue}, {tr("teacher"), kGreen}});
    m_agreement = makePlot(tr("Student against teacher (fixed validation batch)"), tr("top-1 agreement"),
                           {{tr("top-1 agreement"), kBlue}, {tr("KL, nats (right)"), kOrange}});
    m_agreement->graph(1)->setValueAxis(m_agreement->yAxis2);
    m_agreement->yAxis2->setVisible(true);
    m_agreement->yAxis2->setLabel(tr("KL(teacher || student), nats"));
    m_card = new QTableWidget(5, 3);
    m_card->setObjectName(QStringLiteral("distillCard"));
    m_card->setHorizontalHeaderLabels({tr("teacher"), tr("student"), tr("student without teacher")});
    m_card->setVerticalHeaderLabels({tr("parameters"), tr("size (fp32)"), tr("training tokens/s"), tr("validation perplexity"),
                                     tr("top-1 agreement")});
    m_card->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_card->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_card->setMaximumHeight(190);

    auto* plots = new QHBoxLayout;
    plots->addWidget(m_losses);
    plots->addWidget(m_ppl);
    plots->addWidget(m_agreement);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addLayout(plots, 1);
    layout->addWidget(m_card);
    showRun(0);
}

void DistillView::showRun(std::int64_t runId)
{
    for (auto* plot : {m_losses, m_ppl, m_agreement})
        for (int i = 0; i < plot->graphCount(); ++i)
            plot->graph(i)->data()->clear();
    std::optional<RunRecord> run;
    for (const auto& r : m_bridge->runs())
        if (r.id == runId)
            run = r;
    m_run = run && run->teacherRun ? runId : 0;
    for (auto* w : std::initializer_list<QWidget*>{m_losses, m_ppl, m_agreement, m_card})
        w->setVisible(m_run != 0);
    if (!m_run) {
        m_summary->setText(tr("Select a distilled run (lmwb distill, or Distil\u2026 on a finished run) to see how close its "
                              "student came to its teacher."));
        return;
    }
    RunConfig config;
    try {
        config = RunConfig::fromJson(run->config);
    } catch (const std::exception&) {
    }
    m_classify = config.train.task == Task::Classify;
    if (auto* title = qobject_cast<QCPTextElement*>(m_ppl->plotLayout()->element(0, 0)))
        title->setText(m_classify ? tr("Validation accuracy") : tr("Validation perplexity"));
    m_ppl->yAxis->setLabel(m_classify ? tr("accuracy") : tr("perplexity"));
    m_card->setVerticalHeaderItem(3, new QTableWidgetItem(m_classify ? tr("validation accuracy") : tr("validation perplexity")));
    m_summary->setText(tr("Run %1: %2 distilled from run %3 (its step %4) on %5, alpha %6, temperature %7.")
                           .arg(run->id)
                           .arg(QString::fromStdString(run->arch))
                           .arg(*run->teacherRun)
                           .arg(config.teacherStep)
                           .arg(QString::fromStdString(run->corpusName))
                           .arg(config.train.kdAlpha)
                           .arg(config.train.kdTemperature));
    const std::map<std::string, std::pair<QCustomPlot*, int>> where{
        {"loss_soft", {m_losses, 0}},  {"loss_hard", {m_losses, 1}},      {"train_loss", {m_losses, 2}},
        {"loss_hidden", {m_losses, 3}},
        {m_classify ? "val_accuracy" : "val_ppl", {m_ppl, 0}},
        {m_classify ? "val_teacher_accuracy" : "val_teacher_ppl", {m_ppl, 1}},
        {"val_agreement", {m_agreement, 0}},
        {"val_kl", {m_agreement, 1}}};
    for (const auto& m : m_bridge->metrics(runId))
        if (auto it = where.find(m.name); it != where.end())
            it->second.first->graph(it->second.second)->addData(static_cast<double>(m.step), m.value);
    replotAll();
    refreshCard();
}

void DistillView::addLiveStep(std::int64_t runId, const StepEvent& step)
{
    if (runId != m_run || !m_run)
        return;
    const double x = static_cast<double>(step.step);
    for (const auto& [name, value] : step.lossTerms) {
        if (name == "soft")
            m_losses->graph(0)->addData(x, value);
        else if (name == "hard")
            m_losses->graph(1)->addData(x, value);
        else if (name == "hidden")
            m_losses->graph(3)->addData(x, value);
    }
    m_losses->graph(2)->addData(x, step.trainLoss);
    replotAll();
}

void DistillView::addLiveEval(std::int64_t runId, const EvalEvent& eval)
{
    if (runId != m_run || !m_run)
        return;
    const double x = static_cast<double>(eval.step);
    if (!m_classify)
        m_ppl->graph(0)->addData(x, eval.valPpl);
    for (const auto& [name, value] : eval.taskMetrics) {
        if (name == (m_classify ? "teacher_accuracy" : "teacher_ppl"))
            m_ppl->graph(1)->addData(x, value);
        else if (m_classify && name == "accuracy")
            m_ppl->graph(0)->addData(x, value);
        else if (name == "agreement")
            m_agreement->graph(0)->addData(x, value);
        else if (name == "kl")
            m_agreement->graph(1)->addData(x, value);
    }
    replotAll();
}

void DistillView::replotAll()
{
    for (auto* plot : {m_losses, m_ppl, m_agreement}) {
        for (int i = 0; i < plot->graphCount(); ++i) // a term the run does not have is not listed
            if (plot->graph(i)->dataCount() > 0)
                plot->graph(i)->addToLegend();
            else
                plot->graph(i)->removeFromLegend();
        plot->rescaleAxes();
        // A margin, so a flat line (the teacher's perplexity) is not hidden by the axis.
        for (auto* axis : {plot->yAxis, plot->yAxis2})
            axis->scaleRange(1.15, axis->range().center());
        plot->replot(QCustomPlot::rpQueuedReplot);
    }
}

void DistillView::refreshCard()
{
    if (!m_run)
        return;
    const auto runs = m_bridge->runs();
    std::optional<RunRecord> student, teacher, baseline;
    for (const auto& r : runs)
        if (r.id == m_run)
            student = r;
    if (!student)
        return;
    for (const auto& r : runs)
        if (r.id == *student->teacherRun)
            teacher = r;
    // The baseline: the same student's config without the teacher.
    try {
        const std::string wanted = distillBaseline(RunConfig::fromJson(student->config)).toJson();
        for (const auto& r : runs)
            if (!r.teacherRun && r.id != student->id && RunConfig::fromJson(r.config).toJson() == wanted)
                baseline = r;
    } catch (const std::exception&) {
    }
    const QLocale loc;
    auto number = [&](std::optional<double> v, int digits) { return v ? loc.toString(*v, 'f', digits) : QStringLiteral("\u2013"); };
    auto column = [&](int c, const std::optional<RunRecord>& r, bool isStudent) {
        const std::int64_t id = r ? r->id : 0;
        const auto params = r ? r->params : std::nullopt;
        const QStringList cells{
            params ? loc.toString(static_cast<qlonglong>(*params)) : QStringLiteral("\u2013"),
            params ? loc.formattedDataSize(fp32Bytes(*params)) : QStringLiteral("\u2013"),
            number(r ? last(m_bridge, id, "tokens_per_s") : std::nullopt, 0),
            number(r ? last(m_bridge, id, m_classify ? "val_accuracy" : "val_ppl") : std::nullopt, 3),
            isStudent ? number(last(m_bridge, id, "val_agreement"), 3) : QStringLiteral("\u2013")};
        for (int row = 0; row < cells.size(); ++row)
            m_card->setItem(row, c, new QTableWidgetItem(cells[row]));
        if (r)
            m_card->horizontalHeaderItem(c)->setToolTip(tr("run %1").arg(id));
    };
    column(0, teacher, false);
    column(1, student, true);
    column(2, baseline, false);
}

} // namespace wb::ui
