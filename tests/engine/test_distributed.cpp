// SPDX-License-Identifier: GPL-3.0-or-later
// Data-parallel training through the CLI a user runs: `lmwb train --nproc 2`
// (two local ranks, c10d Gloo over loopback) with the same global batch and
// seed reaches the same parameters, to 1e-5, as one process after the same
// steps; only rank 0 writes the catalog; bad combinations are refused.
#include "catalog/catalog.h"
#include "models/language_model.h"
#include "train/checkpoint.h"
#include "settings/run_config.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <torch/torch.h>

#include <algorithm>
#include <filesystem>

using namespace wb;
namespace fs = std::filesystem;

struct Diff {
    double max = 0;      // the largest |1 rank - 2 ranks| over all weights
    double meanAbs = 0;  // the mean of |1 rank - 2 ranks| over all weights
};

class TestDistributed : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_tmp;
    QString m_catalog;

    struct Result {
        int code = -1;
        QByteArray out, err;
    };
    Result lmwb(QStringList args)
    {
        QProcess p;
        args.prepend(m_catalog);
        args.prepend(QStringLiteral("--catalog"));
        p.start(QStringLiteral(LMWB_BINARY), args);
        p.waitForFinished(240000);
        return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
                p.readAllStandardError()};
    }

    // The model of a run, loaded from its last checkpoint.
    std::shared_ptr<LanguageModel> finalModel(std::int64_t run)
    {
        Catalog c(m_catalog.toStdString());
        const auto rec = c.run(run);
        const RunConfig cfg = RunConfig::fromJson(rec->config);
        auto cps = c.runArtifacts(run, "checkpoint");
        std::sort(cps.begin(), cps.end(), [](const auto& a, const auto& b) { return a.step < b.step; });
        const auto tok = c.tokenizerById(*rec->tokenizerId);
        auto model = buildModel(cfg.spec, static_cast<int>(tok->vocabSize));
        loadModelWeights(c.artifactPath(cps.back().path), *model);
        return model;
    }

private slots:
    void initTestCase()
    {
        m_catalog = m_tmp.filePath(QStringLiteral("dp.sqlite"));
        const Result r = lmwb({"corpus", "add", "small", QStringLiteral(LMWB_TEST_DATA "/small.txt")});
        QVERIFY2(r.code == 0, r.err.constData());
    }

    // One process against two ranks: the largest parameter difference
    // after the same steps, from the runs' last checkpoints.
    Diff compareOneAndTwoRanks(const QStringList& extra, double* moved)
    {
        const QStringList common = QStringList{"--json", "train", "--corpus", "small", "--arch", "tiny-gpt", "--steps", "25",
                                               "--batch", "8", "--seed", "11", "--eval-every", "10", "--sample-tokens", "0",
                                               "--warmup", "5"} + extra;
        const Result one = lmwb(common + QStringList{"--threads", "1"});
        if (one.code != 0)
            qFatal("one process: %s", one.err.constData());
        const Result two = lmwb(common + QStringList{"--nproc", "2"});
        if (two.code != 0 || !two.err.contains("launching 2 ranks"))
            qFatal("two ranks: %s", two.err.constData());
        const auto j1 = QJsonDocument::fromJson(one.out).object();
        const auto j2 = QJsonDocument::fromJson(two.out).object(); // one JSON value: rank 0's
        if (j2["status"].toString() != "finished" || j2["steps"].toInt() != 25)
            qFatal("two ranks: %s", two.out.constData());
        // The reported loss is a float mean of each rank's token losses, then
        // of the ranks' means: a different summation order, and on machines
        // with more cores multi-threaded kernels in the ranks. CI measured
        // 3.8e-5 (about 1e-5 relative) with the weights equal to 1.3e-7; the
        // weights below are the tight check.
        const double lossDiff = std::abs(j1["train_loss"].toDouble() - j2["train_loss"].toDouble());
        if (lossDiff > 2e-4)
            qFatal("train loss differs by %g", lossDiff);

        const auto a = finalModel(j1["run"].toInteger());
        const auto b = finalModel(j2["run"].toInteger());
        const auto pa = a->named_parameters(), pb = b->named_parameters();
        Diff d;
        double sum = 0, count = 0;
        for (const auto& item : pa) {
            const auto diff = (item.value() - pb[item.key()]).abs();
            d.max = std::max(d.max, diff.max().item<double>());
            sum += diff.sum().item<double>();
            count += static_cast<double>(diff.numel());
        }
        d.meanAbs = sum / count;
        torch::manual_seed(11);
        auto init = buildModel(RunConfig::fromJson(Catalog(m_catalog.toStdString()).run(j1["run"].toInteger())->config).spec,
                               static_cast<int>(a->parameters()[0].size(0)));
        *moved = 0;
        for (std::size_t i = 0; i < a->parameters().size(); ++i)
            *moved = std::max(*moved, (a->parameters()[i] - init->parameters()[i]).abs().max().item<double>());
        qInfo("%s: |1 rank - 2 ranks| max %.3g, mean %.3g over %lld tensors; max change from init %.3g",
              qPrintable(extra.join(' ')), d.max, d.meanAbs, static_cast<long long>(pa.size()), *moved);
        return d;
    }

    void twoRanksMatchOneProcess()
    {
        double moved = 0;
        // SGD with momentum: the update is linear in the gradient, so the
        // ranks' different summation order stays at float rounding.
        const Diff sgd = compareOneAndTwoRanks({"--optimizer", "sgd", "--lr", "0.3"}, &moved);
        QVERIFY2(sgd.max < 1e-5, qPrintable(QString::number(sgd.max)));
        QVERIFY(moved > 1e-2); // the weights did train
        // AdamW divides by sqrt(v): for the near-zero gradients of rare
        // tokens a rounding difference becomes a visible share of a step, up
        // to the step itself (lr = 3e-3). Measured: max 3.6e-5 on 2 cores,
        // 2.2e-4 on a CI machine with more cores (multi-threaded kernels sum
        // in another order). Ranks that did not average their gradients
        // differ by whole steps in every weight: the max bound is a third of
        // one step, and the mean bound catches a systematic difference.
        const Diff adamw = compareOneAndTwoRanks({"--optimizer", "adamw", "--lr", "0.003"}, &moved);
        QVERIFY2(adamw.max < 1e-3, qPrintable(QString::number(adamw.max)));
        QVERIFY2(adamw.meanAbs < 1e-5, qPrintable(QString::number(adamw.meanAbs)));
        QVERIFY(moved > 1e-2);

        // Rank 1 wrote nothing: one run in the catalog per command.
        Catalog c(m_catalog.toStdString());
        QCOMPARE(c.runs().size(), std::size_t(4));
        QVERIFY(c.checkIntegrity().empty());
    }

    void refusesWhatCannotSplit()
    {
        Result r = lmwb({"train", "--corpus", "small", "--arch", "tiny-gpt", "--steps", "2", "--batch", "7", "--nproc", "2"});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("--batch 7") && r.err.contains("2 ranks"), r.err.constData());
        // A malformed launcher variable is named.
        QProcess p;
        auto env = QProcessEnvironment::systemEnvironment();
        env.insert("WORLD_SIZE", "2");
        env.insert("RANK", "two");
        p.setProcessEnvironment(env);
        p.start(QStringLiteral(LMWB_BINARY), {"--catalog", m_catalog, "train", "--corpus", "small", "--arch", "tiny-gpt"});
        p.waitForFinished(60000);
        QCOMPARE(p.exitCode(), 2);
        QVERIFY(p.readAllStandardError().contains("RANK='two'"));
    }
};

QTEST_GUILESS_MAIN(TestDistributed)
#include "test_distributed.moc"
