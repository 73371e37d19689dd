// SPDX-License-Identifier: GPL-3.0-or-later
// Catalog::check: SQLite's integrity, every artifact file present and
// matching the SHA-256 recorded when it was written, files no row names.
#include "catalog/catalog.h"

#include "catalog/catalog_rows.h"
#include "catalog/sqlite.h"
#include "core/errors.h"

#include <set>

namespace fs = std::filesystem;

namespace wb {

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
    std::vector<ArtifactRecord> all;
    {
        sql::Statement st = m_db->prepare("SELECT id, run_id, corpus_id, kind, path, bytes, step, sha256 FROM artifacts ORDER BY id");
        while (st.step()) {
            ArtifactRecord a;
            a.id = st.int64(0);
            a.runId = st.optInt64(1);
            a.corpusId = st.optInt64(2);
            a.kind = st.text(3);
            a.path = st.text(4);
            a.bytes = st.int64(5);
            a.step = st.optInt64(6);
            a.sha256 = st.optText(7);
            all.push_back(std::move(a));
        }
    }
    std::set<std::string> named;
    {
        sql::Statement st = m_db->prepare("SELECT path FROM artifacts UNION ALL SELECT path FROM tokenizers "
                                          "UNION ALL SELECT path FROM token_caches");
        while (st.step())
            named.insert(fs::path(st.text(0)).lexically_normal().string());
    }
    // Catalog tokenizers carry no checksum: present is all that can be
    // checked. Token caches are verified like artifacts (id 0 marks them).
    {
        sql::Statement st = m_db->prepare("SELECT path FROM tokenizers");
        while (st.step())
            if (!fs::exists(artifactPath(st.text(0))))
                r.damaged.push_back({ArtifactRecord{0, std::nullopt, std::nullopt, "tokenizer", st.text(0), 0, std::nullopt, std::nullopt},
                                     "missing", "a tokenizer named in the catalog: train it again", ""});
    }
    for (const auto& c : tokenCaches(std::nullopt, std::nullopt)) {
        ArtifactRecord a{0, std::nullopt, c.corpusId, "token_cache", c.path, 0, std::nullopt, c.sha256};
        a.bytes = static_cast<std::int64_t>(fs::exists(artifactPath(c.path)) ? fs::file_size(artifactPath(c.path)) : 0);
        if (const auto problem = artifactProblem(a)) {
            const auto corpus = corpusById(c.corpusId);
            r.damaged.push_back({a, *problem,
                                 "the " + c.split + " token cache of corpus '" + (corpus ? corpus->name : "?")
                                     + "' (the next run encodes the corpus again)",
                                 ""});
        }
    }
    std::int64_t total = 0;
    for (const auto& a : all)
        total += a.bytes;
    for (const auto& a : all) {
        ++r.artifactsChecked;
        if (const auto problem = artifactProblem(a))
            r.damaged.push_back({a, *problem, dependentOf(*this, a), ""});
        r.bytesHashed += a.sha256 ? a.bytes : 0;
        if (progress && total > 0)
            progress(static_cast<double>(r.bytesHashed) / static_cast<double>(total));
    }
    std::error_code ec;
    if (fs::is_directory(artifactDir(), ec))
        for (auto it = fs::recursive_directory_iterator(artifactDir(), ec); !ec && it != fs::recursive_directory_iterator();
             it.increment(ec)) {
            if (!it->is_regular_file())
                continue;
            const std::string rel = it->path().lexically_relative(artifactDir()).lexically_normal().string();
            if (!named.count(rel) && it->path().extension() != ".damaged")
                r.orphans.push_back(rel);
        }
    if (repair) {
        // The temporary file of an atomic write whose process was killed
        // (NAME.tmp-PID, core/files.h): never renamed into place, nothing
        // names it. Another process's live write is left alone.
        std::vector<std::string> kept;
        for (const auto& rel : r.orphans) {
            const auto pos = rel.rfind(".tmp-");
            const std::string pid = pos == std::string::npos ? std::string() : rel.substr(pos + 5);
            if (!pid.empty() && pid.find_first_not_of("0123456789") == std::string::npos && pid.size() < 10
                && !catalog_rows::processAlive(std::stoll(pid))) {
                std::error_code rc;
                fs::remove(artifactPath(rel), rc);
                if (!rc) {
                    r.removedTemporaries.push_back(rel);
                    continue;
                }
            }
            kept.push_back(rel);
        }
        r.orphans = std::move(kept);
    }
    if (repair) {
        for (auto& d : r.damaged) {
            if (d.artifact.id == 0 && d.artifact.kind != "token_cache")
                continue; // a catalog tokenizer: nothing to move
            const fs::path file = artifactPath(d.artifact.path);
            if (fs::exists(file)) {
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
