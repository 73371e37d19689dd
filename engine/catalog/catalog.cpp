// SPDX-License-Identifier: GPL-3.0-or-later
#include "catalog/catalog.h"

#include "catalog/catalog_rows.h"
#include "catalog/migrations.h"
#include "catalog/sqlite.h"
#include "core/containment.h"
#include "core/errors.h"
#include "core/sha256.h"

#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <unistd.h>
#include <thread>

namespace fs = std::filesystem;

namespace wb {

using catalog_rows::hostName;
using catalog_rows::processAlive;
using catalog_rows::readRun;

namespace {

#define WB_CORPUS_COLUMNS \
    "id, name, created_at, documents, bytes, chars, train_chars, validation_chars, split_seed, sources, vocab_size, report, test_chars, split, labels, stats, tokenizer_id, source_run "

CorpusRecord readCorpus(const sql::Statement& st)
{
    CorpusRecord c;
    c.id = st.int64(0);
    c.name = st.text(1);
    c.createdAt = st.text(2);
    c.documents = st.int64(3);
    c.bytes = st.int64(4);
    c.chars = st.int64(5);
    c.trainChars = st.int64(6);
    c.validationChars = st.int64(7);
    c.splitSeed = st.int64(8);
    c.sources = st.text(9);
    c.vocabSize = st.int64(10);
    c.report = st.text(11);
    c.testChars = st.int64(12);
    c.split = st.text(13);
    c.labels = st.text(14);
    c.stats = st.text(15);
    c.tokenizerId = st.optInt64(16);
    c.sourceRun = st.optInt64(17);
    return c;
}

#define WB_TOKENIZER_COLUMNS "id, name, kind, vocab_size, corpus_id, config, path, bytes, created_at "

TokenizerRecord readTokenizer(const sql::Statement& st)
{
    TokenizerRecord t;
    t.id = st.int64(0);
    t.name = st.text(1);
    t.kind = st.text(2);
    t.vocabSize = st.int64(3);
    t.corpusId = st.optInt64(4);
    t.config = st.text(5);
    t.path = st.text(6);
    t.bytes = st.int64(7);
    t.createdAt = st.text(8);
    return t;
}

} // namespace

namespace {

// Why SQLite could not read a catalog's header, in the user's terms.
std::string unreadableCatalogMessage(const fs::path& file, int code)
{
    const fs::path folder = file.has_parent_path() ? file.parent_path() : fs::path(".");
    if (code == SQLITE_READONLY || code == SQLITE_CANTOPEN || ::access(folder.c_str(), W_OK) != 0)
        return "cannot write to the folder " + folder.string() + " that holds the catalog " + file.string()
               + " (SQLite keeps its -wal and -shm files beside it); make the folder writable, or copy the catalog "
                 "to a writable folder and give the copy with --catalog";
    std::error_code ec;
    const auto size = fs::file_size(file, ec);
    std::string head(16, '\0');
    if (std::FILE* f = std::fopen(file.c_str(), "rb")) {
        head.resize(std::fread(head.data(), 1, head.size(), f));
        std::fclose(f);
    }
    if (head != std::string("SQLite format 3\0", 16))
        return "catalog " + file.string() + " is not an SQLite database";
    std::string msg = "the catalog " + file.string() + " is damaged";
    if (!ec)
        msg += " (truncated or overwritten: " + std::to_string(size) + " bytes)";
    // The newest backup a migration left beside it, if any.
    fs::path backup;
    for (const auto& e : fs::directory_iterator(folder, ec))
        if (e.path().filename().string().rfind(file.filename().string() + ".v", 0) == 0 && e.path().extension() == ".bak")
            if (backup.empty() || fs::last_write_time(e.path(), ec) > fs::last_write_time(backup, ec))
                backup = e.path();
    msg += backup.empty() ? "; it was left untouched" : "; a backup is at " + backup.string();
    return msg;
}

} // namespace

int Catalog::schemaVersion()
{
    return static_cast<int>(catalog::migrations().size());
}

Catalog::Catalog(const fs::path& file) : m_file(file)
{
    open(schemaVersion());
}

Catalog::Catalog(const fs::path& file, ReadOnly) : m_file(file)
{
    open(schemaVersion(), true);
}

Catalog::Catalog(const fs::path& file, IfExists) : m_file(file)
{
    std::error_code ec;
    if (fs::exists(m_file, ec) || ec) {
        open(schemaVersion());
        return;
    }
    m_db = std::make_unique<sql::Connection>(":memory:", true);
    migrate(0, schemaVersion());
}

Catalog::Catalog(const fs::path& file, int targetVersion) : m_file(file)
{
    open(targetVersion);
}

Catalog::~Catalog() = default;

void Catalog::open(int targetVersion, bool readOnly)
{
    {
        // SQLite's Unix file layer opens paths of up to 512 bytes (its
        // full path, the WAL's "-wal" suffix included) and says only
        // "unable to open database file" beyond that.
        std::error_code ec;
        const std::string full = fs::absolute(m_file, ec).string();
        if (full.size() + 4 > 512)
            throw InputError("catalog " + m_file.string() + ": its full path is " + std::to_string(full.size())
                             + " bytes long, and SQLite opens paths of at most 508 (512 with the journal's suffix); "
                               "keep the catalog in a folder with a shorter path");
    }
    if (readOnly) {
        if (!fs::exists(m_file))
            throw InputError("catalog " + m_file.string() + " does not exist");
        m_db = std::make_unique<sql::Connection>(m_file, false);
        if (m_db->pragmaInt("application_id") != catalog::kApplicationId || m_db->pragmaInt("user_version") != schemaVersion())
            throw InputError("catalog " + m_file.string() + " is not a catalog of this program's schema version");
        return;
    }
    std::error_code ec;
    if (m_file.has_parent_path())
        fs::create_directories(m_file.parent_path(), ec);
    const bool existed = fs::exists(m_file);
    if (existed && fs::is_directory(m_file))
        throw InputError("catalog " + m_file.string() + " is a directory, not a database file");
    m_db = std::make_unique<sql::Connection>(m_file, true);

    // Read the header without writing anything, so a file we refuse stays
    // byte-for-byte as it was.
    std::int64_t appId = 0, version = 0;
    try {
        appId = m_db->pragmaInt("application_id");
        version = m_db->pragmaInt("user_version");
    } catch (const RuntimeError&) {
        throw InputError(unreadableCatalogMessage(m_file, sqlite3_errcode(m_db->handle()) & 0xff));
    }
    if (appId != 0 && appId != catalog::kApplicationId)
        throw InputError("catalog " + m_file.string() + " is an SQLite database of another program "
                         "(application_id " + std::to_string(appId) + "); choose another file with --catalog");
    if (version < 0)
        // No version of this program writes a negative version; migrating
        // "from -1" would index before the first migration.
        throw InputError("catalog " + m_file.string() + " has schema version " + std::to_string(version)
                         + ", which LM Workbench never writes; it was left untouched");
    if (version > schemaVersion())
        throw InputError("catalog " + m_file.string() + " has schema version " + std::to_string(version)
                         + ", newer than this program knows (" + std::to_string(schemaVersion())
                         + "); it was left untouched: update LM Workbench to open it");
    if (appId == 0 && version == 0 && existed) {
        sql::Statement st = m_db->prepare("SELECT count(*) FROM sqlite_schema");
        if (st.step() && st.int64(0) > 0)
            throw InputError("catalog " + m_file.string() + " holds tables but is not an LM Workbench catalog");
    }

    setWalMode();
    m_db->exec("PRAGMA synchronous=NORMAL");
    if (version < targetVersion)
        migrate(static_cast<int>(version), targetVersion);
    if (targetVersion >= 2)
        markDeadRunsInterrupted();
    fs::create_directories(artifactDir(), ec);
}

void Catalog::markDeadRunsInterrupted()
{
    std::vector<std::int64_t> dead;
    {
        // Running, or created (or resumed) directly by a process that died
        // before it started training: queued outside the queue (no
        // position) with that process's pid.
        sql::Statement st = m_db->prepare("SELECT id, pid FROM runs WHERE (status = ?1 OR (status = 'queued' AND queue_pos IS NULL "
                                          "AND pid IS NOT NULL)) AND host = ?2");
        st.bind(1, status::kRunning).bind(2, hostName());
        while (st.step())
            if (!processAlive(st.optInt64(1).value_or(0)))
                dead.push_back(st.int64(0));
    }
    for (auto id : dead) {
        sql::Statement st = m_db->prepare("UPDATE runs SET status = ?2, finished_at = " WB_NOW ", error = ?3 "
                                          "WHERE id = ?1 AND (status = 'running' OR (status = 'queued' AND queue_pos IS NULL))");
        st.bind(1, id).bind(2, status::kInterrupted)
            .bind(3, "the process training this run ended unexpectedly; its last checkpoint and metrics are kept")
            .run();
    }
}

void Catalog::setWalMode()
{
    // Switching a new file to WAL needs an exclusive lock, and SQLite returns
    // SQLITE_BUSY at once instead of calling the busy handler when waiting
    // could deadlock. Two processes opening a new catalog at the same moment
    // meet here: the loser waits and retries (up to the busy timeout).
    for (int attempt = 0;; ++attempt) {
        try {
            m_db->exec("PRAGMA journal_mode=WAL");
            return;
        } catch (const RuntimeError&) {
            const int code = sqlite3_errcode(m_db->handle()) & 0xff;
            if ((code != SQLITE_BUSY && code != SQLITE_LOCKED) || attempt >= 400)
                throw;
            std::this_thread::sleep_for(std::chrono::milliseconds(25));
        }
    }
}

void Catalog::migrate(int from, int to)
{
    if (from > 0) {
        // Back up before upgrading: a consistent copy taken by SQLite itself.
        const fs::path backup = m_file.string() + ".v" + std::to_string(from) + ".bak";
        std::error_code ec;
        fs::remove(backup, ec);
        sql::Statement st = m_db->prepare("VACUUM INTO ?1");
        st.bind(1, backup.string()).run();
    }
    const auto steps = catalog::migrations();
    // One write transaction for all steps (BEGIN IMMEDIATE): of two processes
    // opening the same catalog, one migrates while the other waits here, then
    // reads the version again and finds nothing left to do.
    sql::Transaction tx(*m_db);
    const auto now = static_cast<int>(m_db->pragmaInt("user_version"));
    for (int v = std::max(now, 0); v < to; ++v) {
        m_db->exec(steps[static_cast<std::size_t>(v)]);
        // Pragmas take no parameters: the number is formatted in.
        m_db->exec("PRAGMA user_version=" + std::to_string(v + 1));
        m_db->exec("PRAGMA application_id=" + std::to_string(catalog::kApplicationId));
    }
    tx.commit();
}

int Catalog::userVersion()
{
    return static_cast<int>(m_db->pragmaInt("user_version"));
}

fs::path Catalog::artifactDir() const
{
    return m_file.parent_path() / (m_file.stem().string() + "-artifacts");
}

fs::path Catalog::artifactPath(const std::string& relative) const
{
    return containedPath(artifactDir(), relative);
}

bool Catalog::removeArtifactFile(const std::string& relative) const
{
    if (containmentProblem(artifactDir(), relative))
        return false;
    std::error_code ec;
    return fs::remove(artifactDir() / relative, ec) && !ec;
}

void Catalog::transaction(const std::function<void()>& fn)
{
    sql::Transaction tx(*m_db);
    fn();
    tx.commit();
}

std::int64_t Catalog::addCorpus(const CorpusRecord& c, const std::vector<ArtifactRecord>& artifacts)
{
    std::int64_t id = 0;
    transaction([&] {
        {
            sql::Statement dup = m_db->prepare("SELECT 1 FROM corpora WHERE name = ?1");
            if (dup.bind(1, c.name).step())
                throw InputError("a corpus named '" + c.name + "' already exists in the catalog");
        }
        sql::Statement st = m_db->prepare(
            "INSERT INTO corpora (name, created_at, documents, bytes, chars, train_chars, validation_chars, "
            "split_seed, sources, vocab_size, report, test_chars, split, labels, stats) "
            "VALUES (?1, " WB_NOW ", ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)");
        st.bind(1, c.name).bind(2, c.documents).bind(3, c.bytes).bind(4, c.chars).bind(5, c.trainChars)
            .bind(6, c.validationChars).bind(7, c.splitSeed).bind(8, c.sources).bind(9, c.vocabSize)
            .bind(10, c.report).bind(11, c.testChars).bind(12, c.split).bind(13, c.labels).bind(14, c.stats).run();
        id = m_db->lastInsertId();
        for (ArtifactRecord a : artifacts) {
            a.corpusId = id;
            addArtifact(a);
        }
    });
    return id;
}

std::optional<CorpusRecord> Catalog::corpusByName(const std::string& name)
{
    sql::Statement st = m_db->prepare("SELECT " WB_CORPUS_COLUMNS "FROM corpora WHERE name = ?1");
    if (st.bind(1, name).step())
        return readCorpus(st);
    return std::nullopt;
}

std::optional<CorpusRecord> Catalog::corpusById(std::int64_t id)
{
    sql::Statement st = m_db->prepare("SELECT " WB_CORPUS_COLUMNS "FROM corpora WHERE id = ?1");
    if (st.bind(1, id).step())
        return readCorpus(st);
    return std::nullopt;
}

std::vector<CorpusRecord> Catalog::corpora()
{
    std::vector<CorpusRecord> out;
    sql::Statement st = m_db->prepare("SELECT " WB_CORPUS_COLUMNS "FROM corpora ORDER BY name");
    while (st.step())
        out.push_back(readCorpus(st));
    return out;
}

std::vector<std::string> Catalog::removeCorpus(const std::string& name)
{
    std::vector<std::string> files;
    transaction([&] {
        const auto c = corpusByName(name);
        if (!c)
            throw InputError("no corpus named '" + name + "' in the catalog");
        {
            sql::Statement st = m_db->prepare("SELECT count(*) FROM runs WHERE corpus_id = ?1");
            st.bind(1, c->id).step();
            if (const auto n = st.int64(0); n > 0)
                throw InputError("corpus '" + name + "' is used by " + std::to_string(n)
                                 + (n == 1 ? " run" : " runs") + "; its runs keep it in the catalog");
        }
        sql::Statement paths = m_db->prepare(
            "SELECT path FROM artifacts WHERE corpus_id = ?1 UNION ALL SELECT path FROM token_caches WHERE corpus_id = ?1");
        paths.bind(1, c->id);
        while (paths.step())
            files.push_back(paths.text(0));
        // Its character tokenizer goes too unless a run (on another corpus)
        // uses it; then it stays under a name that frees the corpus's.
        if (c->tokenizerId) {
            m_db->prepare("UPDATE corpora SET tokenizer_id = NULL WHERE id = ?1").bind(1, c->id).run();
            sql::Statement used = m_db->prepare("SELECT count(*) FROM runs WHERE tokenizer_id = ?1");
            used.bind(1, *c->tokenizerId).step();
            if (used.int64(0) == 0) {
                if (auto t = tokenizerById(*c->tokenizerId))
                    files.push_back(t->path);
                m_db->prepare("DELETE FROM token_caches WHERE tokenizer_id = ?1").bind(1, *c->tokenizerId).run();
                m_db->prepare("DELETE FROM tokenizers WHERE id = ?1").bind(1, *c->tokenizerId).run();
            } else {
                m_db->prepare("UPDATE tokenizers SET name = name || ' (corpus ' || ?2 || ' removed)' WHERE id = ?1")
                    .bind(1, *c->tokenizerId).bind(2, c->id).run();
            }
        }
        m_db->prepare("DELETE FROM token_caches WHERE corpus_id = ?1").bind(1, c->id).run();
        m_db->prepare("DELETE FROM artifacts WHERE corpus_id = ?1").bind(1, c->id).run();
        m_db->prepare("DELETE FROM corpora WHERE id = ?1").bind(1, c->id).run();
    });
    return files;
}

void Catalog::setCorpusSourceRun(std::int64_t corpusId, std::int64_t runId)
{
    m_db->prepare("UPDATE corpora SET source_run = ?2 WHERE id = ?1").bind(1, corpusId).bind(2, runId).run();
}

void Catalog::setCorpusTokenizer(std::int64_t corpusId, std::int64_t tokenizerId)
{
    m_db->prepare("UPDATE corpora SET tokenizer_id = ?2 WHERE id = ?1").bind(1, corpusId).bind(2, tokenizerId).run();
}

std::int64_t Catalog::addTokenizer(const TokenizerRecord& t)
{
    std::int64_t id = 0;
    transaction([&] {
        if (tokenizerByName(t.name))
            throw InputError("a tokenizer named '" + t.name + "' already exists in the catalog");
        sql::Statement st = m_db->prepare(
            "INSERT INTO tokenizers (name, kind, vocab_size, corpus_id, config, path, bytes, created_at) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, " WB_NOW ")");
        st.bind(1, t.name).bind(2, t.kind).bind(3, t.vocabSize).bind(4, t.corpusId).bind(5, t.config)
            .bind(6, t.path).bind(7, t.bytes).run();
        id = m_db->lastInsertId();
    });
    return id;
}

std::optional<TokenizerRecord> Catalog::tokenizerByName(const std::string& name)
{
    sql::Statement st = m_db->prepare("SELECT " WB_TOKENIZER_COLUMNS "FROM tokenizers WHERE name = ?1");
    if (st.bind(1, name).step())
        return readTokenizer(st);
    return std::nullopt;
}

std::optional<TokenizerRecord> Catalog::tokenizerById(std::int64_t id)
{
    sql::Statement st = m_db->prepare("SELECT " WB_TOKENIZER_COLUMNS "FROM tokenizers WHERE id = ?1");
    if (st.bind(1, id).step())
        return readTokenizer(st);
    return std::nullopt;
}

std::vector<TokenizerRecord> Catalog::tokenizers()
{
    std::vector<TokenizerRecord> out;
    sql::Statement st = m_db->prepare("SELECT " WB_TOKENIZER_COLUMNS "FROM tokenizers ORDER BY name");
    while (st.step())
        out.push_back(readTokenizer(st));
    return out;
}

std::int64_t Catalog::createRun(const RunRecord& r)
{
    sql::Statement st = m_db->prepare(
        "INSERT INTO runs (corpus_id, arch, config, status, device, seed, created_at, parent_run, code_version, "
        "tokenizer_id, queue_pos, sweep_id, teacher_run, pid, host) VALUES (?1, ?2, ?3, ?4, ?5, ?6, " WB_NOW
        ", ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)");
    // A run made to train here and now (not placed in the queue) carries
    // this process's pid from the start: if the process dies before the run
    // starts, the next open finds it interrupted, not queued for ever.
    const bool direct = !r.queuePos;
    st.bind(1, r.corpusId).bind(2, r.arch).bind(3, r.config)
        .bind(4, r.status)
        .bind(5, r.device).bind(6, r.seed).bind(7, r.parentRun).bind(8, r.codeVersion)
        .bind(9, r.tokenizerId).bind(10, r.queuePos).bind(11, r.sweepId).bind(12, r.teacherRun)
        .bind(13, direct ? std::optional<std::int64_t>(::getpid()) : std::nullopt)
        .bind(14, direct ? std::optional<std::string>(hostName()) : std::nullopt).run();
    return m_db->lastInsertId();
}

void Catalog::resumeRun(std::int64_t runId, const std::string& config)
{
    // Resumed directly, outside the queue: no queue runner may take it too.
    m_db->prepare("UPDATE runs SET status = ?2, config = ?3, finished_at = NULL, error = NULL, queue_pos = NULL, "
                  "control = NULL, pid = ?4, host = ?5 WHERE id = ?1")
        .bind(1, runId).bind(2, status::kQueued).bind(3, config).bind(4, static_cast<std::int64_t>(::getpid()))
        .bind(5, hostName()).run();
}

void Catalog::setRunTaskReport(std::int64_t runId, const std::string& json)
{
    m_db->prepare("UPDATE runs SET task_report = ?2 WHERE id = ?1").bind(1, runId).bind(2, json).run();
}

void Catalog::setRunSizes(std::int64_t runId, std::int64_t trainableParams, std::optional<std::int64_t> storedBytes)
{
    m_db->prepare("UPDATE runs SET trainable_params = ?2, stored_bytes = COALESCE(?3, stored_bytes) WHERE id = ?1")
        .bind(1, runId).bind(2, trainableParams).bind(3, storedBytes).run();
}

void Catalog::setMeasurement(std::int64_t runId, std::int64_t step, const std::string& json)
{
    m_db->prepare("INSERT OR REPLACE INTO measurements (run_id, step, measured_at, report) "
                  "VALUES (?1, ?2, " WB_NOW ", ?3)")
        .bind(1, runId).bind(2, step).bind(3, json).run();
}

std::optional<std::pair<std::int64_t, std::string>> Catalog::measurement(std::int64_t runId)
{
    sql::Statement st = m_db->prepare("SELECT step, report FROM measurements WHERE run_id = ?1");
    st.bind(1, runId);
    if (!st.step())
        return std::nullopt;
    return std::make_pair(st.int64(0), st.text(1));
}

std::vector<std::int64_t> Catalog::studentRuns(std::int64_t runId)
{
    sql::Statement st = m_db->prepare("SELECT id FROM runs WHERE teacher_run = ?1 ORDER BY id");
    st.bind(1, runId);
    std::vector<std::int64_t> out;
    while (st.step())
        out.push_back(st.int64(0));
    return out;
}

std::vector<std::string> Catalog::deleteRuns(const std::vector<std::int64_t>& runIds)
{
    std::vector<std::string> files;
    transaction([&] {
        for (const auto id : runIds) {
            sql::Statement st = m_db->prepare("SELECT path FROM artifacts WHERE run_id = ?1");
            st.bind(1, id);
            while (st.step())
                files.push_back(st.text(0));
        }
        // Children first (the ids come parents first): parent_run and
        // teacher_run refer back without ON DELETE.
        for (auto it = runIds.rbegin(); it != runIds.rend(); ++it) {
            m_db->prepare("UPDATE corpora SET source_run = NULL WHERE source_run = ?1").bind(1, *it).run();
            m_db->prepare("DELETE FROM runs WHERE id = ?1").bind(1, *it).run();
        }
    });
    return files;
}

std::vector<RunRecord> Catalog::childRuns(std::int64_t runId)
{
    sql::Statement st = m_db->prepare("SELECT " WB_RUN_COLUMNS "FROM runs r JOIN corpora c ON c.id = r.corpus_id "
                                      "WHERE r.parent_run = ?1 ORDER BY r.id");
    st.bind(1, runId);
    std::vector<RunRecord> out;
    while (st.step())
        out.push_back(readRun(st));
    return out;
}

void Catalog::markRunStarted(std::int64_t runId, std::int64_t params)
{
    sql::Statement st = m_db->prepare("UPDATE runs SET status = ?2, started_at = " WB_NOW
                                      ", params = ?3, pid = ?4, host = ?5 WHERE id = ?1");
    st.bind(1, runId).bind(2, status::kRunning).bind(3, params).bind(4, static_cast<std::int64_t>(::getpid()))
        .bind(5, hostName()).run();
}

void Catalog::finishRun(std::int64_t runId, RunStatus runStatus, const std::optional<std::string>& error)
{
    sql::Statement st = m_db->prepare("UPDATE runs SET status = ?2, finished_at = " WB_NOW ", error = ?3 WHERE id = ?1");
    st.bind(1, runId).bind(2, runStatus).bind(3, error).run();
}

std::optional<RunRecord> Catalog::run(std::int64_t runId)
{
    sql::Statement st = m_db->prepare("SELECT " WB_RUN_COLUMNS
                                      "FROM runs r JOIN corpora c ON c.id = r.corpus_id WHERE r.id = ?1");
    if (st.bind(1, runId).step())
        return readRun(st);
    return std::nullopt;
}

std::vector<RunRecord> Catalog::runs()
{
    std::vector<RunRecord> out;
    sql::Statement st = m_db->prepare("SELECT " WB_RUN_COLUMNS
                                      "FROM runs r JOIN corpora c ON c.id = r.corpus_id ORDER BY r.id DESC");
    while (st.step())
        out.push_back(readRun(st));
    return out;
}

void Catalog::appendMetrics(std::int64_t runId, const std::vector<MetricPoint>& points)
{
    if (points.empty())
        return;
    transaction([&] {
        sql::Statement st = m_db->prepare(
            "INSERT OR REPLACE INTO metrics (run_id, name, step, value, wall_time) VALUES (?1, ?2, ?3, ?4, ?5)");
        for (const auto& p : points) {
            st.bind(1, runId).bind(2, p.name).bind(3, p.step).bind(4, p.value).bind(5, p.wallTime);
            st.run();
        }
    });
}

std::vector<MetricPoint> Catalog::metrics(std::int64_t runId, const std::string& name)
{
    std::vector<MetricPoint> out;
    sql::Statement st = m_db->prepare("SELECT step, name, value, wall_time FROM metrics WHERE run_id = ?1 "
                                      "AND (?2 IS NULL OR name = ?2) ORDER BY name, step");
    st.bind(1, runId).bind(2, name.empty() ? std::nullopt : std::optional<std::string>(name));
    while (st.step())
        out.push_back({st.int64(0), st.text(1), st.real(2), st.real(3)});
    return out;
}

std::int64_t Catalog::lastStep(std::int64_t runId, const std::string& name)
{
    sql::Statement st = m_db->prepare("SELECT COALESCE(MAX(step), 0) FROM metrics WHERE run_id = ?1 AND name = ?2");
    st.bind(1, runId).bind(2, name).step();
    return st.int64(0);
}

void Catalog::addSample(std::int64_t runId, const SampleRecord& s)
{
    sql::Statement st = m_db->prepare(
        "INSERT OR REPLACE INTO samples (run_id, step, prompt, text) VALUES (?1, ?2, ?3, ?4)");
    st.bind(1, runId).bind(2, s.step).bind(3, s.prompt).bind(4, s.text).run();
}

std::vector<SampleRecord> Catalog::samples(std::int64_t runId)
{
    std::vector<SampleRecord> out;
    sql::Statement st = m_db->prepare("SELECT step, prompt, text FROM samples WHERE run_id = ?1 ORDER BY step");
    st.bind(1, runId);
    while (st.step())
        out.push_back({st.int64(0), st.text(1), st.text(2)});
    return out;
}


} // namespace wb
