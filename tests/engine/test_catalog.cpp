// SPDX-License-Identifier: GPL-3.0-or-later
// The catalog: round trips, migration from the oldest schema, refusal of a
// newer or foreign database (left untouched), and corpus imports that fail
// leaving nothing behind.
#include "catalog/catalog.h"
#include "store/corpus_store.h"
#include "catalog/sqlite.h"
#include "core/errors.h"
#include "core/sha256.h"
#include "data/corpus_import.h"

#include <QCryptographicHash>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

using namespace wb;
namespace fs = std::filesystem;

namespace {

QByteArray fileHash(const fs::path& p)
{
    QFile f(QString::fromStdString(p.string()));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256);
}

void writeBytes(const fs::path& p, const std::string& bytes)
{
    std::ofstream out(p, std::ios::binary);
    out << bytes;
}

std::size_t filesUnder(const fs::path& dir)
{
    std::size_t n = 0;
    std::error_code ec;
    if (!fs::exists(dir))
        return 0;
    for (auto it = fs::recursive_directory_iterator(dir, ec); it != fs::recursive_directory_iterator(); ++it)
        n += it->is_regular_file();
    return n;
}

} // namespace

class TestCatalog : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_tmp;
    fs::path path(const char* name) const { return fs::path(m_tmp.path().toStdString()) / name; }

private slots:
    void newCatalogIsCurrentAndMarked()
    {
        Catalog c(path("new.sqlite"));
        QCOMPARE(c.userVersion(), Catalog::schemaVersion());
        sql::Connection raw(path("new.sqlite"), false);
        QCOMPARE(raw.pragmaInt("application_id"), std::int64_t(0x4C4D5742));
        QCOMPARE(raw.prepare("PRAGMA journal_mode").step(), true);
        auto st = raw.prepare("PRAGMA journal_mode");
        QVERIFY(st.step());
        QCOMPARE(QString::fromStdString(st.text(0)), QStringLiteral("wal"));
        QVERIFY(c.checkIntegrity().empty());
    }

    void roundTrip()
    {
        Catalog c(path("rt.sqlite"));
        CorpusRecord corpus;
        corpus.name = "demo";
        corpus.documents = 5;
        corpus.bytes = 100;
        corpus.chars = 98;
        corpus.trainChars = 80;
        corpus.validationChars = 10;
        corpus.splitSeed = 7;
        corpus.vocabSize = 30;
        corpus.sources = "[\"/x\"]";
        const auto cid = c.addCorpus(corpus, {});
        const auto back = c.corpusByName("demo");
        QVERIFY(back);
        QCOMPARE(back->id, cid);
        QCOMPARE(back->documents, 5);
        QCOMPARE(back->vocabSize, 30);
        QCOMPARE(back->trainChars, 80);
        QVERIFY_THROWS_EXCEPTION(InputError, c.addCorpus(corpus, {})); // duplicate name

        RunRecord run;
        run.corpusId = cid;
        run.arch = "tiny-gpt";
        run.config = "{}";
        run.device = "cpu";
        run.seed = 9;
        run.codeVersion = "test";
        const auto rid = c.createRun(run);
        QCOMPARE(c.run(rid)->status, RunStatus::Queued);
        c.markRunStarted(rid, 1234);
        QCOMPARE(c.run(rid)->status, RunStatus::Running);
        QCOMPARE(*c.run(rid)->params, 1234);
        c.appendMetrics(rid, {{1, "train_loss", 3.5, 0.1}, {2, "train_loss", 3.25, 0.2}, {2, "val_ppl", 20.0, 0.3}});
        c.addSample(rid, {2, "\n", "hello"});
        ArtifactRecord a;
        a.runId = rid;
        a.kind = "checkpoint";
        a.path = "runs/x.pt";
        a.bytes = 3;
        a.step = 2;
        fs::create_directories(c.artifactPath("runs"));
        writeBytes(c.artifactPath("runs/x.pt"), "abc");
        c.addArtifact(a);
        c.finishRun(rid, RunStatus::Finished, std::nullopt);

        Catalog reopened(path("rt.sqlite")); // a second connection sees it all
        const auto r = reopened.run(rid);
        QCOMPARE(r->status, RunStatus::Finished);
        QCOMPARE(r->corpusName, std::string("demo"));
        QVERIFY(r->finishedAt.has_value());
        const auto m = reopened.metrics(rid);
        QCOMPARE(m.size(), std::size_t(3));
        QCOMPARE(m[0].name, std::string("train_loss"));
        QCOMPARE(m[1].value, 3.25);
        QCOMPARE(reopened.samples(rid).at(0).text, std::string("hello"));
        QCOMPARE(reopened.runArtifacts(rid, "checkpoint").at(0).step.value_or(-1), 2);
        QVERIFY(reopened.checkIntegrity().empty());
    }

    void runsOfDeadProcessesBecomeInterrupted()
    {
        const fs::path db = path("crash.sqlite");
        std::int64_t dead = 0, alive = 0;
        {
            Catalog c(db);
            CorpusRecord corpus;
            corpus.name = "c";
            corpus.sources = "[]";
            const auto cid = c.addCorpus(corpus, {});
            RunRecord r;
            r.corpusId = cid;
            r.arch = "a";
            r.config = "{}";
            r.device = "cpu";
            dead = c.createRun(r);
            alive = c.createRun(r);
            c.markRunStarted(dead, 10);
            c.markRunStarted(alive, 10); // owned by this (living) process
        }
        // A child that has exited and been reaped: its pid names no process.
        const pid_t child = ::fork();
        if (child == 0)
            ::_exit(0);
        ::waitpid(child, nullptr, 0);
        {
            sql::Connection raw(db, false);
            raw.prepare("UPDATE runs SET pid = ?1 WHERE id = ?2").bind(1, static_cast<std::int64_t>(child)).bind(2, dead).run();
        }
        Catalog c(db);
        QCOMPARE(c.run(dead)->status, RunStatus::Interrupted);
        QVERIFY(c.run(dead)->error.has_value());
        QCOMPARE(c.run(alive)->status, RunStatus::Running);
    }

    void migratesFromOldestSchema()
    {
        const fs::path db = path("v1.sqlite");
        {
            sql::Connection raw(db, true);
            QFile f(QStringLiteral(LMWB_TEST_DATA "/catalog_v1.sql"));
            QVERIFY(f.open(QIODevice::ReadOnly));
            raw.exec(f.readAll().toStdString());
            QCOMPARE(raw.pragmaInt("user_version"), std::int64_t(1));
        }
        Catalog c(db);
        QCOMPARE(c.userVersion(), Catalog::schemaVersion());
        QVERIFY(fs::exists(db.string() + ".v1.bak")); // backed up before upgrading
        const auto run = c.run(1);
        QVERIFY(run);
        QCOMPARE(run->status, RunStatus::Finished);
        QCOMPARE(run->seed, 42);
        QCOMPARE(run->corpusName, std::string("old-corpus"));
        QVERIFY(!run->params.has_value()); // new column, no value for old rows
        QCOMPARE(c.metrics(1).size(), std::size_t(3));
        QCOMPARE(c.corpusByName("old-corpus")->documents, 3);
        QCOMPARE(c.corpusByName("old-corpus")->vocabSize, 0);
        c.addSample(1, {2, "a", "b"}); // a table the migration added
        QCOMPARE(c.samples(1).size(), std::size_t(1));

        // Migrating to an intermediate version also works (the test hook).
        Catalog partial(path("partial.sqlite"), 1);
        QCOMPARE(partial.userVersion(), 1);
    }

    void refusesNewerSchemaUntouched()
    {
        const fs::path db = path("future.sqlite");
        {
            Catalog c(db);
        }
        {
            sql::Connection raw(db, false);
            raw.exec("PRAGMA user_version=" + std::to_string(Catalog::schemaVersion() + 5));
            raw.exec("PRAGMA wal_checkpoint(TRUNCATE)");
        }
        const QByteArray before = fileHash(db);
        try {
            Catalog c(db);
            QFAIL("a newer catalog must be refused");
        } catch (const InputError& e) {
            QVERIFY2(QString::fromUtf8(e.what()).contains(QStringLiteral("newer")), e.what());
        }
        QCOMPARE(fileHash(db), before);
    }

    // A negative user_version (no version of the program writes one) is
    // refused, file untouched; it once indexed before the first migration.
    void refusesNegativeSchemaUntouched()
    {
        for (const std::int64_t v : {std::int64_t(-1), std::int64_t(-100), std::int64_t(INT32_MIN)}) {
            const std::string name = "negative" + std::to_string(-v) + ".sqlite";
            const fs::path db = path(name.c_str());
            {
                Catalog c(db);
            }
            {
                sql::Connection raw(db, false);
                raw.exec("PRAGMA user_version=" + std::to_string(v));
                raw.exec("PRAGMA wal_checkpoint(TRUNCATE)");
            }
            const QByteArray before = fileHash(db);
            try {
                Catalog c(db);
                QFAIL("a negative schema version must be refused");
            } catch (const InputError& e) {
                QVERIFY2(QString::fromUtf8(e.what()).contains(QStringLiteral("schema version %1").arg(v)), e.what());
                QVERIFY2(QString::fromUtf8(e.what()).contains(QStringLiteral("left untouched")), e.what());
            }
            QCOMPARE(fileHash(db), before);
        }
    }

    // SQLite's refusals reach the user in plain words naming the file; the
    // SQL goes to the error's detail only.
    void sqliteErrorsInTheUsersTerms()
    {
        const fs::path db = path("plain.sqlite");
        Catalog c(db);
        sql::Connection raw(db, false);
        raw.exec("PRAGMA query_only=1");
        try {
            raw.exec("CREATE TABLE scratch(x)");
            QFAIL("a write through a query-only connection must fail");
        } catch (const CatalogError& e) {
            const QString msg = QString::fromUtf8(e.what());
            QVERIFY2(msg.contains(QStringLiteral("cannot write to the catalog")) && msg.contains(QString::fromStdString(db.string())),
                     e.what());
            QVERIFY2(!msg.contains(QStringLiteral("CREATE")), e.what());
            QVERIFY(!e.detail().empty());
        }
    }

    // FIPS 180-4's examples, and a file hashed in pieces across the reader's
    // buffer boundary.
    void sha256KnownAnswers()
    {
        QCOMPARE(QString::fromStdString(sha256Hex("")),
                 QStringLiteral("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
        QCOMPARE(QString::fromStdString(sha256Hex("abc")),
                 QStringLiteral("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
        QCOMPARE(QString::fromStdString(sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")),
                 QStringLiteral("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"));
        std::string big;
        for (int i = 0; i < 3'000'001; ++i)
            big += static_cast<char>(i * 131 % 251);
        writeBytes(path("big.bin"), big);
        const QByteArray expect = QCryptographicHash::hash(QByteArray::fromStdString(big), QCryptographicHash::Sha256).toHex();
        QCOMPARE(QByteArray::fromStdString(sha256File(path("big.bin"))), expect);
        QCOMPARE(QByteArray::fromStdString(sha256Hex(big)), expect);
    }

    void refusesForeignFiles()
    {
        const fs::path other = path("other.sqlite");
        {
            sql::Connection raw(other, true);
            raw.exec("CREATE TABLE notes(x)");
        }
        const QByteArray before = fileHash(other);
        QVERIFY_THROWS_EXCEPTION(InputError, Catalog{other});
        QCOMPARE(fileHash(other), before);

        const fs::path text = path("text.sqlite");
        writeBytes(text, std::string(2000, 'x'));
        QVERIFY_THROWS_EXCEPTION(InputError, Catalog{text});
        QCOMPARE(fs::file_size(text), std::uintmax_t(2000));
    }

    void importFailuresLeaveNothing()
    {
        const fs::path db = path("import.sqlite");
        Catalog c(db);
        const fs::path good = path("good.txt");
        const fs::path bad = path("bad.txt");
        const fs::path empty = path("empty.txt");
        writeBytes(good, "first paragraph\n\nsecond paragraph\n\nthird\n");
        writeBytes(bad, "fine line\nbroken \xC3( here\n");
        writeBytes(empty, "");

        auto expectError = [&](std::vector<fs::path> paths, const QString& needle) {
            CorpusImportOptions opt;
            opt.name = "x";
            opt.paths = std::move(paths);
            try {
                importCorpus(c, opt);
                QFAIL("import should have failed");
            } catch (const InputError& e) {
                QVERIFY2(QString::fromUtf8(e.what()).contains(needle), e.what());
            }
            QVERIFY(!c.corpusByName("x"));
            QCOMPARE(filesUnder(c.artifactDir()), std::size_t(0));
        };
        expectError({good, bad}, QStringLiteral("bad.txt: invalid UTF-8 at byte offset 17 (line 2)"));
        expectError({empty}, QStringLiteral("empty.txt is empty"));
        const fs::path bomBad = path("bom.txt");
        writeBytes(bomBad, "\xEF\xBB\xBFok\n\xFF\n");
        expectError({bomBad}, QStringLiteral("bom.txt: invalid UTF-8 at byte offset 6 (line 2)"));
        expectError({path("missing.txt")}, QStringLiteral("missing.txt: no such file"));

        // Cancelling mid-way also leaves nothing.
        CorpusImportOptions opt;
        opt.name = "x";
        opt.paths = {good};
        QVERIFY_THROWS_EXCEPTION(Cancelled, importCorpus(c, opt, [](double f) { return f < 0.85; }));
        QVERIFY(!c.corpusByName("x"));
        QCOMPARE(filesUnder(c.artifactDir()), std::size_t(0));

        // And a good import writes its artifacts and the rows: text and
        // document index per split (one document each), the character
        // tokenizer and its three token caches.
        const auto rec = importCorpus(c, opt);
        QCOMPARE(rec.documents, 3);
        QCOMPARE(c.corpusArtifacts(rec.id).size(), std::size_t(6));
        QCOMPARE(c.tokenCaches(rec.id).size(), std::size_t(3));
        QCOMPARE(filesUnder(c.artifactDir()), std::size_t(10));
        std::string all;
        for (const char* s : {"train", "validation", "test"})
            all += readCorpusSplit(c, rec, s) + "|";
        for (const char* doc : {"first paragraph|", "second paragraph|", "third|"})
            QVERIFY2(all.find(doc) != std::string::npos, all.c_str());
        QVERIFY(c.checkIntegrity().empty());
        // A name that exists is refused before anything is read.
        QVERIFY_THROWS_EXCEPTION(InputError, importCorpus(c, opt));
    }
};

QTEST_GUILESS_MAIN(TestCatalog)
#include "test_catalog.moc"
