// SPDX-License-Identifier: GPL-3.0-or-later
// The main window, offscreen: press Train on a small corpus, see points
// arrive on the plot, press Stop, find the run stored as stopped.
#include "catalog/catalog.h"
#include "store/corpus_store.h"
#include "data/corpus_import.h"
#include "models/model_spec.h"
#include "corpus_view.h"
#include "designer.h"
#include "engine_bridge.h"
#include "distill_dialog.h"
#include "distill_view.h"
#include "finetune_dialog.h"
#include "import_dialog.h"
#include "jobs/training_job.h"
#include "runs_table.h"
#include "settings/settings.h"
#include "main_window.h"
#include "performance_plot.h"
#include "services/run_service.h"
#include "sweep_view.h"
#include "task_view.h"
#include "training_plot.h"
#include "gui_fixture.h"

#include <qcustomplot.h>

#include <fstream>

#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QApplication>
#include <QTimer>
#include <QMessageBox>
#include <QLabel>
#include <QPlainTextEdit>
#include <QProcess>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTranslator>
#include <QtTest>

using namespace wb;
using wb::test::saveShot;
using wb::test::trainStored;

class TestMainWindow : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_tmp;
    std::filesystem::path m_catalog;

    // A new catalog holding the corpus "small" (tests/data/small.txt).
    std::filesystem::path catalogWithSmall(const char* name) const
    {
        const auto db = std::filesystem::path(m_tmp.path().toStdString()) / (std::string(name) + ".sqlite");
        Catalog c(db);
        CorpusImportOptions opt;
        opt.name = "small";
        opt.paths = {LMWB_TEST_DATA "/small.txt"};
        importCorpus(c, opt);
        return db;
    }

    static int lmwb(const QStringList& args)
    {
        QProcess p;
        p.start(QStringLiteral(LMWB_BINARY), args);
        if (!p.waitForFinished(300000))
            return -1;
        if (p.exitCode() != 0)
            qWarning("lmwb %s: %s", qPrintable(args.join(QLatin1Char(' '))), p.readAllStandardError().constData());
        return p.exitCode();
    }


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
        auto* steps = w.findChild<QSpinBox*>(QStringLiteral("setting-steps"));
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
        // The perplexity axis appears with the first evaluation and never goes below 1.
        QTRY_VERIFY(plot->yAxis2->visible());
        QVERIFY2(plot->yAxis2->range().lower >= 1.0, qPrintable(QString::number(plot->yAxis2->range().lower)));
        // The sample follows its evaluation (it is generated after it).
        QTRY_VERIFY_WITH_TIMEOUT(!w.findChild<QPlainTextEdit*>(QStringLiteral("sampleView"))->toPlainText().isEmpty(), 60000);

        // The live run is the selected one; while it trains nothing else can start from it.
        auto* resume = w.findChild<QPushButton*>(QStringLiteral("resumeButton"));
        auto* finetune = w.findChild<QPushButton*>(QStringLiteral("finetuneButton"));
        auto* distill = w.findChild<QPushButton*>(QStringLiteral("distillButton"));
        QVERIFY(resume && finetune && distill);
        QCOMPARE(runs->selectedItems().value(0) ? runs->selectedItems().value(0)->row() : -1, 0);
        QVERIFY(!resume->isEnabled() && !finetune->isEnabled() && !distill->isEnabled());

        QTest::mouseClick(stop, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(train->isEnabled(), 5000);
        QVERIFY(!stop->isEnabled());
        // Stopped under the same selection, it can be resumed, fine-tuned or distilled
        // at once (the buttons follow its stored status, not only a new selection).
        QVERIFY(resume->isEnabled());
        QVERIFY(finetune->isEnabled());
        QVERIFY(distill->isEnabled());

        Catalog c(m_catalog);
        const auto stored = c.runs();
        QCOMPARE(stored.size(), std::size_t(1));
        QCOMPARE(stored[0].status, RunStatus::Stopped);
        QCOMPARE(stored[0].arch, std::string("nano-gpt"));
        QCOMPARE(c.runArtifacts(stored[0].id, "checkpoint").size(), std::size_t(1));
        std::size_t losses = 0;
        for (const auto& m : c.metrics(stored[0].id))
            losses += m.name == "train_loss";
        QVERIFY(losses >= static_cast<std::size_t>(plot->trainPointCount()));
        QCOMPARE(runs->item(0, 1)->text(), QStringLiteral("stopped"));
        // The status panel says where it stopped: a share of its 100,000 steps.
        auto* progress = w.findChild<QProgressBar*>(QStringLiteral("runProgress"));
        QVERIFY(w.findChild<QLabel*>(QStringLiteral("stepLabel"))->text().endsWith(QStringLiteral(" of ") + QLocale().toString(100000)));
        QVERIFY2(progress->value() > 0 && progress->value() < 1000, qPrintable(QString::number(progress->value())));
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

    void corpusStatisticsView()
    {
        ui::MainWindow w(m_catalog);
        w.show();
        QTest::mouseClick(w.findChild<QPushButton*>(QStringLiteral("corpusStatsButton")), Qt::LeftButton);
        auto* view = w.findChild<ui::CorpusView*>(QStringLiteral("corpusView"));
        QVERIFY(view);
        QVERIFY(view->isVisible());
        QCOMPARE(view->findChild<QTableWidget*>(QStringLiteral("splitsTable"))->rowCount(), 3);
        auto* toks = view->findChild<QTableWidget*>(QStringLiteral("tokenizersTable"));
        QVERIFY(toks->rowCount() >= 1);
        QCOMPARE(toks->item(0, 0)->text(), QStringLiteral("small:char"));
        QCOMPARE(toks->item(0, 7)->text(), QStringLiteral("0.000 %")); // the corpus's own characters: nothing unknown
        auto* hist = view->findChild<QCustomPlot*>(QStringLiteral("lengthHistogram"));
        QCOMPARE(hist->plottableCount(), 1);
        QVERIFY(hist->plottable(0)->interface1D()->dataCount() >= 2);
        QVERIFY(view->findChild<QCustomPlot*>(QStringLiteral("topCharsPlot"))->plottable(0)->interface1D()->dataCount() >= 20);
        view->resize(900, 720);
        saveShot(view, "corpus-statistics");

        // A tokenizer trained on the corpus shows up in the view and in the
        // run setup's tokenizer list.
        TokenizerTrainOptions o;
        o.kind = "word";
        QString error;
        QSignalSpy done(w.bridge(), &ui::EngineBridge::tokenizerFinished);
        QVERIFY(w.bridge()->startTokenizerTraining(QStringLiteral("small-word"), QStringLiteral("small"), o, &error));
        QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, 60000);
        QVERIFY2(done.at(0).at(0).toBool(), qPrintable(done.at(0).at(2).toString()));
        QTRY_COMPARE(toks->rowCount(), 2);
        auto* combo = w.findChild<QComboBox*>(QStringLiteral("tokenizerCombo"));
        QVERIFY(combo->findData(QStringLiteral("small-word")) >= 0);

        // Add system corpus offers what the machine has.
        auto* menu = w.findChild<QMenu*>(QStringLiteral("systemCorpusMenu"));
        QVERIFY(menu);
        QVERIFY(!menu->actions().isEmpty());
    }

    void designerCountsLiveAndValidatesInline()
    {
        ui::DesignerDialog d(115);
        auto* a = d.left();
        auto* params = a->findChild<QLabel*>(QStringLiteral("designerParams"));
        QVERIFY(params->text().contains(QLocale().toString(static_cast<qlonglong>(resolveSpec("tiny-gpt").parameterCount(115)))));
        // Widening the model updates the count at once.
        auto* width = a->findChild<QSpinBox*>(QStringLiteral("field-width"));
        QVERIFY(width);
        width->setValue(256);
        const auto wide = resolveSpec("tiny-gpt");
        ModelSpec expected = wide;
        expected.set("width", 256);
        QVERIFY2(params->text().contains(QLocale().toString(static_cast<qlonglong>(expected.parameterCount(115)))),
                 qPrintable(params->text()));
        // Heads that do not divide the width: shown inline, never a crash.
        a->findChild<QSpinBox*>(QStringLiteral("field-heads"))->setValue(3);
        auto* problem = a->findChild<QLabel*>(QStringLiteral("designerProblem"));
        QVERIFY(!a->valid());
        QVERIFY2(problem->text().contains(QStringLiteral("'heads' (3) must divide field 'width' (256)")), qPrintable(problem->text()));
        QVERIFY(!d.findChild<QPushButton*>(QStringLiteral("trainDesignA"))->isEnabled());
        a->findChild<QSpinBox*>(QStringLiteral("field-heads"))->setValue(4);
        QVERIFY(a->valid());
        // Another family builds its own form and diagram.
        auto* family = a->findChild<QComboBox*>(QStringLiteral("familyCombo"));
        family->setCurrentIndex(family->findData(QStringLiteral("cmow-cbow")));
        QVERIFY(a->findChild<QSpinBox*>(QStringLiteral("field-matrix")));
        QVERIFY(!a->findChild<QSpinBox*>(QStringLiteral("field-heads")));
        QVERIFY(a->findChild<ui::BlockDiagram*>()->layers().size() >= 3);
        // Save and load round trip.
        const QString file = m_tmp.filePath(QStringLiteral("design.json"));
        QString error;
        QVERIFY2(a->saveFile(file, &error), qPrintable(error));
        QVERIFY(d.right()->loadFile(file, &error));
        QCOMPARE(d.right()->spec().toJson(), a->spec().toJson());
        QVERIFY(!d.right()->loadFile(QStringLiteral(LMWB_TEST_DATA "/small.txt"), &error));
        QVERIFY(error.contains(QStringLiteral("not valid JSON")));
        d.resize(1100, 780);
        d.show();
        saveShot(&d, "designer");
    }

    void importDialogValidatesInline()
    {
        ui::ImportDialog d;
        auto* ok = d.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok);
        auto* problem = d.findChild<QLabel*>(QStringLiteral("problemLabel"));
        QVERIFY(!ok->isEnabled());
        QVERIFY(problem->text().contains(QStringLiteral("name")));
        d.addPaths({QStringLiteral(LMWB_TEST_DATA "/small.txt")});
        QCOMPARE(d.findChild<QLineEdit*>(QStringLiteral("corpusNameEdit"))->text(), QStringLiteral("small"));
        QVERIFY(ok->isEnabled());
        d.findChild<QDoubleSpinBox*>(QStringLiteral("split0Spin"))->setValue(0.5);
        QVERIFY(!ok->isEnabled());
        QVERIFY2(problem->text().contains(QStringLiteral("add up to")), qPrintable(problem->text()));
        d.findChild<QDoubleSpinBox*>(QStringLiteral("split1Spin"))->setValue(0.45);
        QVERIFY(ok->isEnabled());
        const auto opt = d.options();
        QCOMPARE(opt.split[0], 0.5);
        QCOMPARE(opt.paths.size(), std::size_t(1));
        d.findChild<QComboBox*>(QStringLiteral("formatCombo"))->setCurrentIndex(4); // JSON Lines
        d.findChild<QLineEdit*>(QStringLiteral("textFieldEdit"))->clear();
        QVERIFY(!ok->isEnabled());
        d.resize(640, 640);
        saveShot(&d, "import-dialog");
    }

    // Stored runs of different lengths, each selected in turn: the curves
    // and the axes follow the selected run (not the previous one's range).
    void selectingAStoredRunPlotsIt()
    {
        const auto db = std::filesystem::path(m_tmp.path().toStdString()) / "stored.sqlite";
        const std::int64_t shortRun = trainStored(db, 30), longRun = trainStored(db, 240);
        ui::MainWindow w(db);
        w.show();
        auto* plot = w.findChild<ui::TrainingPlot*>(QStringLiteral("trainingPlot"));
        auto* runs = w.findChild<ui::RunsTable*>(QStringLiteral("runsTable"));
        QCOMPARE(plot->trainPointCount(), 0);
        for (const auto [run, steps] : {std::pair{longRun, 240}, std::pair{shortRun, 30}, std::pair{longRun, 240}}) {
            runs->selectRun(run);
            QCOMPARE(plot->trainPointCount(), steps);
            QVERIFY(plot->validationPointCount() >= 1);
            // The frame timer fits the axes to the stored run.
            QTRY_VERIFY2(plot->xAxis->range().upper >= steps && plot->xAxis->range().upper <= 1.1 * steps,
                         qPrintable(QStringLiteral("x axis %1..%2 for %3 steps")
                                        .arg(plot->xAxis->range().lower).arg(plot->xAxis->range().upper).arg(steps)));
            QVERIFY(plot->yAxis2->visible());
            QVERIFY(plot->yAxis2->range().lower >= 1.0);
            QVERIFY(plot->yAxis->range().upper > 1.0); // the loss of an untrained model is ln(V) > 1 nat
            // Where it stands against the steps it was set, as while it trained.
            QCOMPARE(w.findChild<QLabel*>(QStringLiteral("stepLabel"))->text(),
                     QStringLiteral("%1 of %1").arg(QLocale().toString(steps)));
            QCOMPARE(w.findChild<QProgressBar*>(QStringLiteral("runProgress"))->value(), 1000);
        }
        QVERIFY(!w.findChild<QPlainTextEdit*>(QStringLiteral("sampleView"))->toPlainText().isEmpty());
        // The status panel describes the stored run.
        QVERIFY(w.findChild<QLabel*>(QStringLiteral("valLabel"))->text().contains(QStringLiteral("perplexity")));
        QVERIFY(w.findChild<QLabel*>(QStringLiteral("paramsLabel"))->text().at(0).isDigit());
        QVERIFY(w.findChild<QLabel*>(QStringLiteral("stateLabel"))->text().contains(QStringLiteral("finished")));
        // Its performance series are plotted too.
        QVERIFY(w.findChild<ui::PerformancePlot*>(QStringLiteral("performancePlot"))->pointCount() >= 20);
        QVERIFY(w.findChild<ui::PerformancePlot*>(QStringLiteral("performancePlot"))->memoryPointCount() >= 20);
        // A finished run has nothing left to resume.
        QVERIFY(!w.findChild<QPushButton*>(QStringLiteral("resumeButton"))->isEnabled());
        // The Architecture column says what the model is.
        QCOMPARE(runs->item(0, 3)->text(), QStringLiteral("nano-gpt"));
        QVERIFY(runs->item(0, 3)->toolTip().startsWith(QStringLiteral("transformer ")));
    }

    // Delete run… asks, names the runs built on the selected one, deletes
    // them through the service `lmwb runs delete` uses, and every view moves
    // to a run that exists.
    void deleteRunFromTheRunsTable()
    {
        const auto db = std::filesystem::path(m_tmp.path().toStdString()) / "delete.sqlite";
        const std::int64_t keep = trainStored(db, 10), gone = trainStored(db, 10);
        ui::MainWindow w(db);
        w.show();
        auto* runs = w.findChild<ui::RunsTable*>(QStringLiteral("runsTable"));
        auto* del = w.findChild<QPushButton*>(QStringLiteral("deleteRunButton"));
        QVERIFY(del);
        runs->selectRun(gone);
        QVERIFY(del->isEnabled());
        QString asked;
        QTimer::singleShot(200, [&] {
            auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
            QVERIFY(box);
            asked = box->text();
            box->button(QMessageBox::Yes)->click();
        });
        del->click();
        QVERIFY2(asked.contains(QStringLiteral("Delete run %1").arg(gone)), qPrintable(asked));
        QVERIFY(!Catalog(db).run(gone).has_value());
        QVERIFY(Catalog(db).run(keep).has_value());
        QCOMPARE(runs->rowCount(), 1);
        QCOMPARE(runs->selectedRun(), keep);
        QVERIFY(!std::filesystem::exists(Catalog(db).artifactDir() / "runs" / std::to_string(gone)));
    }

    // Fine-tune… on a stored run: the dialog says what each method trains
    // before anything starts, and the child run records its parent.
    void finetuneFromTheRunsTable()
    {
        const auto db = catalogWithSmall("finetune");
        const std::int64_t parent = trainStored(db, 30);
        ui::MainWindow w(db);
        w.show();
        auto* runs = w.findChild<ui::RunsTable*>(QStringLiteral("runsTable"));
        auto* button = w.findChild<QPushButton*>(QStringLiteral("finetuneButton"));
        QVERIFY(!button->isEnabled());
        runs->selectRun(parent);
        QVERIFY(button->isEnabled());
        ui::FinetuneDialog dialog(w.bridge(), parent, &w);
        auto* preview = dialog.findChild<QLabel*>(QStringLiteral("finetunePreview"));
        QVERIFY2(preview->text().contains(QStringLiteral("every parameter")), qPrintable(preview->text()));
        auto* method = dialog.findChild<QComboBox*>(QStringLiteral("setting-method"));
        method->setCurrentIndex(method->findData(QStringLiteral("l-eo")));
        QVERIFY2(preview->text().contains(QStringLiteral("embeddings and output layer")), qPrintable(preview->text()));
        QVERIFY(preview->text().startsWith(QStringLiteral("Trains ")));
        dialog.findChild<QSpinBox*>(QStringLiteral("setting-steps"))->setValue(15);
        saveShot(&dialog, "finetune-dialog");
        w.startFinetune(dialog.request());
        QTRY_VERIFY_WITH_TIMEOUT(!w.bridge()->isTraining(), 120000);
        Catalog c(db);
        const auto children = c.childRuns(parent);
        QCOMPARE(children.size(), std::size_t(1));
        QCOMPARE(children[0].status, RunStatus::Finished);
        QVERIFY(children[0].trainableParams.value_or(0) < children[0].params.value_or(0));
        // The runs table shows where it comes from.
        w.findChild<ui::RunsTable*>(QStringLiteral("runsTable"))->selectRun(children[0].id);
        bool found = false;
        for (int row = 0; row < runs->rowCount(); ++row)
            if (runs->item(row, 0)->text().toLongLong() == children[0].id) {
                QCOMPARE(runs->item(row, 5)->text(), QStringLiteral("run %1 · l-eo").arg(parent));
                QVERIFY(runs->item(row, 5)->toolTip().contains(QStringLiteral("trainable parameters")));
                found = true;
            }
        QVERIFY(found);
    }

    // The Task tab: a classify child shows its accuracy beside the majority
    // class, the confusion matrix as a heatmap and the per-class table; an
    // mtl child its loss terms; both list every run adapted from the parent.
    void taskViewShowsAChildsTask()
    {
        const auto db = catalogWithSmall("task");
        {
            Catalog c(db);
            wb::test::importTopicsCorpus(c, std::filesystem::path(m_tmp.path().toStdString()), "topics", 120, 4);
        }
        const std::int64_t parent = trainStored(db, 20);
        std::int64_t classifier = 0, multi = 0;
        for (const char* method : {"full", "mtl"}) try {
            Catalog c(db);
            FinetuneRequest req;
            req.parent = parent;
            req.corpus = "topics";
            req.values = {{"task", "classify"}, {"method", method}, {"steps", "20"}, {"threads", "1"}, {"log_every", "5"}};
            TrainingJob job(db, finetuneConfig(c, req));
            job.start();
            job.wait();
            QCOMPARE(job.summary().status, RunStatus::Finished);
            (std::string(method) == "full" ? classifier : multi) = job.runId();
        } catch (const std::exception& e) {
            QFAIL(e.what());
        }
        ui::MainWindow w(db);
        w.show();
        auto* view = w.findChild<ui::TaskView*>(QStringLiteral("taskView"));
        QVERIFY(view);
        w.findChild<ui::RunsTable*>(QStringLiteral("runsTable"))->selectRun(classifier);
        const QString summary = w.findChild<QLabel*>(QStringLiteral("taskSummary"))->text();
        QVERIFY2(summary.contains(QStringLiteral("Accuracy")) && summary.contains(QStringLiteral("majority class")), qPrintable(summary));
        auto* heatmap = w.findChild<QCustomPlot*>(QStringLiteral("confusionHeatmap"));
        QCOMPARE(heatmap->plottableCount(), 1);
        auto* map = qobject_cast<QCPColorMap*>(heatmap->plottable(0));
        QVERIFY(map);
        QCOMPARE(map->data()->keySize(), 3);
        QCOMPARE(w.findChild<QTableWidget*>(QStringLiteral("classTable"))->rowCount(), 3);
        QCOMPARE(w.findChild<QTableWidget*>(QStringLiteral("familyTable"))->rowCount(), 2);
        w.findChild<QTabWidget*>(QStringLiteral("plotTabs"))->setCurrentWidget(view);
        saveShot(view, "task-view");
        w.findChild<ui::RunsTable*>(QStringLiteral("runsTable"))->selectRun(multi);
        auto* terms = w.findChild<QCustomPlot*>(QStringLiteral("lossTermsPlot"));
        QCOMPARE(terms->graphCount(), 2); // task and aux_lm
        QCOMPARE(terms->graph(0)->dataCount(), 4);
        // Live: an mtl fine-tune started from the window draws its terms as they come.
        FinetuneRequest live;
        live.parent = parent;
        live.corpus = "topics";
        live.values = {{"task", "classify"}, {"method", "mtl"}, {"steps", "30"}, {"threads", "1"}, {"log_every", "5"}};
        w.startFinetune(live);
        QTRY_VERIFY_WITH_TIMEOUT(terms->graphCount() == 2 && terms->graph(0)->dataCount() >= 2, 60000);
        QTRY_VERIFY_WITH_TIMEOUT(!w.bridge()->isTraining(), 60000);
        QCOMPARE(terms->graph(1)->dataCount(), 6);
    }

    // The same run started from the GUI (Train and Add to queue), the CLI
    // (train and queue add) and a sweep file is stored with the same config.
    void sameRunFromEveryFrontEnd()
    {
        const auto db = catalogWithSmall("same");
        {
            ui::MainWindow w(db);
            w.findChild<QCheckBox*>(QStringLiteral("processQueue"))->setChecked(false);
            w.findChild<QComboBox*>(QStringLiteral("presetCombo"))->setCurrentText(QStringLiteral("nano-gpt"));
            w.findChild<QSpinBox*>(QStringLiteral("setting-steps"))->setValue(40);
            QTest::mouseClick(w.findChild<QPushButton*>(QStringLiteral("queueButton")), Qt::LeftButton);
            QTest::mouseClick(w.findChild<QPushButton*>(QStringLiteral("trainButton")), Qt::LeftButton);
            QTRY_VERIFY_WITH_TIMEOUT(!w.bridge()->isTraining(), 120000);
        }
        const QString catalog = QString::fromStdString(db.string());
        const QStringList run{QStringLiteral("--catalog"), catalog, QStringLiteral("--corpus"), QStringLiteral("small"),
                              QStringLiteral("--arch"), QStringLiteral("nano-gpt"), QStringLiteral("--steps"), QStringLiteral("40")};
        QCOMPARE(lmwb(QStringList{QStringLiteral("queue"), QStringLiteral("add")} + run), 0);
        QCOMPARE(lmwb(QStringList{QStringLiteral("train")} + run), 0);
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("one.json"));
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"corpus": "small", "arch": "nano-gpt", "parameters": {"steps": [40]}})");
        f.close();
        QCOMPARE(lmwb({QStringLiteral("--catalog"), catalog, QStringLiteral("sweep"), file, QStringLiteral("--queue-only")}), 0);
        Catalog c(db);
        const auto all = c.runs();
        QCOMPARE(all.size(), std::size_t(5));
        for (const auto& r : all)
            QVERIFY2(r.config == all.front().config,
                     qPrintable(QStringLiteral("run %1: %2\nrun %3: %4")
                                    .arg(r.id).arg(QString::fromStdString(r.config))
                                    .arg(all.front().id).arg(QString::fromStdString(all.front().config))));
    }

    // A bad value in the settings form is refused next to its field, in the
    // settings table's words, and nothing is stored.
    void settingErrorsShowBesideTheField()
    {
        const auto db = catalogWithSmall("errors");
        ui::MainWindow w(db);
        w.show();
        auto* lr = w.findChild<QLineEdit*>(QStringLiteral("setting-lr"));
        QVERIFY(lr);
        QVERIFY(!lr->isVisible()); // under "More settings"
        lr->setText(QStringLiteral("0"));
        QTest::mouseClick(w.findChild<QPushButton*>(QStringLiteral("trainButton")), Qt::LeftButton);
        auto* error = w.findChild<QLabel*>(QStringLiteral("settingError-lr"));
        QVERIFY(error->isVisible());
        QCOMPARE(error->text(), QStringLiteral("lr must be greater than 0 and at most 100, got 0"));
        QVERIFY(!w.bridge()->isTraining());
        QCOMPARE(Catalog(db).runs().size(), std::size_t(0));
        lr->setText(QStringLiteral("3e-4")); // editing clears the message
        QVERIFY(!error->isVisible());
    }

    // Queue two runs from the setup panel, reorder, pause and resume them,
    // then let the window train the queue; then a sweep file's runs, shown
    // together sorted by validation loss with their curves overlaid.
    void queueAndSweeps()
    {
        const auto db = catalogWithSmall("queue");
        ui::MainWindow w(db);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        auto* process = w.findChild<QCheckBox*>(QStringLiteral("processQueue"));
        auto* table = w.findChild<QTableWidget*>(QStringLiteral("queueTable"));
        auto* queueButton = w.findChild<QPushButton*>(QStringLiteral("queueButton"));
        QVERIFY(process && table && queueButton);
        process->setChecked(false);
        w.findChild<QComboBox*>(QStringLiteral("presetCombo"))->setCurrentText(QStringLiteral("nano-gpt"));
        w.findChild<QSpinBox*>(QStringLiteral("setting-steps"))->setValue(20);
        QTest::mouseClick(queueButton, Qt::LeftButton);
        QTest::mouseClick(queueButton, Qt::LeftButton);
        QTRY_COMPARE(table->rowCount(), 2);
        const QString first = table->item(0, 1)->text(), second = table->item(1, 1)->text();
        table->selectRow(1);
        QTest::mouseClick(w.findChild<QPushButton*>(QStringLiteral("queueUp")), Qt::LeftButton);
        QCOMPARE(table->item(0, 1)->text(), second);
        table->selectRow(0);
        QTest::mouseClick(w.findChild<QPushButton*>(QStringLiteral("queuePause")), Qt::LeftButton);
        QCOMPARE(table->item(0, 2)->text(), QStringLiteral("paused"));
        QTest::mouseClick(w.findChild<QPushButton*>(QStringLiteral("queueResume")), Qt::LeftButton);
        QCOMPARE(table->item(0, 2)->text(), QStringLiteral("queued"));
        saveShot(&w, "queue");

        process->setChecked(true);
        // Both train, one after the other, in the new order.
        QTRY_VERIFY_WITH_TIMEOUT(w.bridge()->isTraining(), 5000);
        QCOMPARE(w.bridge()->activeRun(), second.toLongLong());
        QTRY_COMPARE_WITH_TIMEOUT(table->rowCount(), 0, 120000);
        QTRY_VERIFY_WITH_TIMEOUT(!w.bridge()->isTraining(), 60000);
        {
            Catalog c(db);
            QCOMPARE(c.run(first.toLongLong())->status, RunStatus::Finished);
            QCOMPARE(c.run(second.toLongLong())->status, RunStatus::Finished);
        }

        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("sweep.json"));
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"name": "ui", "corpus": "small", "arch": "nano-gpt", "train": {"steps": 20, "eval_every": 10},
                    "parameters": {"lr": [0.0003, 0.003]}})");
        f.close();
        int count = 0;
        QString error;
        const auto sweep = w.bridge()->enqueueSweepFile(file, &count, &error);
        QVERIFY2(sweep > 0, qPrintable(error));
        QCOMPARE(count, 2);
        auto* view = w.findChild<ui::SweepView*>(QStringLiteral("sweepView"));
        auto sweepDone = [&] {
            Catalog c(db);
            for (const auto& r : c.sweepRuns(sweep))
                if (r.status != status::kFinished)
                    return false;
            return true;
        };
        QTRY_VERIFY_WITH_TIMEOUT(sweepDone(), 120000);
        view->showSweep(sweep);
        QCOMPARE(view->rowCount(), 2);
        QCOMPARE(view->curveCount(), 2);
        auto* sweepTable = view->findChild<QTableWidget*>(QStringLiteral("sweepTable"));
        // Columns: run, status, lr, validation loss.
        const double best = QLocale().toDouble(sweepTable->item(0, 3)->text());
        const double worse = QLocale().toDouble(sweepTable->item(1, 3)->text());
        QVERIFY(best > 0);
        QVERIFY2(best <= worse, qPrintable(sweepTable->item(0, 3)->text() + QLatin1String(" > ") + sweepTable->item(1, 3)->text()));
        saveShot(view, "sweeps");
    }
};

QTEST_MAIN(TestMainWindow)
#include "test_main_window.moc"
