// SPDX-License-Identifier: GPL-3.0-or-later
// Containment: a catalog received from someone else (rows edited with the
// SQLite API, links planted in its artifact folder) never makes a command
// read, rename or delete a file outside the catalog's artifact folder.
// Names are names; orphans are told from files in use; runs delete.
// Each hostile catalog below is made the way an attacker would: with
// SQLite, not through the program.
#include "catalog/catalog.h"
#include "catalog/sqlite.h"
#include "core/containment.h"
#include "core/errors.h"
#include "core/files.h"
#include "core/names.h"
#include "core/sha256.h"
#include "jobs/training_job.h"
#include "services/compress.h"
#include "services/corpus_service.h"
#include "services/generate.h"
#include "services/run_model.h"
#include "services/run_service.h"
#include "trainer_fixture.h"

#include <QTemporaryDir>
#include <QtTest>

#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>

using namespace wb;
namespace fs = std::filesystem;

namespace {

void writeBytes(const fs::path& p, const std::string& bytes)
{
    fs::create_directories(p.parent_path());
    std::ofstream out(p, std::ios::binary);
    out << bytes;
}

// Every file under `dir` (links not followed) with its size and SHA-256:
// equal before and after means nothing there was touched.
std::map<std::string, std::string> listing(const fs::path& dir)
{
    std::map<std::string, std::string> out;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        const std::string rel = it->path().lexically_relative(dir).string();
        if (it->is_symlink())
            out[rel] = "link -> " + fs::read_symlink(it->path()).string();
        else if (it->is_regular_file())
            out[rel] = std::to_string(fs::file_size(it->path())) + " " + sha256File(it->path());
        else
            out[rel] = "dir";
    }
    return out;
}

// A process id that no process has now: a child that has exited.
std::int64_t deadPid()
{
    const pid_t pid = ::fork();
    if (pid == 0)
        ::_exit(0);
    int status = 0;
    ::waitpid(pid, &status, 0);
    return pid;
}

void setOld(const fs::path& p)
{
    fs::last_write_time(p, fs::file_time_type::clock::now() - std::chrono::hours(2));
}

// The artifact rows' and token caches' paths of a catalog, rewritten.
// A row (named by its table and its path as written) made to name `path`.
void setPath(const fs::path& catalog, const std::string& table, const std::string& old, const std::string& path)
{
    sql::Connection raw(catalog, false);
    try {
        raw.prepare("UPDATE " + table + " SET path = ?1 WHERE path = ?2").bind(1, path).bind(2, old).run();
    } catch (const CatalogError&) { // another row names that path already (artifacts.path is unique)
    }
}

std::vector<std::pair<std::string, std::string>> pathRows(const fs::path& catalog)
{
    sql::Connection raw(catalog, false);
    std::vector<std::pair<std::string, std::string>> rows;
    for (const char* table : {"artifacts", "token_caches", "tokenizers"}) {
        auto st = raw.prepare(std::string("SELECT path FROM ") + table + " ORDER BY path");
        while (st.step())
            rows.emplace_back(table, st.text(0));
    }
    return rows;
}

std::string corpusFolder(Catalog& c)
{
    const auto corpus = c.corpusByName("small");
    return fs::path(c.corpusArtifacts(corpus->id).front().path).parent_path().string();
}

} // namespace

class TestContainment : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_tmp;
    fs::path root() const { return fs::path(m_tmp.path().toStdString()); }
    fs::path m_base;    // a catalog with the corpus "small" and one trained run
    fs::path m_outside; // files that must never change

    // A fresh copy of the base catalog in `dir` (its artifact folder too).
    fs::path copyBase(const fs::path& dir)
    {
        fs::remove_all(dir);
        fs::create_directories(dir);
        fs::copy_file(m_base, dir / "catalog.sqlite");
        fs::copy(m_base.parent_path() / "catalog-artifacts", dir / "catalog-artifacts", fs::copy_options::recursive);
        return dir / "catalog.sqlite";
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        m_base = root() / "base" / "catalog.sqlite";
        fs::create_directories(m_base.parent_path());
        test::catalogWithSmall(m_base);
        QCOMPARE(test::trainToEnd(m_base, test::nanoConfig(12, 1)).status, RunStatus::Finished);
        m_outside = root() / "outside";
        writeBytes(m_outside / "victim.txt", "the user's own file\n");
        writeBytes(m_outside / "victim.pt", "not a checkpoint");
        // The names a corpus folder holds: a corpus folder replaced by a
        // link to here must not lose them.
        Catalog c(m_base);
        for (const auto& a : c.corpusArtifacts(c.corpusByName("small")->id))
            writeBytes(m_outside / "mirror" / fs::path(a.path).filename(), "mirror of " + a.path);
        writeBytes(m_outside / "mirror" / "tokens-char-train.bin", "mirror");
        writeBytes(m_outside / "mirror" / "tokenizer.json", "mirror");
    }

    void pathsOutsideAreRefused()
    {
        const fs::path dir = root() / "unit";
        fs::create_directories(dir / "inside");
        writeBytes(dir / "inside" / "ok.bin", "x");
        QVERIFY(!containmentProblem(dir, "inside/ok.bin"));
        QVERIFY(!containmentProblem(dir, "inside/not-yet/written.bin"));
        for (const std::string bad : std::vector<std::string>{"../x", "inside/../../x", "/etc/passwd", "", "a\nb", std::string(5000, 'a')})
            QVERIFY2(containmentProblem(dir, bad).has_value(), bad.c_str());
        fs::create_directory_symlink(m_outside, dir / "inside" / "link");
        QVERIFY(containmentProblem(dir, "inside/link/victim.txt").has_value());
        QVERIFY(containmentProblem(dir, "inside/link").has_value());
        fs::create_symlink(m_outside / "victim.txt", dir / "inside" / "file-link");
        QVERIFY(containmentProblem(dir, "inside/file-link").has_value());
        fs::create_symlink("ok.bin", dir / "inside" / "inner-link"); // a link that stays inside is fine
        QVERIFY(!containmentProblem(dir, "inside/inner-link"));
        QVERIFY_THROWS_EXCEPTION(OutsideCatalogError, containedPath(dir, "../x"));
        // A folder whose name starts like the root's is not inside it.
        fs::create_directories(root() / "unit2");
        QVERIFY(containmentProblem(dir, "../unit2/x").has_value());
    }

    void namesAreNames()
    {
        for (const std::string bad : std::vector<std::string>{"", " ", "\t", "../../../../victim", "a/b", "a\\b", "..", ".", "a..b", "x\x01", "c:d",
                                      " lead", "trail ", std::string(101, 'n'), "\xff\xfe"})
            QVERIFY2(nameProblem(bad).has_value(), bad.c_str());
        for (const std::string good : std::vector<std::string>{"fortunes", "my corpus", "news-2024_v1.2", "Größe", "a#1"})
            QVERIFY2(!nameProblem(good).has_value(), good.c_str());
        try {
            checkName("corpus name", "a/b");
            QFAIL("a/b accepted");
        } catch (const InputError& e) {
            QVERIFY(std::string(e.what()).find("corpus name 'a/b'") != std::string::npos);
        }
    }

    // generate-corpus --name "../../../../victim" wrote and deleted a file
    // outside the catalog; "a/b" left a stray folder; " " was accepted.
    void generatedCorpusNamesAreChecked()
    {
        const auto cat = copyBase(root() / "gen");
        const auto before = listing(m_outside);
        const auto artifactsBefore = listing(cat.parent_path() / "catalog-artifacts");
        Catalog c(cat);
        for (const std::string bad : std::vector<std::string>{"../../../../victim", "a/b", " "}) {
            GenerateCorpusOptions opt;
            opt.name = bad;
            opt.documents = 2;
            opt.maxTokens = 5;
            QVERIFY_THROWS_EXCEPTION(InputError, generateCorpus(c, 1, opt));
        }
        QCOMPARE(listing(m_outside), before);
        QCOMPARE(listing(cat.parent_path() / "catalog-artifacts"), artifactsBefore);
        QVERIFY(!fs::exists(root() / "victim.jsonl.tmp"));
        // A good name works, and its file is named by the run, not the name.
        GenerateCorpusOptions opt;
        opt.name = "sampled";
        opt.documents = 2;
        opt.maxTokens = 5;
        const auto made = generateCorpus(c, 1, opt);
        QCOMPARE(QString::fromStdString(made.corpus.name), QStringLiteral("sampled"));
        const auto report = c.check(false);
        QVERIFY(report.ok());
        QVERIFY(report.orphans.empty());
    }

    void checkReportsRowsOutsideAndRepairOnlyDropsThem()
    {
        const auto cat = copyBase(root() / "rows");
        const auto before = listing(m_outside);
        const auto rows = pathRows(cat);
        setPath(cat, "artifacts", rows[0].second, "../../outside/victim.txt");
        setPath(cat, "artifacts", rows[1].second, (m_outside / "victim.pt").string());
        for (const auto& [table, id] : rows)
            if (table == "token_caches") {
                setPath(cat, table, id, "corpora/../../../outside/victim.txt");
                break;
            }
        {
            Catalog c(cat);
            const auto r = c.check(false);
            QVERIFY(!r.ok());
            int outside = 0;
            for (const auto& d : r.damaged)
                outside += d.outside;
            QCOMPARE(outside, 3);
            QVERIFY(!c.checkIntegrity().empty());
        }
        QCOMPARE(listing(m_outside), before);
        {
            Catalog c(cat);
            const auto r = c.check(true);
            QVERIFY(r.repaired);
            for (const auto& d : r.damaged)
                if (d.outside)
                    QVERIFY(d.movedTo.empty());
        }
        QCOMPARE(listing(m_outside), before);
        QVERIFY(!fs::exists(m_outside / "victim.txt.damaged"));
        Catalog c(cat);
        for (const auto& d : c.check(false).damaged)
            QVERIFY2(!d.outside, d.artifact.path.c_str());
    }

    // corpus remove printed "removed corpus c3 (10 files)" and deleted two
    // files outside; a corpus folder replaced by a link lost the link's
    // target's files.
    void corpusRemoveStaysInside()
    {
        const auto cat = copyBase(root() / "remove");
        const auto before = listing(m_outside);
        {
            Catalog c(cat);
            deleteRun(c, 1, true); // the corpus is free to go
        }
        const auto rows = pathRows(cat);
        setPath(cat, "artifacts", rows[0].second, "../../outside/victim.txt");
        setPath(cat, "artifacts", rows[1].second, (m_outside / "victim.pt").string());
        Catalog c(cat);
        removeCorpusWithFiles(c, "small");
        QCOMPARE(listing(m_outside), before);

        const auto cat2 = copyBase(root() / "remove-link");
        {
            Catalog c2(cat2);
            deleteRun(c2, 1, true);
            const fs::path folder = c2.artifactDir() / corpusFolder(c2);
            fs::remove_all(folder);
            fs::create_directory_symlink(m_outside / "mirror", folder);
            const auto r = c2.check(false);
            QVERIFY(!r.ok());
            QVERIFY(!r.outsideLinks.empty() || !r.damaged.empty());
            removeCorpusWithFiles(c2, "small");
        }
        QCOMPARE(listing(m_outside), before);
    }

    // resume on a run whose checkpoint row points outside renamed that file.
    void resumeNeverMovesAFileOutside()
    {
        const auto cat = copyBase(root() / "resume");
        const auto before = listing(m_outside);
        {
            sql::Connection raw(cat, false);
            raw.prepare("UPDATE artifacts SET path = ?1 WHERE kind = 'checkpoint'").bind(1, "../../outside/victim.pt").run();
        }
        try {
            TrainingJob job(cat, 1, 20, {});
        } catch (const InputError&) {
        }
        QCOMPARE(listing(m_outside), before);
        QVERIFY(!fs::exists(m_outside / "victim.pt.damaged"));
        Catalog c(cat);
        QVERIFY_THROWS_EXCEPTION(InputError, loadRunLm(c, 1));
    }

    void orphansAreListedAndInUseFilesAreNot()
    {
        const auto cat = copyBase(root() / "orphans");
        Catalog c(cat);
        const fs::path a = c.artifactDir();
        writeBytes(a / "runs" / "1" / ("checkpoint-9.pt.tmp-" + std::to_string(deadPid()) + "-17"), std::string(300, 'k'));
        const fs::path killedImport = a / "corpora" / ("123-456.tmp-" + std::to_string(deadPid()) + "-5");
        writeBytes(killedImport / "train.txt", std::string(1000, 't'));
        writeBytes(a / "stale.bin", "left over");
        setOld(a / "stale.bin");
        writeBytes(a / "runs" / "1" / ("checkpoint-10.pt.tmp-" + std::to_string(::getpid()) + "-3"), "live"); // this process
        const fs::path liveImport = a / "corpora" / ("9-9.tmp-" + std::to_string(::getpid()) + "-1");
        writeBytes(liveImport / "train.txt", "live import");
        writeBytes(a / "fresh.bin", "written a moment ago; its row is on its way");
        writeBytes(a / "runs" / "1" / "teacher-top4-ctx8-T2.ids", "a live run's top-k cache");
        setOld(a / "runs" / "1" / "teacher-top4-ctx8-T2.ids");

        auto r = c.check(false);
        std::map<std::string, std::int64_t> listed;
        for (const auto& o : r.orphans)
            listed[o.path] = o.bytes;
        QCOMPARE(listed.size(), std::size_t(3));
        QCOMPARE(listed.at("stale.bin"), std::int64_t(9));
        QCOMPARE(listed.at(killedImport.lexically_relative(a).string()), std::int64_t(1000));
        r = c.check(true);
        QCOMPARE(r.removedOrphans.size(), std::size_t(3));
        QVERIFY(!fs::exists(killedImport));
        QVERIFY(!fs::exists(a / "stale.bin"));
        QVERIFY(fs::exists(liveImport / "train.txt"));
        QVERIFY(fs::exists(a / "fresh.bin"));
        QVERIFY(fs::exists(a / "runs" / "1" / "teacher-top4-ctx8-T2.ids"));
        QVERIFY(c.check(false).ok());
    }

    void runsDeleteRemovesRowsAndFiles()
    {
        const auto cat = copyBase(root() / "delete");
        Catalog c(cat);
        // A child: a compressed variant of run 1.
        CompressRequest req;
        req.run = 1;
        req.method = "prune";
        req.sparsity = 0.5;
        const auto child = makeVariant(c, req);
        QVERIFY_THROWS_EXCEPTION(InputError, deleteRun(c, 1, false));
        QVERIFY(c.run(1) && c.run(child));
        const auto files1 = c.runArtifacts(1);
        QVERIFY(!files1.empty());
        const auto done = deleteRun(c, 1, true);
        QCOMPARE(done.runs.size(), std::size_t(2));
        QVERIFY(!c.run(1) && !c.run(child));
        for (const auto& f : files1)
            QVERIFY(!fs::exists(c.artifactDir() / f.path));
        QVERIFY(!fs::exists(c.artifactDir() / "runs" / "1"));
        QVERIFY(c.check(false).ok());
        QVERIFY(c.check(false).orphans.empty());
        QVERIFY_THROWS_EXCEPTION(InputError, deleteRun(c, 1, false));
    }

    // An input error found after the run row exists (here a token cache
    // damaged between the run's creation and its start) marks the run
    // refused, not failed, and `runs delete` removes it.
    void inputFailuresAfterTheRowAreRefused()
    {
        const auto cat = copyBase(root() / "refused");
        TrainingJob job(cat, test::nanoConfig(5, 2));
        {
            Catalog c(cat);
            for (const auto& t : c.tokenCaches(c.corpusByName("small")->id))
                if (t.split == "train")
                    writeBytes(c.artifactPath(t.path), "damaged");
        }
        job.start();
        job.wait();
        QCOMPARE(job.summary().status, RunStatus::Refused);
        Catalog c(cat);
        QCOMPARE(c.run(job.runId())->status, RunStatus::Refused);
        QVERIFY(c.run(job.runId())->error->find("damaged") != std::string::npos);
        deleteRun(c, job.runId(), false);
        QVERIFY(!c.run(job.runId()));
    }

    // A received catalog whose artifact folder is itself a link (to the
    // user's home, say): nothing through it is ever touched.
    void linkedArtifactFolderIsRefused()
    {
        const auto cat = copyBase(root() / "linked");
        const auto before = listing(m_outside);
        {
            sql::Connection raw(cat, false);
            raw.prepare("UPDATE artifacts SET path = 'victim.txt' WHERE id = (SELECT min(id) FROM artifacts WHERE corpus_id IS NOT NULL)").run();
            raw.prepare("UPDATE artifacts SET path = 'victim.pt' WHERE kind = 'checkpoint'").run();
        }
        const fs::path folder = cat.parent_path() / "catalog-artifacts";
        fs::remove_all(folder);
        fs::create_directory_symlink(m_outside, folder);
        Catalog c(cat);
        QVERIFY_THROWS_EXCEPTION(InputError, c.check(false));
        QVERIFY_THROWS_EXCEPTION(InputError, c.check(true));
        QVERIFY_THROWS_EXCEPTION(InputError, c.artifactPath("victim.txt"));
        try {
            TrainingJob job(cat, 1, 20, {});
        } catch (const InputError&) {
        }
        deleteRun(c, 1, true);
        removeCorpusWithFiles(c, "small");
        QCOMPARE(listing(m_outside), before);
    }

    // A row that names a folder (or the artifact folder itself) never gets
    // a folder moved aside or deleted.
    void rowsNamingFoldersMoveNothing()
    {
        const auto cat = copyBase(root() / "folders");
        {
            sql::Connection raw(cat, false);
            raw.prepare("UPDATE artifacts SET path = 'runs/1' WHERE kind = 'checkpoint'").run();
            raw.prepare("UPDATE artifacts SET path = '.' WHERE id = (SELECT min(id) FROM artifacts WHERE corpus_id IS NOT NULL)").run();
        }
        Catalog c(cat);
        const auto r = c.check(true);
        QVERIFY(r.repaired);
        QVERIFY(fs::is_directory(c.artifactDir() / "runs" / "1"));
        QVERIFY(!fs::exists(c.artifactDir() / "runs" / "1.damaged"));
        QVERIFY(fs::is_directory(c.artifactDir()));
    }

    // The fuzz-style census: random tampering, every command in the list,
    // and a checksum listing of a sibling folder that must not change.
    void randomHostileCatalogsTouchNothingOutside()
    {
        const int catalogs = qEnvironmentVariableIntValue("LMWB_CONTAINMENT_CATALOGS") > 0
                                 ? qEnvironmentVariableIntValue("LMWB_CONTAINMENT_CATALOGS")
                                 : 1000;
        const auto before = listing(m_outside);
        std::mt19937_64 rng(20261208);
        const fs::path work = root() / "fuzz";
        const auto baseRows = pathRows(copyBase(work / "probe"));
        std::vector<std::string> corpusFiles;
        {
            Catalog c(work / "probe" / "catalog.sqlite");
            for (const auto& a : c.corpusArtifacts(c.corpusByName("small")->id))
                corpusFiles.push_back(a.path);
        }
        auto hostile = [&](const fs::path& artifacts) {
            const std::string victim = (rng() % 2) ? "victim.txt" : "victim.pt";
            switch (rng() % 9) {
            case 0: return "../../outside/" + victim;
            case 1: return (m_outside / victim).string();
            case 2: return "runs/1/../../../outside/" + victim;
            case 3: return "corpora/" + std::string(600, 'x') + "/" + victim;
            case 4: return std::string("runs/1/\xff\xfe") + victim;
            case 5: return rng() % 2 ? std::string("//") + (m_outside / victim).string() : std::string(rng() % 2 ? "." : "runs/1");
            case 6: { // a link planted inside that leads out
                const std::string name = "planted-" + std::to_string(rng() % 1000);
                std::error_code ec;
                fs::create_directory_symlink(m_outside, artifacts / name, ec);
                return name + "/" + victim;
            }
            case 7: {
                const std::string name = "planted-file-" + std::to_string(rng() % 1000);
                std::error_code ec;
                fs::create_symlink(m_outside / victim, artifacts / name, ec);
                return name;
            }
            default: return std::string("./../outside/") + victim;
            }
        };
        for (int i = 0; i < catalogs; ++i) {
            const fs::path cat = copyBase(work / "c");
            const fs::path artifacts = cat.parent_path() / "catalog-artifacts";
            const auto rows = baseRows;
            const int tampered = 1 + static_cast<int>(rng() % 3);
            for (int t = 0; t < tampered; ++t) {
                const auto& [table, id] = rows[rng() % rows.size()];
                setPath(cat, table, id, hostile(artifacts));
            }
            if (rng() % 12 == 0) { // the whole artifact folder replaced by a link
                fs::remove_all(artifacts);
                fs::create_directory_symlink(m_outside, artifacts);
            } else if (rng() % 4 == 0) { // the corpus folder itself replaced by a link
                const fs::path folder = artifacts / fs::path(corpusFiles.front()).parent_path();
                fs::remove_all(folder);
                fs::create_directory_symlink(m_outside / "mirror", folder);
            }
            // The commands, in a random order; input errors are expected.
            std::vector<int> commands{0, 1, 2, 3, 4, 5, 6, 7};
            std::shuffle(commands.begin(), commands.end(), rng);
            for (int command : commands) {
                try {
                    Catalog c(cat);
                    switch (command) {
                    case 0: c.check(false); break;
                    case 1: c.check(true); break;
                    case 2: removeCorpusWithFiles(c, "small"); break;
                    case 3: deleteRun(c, 1, true); break;
                    case 4: { TrainingJob job(cat, 1, 20, {}); break; } // resume: prepares, verifies checkpoints
                    case 5: { GenerateOptions g; g.prompt = "a"; g.maxTokens = 3; generateFromRun(c, 1, g); break; }
                    case 6: if (i % 10 == 0) { CompressRequest q; q.run = 1; q.method = "prune"; makeVariant(c, q); } break;
                    case 7: { FinetuneRequest f; f.parent = 1; f.corpus = "small"; finetuneConfig(c, f); break; }
                    }
                } catch (const std::exception&) {
                }
            }
            const auto after = listing(m_outside);
            if (after != before)
                QFAIL(qPrintable(QStringLiteral("catalog %1 touched a file outside its folder").arg(i)));
        }
    }
};

QTEST_GUILESS_MAIN(TestContainment)
#include "test_containment.moc"
