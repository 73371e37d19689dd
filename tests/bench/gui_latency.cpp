// SPDX-License-Identifier: GPL-3.0-or-later
// GUI responsiveness while training (issue 14, docs/benchmarks.md): drives
// the real main window (offscreen or on a display), presses Train, and
// measures the time to the first plotted point, then the event loop's
// latency as a 5 ms timer's lateness while training runs at full speed with
// the plot, the performance strip and the runs table live.
//   usage: bench_gui_latency [--corpus FILE] [--arch PRESET] [--seconds S]
// Prints one JSON line. A benchmark, not a test: it asserts nothing.
#include "catalog/catalog.h"
#include "data/corpus_import.h"
#include "main_window.h"
#include "store/corpus_store.h"
#include "training_plot.h"

#include <QApplication>
#include <QComboBox>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QPushButton>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <vector>

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true); // the user's own settings stay untouched
    QString corpusFile = QStringLiteral(LMWB_TEST_DATA "/small.txt"), arch = QStringLiteral("tiny-gpt");
    double seconds = 20;
    const QStringList args = app.arguments();
    for (int i = 1; i + 1 < args.size(); i += 2) {
        if (args[i] == QLatin1String("--corpus"))
            corpusFile = args[i + 1];
        else if (args[i] == QLatin1String("--arch"))
            arch = args[i + 1];
        else if (args[i] == QLatin1String("--seconds"))
            seconds = std::strtod(args[i + 1].toLocal8Bit().constData(), nullptr);
    }
    QTemporaryDir tmp;
    const std::filesystem::path db = std::filesystem::path(tmp.path().toStdString()) / "bench.sqlite";
    {
        wb::Catalog c(db);
        wb::CorpusImportOptions opt;
        opt.name = "bench";
        opt.paths = {corpusFile.toStdString()};
        wb::importCorpus(c, opt);
    }
    wb::ui::MainWindow w(db);
    w.resize(1400, 900);
    w.show();
    if (!QTest::qWaitForWindowExposed(&w)) {
        std::fprintf(stderr, "bench_gui_latency: the main window was not exposed within 5 s\n");
        return 1;
    }
    auto* preset = w.findChild<QComboBox*>(QStringLiteral("presetCombo"));
    auto* steps = w.findChild<QSpinBox*>(QStringLiteral("setting-steps"));
    auto* train = w.findChild<QPushButton*>(QStringLiteral("trainButton"));
    auto* stop = w.findChild<QPushButton*>(QStringLiteral("stopButton"));
    auto* plot = w.findChild<wb::ui::TrainingPlot*>(QStringLiteral("trainingPlot"));
    if (!preset || !steps || !train || !stop || !plot || preset->findText(arch) < 0) {
        std::fprintf(stderr, "bench_gui_latency: the main window lacks a control, or no preset '%s'\n", qPrintable(arch));
        return 2;
    }
    preset->setCurrentIndex(preset->findText(arch));
    steps->setValue(steps->maximum());

    QElapsedTimer clock;
    clock.start();
    if (!train->isEnabled()) {
        std::fprintf(stderr, "bench_gui_latency: the Train button is disabled\n");
        return 2;
    }
    QTest::mouseClick(train, Qt::LeftButton);
    if (!stop->isEnabled()) {
        std::fprintf(stderr, "bench_gui_latency: pressing Train started nothing\n");
        return 2;
    }
    double firstPointMs = -1;
    while (plot->trainPointCount() < 1 && clock.elapsed() < 120000)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 1);
    firstPointMs = clock.nsecsElapsed() / 1e6;

    // The event loop's latency: how late a 5 ms timer fires.
    std::vector<double> late;
    QElapsedTimer since;
    QTimer tick;
    tick.setTimerType(Qt::PreciseTimer);
    tick.setInterval(5);
    since.start();
    QObject::connect(&tick, &QTimer::timeout, [&] {
        late.push_back(std::max(0.0, since.nsecsElapsed() / 1e6 - 5.0));
        since.restart();
    });
    tick.start();
    // A local loop: quitting the application would ask whether to stop the run.
    QEventLoop loop;
    QTimer::singleShot(static_cast<int>(seconds * 1000), &loop, &QEventLoop::quit);
    loop.exec();
    tick.stop();
    const int points = plot->trainPointCount();
    QTest::mouseClick(stop, Qt::LeftButton);
    while (!train->isEnabled())
        QCoreApplication::processEvents(QEventLoop::AllEvents, 10);

    std::sort(late.begin(), late.end());
    auto pct = [&](double p) { return late.empty() ? 0.0 : late[std::min(late.size() - 1, static_cast<std::size_t>(p * late.size()))]; };
    std::printf("{\"arch\": \"%s\", \"first_point_ms\": %.1f, \"ticks\": %zu, \"lateness_ms_p50\": %.2f, "
                "\"lateness_ms_p99\": %.2f, \"lateness_ms_max\": %.2f, \"plotted_points\": %d, \"seconds\": %.0f}\n",
                qPrintable(arch), firstPointMs, late.size(), pct(0.5), pct(0.99), late.empty() ? 0.0 : late.back(), points, seconds);
    return 0;
}
