// SPDX-License-Identifier: GPL-3.0-or-later
// The statistics of one corpus: documents, characters and bytes per split,
// every tokenizer's tokens, bytes per token and unknown rate, a document
// length histogram, the most frequent characters and the label
// distribution (QCustomPlot bar charts). From here a tokenizer is trained
// and the corpus removed.
#pragma once

#include "data/tokenizer.h"

#include <QDialog>
#include <QJsonObject>

class QCustomPlot;
class QLabel;
class QTableWidget;

namespace wb::ui {

class EngineBridge;

class CorpusView : public QDialog {
    Q_OBJECT
public:
    CorpusView(EngineBridge* bridge, const QString& corpus, QWidget* parent = nullptr);

    void reload();
    const QJsonObject& summary() const { return m_summary; }

signals:
    void trainTokenizerRequested(const QString& corpus);
    void removeRequested(const QString& corpus);

private:
    EngineBridge* m_bridge;
    QString m_corpus;
    QJsonObject m_summary;
    QLabel* m_header = nullptr;
    QTableWidget* m_splits = nullptr;
    QTableWidget* m_tokenizers = nullptr;
    QCustomPlot* m_lengths = nullptr;
    QCustomPlot* m_chars = nullptr;
    QCustomPlot* m_labels = nullptr;
    QCustomPlot* m_tokens = nullptr;
    void showTopTokens(int row);
};

// Asks for a tokenizer's name and options; false when cancelled.
bool askTokenizerOptions(QWidget* parent, const QString& corpus, QString* name, TokenizerTrainOptions* options);

} // namespace wb::ui
