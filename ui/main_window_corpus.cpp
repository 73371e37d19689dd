// SPDX-License-Identifier: GPL-3.0-or-later
// MainWindow: adding corpora (files, system corpora), their statistics,
// tokenizer training, removal, and the architecture designer.
#include "main_window.h"

#include "core/paths.h"
#include "corpus_view.h"
#include "data/system_corpora.h"
#include "designer.h"
#include "performance_plot.h"
#include "import_dialog.h"
#include "engine_bridge.h"
#include "models/model_spec.h"
#include "run_setup_panel.h"
#include "runs_table.h"
#include "training_plot.h"

#include <QApplication>
#include <QCheckBox>
#include <QCloseEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QGroupBox>
#include <QGridLayout>
#include <QInputDialog>
#include <QLabel>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QHBoxLayout>
#include <QSettings>
#include <QSplitter>
#include <QTabWidget>
#include <QStatusBar>
#include <QVBoxLayout>

#include <cmath>
#include <map>

namespace wb::ui {

void MainWindow::addCorpus()
{
    ImportDialog dialog(this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    CorpusImportOptions opt;
    try {
        opt = dialog.options();
    } catch (const std::exception& e) {
        QMessageBox::warning(this, tr("Add corpus"), QString::fromStdString(e.what()));
        return;
    }
    QString error;
    const QString name = QString::fromStdString(opt.name);
    m_pendingCorpusSelection = name;
    if (!m_bridge->startImport(opt, &error)) {
        QMessageBox::warning(this, tr("Add corpus"), error);
        return;
    }
    m_setup->setTraining(true); // Stop cancels the import
    m_stateLabel->setText(tr("Importing %1…").arg(name));
}

void MainWindow::addSystemCorpus(const QString& name)
{
    CorpusImportOptions opt;
    try {
        opt = systemCorpus(name.toStdString()).options;
    } catch (const std::exception& e) {
        QMessageBox::warning(this, tr("Add system corpus"), QString::fromStdString(e.what()));
        return;
    }
    opt.name = name.toStdString();
    QString error;
    m_pendingCorpusSelection = name;
    if (!m_bridge->startImport(opt, &error)) {
        QMessageBox::warning(this, tr("Add system corpus"), error);
        return;
    }
    m_setup->setTraining(true);
    m_stateLabel->setText(tr("Importing the system corpus %1…").arg(name));
}

void MainWindow::showCorpusStats()
{
    const QString corpus = m_setup->corpus();
    if (corpus.isEmpty())
        return;
    if (m_corpusView)
        m_corpusView->close();
    m_corpusView = new CorpusView(m_bridge, corpus, this);
    m_corpusView->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_corpusView, &CorpusView::trainTokenizerRequested, this, &MainWindow::trainTokenizer);
    connect(m_corpusView, &CorpusView::removeRequested, this, &MainWindow::removeCorpus);
    m_corpusView->show();
}

void MainWindow::showDesigner()
{
    int vocab = 256;
    for (const auto& c : m_bridge->corpora())
        if (QString::fromStdString(c.name) == m_setup->corpus())
            vocab = static_cast<int>(c.vocabSize);
    auto* d = new DesignerDialog(vocab, this);
    d->setAttribute(Qt::WA_DeleteOnClose);
    connect(d, &DesignerDialog::trainRequested, this, [this, d](const QString& name, const QString& json) {
        m_setup->addDesignedSpec(name, json);
        d->close();
        startTraining();
    });
    d->show();
}

void MainWindow::trainTokenizer(const QString& corpus)
{
    if (corpus.isEmpty())
        return;
    QString name;
    TokenizerTrainOptions options;
    if (!askTokenizerOptions(this, corpus, &name, &options))
        return;
    QString error;
    if (!m_bridge->startTokenizerTraining(name, corpus, options, &error)) {
        QMessageBox::warning(this, tr("Train tokenizer"), error);
        return;
    }
    m_setup->setTraining(true); // Stop cancels it
    m_stateLabel->setText(tr("Training tokenizer %1 on %2…").arg(name, corpus));
}

void MainWindow::onTokenizerFinished(bool ok, const QString& name, const QString& error)
{
    m_setup->setTraining(false);
    m_progress->setValue(ok ? 1000 : 0);
    m_progress->setFormat(QStringLiteral("%p%"));
    if (!ok) {
        m_stateLabel->setText(tr("Tokenizer %1 was not trained").arg(name));
        QMessageBox::warning(this, tr("Train tokenizer"), tr("The tokenizer “%1” was not trained:\n\n%2").arg(name, error));
        return;
    }
    m_stateLabel->setText(tr("Tokenizer %1 ready: choose it under Tokenizer").arg(name));
    refreshTokenizers(name);
    if (m_corpusView)
        m_corpusView->reload();
}

void MainWindow::removeCorpus(const QString& corpus)
{
    if (QMessageBox::question(this, tr("Remove corpus"),
                              tr("Remove the corpus “%1” and its files from the catalog? Tokenizers trained on it stay.")
                                  .arg(corpus))
        != QMessageBox::Yes)
        return;
    QString error;
    if (!m_bridge->removeCorpus(corpus, &error)) {
        QMessageBox::warning(this, tr("Remove corpus"), error);
        return;
    }
    if (m_corpusView)
        m_corpusView->close();
    refreshCorpora();
    refreshTokenizers();
    m_stateLabel->setText(tr("Corpus %1 removed").arg(corpus));
}

} // namespace wb::ui
