// SPDX-License-Identifier: GPL-3.0-or-later
// The variant board and the what-if tools (issue 13): a run and its
// variants on one scatter with the Pareto frontier and lineage arrows, the
// hover card, two rows compared, exports (PNG, SVG, PDF, CSV, LaTeX),
// compressing from the board; bytes per layer, the SVD energy slider and a
// sensitivity sweep. Offscreen.
#include "engine_bridge.h"
#include "gui_fixture.h"
#include "main_window.h"
#include "runs_table.h"
#include "services/compress.h"
#include "settings/compression_settings.h"
#include "variant_board.h"
#include "whatif_view.h"

#include <qcustomplot.h>

#include <QApplication>
#include <QDoubleSpinBox>
#include <QFile>
#include <QPushButton>
#include <QSlider>
#include <QTimer>
#include <QLabel>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

using namespace wb;
using wb::test::saveShot;
using wb::test::trainStored;

class TestVariantBoard : public QObject {
    Q_OBJECT
    QTemporaryDir m_tmp;
    std::filesystem::path dir() const { return std::filesystem::path(m_tmp.path().toStdString()); }

private slots:
    // A run nobody has measured yet: the board's plot keeps its full width
    // (an empty legend under it once squeezed it to a few pixels).
    void emptyBoardKeepsItsPlotWide()
    {
        const auto db = wb::test::catalogWithSmall(dir() / "empty-board.sqlite");
        const std::int64_t run = trainStored(db, 10);
        ui::MainWindow w(db);
        w.resize(1280, 900);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        auto* board = w.findChild<ui::VariantBoard*>(QStringLiteral("variantBoard"));
        w.findChild<QTabWidget*>(QStringLiteral("plotTabs"))->setCurrentWidget(board);
        w.findChild<ui::RunsTable*>(QStringLiteral("runsTable"))->selectRun(run);
        auto* plot = board->findChild<QCustomPlot*>(QStringLiteral("boardPlot"));
        QCOMPARE(plot->graphCount(), 0);
        plot->replot();
        QVERIFY2(plot->axisRect()->width() > plot->width() / 2,
                 qPrintable(QStringLiteral("axis rect %1 px of a %2 px plot").arg(plot->axisRect()->width()).arg(plot->width())));
    }

    // The GUI's compression editors take their ranges and defaults from
    // the compression option table, as the CLI's flags do.
    void compressionEditorsFollowTheTable()
    {
        const auto db = wb::test::catalogWithSmall(dir() / "editors.sqlite");
        const std::int64_t run = trainStored(db, 10);
        ui::MainWindow w(db);
        w.show();
        w.findChild<ui::RunsTable*>(QStringLiteral("runsTable"))->selectRun(run);
        auto* board = w.findChild<ui::VariantBoard*>(QStringLiteral("variantBoard"));
        board->showRuns({run});
        bool seen = false;
        QTimer::singleShot(300, [&] {
            auto* dialog = QApplication::activeModalWidget();
            QVERIFY(dialog && dialog->objectName() == QStringLiteral("compressDialog"));
            for (const auto& [name, key] : {std::pair{"compressSparsity", "sparsity"}, std::pair{"compressEnergy", "energy"}}) {
                auto* spin = dialog->findChild<QDoubleSpinBox*>(QString::fromLatin1(name));
                const Setting& row = compressionSetting(key);
                const double step = std::pow(10.0, -spin->decimals());
                QCOMPARE(spin->minimum(), row.min + (row.minExclusive ? step : 0.0));
                QCOMPARE(spin->maximum(), row.max - (row.maxExclusive ? step : 0.0));
                QCOMPARE(spin->value(), std::get<double>(row.defaultValue));
                // Every value the editor allows, the table accepts.
                QVERIFY(row.problem(spin->minimum()).empty());
                QVERIFY(row.problem(spin->maximum()).empty());
            }
            seen = true;
            dialog->close();
        });
        auto* compress = board->findChild<QPushButton*>(QStringLiteral("compressButton"));
        compress->setEnabled(true);
        compress->click();
        QVERIFY(seen);
        auto* slider = w.findChild<QSlider*>(QStringLiteral("svdEnergy"));
        const Setting& energy = compressionSetting("energy");
        QVERIFY(energy.problem(slider->minimum() / 1000.0).empty());
        QVERIFY(energy.problem(slider->maximum() / 1000.0).empty());
        QVERIFY(!energy.problem((slider->minimum() - 1) / 1000.0).empty());
        QCOMPARE(slider->value(), static_cast<int>(std::lround(std::get<double>(energy.defaultValue) * 1000)));
    }

    void boardAndWhatIf()
    {
        const auto db = wb::test::catalogWithSmall(dir() / "board.sqlite");
        const std::int64_t base = trainStored(db, 30);
        std::int64_t int8 = 0, pruned = 0, heads = 0;
        {
            Catalog c(db);
            CompressRequest r;
            r.run = base;
            r.method = "quantize";
            int8 = makeVariant(c, r);
            r.method = "prune";
            r.sparsity = 0.6;
            pruned = makeVariant(c, r);
            r.structured = "heads";
            r.sparsity = 0.5;
            heads = makeVariant(c, r);
            MeasureOptions fast;
            fast.latencyRuns = 10;
            for (std::int64_t id : {base, int8, pruned})
                measureRun(c, id, fast);
            // `heads` stays unmeasured: the board offers Measure for it.
        }
        ui::MainWindow w(db);
        w.resize(1280, 900);
        w.show();
        auto* board = w.findChild<ui::VariantBoard*>(QStringLiteral("variantBoard"));
        QVERIFY(board);
        w.findChild<QTabWidget*>(QStringLiteral("plotTabs"))->setCurrentWidget(board);
        w.findChild<ui::RunsTable*>(QStringLiteral("runsTable"))->selectRun(pruned); // any run of the family
        auto* table = board->findChild<QTableWidget*>(QStringLiteral("boardTable"));
        QCOMPARE(table->rowCount(), 4);
        QCOMPARE(table->item(0, 0)->text(), QString::number(base));
        auto* plot = board->findChild<QCustomPlot*>(QStringLiteral("boardPlot"));
        QCOMPARE(plot->itemCount(), 2); // arrows from the parent to its two measured children
        const QString status = board->findChild<QLabel*>(QStringLiteral("boardStatus"))->text();
        QVERIFY2(status.contains(QStringLiteral("Not measured yet: 1 of")), qPrintable(status));

        // The frontier: the int8 variant is the smallest file; nothing measured
        // is both smaller and better than a frontier point.
        const auto front = board->frontier();
        QVERIFY(!front.empty());
        QCOMPARE(front.front(), int8);
        QVERIFY(board->card(int8).contains(QStringLiteral("quantize")));
        QVERIFY(board->card(heads).contains(QStringLiteral("not measured")));
        const QString diff = board->diff(base, int8);
        QVERIFY2(diff.contains(QStringLiteral("ratio")) && diff.contains(QStringLiteral("file bytes")), qPrintable(diff));

        // Measure the one left, from the board.
        QSignalSpy measured(w.bridge(), &ui::EngineBridge::measureFinished);
        QMetaObject::invokeMethod(board->findChild<QPushButton*>(QStringLiteral("measureButton")), "click");
        QTRY_COMPARE_WITH_TIMEOUT(measured.count(), 1, 120000);
        QVERIFY2(measured.at(0).at(0).toBool(), qPrintable(measured.at(0).at(1).toString()));
        QCOMPARE(plot->itemCount(), 3);
        table->setRangeSelected(QTableWidgetSelectionRange(0, 0, 1, table->columnCount() - 1), true);
        QVERIFY(board->findChild<QLabel*>(QStringLiteral("boardDiff"))->text().contains(QStringLiteral("ratio")));
        saveShot(board, "variant-board");

        // Exports.
        const QString out = m_tmp.path();
        QString error;
        for (const char* ext : {"png", "svg", "pdf", "csv", "tex"}) {
            const QString path = out + QStringLiteral("/board.") + QLatin1String(ext);
            const bool table_ = QLatin1String(ext) == QLatin1String("csv") || QLatin1String(ext) == QLatin1String("tex");
            QVERIFY2(table_ ? board->exportTable(path, &error) : board->exportBoard(path, &error), qPrintable(error));
            QVERIFY2(QFile(path).size() > 200, ext);
        }
        QFile csv(out + QStringLiteral("/board.csv"));
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QStringList lines = QString::fromUtf8(csv.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 5);
        QCOMPARE(lines[0], QStringLiteral("run,parent,method,params,nonzero,file_bytes,gzip_bytes,val_ppl,val_bpc,latency_ms_p50,"
                                          "latency_ms_p90,tokens_per_s"));
        QFile svg(out + QStringLiteral("/board.svg"));
        QVERIFY(svg.open(QIODevice::ReadOnly) && svg.readAll().contains("<svg"));
        QFile tex(out + QStringLiteral("/board.tex"));
        QVERIFY(tex.open(QIODevice::ReadOnly) && tex.readAll().contains("\\begin{tabular}"));
        QVERIFY(!board->exportBoard(out + QStringLiteral("/board.gif"), &error));
        QVERIFY(error.contains(QStringLiteral(".png, .svg or .pdf")));

        // Compress from the board: a new variant appears, made and measured.
        QSignalSpy compressed(w.bridge(), &ui::EngineBridge::compressFinished);
        CompressRequest lr;
        lr.run = base;
        lr.method = "lowrank";
        lr.rank = 8;
        QVERIFY(w.bridge()->startCompress(lr, &error));
        QTRY_COMPARE_WITH_TIMEOUT(compressed.count(), 1, 120000);
        QVERIFY2(compressed.at(0).at(0).toBool(), qPrintable(compressed.at(0).at(2).toString()));
        QTRY_COMPARE(table->rowCount(), 5);
        lr.rank = 100000;
        QVERIFY(!w.bridge()->startCompress(lr, &error)); // refused before the thread starts, named
        QVERIFY2(error.contains(QStringLiteral("above every layer's rank")), qPrintable(error));

        // What if: bytes per layer, the SVD slider, a sensitivity sweep.
        auto* whatIf = w.findChild<ui::WhatIfView*>(QStringLiteral("whatIfView"));
        w.findChild<ui::RunsTable*>(QStringLiteral("runsTable"))->selectRun(base);
        w.findChild<QTabWidget*>(QStringLiteral("plotTabs"))->setCurrentWidget(whatIf);
        auto* bytes = whatIf->findChild<QCustomPlot*>(QStringLiteral("layerBytesPlot"));
        QCOMPARE(bytes->plottableCount(), 1);
        QVERIFY(static_cast<QCPBars*>(bytes->plottable(0))->dataCount() >= 8);
        whatIf->setEnergy(0.5);
        const QString low = whatIf->energyText();
        whatIf->setEnergy(0.99);
        const QString high = whatIf->energyText();
        QVERIFY2(low.contains(QStringLiteral("rank")) && low != high, qPrintable(low + QLatin1Char('|') + high));
        QSignalSpy swept(w.bridge(), &ui::EngineBridge::sensitivityFinished);
        whatIf->startSweep();
        QTRY_COMPARE_WITH_TIMEOUT(swept.count(), 1, 120000);
        QVERIFY2(swept.at(0).at(0).toBool(), qPrintable(swept.at(0).at(2).toString()));
        auto* sens = whatIf->findChild<QCustomPlot*>(QStringLiteral("sensitivityPlot"));
        QCOMPARE(sens->plottableCount(), 1);
        QCOMPARE(static_cast<QCPBars*>(sens->plottable(0))->dataCount(), 8); // the 8 block matrices of nano-gpt
        saveShot(whatIf, "what-if");
    }
};

QTEST_MAIN(TestVariantBoard)
#include "test_variant_board.moc"
