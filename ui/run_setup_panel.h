// SPDX-License-Identifier: GPL-3.0-or-later
// The left-hand panel: corpus, tokenizer, preset, the run settings (from the
// engine's settings table); Train, Stop, Add to queue.
#pragma once

#include "catalog/records.h"

#include <QGroupBox>

#include <string>
#include <utility>
#include <vector>

class QComboBox;
class QLabel;
class QPushButton;
class QToolButton;

namespace wb::ui {

class SettingsForm;

class RunSetupPanel : public QGroupBox {
    Q_OBJECT
public:
    explicit RunSetupPanel(QWidget* parent = nullptr);

    void setCorpora(const std::vector<CorpusRecord>& corpora, const QString& select);
    QString corpus() const;
    // Tokenizers in the catalog; the first entry is the corpus's own
    // character tokenizer (an empty name).
    void setTokenizers(const std::vector<TokenizerRecord>& tokenizers, const QString& select);
    QString tokenizer() const;
    QString preset() const;
    // A spec from the designer, offered in the preset list as `name`;
    // designedSpec() is its JSON when it is the one chosen, else empty.
    void addDesignedSpec(const QString& name, const QString& json);
    QString designedSpec() const;
    void setPreset(const QString& name);
    // The training settings as the user set them, by key (for buildRunConfig).
    std::vector<std::pair<std::string, std::string>> settingValues() const;
    QString settingValue(const std::string& key) const;
    void setSettingValue(const std::string& key, const QString& text);
    // A message beside the field of `key` (opening "More settings" when it is there).
    void showSettingError(const std::string& key, const QString& message);
    void setTraining(bool training);

signals:
    void trainRequested();
    void queueRequested();
    void stopRequested();
    void addCorpusRequested();
    void corpusStatsRequested();
    void designRequested();

private:
    void updateCost();

    std::vector<CorpusRecord> m_corpora;
    QComboBox* m_corpus = nullptr;
    QPushButton* m_addCorpus = nullptr;
    QPushButton* m_stats = nullptr;
    QPushButton* m_design = nullptr;
    QComboBox* m_tokenizer = nullptr;
    std::vector<TokenizerRecord> m_tokenizers;
    QComboBox* m_preset = nullptr;
    QLabel* m_cost = nullptr;
    SettingsForm* m_basic = nullptr;
    SettingsForm* m_more = nullptr;
    QToolButton* m_moreToggle = nullptr;
    QPushButton* m_queue = nullptr;
    QPushButton* m_train = nullptr;
    QPushButton* m_stop = nullptr;
};

} // namespace wb::ui
