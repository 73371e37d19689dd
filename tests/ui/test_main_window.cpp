// SPDX-License-Identifier: GPL-3.0-or-later
// The main window, offscreen: press Train on a small corpus, see points
// arrive on the plot, press Stop, find the run stored as stopped.
#include "catalog/catalog.h"
#include "data/corpus_import.h"
#include "main_window.h"
#include "training_plot.h"

#include <QComboBox>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTranslator>
#include <QtTest>

using namespace wb;

class TestMainWindow : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_tmp;
    std::filesystem::path m_catalog;

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true); // QSettings go to a test location
        m_catalog = std::filesystem::path(m_tmp.path().toStdString()) / "ui.sqlite";
        Catalog c(m_catalog);
        CorpusImportOptions opt;
        opt.name = "small";
        opt.paths = {LMWB_TEST_DATA "/small.txt"};
        importCorpus(c, opt);
    }

    void trainPlotStopAndStore()
    {
        ui::MainWindow w(m_catalog);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        auto* corpus = w.findChild<QComboBox*>(QStringLiteral("corpusCombo"));
        auto* preset = w.findChild<QComboBox*>(QStringLiteral("presetCombo"));
        auto* steps = w.findChild<QSpinBox*>(QStringLiteral("stepsSpin"));
        auto* train = w.findChild<QPushButton*>(QStringLiteral("trainButton"));
        auto* stop = w.findChild<QPushButton*>(QStringLiteral("stopButton"));
        auto* plot = w.findChild<ui::TrainingPlot*>(QStringLiteral("trainingPlot"));
        auto* runs = w.findChild<QTableWidget*>(QStringLiteral("runsTable"));
        auto* cost = w.findChild<QLabel*>(QStringLiteral("costLabel"));
        QVERIFY(corpus && preset && steps && train && stop && plot && runs && cost);

        QCOMPARE(corpus->currentText(), QStringLiteral("small"));
        preset->setCurrentIndex(preset->findText(QStringLiteral("nano-gpt")));
        QVERIFY(cost->text().contains(QStringLiteral("parameters")));
        steps->setValue(100000);
        QVERIFY(train->isEnabled());
        QVERIFY(!stop->isEnabled());

        QTest::mouseClick(train, Qt::LeftButton);
        QVERIFY(stop->isEnabled());
        QVERIFY(!train->isEnabled());
        QCOMPARE(runs->rowCount(), 1);
        // Points arrive on the plot from the worker thread.
        QTRY_VERIFY_WITH_TIMEOUT(plot->trainPointCount() >= 20, 60000);
        QTRY_VERIFY_WITH_TIMEOUT(plot->validationPointCount() >= 1, 120000);
        // The sample follows its evaluation (it is generated after it).
        QTRY_VERIFY_WITH_TIMEOUT(!w.findChild<QPlainTextEdit*>(QStringLiteral("sampleView"))->toPlainText().isEmpty(), 60000);

        QTest::mouseClick(stop, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(train->isEnabled(), 5000);
        QVERIFY(!stop->isEnabled());

        Catalog c(m_catalog);
        const auto stored = c.runs();
        QCOMPARE(stored.size(), std::size_t(1));
        QCOMPARE(stored[0].status, std::string("stopped"));
        QCOMPARE(stored[0].arch, std::string("nano-gpt"));
        QCOMPARE(c.runArtifacts(stored[0].id, "checkpoint").size(), std::size_t(1));
        std::size_t losses = 0;
        for (const auto& m : c.metrics(stored[0].id))
            losses += m.name == "train_loss";
        QVERIFY(losses >= static_cast<std::size_t>(plot->trainPointCount()));
        QCOMPARE(runs->item(0, 1)->text(), QStringLiteral("stopped"));
    }

    void germanTranslationIsCompleteAndLoads()
    {
        QFile ts(QStringLiteral(LMWB_TEST_DATA "/../../translations/lm_workbench_de.ts"));
        QVERIFY(ts.open(QIODevice::ReadOnly));
        const QByteArray xml = ts.readAll();
        QVERIFY(xml.count("<message>") > 50);
        QCOMPARE(xml.count("type=\"unfinished\""), 0);

        QTranslator de;
        QVERIFY(de.load(QStringLiteral(":/i18n/lm_workbench_de.qm")));
        QCoreApplication::installTranslator(&de);
        {
            ui::MainWindow w(m_catalog);
            QCOMPARE(w.findChild<QPushButton*>(QStringLiteral("trainButton"))->text(), QStringLiteral("&Trainieren"));
            QCOMPARE(w.windowTitle(), QStringLiteral("LM-Werkbank"));
        }
        QCoreApplication::removeTranslator(&de);
    }

    void selectingAStoredRunPlotsIt()
    {
        ui::MainWindow w(m_catalog);
        w.show();
        auto* plot = w.findChild<ui::TrainingPlot*>(QStringLiteral("trainingPlot"));
        auto* runs = w.findChild<QTableWidget*>(QStringLiteral("runsTable"));
        QCOMPARE(plot->trainPointCount(), 0);
        runs->selectRow(0);
        QVERIFY(plot->trainPointCount() >= 20);
        QVERIFY(plot->validationPointCount() >= 1);
        QVERIFY(!w.findChild<QPlainTextEdit*>(QStringLiteral("sampleView"))->toPlainText().isEmpty());
        // The status panel describes the stored run.
        QVERIFY(w.findChild<QLabel*>(QStringLiteral("valLabel"))->text().contains(QStringLiteral("perplexity")));
        QVERIFY(w.findChild<QLabel*>(QStringLiteral("paramsLabel"))->text().at(0).isDigit());
        QVERIFY(w.findChild<QLabel*>(QStringLiteral("stateLabel"))->text().contains(QStringLiteral("stopped")));
    }
};

QTEST_MAIN(TestMainWindow)
#include "test_main_window.moc"
