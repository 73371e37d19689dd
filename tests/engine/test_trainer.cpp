// SPDX-License-Identifier: GPL-3.0-or-later
// Training through the job runner on a real small text: the loss falls well
// below the unigram entropy, a seed fixes the loss series, Stop takes effect
// within a second and keeps a checkpoint, the catalog stays intact.
#include "catalog/catalog.h"
#include "core/errors.h"
#include "data/corpus_import.h"
#include "data/corpus_store.h"
#include "data/utf8.h"
#include "eval/generate.h"
#include "jobs/training_job.h"
#include "train/schedule.h"

#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <chrono>
#include <cmath>
#include <fstream>
#include <map>
#include <mutex>
#include <thread>

using namespace wb;
namespace fs = std::filesystem;

namespace {

RunConfig nanoConfig(std::int64_t steps, std::uint64_t seed)
{
    RunConfig cfg;
    cfg.corpus = "small";
    cfg.arch = "test-nano";
    cfg.spec = ModelSpec::gpt({2, 2, 64, 64, 0.0});
    cfg.train.steps = steps;
    cfg.train.batch = 16;
    cfg.train.lr = 3e-3;
    cfg.train.minLr = 3e-4;
    cfg.train.warmup = 20;
    cfg.train.evalEvery = 100;
    cfg.train.sampleTokens = 40;
    cfg.train.seed = seed;
    cfg.train.threads = 1;
    return cfg;
}

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

    RunSummary train(const RunConfig& cfg)
    {
        TrainingJob job(m_catalog, cfg);
        job.start();
        job.wait();
        return job.summary();
    }

private slots:
    void initTestCase()
    {
        m_catalog = fs::path(m_tmp.path().toStdString()) / "catalog.sqlite";
        Catalog c(m_catalog);
        CorpusImportOptions opt;
        opt.name = "small";
        opt.paths = {LMWB_TEST_DATA "/small.txt"};
        importCorpus(c, opt);
    }

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
        QCOMPARE(s.status, std::string("finished"));
        QCOMPARE(s.steps, 400);
        QVERIFY2(s.valLoss < 0.8 * entropy, "validation loss is not well below the unigram entropy");
        QVERIFY(std::abs(s.valBpc - s.valLoss / std::log(2.0)) < 1e-9); // char tokenizer: bpc = nats / ln 2
        QVERIFY(std::abs(s.valPpl - std::exp(s.valLoss)) < 1e-9 * s.valPpl);

        Catalog c(m_catalog);
        const auto run = c.run(s.run);
        QCOMPARE(run->status, std::string("finished"));
        QCOMPARE(series(c, s.run, "train_loss").size(), std::size_t(400));
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
        QCOMPARE(bpe.status, std::string("finished"));
        QVERIFY(std::isfinite(bpe.valBpb) && bpe.valBpb > 0);
        // Both measure the same bytes: same order of magnitude.
        QVERIFY2(bpe.valBpb < 2.0 * ch.valBpb && ch.valBpb < 2.0 * bpe.valBpb, "bits per byte differ by more than 2x");
        // For the BPE run, bits per byte = nats per token / ln 2 / bytes per token.
        Catalog c(m_catalog);
        QCOMPARE(*c.run(bpe.run)->tokenizerId, c.tokenizerByName("small-bpe")->id);
        QVERIFY(bpe.valBpb < bpe.valLoss / std::log(2.0)); // more than one byte per token
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
        std::int64_t lastStep = 0;
        bool evaluated = false;
        TrainingJob job(m_catalog, cfg, [&](const EventBatch& b) {
            std::lock_guard lock(mu);
            for (const auto& ev : b.events) {
                if (const auto* s = std::get_if<StepEvent>(&ev))
                    lastStep = s->step;
                if (std::holds_alternative<EvalEvent>(ev))
                    evaluated = true;
            }
        });
        job.start();
        QTRY_VERIFY_WITH_TIMEOUT([&] { std::lock_guard lock(mu); return evaluated && lastStep >= 30; }(), 120000);
        QElapsedTimer timer;
        timer.start();
        job.requestStop();
        while (!job.isFinished())
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        const auto elapsed = timer.elapsed();
        job.wait();
        qDebug("stop took %lld ms (tiny-gpt, step %lld)", static_cast<long long>(elapsed),
               static_cast<long long>(job.summary().steps));
        QVERIFY2(elapsed < 1000, "stop must take effect within a second");

        const auto& s = job.summary();
        QCOMPARE(s.status, std::string("stopped"));
        Catalog c(m_catalog);
        QCOMPARE(c.run(s.run)->status, std::string("stopped"));
        const auto cps = c.runArtifacts(s.run, "checkpoint");
        QCOMPARE(cps.size(), std::size_t(1));
        QCOMPARE(cps[0].step.value_or(-1), s.steps);
        QVERIFY(fs::file_size(c.artifactPath(cps[0].path)) > 3000000); // ~0.8M fp32 parameters
        QVERIFY(series(c, s.run, "train_loss").size() >= 30);          // what was done is kept
        QVERIFY(c.checkIntegrity().empty());
    }

    void aCorpusTooSmallForTheContextFailsCleanly()
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
        const auto s = train(cfg);
        QCOMPARE(s.status, std::string("failed"));
        QVERIFY2(QString::fromStdString(s.error).contains(QStringLiteral("context")), s.error.c_str());
        Catalog c(m_catalog);
        QCOMPARE(c.run(s.run)->status, std::string("failed"));
        QVERIFY(c.run(s.run)->error.has_value());

        cfg.corpus = "no-such-corpus";
        QVERIFY_THROWS_EXCEPTION(InputError, TrainingJob(m_catalog, cfg));
    }
};

QTEST_GUILESS_MAIN(TestTrainer)
#include "test_trainer.moc"
