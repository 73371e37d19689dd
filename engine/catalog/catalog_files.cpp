// SPDX-License-Identifier: GPL-3.0-or-later
// The catalog's files: artifact and token-cache rows (each with the SHA-256
// of its file), and Catalog::check: SQLite's integrity, every artifact file
// present and matching its SHA-256, files no row names.
#include "catalog/catalog.h"

#include "catalog/catalog_rows.h"
#include "catalog/sqlite.h"
#include "core/containment.h"
#include "core/errors.h"
#include "core/files.h"
#include "core/sha256.h"

#include <algorithm>
#include <chrono>
#include <set>

namespace fs = std::filesystem;

namespace wb {

using catalog_rows::readArtifact;

namespace {

std::string dependentOf(Catalog& catalog, const ArtifactRecord& a)
{
    if (a.runId) {
        std::string what = "run " + std::to_string(*a.runId);
        if (a.kind == "checkpoint" || a.kind == "checkpoint_best")
            what += " (" + std::string(a.kind == "checkpoint" ? "checkpoint" : "best checkpoint") + " for step "
                    + std::to_string(a.step.value_or(0)) + ")";
        else
            what += " (" + a.kind + ")";
        return what;
    }
    if (a.corpusId) {
        const auto c = catalog.corpusById(*a.corpusId);
        return "corpus '" + (c ? c->name : std::to_string(*a.corpusId)) + "' (" + a.kind + "): add it again";
    }
    return a.kind;
}

} // namespace

void Catalog::addTokenCache(TokenCacheRecord t)
{
    if (!t.sha256 && fs::is_regular_file(artifactPath(t.path)))
        t.sha256 = sha256File(artifactPath(t.path));
    sql::Statement st = m_db->prepare(
        "INSERT OR REPLACE INTO token_caches (tokenizer_id, corpus_id, split, path, tokens, bytes, chars, unk, sha256) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
    st.bind(1, t.tokenizerId).bind(2, t.corpusId).bind(3, t.split).bind(4, t.path).bind(5, t.tokens)
        .bind(6, t.bytes).bind(7, t.chars).bind(8, t.unk).bind(9, t.sha256).run();
}

void Catalog::removeTokenCache(const std::string& path)
{
    m_db->prepare("DELETE FROM token_caches WHERE path = ?1").bind(1, path).run();
}

std::vector<TokenCacheRecord> Catalog::tokenCaches(std::optional<std::int64_t> corpusId,
                                                   std::optional<std::int64_t> tokenizerId)
{
    std::vector<TokenCacheRecord> out;
    sql::Statement st = m_db->prepare(
        "SELECT tokenizer_id, corpus_id, split, path, tokens, bytes, chars, unk, sha256 FROM token_caches "
        "WHERE (?1 IS NULL OR corpus_id = ?1) AND (?2 IS NULL OR tokenizer_id = ?2) "
        "ORDER BY tokenizer_id, corpus_id, CASE split WHEN 'train' THEN 0 WHEN 'validation' THEN 1 ELSE 2 END");
    st.bind(1, corpusId).bind(2, tokenizerId);
    while (st.step()) {
        TokenCacheRecord t;
        t.tokenizerId = st.int64(0);
        t.corpusId = st.int64(1);
        t.split = st.text(2);
        t.path = st.text(3);
        t.tokens = st.int64(4);
        t.bytes = st.int64(5);
        t.chars = st.int64(6);
        t.unk = st.int64(7);
        t.sha256 = st.optText(8);
        out.push_back(t);
    }
    return out;
}

std::int64_t Catalog::addArtifact(ArtifactRecord a)
{
    // Every artifact file is hashed as it is recorded: loads verify it.
    if (!a.sha256 && fs::is_regular_file(artifactPath(a.path)))
        a.sha256 = sha256File(artifactPath(a.path));
    sql::Statement st = m_db->prepare(
        "INSERT INTO artifacts (run_id, corpus_id, kind, path, bytes, step, sha256, created_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, " WB_NOW ")");
    st.bind(1, a.runId).bind(2, a.corpusId).bind(3, a.kind).bind(4, a.path).bind(5, a.bytes).bind(6, a.step)
        .bind(7, a.sha256).run();
    return m_db->lastInsertId();
}

void Catalog::deleteArtifact(std::int64_t artifactId)
{
    m_db->prepare("DELETE FROM artifacts WHERE id = ?1").bind(1, artifactId).run();
}

void Catalog::truncateRunAfter(std::int64_t runId, std::int64_t step)
{
    transaction([&] {
        m_db->prepare("DELETE FROM metrics WHERE run_id = ?1 AND step > ?2").bind(1, runId).bind(2, step).run();
        m_db->prepare("DELETE FROM samples WHERE run_id = ?1 AND step > ?2").bind(1, runId).bind(2, step).run();
    });
}

namespace {

// The artifacts of one run or one corpus (`owner` names the column), of one
// kind or (kind empty) all, in the order they were added.
std::vector<ArtifactRecord> artifactsOf(sql::Connection& db, const char* owner, std::int64_t id, const std::string& kind)
{
    std::vector<ArtifactRecord> out;
    sql::Statement st = db.prepare(std::string("SELECT id, run_id, corpus_id, kind, path, bytes, step, sha256 FROM artifacts "
                                               "WHERE ") + owner + " = ?1 AND (?2 = '' OR kind = ?2) ORDER BY id");
    st.bind(1, id).bind(2, kind);
    while (st.step())
        out.push_back(readArtifact(st));
    return out;
}

} // namespace

std::vector<ArtifactRecord> Catalog::runArtifacts(std::int64_t runId, const std::string& kind)
{
    return artifactsOf(*m_db, "run_id", runId, kind);
}

std::vector<ArtifactRecord> Catalog::corpusArtifacts(std::int64_t corpusId, const std::string& kind)
{
    return artifactsOf(*m_db, "corpus_id", corpusId, kind);
}

std::optional<std::string> Catalog::artifactProblem(const ArtifactRecord& a) const
{
    const fs::path file = artifactPath(a.path);
    std::error_code ec;
    if (!fs::is_regular_file(file, ec))
        return "missing";
    if (!a.sha256)
        return std::nullopt; // written by an older version: nothing to compare with
    std::string digest;
    try {
        digest = sha256File(file);
    } catch (const std::exception&) {
        return std::string("unreadable");
    }
    if (digest == *a.sha256)
        return std::nullopt;
    const auto size = static_cast<std::int64_t>(fs::file_size(file, ec));
    if (!ec && size != a.bytes)
        return "checksum mismatch; " + std::to_string(size) + " bytes where " + std::to_string(a.bytes) + " were written";
    return std::string("checksum mismatch");
}

std::vector<std::string> Catalog::checkIntegrity()
{
    std::vector<std::string> problems;
    {
        sql::Statement st = m_db->prepare("PRAGMA integrity_check");
        while (st.step())
            if (st.text(0) != "ok")
                problems.push_back(st.text(0));
    }
    {
        sql::Statement st = m_db->prepare("PRAGMA foreign_key_check");
        while (st.step())
            problems.push_back("foreign key violation in " + st.text(0) + " row " + std::to_string(st.int64(1)));
    }
    {
        sql::Statement st = m_db->prepare(
            "SELECT path FROM artifacts UNION ALL SELECT path FROM tokenizers UNION ALL SELECT path FROM token_caches");
        while (st.step()) {
            if (const auto why = containmentProblem(artifactDir(), st.text(0)))
                problems.push_back("artifact row points outside the catalog (" + *why + "): " + st.text(0));
            else if (!fs::exists(artifactPath(st.text(0))))
                problems.push_back("artifact file missing: " + st.text(0));
        }
    }
    {
        sql::Statement st = m_db->prepare(
            "SELECT id, run_id, corpus_id, kind, path, bytes, step, sha256 FROM artifacts WHERE sha256 IS NOT NULL ORDER BY id");
        while (st.step()) {
            const ArtifactRecord a = readArtifact(st);
            if (!containmentProblem(artifactDir(), a.path) && fs::exists(artifactPath(a.path)))
                if (const auto p = artifactProblem(a))
                    problems.push_back("artifact damaged (" + *p + "): " + a.path);
        }
    }
    return problems;
}

namespace {

// A file beside the rows that nothing names but that is not an orphan: the
// teacher's top-k cache of a distillation run (runs/ID/teacher-top*), kept
// for the run's resume while the run exists.
bool runCache(Catalog& catalog, const std::string& rel)
{
    const fs::path p(rel);
    auto it = p.begin();
    if (it == p.end() || *it != "runs" || ++it == p.end())
        return false;
    const std::string id = it->string();
    if (id.empty() || id.size() > 18 || id.find_first_not_of("0123456789") != std::string::npos || ++it == p.end())
        return false;
    return it->string().rfind("teacher-top", 0) == 0 && catalog.run(std::stoll(id)).has_value();
}

} // namespace

Catalog::CheckReport Catalog::check(bool repair, const std::function<void(double)>& progress)
{
    CheckReport r;
    {
        sql::Statement st = m_db->prepare("PRAGMA integrity_check");
        while (st.step())
            if (st.text(0) != "ok")
                r.database.push_back(st.text(0));
    }
    {
        sql::Statement st = m_db->prepare("PRAGMA foreign_key_check");
        while (st.step())
            r.database.push_back("foreign key violation in " + st.text(0) + " row " + std::to_string(st.int64(1)));
    }
    const fs::path root = artifactDir();
    {
        std::error_code lc;
        if (fs::is_symlink(root, lc))
            throw InputError("the artifact folder " + root.string() + " of the catalog " + m_file.string() + " is a symbolic link (to "
                             + fs::read_symlink(root, lc).string() + "); LM Workbench never follows it, so nothing was checked "
                             "or changed. Replace the link by the folder itself (move the whole catalog to the other disk and "
                             "give --catalog)");
    }
    // Rows that point outside the artifact folder (a catalog someone handed
    // over, or edited): reported, and with --repair their rows dropped;
    // the file they name is never read, hashed, renamed or deleted.
    auto outside = [&](const ArtifactRecord& a, const std::string& dependent) {
        if (const auto why = containmentProblem(root, a.path)) {
            r.damaged.push_back({a, "points outside the catalog: " + *why, dependent, "", true});
            return true;
        }
        return false;
    };
    std::vector<ArtifactRecord> all;
    {
        sql::Statement st = m_db->prepare("SELECT id, run_id, corpus_id, kind, path, bytes, step, sha256 FROM artifacts ORDER BY id");
        while (st.step())
            all.push_back(readArtifact(st));
    }
    // Catalog tokenizers carry no checksum: present is all that can be
    // checked. Token caches are verified like artifacts (id 0 marks them).
    {
        std::vector<std::pair<std::int64_t, std::string>> toks;
        {
            sql::Statement st = m_db->prepare("SELECT id, path FROM tokenizers");
            while (st.step())
                toks.emplace_back(st.int64(0), st.text(1));
        }
        for (const auto& [id, path] : toks) {
            const ArtifactRecord a{0, std::nullopt, std::nullopt, "tokenizer", path, 0, std::nullopt, std::nullopt};
            if (outside(a, "tokenizer " + std::to_string(id) + " (runs that use it cannot load it; the row is kept)"))
                continue;
            if (!fs::exists(artifactPath(path)))
                r.damaged.push_back({a, "missing", "a tokenizer named in the catalog: train it again", ""});
        }
    }
    for (const auto& c : tokenCaches(std::nullopt, std::nullopt)) {
        ArtifactRecord a{0, std::nullopt, c.corpusId, "token_cache", c.path, 0, std::nullopt, c.sha256};
        const auto corpus = corpusById(c.corpusId);
        const std::string dependent = "the " + c.split + " token cache of corpus '" + (corpus ? corpus->name : "?")
                                      + "' (the next run encodes the corpus again)";
        if (outside(a, dependent))
            continue;
        std::error_code ec;
        const auto size = fs::file_size(artifactPath(c.path), ec);
        a.bytes = ec ? 0 : static_cast<std::int64_t>(size);
        if (const auto problem = artifactProblem(a))
            r.damaged.push_back({a, *problem, dependent, ""});
    }
    std::int64_t total = 0;
    for (const auto& a : all)
        total += a.bytes;
    for (const auto& a : all) {
        ++r.artifactsChecked;
        if (outside(a, dependentOf(*this, a)))
            continue;
        if (const auto problem = artifactProblem(a))
            r.damaged.push_back({a, *problem, dependentOf(*this, a), ""});
        r.bytesHashed += a.sha256 ? a.bytes : 0;
        if (progress && total > 0)
            progress(static_cast<double>(r.bytesHashed) / static_cast<double>(total));
    }

    // Files no row names. Scanned and removed inside one write transaction,
    // so no writer can be between renaming a file into place and committing
    // its row meanwhile; temporaries of live processes, files written in
    // the last minute and a live run's caches are in use, never orphans.
    // Symbolic links are never followed: one that leads out of the folder
    // is reported (and with --repair the link itself, not its target, removed).
    std::optional<sql::Transaction> tx;
    if (repair)
        tx.emplace(*m_db);
    std::set<std::string> named;
    {
        sql::Statement st = m_db->prepare("SELECT path FROM artifacts UNION ALL SELECT path FROM tokenizers "
                                          "UNION ALL SELECT path FROM token_caches");
        while (st.step())
            named.insert(fs::path(st.text(0)).lexically_normal().string());
    }
    const auto recent = fs::file_time_type::clock::now() - std::chrono::minutes(1);
    std::vector<fs::path> emptiedDirs;
    std::error_code ec;
    if (fs::is_directory(root, ec))
        for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
            const fs::path& p = it->path();
            const std::string rel = p.lexically_relative(root).lexically_normal().string();
            const std::string name = p.filename().string();
            std::error_code se;
            if (it->is_symlink(se)) {
                if (const auto why = containmentProblem(root, rel)) {
                    r.outsideLinks.push_back(rel);
                    if (repair) {
                        std::error_code rc;
                        fs::remove(p, rc); // the link; remove() never follows it
                    }
                } else if (!named.count(rel)) {
                    r.orphans.push_back({rel, 0});
                }
                continue;
            }
            const auto temp = temporaryName(name);
            if (temp && processAlive(temp->ownerPid)) {
                if (it->is_directory(se))
                    it.disable_recursion_pending(); // a live import's folder
                continue;
            }
            if (it->is_directory(se)) {
                if (temp) { // a killed import's folder: one orphan, all of it
                    std::int64_t bytes = 0;
                    std::error_code we;
                    for (auto in = fs::recursive_directory_iterator(p, we); !we && in != fs::recursive_directory_iterator();
                         in.increment(we))
                        if (!in->is_symlink(se) && in->is_regular_file(se))
                            bytes += static_cast<std::int64_t>(in->file_size(se));
                    r.orphans.push_back({rel, bytes});
                    it.disable_recursion_pending();
                }
                continue;
            }
            if (!it->is_regular_file(se) || named.count(rel) || p.extension() == ".damaged" || runCache(*this, rel))
                continue;
            if (!temp && it->last_write_time(se) > recent && !se)
                continue; // being written: its row is about to be committed
            std::error_code sz;
            const auto size = it->file_size(sz);
            r.orphans.push_back({rel, sz ? 0 : static_cast<std::int64_t>(size)});
        }
    if (repair) {
        for (const auto& o : r.orphans) {
            std::error_code rc;
            const fs::path p = root / o.path;
            if (containmentProblem(root, o.path))
                continue;
            // remove_all never follows a link: it removes the link itself.
            if ((fs::is_directory(fs::symlink_status(p, rc)) ? fs::remove_all(p, rc) > 0 : fs::remove(p, rc)) && !rc) {
                r.removedOrphans.push_back(o);
                emptiedDirs.push_back(p.parent_path());
            }
        }
        // Folders left empty (a killed import's), up to the artifact folder.
        std::sort(emptiedDirs.begin(), emptiedDirs.end(), [](const fs::path& a, const fs::path& b) {
            return a.string().size() > b.string().size();
        });
        for (fs::path d : emptiedDirs)
            for (; d != root && d.string().size() > root.string().size(); d = d.parent_path()) {
                std::error_code rc;
                if (fs::is_symlink(d, rc) || !fs::is_directory(d, rc) || !fs::is_empty(d, rc) || !fs::remove(d, rc))
                    break;
            }
        r.orphans.clear();
        tx->commit();
    }

    if (repair) {
        for (auto& d : r.damaged) {
            if (d.outside) {
                // Only the row goes; a tokenizer's row stays (runs refer to it).
                if (d.artifact.kind == "token_cache")
                    removeTokenCache(d.artifact.path);
                else if (d.artifact.id != 0)
                    deleteArtifact(d.artifact.id);
                continue;
            }
            if (d.artifact.id == 0 && d.artifact.kind != "token_cache")
                continue; // a catalog tokenizer: nothing to move
            const fs::path file = artifactPath(d.artifact.path);
            std::error_code sc;
            if (fs::symlink_status(file, sc).type() == fs::file_type::regular) { // never a folder, never through a link
                std::error_code rc;
                fs::rename(file, file.string() + ".damaged", rc);
                if (rc)
                    throw ResourceError("cannot move " + file.string() + " aside: " + rc.message());
                d.movedTo = d.artifact.path + ".damaged";
            }
            if (d.artifact.kind == "token_cache")
                removeTokenCache(d.artifact.path);
            else
                deleteArtifact(d.artifact.id);
        }
        r.repaired = true;
    }
    if (progress)
        progress(1.0);
    return r;
}

} // namespace wb
