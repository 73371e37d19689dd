// SPDX-License-Identifier: GPL-3.0-or-later
// Plain value types read from and written to the catalog; the UI and the CLI
// see these, never SQLite or LibTorch types.
#pragma once

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
    std::int64_t splitSeed = 0;
    std::int64_t vocabSize = 0; // of the corpus's character tokenizer
    std::string sources; // JSON array of the imported paths
    // What the import left out, as JSON: {"duplicates_removed": N,
    // "skipped": [{"path", "reason"}]}.
    std::string report = "{}";
};

// Run status values as stored (and printed by the CLI).
namespace status {
inline constexpr const char* kQueued = "queued";
inline constexpr const char* kRunning = "running";
inline constexpr const char* kFinished = "finished";
inline constexpr const char* kStopped = "stopped";
inline constexpr const char* kFailed = "failed";
// The process training it died (kill -9, power loss) while it ran.
inline constexpr const char* kInterrupted = "interrupted";
} // namespace status

struct RunRecord {
    std::int64_t id = 0;
    std::int64_t corpusId = 0;
    std::string corpusName;
    std::string arch;      // preset name or spec file name as the user gave it
    std::string config;    // RunConfig as JSON (spec, training settings)
    std::string status;
    std::string device;
    std::int64_t seed = 0;
    std::string createdAt;
    std::optional<std::string> startedAt;
    std::optional<std::string> finishedAt;
    std::optional<std::string> error;
    std::optional<std::int64_t> params;
    std::optional<std::int64_t> parentRun;
    std::string codeVersion;
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
};

} // namespace wb
