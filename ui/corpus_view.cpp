// SPDX-License-Identifier: GPL-3.0-or-later
#include "corpus_view.h"

#include "engine_bridge.h"

#include <qcustomplot.h>

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QRegularExpressionValidator>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableWidget>
#include <QVBoxLayout>

namespace wb::ui {

namespace {

QString number(double v)
{
    return QLocale().toString(static_cast<qlonglong>(v));
}

// Bars with text labels under them.
void fillBars(QCustomPlot* plot, const QVector<QString>& labels, const QVector<double>& values, const QString& yLabel)
{
    plot->clearPlottables();
    auto* bars = new QCPBars(plot->xAxis, plot->yAxis);
    bars->setWidth(0.7);
    bars->setPen(QPen(QColor(40, 90, 160)));
    bars->setBrush(QColor(70, 130, 200, 170));
    QVector<double> keys;
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    for (int i = 0; i < labels.size(); ++i) {
        keys << i + 1;
        ticker->addTick(i + 1, labels[i]);
    }
    bars->setData(keys, values);
    plot->xAxis->setTicker(ticker);
    plot->xAxis->setTickLabelRotation(labels.size() > 8 ? 45 : 0);
    plot->xAxis->setRange(0.3, labels.size() + 0.7);
    double most = 1;
    for (double v : values)
        most = std::max(most, v);
    plot->yAxis->setRange(0, most * 1.08);
    plot->yAxis->setLabel(yLabel);
    plot->replot();
}

QCustomPlot* makePlot(const QString& objectName)
{
    auto* plot = new QCustomPlot;
    plot->setObjectName(objectName);
    plot->setMinimumHeight(220);
    plot->xAxis->grid()->setVisible(false);
    return plot;
}

QString visibleChar(QString c)
{
    if (c == QLatin1String("\n")) return QStringLiteral("\\n");
    if (c == QLatin1String("\t")) return QStringLiteral("\\t");
    if (c == QLatin1String(" ")) return QStringLiteral("␣");
    return c;
}

} // namespace

CorpusView::CorpusView(EngineBridge* bridge, const QString& corpus, QWidget* parent)
    : QDialog(parent), m_bridge(bridge), m_corpus(corpus)
{
    setObjectName(QStringLiteral("corpusView"));
    setWindowTitle(tr("Corpus statistics: %1").arg(corpus));
    m_header = new QLabel;
    m_header->setObjectName(QStringLiteral("corpusHeader"));
    m_header->setWordWrap(true);
    m_header->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_splits = new QTableWidget(0, 4);
    m_splits->setObjectName(QStringLiteral("splitsTable"));
    m_splits->setHorizontalHeaderLabels({tr("Split"), tr("Documents"), tr("Characters"), tr("Bytes")});
    m_tokenizers = new QTableWidget(0, 9);
    m_tokenizers->setObjectName(QStringLiteral("tokenizersTable"));
    m_tokenizers->setHorizontalHeaderLabels({tr("Tokenizer"), tr("Kind"), tr("Vocabulary"), tr("Train tokens"),
                                             tr("Validation tokens"), tr("Test tokens"), tr("Bytes/token"),
                                             tr("Unknown"), tr("Coverage")});
    for (auto* t : {m_splits, m_tokenizers}) {
        t->setEditTriggers(QAbstractItemView::NoEditTriggers);
        t->verticalHeader()->setVisible(false);
        t->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
        t->horizontalHeader()->setStretchLastSection(true);
    }
    m_splits->setMaximumHeight(130);

    m_lengths = makePlot(QStringLiteral("lengthHistogram"));
    m_chars = makePlot(QStringLiteral("topCharsPlot"));
    m_labels = makePlot(QStringLiteral("labelsPlot"));
    m_tokens = makePlot(QStringLiteral("topTokensPlot"));
    auto* tabs = new QTabWidget;
    tabs->setObjectName(QStringLiteral("corpusTabs"));
    tabs->addTab(m_lengths, tr("Document lengths"));
    tabs->addTab(m_chars, tr("Top characters"));
    tabs->addTab(m_tokens, tr("Top tokens"));
    m_tokenizers->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_tokenizers->setSelectionMode(QAbstractItemView::SingleSelection);
    connect(m_tokenizers, &QTableWidget::currentCellChanged, this, [this](int row) { showTopTokens(row); });
    tabs->addTab(m_labels, tr("Labels"));

    auto* trainTok = new QPushButton(tr("Train &tokenizer…"));
    trainTok->setObjectName(QStringLiteral("trainTokenizerButton"));
    auto* remove = new QPushButton(tr("&Remove corpus…"));
    remove->setObjectName(QStringLiteral("removeCorpusButton"));
    auto* close = new QPushButton(tr("&Close"));
    connect(trainTok, &QPushButton::clicked, this, [this] { emit trainTokenizerRequested(m_corpus); });
    connect(remove, &QPushButton::clicked, this, [this] { emit removeRequested(m_corpus); });
    connect(close, &QPushButton::clicked, this, &QDialog::accept);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(trainTok);
    buttons->addWidget(remove);
    buttons->addStretch(1);
    buttons->addWidget(close);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_header);
    layout->addWidget(m_splits);
    layout->addWidget(new QLabel(tr("Tokenizers with token caches on this corpus:")));
    layout->addWidget(m_tokenizers);
    layout->addWidget(tabs, 1);
    layout->addLayout(buttons);
    resize(900, 720);
    reload();
}

void CorpusView::reload()
{
    QString error;
    const QString json = m_bridge->corpusSummaryJson(m_corpus, &error);
    if (json.isEmpty()) {
        m_header->setText(error);
        return;
    }
    m_summary = QJsonDocument::fromJson(json.toUtf8()).object();
    const auto& s = m_summary;
    QString header = tr("<b>%1</b>: %2 documents, %3 characters, %4 bytes; split %5 (seed %6).")
                         .arg(m_corpus.toHtmlEscaped(), number(s[QStringLiteral("documents")].toInteger()),
                              number(s[QStringLiteral("chars")].toInteger()), number(s[QStringLiteral("bytes")].toInteger()),
                              s[QStringLiteral("split")].toString(),
                              QString::number(s[QStringLiteral("split_seed")].toInteger()));
    header += QLatin1Char(' ')
              + tr("Removed: %1 duplicates, %2 too short, %3 too long; %4 files skipped.")
                    .arg(number(s[QStringLiteral("duplicates_removed")].toInteger()),
                         number(s[QStringLiteral("too_short")].toInteger()), number(s[QStringLiteral("too_long")].toInteger()),
                         number(s[QStringLiteral("skipped")].toArray().size()));
    m_header->setText(header);

    const auto splits = s[QStringLiteral("splits")].toObject();
    m_splits->setRowCount(0);
    const QString names[3] = {tr("train"), tr("validation"), tr("test")};
    const char* keys[3] = {"train", "validation", "test"};
    for (int i = 0; i < 3; ++i) {
        const auto o = splits[QLatin1String(keys[i])].toObject();
        m_splits->insertRow(i);
        m_splits->setItem(i, 0, new QTableWidgetItem(names[i]));
        m_splits->setItem(i, 1, new QTableWidgetItem(o[QStringLiteral("documents")].isNull() ? QStringLiteral("–")
                                                                                              : number(o[QStringLiteral("documents")].toInteger())));
        m_splits->setItem(i, 2, new QTableWidgetItem(number(o[QStringLiteral("chars")].toInteger())));
        m_splits->setItem(i, 3, new QTableWidgetItem(number(o[QStringLiteral("bytes")].toInteger())));
    }

    const auto toks = s[QStringLiteral("tokenizers")].toArray();
    m_tokenizers->setRowCount(0);
    for (int r = 0; r < toks.size(); ++r) {
        const auto t = toks[r].toObject();
        const auto tokens = t[QStringLiteral("tokens")].toObject();
        const double unk = t[QStringLiteral("unk_rate")].toDouble();
        m_tokenizers->insertRow(r);
        const QString cells[9] = {t[QStringLiteral("name")].toString(),
                                  t[QStringLiteral("kind")].toString(),
                                  number(t[QStringLiteral("vocab_size")].toInteger()),
                                  number(tokens[QStringLiteral("train")].toInteger()),
                                  number(tokens[QStringLiteral("validation")].toInteger()),
                                  number(tokens[QStringLiteral("test")].toInteger()),
                                  QLocale().toString(t[QStringLiteral("bytes_per_token")].toDouble(), 'f', 3),
                                  QLocale().toString(100.0 * unk, 'f', 3) + QStringLiteral(" %"),
                                  QLocale().toString(100.0 * (1.0 - unk), 'f', 2) + QStringLiteral(" %")};
        for (int c = 0; c < 9; ++c)
            m_tokenizers->setItem(r, c, new QTableWidgetItem(cells[c]));
    }

    showTopTokens(toks.isEmpty() ? -1 : toks.size() - 1);
    if (!toks.isEmpty())
        m_tokenizers->selectRow(toks.size() - 1);

    QVector<QString> labels;
    QVector<double> values;
    for (const auto& b : s[QStringLiteral("length_histogram")].toArray()) {
        const auto o = b.toObject();
        labels << QStringLiteral("%1–%2").arg(number(o[QStringLiteral("min_chars")].toInteger()),
                                               number(o[QStringLiteral("max_chars")].toInteger()));
        values << o[QStringLiteral("documents")].toDouble();
    }
    fillBars(m_lengths, labels, values, tr("documents"));
    m_lengths->xAxis->setLabel(tr("document length in characters"));
    m_lengths->replot();

    labels.clear();
    values.clear();
    for (const auto& c : s[QStringLiteral("top_chars")].toArray()) {
        const auto o = c.toObject();
        labels << visibleChar(o[QStringLiteral("char")].toString());
        values << o[QStringLiteral("count")].toDouble();
    }
    fillBars(m_chars, labels, values, tr("occurrences"));

    labels.clear();
    values.clear();
    const auto labelCounts = s[QStringLiteral("labels")].toObject();
    for (auto it = labelCounts.begin(); it != labelCounts.end(); ++it) {
        labels << it.key();
        values << it.value().toDouble();
    }
    fillBars(m_labels, labels, values, tr("documents"));
    if (labels.isEmpty()) {
        m_labels->xAxis->setLabel(tr("this corpus has no labels"));
        m_labels->replot();
    }
}

void CorpusView::showTopTokens(int row)
{
    const auto toks = m_summary[QStringLiteral("tokenizers")].toArray();
    QVector<QString> labels;
    QVector<double> values;
    QString name;
    if (row >= 0 && row < toks.size()) {
        const auto t = toks[row].toObject();
        name = t[QStringLiteral("name")].toString();
        for (const auto& v : t[QStringLiteral("top_tokens")].toArray()) {
            const auto o = v.toObject();
            labels << visibleChar(o[QStringLiteral("token")].toString());
            values << o[QStringLiteral("count")].toDouble();
        }
    }
    fillBars(m_tokens, labels, values, tr("occurrences"));
    m_tokens->xAxis->setLabel(name.isEmpty() ? QString() : tr("most frequent tokens of %1 (training split)").arg(name));
    m_tokens->replot();
}

bool askTokenizerOptions(QWidget* parent, const QString& corpus, QString* name, TokenizerTrainOptions* options)
{
    QDialog d(parent);
    d.setObjectName(QStringLiteral("tokenizerDialog"));
    d.setWindowTitle(QObject::tr("Train a tokenizer on %1").arg(corpus));
    auto* form = new QFormLayout;
    auto* nameEdit = new QLineEdit(corpus + QStringLiteral("-bpe"));
    // Checked by the engine's one rule for names (engine/core/names.h) when
    // the tokenizer is trained; a refused name comes back as a message.
    auto* kind = new QComboBox;
    for (const auto& k : tokenizerKinds())
        kind->addItem(QString::fromStdString(k));
    kind->setCurrentText(QStringLiteral("bpe"));
    auto* vocab = new QSpinBox;
    vocab->setRange(0, 1 << 20);
    vocab->setValue(2000);
    vocab->setSpecialValueText(QObject::tr("default"));
    auto* lower = new QCheckBox(QObject::tr("Lowercase (word)"));
    auto* minFreq = new QSpinBox;
    minFreq->setRange(1, 1 << 30);
    minFreq->setValue(2);
    form->addRow(QObject::tr("&Name:"), nameEdit);
    form->addRow(QObject::tr("&Kind:"), kind);
    form->addRow(QObject::tr("&Vocabulary size:"), vocab);
    form->addRow(QString(), lower);
    form->addRow(QObject::tr("&Minimum frequency (word):"), minFreq);
    QObject::connect(kind, &QComboBox::currentTextChanged, &d, [&](const QString& k) {
        const bool word = k == QLatin1String("word");
        const bool fixed = k == QLatin1String("char") || k == QLatin1String("byte");
        lower->setEnabled(word);
        minFreq->setEnabled(word);
        vocab->setEnabled(!fixed);
        if (fixed)
            vocab->setValue(0);
        nameEdit->setText(corpus + QLatin1Char('-') + k);
    });
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    buttons->button(QDialogButtonBox::Ok)->setText(QObject::tr("&Train"));
    QObject::connect(buttons, &QDialogButtonBox::accepted, &d, &QDialog::accept);
    QObject::connect(buttons, &QDialogButtonBox::rejected, &d, &QDialog::reject);
    auto* layout = new QVBoxLayout(&d);
    layout->addLayout(form);
    layout->addWidget(buttons);
    if (d.exec() != QDialog::Accepted || nameEdit->text().isEmpty())
        return false;
    *name = nameEdit->text();
    options->kind = kind->currentText().toStdString();
    options->vocabSize = vocab->value();
    options->lowercase = lower->isChecked();
    options->minFrequency = kind->currentText() == QLatin1String("word") ? minFreq->value() : 1;
    return true;
}

} // namespace wb::ui
