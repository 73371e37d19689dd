// SPDX-License-Identifier: GPL-3.0-or-later
#include "variant_board.h"

#include "engine_bridge.h"

#include <qcustomplot.h>

#include <QCheckBox>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QSplitter>
#include <QSvgGenerator>
#include <QTableWidget>
#include <QTextStream>
#include <QToolTip>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace wb::ui {

namespace {

// Columns of the table (and of its CSV and LaTeX), the keys first.
struct Column {
    const char* key;
    const char* title;
};
const Column kColumns[] = {{"run", QT_TRANSLATE_NOOP("VariantBoard", "run")},
                           {"parent", QT_TRANSLATE_NOOP("VariantBoard", "parent")},
                           {"method", QT_TRANSLATE_NOOP("VariantBoard", "method")},
                           {"params", QT_TRANSLATE_NOOP("VariantBoard", "parameters")},
                           {"nonzero", QT_TRANSLATE_NOOP("VariantBoard", "non-zeros")},
                           {"file_bytes", QT_TRANSLATE_NOOP("VariantBoard", "file bytes")},
                           {"gzip_bytes", QT_TRANSLATE_NOOP("VariantBoard", "gzip bytes")},
                           {"val_ppl", QT_TRANSLATE_NOOP("VariantBoard", "val ppl")},
                           {"val_bpc", QT_TRANSLATE_NOOP("VariantBoard", "bits/char")},
                           {"latency_ms_p50", QT_TRANSLATE_NOOP("VariantBoard", "latency p50 ms")},
                           {"latency_ms_p90", QT_TRANSLATE_NOOP("VariantBoard", "latency p90 ms")},
                           {"tokens_per_s", QT_TRANSLATE_NOOP("VariantBoard", "tokens/s")}};

QString methodName(const QJsonObject& r)
{
    const QJsonValue m = r.value(QStringLiteral("method"));
    if (m.isNull() || m.isUndefined())
        return r.value(QStringLiteral("parent")).isNull() ? QStringLiteral("original") : QStringLiteral("fine-tuned");
    QString s = m.toString();
    if (r.contains(QStringLiteral("structured")))
        s += QStringLiteral(" (") + r.value(QStringLiteral("structured")).toString() + QLatin1Char(')');
    return s;
}

QString cell(const QJsonObject& r, const char* key)
{
    if (QLatin1String(key) == QLatin1String("method"))
        return methodName(r);
    const QJsonValue v = r.value(QLatin1String(key));
    if (v.isNull() || v.isUndefined())
        return QStringLiteral("-");
    if (v.isDouble()) {
        const double d = v.toDouble();
        if (d == std::floor(d) && std::abs(d) < 1e15)
            return QString::number(static_cast<qint64>(d));
        return QString::number(d, 'g', 5);
    }
    return v.toString();
}

// A scatter style per kind of variant.
QCPScatterStyle styleFor(const QString& method, const QColor& colour)
{
    QCPScatterStyle::ScatterShape shape = QCPScatterStyle::ssDisc;
    if (method.startsWith(QStringLiteral("quantize")))
        shape = QCPScatterStyle::ssDiamond;
    else if (method.startsWith(QStringLiteral("prune")))
        shape = QCPScatterStyle::ssTriangle;
    else if (method.startsWith(QStringLiteral("lowrank")))
        shape = QCPScatterStyle::ssSquare;
    else if (method == QStringLiteral("fine-tuned"))
        shape = QCPScatterStyle::ssCircle;
    return QCPScatterStyle(shape, colour, colour, 9);
}

} // namespace

VariantBoard::VariantBoard(EngineBridge* bridge, QWidget* parent) : QWidget(parent), m_bridge(bridge)
{
    setObjectName(QStringLiteral("variantBoard"));
    m_x = new QComboBox;
    m_x->setObjectName(QStringLiteral("boardX"));
    m_x->addItem(tr("file bytes"), QStringLiteral("file_bytes"));
    m_x->addItem(tr("gzip bytes"), QStringLiteral("gzip_bytes"));
    m_x->addItem(tr("latency p50 (ms, batch 1)"), QStringLiteral("latency_ms_p50"));
    m_x->addItem(tr("parameters"), QStringLiteral("params"));
    m_x->addItem(tr("non-zero parameters"), QStringLiteral("nonzero"));
    m_y = new QComboBox;
    m_y->setObjectName(QStringLiteral("boardY"));
    m_y->addItem(tr("validation perplexity"), QStringLiteral("val_ppl"));
    m_y->addItem(tr("bits per character"), QStringLiteral("val_bpc"));
    m_y->addItem(tr("validation loss"), QStringLiteral("val_loss"));
    m_logX = new QCheckBox(tr("log x"));
    m_logX->setChecked(true);
    m_compress = new QPushButton(tr("&Compress…"));
    m_compress->setObjectName(QStringLiteral("compressButton"));
    m_compress->setToolTip(tr("Make a pruned, int8 or low-rank variant of the run selected in the table"));
    m_measure = new QPushButton(tr("&Measure"));
    m_measure->setObjectName(QStringLiteral("measureButton"));
    m_measure->setToolTip(tr("Measure the runs on the board that have no measurement: quality, file size, latency, throughput"));
    auto* exportBoardButton = new QPushButton(tr("Export board…"));
    auto* exportTableButton = new QPushButton(tr("Export table…"));
    auto* controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("x:")));
    controls->addWidget(m_x);
    controls->addWidget(m_logX);
    controls->addWidget(new QLabel(tr("y:")));
    controls->addWidget(m_y);
    controls->addStretch(1);
    controls->addWidget(m_compress);
    controls->addWidget(m_measure);
    controls->addWidget(exportBoardButton);
    controls->addWidget(exportTableButton);

    m_plot = new QCustomPlot;
    m_plot->setObjectName(QStringLiteral("boardPlot"));
    m_plot->setMinimumHeight(160);
    // The legend in a row under the plot, where it never hides a point.
    m_plot->legend->setVisible(true);
    m_plot->legend->setFont(font());
    m_plot->axisRect()->insetLayout()->take(m_plot->legend);
    auto* legendRow = new QCPLayoutGrid;
    m_plot->plotLayout()->addElement(1, 0, legendRow);
    legendRow->setMargins(QMargins(5, 0, 5, 5));
    legendRow->addElement(0, 0, m_plot->legend);
    // A grid's largest size is the sum of its elements' largest sizes, and an
    // empty legend's is zero: with no point plotted yet it squeezed the whole
    // plot to the legend's width. An empty element beside it is unbounded
    // and takes the rest of the row; the legend keeps its natural width.
    legendRow->addElement(0, 1, new QCPLayoutElement(m_plot));
    legendRow->setColumnStretchFactor(0, 0.001);
    legendRow->setColumnStretchFactor(1, 1);
    m_plot->legend->setFillOrder(QCPLegend::foColumnsFirst);
    m_plot->legend->setBorderPen(Qt::NoPen);
    m_plot->plotLayout()->setRowStretchFactor(1, 0.001);
    m_plot->setMouseTracking(true);
    connect(m_plot, &QCustomPlot::mouseMove, this, &VariantBoard::hover);
    connect(m_plot, &QCustomPlot::plottableClick, this, [this](QCPAbstractPlottable* p, int index, QMouseEvent*) {
        const QVariant runs = p->property("runs");
        const auto ids = runs.value<QList<qint64>>();
        if (index >= 0 && index < ids.size())
            for (int r = 0; r < m_table->rowCount(); ++r)
                if (m_table->item(r, 0)->text().toLongLong() == ids[index])
                    m_table->selectRow(r);
    });

    m_table = new QTableWidget;
    m_table->setObjectName(QStringLiteral("boardTable"));
    m_table->setColumnCount(static_cast<int>(std::size(kColumns)));
    QStringList headers;
    for (const auto& c : kColumns)
        headers << tr(c.title);
    m_table->setHorizontalHeaderLabels(headers);
    m_table->verticalHeader()->setVisible(false);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    connect(m_table, &QTableWidget::itemSelectionChanged, this, &VariantBoard::selectionChanged);
    m_diff = new QLabel(tr("Select two rows to compare them side by side."));
    m_diff->setObjectName(QStringLiteral("boardDiff"));
    m_diff->setTextFormat(Qt::RichText);
    m_diff->setWordWrap(true);
    m_status = new QLabel;
    m_status->setObjectName(QStringLiteral("boardStatus"));
    m_status->setWordWrap(true);

    auto* lower = new QWidget;
    auto* lowerLayout = new QHBoxLayout(lower);
    lowerLayout->setContentsMargins(0, 0, 0, 0);
    lowerLayout->addWidget(m_table, 5);
    auto* diffScroll = new QScrollArea;
    diffScroll->setWidget(m_diff);
    diffScroll->setWidgetResizable(true);
    diffScroll->setFrameShape(QFrame::NoFrame);
    lowerLayout->addWidget(diffScroll, 2);
    auto* split = new QSplitter(Qt::Vertical);
    split->addWidget(m_plot);
    split->addWidget(lower);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(controls);
    layout->addWidget(split, 1);
    layout->addWidget(m_status);

    connect(m_x, &QComboBox::currentIndexChanged, this, &VariantBoard::replot);
    connect(m_y, &QComboBox::currentIndexChanged, this, &VariantBoard::replot);
    connect(m_logX, &QCheckBox::toggled, this, &VariantBoard::replot);
    connect(m_compress, &QPushButton::clicked, this, &VariantBoard::compressSelected);
    connect(m_measure, &QPushButton::clicked, this, &VariantBoard::measureMissing);
    connect(exportBoardButton, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export the board"), QStringLiteral("variants.png"),
                                                          tr("PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)"));
        QString error;
        if (!path.isEmpty() && !exportBoard(path, &error))
            QMessageBox::warning(this, tr("Export the board"), error);
    });
    connect(exportTableButton, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export the table"), QStringLiteral("variants.csv"),
                                                          tr("CSV table (*.csv);;LaTeX table (*.tex)"));
        QString error;
        if (!path.isEmpty() && !exportTable(path, &error))
            QMessageBox::warning(this, tr("Export the table"), error);
    });
    connect(m_bridge, &EngineBridge::compressFinished, this, [this](bool ok, qint64 run, const QString& error) {
        if (!ok) {
            m_status->setText(tr("Compression failed: %1").arg(error));
            return;
        }
        m_status->setText(tr("Run %1 made and measured.").arg(run));
        reload();
        emit runSelected(run);
    });
    connect(m_bridge, &EngineBridge::measureFinished, this, [this](bool ok, const QString& error) {
        m_status->setText(ok ? tr("Measured.") : tr("Measuring failed: %1").arg(error));
        reload();
    });
    showRuns({});
}

void VariantBoard::showRuns(const std::vector<std::int64_t>& runs)
{
    // A run already on the board (picked in its table) keeps the board as it is.
    if (runs.size() == 1 && row(runs.front()) && !m_runs.empty())
        return;
    m_runs = runs;
    reload();
}

void VariantBoard::reload()
{
    QString error;
    m_rows = {};
    if (!m_runs.empty()) {
        const QString json = m_bridge->variantBoard(m_runs, &error);
        m_rows = QJsonDocument::fromJson(json.toUtf8()).array();
    }
    int missing = 0;
    for (const auto& v : m_rows)
        if (!v.toObject().value(QStringLiteral("measured")).toBool())
            ++missing;
    m_measure->setEnabled(missing > 0);
    m_compress->setEnabled(!m_runs.empty());
    if (!error.isEmpty())
        m_status->setText(error);
    else if (m_runs.empty())
        m_status->setText(tr("Select a run: its family of variants appears here."));
    else if (missing > 0)
        m_status->setText(tr("Not measured yet: %1 of the runs here. Press Measure.").arg(missing));
    else
        m_status->setText(tr("Sizes are file bytes and speeds are measured (batch-1 next-token latency, batch-16 tokens/s, "
                             "one thread); circled points are on the Pareto frontier."));
    fillTable();
    replot();
}

std::optional<QJsonObject> VariantBoard::row(std::int64_t run) const
{
    for (const auto& v : m_rows)
        if (v.toObject().value(QStringLiteral("run")).toInteger() == run)
            return v.toObject();
    return std::nullopt;
}

double VariantBoard::xOf(const QJsonObject& r) const
{
    return r.value(m_x->currentData().toString()).toDouble();
}

double VariantBoard::yOf(const QJsonObject& r) const
{
    return r.value(m_y->currentData().toString()).toDouble();
}

QString VariantBoard::label(const QJsonObject& r) const
{
    return tr("run %1").arg(r.value(QStringLiteral("run")).toInteger());
}

std::vector<std::int64_t> VariantBoard::frontier() const
{
    // Sorted by x (then y): a point is on the frontier when its y is below
    // every y seen at a smaller x.
    std::vector<std::pair<std::pair<double, double>, std::int64_t>> pts;
    for (const auto& v : m_rows) {
        const QJsonObject r = v.toObject();
        if (r.value(QStringLiteral("measured")).toBool())
            pts.push_back({{xOf(r), yOf(r)}, r.value(QStringLiteral("run")).toInteger()});
    }
    std::sort(pts.begin(), pts.end());
    std::vector<std::int64_t> out;
    double best = std::numeric_limits<double>::infinity();
    for (const auto& [xy, run] : pts)
        if (xy.second < best) {
            best = xy.second;
            out.push_back(run);
        }
    return out;
}

QString VariantBoard::card(std::int64_t run) const
{
    const auto r = row(run);
    if (!r)
        return {};
    QString text = tr("run %1 — %2 (%3)").arg(run).arg(methodName(*r), r->value(QStringLiteral("arch")).toString());
    if (!r->value(QStringLiteral("parent")).isNull())
        text += QLatin1Char('\n') + tr("parent: run %1").arg(r->value(QStringLiteral("parent")).toInteger());
    if (!r->value(QStringLiteral("measured")).toBool())
        return text + QLatin1Char('\n') + tr("not measured yet");
    auto num = [&](const char* k, int prec = 4) { return QLocale().toString(r->value(QLatin1String(k)).toDouble(), 'f', prec); };
    text += QLatin1Char('\n') + tr("perplexity %1, %2 bits/char").arg(num("val_ppl", 3), num("val_bpc", 3));
    text += QLatin1Char('\n') + tr("%1 parameters, %2 non-zero").arg(num("params", 0), num("nonzero", 0));
    text += QLatin1Char('\n') + tr("file %1 bytes (gzip %2)").arg(num("file_bytes", 0), num("gzip_bytes", 0));
    text += QLatin1Char('\n') + tr("latency p50 %1 ms, p90 %2 ms; %3 tokens/s")
                                    .arg(num("latency_ms_p50", 3), num("latency_ms_p90", 3), num("tokens_per_s", 0));
    return text;
}

QString VariantBoard::diff(std::int64_t a, std::int64_t b) const
{
    const auto pa = row(a), pb = row(b);
    if (!pa || !pb)
        return {};
    const QJsonObject ra = *pa, rb = *pb;
    QString html = QStringLiteral("<table cellspacing=\"4\"><tr><th></th><th>%1</th><th>%2</th><th>%3</th></tr>")
                       .arg(label(ra), label(rb), tr("ratio"));
    for (const auto& c : kColumns) {
        const QString key = QLatin1String(c.key);
        if (key == QStringLiteral("run"))
            continue;
        QString ratio;
        if (ra.value(key).isDouble() && rb.value(key).isDouble() && ra.value(key).toDouble() != 0 && key != QStringLiteral("parent"))
            ratio = QString::number(rb.value(key).toDouble() / ra.value(key).toDouble(), 'f', 3);
        html += QStringLiteral("<tr><td>%1</td><td>%2</td><td>%3</td><td>%4</td></tr>")
                    .arg(tr(c.title), cell(ra, c.key), cell(rb, c.key), ratio);
    }
    return html + QStringLiteral("</table>");
}

void VariantBoard::fillTable()
{
    QSignalBlocker block(m_table);
    m_table->setRowCount(static_cast<int>(m_rows.size()));
    int i = 0;
    for (const auto& v : m_rows) {
        const QJsonObject r = v.toObject();
        int col = 0;
        for (const auto& c : kColumns) {
            auto* item = new QTableWidgetItem(cell(r, c.key));
            if (col >= 3)
                item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            m_table->setItem(i, col++, item);
        }
        ++i;
    }
    m_diff->setText(tr("Select two rows to compare them side by side."));
}

void VariantBoard::replot()
{
    m_plot->clearPlottables();
    m_plot->clearItems();
    const bool logX = m_logX->isChecked();
    m_plot->xAxis->setScaleType(logX ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
    if (logX)
        m_plot->xAxis->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
    else
        m_plot->xAxis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
    m_plot->xAxis->setLabel(m_x->currentText());
    m_plot->yAxis->setLabel(m_y->currentText());

    // One graph per kind of variant, a colour per kind.
    const QList<QColor> palette = {QColor(31, 119, 180), QColor(214, 39, 40), QColor(44, 160, 44),
                                   QColor(255, 127, 14), QColor(148, 103, 189), QColor(140, 86, 75)};
    std::map<QString, QCPGraph*> graphs;
    std::map<QString, QList<qint64>> ids;
    std::map<std::int64_t, QPointF> where;
    double xmin = 1e300, xmax = -1e300, ymin = 1e300, ymax = -1e300;
    for (const auto& v : m_rows) {
        const QJsonObject r = v.toObject();
        if (!r.value(QStringLiteral("measured")).toBool())
            continue;
        const QString kind = methodName(r);
        if (!graphs.count(kind)) {
            auto* g = m_plot->addGraph();
            g->setName(kind);
            g->setLineStyle(QCPGraph::lsNone);
            g->setScatterStyle(styleFor(kind, palette[static_cast<int>(graphs.size()) % palette.size()]));
            g->setSelectable(QCP::stSingleData);
            graphs[kind] = g;
        }
        const double x = xOf(r), y = yOf(r);
        if (logX && x <= 0)
            continue;
        graphs[kind]->addData(x, y);
        ids[kind].push_back(r.value(QStringLiteral("run")).toInteger());
        where[r.value(QStringLiteral("run")).toInteger()] = QPointF(x, y);
        xmin = std::min(xmin, x), xmax = std::max(xmax, x), ymin = std::min(ymin, y), ymax = std::max(ymax, y);
    }
    for (auto& [kind, g] : graphs)
        g->setProperty("runs", QVariant::fromValue(ids[kind]));

    // The Pareto frontier: a step line through its points, and rings.
    const auto front = frontier();
    if (!front.empty()) {
        auto* line = m_plot->addGraph();
        line->setName(tr("Pareto frontier"));
        line->setLineStyle(QCPGraph::lsStepLeft);
        line->setPen(QPen(QColor(0, 0, 0, 140), 1.5, Qt::DashLine));
        line->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(Qt::black, 1.5), Qt::NoBrush, 15));
        for (std::int64_t run : front)
            if (where.count(run))
                line->addData(where[run].x(), where[run].y());
    }
    // Lineage: an arrow from each parent on the board to its child.
    for (const auto& v : m_rows) {
        const QJsonObject r = v.toObject();
        const std::int64_t child = r.value(QStringLiteral("run")).toInteger();
        const QJsonValue p = r.value(QStringLiteral("parent"));
        if (p.isNull() || !where.count(child) || !where.count(p.toInteger()))
            continue;
        auto* arrow = new QCPItemLine(m_plot);
        arrow->setPen(QPen(QColor(90, 90, 90, 160), 1.2));
        arrow->start->setCoords(where[p.toInteger()]);
        arrow->end->setCoords(where[child]);
        arrow->setHead(QCPLineEnding(QCPLineEnding::esSpikeArrow, 8, 10));
    }
    if (xmin <= xmax) {
        const double padY = std::max(1e-3, 0.08 * (ymax - ymin));
        if (logX)
            m_plot->xAxis->setRange(xmin / 1.3, xmax * 1.3);
        else {
            const double padX = std::max(1e-9, 0.08 * (xmax - xmin));
            m_plot->xAxis->setRange(xmin - padX, xmax + padX);
        }
        m_plot->yAxis->setRange(ymin - padY, ymax + padY);
    }
    m_plot->replot();
}

void VariantBoard::hover(QMouseEvent* event)
{
    // The nearest point within 12 pixels shows its card.
    double best = 12.0;
    std::int64_t hit = 0;
    for (const auto& v : m_rows) {
        const QJsonObject r = v.toObject();
        if (!r.value(QStringLiteral("measured")).toBool())
            continue;
        const double px = m_plot->xAxis->coordToPixel(xOf(r)), py = m_plot->yAxis->coordToPixel(yOf(r));
        const double d = std::hypot(px - event->position().x(), py - event->position().y());
        if (d < best) {
            best = d;
            hit = r.value(QStringLiteral("run")).toInteger();
        }
    }
    if (hit)
        QToolTip::showText(event->globalPosition().toPoint(), card(hit), m_plot);
    else
        QToolTip::hideText();
}

void VariantBoard::selectionChanged()
{
    std::vector<std::int64_t> selected;
    for (const auto& range : m_table->selectedRanges())
        for (int r = range.topRow(); r <= range.bottomRow(); ++r)
            selected.push_back(m_table->item(r, 0)->text().toLongLong());
    if (selected.size() == 2)
        m_diff->setText(diff(selected[0], selected[1]));
    else if (selected.size() == 1)
        m_diff->setText(card(selected[0]).toHtmlEscaped().replace(QLatin1Char('\n'), QStringLiteral("<br>")));
    if (selected.size() == 1)
        emit runSelected(selected[0]);
}

bool VariantBoard::exportTable(const QString& path, QString* error)
{
    const bool csv = path.endsWith(QStringLiteral(".csv"), Qt::CaseInsensitive);
    const bool tex = path.endsWith(QStringLiteral(".tex"), Qt::CaseInsensitive);
    if (!csv && !tex) {
        if (error)
            *error = tr("%1: export the table as .csv or .tex").arg(path);
        return false;
    }
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text)) {
        if (error)
            *error = tr("cannot write %1: %2").arg(path, f.errorString());
        return false;
    }
    QTextStream out(&f);
    if (csv) {
        // The JSON keys as the header, so other tools read the columns by name.
        QStringList header;
        for (const auto& c : kColumns)
            header << QLatin1String(c.key);
        out << header.join(QLatin1Char(',')) << '\n';
        for (const auto& v : m_rows) {
            QStringList cells;
            for (const auto& c : kColumns) {
                QString s = cell(v.toObject(), c.key);
                if (s == QStringLiteral("-"))
                    s.clear();
                if (s.contains(QLatin1Char(',')) || s.contains(QLatin1Char('"')))
                    s = QLatin1Char('"') + s.replace(QStringLiteral("\""), QStringLiteral("\"\"")) + QLatin1Char('"');
                cells << s;
            }
            out << cells.join(QLatin1Char(',')) << '\n';
        }
    } else {
        out << "\\begin{tabular}{rrl" << QString(static_cast<int>(std::size(kColumns)) - 3, QLatin1Char('r')) << "}\n\\hline\n";
        QStringList header;
        for (const auto& c : kColumns)
            header << tr(c.title).replace(QStringLiteral("%"), QStringLiteral("\\%"));
        out << header.join(QStringLiteral(" & ")) << " \\\\\n\\hline\n";
        const auto front = frontier();
        for (const auto& v : m_rows) {
            QStringList cells;
            const QJsonObject r = v.toObject();
            for (const auto& c : kColumns)
                cells << cell(r, c.key).replace(QStringLiteral("_"), QStringLiteral("\\_"));
            // Frontier rows in bold.
            if (std::find(front.begin(), front.end(), r.value(QStringLiteral("run")).toInteger()) != front.end())
                for (auto& s : cells)
                    s = QStringLiteral("\\textbf{") + s + QLatin1Char('}');
            out << cells.join(QStringLiteral(" & ")) << " \\\\\n";
        }
        out << "\\hline\n\\end{tabular}\n";
    }
    out.flush();
    f.close();
    if (f.error() != QFileDevice::NoError) {
        if (error)
            *error = tr("cannot write %1: %2").arg(path, f.errorString());
        return false;
    }
    return true;
}

void VariantBoard::measureMissing()
{
    std::vector<std::int64_t> runs;
    for (const auto& v : m_rows) {
        const QJsonObject r = v.toObject();
        if (!r.value(QStringLiteral("measured")).toBool() && r.value(QStringLiteral("task")).toString() == QStringLiteral("lm")
            && r.value(QStringLiteral("status")).toString() != QStringLiteral("running")
            && r.value(QStringLiteral("status")).toString() != QStringLiteral("queued"))
            runs.push_back(r.value(QStringLiteral("run")).toInteger());
    }
    if (runs.empty())
        return;
    QString error;
    if (!m_bridge->startMeasure(runs, &error))
        m_status->setText(error);
    else
        m_status->setText(tr("Measuring %1 of the runs here…").arg(runs.size()));
}

} // namespace wb::ui
