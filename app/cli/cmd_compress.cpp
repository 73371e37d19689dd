// SPDX-License-Identifier: GPL-3.0-or-later
// lmwb compress, lmwb variants, lmwb bench infer: compression variants and
// the one measuring protocol (services/compress.h, methods.md B11).
#include "cli/commands.h"
#include "settings/compression_settings.h"

#include "catalog/catalog.h"
#include "core/errors.h"
#include "services/compress.h"
#include "services/run_service.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>

namespace wb::cli {

namespace {

using nlohmann::json;

// The keys, in this order, for every variant line.
const char* const kKeys[] = {"run", "parent", "method", "params", "nonzero", "file_bytes", "gzip_bytes", "val_loss",
                             "val_ppl", "val_bpc", "latency_ms_p50", "latency_ms_p90", "tokens_per_s"};

std::function<bool(double)> stderrProgress(Context& ctx, const std::string& what)
{
    return [&ctx, what](double f) {
        char buf[160];
        std::snprintf(buf, sizeof buf, "%s %3.0f%%", what.c_str(), 100.0 * f);
        progressLine(buf, f >= 1.0);
        return !ctx.interrupted.load();
    };
}

std::string fmtBytes(double b)
{
    char buf[32];
    if (b >= 1e6)
        std::snprintf(buf, sizeof buf, "%.2f MB", b / 1e6);
    else
        std::snprintf(buf, sizeof buf, "%.1f kB", b / 1e3);
    return buf;
}

void printTableHeader()
{
    std::printf("%-5s %-6s %-9s %10s %10s %10s %10s %8s %7s %9s %9s %10s\n", "run", "parent", "method", "params", "nonzero",
                "file", "gzip", "val_ppl", "bpc", "p50 ms", "p90 ms", "tok/s");
}

void printRow(const json& m)
{
    auto str = [&](const char* k) { return m.at(k).is_null() ? std::string("-") : m.at(k).is_string() ? m.at(k).get<std::string>() : m.at(k).dump(); };
    std::printf("%-5s %-6s %-9s %10lld %10lld %10s %10s %8.3f %7.3f %9.3f %9.3f %10.0f\n", str("run").c_str(), str("parent").c_str(),
                str("method").c_str(), m.at("params").get<long long>(), m.at("nonzero").get<long long>(),
                fmtBytes(m.at("file_bytes").get<double>()).c_str(), fmtBytes(m.at("gzip_bytes").get<double>()).c_str(),
                m.at("val_ppl").get<double>(), m.at("val_bpc").get<double>(), m.at("latency_ms_p50").get<double>(),
                m.at("latency_ms_p90").get<double>(), m.at("tokens_per_s").get<double>());
}

json keysOnly(const json& m, bool all)
{
    if (all)
        return m;
    json out;
    for (const char* k : kKeys)
        out[k] = m.value(k, json(nullptr));
    return out;
}

} // namespace

int cmdCompress(Context& ctx)
{
    const auto& a = ctx.args;
    a.allowOnly("compress", {"--method", "--sparsity", "--scope", "--schedule", "--structured", "--bits", "--calibrate", "--energy", "--rank", "--budget", "--finetune-steps"});
    if (a.positional().size() != 2)
        throw InputError("usage: lmwb compress RUN --method prune|quantize|lowrank [--sparsity S] [--scope layer|global] "
                         "[--structured heads|ffn|units|channels] [--schedule oneshot|gradual] [--bits 8 [--calibrate N]] [--energy E | --rank R | --budget F] "
                         "[--finetune-steps N] [--json]");
    CompressRequest r;
    r.run = parseRunId(a.positional()[1]);
    r.method = a.require("--method", "compress");
    // Each option through its row of the compression table: parsed and
    // range-checked there (a SettingError names the key; the CLI's handler
    // spells it as the flag). Unset numbers stay 0: "not given".
    auto option = [&](const char* key) -> std::optional<SettingValue> {
        const Setting& row = compressionSetting(key);
        if (const auto text = a.value(row.cliFlag())) {
            const SettingValue v = parseSetting(row, *text);
            checkSetting(row, v, *text);
            return v;
        }
        return std::nullopt;
    };
    auto number = [&](const char* key, double unset) {
        const auto v = option(key);
        if (!v)
            return unset;
        return std::holds_alternative<double>(*v) ? std::get<double>(*v) : static_cast<double>(std::get<std::int64_t>(*v));
    };
    r.sparsity = number("sparsity", std::get<double>(compressionSetting("sparsity").defaultValue));
    r.scope = a.value("--scope").value_or(std::get<std::string>(compressionSetting("scope").defaultValue));
    r.schedule = a.value("--schedule").value_or(std::get<std::string>(compressionSetting("prune_schedule").defaultValue));
    r.structured = a.value("--structured").value_or("");
    r.bits = static_cast<int>(a.integer("--bits", 8, -1000000, 1000000));
    r.energy = number("energy", 0);
    r.rank = static_cast<std::int64_t>(number("rank", 0));
    r.budget = number("budget", 0);
    r.finetuneSteps = static_cast<std::int64_t>(number("finetune_steps", 0));
    for (const char* only : {"--sparsity", "--scope", "--schedule", "--structured"})
        if (a.has(only) && r.method != "prune")
            throw InputError(std::string(only) + " is an option of --method prune");
    for (const char* only : {"--energy", "--rank", "--budget"})
        if (a.has(only) && r.method != "lowrank")
            throw InputError(std::string(only) + " is an option of --method lowrank");
    r.calibrate = static_cast<int>(number("calibrate", 0));
    for (const char* only : {"--bits", "--calibrate"})
        if (a.has(only) && r.method != "quantize")
            throw InputError(std::string(only) + " is an option of --method quantize");

    std::vector<std::int64_t> made;
    {
        Catalog catalog(ctx.catalog);
        checkCompressRequest(catalog, r);
    }
    std::optional<std::int64_t> trainFrom; // the run a recovery or gradual fine-tune starts from
    RunConfig trainConfig;
    if (r.method == "prune" && r.schedule == "gradual") {
        Catalog catalog(ctx.catalog);
        trainConfig = gradualPruneConfig(catalog, r);
        trainFrom = r.run;
    } else {
        Catalog catalog(ctx.catalog);
        const std::int64_t variant = makeVariant(catalog, r, stderrProgress(ctx, "compressing run " + std::to_string(r.run) + ":"));
        std::cerr << "run " << variant << ": " << r.method << " variant of run " << r.run << '\n';
        made.push_back(variant);
        if (r.finetuneSteps > 0) {
            trainConfig = recoveryConfig(catalog, variant, r.finetuneSteps);
            trainFrom = variant;
        }
    }
    if (trainFrom) {
        std::vector<std::string> out;
        std::optional<std::int64_t> trained;
        const int rc = runAndReport(ctx, [&](EventListener l) {
            auto job = newRun(ctx.catalog, trainConfig, std::move(l));
            trained = job->runId();
            return job;
        }, false, &out);
        if (rc != 0) {
            // Stopped (Ctrl-C) or failed while fine-tuning: the command
            // leaves nothing behind, neither the variant nor its fine-tune.
            Catalog catalog(ctx.catalog);
            for (const auto id : made)
                deleteRun(catalog, id, true);
            if (trained && catalog.run(*trained))
                deleteRun(catalog, *trained, true);
            std::cerr << "nothing was kept: the variant" << (made.empty() ? "" : " and its fine-tune") << " were removed\n";
            return rc;
        }
        made.push_back(json::parse(out.back()).at("run").get<std::int64_t>());
    }
    Catalog catalog(ctx.catalog);
    json results = json::array();
    for (std::int64_t id : made)
        results.push_back(json::parse(measureRun(catalog, id, {}, stderrProgress(ctx, "measuring run " + std::to_string(id) + ":"))));
    if (ctx.json) {
        std::cout << keysOnly(results.back(), true).dump() << '\n';
    } else {
        printTableHeader();
        for (const auto& m : results)
            printRow(m);
    }
    return 0;
}

int cmdVariants(Context& ctx)
{
    const auto& a = ctx.args;
    a.allowOnly("variants", {});
    if (a.positional().size() != 2)
        throw InputError("usage: lmwb variants RUN [--json]");
    const std::int64_t run = parseRunId(a.positional()[1]);
    Catalog catalog(ctx.catalog, Catalog::IfExists{}); // reads only: creates nothing
    json rows = json::array();
    for (std::int64_t id : variantTree(catalog, run)) {
        const auto row = catalog.run(id);
        if (!row || row->status == RunStatus::Running || row->status == RunStatus::Queued)
            continue;
        try {
            rows.push_back(json::parse(storedOrMeasured(catalog, id, stderrProgress(ctx, "measuring run " + std::to_string(id) + ":"))));
        } catch (const InputError& e) {
            // A descendant that is not a language model (a classifier) or has no checkpoint.
            std::cerr << "run " << id << ": not measured: " << e.what() << '\n';
        }
    }
    if (ctx.json) {
        std::cout << rows.dump() << '\n';
    } else {
        printTableHeader();
        for (const auto& m : rows)
            printRow(m);
    }
    return 0;
}

int cmdBenchInfer(Context& ctx)
{
    const auto& a = ctx.args;
    a.allowOnly("bench", {"--batch", "--threads", "--runs"});
    if (a.positional().size() != 3)
        throw InputError("usage: lmwb bench infer RUN [--batch B] [--threads N] [--runs N] [--json]");
    const std::int64_t run = parseRunId(a.positional()[2]);
    MeasureOptions o;
    o.batch = static_cast<int>(a.integer("--batch", 16, 1, 4096));
    o.threads = static_cast<int>(a.integer("--threads", 1, 0, 1024));
    o.latencyRuns = static_cast<int>(a.integer("--runs", 100, 10, 100000));
    o.store = !a.has("--batch") && !a.has("--threads") && !a.has("--runs");
    Catalog catalog(ctx.catalog, Catalog::IfExists{}); // reads only: creates nothing
    const json m = json::parse(measureRun(catalog, run, o, stderrProgress(ctx, "measuring run " + std::to_string(run) + ":")));
    if (ctx.json) {
        std::cout << m.dump() << '\n';
    } else {
        std::printf("run %lld: %s file, %lld params (%lld non-zero)\n  val ppl %.3f, %.3f bits/char\n"
                    "  next-token latency (batch 1, %d-token window): p50 %.3f ms, p90 %.3f ms\n"
                    "  throughput (batch %d): %.0f tokens/s; %d threads, int8 engine %s\n  %s, LibTorch %s\n",
                    static_cast<long long>(run), fmtBytes(m.at("file_bytes").get<double>()).c_str(), m.at("params").get<long long>(),
                    m.at("nonzero").get<long long>(), m.at("val_ppl").get<double>(), m.at("val_bpc").get<double>(),
                    m.at("context").get<int>(), m.at("latency_ms_p50").get<double>(), m.at("latency_ms_p90").get<double>(),
                    m.at("batch").get<int>(), m.at("tokens_per_s").get<double>(), m.at("threads").get<int>(),
                    m.at("int8_engine").get<std::string>().c_str(), m.at("cpu").get<std::string>().c_str(),
                    m.at("torch_version").get<std::string>().c_str());
    }
    return 0;
}

} // namespace wb::cli
