// SPDX-License-Identifier: GPL-3.0-or-later
// Sweep files: parsed, expanded into runs and validated, without a catalog
// or LibTorch (queueing them: jobs/sweep.h).
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

#include "settings/run_config.h"

#include <string>
#include <vector>

namespace wb {

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

// The swept parameters of a normalised sweep file (SweepPlan::json).
std::vector<std::string> sweepKeys(const std::string& sweepJson);

// The value of swept parameter `key` in a run config (RunConfig::toJson), as
// the sweep table shows it; "?" where the config does not have it.
std::string sweptValue(const std::string& runConfigJson, const std::string& key);

} // namespace wb
