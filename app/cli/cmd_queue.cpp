// SPDX-License-Identifier: GPL-3.0-or-later
// lmwb queue list|add|cancel|pause|resume|move|slots|run, lmwb sweep
#include "catalog/catalog.h"
#include "cli/commands.h"
#include "services/run_service.h"
#include "core/errors.h"
#include "core/files.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <thread>

namespace wb::cli {

nlohmann::json runSummaryJson(const RunRecord& r);

namespace {

std::string describe(const RunRecord& r)
{
    char buf[160];
    std::snprintf(buf, sizeof buf, "%5lld  %-9s  %-5s  %-16s  %-16s", static_cast<long long>(r.id), enumName(r.status).c_str(),
                  r.device.c_str(), r.corpusName.c_str(), r.arch.c_str());
    std::string s = buf;
    if (r.sweepId)
        s += "  sweep " + std::to_string(*r.sweepId);
    if (r.control)
        s += "  (" + *r.control + " requested)";
    return s;
}

// Takes queued runs for `device` one after another and trains each, until
// `done` says to finish (checked whenever no run could be taken) or Ctrl-C,
// which puts the run in progress back in the queue. The exit code.
int processQueue(Context& ctx, const std::string& device, const std::function<bool()>& done,
                 std::vector<std::string>* collected)
{
    int rc = 0;
    bool waitingNoted = false;
    while (!ctx.interrupted.load()) {
        std::optional<RunRecord> claimed;
        {
            Catalog catalog(ctx.catalog);
            claimed = claimQueuedRun(catalog, device);
        }
        if (!claimed) {
            if (done())
                break;
            if (!waitingNoted) {
                std::cerr << "queue: waiting for a free " << device << " slot or a queued run (Ctrl-C to leave)\n";
                waitingNoted = true;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(500));
            continue;
        }
        waitingNoted = false;
        std::cerr << "queue: run " << claimed->id << " (" << claimed->arch << " on " << claimed->corpusName << ")\n";
        int r = 1;
        try {
            r = runAndReport(
                ctx, [&](EventListener l) { return claimedRunJob(ctx.catalog, *claimed, std::move(l)); },
                /*requeueOnInterrupt=*/true, collected);
        } catch (const std::exception& e) { // marked failed by claimedRunJob; the queue goes on
            std::cerr << "lmwb: run " << claimed->id << " failed: " << e.what() << '\n';
        }
        if (r == 130)
            return 130;
        if (r != 0)
            rc = 1; // one failed or diverged run does not stop the queue
    }
    return ctx.interrupted.load() ? 130 : rc;
}

// With --json, the train results of a queue run as one array.
void printCollected(Context& ctx, const std::vector<std::string>& collected)
{
    if (!ctx.json)
        return;
    auto arr = nlohmann::json::array();
    for (const auto& s : collected)
        arr.push_back(nlohmann::json::parse(s));
    std::cout << arr.dump() << '\n';
}

} // namespace

int cmdQueue(Context& ctx)
{
    const auto& a = ctx.args;
    const auto& pos = a.positional();
    const std::string sub = pos.size() >= 2 ? pos[1] : "list";
    auto runArg = [&](const char* usage) {
        if (pos.size() != 3)
            throw InputError(std::string("usage: lmwb queue ") + usage);
        return parseRunId(pos[2]);
    };
    if (sub == "list") {
        a.allowOnly("queue list", {});
        Catalog catalog(ctx.catalog, Catalog::IfExists{}); // reads only: creates nothing
        const auto q = catalog.queue();
        if (ctx.json) {
            auto arr = nlohmann::json::array();
            for (const auto& r : q) {
                auto j = runSummaryJson(r);
                j["control"] = r.control ? nlohmann::json(*r.control) : nlohmann::json(nullptr);
                arr.push_back(j);
            }
            std::cout << arr.dump() << '\n';
        } else if (q.empty()) {
            std::cout << "the queue is empty\n";
        } else {
            std::printf("%5s  %-9s  %-5s  %-16s  %-16s\n", "run", "status", "dev", "corpus", "arch");
            for (const auto& r : q)
                std::cout << describe(r) << '\n';
        }
        return 0;
    }
    if (sub == "add") {
        a.allowOnly("queue add", runOptionNames());
        if (pos.size() != 2)
            throw InputError("'lmwb queue add' takes the options of train, no positional arguments");
        const RunConfig cfg = parseRunOptions(a, "queue add");
        Catalog catalog(ctx.catalog);
        const auto id = queueRun(catalog, cfg);
        const auto q = catalog.queue();
        if (ctx.json)
            std::cout << nlohmann::json{{"run", id}, {"status", "queued"}, {"position", q.size()}}.dump() << '\n';
        else
            std::cout << "run " << id << " queued (" << q.size() << " in the queue)\n";
        return 0;
    }
    if (sub == "cancel" || sub == "pause" || sub == "resume") {
        a.allowOnly("queue " + sub, {});
        const auto id = runArg((sub + " RUN").c_str());
        Catalog catalog(ctx.catalog);
        const std::string what = catalog.controlRun(id, sub);
        if (ctx.json)
            std::cout << nlohmann::json{{"run", id}, {"status", what}}.dump() << '\n';
        else
            std::cout << "run " << id << ": " << what << '\n';
        return 0;
    }
    if (sub == "move") {
        a.allowOnly("queue move", {"--to"});
        const auto id = runArg("move RUN --to POSITION (1: next)");
        const auto to = a.integer("--to", 1, 1, 1000000);
        Catalog catalog(ctx.catalog);
        catalog.moveInQueue(id, static_cast<int>(to - 1));
        if (ctx.json) {
            auto arr = nlohmann::json::array();
            for (const auto& r : catalog.queue())
                arr.push_back(r.id);
            std::cout << nlohmann::json{{"run", id}, {"queue", arr}}.dump() << '\n';
        } else {
            std::cout << "run " << id << " moved to position " << to << '\n';
        }
        return 0;
    }
    if (sub == "slots") {
        a.allowOnly("queue slots", {"--device", "--set"});
        const std::string device = a.value("--device").value_or("cpu");
        Catalog catalog(ctx.catalog);
        if (a.value("--set"))
            catalog.setQueueSlots(device, static_cast<int>(a.integer("--set", 1, 1, 64)));
        const int n = catalog.queueSlots(device);
        if (ctx.json)
            std::cout << nlohmann::json{{"device", device}, {"slots", n}}.dump() << '\n';
        else
            std::cout << device << ": " << n << " run" << (n == 1 ? "" : "s") << " at a time\n";
        return 0;
    }
    if (sub == "run") {
        a.allowOnly("queue run", {"--device", "--wait"});
        const std::string device = a.value("--device").value_or("cpu");
        const bool wait = a.has("--wait");
        std::vector<std::string> collected;
        // Text: each run's summary line as it ends; JSON: one array at the end.
        const int rc = processQueue(ctx, device, [&] { return !wait; }, ctx.json ? &collected : nullptr);
        printCollected(ctx, collected);
        return rc;
    }
    throw InputError("unknown subcommand 'queue " + sub + "' (list, add, cancel, pause, resume, move, slots, run)");
}

int cmdSweep(Context& ctx)
{
    const auto& a = ctx.args;
    const auto& pos = a.positional();
    if (pos.size() < 2)
        throw InputError("usage: lmwb sweep FILE.json [--queue-only] [--device cpu|cuda] | sweep list | sweep show ID");
    auto printResults = [&](std::int64_t sweepId) {
        Catalog catalog(ctx.catalog);
        const SweepResults r = sweepResults(catalog, sweepId);
        if (ctx.json) {
            auto rows = nlohmann::json::array();
            for (const auto& row : r.rows) {
                nlohmann::json values;
                for (std::size_t k = 0; k < r.keys.size(); ++k)
                    values[r.keys[k]] = row.values[k];
                rows.push_back({{"run", row.run.id}, {"status", row.run.status}, {"values", values}, {"steps", row.steps},
                                {"val_loss", row.valLoss ? nlohmann::json(*row.valLoss) : nlohmann::json(nullptr)},
                                {"val_ppl", row.valPpl ? nlohmann::json(*row.valPpl) : nlohmann::json(nullptr)}});
            }
            std::cout << nlohmann::json{{"sweep", sweepId}, {"name", r.sweep.name}, {"runs", rows}}.dump() << '\n';
            return;
        }
        std::printf("sweep %lld %s: %zu runs, best first\n", static_cast<long long>(sweepId), r.sweep.name.c_str(), r.rows.size());
        std::printf("%5s  %-10s", "run", "status");
        for (const auto& k : r.keys)
            std::printf("  %14s", k.c_str());
        std::printf("  %9s  %9s\n", "val_loss", "val_ppl");
        for (const auto& row : r.rows) {
            std::printf("%5lld  %-10s", static_cast<long long>(row.run.id), enumName(row.run.status).c_str());
            for (const auto& v : row.values)
                std::printf("  %14s", v.c_str());
            if (row.valLoss)
                std::printf("  %9.4f  %9.3f\n", *row.valLoss, row.valPpl.value_or(0));
            else
                std::printf("  %9s  %9s\n", "-", "-");
        }
    };
    if (pos[1] == "list") {
        a.allowOnly("sweep list", {});
        Catalog catalog(ctx.catalog);
        auto arr = nlohmann::json::array();
        for (const auto& s : catalog.sweeps()) {
            const auto runs = catalog.sweepRuns(s.id);
            if (ctx.json)
                arr.push_back({{"sweep", s.id}, {"name", s.name}, {"runs", runs.size()}, {"created_at", s.createdAt}});
            else
                std::printf("%5lld  %-24s  %3zu runs  %s\n", static_cast<long long>(s.id), s.name.c_str(), runs.size(),
                            s.createdAt.c_str());
        }
        if (ctx.json)
            std::cout << arr.dump() << '\n';
        return 0;
    }
    if (pos[1] == "show") {
        a.allowOnly("sweep show", {});
        if (pos.size() != 3)
            throw InputError("usage: lmwb sweep show ID");
        printResults(parseRunId(pos[2]));
        return 0;
    }
    a.allowOnly("sweep", {"--queue-only", "--device"});
    if (pos.size() != 2)
        throw InputError("usage: lmwb sweep FILE.json [--queue-only] [--device cpu|cuda]");
    SweepPlan plan = planSweep(readFile(pos[1]), pos[1]);
    if (const auto device = a.value("--device")) { // overrides the file's train.device
        const auto d = parseEnum<Device>(*device);
        if (!d)
            throw InputError("--device '" + *device + "': expected cpu or cuda");
        for (auto& run : plan.runs)
            run.train.device = *d;
    }
    const QueuedSweep queued = enqueueSweep(ctx.catalog, plan);
    std::cerr << "sweep " << queued.sweepId << " (" << plan.name << "): " << plan.runs.size() << " runs queued ("
              << plan.method << " over";
    for (const auto& k : plan.keys)
        std::cerr << ' ' << k;
    std::cerr << ")\n";
    if (a.has("--queue-only")) {
        if (ctx.json) {
            std::cout << nlohmann::json{{"sweep", queued.sweepId}, {"name", plan.name}, {"runs", queued.runs}}.dump() << '\n';
        } else {
            std::cout << "sweep " << queued.sweepId << ": runs";
            for (auto id : queued.runs)
                std::cout << ' ' << id;
            std::cout << " queued; `lmwb queue run` or the GUI trains them\n";
        }
        return 0;
    }
    // Train through the queue until every run of the sweep has ended (or is
    // paused): other queued runs ahead of it run first, as queued.
    const std::string device = enumName(plan.runs.front().train.device);
    auto sweepDone = [&] {
        Catalog catalog(ctx.catalog);
        for (const auto& r : catalog.sweepRuns(queued.sweepId))
            if (r.status == status::kQueued || r.status == status::kRunning)
                return false;
        return true;
    };
    std::vector<std::string> collected; // the runs' own results stay off stdout: the table follows
    const int rc = processQueue(ctx, device, sweepDone, &collected);
    if (rc == 130)
        return rc;
    printResults(queued.sweepId);
    return rc;
}

} // namespace wb::cli
