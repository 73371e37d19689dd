// SPDX-License-Identifier: GPL-3.0-or-later
#include "jobs/checkpoint_store.h"

#include "catalog/catalog.h"
#include "core/errors.h"
#include "core/files.h"
#include "settings/run_config.h"

#include <c10/util/Exception.h>

#include <algorithm>
#include <set>

namespace fs = std::filesystem;

namespace wb {

namespace {

// Why writing a checkpoint failed, in the user's terms: usually a full disk.
std::string checkpointWriteError(Catalog& catalog, const std::string& rel, std::string detail)
{
    if (const auto nl = detail.find('\n'); nl != std::string::npos)
        detail.resize(nl);
    std::error_code ec;
    const auto space = fs::space(catalog.artifactDir(), ec);
    std::string msg = "writing checkpoint " + rel + " failed (" + detail + ")";
    if (!ec)
        msg += "; " + std::to_string(space.available / (1024 * 1024)) + " MiB free in " + catalog.artifactDir().string();
    return msg + ": the disk may be full or the file too large";
}

} // namespace

std::vector<fs::path> checkpointChain(Catalog& catalog, std::int64_t runId, std::optional<std::int64_t> step)
{
    const auto run = catalog.run(runId);
    if (!run)
        throw InputError("no run " + std::to_string(runId) + " in the catalog");
    const RunConfig config = RunConfig::fromJson(run->config);
    std::vector<fs::path> chain;
    // A compression variant's own file holds its whole model (in a shape its
    // parent's weights would not fit).
    const bool complete = !config.compression.empty() && config.compression.find("\"method\"") != std::string::npos;
    if (config.parentRun && !complete)
        chain = checkpointChain(catalog, *config.parentRun, config.parentStep);
    std::optional<ArtifactRecord> pick;
    for (const auto& a : catalog.runArtifacts(runId, "checkpoint"))
        if (step ? a.step == step : (!pick || a.step.value_or(0) > pick->step.value_or(0)))
            pick = a;
    if (!pick)
        throw InputError("run " + std::to_string(runId) + " has no checkpoint"
                         + (step ? " for step " + std::to_string(*step) : std::string()) + " (status "
                         + enumName(run->status) + ")");
    if (const auto problem = catalog.artifactProblem(*pick))
        throw InputError("checkpoint for step " + std::to_string(pick->step.value_or(0)) + " of run " + std::to_string(runId)
                         + " is damaged (" + *problem + "): " + catalog.artifactPath(pick->path).string()
                         + "; lmwb check --repair moves it aside, lmwb resume continues from the checkpoint before");
    chain.push_back(catalog.artifactPath(pick->path));
    return chain;
}

CheckpointStore::CheckpointStore(Catalog& catalog, std::int64_t runId, int keep)
    : m_catalog(catalog), m_runId(runId), m_keep(std::max(1, keep)), m_dir("runs/" + std::to_string(runId))
{
}

void CheckpointStore::save(std::int64_t step, const std::function<void(const fs::path&)>& write, bool best,
                           const std::function<void()>& beforeRecord)
{
    const std::string kind = best ? "checkpoint_best" : "checkpoint";
    const std::string rel = m_dir + "/" + (best ? "best-" : "checkpoint-") + std::to_string(step) + ".pt";
    ArtifactRecord a;
    a.runId = m_runId;
    a.kind = kind;
    a.path = rel;
    a.step = step;
    try {
        a.bytes = writeFileAtomically(m_catalog.artifactPath(rel), write);
    } catch (const c10::Error& e) {
        throw ResourceError(checkpointWriteError(m_catalog, rel, e.what_without_backtrace()));
    } catch (const std::exception& e) {
        throw ResourceError(checkpointWriteError(m_catalog, rel, e.what()));
    }
    if (beforeRecord)
        beforeRecord();
    // Re-written at the same step (a resumed run that stops where it
    // started): one row for the file.
    for (const auto& old : m_catalog.runArtifacts(m_runId, kind))
        if (old.path == rel)
            m_catalog.deleteArtifact(old.id);
    m_catalog.addArtifact(a);
    prune(kind, best ? 1 : static_cast<std::size_t>(m_keep));
}

void CheckpointStore::prune(const std::string& kind, std::size_t keep)
{
    auto all = m_catalog.runArtifacts(m_runId, kind);
    // A checkpoint a fine-tuned child starts from stays: the child's weights
    // are built on it.
    std::set<std::int64_t> needed;
    for (const auto& child : m_catalog.childRuns(m_runId))
        needed.insert(RunConfig::fromJson(child.config).parentStep);
    std::erase_if(all, [&](const ArtifactRecord& a) { return a.step && needed.count(*a.step); });
    std::sort(all.begin(), all.end(), [](const auto& x, const auto& y) { return x.step.value_or(0) < y.step.value_or(0); });
    for (std::size_t i = 0; i + keep < all.size(); ++i) {
        m_catalog.deleteArtifact(all[i].id);
        m_catalog.removeArtifactFile(all[i].path);
    }
}

std::optional<ArtifactRecord> CheckpointStore::latest() const
{
    const auto checkpoints = m_catalog.runArtifacts(m_runId, "checkpoint");
    const auto it = std::max_element(checkpoints.begin(), checkpoints.end(),
                                     [](const auto& x, const auto& y) { return x.step.value_or(0) < y.step.value_or(0); });
    if (it == checkpoints.end())
        return std::nullopt;
    return *it;
}

void CheckpointStore::storeTokenizer(const std::string& bytes, const std::string& extension)
{
    for (const auto& old : m_catalog.runArtifacts(m_runId, "tokenizer"))
        m_catalog.deleteArtifact(old.id); // a resumed run writes it again
    ArtifactRecord tok;
    tok.runId = m_runId;
    tok.kind = "tokenizer";
    tok.path = m_dir + "/tokenizer" + extension;
    tok.bytes = writeBytesAtomically(m_catalog.artifactPath(tok.path), bytes);
    m_catalog.addArtifact(tok);
}

} // namespace wb
