// SPDX-License-Identifier: GPL-3.0-or-later
#include "run_setup_panel.h"

#include "core/threads.h"
#include "engine_bridge.h"
#include "models/model_spec.h"

#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QVBoxLayout>

namespace wb::ui {

RunSetupPanel::RunSetupPanel(QWidget* parent) : QGroupBox(tr("Run setup"), parent)
{
    setObjectName(QStringLiteral("runSetupPanel"));
    auto* form = new QFormLayout;

    m_corpus = new QComboBox;
    m_corpus->setObjectName(QStringLiteral("corpusCombo"));
    m_corpus->setMinimumContentsLength(14);
    m_addCorpus = new QPushButton(tr("Add…"));
    m_addCorpus->setObjectName(QStringLiteral("addCorpusButton"));
    m_addCorpus->setToolTip(tr("Import UTF-8 text files as a new corpus"));
    m_stats = new QPushButton(tr("Statistics…"));
    m_stats->setObjectName(QStringLiteral("corpusStatsButton"));
    m_stats->setToolTip(tr("Documents, splits, tokenizers, length histogram and labels of this corpus"));
    auto* corpusRow = new QHBoxLayout;
    corpusRow->addWidget(m_corpus, 1);
    corpusRow->addWidget(m_addCorpus);
    auto* corpusLabel = new QLabel(tr("&Corpus:"));
    corpusLabel->setBuddy(m_corpus);
    form->addRow(corpusLabel, corpusRow);
    form->addRow(QString(), m_stats);

    m_tokenizer = new QComboBox;
    m_tokenizer->setObjectName(QStringLiteral("tokenizerCombo"));
    m_tokenizer->setToolTip(tr("Any tokenizer in the catalog; the corpus is encoded with it once, then reused"));
    m_tokenizer->addItem(tr("characters of the corpus"), QString());
    form->addRow(tr("T&okenizer:"), m_tokenizer);

    m_preset = new QComboBox;
    m_preset->setObjectName(QStringLiteral("presetCombo"));
    for (const auto& p : presets())
        m_preset->addItem(QString::fromStdString(p.name));
    m_design = new QPushButton(tr("Design…"));
    m_design->setObjectName(QStringLiteral("designButton"));
    m_design->setToolTip(tr("Design an architecture of any family and compare two side by side"));
    auto* presetRow = new QHBoxLayout;
    presetRow->addWidget(m_preset, 1);
    presetRow->addWidget(m_design);
    auto* presetLabel = new QLabel(tr("&Preset:"));
    presetLabel->setBuddy(m_preset);
    form->addRow(presetLabel, presetRow);

    m_cost = new QLabel;
    m_cost->setObjectName(QStringLiteral("costLabel"));
    m_cost->setWordWrap(true);
    m_cost->setTextInteractionFlags(Qt::TextSelectableByMouse);
    form->addRow(QString(), m_cost);

    m_device = new QComboBox;
    m_device->setObjectName(QStringLiteral("deviceCombo"));
    m_device->addItem(tr("CPU"), QStringLiteral("cpu"));
    m_device->addItem(tr("CUDA GPU"), QStringLiteral("cuda"));
    if (!EngineBridge::cudaAvailable()) {
        auto* model = qobject_cast<QStandardItemModel*>(m_device->model());
        auto* item = model->item(1);
        item->setEnabled(false);
        item->setToolTip(EngineBridge::cudaUnavailableReason());
        m_device->setToolTip(EngineBridge::cudaUnavailableReason());
    }
    form->addRow(tr("&Device:"), m_device);

    m_precision = new QComboBox;
    m_precision->setObjectName(QStringLiteral("precisionCombo"));
    m_precision->addItem(tr("fp32"), QStringLiteral("fp32"));
    m_precision->addItem(tr("bf16 mixed"), QStringLiteral("bf16"));
    m_precision->setToolTip(tr("bf16: the forward pass in bfloat16 under autocast, weights and optimizer in fp32; "
                               "about twice as fast on CPUs with AMX or AVX512-BF16, slower on others"));
    form->addRow(tr("&Precision:"), m_precision);

    m_threads = new QSpinBox;
    m_threads->setObjectName(QStringLiteral("threadsSpin"));
    m_threads->setRange(1, std::max(1, hardwareThreads() * 2));
    m_threads->setValue(hardwareThreads());
    m_threads->setToolTip(tr("CPU threads for LibTorch (OpenBLAS is held to one thread)"));
    form->addRow(tr("&Threads:"), m_threads);

    m_steps = new QSpinBox;
    m_steps->setObjectName(QStringLiteral("stepsSpin"));
    m_steps->setRange(10, 10000000);
    m_steps->setSingleStep(100);
    m_steps->setValue(2000);
    m_steps->setGroupSeparatorShown(true);
    form->addRow(tr("&Steps:"), m_steps);

    m_train = new QPushButton(tr("&Train"));
    m_train->setObjectName(QStringLiteral("trainButton"));
    m_train->setDefault(true);
    m_stop = new QPushButton(tr("St&op"));
    m_stop->setObjectName(QStringLiteral("stopButton"));
    m_stop->setEnabled(false);
    m_queue = new QPushButton(tr("Add to &queue"));
    m_queue->setObjectName(QStringLiteral("queueButton"));
    m_queue->setToolTip(tr("Queue this run: queued runs train one after another (one per device), also after a restart"));
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_train);
    buttons->addWidget(m_stop);
    auto* queueRow = new QHBoxLayout;
    queueRow->addWidget(m_queue);

    auto* outer = new QVBoxLayout(this);
    outer->addLayout(form);
    outer->addLayout(buttons);
    outer->addLayout(queueRow);
    outer->addStretch(1);

    connect(m_train, &QPushButton::clicked, this, &RunSetupPanel::trainRequested);
    connect(m_stop, &QPushButton::clicked, this, &RunSetupPanel::stopRequested);
    connect(m_queue, &QPushButton::clicked, this, &RunSetupPanel::queueRequested);
    connect(m_addCorpus, &QPushButton::clicked, this, &RunSetupPanel::addCorpusRequested);
    connect(m_stats, &QPushButton::clicked, this, &RunSetupPanel::corpusStatsRequested);
    connect(m_design, &QPushButton::clicked, this, &RunSetupPanel::designRequested);
    connect(m_tokenizer, &QComboBox::currentIndexChanged, this, &RunSetupPanel::updateCost);
    connect(m_preset, &QComboBox::currentIndexChanged, this, &RunSetupPanel::updateCost);
    connect(m_corpus, &QComboBox::currentIndexChanged, this, &RunSetupPanel::updateCost);
    updateCost();
}

void RunSetupPanel::setCorpora(const std::vector<CorpusRecord>& corpora, const QString& select)
{
    m_corpora = corpora;
    const QString keep = select.isEmpty() ? m_corpus->currentText() : select;
    m_corpus->clear();
    for (const auto& c : corpora)
        m_corpus->addItem(QString::fromStdString(c.name));
    const int idx = m_corpus->findText(keep);
    if (idx >= 0)
        m_corpus->setCurrentIndex(idx);
    m_train->setEnabled(m_corpus->count() > 0 && !m_stop->isEnabled());
    m_stats->setEnabled(m_corpus->count() > 0);
    updateCost();
}

void RunSetupPanel::setTokenizers(const std::vector<TokenizerRecord>& tokenizers, const QString& select)
{
    m_tokenizers = tokenizers;
    const QString keep = select.isNull() ? tokenizer() : select;
    m_tokenizer->blockSignals(true);
    while (m_tokenizer->count() > 1)
        m_tokenizer->removeItem(1);
    for (const auto& t : tokenizers) {
        if (t.config.find("corpus_default") != std::string::npos)
            continue; // a corpus's own character tokenizer: the first entry stands for it
        m_tokenizer->addItem(tr("%1 (%2, %3 tokens)")
                                 .arg(QString::fromStdString(t.name), QString::fromStdString(t.kind))
                                 .arg(t.vocabSize),
                             QString::fromStdString(t.name));
    }
    const int idx = m_tokenizer->findData(keep);
    m_tokenizer->setCurrentIndex(idx >= 0 ? idx : 0);
    m_tokenizer->blockSignals(false);
    updateCost();
}

QString RunSetupPanel::tokenizer() const
{
    return m_tokenizer->currentData().toString();
}

QString RunSetupPanel::corpus() const
{
    return m_corpus->currentText();
}

QString RunSetupPanel::preset() const
{
    return m_preset->currentText();
}

void RunSetupPanel::addDesignedSpec(const QString& name, const QString& json)
{
    int i = m_preset->findText(name);
    if (i < 0) {
        m_preset->addItem(name);
        i = m_preset->count() - 1;
    }
    m_preset->setItemData(i, json);
    m_preset->setCurrentIndex(i);
    updateCost();
}

QString RunSetupPanel::designedSpec() const
{
    return m_preset->currentData().toString();
}

void RunSetupPanel::setPreset(const QString& name)
{
    if (const int i = m_preset->findText(name); i >= 0)
        m_preset->setCurrentIndex(i);
}

QString RunSetupPanel::precision() const
{
    return m_precision->currentData().toString();
}

void RunSetupPanel::setPrecision(const QString& precision)
{
    const int i = m_precision->findData(precision);
    if (i >= 0)
        m_precision->setCurrentIndex(i);
}

QString RunSetupPanel::device() const
{
    return m_device->currentData().toString();
}

void RunSetupPanel::setDevice(const QString& device)
{
    const int i = m_device->findData(device);
    auto* model = qobject_cast<QStandardItemModel*>(m_device->model());
    if (i >= 0 && model->item(i)->isEnabled())
        m_device->setCurrentIndex(i);
}

int RunSetupPanel::threads() const
{
    return m_threads->value();
}

void RunSetupPanel::setThreads(int n)
{
    m_threads->setValue(n);
}

int RunSetupPanel::steps() const
{
    return m_steps->value();
}

void RunSetupPanel::setSteps(int n)
{
    m_steps->setValue(n);
}

void RunSetupPanel::setTraining(bool training)
{
    // The fields stay editable while a run trains: its settings are stored
    // with it, and the next run can be set up and queued meanwhile.
    m_train->setEnabled(!training && m_corpus->count() > 0);
    m_stop->setEnabled(training);
    m_queue->setEnabled(m_corpus->count() > 0);
}

void RunSetupPanel::updateCost()
{
    const auto& all = presets();
    const int i = m_preset->currentIndex();
    Preset p;
    if (!designedSpec().isEmpty()) {
        try {
            p = {m_preset->currentText().toStdString(), "", ModelSpec::fromJson(designedSpec().toStdString())};
            p.description = "designed " + p.spec.family;
        } catch (const std::exception&) {
            m_cost->clear();
            return;
        }
    } else if (i < 0 || i >= static_cast<int>(all.size())) {
        m_cost->clear();
        return;
    } else {
        p = all[static_cast<std::size_t>(i)];
    }
    std::int64_t vocab = 0;
    for (const auto& c : m_corpora)
        if (QString::fromStdString(c.name) == m_corpus->currentText())
            vocab = c.vocabSize;
    for (const auto& t : m_tokenizers)
        if (!tokenizer().isEmpty() && QString::fromStdString(t.name) == tokenizer())
            vocab = t.vocabSize;
    QString text = QString::fromStdString(p.description);
    if (vocab > 0) {
        const auto params = p.spec.parameterCount(vocab);
        text += QLatin1Char('\n')
                + tr("%1 parameters (vocabulary %2), %3 as fp32")
                      .arg(QLocale().toString(static_cast<qlonglong>(params)))
                      .arg(vocab)
                      .arg(QLocale().formattedDataSize(params * 4));
    }
    m_cost->setText(text);
}

} // namespace wb::ui
