// SPDX-License-Identifier: GPL-3.0-or-later
// The left-hand panel: corpus, preset, device, threads, steps; Train/Stop.
#pragma once

#include "catalog/records.h"

#include <QGroupBox>

#include <vector>

class QComboBox;
class QLabel;
class QPushButton;
class QSpinBox;

namespace wb::ui {

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
    QString device() const;
    void setDevice(const QString& device); // ignored when that device is unavailable
    QString precision() const;             // fp32 or bf16
    void setPrecision(const QString& precision);
    int threads() const;
    void setThreads(int n);
    int steps() const;
    void setSteps(int n);
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
    QComboBox* m_device = nullptr;
    QComboBox* m_precision = nullptr;
    QSpinBox* m_threads = nullptr;
    QSpinBox* m_steps = nullptr;
    QPushButton* m_queue = nullptr;
    QPushButton* m_train = nullptr;
    QPushButton* m_stop = nullptr;
};

} // namespace wb::ui
