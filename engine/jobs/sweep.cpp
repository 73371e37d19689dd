// SPDX-License-Identifier: GPL-3.0-or-later
#include "jobs/sweep.h"

#include "catalog/catalog.h"
#include "core/errors.h"
#include "jobs/training_job.h"

#include <algorithm>
#include <map>

namespace wb {

QueuedSweep enqueueSweep(const std::filesystem::path& catalogFile, const SweepPlan& plan)
{
    Catalog catalog(catalogFile);
    QueuedSweep out;
    catalog.transaction([&] {
        out.sweepId = catalog.addSweep(plan.name, plan.json);
        for (const auto& run : plan.runs)
            out.runs.push_back(TrainingJob::enqueue(catalog, run, out.sweepId));
    });
    return out;
}

SweepResults sweepResults(Catalog& catalog, std::int64_t sweepId)
{
    SweepResults r;
    const auto sweep = catalog.sweep(sweepId);
    if (!sweep)
        throw InputError("no sweep " + std::to_string(sweepId) + " in the catalog");
    r.sweep = *sweep;
    r.keys = sweepKeys(sweep->spec);
    for (const auto& run : catalog.sweepRuns(sweepId)) {
        SweepRow row;
        row.run = run;
        for (const auto& k : r.keys)
            row.values.push_back(k == "arch" ? run.arch : sweptValue(run.config, k));
        // Only the series needed: a sweep's runs may hold millions of points.
        if (const auto loss = catalog.metrics(run.id, "val_loss"); !loss.empty())
            row.valLoss = loss.back().value;
        if (const auto ppl = catalog.metrics(run.id, "val_ppl"); !ppl.empty())
            row.valPpl = ppl.back().value;
        row.steps = catalog.lastStep(run.id, "train_loss");
        r.rows.push_back(std::move(row));
    }
    std::stable_sort(r.rows.begin(), r.rows.end(), [](const SweepRow& a, const SweepRow& b) {
        if (a.valLoss.has_value() != b.valLoss.has_value())
            return a.valLoss.has_value();
        return a.valLoss.value_or(0) < b.valLoss.value_or(0);
    });
    return r;
}

} // namespace wb
