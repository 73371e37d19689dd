// SPDX-License-Identifier: GPL-3.0-or-later
#include "services/run_service.h"

#include "catalog/catalog.h"
#include "core/errors.h"
#include "core/files.h"

namespace wb {

std::unique_ptr<TrainingJob> newRun(const std::filesystem::path& catalogFile, const RunConfig& config, EventListener listener)
{
    return std::make_unique<TrainingJob>(catalogFile, config, std::move(listener));
}

std::unique_ptr<TrainingJob> resumedRun(const std::filesystem::path& catalogFile, std::int64_t run, std::int64_t totalSteps,
                                        EventListener listener)
{
    return std::make_unique<TrainingJob>(catalogFile, run, totalSteps, std::move(listener));
}

std::int64_t queueRun(Catalog& catalog, const RunConfig& config)
{
    return TrainingJob::enqueue(catalog, config, std::nullopt);
}

std::optional<RunRecord> claimQueuedRun(Catalog& catalog, const std::string& device)
{
    return catalog.claimNextQueued(device);
}

std::unique_ptr<TrainingJob> claimedRunJob(const std::filesystem::path& catalogFile, const RunRecord& claimed,
                                           EventListener listener)
{
    try {
        return std::make_unique<TrainingJob>(catalogFile, claimed, std::move(listener));
    } catch (const std::exception& e) {
        try {
            Catalog catalog(catalogFile);
            catalog.finishRun(claimed.id, status::kFailed, std::string(e.what()));
        } catch (...) { // the catalog itself is gone: the run stays claimed and is recovered as interrupted
        }
        throw;
    }
}

QueuedSweep queueSweepFile(const std::filesystem::path& catalogFile, const std::string& sweepFile)
{
    return enqueueSweep(catalogFile, planSweep(readFile(sweepFile), sweepFile));
}

} // namespace wb
