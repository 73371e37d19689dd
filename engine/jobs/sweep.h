// SPDX-License-Identifier: GPL-3.0-or-later
// Sweeps: a grid or a random sample over any spec or training field, queued
// as one group of runs and read back as a table sorted by validation loss.
//
// The sweep file and its expansion: settings/sweep_plan.h.
#pragma once

#include "catalog/records.h"
#include "settings/sweep_plan.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace wb {

class Catalog;

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
