// SPDX-License-Identifier: GPL-3.0-or-later
// The bad-input census (docs/bad-inputs.md): each row that needs the real
// lmwb process is reproduced here, with the message the user must see and
// the state the catalog must be left in.
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>

#include "catalog/sqlite.h"
#include "cli_fixture.h"

#include <QtTest>

#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <filesystem>

namespace fs = std::filesystem;

class TestCliHardening : public QObject, CliFixture {
    Q_OBJECT

    static QStringList trainArgs(int steps)
    {
        return {QStringLiteral("train"), QStringLiteral("--corpus"), QStringLiteral("small"), QStringLiteral("--arch"),
                QStringLiteral("nano-gpt"), QStringLiteral("--steps"), QString::number(steps), QStringLiteral("--checkpoint-every"),
                QStringLiteral("10"), QStringLiteral("--eval-every"), QStringLiteral("10"), QStringLiteral("--sample-tokens"),
                QStringLiteral("0"), QStringLiteral("--threads"), QStringLiteral("1"), QStringLiteral("--json")};
    }

    // The checkpoints of `run` as rows, newest first.
    std::vector<wb::ArtifactRecord> checkpoints(int run)
    {
        wb::Catalog c(m_catalog.toStdString());
        auto all = c.runArtifacts(run, "checkpoint");
        std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.step > b.step; });
        return all;
    }

    QString artifactFile(const wb::ArtifactRecord& a)
    {
        return QString::fromStdString(wb::Catalog(m_catalog.toStdString()).artifactPath(a.path).string());
    }

private slots:
    void init() { catalogForThisFunction(true); }

    // Rows 3 and 10: random bytes inside a checkpoint, a truncated one.
    void damagedCheckpointsAreDetectedAndSkipped()
    {
        auto r = lmwb(trainArgs(30));
        QCOMPARE(r.code, 0);
        const int run = r.json().object()[QStringLiteral("run")].toInt();
        auto cps = checkpoints(run);
        QVERIFY(cps.size() >= 2);
        QVERIFY(cps[0].sha256 && cps[0].sha256->size() == 64);
        QCOMPARE(*cps[0].step, std::int64_t(30));
        {
            // 8 KiB of random bytes in the middle of the newest checkpoint.
            QFile f(artifactFile(cps[0]));
            QVERIFY(f.open(QIODevice::ReadWrite));
            QByteArray noise(8192, '\0');
            for (auto& b : noise)
                b = static_cast<char>(QRandomGenerator::global()->bounded(256));
            f.seek(f.size() / 2);
            f.write(noise);
        }
        r = lmwb({QStringLiteral("generate"), QString::number(run), QStringLiteral("--prompt"), QStringLiteral("The "),
                  QStringLiteral("--max-tokens"), QStringLiteral("5")});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("checkpoint for step 30 of run " + QByteArray::number(run) + " is damaged (checksum mismatch)"),
                 r.err.constData());
        r = lmwb({QStringLiteral("check"), QStringLiteral("--json")});
        QCOMPARE(r.code, 1);
        auto o = r.json().object();
        QCOMPARE(o[QStringLiteral("ok")].toBool(), false);
        QCOMPARE(o[QStringLiteral("damaged")].toArray().size(), 1);
        QCOMPARE(o[QStringLiteral("damaged")].toArray()[0].toObject()[QStringLiteral("problem")].toString(),
                 QStringLiteral("checksum mismatch"));

        // Resume moves it aside, says so, and continues from step 20.
        r = lmwb({QStringLiteral("resume"), QString::number(run), QStringLiteral("--steps"), QStringLiteral("40"),
                  QStringLiteral("--json")});
        QVERIFY2(r.code == 0, r.err.constData());
        QVERIFY2(r.err.contains("checkpoint for step 30 of run " + QByteArray::number(run) + " is damaged (checksum mismatch)"),
                 r.err.constData());
        QVERIFY2(r.err.contains("trying the one before"), r.err.constData());
        QCOMPARE(r.json().object()[QStringLiteral("steps")].toInt(), 40);
        QVERIFY(QFile::exists(artifactFile(cps[0]) + QStringLiteral(".damaged")));
        r = lmwb({QStringLiteral("check"), QStringLiteral("--json")});
        QCOMPARE(r.code, 0);

        // Row 10: a truncated checkpoint (a zip cut short).
        cps = checkpoints(run);
        QVERIFY(QFile::resize(artifactFile(cps[0]), 1000));
        r = lmwb({QStringLiteral("check")});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.out.contains("checksum mismatch; 1000 bytes where"), r.out.constData());
        r = lmwb({QStringLiteral("check"), QStringLiteral("--repair"), QStringLiteral("--json")});
        QCOMPARE(r.code, 0);
        o = r.json().object();
        QCOMPARE(o[QStringLiteral("repaired")].toBool(), true);
        QVERIFY(!o[QStringLiteral("damaged")].toArray()[0].toObject()[QStringLiteral("moved_to")].toString().isEmpty());
        // The newest intact checkpoint serves generation again.
        r = lmwb({QStringLiteral("generate"), QString::number(run), QStringLiteral("--prompt"), QStringLiteral("The "),
                  QStringLiteral("--max-tokens"), QStringLiteral("5")});
        QVERIFY2(r.code == 0, r.err.constData());
        r = lmwb({QStringLiteral("check")});
        QCOMPARE(r.code, 0);
    }

    // A damaged run tokenizer and a damaged corpus split are named, not
    // read as garbage.
    void damagedTokenizerAndSplitAreNamed()
    {
        auto r = lmwb(trainArgs(10));
        QCOMPARE(r.code, 0);
        const int run = r.json().object()[QStringLiteral("run")].toInt();
        QString tokFile, splitFile;
        {
            wb::Catalog c(m_catalog.toStdString());
            tokFile = QString::fromStdString(c.artifactPath(c.runArtifacts(run, "tokenizer").back().path).string());
            const auto corpus = c.corpusByName("small");
            splitFile = QString::fromStdString(c.artifactPath(c.corpusArtifacts(corpus->id, "corpus_train").front().path).string());
        }
        auto flipByte = [](const QString& file) {
            QFile f(file);
            QVERIFY(f.open(QIODevice::ReadWrite));
            f.seek(f.size() / 2);
            char b = 0;
            f.getChar(&b);
            f.seek(f.size() / 2);
            f.putChar(static_cast<char>(b ^ 0x20));
        };
        flipByte(tokFile);
        r = lmwb({QStringLiteral("generate"), QString::number(run), QStringLiteral("--prompt"), QStringLiteral("a")});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("the tokenizer of run " + QByteArray::number(run) + " is damaged (checksum mismatch)"), r.err.constData());
        flipByte(splitFile);
        r = lmwb({QStringLiteral("check"), QStringLiteral("--json")});
        QCOMPARE(r.code, 1);
        QCOMPARE(r.json().object()[QStringLiteral("damaged")].toArray().size(), 2);
    }

    // A damaged token cache stops a run before it trains on tokens that
    // were never in the corpus; after a repair the next run encodes the
    // corpus again.
    void damagedTokenCacheIsRebuiltAfterRepair()
    {
        QString cacheFile;
        {
            wb::Catalog c(m_catalog.toStdString());
            const auto corpus = c.corpusByName("small");
            for (const auto& t : c.tokenCaches(corpus->id, std::nullopt))
                if (t.split == "train") {
                    QVERIFY(t.sha256.has_value());
                    cacheFile = QString::fromStdString(c.artifactPath(t.path).string());
                }
        }
        {
            QFile f(cacheFile);
            QVERIFY(f.open(QIODevice::ReadWrite));
            f.seek(f.size() - 2);
            f.write("\x01\x00", 2);
        }
        auto r = lmwb(trainArgs(10));
        QVERIFY(r.code != 0);
        QVERIFY2((r.err + r.out).contains("the train token cache of corpus 'small' is damaged (checksum mismatch)"),
                 (r.err + r.out).constData());
        r = lmwb({QStringLiteral("check"), QStringLiteral("--repair")});
        QCOMPARE(r.code, 0);
        QVERIFY2(r.out.contains("token cache of corpus 'small'"), r.out.constData());
        r = lmwb(trainArgs(10));
        QVERIFY2(r.code == 0, r.err.constData());
        QCOMPARE(lmwb({QStringLiteral("check")}).code, 0);
    }

    // Row 2: two processes creating the same new catalog at once both succeed.
    void concurrentCreationOfANewCatalog()
    {
        for (int trial = 0; trial < 6; ++trial) {
            const QString file = m_tmp.filePath(QStringLiteral("race%1.sqlite").arg(trial));
            QProcess a, b;
            const QStringList common{QStringLiteral("--catalog"), file, QStringLiteral("corpus"), QStringLiteral("add")};
            a.start(QStringLiteral(LMWB_BINARY), common + QStringList{QStringLiteral("one"), QStringLiteral(LMWB_TEST_DATA "/small.txt")});
            b.start(QStringLiteral(LMWB_BINARY), common + QStringList{QStringLiteral("two"), QStringLiteral(LMWB_TEST_DATA "/small.txt")});
            QVERIFY(a.waitForFinished(60000) && b.waitForFinished(60000));
            QVERIFY2(a.exitCode() == 0, a.readAllStandardError().constData());
            QVERIFY2(b.exitCode() == 0, b.readAllStandardError().constData());
            wb::Catalog c(file.toStdString());
            QCOMPARE(c.corpora().size(), std::size_t(2));
            QVERIFY(c.checkIntegrity().empty());
        }
    }

    // Row 12: read-only commands never create a catalog or its folders.
    void readOnlyCommandsCreateNothing()
    {
        const QString folder = m_tmp.filePath(QStringLiteral("not-there"));
        const QString file = folder + QStringLiteral("/catalog.sqlite");
        for (const QStringList& cmd : {QStringList{QStringLiteral("runs"), QStringLiteral("list"), QStringLiteral("--json")},
                                       QStringList{QStringLiteral("corpus"), QStringLiteral("list"), QStringLiteral("--json")},
                                       QStringList{QStringLiteral("tokenizer"), QStringLiteral("list")},
                                       QStringList{QStringLiteral("queue"), QStringLiteral("list")}}) {
            QProcess p;
            p.start(QStringLiteral(LMWB_BINARY), QStringList{QStringLiteral("--catalog"), file} + cmd);
            QVERIFY(p.waitForFinished(30000));
            QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
            QVERIFY2(!QFileInfo::exists(folder), qPrintable(cmd.join(' ')));
        }
        QProcess p;
        p.start(QStringLiteral(LMWB_BINARY), {QStringLiteral("--catalog"), file, QStringLiteral("generate"), QStringLiteral("1"),
                                              QStringLiteral("--prompt"), QStringLiteral("x")});
        QVERIFY(p.waitForFinished(30000));
        QCOMPARE(p.exitCode(), 2);
        QVERIFY(p.readAllStandardError().contains("no run 1"));
        QVERIFY(!QFileInfo::exists(folder));
    }

    // Row 6: a catalog in a folder the user cannot write. Root ignores
    // permissions, so as root lmwb runs as the user nobody (setpriv).
    void readOnlyFolderIsNamed()
    {
        QTemporaryDir shared(QDir::tempPath() + QStringLiteral("/lmwb-ro-XXXXXX"));
        QVERIFY(shared.isValid());
        QCOMPARE(::chmod(shared.path().toLocal8Bit().constData(), 0755), 0);
        const QString folder = shared.filePath(QStringLiteral("catalogs"));
        QVERIFY(QDir().mkpath(folder));
        const QString file = folder + QStringLiteral("/catalog.sqlite");
        {
            wb::Catalog c(file.toStdString()); // created, then closed: no -wal or -shm left
        }
        QCOMPARE(::chmod(file.toLocal8Bit().constData(), 0644), 0);
        QCOMPARE(::chmod(folder.toLocal8Bit().constData(), 0555), 0);
        const auto before = QFileInfo(file).lastModified();
        QStringList args{QStringLiteral("--catalog"), file, QStringLiteral("runs"), QStringLiteral("list")};
        QString program = QStringLiteral(LMWB_BINARY);
        if (::geteuid() == 0) {
            // A copy of lmwb where nobody can reach it (the build folder may
            // sit in root's home).
            const QString copy = shared.filePath(QStringLiteral("lmwb"));
            QVERIFY(QFile::copy(program, copy));
            QCOMPARE(::chmod(copy.toLocal8Bit().constData(), 0755), 0);
            args = QStringList{QStringLiteral("--reuid=65534"), QStringLiteral("--regid=65534"), QStringLiteral("--clear-groups"),
                               copy} + args;
            program = QStringLiteral("setpriv");
        }
        QProcess p;
        p.start(program, args);
        QVERIFY(p.waitForFinished(30000));
        const QByteArray err = p.readAllStandardError();
        ::chmod(folder.toLocal8Bit().constData(), 0755); // so the folder can be removed
        QVERIFY2(p.exitCode() == 2, err.constData());
        QVERIFY2(err.contains("cannot write to the folder " + folder.toUtf8() + " that holds the catalog"), err.constData());
        QVERIFY2(err.contains("make the folder writable, or copy the catalog"), err.constData());
        QCOMPARE(QFileInfo(file).lastModified(), before);
        QVERIFY(!QFileInfo::exists(file + QStringLiteral("-wal")));
    }

    // Row 11: a FIFO with no writer is refused at once, not waited on.
    void fifoIsRefused()
    {
        const QString fifo = m_tmp.filePath(QStringLiteral("pipe.txt"));
        QCOMPARE(::mkfifo(fifo.toLocal8Bit().constData(), 0600), 0);
        const auto r = lmwb({QStringLiteral("corpus"), QStringLiteral("add"), QStringLiteral("piped"), fifo}, 20000);
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("is a FIFO (named pipe), not a regular file"), r.err.constData());
    }

    // Rows 5 (truncated), 8, 9, 13 and 14.
    void badValuesAndStatesAreNamed()
    {
        // Row 9: a temperature that is not a number.
        auto r = lmwb({QStringLiteral("generate"), QStringLiteral("1"), QStringLiteral("--prompt"), QStringLiteral("x"),
                       QStringLiteral("--temperature"), QStringLiteral("nan")});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("--temperature expects a number, got 'nan'"), r.err.constData());
        // Row 8: resuming a finished run.
        r = lmwb(trainArgs(10));
        QCOMPARE(r.code, 0);
        const int run = r.json().object()[QStringLiteral("run")].toInt();
        r = lmwb({QStringLiteral("resume"), QString::number(run)});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("is already finished (10 of 10 steps); give --steps to extend it"), r.err.constData());
        // Row 13: no CUDA here means no run row either.
        r = lmwb(trainArgs(10) + QStringList{QStringLiteral("--device"), QStringLiteral("cuda")});
        if (r.code == 2) {
            QVERIFY2(r.err.contains("--device cuda"), r.err.constData());
            QCOMPARE(wb::Catalog(m_catalog.toStdString()).runs().size(), std::size_t(1));
        }
        // Row 5: a catalog cut short.
        const QString cut = m_tmp.filePath(QStringLiteral("cut.sqlite"));
        QVERIFY(QFile::copy(m_catalog, cut));
        QVERIFY(QFile::resize(cut, 1000));
        QProcess p;
        p.start(QStringLiteral(LMWB_BINARY), {QStringLiteral("--catalog"), cut, QStringLiteral("runs"), QStringLiteral("list")});
        QVERIFY(p.waitForFinished(30000));
        const QByteArray err = p.readAllStandardError();
        QVERIFY2(p.exitCode() != 0 && err.contains("is damaged"), err.constData());
        QVERIFY2(!err.contains("SELECT") && !err.contains("(in:"), err.constData());
        QCOMPARE(QFileInfo(cut).size(), qint64(1000));
    }
    // Issue "a catalog from someone else": the defects found as a careless
    // or hostile user, each as the user meets it on the command line.
    void receivedCatalogsAndCarelessInputs()
    {
        // An unknown option given last is unknown, not "needs a value".
        auto r = lmwb({QStringLiteral("runs"), QStringLiteral("list"), QStringLiteral("--bogus")});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("unknown option --bogus"), r.err.constData());
        r = lmwb({QStringLiteral("generate"), QStringLiteral("1"), QStringLiteral("--prompt")});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("option --prompt needs a value"), r.err.constData());
        // --rank: no negative lower bound in the message.
        r = lmwb({QStringLiteral("compress"), QStringLiteral("1"), QStringLiteral("--method"), QStringLiteral("lowrank"),
                  QStringLiteral("--rank"), QStringLiteral("0")});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("--rank must be between 1 and") && !r.err.contains("-1"), r.err.constData());
        // Ranges in the user's numbers, not 0.000000.
        r = lmwb(trainArgs(10));
        QCOMPARE(r.code, 0);
        const int run = r.json().object()[QStringLiteral("run")].toInt();
        r = lmwb({QStringLiteral("compress"), QString::number(run), QStringLiteral("--method"), QStringLiteral("prune"),
                  QStringLiteral("--sparsity"), QStringLiteral("1")});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("got 1\n") && !r.err.contains("000000"), r.err.constData());
        // Names are never paths; nothing is written for a refused one.
        for (const QString& bad : {QStringLiteral("../../../../victim"), QStringLiteral("a/b"), QStringLiteral(" ")}) {
            r = lmwb({QStringLiteral("generate-corpus"), QString::number(run), QStringLiteral("--name"), bad,
                      QStringLiteral("--documents"), QStringLiteral("1"), QStringLiteral("--max-tokens"), QStringLiteral("4")});
            QCOMPARE(r.code, 2);
            QVERIFY2(r.err.contains("corpus name"), r.err.constData());
        }
        QVERIFY(!QFileInfo::exists(m_tmp.filePath(QStringLiteral("victim.jsonl.tmp"))));
        r = lmwb({QStringLiteral("corpus"), QStringLiteral("add"), QStringLiteral("a/b"), QStringLiteral(LMWB_TEST_DATA "/small.txt")});
        QCOMPARE(r.code, 2);
        // bench infer with two threads on a transformer.
        r = lmwb({QStringLiteral("bench"), QStringLiteral("infer"), QString::number(run), QStringLiteral("--threads"),
                  QStringLiteral("2"), QStringLiteral("--runs"), QStringLiteral("10"), QStringLiteral("--json")});
        QVERIFY2(r.code == 0, r.err.constData());
        QCOMPARE(r.json().object()[QStringLiteral("threads")].toInt(), 2);
        // runs delete: a parent with a child is refused without the flag.
        r = lmwb({QStringLiteral("compress"), QString::number(run), QStringLiteral("--method"), QStringLiteral("prune"),
                  QStringLiteral("--json")});
        QVERIFY2(r.code == 0, r.err.constData());
        const int child = r.json().object()[QStringLiteral("run")].toInt();
        r = lmwb({QStringLiteral("runs"), QStringLiteral("delete"), QString::number(run)});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("--with-children"), r.err.constData());
        r = lmwb({QStringLiteral("runs"), QStringLiteral("delete"), QString::number(run), QStringLiteral("--with-children"),
                  QStringLiteral("--json")});
        QVERIFY2(r.code == 0, r.err.constData());
        QCOMPARE(r.json().object()[QStringLiteral("deleted")].toArray().size(), qsizetype(2));
        r = lmwb({QStringLiteral("runs"), QStringLiteral("show"), QString::number(child)});
        QCOMPARE(r.code, 2);
        r = lmwb({QStringLiteral("check"), QStringLiteral("--json")});
        QCOMPARE(r.code, 0);
        QVERIFY2(r.json().object()[QStringLiteral("orphans")].toArray().isEmpty(), r.out.constData());

        // A folder with a file whose name is not UTF-8: skipped with a
        // reason, the rest imported.
        const QString folder = m_tmp.filePath(QStringLiteral("mixed"));
        QDir().mkpath(folder);
        tmpFile(QStringLiteral("mixed/good.txt"), "a good text file\n");
        {
            const std::string bad = folder.toStdString() + "/bad-\xff\xfe.txt";
            std::FILE* f = std::fopen(bad.c_str(), "wb");
            QVERIFY(f);
            std::fputs("text in a file with a broken name\n", f);
            std::fclose(f);
        }
        r = lmwb({QStringLiteral("corpus"), QStringLiteral("add"), QStringLiteral("mixed"), folder, QStringLiteral("--json")});
        QVERIFY2(r.code == 0, r.err.constData());
        const auto skipped = r.json().object()[QStringLiteral("skipped")].toArray();
        QCOMPARE(skipped.size(), qsizetype(1));
        QVERIFY(skipped[0].toObject()[QStringLiteral("path")].toString().contains(QStringLiteral("\\xff\\xfe")));

        // HOME unset: never a catalog in the current folder.
        QProcess p;
        auto env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("HOME"));
        env.remove(QStringLiteral("XDG_DATA_HOME"));
        env.remove(QStringLiteral("LMWB_CATALOG"));
        p.setProcessEnvironment(env);
        const QString cwd = m_tmp.filePath(QStringLiteral("cwd"));
        QDir().mkpath(cwd);
        p.setWorkingDirectory(cwd);
        p.start(QStringLiteral(LMWB_BINARY), {QStringLiteral("runs"), QStringLiteral("list")});
        QVERIFY(p.waitForFinished(30000));
        const QByteArray err = p.readAllStandardError();
        QVERIFY2(err.contains("HOME is not set"), err.constData());
        QVERIFY(!QFileInfo::exists(cwd + QStringLiteral("/lm-workbench")));

        // A catalog path longer than SQLite opens.
        QString deep = m_tmp.path();
        while (deep.size() < 560)
            deep += QStringLiteral("/") + QString(40, QLatin1Char('d'));
        QProcess q;
        q.start(QStringLiteral(LMWB_BINARY), {QStringLiteral("--catalog"), deep + QStringLiteral("/c.sqlite"),
                                              QStringLiteral("corpus"), QStringLiteral("add"), QStringLiteral("s"),
                                              QStringLiteral(LMWB_TEST_DATA "/small.txt")});
        QVERIFY(q.waitForFinished(30000));
        const QByteArray qerr = q.readAllStandardError();
        QCOMPARE(q.exitCode(), 2);
        QVERIFY2(qerr.contains("SQLite opens paths of at most"), qerr.constData());
    }
    // Input errors found before a run row exists: exit 2, no row.
    void inputErrorsLeaveNoRunRow()
    {
        auto r = lmwb(trainArgs(10));
        QCOMPARE(r.code, 0);
        const int teacher = r.json().object()[QStringLiteral("run")].toInt();
        const auto rows = [&] { return wb::Catalog(m_catalog.toStdString()).runs().size(); };
        const std::size_t before = rows();
        // A top-k cache larger than the vocabulary.
        r = lmwb({QStringLiteral("distill"), QStringLiteral("--teacher"), QString::number(teacher), QStringLiteral("--student"),
                  QStringLiteral("nano-gpt"), QStringLiteral("--corpus"), QStringLiteral("small"), QStringLiteral("--topk-cache"),
                  QStringLiteral("65536"), QStringLiteral("--steps"), QStringLiteral("5")});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("--topk-cache is 65536, more than the vocabulary"), r.err.constData());
        QCOMPARE(rows(), before);
        // A corpus shorter than the model's context.
        tmpFile(QStringLiteral("tiny.txt"), "just a few words\n");
        r = lmwb({QStringLiteral("corpus"), QStringLiteral("add"), QStringLiteral("tiny"), m_tmp.filePath(QStringLiteral("tiny.txt")),
                  QStringLiteral("--split"), QStringLiteral("0.9,0.1,0")});
        if (r.code == 0) {
            r = lmwb({QStringLiteral("train"), QStringLiteral("--corpus"), QStringLiteral("tiny"), QStringLiteral("--arch"),
                      QStringLiteral("nano-gpt"), QStringLiteral("--steps"), QStringLiteral("5")});
            QCOMPARE(r.code, 2);
            QVERIFY2(r.err.contains("shorter context or add more text"), r.err.constData());
            QCOMPARE(rows(), before);
        }
        // Fine-tuning a parent whose checkpoint file is gone.
        const auto checkpoints = wb::Catalog(m_catalog.toStdString()).runArtifacts(teacher, "checkpoint");
        QVERIFY(!checkpoints.empty());
        const QString artifacts = m_tmp.filePath(QFileInfo(m_catalog).completeBaseName() + QStringLiteral("-artifacts/"));
        for (const auto& c : checkpoints)
            QVERIFY(QFile::remove(artifacts + QString::fromStdString(c.path)));
        r = lmwb({QStringLiteral("finetune"), QString::number(teacher), QStringLiteral("--corpus"), QStringLiteral("small"),
                  QStringLiteral("--steps"), QStringLiteral("5")});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("is missing") && r.err.contains("check --repair"), r.err.constData());
        QCOMPARE(rows(), before);
    }

    // Ctrl-C at any moment of corpus add, generate-corpus or compress
    // --finetune-steps: either the command completed (exit 0, its result
    // whole) or nothing is left (exit 130, no row, no file, no orphan).
    void interruptsCompleteOrLeaveNothing()
    {
        auto r = lmwb(trainArgs(10));
        QCOMPARE(r.code, 0);
        const int run = r.json().object()[QStringLiteral("run")].toInt();
        QByteArray big;
        for (int i = 0; i < 150000; ++i)
            big += "document " + QByteArray::number(i) + " with a few words of its own\n\n";
        const QString bigFile = tmpFile(QStringLiteral("big.txt"), big);
        // Started, then signalled `afterMs` after its first progress line
        // (before that the process is still loading: nothing is written).
        auto interrupted = [&](const QStringList& args, int afterMs, int sig) {
            QProcess p;
            p.start(QStringLiteral(LMWB_BINARY), QStringList{QStringLiteral("--catalog"), m_catalog} + args);
            p.waitForStarted();
            QByteArray err;
            while (err.isEmpty() && p.state() == QProcess::Running) {
                p.waitForReadyRead(50);
                err += p.readAllStandardError();
            }
            QTest::qWait(afterMs);
            ::kill(static_cast<pid_t>(p.processId()), sig);
            p.waitForFinished(120000);
            return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        };
        int name = 0, completed = 0, stopped = 0;
        for (int afterMs : {0, 20, 60, 150, 400}) {
            const int sig = name % 2 ? SIGTERM : SIGINT;
            const std::string corpus = "c" + std::to_string(++name);
            const int code = interrupted({QStringLiteral("corpus"), QStringLiteral("add"), QString::fromStdString(corpus), bigFile}, afterMs, sig);
            wb::Catalog c(m_catalog.toStdString());
            if (code == 0) {
                ++completed;
                QVERIFY(c.corpusByName(corpus).has_value());
            } else {
                ++stopped;
                QCOMPARE(code, 130);
                QVERIFY(!c.corpusByName(corpus).has_value());
            }
            const auto report = c.check(false);
            QVERIFY(report.ok());
            for (const auto& o : report.orphans)
                QVERIFY2(false, o.path.c_str());
        }
        QVERIFY2(stopped > 0, "no import was stopped: the corpus is too small to be caught");
        for (int afterMs : {100, 600, 1500}) {
            const std::size_t runsBefore = wb::Catalog(m_catalog.toStdString()).runs().size();
            const int code = interrupted({QStringLiteral("compress"), QString::number(run), QStringLiteral("--method"),
                                          QStringLiteral("prune"), QStringLiteral("--finetune-steps"), QStringLiteral("400")},
                                         afterMs, SIGINT);
            wb::Catalog c(m_catalog.toStdString());
            if (code == 130)
                QCOMPARE(c.runs().size(), runsBefore);
            else
                QCOMPARE(code, 0);
            QVERIFY(c.check(false).ok());
        }
        QCOMPARE(completed + stopped, 5);
    }
};

QTEST_GUILESS_MAIN(TestCliHardening)
#include "test_cli_hardening.moc"
