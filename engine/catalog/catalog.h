// SPDX-License-Identifier: GPL-3.0-or-later
// The experiment catalog: one SQLite file (WAL) plus an artifact folder
// beside it. One Catalog object per thread; each opens its own connection.
#pragma once

#include "catalog/records.h"
#include "core/files.h"

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace wb {

namespace sql {
class Connection;
}

class Catalog {
public:
    static int schemaVersion(); // the newest version this program knows

    // Opens or creates the catalog, migrating an older schema forward (after
    // a backup copy beside it). A file that is not ours, or has a newer
    // schema, is refused with an InputError and left untouched.
    explicit Catalog(const std::filesystem::path& file);
    // Reading only: no migration, no marking of dead runs. A catalog older
    // than this program is refused. For data-parallel ranks other than 0,
    // which must not write.
    struct ReadOnly {};
    Catalog(const std::filesystem::path& file, ReadOnly);
    // For commands that only read (lists, show, generate): a catalog that
    // does not exist yet is not created (nor its folders); the command sees an
    // empty catalog held in memory. An existing one opens as above.
    struct IfExists {};
    Catalog(const std::filesystem::path& file, IfExists);
    // Test hook: create or migrate only up to `targetVersion`.
    Catalog(const std::filesystem::path& file, int targetVersion);
    ~Catalog();
    Catalog(const Catalog&) = delete;
    Catalog& operator=(const Catalog&) = delete;

    const std::filesystem::path& file() const { return m_file; }
    std::filesystem::path artifactDir() const;
    // The file a row names, below artifactDir(). The one door from a row to
    // the disk: OutsideCatalogError (core/containment.h) when the row's text
    // (or a symbolic link on the way) leads outside the artifact folder.
    std::filesystem::path artifactPath(const std::string& relative) const;
    // Deletes the file a row named (after its row is gone), only where it
    // lies inside the artifact folder; a symbolic link is removed, never
    // what it points to. False when there was nothing to remove or it
    // was refused.
    bool removeArtifactFile(const std::string& relative) const;
    int userVersion();

    // --- corpora ---
    // Inserts the corpus and its artifacts in one transaction.
    std::int64_t addCorpus(const CorpusRecord& corpus, const std::vector<ArtifactRecord>& artifacts);
    std::optional<CorpusRecord> corpusByName(const std::string& name);
    std::optional<CorpusRecord> corpusById(std::int64_t id);
    std::vector<CorpusRecord> corpora();
    // Deletes the corpus, its artifacts and token caches (InputError while
    // runs use it); returns the artifact files to delete after the commit.
    std::vector<std::string> removeCorpus(const std::string& name);
    void setCorpusTokenizer(std::int64_t corpusId, std::int64_t tokenizerId);
    // A generated corpus's lineage: the run its text was sampled from.
    void setCorpusSourceRun(std::int64_t corpusId, std::int64_t runId);

    // --- tokenizers and token caches ---
    std::int64_t addTokenizer(const TokenizerRecord& tokenizer); // InputError for a taken name
    std::optional<TokenizerRecord> tokenizerByName(const std::string& name);
    std::optional<TokenizerRecord> tokenizerById(std::int64_t id);
    std::vector<TokenizerRecord> tokenizers();
    void addTokenCache(TokenCacheRecord cache);
    // Removes a token cache's row (a repair; the caller moves the file).
    void removeTokenCache(const std::string& path);
    std::vector<TokenCacheRecord> tokenCaches(std::optional<std::int64_t> corpusId,
                                              std::optional<std::int64_t> tokenizerId = std::nullopt);

    // --- runs ---
    std::int64_t createRun(const RunRecord& run); // id ignored; status, created_at set
    // Records the parameter count and this process (pid, host) as the owner.
    void markRunStarted(std::int64_t runId, std::int64_t params);
    // A run about to be resumed: queued again with its (possibly new) config.
    void resumeRun(std::int64_t runId, const std::string& config);
    void finishRun(std::int64_t runId, RunStatus status, const std::optional<std::string>& error);
    // What a run trains and stores (fine-tuning's cost).
    void setRunSizes(std::int64_t runId, std::int64_t trainableParams, std::optional<std::int64_t> storedBytes);
    void setRunTaskReport(std::int64_t runId, const std::string& json);
    // Deletes runs' rows (their metrics, samples, artifacts and measurement
    // go with them; a generated corpus forgets its source run) in one
    // transaction; returns the artifact files to delete after the commit.
    // The caller has checked that nothing else needs them (run_service.h).
    std::vector<std::string> deleteRuns(const std::vector<std::int64_t>& runIds);
    // Runs that name `runId` as their teacher.
    std::vector<std::int64_t> studentRuns(std::int64_t runId);
    // The runs fine-tuned (or distilled, compressed) from `runId`.
    std::vector<RunRecord> childRuns(std::int64_t runId);
    // A run's measured report (services/compress.h) at the step it was
    // taken, replacing an older one.
    void setMeasurement(std::int64_t runId, std::int64_t step, const std::string& json);
    std::optional<std::pair<std::int64_t, std::string>> measurement(std::int64_t runId);
    std::optional<RunRecord> run(std::int64_t runId);
    std::vector<RunRecord> runs();

    // --- the run queue (catalog_queue.cpp) ---
    // Adds a run at the end of the queue (status queued, a queue position).
    std::int64_t enqueueRun(RunRecord run);
    // Queued, paused and running queue entries, in queue order.
    std::vector<RunRecord> queue();
    // Takes the first queued run for `device` when fewer than the device's
    // slots run there on this machine (runs started directly count too;
    // runs on other hosts sharing the catalog do not): it becomes
    // `running`, owned by this process. One IMMEDIATE transaction, so two
    // processes never take the same run or overfill a device.
    std::optional<RunRecord> claimNextQueued(const std::string& device);
    int queueSlots(const std::string& device);          // default 1
    void setQueueSlots(const std::string& device, int slots);
    // pause | resume | cancel. Queued and paused runs change at once; a
    // running one gets the request in `control` and its process acts on it
    // within about a second (checkpoint, then paused or cancelled). Resume
    // also re-queues a stopped, interrupted or diverged run. Returns what
    // happened ("paused", "pausing", ...); InputError when it cannot apply.
    std::string controlRun(std::int64_t runId, const std::string& action);
    std::optional<std::string> pendingControl(std::int64_t runId);
    void clearControl(std::int64_t runId);
    // Moves a queued or paused run to `position` (0: next) among them.
    void moveInQueue(std::int64_t runId, int position);

    // --- sweeps ---
    std::int64_t addSweep(const std::string& name, const std::string& spec);
    std::optional<SweepRecord> sweep(std::int64_t sweepId);
    std::vector<SweepRecord> sweeps();
    std::vector<RunRecord> sweepRuns(std::int64_t sweepId);

    // --- series ---
    void appendMetrics(std::int64_t runId, const std::vector<MetricPoint>& points);
    // A run's series ordered by name and step; only `name`'s when given.
    std::vector<MetricPoint> metrics(std::int64_t runId, const std::string& name = {});
    // The last step logged for a series (0 when it has none).
    std::int64_t lastStep(std::int64_t runId, const std::string& name);
    void addSample(std::int64_t runId, const SampleRecord& sample);
    std::vector<SampleRecord> samples(std::int64_t runId);

    // --- artifacts ---
    // Records a file under artifactDir(); its SHA-256 is computed here
    // when the record carries none.
    std::int64_t addArtifact(ArtifactRecord artifact);
    // What is wrong with an artifact's file ("missing", "checksum mismatch",
    // a size that differs from the one written), or nothing.
    std::optional<std::string> artifactProblem(const ArtifactRecord& artifact) const;
    void deleteArtifact(std::int64_t artifactId); // the row; the caller removes the file
    // Before resuming from a checkpoint at `step`: metrics and samples of
    // later steps belong to the lost tail of the run.
    void truncateRunAfter(std::int64_t runId, std::int64_t step);
    std::vector<ArtifactRecord> runArtifacts(std::int64_t runId, const std::string& kind = {});
    std::vector<ArtifactRecord> corpusArtifacts(std::int64_t corpusId, const std::string& kind = {});

    // Runs `fn` inside one IMMEDIATE transaction.
    void transaction(const std::function<void()>& fn);

    // PRAGMA integrity_check and foreign_key_check, artifact files missing
    // or not matching their checksum; empty when all is well.
    std::vector<std::string> checkIntegrity();

    // `lmwb check`: the whole catalog verified. With `repair`, damaged
    // artifact files are moved aside (renamed *.damaged) and their rows
    // removed, so loads fall back to what is intact (a resume to the
    // checkpoint before); what depended on them is named. Rows that point
    // outside the artifact folder are reported and (repair) dropped, their
    // files never touched; orphan files are listed and (repair) removed.
    struct CheckReport {
        struct Damaged {
            ArtifactRecord artifact;
            std::string problem;   // "missing", "checksum mismatch; ..."
            std::string dependent; // what it belongs to, in the user's terms
            std::string movedTo;   // after a repair, relative to artifactDir()
            bool outside = false;  // the row points outside the catalog: only the row is dropped
        };
        struct Orphan {
            std::string path; // relative to artifactDir()
            std::int64_t bytes = 0;
        };
        std::vector<std::string> database; // SQLite's own findings
        std::vector<Damaged> damaged;
        // Files no row names and no live process writes (a killed import's
        // folder, a killed write's temporary); --repair removes them.
        std::vector<Orphan> orphans;
        std::vector<Orphan> removedOrphans;     // --repair: what was removed
        std::vector<std::string> outsideLinks;  // symbolic links in the folder that lead out of it
        
        std::int64_t artifactsChecked = 0;
        std::int64_t bytesHashed = 0;
        bool repaired = false;
        bool ok() const { return database.empty() && damaged.empty() && outsideLinks.empty(); }
    };
    CheckReport check(bool repair, const std::function<void(double)>& progress = {});

private:
    void open(int targetVersion, bool readOnly = false);
    // Runs left `running` by a process of this host that no longer exists
    // become `interrupted`.
    void markDeadRunsInterrupted();
    void migrate(int from, int to);
    void setWalMode();

    std::filesystem::path m_file;
    std::unique_ptr<sql::Connection> m_db;
};

} // namespace wb
