// SPDX-License-Identifier: GPL-3.0-or-later
// Learning-rate and momentum schedules (engine/train/schedule.h) as the pure
// functions of the step they are: each schedule's shape, no training.
#include "train/schedule.h"

#include <QtTest>

#include <cmath>

using namespace wb;

class TestSchedule : public QObject {
    Q_OBJECT
private slots:
    void warmupCosineShape()
    {
        const double peak = 1e-3, floor = 1e-4;
        QCOMPARE(warmupCosine(0, 10, 100, peak, floor), peak / 10);
        QCOMPARE(warmupCosine(9, 10, 100, peak, floor), peak);
        QCOMPARE(warmupCosine(10, 10, 100, peak, floor), peak);
        QVERIFY(std::abs(warmupCosine(55, 10, 100, peak, floor) - (peak + floor) / 2) < 1e-12);
        QCOMPARE(warmupCosine(100, 10, 100, peak, floor), floor);
        QCOMPARE(warmupCosine(500, 10, 100, peak, floor), floor);
        double prev = peak;
        for (int s = 10; s <= 100; ++s) {
            const double lr = warmupCosine(s, 10, 100, peak, floor);
            QVERIFY(lr <= prev + 1e-15);
            prev = lr;
        }
        QCOMPARE(warmupCosine(0, 0, 100, peak, floor), peak); // no warm-up
    }

    void everyScheduleHasItsShape()
    {
        const double peak = 1e-2, floor = 1e-3;
        const std::int64_t total = 1000;
        auto lr = [&](const char* kind, std::int64_t step, std::int64_t warmup = 0) {
            return learningRate({*parseEnum<Schedule>(kind), peak, floor, warmup, total}, step);
        };
        // constant: the peak throughout (after the warm-up).
        QCOMPARE(lr("constant", 0), peak);
        QCOMPARE(lr("constant", 999), peak);
        QCOMPARE(lr("constant", 4, 10), peak / 2);
        // cosine: the walking skeleton's warmupCosine.
        QCOMPARE(lr("cosine", 500, 100), warmupCosine(500, 100, total, peak, floor));
        // linear: straight from peak to floor.
        QCOMPARE(lr("linear", 0), peak);
        QVERIFY(std::abs(lr("linear", 500) - (peak + floor) / 2) < 1e-12);
        QVERIFY(std::abs(lr("linear", 1000) - floor) < 1e-12);
        // step: a tenth every third of the run.
        QCOMPARE(lr("step", 332), peak);
        QVERIFY(std::abs(lr("step", 333) - peak * 0.1) < 1e-15);
        QVERIFY(std::abs(lr("step", 999) - peak * 0.001) < 1e-15);
        // onecycle: from peak/25 up to peak at 30 %, then down to peak/25e4.
        QVERIFY(std::abs(lr("onecycle", 0) - peak / 25) < 1e-12);
        double best = 0;
        std::int64_t argBest = 0;
        for (std::int64_t s = 0; s < total; ++s)
            if (lr("onecycle", s) > best) {
                best = lr("onecycle", s);
                argBest = s;
            }
        QVERIFY(std::abs(best - peak) < 1e-12);
        QVERIFY(argBest >= 295 && argBest <= 300);
        QVERIFY(std::abs(lr("onecycle", 999) - peak / 25 / 1e4) < 1e-12);
        // stlr (methods.md B7): peak/32 at 0, peak at cut = 100, peak/32 at the end.
        QVERIFY(std::abs(lr("stlr", 0) - peak / 32) < 1e-15);
        QVERIFY(std::abs(lr("stlr", 100) - peak) < 1e-15);
        QVERIFY(std::abs(lr("stlr", 50) - peak * (1 + 0.5 * 31) / 32) < 1e-15);
        QVERIFY(std::abs(lr("stlr", 1000) - peak / 32) < 1e-15);
        for (std::int64_t s = 101; s < total; ++s)
            QVERIFY(lr("stlr", s) <= lr("stlr", s - 1));
        QVERIFY(!parseEnum<Schedule>("cyclic"));
        // One-cycle cycles the momentum inversely to the rate (PyTorch's
        // cycle_momentum): 0.95 at the start, 0.85 at the peak, 0.95 at the end.
        const ScheduleSettings one{Schedule::OneCycle, peak, floor, 0, total};
        QCOMPARE(*cycledMomentum(one, 0), 0.95);
        const std::int64_t top = static_cast<std::int64_t>(0.3 * total - 1);
        QVERIFY(std::abs(*cycledMomentum(one, top) - 0.85) < 1e-12);
        QVERIFY(std::abs(lr("onecycle", top) - peak) < 1e-12);
        QVERIFY(std::abs(*cycledMomentum(one, total - 1) - 0.95) < 1e-12);
        QVERIFY(*cycledMomentum(one, top / 2) < 0.95 && *cycledMomentum(one, top / 2) > 0.85);
        QVERIFY(!cycledMomentum({Schedule::Cosine, peak, floor, 0, total}, 10));
    }
};

QTEST_APPLESS_MAIN(TestSchedule)
#include "test_schedule.moc"
