// SPDX-License-Identifier: GPL-3.0-or-later
// Plain value types read from and written to the catalog; the UI and the CLI
// see these, never SQLite or LibTorch types.
#pragma once

#include "core/enums.h"

#include <cstdint>
#include <optional>
#include <string>

namespace wb {

struct CorpusRecord {
    std::int64_t id = 0;
    std::string name;
    std::string createdAt;
    std::int64_t documents = 0;
    std::int64_t bytes = 0;
    std::int64_t chars = 0;
    std::int64_t trainChars = 0;
    std::int64_t validationChars = 0;
    std::int64_t testChars = 0;
    std::int64_t splitSeed = 0;
    std::int64_t vocabSize = 0; // of the corpus's character tokenizer
    std::string sources; // JSON array of the imported paths
    // What the import left out, as JSON: {"duplicates_removed": N,
    // "skipped": [{"path", "reason"}], "bad_utf8": [...], "too_short", "too_long"}.
    std::string report = "{}";
    std::string split;          // "0.9,0.05,0.05"; empty for corpora made before v4 (train/validation only)
    std::string labels = "{}";  // {LABEL: documents} for labeled corpora
    std::string stats = "{}";   // per-split counts, length histogram, top characters (see corpus_import.h)
    std::optional<std::int64_t> tokenizerId; // its character tokenizer
    std::optional<std::int64_t> sourceRun;   // a generated corpus: the run that wrote it
};

// A tokenizer stored in the catalog, reusable by any run on any corpus.
struct TokenizerRecord {
    std::int64_t id = 0;
    std::string name;
    std::string kind;   // char, byte, word, bpe, unigram
    std::int64_t vocabSize = 0;
    std::optional<std::int64_t> corpusId; // trained on
    std::string config = "{}"; // training options as JSON
    std::string path;   // artifact file, relative to the artifact folder
    std::int64_t bytes = 0;
    std::string createdAt;
};

// One split of a corpus encoded by one tokenizer (see data/token_cache.h).
struct TokenCacheRecord {
    std::int64_t tokenizerId = 0;
    std::int64_t corpusId = 0;
    std::string split;  // train, validation, test
    std::string path;
    std::int64_t tokens = 0;
    std::int64_t bytes = 0; // UTF-8 bytes of the text encoded
    std::int64_t chars = 0;
    std::int64_t unk = 0;   // tokens that are the unknown token
    std::optional<std::string> sha256; // of the file as written; unset for files of older versions
};

// Run status values (stored and printed by their names, core/enums.h).
namespace status {
inline constexpr RunStatus kQueued = RunStatus::Queued;
inline constexpr RunStatus kRunning = RunStatus::Running;
inline constexpr RunStatus kFinished = RunStatus::Finished;
inline constexpr RunStatus kStopped = RunStatus::Stopped;
inline constexpr RunStatus kFailed = RunStatus::Failed;
// The loss or a gradient became NaN/Inf or exploded; the last good checkpoint is kept.
inline constexpr RunStatus kDiverged = RunStatus::Diverged;
// The process training it died (kill -9, power loss) while it ran.
inline constexpr RunStatus kInterrupted = RunStatus::Interrupted;
// Held in the queue (with its checkpoint when it had started) until resumed.
inline constexpr RunStatus kPaused = RunStatus::Paused;
// Taken out of the queue before it finished.
inline constexpr RunStatus kCancelled = RunStatus::Cancelled;
inline constexpr RunStatus kRefused = RunStatus::Refused;
} // namespace status

struct RunRecord {
    std::int64_t id = 0;
    std::int64_t corpusId = 0;
    std::string corpusName;
    std::string arch;      // preset name or spec file name as the user gave it
    std::string config;    // RunConfig as JSON (spec, training settings)
    RunStatus status = RunStatus::Queued;
    std::string device;
    std::int64_t seed = 0;
    std::string createdAt;
    std::optional<std::string> startedAt;
    std::optional<std::string> finishedAt;
    std::optional<std::string> error;
    std::optional<std::int64_t> params;
    std::optional<std::int64_t> parentRun;
    std::optional<std::int64_t> teacherRun; // a distilled run's teacher
    std::string codeVersion;
    std::optional<std::int64_t> tokenizerId;
    std::optional<double> queuePos;    // set for runs added to the queue
    std::optional<std::string> control; // a pending "pause" or "cancel" request while it runs
    std::optional<std::int64_t> sweepId;
    std::optional<std::int64_t> trainableParams; // parameters the run trained (all, or a fine-tuning method's share)
    std::optional<std::int64_t> storedBytes;     // bytes of its latest checkpoint (a delta for lightweight methods)
    // A fine-tuning task's final scores as JSON (eval/task_eval.h): the
    // classification report, or loss, exact match, BLEU and generations.
    std::optional<std::string> taskReport;
};

// A group of queued runs over a grid or random sample of settings.
struct SweepRecord {
    std::int64_t id = 0;
    std::string name;
    std::string spec; // the sweep file's JSON
    std::string createdAt;
};

struct MetricPoint {
    std::int64_t step = 0;
    std::string name;  // train_loss, val_loss, val_ppl, val_bpc, lr, tokens_per_s
    double value = 0;
    double wallTime = 0; // seconds since the run started
};

struct SampleRecord {
    std::int64_t step = 0;
    std::string prompt;
    std::string text;
};

struct ArtifactRecord {
    std::int64_t id = 0;
    std::optional<std::int64_t> runId;
    std::optional<std::int64_t> corpusId;
    std::string kind;   // corpus_train, corpus_validation, tokenizer, checkpoint
    std::string path;   // relative to the catalog's artifact folder
    std::int64_t bytes = 0;
    std::optional<std::int64_t> step;
    std::optional<std::string> sha256; // of the file as written; unset for files of older versions
};

} // namespace wb
