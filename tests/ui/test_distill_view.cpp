// SPDX-License-Identifier: GPL-3.0-or-later
// The distillation cockpit: the Distil… dialog, the live curves and the
// card of teacher, student and baseline, for a language model and for a
// classifier teacher. Offscreen.
#include "distill_dialog.h"
#include "distill_view.h"
#include "engine_bridge.h"
#include "main_window.h"
#include "runs_table.h"
#include "services/run_service.h"
#include "gui_fixture.h"

#include <qcustomplot.h>

#include <QComboBox>
#include <QLabel>
#include <QPushButton>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>

using namespace wb;
using wb::test::saveShot;
using wb::test::trainStored;

class TestDistillView : public QObject {
    Q_OBJECT
    QTemporaryDir m_tmp;
    std::filesystem::path dir() const { return std::filesystem::path(m_tmp.path().toStdString()); }

private slots:
    // Distil…: the dialog shows the student's size against the teacher's
    // and refuses what the run would; the cockpit draws the loss terms, both
    // perplexities and the agreement live, and its card compares teacher,
    // student and the queued baseline once they are done.
    void distillCockpit()
    {
        const auto db = wb::test::catalogWithSmall(dir() / "distill.sqlite");
        const std::int64_t teacher = trainStored(db, 20);
        ui::MainWindow w(db);
        w.show();
        w.findChild<ui::RunsTable*>(QStringLiteral("runsTable"))->selectRun(teacher);
        QVERIFY(w.findChild<QPushButton*>(QStringLiteral("distillButton"))->isEnabled());
        DistillRequest request;
        {
            ui::DistillDialog dialog(w.bridge(), teacher, &w);
            dialog.findChild<QComboBox*>(QStringLiteral("distillPreset"))->setCurrentText(QStringLiteral("cbow-tiny"));
            const QString preview = dialog.findChild<QLabel*>(QStringLiteral("distillPreview"))->text();
            QVERIFY2(preview.contains(QStringLiteral("of the teacher's")), qPrintable(preview));
            QVERIFY(dialog.baseline());
            saveShot(&dialog, "distill-dialog");
            request = dialog.request();
            QCOMPARE(request.teacher, teacher);
            QCOMPARE(request.student, std::string("cbow-tiny"));
        }
        request.values = {{"steps", "30"}, {"threads", "1"}, {"log_every", "5"}, {"eval_every", "10"}, {"sample_tokens", "0"}};
        auto* view = w.findChild<ui::DistillView*>(QStringLiteral("distillView"));
        QVERIFY(view);
        w.findChild<QTabWidget*>(QStringLiteral("plotTabs"))->setCurrentWidget(view);
        w.startDistill(request, true);
        auto* losses = view->findChildren<QCustomPlot*>().at(0);
        QTRY_VERIFY_WITH_TIMEOUT(losses->graph(0)->dataCount() >= 2, 60000); // live soft term
        // The distilled run, then its baseline from the queue.
        auto allDone = [&] {
            const auto runs = w.bridge()->runs();
            return runs.size() == 3 && !w.bridge()->isTraining()
                   && std::all_of(runs.begin(), runs.end(), [](const RunRecord& r) { return r.status == status::kFinished; });
        };
        QTRY_VERIFY_WITH_TIMEOUT(allDone(), 120000);
        std::int64_t student = 0;
        for (const auto& r : w.bridge()->runs())
            if (r.teacherRun)
                student = r.id;
        QVERIFY(student);
        w.findChild<ui::RunsTable*>(QStringLiteral("runsTable"))->selectRun(student);
        const auto plots = view->findChildren<QCustomPlot*>();
        QCOMPARE(plots.size(), 3);
        QCOMPARE(plots[0]->graph(0)->dataCount(), 6); // soft, every 5 steps
        QCOMPARE(plots[0]->graph(1)->dataCount(), 6); // hard
        QVERIFY(plots[1]->graph(1)->dataCount() >= 3); // the teacher's perplexity
        QVERIFY(plots[2]->graph(0)->dataCount() >= 3); // agreement
        auto* card = w.findChild<QTableWidget*>(QStringLiteral("distillCard"));
        for (int c = 0; c < 3; ++c)
            QVERIFY2(card->item(3, c) && card->item(3, c)->text() != QStringLiteral("\u2013"), qPrintable(QString::number(c)));
        QVERIFY(card->item(4, 1)->text() != QStringLiteral("\u2013"));
        saveShot(view, "distill-view");
    }

    // Task distillation in the cockpit: accuracy where a language model has
    // perplexity, the student's and the teacher's.
    void distillCockpitForAClassifier()
    {
        const auto db = wb::test::catalogWithSmall(dir() / "distill-classify.sqlite");
        {
            Catalog c(db);
            wb::test::importTopicsCorpus(c, std::filesystem::path(m_tmp.path().toStdString()), "topics", 90, 2);
        }
        const std::int64_t lm = trainStored(db, 20);
        std::int64_t student = 0;
        try {
            Catalog c(db);
            FinetuneRequest ft;
            ft.parent = lm;
            ft.corpus = "topics";
            ft.values = {{"task", "classify"}, {"steps", "20"}, {"threads", "1"}};
            TrainingJob teacher(db, finetuneConfig(c, ft));
            teacher.start();
            teacher.wait();
            QCOMPARE(teacher.summary().status, RunStatus::Finished);
            DistillRequest req;
            req.teacher = teacher.runId();
            req.kind = Task::Classify;
            req.student = "cbow-tiny";
            req.corpus = "topics";
            req.values = {{"steps", "20"}, {"threads", "1"}, {"eval_every", "10"}};
            TrainingJob job(db, distillConfig(c, req));
            job.start();
            job.wait();
            QCOMPARE(job.summary().status, RunStatus::Finished);
            student = job.runId();
        } catch (const std::exception& e) {
            QFAIL(e.what());
        }
        ui::MainWindow w(db);
        w.show();
        w.findChild<ui::RunsTable*>(QStringLiteral("runsTable"))->selectRun(student);
        auto* view = w.findChild<ui::DistillView*>(QStringLiteral("distillView"));
        const auto plots = view->findChildren<QCustomPlot*>();
        auto* title = qobject_cast<QCPTextElement*>(plots[1]->plotLayout()->element(0, 0));
        QVERIFY(title);
        QCOMPARE(title->text(), QStringLiteral("Validation accuracy"));
        QVERIFY(plots[1]->graph(0)->dataCount() >= 2); // the student's accuracy
        QVERIFY(plots[1]->graph(1)->dataCount() >= 2); // the teacher's
        auto* card = w.findChild<QTableWidget*>(QStringLiteral("distillCard"));
        QCOMPARE(card->verticalHeaderItem(3)->text(), QStringLiteral("validation accuracy"));
        QVERIFY(card->item(3, 0)->text() != QStringLiteral("\u2013") && card->item(3, 1)->text() != QStringLiteral("\u2013"));
    }

};

QTEST_MAIN(TestDistillView)
#include "test_distill_view.moc"
