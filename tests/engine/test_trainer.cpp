// SPDX-License-Identifier: GPL-3.0-or-later
// Training through the job runner on a real small text: the loss falls well
// below the unigram entropy, a seed fixes the loss series, Stop takes effect
// within a second and keeps a checkpoint, the catalog stays intact.
#include "catalog/catalog.h"
#include "models/finetune_layers.h"
#include "core/errors.h"
#include "data/corpus_import.h"
#include "store/corpus_store.h"
#include "data/utf8.h"
#include "services/generate.h"
#include "jobs/checkpoint_store.h"
#include "jobs/training_job.h"
#include "trainer_fixture.h"
#include "services/run_service.h"
#include "train/trainer.h"
#include "settings/settings.h"

#include <nlohmann/json.hpp>

#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <chrono>
#include <condition_variable>
#include <cstring>
#include <cmath>
#include <fstream>
#include <map>
#include <mutex>
#include <thread>

using namespace wb;
using wb::test::nanoConfig;
namespace fs = std::filesystem;

namespace {

std::vector<double> series(Catalog& c, std::int64_t run, const std::string& name)
{
    std::vector<double> out;
    for (const auto& m : c.metrics(run))
        if (m.name == name)
            out.push_back(m.value);
    return out;
}

} // namespace

class TestTrainer : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_tmp;
    fs::path m_catalog;

    std::atomic<bool>* m_stopFlag = nullptr;
    std::atomic<bool>* job_stop_flag() { return m_stopFlag; }

    RunSummary train(const RunConfig& cfg) { return wb::test::trainToEnd(m_catalog, cfg); }

private slots:
    void initTestCase()
    {
        m_catalog = wb::test::catalogWithSmall(fs::path(m_tmp.path().toStdString()) / "catalog.sqlite");
    }

    // The stages of the training loop, each on its own.
    void namedStages()
    {
        Catalog catalog(m_catalog);
        const auto corpus = *catalog.corpusByName("small");
        RunConfig cfg = nanoConfig(10, 3);
        cfg.train.sampleTokens = 8;
        resolveDefaults(cfg.train);
        std::vector<Event> events;
        std::vector<std::pair<std::int64_t, bool>> saved;
        const fs::path file = fs::path(m_tmp.path().toStdString()) / "stage.pt";
        TrainerHooks hooks;
        hooks.onEvent = [&](Event e) { events.push_back(std::move(e)); };
        hooks.checkpoint = [&](std::int64_t step, const std::function<void(const fs::path&)>& write, bool best) {
            saved.emplace_back(step, best);
            write(file);
        };
        const std::atomic<bool> stop{false};
        Trainer trainer(cfg, loadTrainingData(catalog, corpus, corpusTokenizer(catalog, corpus), stop), hooks);

        // trainStep: an accepted step changes the weights and reports its loss.
        const auto before = trainer.parameterValues();
        double sum = 0;
        for (std::int64_t step = 0; step < 3; ++step) {
            const StepResult r = trainer.trainStep(step, stop);
            QVERIFY2(r.diverged.empty(), r.diverged.c_str());
            QVERIFY(r.loss > 0 && std::isfinite(r.loss));
            QVERIFY(r.gradNorm > 0 && std::isfinite(r.gradNorm));
            sum += r.loss;
        }
        QVERIFY(trainer.parameterValues() != before);

        // logInterval: the mean loss of the interval's steps, emitted once.
        const StepEvent ev = trainer.logInterval(3, 1e-3);
        QCOMPARE(ev.step, std::int64_t(3));
        QVERIFY(std::abs(ev.trainLoss - sum / 3) < 1e-6);
        QVERIFY(ev.tokensPerSec > 0);
        QCOMPARE(events.size(), std::size_t(1));
        QVERIFY(std::holds_alternative<StepEvent>(events[0]));

        // evaluate: validation loss and perplexity, then a sample.
        const auto e = trainer.evaluate(3, stop);
        QVERIFY(e.has_value());
        QVERIFY(std::abs(e->valPpl - std::exp(e->valLoss)) < 1e-6 * e->valPpl);
        QCOMPARE(events.size(), std::size_t(3));
        QVERIFY(std::holds_alternative<EvalEvent>(events[1]));
        QVERIFY(std::holds_alternative<SampleEvent>(events[2]));

        // checkpoint: handed to the hooks, and it restores the same weights.
        trainer.checkpoint(3, /*best=*/true);
        QCOMPARE(saved.size(), std::size_t(1));
        QCOMPARE(saved[0], (std::pair<std::int64_t, bool>(3, true)));
        Trainer other(cfg, loadTrainingData(catalog, corpus, corpusTokenizer(catalog, corpus), stop), {});
        QVERIFY(other.parameterValues() != trainer.parameterValues());
        QCOMPARE(other.resume(file), std::int64_t(3));
        QVERIFY(other.parameterValues() == trainer.parameterValues());
    }

    // The guard checks the loss and the gradient norm before the optimizer
    // applies a step, on every step, also without clipping: the refused step
    // leaves every weight bitwise as it was.
    void divergenceGuardRunsBeforeTheOptimizer()
    {
        Catalog catalog(m_catalog);
        const auto corpus = *catalog.corpusByName("small");
        RunConfig cfg = nanoConfig(200, 5);
        cfg.train.optimizer = Optimizer::Sgd;
        cfg.train.schedule = Schedule::Constant;
        cfg.train.lr = 100;
        cfg.train.clip = 0;
        cfg.train.warmup = 0;
        cfg.train.logEvery = 50; // the guard does not wait for a logging step
        resolveDefaults(cfg.train);
        const std::atomic<bool> stop{false};
        Trainer trainer(cfg, loadTrainingData(catalog, corpus, corpusTokenizer(catalog, corpus), stop), {[](Event) {}, {}});
        std::string reason;
        std::int64_t step = 0;
        for (; step < 200 && reason.empty(); ++step) {
            const auto before = trainer.parameterValues();
            const StepResult r = trainer.trainStep(step, stop);
            if (!r.diverged.empty()) {
                reason = r.diverged;
                const auto after = trainer.parameterValues();
                QCOMPARE(after.size(), before.size());
                QVERIFY(std::memcmp(before.data(), after.data(), before.size() * sizeof(float)) == 0);
            }
        }
        QVERIFY2(!reason.empty(), "SGD at lr 100 without clipping should diverge within 200 steps");
        QVERIFY2(reason.find("at step " + std::to_string(step)) != std::string::npos, reason.c_str());
        qDebug("%s", reason.c_str());
    }

    void divergenceStopsWithStatusAndStep()
    {
        auto cfg = nanoConfig(60, 3);
        cfg.train.optimizer = Optimizer::Sgd;
        cfg.train.schedule = Schedule::Constant;
        cfg.train.lr = 100; // a student's learning rate (the highest the settings allow)
        cfg.train.clip = 0;  // nothing to save it
        cfg.train.warmup = 0;
        const auto s = train(cfg);
        qDebug("%s", s.error.c_str());
        QCOMPARE(s.status, RunStatus::Diverged);
        QVERIFY(s.error.find("at step ") != std::string::npos);
        Catalog c(m_catalog);
        QCOMPARE(c.run(s.run)->status, RunStatus::Diverged);
        QVERIFY(c.run(s.run)->error->find("at step") != std::string::npos);
        QCOMPARE(c.runArtifacts(s.run, "checkpoint").size(), std::size_t(0)); // diverged weights are not stored
        QVERIFY(c.checkIntegrity().empty());
    }

    void gradientAccumulationMatchesTheLargerBatch()
    {
        // Two micro-batches of 8 draw the same 16 windows as one batch of 16.
        auto big = nanoConfig(5, 9);
        big.train.logEvery = 1;
        auto micro = big;
        micro.train.batch = 8;
        micro.train.accumulate = 2;
        const auto a = train(big);
        const auto b = train(micro);
        Catalog c(m_catalog);
        const auto la = series(c, a.run, "train_loss");
        const auto lb = series(c, b.run, "train_loss");
        QCOMPARE(la.size(), lb.size());
        for (std::size_t i = 0; i < la.size(); ++i)
            QVERIFY2(std::abs(la[i] - lb[i]) < 1e-4, qPrintable(QStringLiteral("step %1: %2 vs %3").arg(i).arg(la[i]).arg(lb[i])));
    }

    void earlyStoppingWithPatience()
    {
        auto cfg = nanoConfig(400, 4);
        cfg.train.schedule = Schedule::Constant;
        cfg.train.lr = 1e-9; // nothing improves
        cfg.train.warmup = 0;
        cfg.train.evalEvery = 20;
        cfg.train.patience = 2;
        const auto s = train(cfg);
        QCOMPARE(s.status, RunStatus::Finished);
        QVERIFY(s.earlyStopped);
        QVERIFY2(s.steps <= 80, qPrintable(QString::number(s.steps)));
        // The other optimizers train too.
        for (const char* opt : {"sgd", "adam", "radam"}) {
            auto o = nanoConfig(30, 4);
            o.train.optimizer = *parseEnum<Optimizer>(opt);
            o.train.lr = std::string(opt) == "sgd" ? 0.5 : 3e-3;
            const auto r = train(o);
            QVERIFY2(r.status == RunStatus::Finished, (std::string(opt) + ": " + r.error).c_str());
        }
        auto bad = nlohmann::json::parse(nanoConfig(10, 4).toJson());
        bad["train"]["optimizer"] = "lion";
        QVERIFY_THROWS_EXCEPTION(SettingError, RunConfig::fromJson(bad.dump()));
    }

    void resumedRunEqualsUninterruptedRun()
    {
        // Uninterrupted: 60 steps. Interrupted: stopped part way (a stop
        // checkpoints the full state), then resumed to 60 steps.
        auto cfg = nanoConfig(60, 21);
        cfg.train.evalEvery = 25;
        cfg.train.checkpointEvery = 10;
        cfg.train.keepCheckpoints = 2;
        const auto whole = train(cfg);

        std::int64_t runId = 0;
        {
            TrainingJob job(m_catalog, cfg, [&](const EventBatch& b) {
                for (const auto& ev : b.events)
                    if (const auto* s = std::get_if<StepEvent>(&ev); s && s->step >= 23)
                        job_stop_flag()->store(true);
            });
            m_stopFlag = &job.stopFlag();
            job.start();
            job.wait();
            QCOMPARE(job.summary().status, RunStatus::Stopped);
            QVERIFY(job.summary().steps < 60);
            runId = job.runId();
        }
        {
            Catalog c(m_catalog);
            QVERIFY(c.runArtifacts(runId, "checkpoint").size() <= 2); // keeps the last K
        }
        TrainingJob resumed(m_catalog, runId, 0);
        resumed.start();
        resumed.wait();
        QCOMPARE(resumed.summary().status, RunStatus::Finished);
        QCOMPARE(resumed.summary().steps, 60);

        Catalog c(m_catalog);
        const auto a = series(c, whole.run, "train_loss");
        const auto b = series(c, runId, "train_loss");
        QCOMPARE(a.size(), std::size_t(60));
        QCOMPARE(b.size(), std::size_t(60));
        for (std::size_t i = 0; i < a.size(); ++i)
            QVERIFY2(a[i] == b[i], qPrintable(QStringLiteral("step %1: %2 vs %3").arg(i + 1).arg(a[i], 0, 'g', 17).arg(b[i], 0, 'g', 17)));
        QCOMPARE(resumed.summary().valLoss, whole.valLoss);
        QCOMPARE(c.run(runId)->status, RunStatus::Finished);
        QVERIFY(!c.runArtifacts(runId, "checkpoint_best").empty());
        QVERIFY(c.checkIntegrity().empty());
        QVERIFY_THROWS_EXCEPTION(InputError, TrainingJob(m_catalog, 99999, 0));

        // Checkpoints by time as well: every ~6 ms here, keeping the last 2.
        auto timed = nanoConfig(50, 22);
        timed.train.checkpointMinutes = 0.0001;
        timed.train.keepCheckpoints = 2;
        const auto t = train(timed);
        QCOMPARE(t.status, RunStatus::Finished);
        const auto kept = c.runArtifacts(t.run, "checkpoint");
        QCOMPARE(kept.size(), std::size_t(2));
        QCOMPARE(kept.back().step.value_or(0), 50);
        QVERIFY(kept.front().step.value_or(0) < 50); // one written by the clock
        for (const auto& k : kept)
            QVERIFY(fs::exists(c.artifactPath(k.path)));
    }

    // AWD-LSTM reads contiguous streams with its state carried (methods.md
    // A4): the checkpoint keeps the streams' position and the carried state,
    // so a resumed run equals an uninterrupted one here too, across the
    // streams' wrap-around (33 chunks of 16 in each of the 16 streams).
    void lstmStreamsResumeExactly()
    {
        RunConfig cfg = nanoConfig(40, 23);
        cfg.arch = "test-lstm";
        cfg.spec = ModelSpec::defaults("lstm");
        for (const auto& [k, v] : std::map<std::string, double>{{"embed", 16}, {"hidden", 24}, {"layers", 2}, {"context", 16}})
            cfg.spec.set(k, v);
        cfg.train.evalEvery = 20;
        cfg.train.checkpointEvery = 10;
        cfg.train.sampleTokens = 10;
        const auto whole = train(cfg);
        QCOMPARE(whole.status, RunStatus::Finished);
        std::int64_t runId = 0;
        {
            TrainingJob job(m_catalog, cfg, [&](const EventBatch& b) {
                for (const auto& ev : b.events)
                    if (const auto* s = std::get_if<StepEvent>(&ev); s && s->step >= 15)
                        job_stop_flag()->store(true);
            });
            m_stopFlag = &job.stopFlag();
            job.start();
            job.wait();
            QCOMPARE(job.summary().status, RunStatus::Stopped);
            runId = job.runId();
        }
        TrainingJob resumed(m_catalog, runId, 0);
        resumed.start();
        resumed.wait();
        QCOMPARE(resumed.summary().status, RunStatus::Finished);
        Catalog c(m_catalog);
        const auto a = series(c, whole.run, "train_loss");
        const auto b = series(c, runId, "train_loss");
        QCOMPARE(a.size(), std::size_t(40));
        QCOMPARE(b.size(), std::size_t(40));
        for (std::size_t i = 0; i < a.size(); ++i)
            QVERIFY2(a[i] == b[i], qPrintable(QStringLiteral("step %1: %2 vs %3").arg(i + 1).arg(a[i], 0, 'g', 17).arg(b[i], 0, 'g', 17)));
        QCOMPARE(resumed.summary().valLoss, whole.valLoss);
    }

    void learningRateFinderSuggestsARate()
    {
        auto cfg = nanoConfig(10, 2);
        std::atomic<bool> stop{false};
        const auto r = findLearningRate(m_catalog, cfg, 1e-6, 10.0, 120, stop);
        QVERIFY(r.lrs.size() >= 20);
        for (std::size_t i = 1; i < r.lrs.size(); ++i)
            QVERIFY(r.lrs[i] > r.lrs[i - 1]); // exponential sweep, increasing
        QVERIFY(std::abs(std::log(r.lrs[1] / r.lrs[0]) - std::log(10.0 / 1e-6) / 119) < 1e-9);
        qDebug("suggested %.3g, lowest loss at %.3g (%zu steps)", r.suggested, r.minLossLr, r.lrs.size());
        QVERIFY(r.suggested > 1e-5 && r.suggested < 1.0); // somewhere sensible for AdamW on a nano GPT
        QVERIFY(r.suggested <= r.minLossLr);
        QVERIFY(*std::min_element(r.smoothed.begin(), r.smoothed.end()) < r.smoothed.front() - 0.3); // it learned
        QVERIFY_THROWS_EXCEPTION(InputError, findLearningRate(m_catalog, cfg, 1.0, 0.1, 100, stop));
    }

    void lossFallsWellBelowUnigramEntropy()
    {
        // Unigram entropy of the characters of the text, in nats.
        std::ifstream in(LMWB_TEST_DATA "/small.txt", std::ios::binary);
        const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        std::map<char32_t, double> counts;
        const auto cps = utf8::decode(text);
        for (char32_t c : cps)
            counts[c] += 1;
        double entropy = 0;
        for (const auto& [c, n] : counts)
            entropy -= n / cps.size() * std::log(n / cps.size());

        const auto s = train(nanoConfig(400, 11));
        qDebug("unigram entropy %.4f nats; validation loss %.4f nats (%.4f bpc, ppl %.3f) after %lld steps",
               entropy, s.valLoss, s.valBpc, s.valPpl, static_cast<long long>(s.steps));
        QCOMPARE(s.status, RunStatus::Finished);
        QCOMPARE(s.steps, 400);
        QVERIFY2(s.valLoss < 0.8 * entropy, "validation loss is not well below the unigram entropy");
        QVERIFY(std::abs(*s.valBpc - *s.valLoss / std::log(2.0)) < 1e-9); // char tokenizer: bpc = nats / ln 2
        QVERIFY(std::abs(*s.valPpl - std::exp(*s.valLoss)) < 1e-9 * *s.valPpl);

        Catalog c(m_catalog);
        const auto run = c.run(s.run);
        QCOMPARE(run->status, RunStatus::Finished);
        QCOMPARE(series(c, s.run, "train_loss").size(), std::size_t(400));
        // Live metrics: step time by phase, model FLOP/s, utilisation, memory.
        for (const char* name : {"time_data_ms", "time_forward_ms", "time_backward_ms", "time_optimizer_ms", "model_gflops",
                                 "utilisation", "rss_mb"})
            QVERIFY2(series(c, s.run, name).size() == 400, name);
        QVERIFY(series(c, s.run, "time_forward_ms").back() > 0);
        QVERIFY(series(c, s.run, "utilisation").back() > 0 && series(c, s.run, "utilisation").back() < 2);
        QVERIFY(series(c, s.run, "rss_mb").back() > 50);
        QCOMPARE(series(c, s.run, "val_loss").size(), std::size_t(4)); // steps 100, 200, 300 and the end
        QCOMPARE(c.samples(s.run).size(), std::size_t(4));
        QCOMPARE(c.runArtifacts(s.run, "checkpoint").size(), std::size_t(1));
        QVERIFY(c.checkIntegrity().empty());

        // Generation from the stored checkpoint repeats with its seed.
        GenerateOptions g;
        g.prompt = "We hold";
        g.maxTokens = 60;
        g.seed = 5;
        const auto a = generateFromRun(c, s.run, g);
        const auto b = generateFromRun(c, s.run, g);
        QCOMPARE(a, b);
        QCOMPARE(utf8::length(a), std::size_t(60));
        g.prompt = "caf\xC3\xA9"; // é is not in this text: it becomes the unknown token
        QCOMPARE(utf8::length(generateFromRun(c, s.run, g)), std::size_t(60));
        g.prompt = "caf\xC3"; // invalid UTF-8 is refused
        QVERIFY_THROWS_EXCEPTION(InputError, generateFromRun(c, s.run, g));
    }

    void bpeRunReportsBitsPerByteComparableToCharRun()
    {
        {
            Catalog c(m_catalog);
            TokenizerTrainOptions o;
            o.kind = "bpe";
            o.vocabSize = 400;
            const auto t = trainCorpusTokenizer(c, "small-bpe", "small", o);
            QCOMPARE(t.record.vocabSize, 400);
            QCOMPARE(t.caches.size(), std::size_t(3));
            for (const auto& cache : t.caches)
                QVERIFY(static_cast<double>(cache.bytes) / static_cast<double>(cache.tokens) > 1.5); // merges happened
        }
        auto charCfg = nanoConfig(300, 3);
        auto bpeCfg = charCfg;
        bpeCfg.tokenizer = "small-bpe";
        const auto ch = train(charCfg);
        const auto bpe = train(bpeCfg);
        qDebug("validation bits per byte after 300 steps: char %.4f, bpe %.4f", ch.valBpb, bpe.valBpb);
        QCOMPARE(bpe.status, RunStatus::Finished);
        QVERIFY(bpe.valBpb && std::isfinite(*bpe.valBpb) && *bpe.valBpb > 0);
        // Both measure the same bytes: same order of magnitude.
        QVERIFY2(*bpe.valBpb < 2.0 * *ch.valBpb && *ch.valBpb < 2.0 * *bpe.valBpb, "bits per byte differ by more than 2x");
        // For the BPE run, bits per byte = nats per token / ln 2 / bytes per token.
        Catalog c(m_catalog);
        QCOMPARE(*c.run(bpe.run)->tokenizerId, c.tokenizerByName("small-bpe")->id);
        QVERIFY(*bpe.valBpb < *bpe.valLoss / std::log(2.0)); // more than one byte per token
        QCOMPARE(c.runArtifacts(bpe.run, "tokenizer").at(0).path.substr(c.runArtifacts(bpe.run, "tokenizer").at(0).path.size() - 6),
                 std::string(".model"));
        GenerateOptions g;
        g.prompt = "We hold";
        g.maxTokens = 20;
        QVERIFY(!generateFromRun(c, bpe.run, g).empty());
    }

    void sameSeedGivesIdenticalLossSeries()
    {
        const auto a = train(nanoConfig(40, 5));
        const auto b = train(nanoConfig(40, 5));
        const auto c = train(nanoConfig(40, 6));
        Catalog cat(m_catalog);
        const auto la = series(cat, a.run, "train_loss");
        const auto lb = series(cat, b.run, "train_loss");
        const auto lc = series(cat, c.run, "train_loss");
        QCOMPARE(la.size(), std::size_t(40));
        QCOMPARE(la, lb); // bit for bit
        QVERIFY(la != lc);
        QCOMPARE(series(cat, a.run, "val_loss"), series(cat, b.run, "val_loss"));
    }

    void stopTakesEffectWithinASecond()
    {
        RunConfig cfg = nanoConfig(1000000, 3);
        cfg.arch = "tiny-gpt";
        cfg.spec = resolveSpec("tiny-gpt");
        cfg.train.evalEvery = 25;
        cfg.train.threads = 2;
        std::mutex mu;
        std::condition_variable cv;
        std::int64_t lastStep = 0;
        bool evaluated = false, ended = false;
        // When each step event arrived after the first evaluation: how long a
        // step takes on this machine right now.
        std::vector<std::pair<std::int64_t, std::chrono::steady_clock::time_point>> stepTimes;
        TrainingJob job(m_catalog, cfg, [&](const EventBatch& b) {
            std::lock_guard lock(mu);
            for (const auto& ev : b.events) {
                if (const auto* s = std::get_if<StepEvent>(&ev)) {
                    lastStep = s->step;
                    if (evaluated)
                        stepTimes.emplace_back(s->step, std::chrono::steady_clock::now());
                }
                if (std::holds_alternative<EvalEvent>(ev))
                    evaluated = true;
                if (const auto* st = std::get_if<StateEvent>(&ev); st && st->status != RunStatus::Running)
                    ended = true;
            }
            cv.notify_all();
        });
        job.start();
        {
            std::unique_lock lock(mu);
#ifdef LMWB_SANITIZED // instrumented kernels run 5-15x slower (packaging/sanitize.sh)
            const auto patience = std::chrono::minutes(20);
#else
            const auto patience = std::chrono::minutes(2);
#endif
            QVERIFY(cv.wait_for(lock, patience, [&] { return evaluated && lastStep >= 30 && stepTimes.size() >= 3; }));
        }
        double stepMs = 0;
        {
            std::lock_guard lock(mu);
            const auto& [s0, t0] = stepTimes.front();
            const auto& [s1, t1] = stepTimes.back();
            stepMs = std::chrono::duration<double, std::milli>(t1 - t0).count() / static_cast<double>(std::max<std::int64_t>(1, s1 - s0));
        }
        QElapsedTimer timer;
        timer.start();
        job.requestStop();
        {
            // Woken by the run's final state event, not by polling.
            std::unique_lock lock(mu);
            QVERIFY(cv.wait_for(lock, std::chrono::seconds(30), [&] { return ended; }));
        }
        const auto elapsed = timer.elapsed();
        job.wait();
        qDebug("stop took %lld ms (tiny-gpt, step %lld, %.0f ms a step)", static_cast<long long>(elapsed),
               static_cast<long long>(job.summary().steps), stepMs);
        // Within a second; on a machine so busy that a step alone takes half
        // of that (other tests on the other core), within two steps' time:
        // the step under way, then the checkpoint and the final state.
        QVERIFY2(elapsed < std::max(1000.0, 2 * stepMs), "stop must take effect within a second (or two steps' time)");

        const auto& s = job.summary();
        QCOMPARE(s.status, RunStatus::Stopped);
        Catalog c(m_catalog);
        QCOMPARE(c.run(s.run)->status, RunStatus::Stopped);
        const auto cps = c.runArtifacts(s.run, "checkpoint");
        QCOMPARE(cps.size(), std::size_t(1));
        QCOMPARE(cps[0].step.value_or(-1), s.steps);
        QVERIFY(fs::file_size(c.artifactPath(cps[0].path)) > 3000000); // ~0.8M fp32 parameters
        QVERIFY(series(c, s.run, "train_loss").size() >= 30);          // what was done is kept
        QVERIFY(c.checkIntegrity().empty());
    }

    void aCorpusTooSmallForTheContextIsRefusedBeforeTheRow()
    {
        {
            Catalog c(m_catalog);
            const fs::path f = fs::path(m_tmp.path().toStdString()) / "short.txt";
            std::ofstream(f) << "one\n\ntwo\n\nthree\n";
            CorpusImportOptions opt;
            opt.name = "short";
            opt.paths = {f};
            importCorpus(c, opt);
        }
        RunConfig cfg = nanoConfig(10, 1);
        cfg.corpus = "short";
        // Refused before a run row exists, naming the context and the tokens.
        const std::size_t before = Catalog(m_catalog).runs().size();
        try {
            TrainingJob job(m_catalog, cfg);
            QFAIL("a corpus shorter than the context was accepted");
        } catch (const InputError& e) {
            QVERIFY2(QString::fromUtf8(e.what()).contains(QStringLiteral("context")), e.what());
        }
        QCOMPARE(Catalog(m_catalog).runs().size(), before);

        cfg.corpus = "no-such-corpus";
        QVERIFY_THROWS_EXCEPTION(InputError, TrainingJob(m_catalog, cfg));
    }
};

QTEST_GUILESS_MAIN(TestTrainer)
#include "test_trainer.moc"
