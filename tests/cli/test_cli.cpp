// SPDX-License-Identifier: GPL-3.0-or-later
// The lmwb contract: commands, JSON keys, exit codes (0, 1, 2, 130), and
// messages that name the file and byte offset of bad input.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QDir>
#include <QProcess>
#include <QTemporaryDir>

#include "cli_fixture.h"

#include <QtTest>

#include <set>

#include <csignal>

class TestCli : public QObject, CliFixture {
    Q_OBJECT
private slots:
    // Every test function has a catalog of its own, holding the corpus
    // "small" (tests/data/small.txt) unless the function adds it itself:
    // each passes when run alone.
    void init() { catalogForThisFunction(QString::fromLatin1(QTest::currentTestFunction()) != QStringLiteral("corpusAdd")); }

    // docs/cli.md lists the training settings as `lmwb settings --markdown`
    // prints them.
    void settingsTableInTheDocs()
    {
        const auto r = lmwb({QStringLiteral("settings"), QStringLiteral("--markdown")});
        QCOMPARE(r.code, 0);
        QFile doc(QStringLiteral(LMWB_TEST_DATA "/../../docs/cli.md"));
        QVERIFY(doc.open(QIODevice::ReadOnly));
        QVERIFY2(doc.readAll().contains(r.out), "docs/cli.md: paste `lmwb settings --markdown` into the train section");
        const auto j = lmwb({QStringLiteral("settings"), QStringLiteral("--json")});
        QVERIFY(j.json().array().size() >= 25);
        // Every option table: the compression rows too, with their flags.
        bool energy = false;
        for (const auto& v : j.json().array()) {
            const auto o = v.toObject();
            if (o[QStringLiteral("key")].toString() == QStringLiteral("energy")) {
                energy = o[QStringLiteral("group")].toString() == QStringLiteral("Compression")
                         && o[QStringLiteral("flag")].toString() == QStringLiteral("--energy")
                         && o[QStringLiteral("min_exclusive")].toBool();
            }
        }
        QVERIFY(energy);
    }

    void version()
    {
        const auto r = lmwb({QStringLiteral("--version")});
        QCOMPARE(r.code, 0);
        QVERIFY(r.out.startsWith("lmwb "));
        QVERIFY(r.out.contains("LibTorch"));
    }

    // OpenBLAS falls back to generic SSE3 kernels on a CPU newer than its
    // release; lmwb starts itself again with the right ones. On a CPU that
    // OpenBLAS knows nothing changes; on one it does not, the description
    // says which kernels were chosen, and with LMWB_BLAS_CORE=keep that
    // better ones exist.
    void blasKernelsSuitTheCpu()
    {
        auto version = [](const QProcessEnvironment& env) {
            QProcess p;
            p.setProcessEnvironment(env);
            p.start(QStringLiteral(LMWB_BINARY), {QStringLiteral("--version")});
            p.waitForFinished(30000);
            return p.readAllStandardOutput();
        };
        auto env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("OPENBLAS_CORETYPE"));
        env.remove(QStringLiteral("LMWB_BLAS_CORE_SET"));
        env.remove(QStringLiteral("LMWB_BLAS_CORE"));
        const QByteArray chosen = version(env);
        if (!chosen.contains("OpenBLAS"))
            QSKIP("the loaded BLAS is not OpenBLAS");
        QVERIFY2(!chosen.contains("generic kernels"), chosen.constData());
        env.insert(QStringLiteral("LMWB_BLAS_CORE"), QStringLiteral("keep"));
        const QByteArray kept = version(env);
        QVERIFY2(!kept.contains("chosen by LM Workbench"), kept.constData());
        if (chosen.contains("chosen by LM Workbench")) {
            qDebug("%s", chosen.constData());
            QVERIFY2(kept.contains("generic kernels: OPENBLAS_CORETYPE="), kept.constData());
        }
        // A core the user set stands.
        env.remove(QStringLiteral("LMWB_BLAS_CORE"));
        env.insert(QStringLiteral("OPENBLAS_CORETYPE"), QStringLiteral("Haswell"));
        const QByteArray mine = version(env);
        QVERIFY2(mine.contains("Haswell") && !mine.contains("chosen by LM Workbench"), mine.constData());
    }

    void usageErrorsExitTwo()
    {
        QCOMPARE(lmwb({}).code, 2);
        auto r = lmwb({QStringLiteral("frobnicate")});
        QCOMPARE(r.code, 2);
        QVERIFY(r.err.contains("unknown command 'frobnicate'"));
        r = lmwb({QStringLiteral("train"), QStringLiteral("--corpus"), QStringLiteral("x"), QStringLiteral("--arch"),
                  QStringLiteral("tiny-gpt"), QStringLiteral("--stepz"), QStringLiteral("5")});
        QCOMPARE(r.code, 2);
        QVERIFY(r.err.contains("unknown option --stepz"));
        r = lmwb({QStringLiteral("train"), QStringLiteral("--corpus"), QStringLiteral("x"), QStringLiteral("--arch"),
                  QStringLiteral("tiny-gpt"), QStringLiteral("--steps"), QStringLiteral("many")});
        QCOMPARE(r.code, 2);
        QVERIFY(r.err.contains("--steps expects an integer"));
    }

    void corpusAdd()
    {
        const auto r = lmwb({QStringLiteral("corpus"), QStringLiteral("add"), QStringLiteral("small"),
                             QStringLiteral(LMWB_TEST_DATA "/small.txt"), QStringLiteral("--json")});
        QCOMPARE(r.code, 0);
        const auto o = r.json().object();
        for (const char* key : {"name", "documents", "bytes", "chars", "duplicates_removed", "skipped", "labels", "splits"})
            QVERIFY2(o.contains(QLatin1String(key)), key);
        for (const char* split : {"train", "validation", "test"}) {
            const auto s = o[QStringLiteral("splits")].toObject()[QLatin1String(split)].toObject();
            QVERIFY2(s.contains(QStringLiteral("documents")) && s.contains(QStringLiteral("chars")), split);
        }
        QCOMPARE(o[QStringLiteral("name")].toString(), QStringLiteral("small"));
        QCOMPARE(o[QStringLiteral("bytes")].toInteger(), QFileInfo(QStringLiteral(LMWB_TEST_DATA "/small.txt")).size());
        QVERIFY(o[QStringLiteral("documents")].toInteger() > 20);

        // The same name again is bad input.
        const auto dup = lmwb({QStringLiteral("corpus"), QStringLiteral("add"), QStringLiteral("small"),
                               QStringLiteral(LMWB_TEST_DATA "/small.txt")});
        QCOMPARE(dup.code, 2);
        QVERIFY(dup.err.contains("already exists"));
    }

    void corpusAddRejectsBadFiles()
    {
        const QString bad = tmpFile(QStringLiteral("bad.txt"), QByteArray("good text\nmore \xE2\x28\xA1 text\n"));
        auto r = lmwb({QStringLiteral("corpus"), QStringLiteral("add"), QStringLiteral("bad"), bad});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("bad.txt: invalid UTF-8 at byte offset 15 (line 2)"), r.err.constData());
        const QString empty = tmpFile(QStringLiteral("empty.txt"), QByteArray());
        r = lmwb({QStringLiteral("corpus"), QStringLiteral("add"), QStringLiteral("bad"), empty});
        QCOMPARE(r.code, 2);
        QVERIFY(r.err.contains("empty.txt is empty"));
        r = lmwb({QStringLiteral("corpus"), QStringLiteral("add"), QStringLiteral("bad"), m_tmp.filePath(QStringLiteral("nope.txt"))});
        QCOMPARE(r.code, 2);
        QVERIFY(r.err.contains("nope.txt: no such file"));
        // Nothing half-written: the corpus list has only the good corpus.
        r = lmwb({QStringLiteral("corpus"), QStringLiteral("list"), QStringLiteral("--json")});
        QCOMPARE(r.code, 0);
        QCOMPARE(r.json().array().size(), 1);
    }

    void labeledCsvAndTokenizers()
    {
        QByteArray csv = "text,label\n";
        for (int i = 0; i < 60; ++i)
            csv += "\"the review number " + QByteArray::number(i) + ", said it was " + (i % 3 ? "fine" : "bad") + "\","
                   + (i % 3 ? "pos" : "neg") + "\n";
        auto r = lmwb({QStringLiteral("corpus"), QStringLiteral("add"), QStringLiteral("reviews"),
                       tmpFile(QStringLiteral("reviews.csv"), csv), QStringLiteral("--label-field"), QStringLiteral("label"),
                       QStringLiteral("--split"), QStringLiteral("0.8,0.1,0.1"), QStringLiteral("--json")});
        QCOMPARE(r.code, 0);
        auto o = r.json().object();
        QCOMPARE(o[QStringLiteral("labels")].toObject()[QStringLiteral("neg")].toInt(), 20);
        QCOMPARE(o[QStringLiteral("splits")].toObject()[QStringLiteral("test")].toObject()[QStringLiteral("documents")].toInt(), 6);
        r = lmwb({QStringLiteral("corpus"), QStringLiteral("add"), QStringLiteral("x"), tmpFile(QStringLiteral("s.csv"), csv),
                  QStringLiteral("--split"), QStringLiteral("0.8,0.3,0.1")});
        QCOMPARE(r.code, 2);
        QVERIFY(r.err.contains("must sum to 1"));

        r = lmwb({QStringLiteral("tokenizer"), QStringLiteral("train"), QStringLiteral("rev-word"), QStringLiteral("--corpus"),
                  QStringLiteral("reviews"), QStringLiteral("--kind"), QStringLiteral("word"), QStringLiteral("--json")});
        QCOMPARE(r.code, 0);
        o = r.json().object();
        for (const char* key : {"name", "kind", "vocab_size", "bytes_per_token", "unk_rate", "tokens"})
            QVERIFY2(o.contains(QLatin1String(key)), key);
        for (const char* split : {"train", "validation", "test"})
            QVERIFY(o[QStringLiteral("tokens")].toObject()[QLatin1String(split)].toInteger() > 0);
        QCOMPARE(o[QStringLiteral("kind")].toString(), QStringLiteral("word"));
        r = lmwb({QStringLiteral("tokenizer"), QStringLiteral("train"), QStringLiteral("too-big"), QStringLiteral("--corpus"),
                  QStringLiteral("reviews"), QStringLiteral("--kind"), QStringLiteral("word"), QStringLiteral("--vocab-size"),
                  QStringLiteral("5000")});
        QCOMPARE(r.code, 2);
        QVERIFY(r.err.contains("larger than this text allows"));

        r = lmwb({QStringLiteral("corpus"), QStringLiteral("show"), QStringLiteral("reviews"), QStringLiteral("--json")});
        QCOMPARE(r.code, 0);
        o = r.json().object();
        QVERIFY(!o[QStringLiteral("length_histogram")].toArray().isEmpty());
        QVERIFY(!o[QStringLiteral("top_chars")].toArray().isEmpty());
        QCOMPARE(o[QStringLiteral("tokenizers")].toArray().size(), 2); // its own char tokenizer and rev-word

        r = lmwb({QStringLiteral("corpus"), QStringLiteral("system"), QStringLiteral("--json")});
        QCOMPARE(r.code, 0);
        QVERIFY(!r.json().array().isEmpty());

        r = lmwb({QStringLiteral("corpus"), QStringLiteral("remove"), QStringLiteral("reviews")});
        QCOMPARE(r.code, 0);
        r = lmwb({QStringLiteral("corpus"), QStringLiteral("show"), QStringLiteral("reviews")});
        QCOMPARE(r.code, 2);
        r = lmwb({QStringLiteral("tokenizer"), QStringLiteral("show"), QStringLiteral("rev-word"), QStringLiteral("--json")});
        QCOMPARE(r.code, 0); // a tokenizer outlives the corpus it was trained on
    }

    void trainRunsListShowGenerate()
    {
        const QString spec = tmpFile(QStringLiteral("nano.json"),
                                     R"({"family":"transformer","layers":1,"heads":2,"width":32,"context":32})");
        auto r = lmwb({QStringLiteral("train"), QStringLiteral("--corpus"), QStringLiteral("small"), QStringLiteral("--arch"),
                       spec, QStringLiteral("--steps"), QStringLiteral("30"), QStringLiteral("--seed"), QStringLiteral("3"),
                       QStringLiteral("--threads"), QStringLiteral("1"), QStringLiteral("--json")});
        QCOMPARE(r.code, 0);
        const auto o = r.json().object();
        for (const char* key : {"run", "status", "steps", "train_loss", "val_loss", "val_ppl", "val_bpc", "val_bpb",
                                "params", "tokens_per_s", "wall_s"})
            QVERIFY2(o.contains(QLatin1String(key)), key);
        QCOMPARE(o[QStringLiteral("status")].toString(), QStringLiteral("finished"));
        QCOMPARE(o[QStringLiteral("steps")].toInt(), 30);
        QVERIFY(o[QStringLiteral("val_ppl")].toDouble() > 1.0);
        QVERIFY(r.err.contains("step 30/30")); // progress on stderr
        const int run = o[QStringLiteral("run")].toInt();

        r = lmwb({QStringLiteral("runs"), QStringLiteral("list"), QStringLiteral("--json")});
        QCOMPARE(r.code, 0);
        const auto first = r.json().array().first().toObject();
        for (const char* key : {"run", "status", "corpus", "arch"})
            QVERIFY2(first.contains(QLatin1String(key)), key);
        QCOMPARE(first[QStringLiteral("corpus")].toString(), QStringLiteral("small"));

        r = lmwb({QStringLiteral("runs"), QStringLiteral("show"), QString::number(run), QStringLiteral("--json")});
        QCOMPARE(r.code, 0);
        const auto show = r.json().object();
        QCOMPARE(show[QStringLiteral("status")].toString(), QStringLiteral("finished"));
        QCOMPARE(show[QStringLiteral("config")].toObject()[QStringLiteral("spec")].toObject()[QStringLiteral("width")].toInt(), 32);
        QCOMPARE(show[QStringLiteral("metrics")].toObject()[QStringLiteral("train_loss")].toArray().size(), 30);
        QCOMPARE(show[QStringLiteral("checkpoints")].toArray().size(), 1);

        r = lmwb({QStringLiteral("generate"), QString::number(run), QStringLiteral("--prompt"), QStringLiteral("We the"),
                  QStringLiteral("--max-tokens"), QStringLiteral("25"), QStringLiteral("--seed"), QStringLiteral("9")});
        QCOMPARE(r.code, 0);
        QVERIFY(r.out.startsWith("We the"));
        const auto again = lmwb({QStringLiteral("generate"), QString::number(run), QStringLiteral("--prompt"),
                                 QStringLiteral("We the"), QStringLiteral("--max-tokens"), QStringLiteral("25"),
                                 QStringLiteral("--seed"), QStringLiteral("9")});
        QCOMPARE(again.out, r.out);

        r = lmwb({QStringLiteral("generate"), QStringLiteral("999")});
        QCOMPARE(r.code, 2);
        QVERIFY(r.err.contains("no run 999"));
        r = lmwb({QStringLiteral("runs"), QStringLiteral("show"), QStringLiteral("abc")});
        QCOMPARE(r.code, 2);
    }

    void divergedRunExitsOneWithStatus()
    {
        auto r = lmwb({QStringLiteral("train"), QStringLiteral("--corpus"), QStringLiteral("small"), QStringLiteral("--arch"),
                       QStringLiteral("nano-gpt"), QStringLiteral("--steps"), QStringLiteral("40"), QStringLiteral("--optimizer"),
                       QStringLiteral("sgd"), QStringLiteral("--schedule"), QStringLiteral("constant"), QStringLiteral("--lr"),
                       QStringLiteral("100"), QStringLiteral("--clip"), QStringLiteral("0"), QStringLiteral("--json")});
        QCOMPARE(r.code, 1);
        const auto o = r.json().object();
        QCOMPARE(o[QStringLiteral("status")].toString(), QStringLiteral("diverged"));
        QVERIFY(o[QStringLiteral("error")].toString().contains(QStringLiteral("at step")));
        // What the run never measured is null, not 0.
        for (const char* key : {"val_loss", "val_ppl", "val_bpc", "val_bpb", "tokens_per_s"})
            QVERIFY2(o[QLatin1String(key)].isNull(), key);
        // Bad values name the flag, with numbers as a person writes them.
        const QStringList base{QStringLiteral("train"), QStringLiteral("--corpus"), QStringLiteral("small"),
                               QStringLiteral("--arch"), QStringLiteral("nano-gpt")};
        r = lmwb(base + QStringList{QStringLiteral("--lr"), QStringLiteral("0")});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("--lr must be greater than 0 and at most 100, got 0"), r.err.constData());
        r = lmwb(base + QStringList{QStringLiteral("--lr"), QStringLiteral("1e4")});
        QVERIFY2(r.err.contains("--lr must be greater than 0 and at most 100, got 1e4"), r.err.constData());
        r = lmwb(base + QStringList{QStringLiteral("--batch"), QStringLiteral("0")});
        QVERIFY2(r.err.contains("--batch must be between 1 and 65536, got 0"), r.err.constData());
        r = lmwb(base + QStringList{QStringLiteral("--steps"), QStringLiteral("5"), QStringLiteral("--steps"), QStringLiteral("abc")});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("--steps was given more than once"), r.err.constData());
        r = lmwb(base + QStringList{QStringLiteral("--minutes"), QStringLiteral("-1")});
        QVERIFY2(r.err.contains("--minutes must be between 0 and 1000000, got -1"), r.err.constData());
        // Every training setting is listed with its default and range.
        r = lmwb({QStringLiteral("train"), QStringLiteral("--help")});
        QCOMPARE(r.code, 0);
        for (const char* text : {"--weight-decay", "--minutes", "--eval-every", "(default 16; between 1 and 65536)"})
            QVERIFY2(r.out.contains(text), text);
        r = lmwb({QStringLiteral("train"), QStringLiteral("--corpus"), QStringLiteral("small"), QStringLiteral("--arch"),
                  QStringLiteral("nano-gpt"), QStringLiteral("--schedule"), QStringLiteral("cyclic")});
        QCOMPARE(r.code, 2);
        QVERIFY(r.err.contains("--schedule 'cyclic'"));
        r = lmwb({QStringLiteral("arch"), QStringLiteral("show"), QStringLiteral("cmow-small"), QStringLiteral("--json")});
        QCOMPARE(r.code, 0);
        for (const char* key : {"family", "params", "flops_per_token", "spec"})
            QVERIFY2(r.json().object().contains(QLatin1String(key)), key);
        r = lmwb({QStringLiteral("arch"), QStringLiteral("list"), QStringLiteral("--json")});
        QCOMPARE(r.json().array().size(), 7);
        const QString bad = tmpFile(QStringLiteral("bad-spec.json"), R"({"family":"fnn","window":0})");
        r = lmwb({QStringLiteral("arch"), QStringLiteral("validate"), bad});
        QCOMPARE(r.code, 2);
        QVERIFY(r.err.contains("field 'window'"));
    }

    // bf16 autocast trains to about the loss fp32 reaches; an unknown
    // precision is named.
    void bf16Precision()
    {
        auto train = [&](const char* precision) {
            return lmwb({QStringLiteral("train"), QStringLiteral("--corpus"), QStringLiteral("small"), QStringLiteral("--arch"),
                         QStringLiteral("nano-gpt"), QStringLiteral("--steps"), QStringLiteral("80"), QStringLiteral("--seed"),
                         QStringLiteral("4"), QStringLiteral("--lr"), QStringLiteral("0.003"), QStringLiteral("--precision"),
                         QLatin1String(precision), QStringLiteral("--json")});
        };
        const auto fp32 = train("fp32"), bf16 = train("bf16");
        QCOMPARE(fp32.code, 0);
        QCOMPARE(bf16.code, 0);
        const double a = fp32.json().object()[QStringLiteral("val_loss")].toDouble();
        const double b = bf16.json().object()[QStringLiteral("val_loss")].toDouble();
        qInfo("val loss after 80 steps: fp32 %.4f, bf16 %.4f", a, b);
        QVERIFY(a > 0 && b > 0);
        QVERIFY2(std::abs(a - b) < 0.05 * a, qPrintable(QString::number(b)));
        const auto run = bf16.json().object()[QStringLiteral("run")].toInt();
        const auto show = lmwb({QStringLiteral("runs"), QStringLiteral("show"), QString::number(run), QStringLiteral("--json")});
        QCOMPARE(show.json().object()[QStringLiteral("config")].toObject()[QStringLiteral("train")].toObject()[QStringLiteral("precision")].toString(),
                 QStringLiteral("bf16"));
        const auto bad = train("fp16");
        QCOMPARE(bad.code, 2);
        QVERIFY2(bad.err.contains("--precision 'fp16'"), bad.err.constData());
    }

    // A queued run trained by one process is paused from another: it saves a
    // checkpoint and ends paused; resumed and trained by a new `queue run`
    // it continues from that checkpoint to the end, its metrics complete.
    void queuePauseFromAnotherProcessThenResume()
    {
        auto r = lmwb({QStringLiteral("queue"), QStringLiteral("add"), QStringLiteral("--corpus"), QStringLiteral("small"),
                       QStringLiteral("--arch"), QStringLiteral("nano-gpt"), QStringLiteral("--steps"), QStringLiteral("1500"),
                       QStringLiteral("--threads"), QStringLiteral("1"), QStringLiteral("--json")});
        QCOMPARE(r.code, 0);
        const int run = r.json().object()[QStringLiteral("run")].toInt();
        QCOMPARE(r.json().object()[QStringLiteral("status")].toString(), QStringLiteral("queued"));

        QProcess worker;
        worker.start(QStringLiteral(LMWB_BINARY), {QStringLiteral("--catalog"), m_catalog, QStringLiteral("--json"),
                                                   QStringLiteral("queue"), QStringLiteral("run")});
        // Wait until the worker has claimed the run and logged steps.
        auto trainedSteps = [&] {
            const auto show = lmwb({QStringLiteral("runs"), QStringLiteral("show"), QString::number(run), QStringLiteral("--json")});
            const auto o = show.json().object();
            return o[QStringLiteral("status")].toString() == QLatin1String("running")
                       ? o[QStringLiteral("metrics")].toObject()[QStringLiteral("train_loss")].toArray().size()
                       : 0;
        };
        QTRY_VERIFY2_WITH_TIMEOUT(trainedSteps() > 0, worker.readAllStandardError().constData(), 60000);
        r = lmwb({QStringLiteral("queue"), QStringLiteral("list"), QStringLiteral("--json")});
        QCOMPARE(r.json().array().first().toObject()[QStringLiteral("status")].toString(), QStringLiteral("running"));
        r = lmwb({QStringLiteral("queue"), QStringLiteral("pause"), QString::number(run), QStringLiteral("--json")});
        QCOMPARE(r.code, 0);
        QCOMPARE(r.json().object()[QStringLiteral("status")].toString(), QStringLiteral("pausing"));
        QVERIFY(worker.waitForFinished(30000)); // the queue is empty once the run is paused
        QCOMPARE(worker.exitCode(), 0);

        r = lmwb({QStringLiteral("runs"), QStringLiteral("show"), QString::number(run), QStringLiteral("--json")});
        auto show = r.json().object();
        QCOMPARE(show[QStringLiteral("status")].toString(), QStringLiteral("paused"));
        const auto checkpoints = show[QStringLiteral("checkpoints")].toArray();
        QCOMPARE(checkpoints.size(), 1);
        const int pausedAt = checkpoints.first().toObject()[QStringLiteral("step")].toInt();
        QVERIFY(pausedAt > 0 && pausedAt < 1500);

        r = lmwb({QStringLiteral("queue"), QStringLiteral("resume"), QString::number(run)});
        QCOMPARE(r.code, 0);
        r = lmwb({QStringLiteral("queue"), QStringLiteral("resume"), QString::number(run)});
        QCOMPARE(r.code, 2); // queued already
        QVERIFY(r.err.contains("queued"));
        r = lmwb({QStringLiteral("--json"), QStringLiteral("queue"), QStringLiteral("run")}, 600000);
        QCOMPARE(r.code, 0);
        const auto results = QJsonDocument::fromJson(r.out).array();
        QCOMPARE(results.size(), 1);
        QCOMPARE(results.first().toObject()[QStringLiteral("status")].toString(), QStringLiteral("finished"));
        QCOMPARE(results.first().toObject()[QStringLiteral("steps")].toInt(), 1500);
        show = lmwb({QStringLiteral("runs"), QStringLiteral("show"), QString::number(run), QStringLiteral("--json")}).json().object();
        QCOMPARE(show[QStringLiteral("metrics")].toObject()[QStringLiteral("train_loss")].toArray().size(), 1500);
        r = lmwb({QStringLiteral("queue"), QStringLiteral("list"), QStringLiteral("--json")});
        QCOMPARE(r.json().array().size(), 0);
    }

    // lmwb sweep FILE trains every combination through the queue and prints
    // them best first; queue move and slots from the command line.
    void sweepTrainsAndRanks()
    {
        const QString file = tmpFile(QStringLiteral("sweep.json"),
                                     R"({"name": "cli", "corpus": "small", "arch": "nano-gpt",
                                         "train": {"steps": 30, "eval_every": 10, "sample_tokens": 0, "threads": 1},
                                         "parameters": {"lr": [0.0001, 0.003], "spec.width": [32]}})");
        auto r = lmwb({QStringLiteral("--json"), QStringLiteral("sweep"), file});
        QCOMPARE(r.code, 0);
        QVERIFY2(r.err.contains("2 runs queued (grid over lr spec.width)"), r.err.constData());
        const auto j = r.json().object();
        const auto runs = j[QStringLiteral("runs")].toArray();
        QCOMPARE(runs.size(), 2);
        const auto best = runs[0].toObject(), worse = runs[1].toObject();
        QCOMPARE(best[QStringLiteral("status")].toString(), QStringLiteral("finished"));
        QVERIFY(best[QStringLiteral("val_loss")].toDouble() <= worse[QStringLiteral("val_loss")].toDouble());
        QCOMPARE(best[QStringLiteral("values")].toObject()[QStringLiteral("lr")].toString(), QStringLiteral("0.003"));
        QCOMPARE(best[QStringLiteral("values")].toObject()[QStringLiteral("spec.width")].toString(), QStringLiteral("32"));
        r = lmwb({QStringLiteral("--json"), QStringLiteral("sweep"), QStringLiteral("show"),
                  QString::number(j[QStringLiteral("sweep")].toInt())});
        QCOMPARE(r.json().object()[QStringLiteral("runs")].toArray().size(), 2);
        r = lmwb({QStringLiteral("sweep"), tmpFile(QStringLiteral("bad-sweep.json"), R"({"corpus": "small", "arch": "nano-gpt", "parameters": {"widht": [1]}})")});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("'widht'"), r.err.constData());

        // Three queued runs (queue-only), reordered from the command line.
        r = lmwb({QStringLiteral("--json"), QStringLiteral("sweep"), file, QStringLiteral("--queue-only")});
        const auto queued = r.json().object()[QStringLiteral("runs")].toArray();
        QCOMPARE(queued.size(), 2);
        const int last = queued[1].toInt();
        r = lmwb({QStringLiteral("--json"), QStringLiteral("queue"), QStringLiteral("move"), QString::number(last),
                  QStringLiteral("--to"), QStringLiteral("1")});
        QCOMPARE(r.code, 0);
        QCOMPARE(r.json().object()[QStringLiteral("queue")].toArray().first().toInt(), last);
        r = lmwb({QStringLiteral("--json"), QStringLiteral("queue"), QStringLiteral("slots"), QStringLiteral("--set"), QStringLiteral("2")});
        QCOMPARE(r.json().object()[QStringLiteral("slots")].toInt(), 2);
        r = lmwb({QStringLiteral("queue"), QStringLiteral("slots"), QStringLiteral("--set"), QStringLiteral("1")});
        QCOMPARE(r.code, 0);
        for (const auto& id : queued) {
            r = lmwb({QStringLiteral("queue"), QStringLiteral("cancel"), QString::number(id.toInt())});
            QCOMPARE(r.code, 0);
        }
        r = lmwb({QStringLiteral("queue"), QStringLiteral("cancel"), QString::number(last)});
        QCOMPARE(r.code, 2); // cancelled already
    }

    // Out of memory (an address-space limit) and a full disk (a file-size
    // limit the checkpoint exceeds) end the run as diverged with a message
    // naming the step, leave no temporary file and keep the catalog intact.
    void outOfMemoryAndDiskFullAreReported()
    {
        auto limited = [&](const QString& limit, const QStringList& args) {
            QProcess p;
            auto env = QProcessEnvironment::systemEnvironment();
            env.insert(QStringLiteral("OPENBLAS_NUM_THREADS"), QStringLiteral("1"));
            p.setProcessEnvironment(env);
            QStringList all{QStringLiteral("-c"), limit + QStringLiteral("; exec \"$0\" \"$@\""), QStringLiteral(LMWB_BINARY),
                            QStringLiteral("--catalog"), m_catalog, QStringLiteral("--json")};
            p.start(QStringLiteral("/bin/bash"), all + args);
            p.waitForFinished(120000);
            return Result{p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
                          p.readAllStandardError()};
        };
        const QStringList common{QStringLiteral("train"), QStringLiteral("--corpus"), QStringLiteral("small"),
                                 QStringLiteral("--threads"), QStringLiteral("1")};
        Result r;
        QJsonObject o;
#ifndef LMWB_SANITIZED // a sanitizer's shadow memory needs far more address space than `ulimit -v` leaves
        r = limited(QStringLiteral("ulimit -v 3500000"),
                         common + QStringList{QStringLiteral("--arch"), QStringLiteral("tiny-gpt"), QStringLiteral("--batch"),
                                              QStringLiteral("2048"), QStringLiteral("--steps"), QStringLiteral("3")});
        QCOMPARE(r.code, 1);
        o = r.json().object();
        QCOMPARE(o[QStringLiteral("status")].toString(), QStringLiteral("diverged"));
        QVERIFY2(o[QStringLiteral("error")].toString().contains(QStringLiteral("out of memory")), r.out.constData());
        QVERIFY(o[QStringLiteral("error")].toString().contains(QStringLiteral("at step 1")));
#endif

        // nano-gpt's checkpoint is about 1.4 MB; the limit is 1 MiB.
        r = limited(QStringLiteral("ulimit -f 1024"),
                    common + QStringList{QStringLiteral("--arch"), QStringLiteral("nano-gpt"), QStringLiteral("--steps"),
                                         QStringLiteral("20"), QStringLiteral("--checkpoint-every"), QStringLiteral("5")});
        QCOMPARE(r.code, 1);
        o = r.json().object();
        QCOMPARE(o[QStringLiteral("status")].toString(), QStringLiteral("diverged"));
        const QString error = o[QStringLiteral("error")].toString();
        QVERIFY2(error.contains(QStringLiteral("writing checkpoint")) && error.contains(QStringLiteral("disk may be full"))
                     && error.contains(QStringLiteral("at step 5")),
                 qPrintable(error));
        const int run = o[QStringLiteral("run")].toInt();
        const QDir dir(m_tmp.filePath(QFileInfo(m_catalog).completeBaseName() + QStringLiteral("-artifacts/runs/%1").arg(run)));
        QVERIFY(dir.exists());
        QVERIFY2(dir.entryList({QStringLiteral("*.tmp-*")}, QDir::Files).isEmpty(), "a temporary checkpoint was left");
        const auto show = lmwb({QStringLiteral("runs"), QStringLiteral("show"), QString::number(run), QStringLiteral("--json")});
        QCOMPARE(show.code, 0);
        QCOMPARE(show.json().object()[QStringLiteral("status")].toString(), QStringLiteral("diverged"));
    }

    void badSpecNamesTheField()
    {
        const QString spec = tmpFile(QStringLiteral("bad.json"), R"({"layers":2,"heads":5,"width":64})");
        const auto r = lmwb({QStringLiteral("train"), QStringLiteral("--corpus"), QStringLiteral("small"),
                             QStringLiteral("--arch"), spec});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("'heads' (5) must divide field 'width' (64)"), r.err.constData());
        // A model too large for this machine is refused before a run row exists.
        const QString huge = tmpFile(QStringLiteral("huge.json"),
                                     R"({"family":"transformer","layers":96,"heads":64,"width":8192,"context":128})");
        const auto big = lmwb({QStringLiteral("train"), QStringLiteral("--corpus"), QStringLiteral("small"), QStringLiteral("--arch"), huge});
        QCOMPARE(big.code, 2);
        QVERIFY2(big.err.contains("too large for this machine's memory"), big.err.constData());
        const auto runs = lmwb({QStringLiteral("runs"), QStringLiteral("list"), QStringLiteral("--json")});
        QCOMPARE(runs.json().array().size(), 0);
    }

    void ctrlCStopsCleanlyWith130()
    {
        QProcess p;
        p.start(QStringLiteral(LMWB_BINARY),
                {QStringLiteral("--catalog"), m_catalog, QStringLiteral("train"), QStringLiteral("--corpus"),
                 QStringLiteral("small"), QStringLiteral("--arch"), QStringLiteral("nano-gpt"), QStringLiteral("--steps"),
                 QStringLiteral("1000000"), QStringLiteral("--threads"), QStringLiteral("1"), QStringLiteral("--json")});
        QVERIFY(p.waitForStarted());
        // Wait until it trains (progress reaches stderr), then interrupt.
        QByteArray err;
        QTRY_VERIFY_WITH_TIMEOUT((err += p.readAllStandardError()).contains("step "), 60000);
        ::kill(static_cast<pid_t>(p.processId()), SIGINT);
        QVERIFY(p.waitForFinished(10000));
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), 130);
        const auto o = QJsonDocument::fromJson(p.readAllStandardOutput()).object();
        QCOMPARE(o[QStringLiteral("status")].toString(), QStringLiteral("stopped"));
        const auto show = lmwb({QStringLiteral("runs"), QStringLiteral("show"),
                                QString::number(o[QStringLiteral("run")].toInt()), QStringLiteral("--json")});
        QCOMPARE(show.json().object()[QStringLiteral("status")].toString(), QStringLiteral("stopped"));
        QCOMPARE(show.json().object()[QStringLiteral("checkpoints")].toArray().size(), 1);
    }

    void killedRunIsInterruptedThenResumes()
    {
        QProcess p;
        p.start(QStringLiteral(LMWB_BINARY),
                {QStringLiteral("--catalog"), m_catalog, QStringLiteral("train"), QStringLiteral("--corpus"),
                 QStringLiteral("small"), QStringLiteral("--arch"), QStringLiteral("nano-gpt"), QStringLiteral("--steps"),
                 QStringLiteral("5000"), QStringLiteral("--checkpoint-every"), QStringLiteral("10"), QStringLiteral("--threads"),
                 QStringLiteral("1"), QStringLiteral("--json")});
        QVERIFY(p.waitForStarted());
        QByteArray err;
        // Past the first periodic checkpoints (progress lines come every 2 s
        // when stderr is not a terminal), then power off (SIGKILL).
        QTRY_VERIFY_WITH_TIMEOUT((err += p.readAllStandardError()).count("step ") >= 2, 60000);
        ::kill(static_cast<pid_t>(p.processId()), SIGKILL);
        QVERIFY(p.waitForFinished(10000));
        QCOMPARE(p.exitStatus(), QProcess::CrashExit);

        // The next start finds the run interrupted, the catalog intact.
        auto r = lmwb({QStringLiteral("runs"), QStringLiteral("list"), QStringLiteral("--json")});
        QJsonObject killed;
        for (const auto v : r.json().array())
            if (v.toObject()[QStringLiteral("status")].toString() == QStringLiteral("interrupted"))
                killed = v.toObject();
        QVERIFY2(!killed.isEmpty(), r.out.constData());
        const int run = killed[QStringLiteral("run")].toInt();
        {
            wb::Catalog c(m_catalog.toStdString());
            QVERIFY(c.checkIntegrity().empty());
            QVERIFY(!c.runArtifacts(run, "checkpoint").empty());
            // No metric before the last checkpoint is lost.
            const auto cps = c.runArtifacts(run, "checkpoint");
            std::int64_t last = 0;
            for (const auto& cp : cps)
                last = std::max<std::int64_t>(last, cp.step.value_or(0));
            std::set<std::int64_t> steps;
            for (const auto& m : c.metrics(run))
                if (m.name == "train_loss")
                    steps.insert(m.step);
            for (std::int64_t s = 1; s <= last; ++s)
                QVERIFY2(steps.count(s), qPrintable(QStringLiteral("train_loss of step %1 lost").arg(s)));
        }
        r = lmwb({QStringLiteral("resume"), QString::number(run), QStringLiteral("--steps"), QStringLiteral("600"),
                  QStringLiteral("--json")});
        QCOMPARE(r.code, 0);
        const auto o = r.json().object();
        QCOMPARE(o[QStringLiteral("status")].toString(), QStringLiteral("finished"));
        QCOMPARE(o[QStringLiteral("steps")].toInt(), 600);
        QCOMPARE(o[QStringLiteral("run")].toInt(), run);
        r = lmwb({QStringLiteral("resume"), QStringLiteral("424242")});
        QCOMPARE(r.code, 2);
        QVERIFY(r.err.contains("no run 424242"));
    }

    void refusesNewerCatalog()
    {
        const QString future = m_tmp.filePath(QStringLiteral("future.sqlite"));
        {
            wb::Catalog created(future.toStdString()); // `runs list` reads only and creates nothing
        }
        QProcess sqlite;
        sqlite.start(QStringLiteral("sqlite3"), {future, QStringLiteral("PRAGMA user_version=999;")});
        if (!sqlite.waitForFinished() || sqlite.exitCode() != 0)
            QSKIP("the sqlite3 shell is not installed");
        QProcess p;
        p.start(QStringLiteral(LMWB_BINARY), {QStringLiteral("--catalog"), future, QStringLiteral("runs"), QStringLiteral("list")});
        QVERIFY(p.waitForFinished());
        QCOMPARE(p.exitCode(), 2);
        QVERIFY(p.readAllStandardError().contains("newer than this program knows"));
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "test_cli.moc"
