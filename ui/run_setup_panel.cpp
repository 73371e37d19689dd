// SPDX-License-Identifier: GPL-3.0-or-later
#include "run_setup_panel.h"

#include "engine_bridge.h"
#include "models/model_spec.h"
#include "settings/settings.h"
#include "settings_form.h"

#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QScrollArea>
#include <QToolButton>
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

    // The run's settings, generated from the engine's settings table: the
    // common ones here, every other one under "More settings".
    m_basic = new SettingsForm({"steps", "device", "precision", "threads"});
    form->addRow(m_basic);
    std::vector<std::string> rest;
    for (const auto& st : trainSettings())
        if (!m_basic->editor(st.key) && st.group != "Fine-tuning" && st.group != "Distillation") // fine-tuning starts from a run
            rest.push_back(st.key);
    m_more = new SettingsForm(rest);
    m_more->setObjectName(QStringLiteral("moreSettings"));
    m_more->hide();
    m_moreToggle = new QToolButton;
    m_moreToggle->setObjectName(QStringLiteral("moreSettingsToggle"));
    m_moreToggle->setText(tr("More settings"));
    m_moreToggle->setCheckable(true);
    m_moreToggle->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_moreToggle->setArrowType(Qt::RightArrow);
    m_moreToggle->setAutoRaise(true);
    connect(m_moreToggle, &QToolButton::toggled, this, [this](bool on) {
        m_more->setVisible(on);
        m_moreToggle->setArrowType(on ? Qt::DownArrow : Qt::RightArrow);
    });
    if (auto* device = qobject_cast<QComboBox*>(m_basic->editor("device")); device && !EngineBridge::cudaAvailable()) {
        auto* model = qobject_cast<QStandardItemModel*>(device->model());
        auto* item = model->item(device->findData(QStringLiteral("cuda")));
        item->setEnabled(false);
        item->setToolTip(EngineBridge::cudaUnavailableReason());
    }

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

    auto* moreArea = new QScrollArea;
    moreArea->setWidget(m_more);
    moreArea->setWidgetResizable(true);
    moreArea->setFrameShape(QFrame::NoFrame);
    moreArea->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff); // the fields narrow instead
    moreArea->hide();
    connect(m_moreToggle, &QToolButton::toggled, moreArea, &QWidget::setVisible);

    auto* outer = new QVBoxLayout(this);
    outer->addLayout(form);
    outer->addWidget(m_moreToggle);
    outer->addWidget(moreArea, 1);
    outer->addLayout(buttons);
    outer->addLayout(queueRow);
    outer->addStretch(0);

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
    m_queue->setEnabled(m_corpus->count() > 0);
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

std::vector<std::pair<std::string, std::string>> RunSetupPanel::settingValues() const
{
    auto v = m_basic->values();
    const auto more = m_more->values();
    v.insert(v.end(), more.begin(), more.end());
    return v;
}

QString RunSetupPanel::settingValue(const std::string& key) const
{
    return m_basic->editor(key) ? m_basic->value(key) : m_more->value(key);
}

void RunSetupPanel::setSettingValue(const std::string& key, const QString& text)
{
    if (key == "device" && text == QStringLiteral("cuda") && !EngineBridge::cudaAvailable())
        return;
    if (m_basic->editor(key))
        m_basic->setValue(key, text);
    else
        m_more->setValue(key, text);
}

void RunSetupPanel::showSettingError(const std::string& key, const QString& message)
{
    if (m_basic->showError(key, message))
        return;
    m_moreToggle->setChecked(true);
    m_more->showError(key, message);
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
                      .arg(QLocale().formattedDataSize(fp32Bytes(params)));
    }
    m_cost->setText(text);
}

} // namespace wb::ui
