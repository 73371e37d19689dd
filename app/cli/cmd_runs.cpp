// SPDX-License-Identifier: GPL-3.0-or-later
// lmwb runs list | show, lmwb generate, lmwb --version
#include "catalog/catalog.h"
#include "cli/commands.h"
#include "compute/runtime.h"
#include "core/containment.h"
#include "core/errors.h"
#include "compute/threads.h"
#include "core/version.h"
#include "services/corpus_service.h"
#include "services/generate.h"
#include "services/run_service.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>

namespace wb::cli {

std::int64_t parseRunId(const std::string& s)
{
    try {
        std::size_t used = 0;
        const long long v = std::stoll(s, &used);
        if (used == s.size() && v > 0)
            return v;
    } catch (...) {
    }
    throw InputError("RUN must be a run number (see lmwb runs list), got '" + s + "'");
}

namespace {

nlohmann::json optional(const auto& v)
{
    return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

} // namespace

nlohmann::json runSummaryJson(const RunRecord& r)
{
    return {{"run", r.id},          {"status", r.status},         {"corpus", r.corpusName},
            {"arch", r.arch},       {"device", r.device},         {"seed", r.seed},
            {"params", optional(r.params)}, {"created_at", r.createdAt}, {"started_at", optional(r.startedAt)},
            {"finished_at", optional(r.finishedAt)}, {"error", optional(r.error)}, {"code_version", r.codeVersion},
            {"queue_pos", optional(r.queuePos)}, {"sweep", optional(r.sweepId)}, {"parent", optional(r.parentRun)}, {"teacher", optional(r.teacherRun)},
            {"trainable_params", optional(r.trainableParams)}, {"stored_bytes", optional(r.storedBytes)}};
}

int cmdVersion(Context& ctx)
{
    if (ctx.json) {
        std::cout << nlohmann::json{{"version", versionString()}, {"revision", codeRevision()}, {"build", buildInfo()}}
                         .dump()
                  << '\n';
    } else {
        std::cout << "lmwb " << versionString() << " (" << codeRevision() << ")\n" << buildInfo() << '\n';
    }
    return 0;
}

int cmdRuns(Context& ctx)
{
    const auto& pos = ctx.args.positional();
    const std::string sub = pos.size() >= 2 ? pos[1] : "list";
    if (sub == "delete") {
        ctx.args.allowOnly("runs delete", {"--with-children"});
        if (pos.size() != 3)
            throw InputError("usage: lmwb runs delete RUN [--with-children]");
        const auto id = parseRunId(pos[2]);
        if (!std::filesystem::exists(ctx.catalog))
            throw InputError("no run " + std::to_string(id) + " in the catalog (" + ctx.catalog.string() + " does not exist)");
        Catalog catalog(ctx.catalog);
        const auto done = deleteRun(catalog, id, ctx.args.has("--with-children"));
        if (ctx.json) {
            std::cout << nlohmann::json{{"deleted", done.runs}, {"files", done.files}}.dump() << '\n';
        } else {
            std::cout << "deleted run" << (done.runs.size() == 1 ? " " : "s ");
            for (std::size_t i = 0; i < done.runs.size(); ++i)
                std::cout << (i ? ", " : "") << done.runs[i];
            std::cout << " (" << done.files << " file" << (done.files == 1 ? "" : "s") << ")\n";
        }
        return 0;
    }
    ctx.args.allowOnly("runs " + sub, {});
    Catalog catalog(ctx.catalog, Catalog::IfExists{}); // reads only: creates nothing
    if (sub == "list") {
        const auto runs = catalog.runs();
        if (ctx.json) {
            auto arr = nlohmann::json::array();
            for (const auto& r : runs)
                arr.push_back(runSummaryJson(r));
            std::cout << arr.dump() << '\n';
        } else {
            std::printf("%5s  %-9s  %-16s  %-16s  %10s  %s\n", "run", "status", "corpus", "arch", "params", "created");
            for (const auto& r : runs)
                std::printf("%5lld  %-9s  %-16s  %-16s  %10lld  %s\n", static_cast<long long>(r.id), enumName(r.status).c_str(),
                            r.corpusName.c_str(), r.arch.c_str(), static_cast<long long>(r.params.value_or(0)),
                            r.createdAt.c_str());
        }
        return 0;
    }
    if (sub == "show") {
        if (pos.size() != 3)
            throw InputError("usage: lmwb runs show RUN");
        const auto id = parseRunId(pos[2]);
        const auto r = catalog.run(id);
        if (!r)
            throw InputError("no run " + std::to_string(id) + " in the catalog");
        nlohmann::json j = runSummaryJson(*r);
        j["config"] = nlohmann::json::parse(r->config);
        std::map<std::string, nlohmann::json> series;
        for (const auto& m : catalog.metrics(id))
            series[m.name].push_back({{"step", m.step}, {"value", m.value}, {"wall_time", m.wallTime}});
        j["metrics"] = series;
        auto cps = nlohmann::json::array();
        for (const auto& a : catalog.runArtifacts(id, "checkpoint"))
            cps.push_back({{"step", a.step.value_or(0)},
                           // A row of a received catalog may point anywhere: shown as it is, marked, never resolved.
                           {"path", containmentProblem(catalog.artifactDir(), a.path)
                                        ? a.path + " (points outside the catalog; lmwb check --repair drops the row)"
                                        : catalog.artifactPath(a.path).string()},
                           {"bytes", a.bytes}});
        j["checkpoints"] = cps;
        auto samples = nlohmann::json::array();
        for (const auto& s : catalog.samples(id))
            samples.push_back({{"step", s.step}, {"prompt", s.prompt}, {"text", s.text}});
        j["samples"] = samples;
        if (ctx.json) {
            std::cout << j.dump() << '\n';
        } else {
            std::cout << "run " << r->id << " (" << enumName(r->status) << ") on corpus " << r->corpusName << ", arch " << r->arch
                      << ", device " << r->device << ", seed " << r->seed << '\n';
            if (r->error)
                std::cout << "error: " << *r->error << '\n';
            std::cout << "config: " << r->config << '\n';
            for (const auto& [name, pts] : series)
                std::cout << "  " << name << ": " << pts.size() << " points, last " << pts.back()["value"].get<double>()
                          << " at step " << pts.back()["step"].get<std::int64_t>() << '\n';
            for (const auto& c : cps)
                std::cout << "  checkpoint at step " << c["step"] << ": " << c["path"].get<std::string>() << '\n';
            if (!samples.empty())
                std::cout << "latest sample:\n" << samples.back()["prompt"].get<std::string>()
                          << samples.back()["text"].get<std::string>() << '\n';
        }
        return 0;
    }
    throw InputError("unknown subcommand 'runs " + sub + "' (list, show, delete)");
}

int cmdGenerate(Context& ctx)
{
    const auto& a = ctx.args;
    a.allowOnly("generate", {"--prompt", "--max-tokens", "--temperature", "--top-k", "--top-p", "--seed", "--no-cache", "--threads"});
    const auto& pos = a.positional();
    if (pos.size() != 2)
        throw InputError("usage: lmwb generate RUN --prompt TEXT [--max-tokens N] [--temperature T] [--top-k K] [--top-p P] "
                         "[--seed S] [--no-cache]");
    const auto id = parseRunId(pos[1]);
    GenerateOptions opt;
    opt.prompt = a.value("--prompt").value_or("\n");
    opt.maxTokens = static_cast<int>(a.integer("--max-tokens", 200, 0, 1000000));
    opt.temperature = a.number("--temperature", 0.8, 0.0, 100.0);
    opt.topK = static_cast<int>(a.integer("--top-k", 0, 0, INT32_MAX));
    opt.topP = a.number("--top-p", 1.0, 0.0, 1.0);
    if (opt.topP <= 0)
        throw InputError("--top-p must be greater than 0 and at most 1, got 0");
    opt.seed = static_cast<std::uint64_t>(a.integer("--seed", 1, 0, INT64_MAX));
    opt.cache = !a.has("--no-cache");
    // Batch-1 decoding is many small operations: one thread unless asked.
    configureThreads(static_cast<int>(a.integer("--threads", 1, 0, 1024)));
    Catalog catalog(ctx.catalog, Catalog::IfExists{}); // reads only: creates nothing
    GenerateStats st;
    const std::string text = generateFromRun(catalog, id, opt, &ctx.interrupted, &st);
    if (ctx.json)
        std::cout << nlohmann::json{{"run", id},
                                    {"prompt", opt.prompt},
                                    {"text", text},
                                    {"prompt_tokens", st.promptTokens},
                                    {"tokens", st.tokens},
                                    {"cache", opt.cache},
                                    {"prefill_ms", st.prefillMs},
                                    {"decode_tokens_per_s", st.decodeTokensPerSecond},
                                    {"reanchors", st.reanchors}}
                         .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
                  << '\n';
    else
        std::cout << opt.prompt << text << '\n';
    return ctx.interrupted.load() ? 130 : 0;
}

int cmdGenerateCorpus(Context& ctx)
{
    const auto& a = ctx.args;
    a.allowOnly("generate-corpus", {"--name", "--documents", "--max-tokens", "--temperature", "--top-k", "--prompt-tokens", "--seed",
                                    "--threads"});
    const auto& pos = a.positional();
    if (pos.size() != 2)
        throw InputError("usage: lmwb generate-corpus RUN --name NAME --documents N [--max-tokens M] [--temperature T] [--top-k K] "
                         "[--prompt-tokens P] [--seed S]");
    const auto id = parseRunId(pos[1]);
    GenerateCorpusOptions opt;
    opt.name = a.require("--name", "generate-corpus");
    opt.documents = static_cast<int>(a.integer("--documents", 100, 1, 10'000'000));
    opt.maxTokens = static_cast<int>(a.integer("--max-tokens", 256, 1, 1'000'000));
    opt.temperature = a.number("--temperature", 1.0, 0.0, 100.0);
    opt.topK = static_cast<int>(a.integer("--top-k", 0, 0, 10'000'000));
    opt.promptTokens = static_cast<int>(a.integer("--prompt-tokens", 16, 0, 1'000'000));
    opt.seed = static_cast<std::uint64_t>(a.integer("--seed", 1, 0, INT64_MAX));
    configureThreads(static_cast<int>(a.integer("--threads", 0, 0, 1024)));
    Catalog catalog(ctx.catalog);
    const auto g = generateCorpus(catalog, id, opt, [&](double f) {
        progressLine("generate-corpus: " + std::to_string(static_cast<int>(100 * f)) + " %", f >= 1.0);
        return !ctx.interrupted.load();
    });
    if (ctx.interrupted.load()) { // Ctrl-C while the corpus was committed: nothing is kept
        removeCorpusWithFiles(catalog, g.corpus.name);
        throw Cancelled();
    }
    if (ctx.json)
        std::cout << nlohmann::json{{"corpus", g.corpus.name}, {"source_run", id}, {"documents", g.corpus.documents},
                                    {"sampled_tokens", g.sampledTokens}, {"bytes", g.corpus.bytes}, {"chars", g.corpus.chars}}
                         .dump()
                  << '\n';
    else
        std::printf("corpus %s: %lld documents sampled from run %lld (%lld tokens, %lld bytes)\n", g.corpus.name.c_str(),
                    static_cast<long long>(g.corpus.documents), static_cast<long long>(id),
                    static_cast<long long>(g.sampledTokens), static_cast<long long>(g.corpus.bytes));
    return 0;
}

} // namespace wb::cli
