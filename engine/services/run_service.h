// SPDX-License-Identifier: GPL-3.0-or-later
// Run use cases both front ends call: start, resume, queue, claim, control,
// sweeps. Each returns a job that has not started yet (the caller attaches
// its listener and calls start()), or throws InputError naming the problem.
#pragma once

#include "catalog/records.h"
#include "core/events.h"
#include "jobs/sweep.h"
#include "jobs/training_job.h"
#include "compute/runtime.h"
#include "settings/run_config.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

namespace wb {

class Catalog;

// A new run: validated, stored as queued, ready to start.
std::unique_ptr<TrainingJob> newRun(const std::filesystem::path& catalogFile, const RunConfig& config, EventListener listener);
// Continues a stopped, interrupted, diverged or finished run; `totalSteps` > 0 sets a new total.
std::unique_ptr<TrainingJob> resumedRun(const std::filesystem::path& catalogFile, std::int64_t run, std::int64_t totalSteps,
                                        EventListener listener);

// Adds a run to the end of the queue (validated first); its id.
std::int64_t queueRun(Catalog& catalog, const RunConfig& config);
// Takes the next queued run for `device` if the device has a free slot on
// this machine; empty when there is none (or the catalog is busy).
std::optional<RunRecord> claimQueuedRun(Catalog& catalog, const std::string& device);
// The job of a claimed run. When it cannot be made (its corpus was removed,
// its config no longer validates), the run is marked failed with the reason
// and the error rethrown: one failure path for the GUI and `lmwb queue run`.
std::unique_ptr<TrainingJob> claimedRunJob(const std::filesystem::path& catalogFile, const RunRecord& claimed,
                                           EventListener listener);

// Expands a sweep file and queues its runs (the GUI's File > Run sweep file).
QueuedSweep queueSweepFile(const std::filesystem::path& catalogFile, const std::string& sweepFile);

} // namespace wb
