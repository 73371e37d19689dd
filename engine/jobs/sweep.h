// SPDX-License-Identifier: GPL-3.0-or-later
// Sweeps: a grid or a random sample over any spec or training field, queued
// as one group of runs and read back as a table sorted by validation loss.
//
// A sweep file (JSON):
//   {"name": "width-x-lr", "corpus": "fortunes", "arch": "tiny-gpt",
//    "tokenizer": "",                     optional
//    "spec": {"layers": 2},               optional base values
//    "train": {"steps": 300},             optional base values
//    "method": "grid" | "random", "samples": 8, "seed": 1,
//    "parameters": {"spec.width": [64, 128], "train.lr": [0.001, 0.003],
//                   "train.warmup": {"min": 0, "max": 100},               random only
//                   "train.weight_decay": {"min": 1e-4, "max": 0.1, "log": true}}}
// A parameter without a prefix is looked up among the training settings,
// then among the spec's fields.
#pragma once

#include "catalog/records.h"
#include "settings/run_config.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace wb {

class Catalog;

struct SweepPlan {
    std::string name;
    std::string method;              // grid | random
    std::vector<std::string> keys;   // the swept parameters, as "spec.X" / "train.X"
    std::vector<RunConfig> runs;
    std::vector<std::vector<std::string>> values; // per run, each key's value as text
    std::string json;                // the sweep file, normalised
};

// Expands and validates a sweep file; InputError names the field (and the
// combination) that is wrong. `source` names the file in messages.
SweepPlan planSweep(const std::string& json, const std::string& source);

struct QueuedSweep {
    std::int64_t sweepId = 0;
    std::vector<std::int64_t> runs;
};

// Records the sweep and queues its runs, all in one transaction.
QueuedSweep enqueueSweep(const std::filesystem::path& catalogFile, const SweepPlan& plan);

struct SweepRow {
    RunRecord run;
    std::vector<std::string> values;   // the swept parameters' values for this run
    std::optional<double> valLoss;     // the last validation loss
    std::optional<double> valPpl;
    std::int64_t steps = 0;            // the last step with a training loss
};

struct SweepResults {
    SweepRecord sweep;
    std::vector<std::string> keys;
    std::vector<SweepRow> rows; // by validation loss, runs without one last
};

SweepResults sweepResults(Catalog& catalog, std::int64_t sweepId);

} // namespace wb
