// SPDX-License-Identifier: GPL-3.0-or-later
// lmwb bleu HYP_FILE REF_FILE...: corpus BLEU of text files as sacreBLEU
// scores them by default. lmwb eval RUN: a run's task metrics recomputed.
#include "catalog/catalog.h"
#include "cli/commands.h"
#include "compute/threads.h"
#include "services/evaluate.h"
#include "core/errors.h"
#include "core/files.h"
#include "data/utf8.h"
#include "metrics/bleu.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>

namespace wb::cli {

namespace {

// One segment per line (a final newline ends the last line, it adds none);
// InputError naming the file, line and byte offset of invalid UTF-8.
std::vector<std::string> readSegments(const std::string& path)
{
    const std::string text = readFile(path);
    if (const auto bad = utf8::validate(text))
        throw InputError(path + ": invalid UTF-8 at byte offset " + std::to_string(bad->byteOffset) + " (line "
                         + std::to_string(bad->line) + "): " + bad->what);
    std::vector<std::string> lines;
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t nl = text.find('\n', pos);
        if (nl == std::string::npos)
            nl = text.size();
        std::string line = text.substr(pos, nl - pos);
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        lines.push_back(std::move(line));
        pos = nl + 1;
    }
    return lines;
}

} // namespace

int cmdBleu(Context& ctx)
{
    const auto& a = ctx.args;
    a.allowOnly("bleu", {});
    const auto& pos = a.positional();
    if (pos.size() < 3)
        throw InputError("usage: lmwb bleu HYP_FILE REF_FILE... [--json]");
    const auto hyps = readSegments(pos[1]);
    std::vector<std::vector<std::string>> refs;
    for (std::size_t i = 2; i < pos.size(); ++i) {
        refs.push_back(readSegments(pos[i]));
        if (refs.back().size() != hyps.size())
            throw InputError(pos[i] + " has " + std::to_string(refs.back().size()) + " lines, " + pos[1] + " has "
                             + std::to_string(hyps.size()) + ": one segment per line in each");
    }
    const BleuScore s = corpusBleu(hyps, refs);
    if (ctx.json) {
        std::cout << nlohmann::json{{"bleu", s.bleu},       {"precisions", s.precisions}, {"bp", s.bp},
                                    {"sys_len", s.sysLen},  {"ref_len", s.refLen},        {"signature", s.signature}}
                         .dump()
                  << '\n';
    } else {
        // sacreBLEU's line.
        std::printf("BLEU = %.2f %.1f/%.1f/%.1f/%.1f (BP = %.3f ratio = %.3f hyp_len = %lld ref_len = %lld)\n%s\n", s.bleu,
                    s.precisions[0], s.precisions[1], s.precisions[2], s.precisions[3], s.bp,
                    s.refLen ? static_cast<double>(s.sysLen) / static_cast<double>(s.refLen) : 0.0,
                    static_cast<long long>(s.sysLen), static_cast<long long>(s.refLen), s.signature.c_str());
    }
    return 0;
}

namespace {

void printEval(const nlohmann::json& j)
{
    const std::string task = j["task"];
    std::printf("run %lld, task %s, %s split: loss %.4f, ppl %.3f", static_cast<long long>(j["run"].get<std::int64_t>()),
                task.c_str(), j["split"].get<std::string>().c_str(), j["loss"].get<double>(), j["ppl"].get<double>());
    if (j.contains("bpc"))
        std::printf(", bpc %.4f", j["bpc"].get<double>());
    std::printf("\n");
    if (task == "classify") {
        std::printf("accuracy %.4f, macro-F1 %.4f on %lld documents; always '%s' (the majority class): accuracy %.4f, macro-F1 %.4f\n",
                    j["accuracy"].get<double>(), j["macro_f1"].get<double>(), static_cast<long long>(j["examples"].get<std::int64_t>()),
                    j["majority_class"].get<std::string>().c_str(), j["majority_accuracy"].get<double>(),
                    j["majority_macro_f1"].get<double>());
        std::printf("%-24s %9s %9s %9s %8s\n", "class", "precision", "recall", "F1", "support");
        for (const auto& c : j["classes"])
            std::printf("%-24s %9.3f %9.3f %9.3f %8lld\n", c["label"].get<std::string>().c_str(), c["precision"].get<double>(),
                        c["recall"].get<double>(), c["f1"].get<double>(), static_cast<long long>(c["support"].get<std::int64_t>()));
        std::printf("confusion (rows: true class, columns: predicted):\n");
        for (const auto& row : j["confusion"]) {
            for (const auto& v : row)
                std::printf("%6lld", static_cast<long long>(v.get<std::int64_t>()));
            std::printf("\n");
        }
    } else if (task == "pairs" && !j["bleu"].is_null()) {
        std::printf("exact match %.4f, BLEU %.2f over %zu generated answers\n", j["exact_match"].get<double>(), j["bleu"].get<double>(),
                    j["generations"].size());
        std::size_t shown = 0;
        for (const auto& g : j["generations"]) {
            if (++shown > 3)
                break;
            std::printf("-- prompt: %s\n   reference: %s\n   generated: %s\n", g["prompt"].get<std::string>().c_str(),
                        g["reference"].get<std::string>().c_str(), g["generated"].get<std::string>().c_str());
        }
    }
}

} // namespace

int cmdEval(Context& ctx)
{
    const auto& a = ctx.args;
    a.allowOnly("eval", {"--split", "--limit", "--batch", "--threads"});
    const auto& pos = a.positional();
    if (pos.size() != 2)
        throw InputError("usage: lmwb eval RUN [--split validation|test] [--limit N] [--json]");
    const auto id = parseRunId(pos[1]);
    EvaluateOptions opt;
    opt.split = a.value("--split").value_or("validation");
    opt.generateLimit = a.integer("--limit", -1, -1, INT64_MAX);
    opt.batch = static_cast<int>(a.integer("--batch", 32, 1, 65536));
    configureThreads(static_cast<int>(a.integer("--threads", 0, 0, 1024)));
    Catalog catalog(ctx.catalog, Catalog::IfExists{}); // reads only: creates nothing
    const auto j = nlohmann::json::parse(evaluateRun(catalog, id, opt, &ctx.interrupted));
    if (ctx.json)
        std::cout << j.dump() << '\n';
    else
        printEval(j);
    return 0;
}

} // namespace wb::cli
