// SPDX-License-Identifier: GPL-3.0-or-later
// The run queue and sweeps in the catalog: order, pause/resume/cancel and
// moves surviving a restart; per-device slots; requests to running runs;
// several writers (threads and processes) on one catalog without "database
// is locked"; sweep files expanded and refused with the field named.
#include "catalog/catalog.h"
#include "store/corpus_store.h"
#include "core/errors.h"
#include "data/corpus_import.h"
#include "jobs/sweep.h"
#include "jobs/training_job.h"

#include <QTemporaryDir>
#include <QtTest>

#include <set>

#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <thread>

using namespace wb;
namespace fs = std::filesystem;

namespace {

RunConfig smallRun(std::uint64_t seed)
{
    RunConfig c;
    c.corpus = "small";
    c.arch = "tiny-gpt";
    c.spec = resolveSpec("tiny-gpt");
    c.train.steps = 10;
    c.train.seed = seed;
    return c;
}

std::vector<std::int64_t> ids(const std::vector<RunRecord>& runs)
{
    std::vector<std::int64_t> out;
    for (const auto& r : runs)
        out.push_back(r.id);
    return out;
}

} // namespace

class TestQueue : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_tmp;
    fs::path m_db;

private slots:
    void initTestCase()
    {
        m_db = fs::path(m_tmp.path().toStdString()) / "queue.sqlite";
        Catalog c(m_db);
        CorpusImportOptions opt;
        opt.name = "small";
        opt.paths = {fs::path(LMWB_TEST_DATA) / "small.txt"};
        importCorpus(c, opt);
    }

    void queueSurvivesRestart()
    {
        std::int64_t a = 0, b = 0, x = 0;
        {
            a = TrainingJob::enqueue(m_db, smallRun(1));
            b = TrainingJob::enqueue(m_db, smallRun(2));
            x = TrainingJob::enqueue(m_db, smallRun(3));
            Catalog c(m_db);
            QCOMPARE(c.controlRun(b, "pause"), std::string("paused"));
            c.moveInQueue(x, 0);
        }
        // A new process opening the catalog sees the same queue.
        Catalog c(m_db);
        const auto q = c.queue();
        QCOMPARE(ids(q), (std::vector<std::int64_t>{x, a, b}));
        QCOMPARE(q[2].status, RunStatus::Paused);
        QCOMPARE(q[0].status, RunStatus::Queued);
        QVERIFY(RunConfig::fromJson(q[0].config).train.seed == 3);

        // Claiming takes the first queued run, then the device is full.
        const auto first = c.claimNextQueued("cpu");
        QVERIFY(first);
        QCOMPARE(first->id, x);
        QCOMPARE(c.run(x)->status, RunStatus::Running);
        QVERIFY(!c.claimNextQueued("cpu"));
        QVERIFY(!c.claimNextQueued("cuda")); // nothing queued there
        c.setQueueSlots("cpu", 2);
        QCOMPARE(c.queueSlots("cpu"), 2);
        const auto second = c.claimNextQueued("cpu");
        QVERIFY(second);
        QCOMPARE(second->id, a); // b is paused: skipped
        QVERIFY(!c.claimNextQueued("cpu"));

        // A running run gets requests through `control`.
        QCOMPARE(c.controlRun(x, "pause"), std::string("pausing"));
        QCOMPARE(c.pendingControl(x).value_or(""), std::string("pause"));
        c.clearControl(x);
        QVERIFY(!c.pendingControl(x).has_value());
        QVERIFY_THROWS_EXCEPTION(InputError, c.controlRun(x, "resume"));
        QVERIFY_THROWS_EXCEPTION(InputError, c.controlRun(b, "pause")); // paused already
        QVERIFY_THROWS_EXCEPTION(InputError, c.controlRun(b, "stop"));  // not an action
        QVERIFY_THROWS_EXCEPTION(InputError, c.moveInQueue(x, 0));      // running: not waiting
        QCOMPARE(c.controlRun(b, "resume"), std::string("queued"));
        QCOMPARE(c.controlRun(b, "cancel"), std::string("cancelled"));
        QVERIFY_THROWS_EXCEPTION(InputError, c.controlRun(b, "cancel"));
        c.finishRun(x, status::kFinished, std::nullopt);
        c.finishRun(a, status::kFinished, std::nullopt);
        QVERIFY(c.queue().empty());
        c.setQueueSlots("cpu", 1);
        QVERIFY_THROWS_EXCEPTION(InputError, c.setQueueSlots("cpu", 0));
    }

    void queuedRunOfDeadProcessFreesItsSlot()
    {
        const auto r = TrainingJob::enqueue(m_db, smallRun(4));
        const pid_t child = ::fork();
        if (child == 0) {
            // The child claims the run and dies without finishing it.
            Catalog c(m_db);
            ::_exit(c.claimNextQueued("cpu") ? 0 : 1);
        }
        int st = 0;
        ::waitpid(child, &st, 0);
        QCOMPARE(WEXITSTATUS(st), 0);
        Catalog c(m_db);
        QCOMPARE(c.run(r)->status, RunStatus::Interrupted);
        // Resume puts it back at the end of the queue; it can be taken again.
        QCOMPARE(c.controlRun(r, "resume"), std::string("queued"));
        const auto again = c.claimNextQueued("cpu");
        QVERIFY(again && again->id == r);
        c.finishRun(r, status::kFinished, std::nullopt);
    }

    // Two threads and two processes write the same catalog for a few
    // seconds: queue additions, metric batches, claims and requests. Every
    // write succeeds (WAL, busy timeout, IMMEDIATE transactions).
    void concurrentWriters()
    {
        constexpr int kPerWriter = 60;
        std::set<std::int64_t> earlier; // runs of other tests: this one counts only its own
        for (const auto& r : Catalog(m_db).runs())
            earlier.insert(r.id);
        auto writer = [&](int who) {
            Catalog c(m_db);
            for (int i = 0; i < kPerWriter; ++i) {
                const auto id = TrainingJob::enqueue(c, smallRun(static_cast<std::uint64_t>(1000 * who + i)), std::nullopt);
                std::vector<MetricPoint> pts;
                for (int s = 0; s < 50; ++s)
                    pts.push_back({s, "train_loss", 1.0 / (s + 1), 0.1 * s});
                c.transaction([&] { c.appendMetrics(id, pts); });
                c.controlRun(id, i % 2 ? "pause" : "cancel");
                (void)c.queue();
            }
        };
        std::vector<pid_t> children;
        for (int p = 0; p < 2; ++p) {
            const pid_t pid = ::fork();
            if (pid == 0) {
                try {
                    writer(10 + p);
                    ::_exit(0);
                } catch (const std::exception& e) {
                    std::fprintf(stderr, "writer process: %s\n", e.what());
                    ::_exit(1);
                }
            }
            children.push_back(pid);
        }
        std::atomic<int> failures{0};
        std::vector<std::thread> threads;
        for (int t = 0; t < 2; ++t)
            threads.emplace_back([&, t] {
                try {
                    writer(t + 1);
                } catch (const std::exception& e) {
                    qWarning("writer thread: %s", e.what());
                    ++failures;
                }
            });
        for (auto& t : threads)
            t.join();
        for (pid_t pid : children) {
            int st = 0;
            ::waitpid(pid, &st, 0);
            QVERIFY2(WIFEXITED(st) && WEXITSTATUS(st) == 0, "a writer process failed");
        }
        QCOMPARE(failures.load(), 0);
        Catalog c(m_db);
        int cancelled = 0, paused = 0;
        for (const auto& r : c.runs()) {
            if (earlier.count(r.id))
                continue;
            cancelled += r.status == status::kCancelled;
            paused += r.status == status::kPaused;
        }
        QCOMPARE(cancelled, 4 * kPerWriter / 2);
        QCOMPARE(paused, 4 * kPerWriter / 2);
        QVERIFY(c.checkIntegrity().empty());
    }

    void sweepGridAndRandom()
    {
        const std::string grid = R"({"name": "wxlr", "corpus": "small", "arch": "tiny-gpt",
            "train": {"steps": 20}, "parameters": {"spec.width": [32, 64], "lr": [0.001, 0.003, 0.01]}})";
        const SweepPlan plan = planSweep(grid, "grid.json");
        QCOMPARE(plan.runs.size(), std::size_t(6));
        QCOMPARE(plan.runs[0].spec.i("width"), 32);
        QCOMPARE(plan.runs[5].spec.i("width"), 64);
        QCOMPARE(plan.runs[1].train.lr, 0.003);
        QCOMPARE(plan.runs[3].train.steps, std::int64_t(20));
        QCOMPARE(plan.values[4], (std::vector<std::string>{"64", "0.003"}));
        const QueuedSweep q = enqueueSweep(m_db, plan);
        QCOMPARE(q.runs.size(), std::size_t(6));
        Catalog c(m_db);
        QCOMPARE(c.sweepRuns(q.sweepId).size(), std::size_t(6));
        QCOMPARE(c.queue().back().sweepId.value_or(0), q.sweepId);
        // Results: metrics of two runs; the better one first, runs without a
        // validation loss last.
        c.appendMetrics(q.runs[2], {{20, "val_loss", 2.5, 1}});
        c.appendMetrics(q.runs[4], {{20, "val_loss", 2.1, 1}});
        const SweepResults res = sweepResults(c, q.sweepId);
        QCOMPARE(res.keys, (std::vector<std::string>{"spec.width", "lr"}));
        QCOMPARE(res.rows[0].run.id, q.runs[4]);
        QCOMPARE(res.rows[1].run.id, q.runs[2]);
        QVERIFY(!res.rows[2].valLoss);
        for (auto id : q.runs)
            c.controlRun(id, "cancel");

        const std::string random = R"({"corpus": "small", "arch": "tiny-gpt", "method": "random", "samples": 5, "seed": 3,
            "parameters": {"train.lr": {"min": 1e-4, "max": 1e-2, "log": true}, "warmup": {"min": 0, "max": 50},
                           "arch": ["tiny-gpt", "lstm-tiny"]}})";
        const SweepPlan r = planSweep(random, "random.json");
        QCOMPARE(r.runs.size(), std::size_t(5));
        bool sawLstm = false;
        for (const auto& run : r.runs) {
            QVERIFY(run.train.lr >= 1e-4 && run.train.lr <= 1e-2);
            QVERIFY(run.train.warmup >= 0 && run.train.warmup <= 50);
            sawLstm |= run.spec.family == "lstm";
        }
        QVERIFY(sawLstm);
        QCOMPARE(planSweep(random, "again.json").runs[2].train.lr, r.runs[2].train.lr); // seeded
    }

    void sweepErrorsNameTheField()
    {
        auto message = [](const std::string& json) {
            try {
                planSweep(json, "s.json");
            } catch (const InputError& e) {
                return std::string(e.what());
            }
            return std::string("no error");
        };
        const std::string base = R"("corpus": "small", "arch": "tiny-gpt", )";
        QVERIFY(message("{" + base + R"("parameters": {"widht": [1]}})").find("'widht'") != std::string::npos);
        QVERIFY(message("{" + base + R"("parameters": {"spec.heads": [3]}})").find("heads") != std::string::npos);
        QVERIFY(message("{" + base + R"("parameters": {"lr": []}})").find("empty") != std::string::npos);
        QVERIFY(message("{" + base + R"("parameters": {"lr": {"min": 1, "max": 2}}})").find("method random") != std::string::npos);
        QVERIFY(message(R"({"arch": "tiny-gpt", "parameters": {}})").find("'corpus'") != std::string::npos);
        QVERIFY(message("{" + base + R"("parameters": {"lr": [1]}, "sampels": 3})").find("'sampels'") != std::string::npos);
        QVERIFY(message("{" + base).find("not valid JSON") != std::string::npos);
        QVERIFY(message("{" + base + R"("parameters": {"a": [1,2,3,4,5,6,7,8,9,10], "b": [1,2,3,4,5,6,7,8,9,10], "c": [1,2,3,4,5,6,7,8,9,10,11]}})")
                    .find("more than") != std::string::npos);
        // Optional fields of the wrong type and ranges that cannot be drawn
        // from (once an abort: nlohmann's type_error escaped).
        const std::string lr = R"("parameters": {"lr": [0.001]})";
        QVERIFY(message("{" + base + lr + R"(, "name": 5})").find("'name' must be a string") != std::string::npos);
        QVERIFY(message("{" + base + lr + R"(, "samples": "3"})").find("'samples' must be a whole number") != std::string::npos);
        QVERIFY(message("{" + base + lr + R"(, "seed": -1})").find("'seed' must not be negative") != std::string::npos);
        const std::string random = R"("method": "random", )";
        QVERIFY(message("{" + base + random + R"("parameters": {"lr": {"min": -1e308, "max": 1e308}}})").find("too wide")
                != std::string::npos);
        QVERIFY(message("{" + base + random + R"("parameters": {"lr": {"min": 0.1, "max": 1, "log": "yes"}}})")
                    .find("'log' must be true or false") != std::string::npos);
        QVERIFY(message("{" + base + random + R"("parameters": {"steps": {"min": 1, "max": 9223372036854775807}}})")
                    .find("within +-1e15") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestQueue)
#include "test_queue.moc"
