// SPDX-License-Identifier: GPL-3.0-or-later
// lmwb corpus add | list | show | remove | system
#include "catalog/catalog.h"
#include "cli/commands.h"
#include "services/corpus_service.h"
#include "core/errors.h"
#include "data/corpus_import.h"
#include "store/corpus_store.h"
#include "data/system_corpora.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <iostream>

namespace wb::cli {

namespace {

void printCorpus(const nlohmann::json& j)
{
    const auto& s = j["splits"];
    auto n = [](const nlohmann::json& v) { return v.is_number() ? v.get<long long>() : 0LL; };
    std::printf("%s: %lld documents, %lld bytes, %lld characters\n", j["name"].get<std::string>().c_str(),
                n(j["documents"]), n(j["bytes"]), n(j["chars"]));
    if (j.contains("source_run") && j["source_run"].is_number())
        std::printf("  sampled from run %lld (lmwb generate-corpus)\n", j["source_run"].get<long long>());
    for (const char* split : kSplitNames)
        if (s.contains(split))
            std::printf("  %-10s %10lld documents %12lld characters\n", split, n(s[split].value("documents", nlohmann::json())),
                        n(s[split]["chars"]));
    if (!j["labels"].empty()) {
        std::printf("  labels:");
        for (const auto& [label, count] : j["labels"].items())
            std::printf(" %s=%lld", label.c_str(), count.get<long long>());
        std::printf("\n");
    }
}

void printDetails(const nlohmann::json& j)
{
    printCorpus(j);
    std::printf("  split %s, seed %lld; %lld duplicates removed, %lld too short, %lld too long, %zu files skipped\n",
                j["split"].get<std::string>().c_str(), j["split_seed"].get<long long>(),
                j["duplicates_removed"].get<long long>(), j["too_short"].get<long long>(),
                j["too_long"].get<long long>(), j["skipped"].size());
    if (!j["length_histogram"].empty()) {
        std::printf("  document length (characters):\n");
        long long most = 1;
        for (const auto& b : j["length_histogram"])
            most = std::max(most, b["documents"].get<long long>());
        for (const auto& b : j["length_histogram"]) {
            const auto count = b["documents"].get<long long>();
            std::printf("    %9lld-%-9lld %9lld %s\n", b["min_chars"].get<long long>(), b["max_chars"].get<long long>(),
                        count, std::string(static_cast<std::size_t>(40 * count / most), '#').c_str());
        }
    }
    if (!j["top_chars"].empty()) {
        std::printf("  most frequent characters:");
        for (const auto& c : j["top_chars"]) {
            std::string ch = c["char"].get<std::string>();
            if (ch == "\n") ch = "\\n";
            else if (ch == " ") ch = "' '";
            else if (ch == "\t") ch = "\\t";
            std::printf(" %s", ch.c_str());
        }
        std::printf("\n");
    }
    if (!j["tokenizers"].empty()) {
        std::printf("  %-28s %-8s %7s %12s %12s %12s %7s %8s\n", "tokenizer", "kind", "vocab", "train", "validation",
                    "test", "B/tok", "unk");
        for (const auto& t : j["tokenizers"])
            std::printf("  %-28s %-8s %7lld %12lld %12lld %12lld %7.3f %7.4f%%\n", t["name"].get<std::string>().c_str(),
                        t["kind"].get<std::string>().c_str(), t["vocab_size"].get<long long>(),
                        t["tokens"]["train"].get<long long>(), t["tokens"]["validation"].get<long long>(),
                        t["tokens"]["test"].get<long long>(), t["bytes_per_token"].get<double>(),
                        100.0 * t["unk_rate"].get<double>());
    }
}

CorpusRecord runImport(Context& ctx, Catalog& catalog, const CorpusImportOptions& opt)
{
    const CorpusRecord c = importCorpus(catalog, opt, [&](double f) {
        progressLine("importing " + opt.name + ": " + std::to_string(static_cast<int>(f * 100)) + "%", f >= 1.0);
        return !ctx.interrupted.load();
    });
    // Ctrl-C after the last progress report, while the import committed:
    // the command still leaves nothing behind.
    if (ctx.interrupted.load()) {
        removeCorpusWithFiles(catalog, c.name);
        throw Cancelled();
    }
    return c;
}

int reportImport(Context& ctx, Catalog& catalog, const CorpusRecord& c)
{
    const auto j = nlohmann::json::parse(corpusSummaryJson(catalog, c, false));
    if (ctx.json) {
        std::cout << j.dump() << '\n';
        return 0;
    }
    printCorpus(j);
    for (const auto& s : j["skipped"])
        std::cerr << "skipped " << s["path"].get<std::string>() << ": " << s["reason"].get<std::string>() << '\n';
    for (const auto& b : j["bad_utf8"])
        std::cerr << b["path"].get<std::string>() << ": invalid UTF-8 at byte offset " << b["byte_offset"] << " (line "
                  << b["line"] << "): " << b["action"].get<std::string>() << '\n';
    for (const auto& b : j["bad_records"])
        std::cerr << "skipped: " << b["problem"].get<std::string>() << '\n';
    if (j["duplicates_removed"].get<std::int64_t>() > 0)
        std::cerr << j["duplicates_removed"].get<std::int64_t>() << " duplicate documents removed\n";
    for (const char* k : {"too_short", "too_long"})
        if (j[k].get<std::int64_t>() > 0)
            std::cerr << j[k].get<std::int64_t>() << " documents left out as " << (k[4] == 's' ? "too short" : "too long") << '\n';
    return 0;
}

} // namespace

int cmdCorpus(Context& ctx)
{
    const auto& pos = ctx.args.positional();
    if (pos.size() < 2)
        throw InputError("usage: lmwb corpus add NAME PATH... | list | show NAME | remove NAME | system [NAME]");
    const std::string sub = pos[1];
    if (sub == "add") {
        ctx.args.allowOnly("corpus add", {"--seed", "--split", "--format", "--text-field", "--label-field", "--glob",
                                          "--prompt-field", "--target-field", "--exclude", "--on-bad-utf8", "--on-bad-record", "--min-chars", "--max-chars",
                                          "--no-nfc"});
        if (pos.size() < 4)
            throw InputError("usage: lmwb corpus add NAME PATH...");
        CorpusImportOptions opt;
        opt.name = pos[2];
        for (std::size_t i = 3; i < pos.size(); ++i)
            opt.paths.emplace_back(pos[i]);
        opt.seed = static_cast<std::uint64_t>(ctx.args.integer("--seed", 1234, 0, INT64_MAX));
        if (auto s = ctx.args.value("--split"))
            opt.split = parseSplit(*s);
        opt.format = parseTextFormat(ctx.args.value("--format").value_or("auto"));
        opt.textField = ctx.args.value("--text-field").value_or("text");
        if (opt.textField.empty())
            throw InputError("--text-field needs a field or column name");
        if (auto l = ctx.args.value("--label-field")) {
            if (l->empty())
                throw InputError("--label-field needs a field or column name");
            if (opt.format != TextFormat::Jsonl && opt.format != TextFormat::Csv && opt.format != TextFormat::Tsv
                && opt.format != TextFormat::Auto)
                throw InputError("--label-field applies to jsonl, csv and tsv; labeled folders use --format folders");
            opt.labelField = *l;
        }
        for (auto [flag, field] : {std::pair{"--prompt-field", &opt.promptField}, std::pair{"--target-field", &opt.targetField}})
            if (auto v = ctx.args.value(flag)) {
                if (v->empty())
                    throw InputError(std::string(flag) + " needs a field or column name");
                *field = *v;
            }
        opt.onBadUtf8 = parseBadUtf8Policy(ctx.args.value("--on-bad-utf8").value_or("fail"));
        opt.onBadRecord = parseBadRecordPolicy(ctx.args.value("--on-bad-record").value_or("fail"));
        opt.include = ctx.args.values("--glob");
        opt.exclude = ctx.args.values("--exclude");
        opt.minChars = ctx.args.integer("--min-chars", 1, 0, INT64_MAX);
        opt.maxChars = ctx.args.integer("--max-chars", 0, 0, INT64_MAX);
        opt.nfc = !ctx.args.has("--no-nfc");
        Catalog catalog(ctx.catalog);
        const auto c = runImport(ctx, catalog, opt);
        return reportImport(ctx, catalog, c);
    }
    if (sub == "list") {
        ctx.args.allowOnly("corpus list", {});
        Catalog catalog(ctx.catalog, Catalog::IfExists{}); // reads only: creates nothing
        auto all = nlohmann::json::array();
        for (const auto& c : catalog.corpora()) {
            auto j = nlohmann::json::parse(corpusSummaryJson(catalog, c, false));
            if (ctx.json)
                all.push_back(j);
            else
                printCorpus(j);
        }
        if (ctx.json)
            std::cout << all.dump() << '\n';
        return 0;
    }
    if (sub == "show") {
        ctx.args.allowOnly("corpus show", {});
        if (pos.size() != 3)
            throw InputError("usage: lmwb corpus show NAME");
        Catalog catalog(ctx.catalog, Catalog::IfExists{}); // reads only: creates nothing
        const auto j = nlohmann::json::parse(showCorpus(catalog, pos[2]));
        if (ctx.json)
            std::cout << j.dump() << '\n';
        else
            printDetails(j);
        return 0;
    }
    if (sub == "remove") {
        ctx.args.allowOnly("corpus remove", {});
        if (pos.size() != 3)
            throw InputError("usage: lmwb corpus remove NAME");
        Catalog catalog(ctx.catalog);
        const std::size_t files = removeCorpusWithFiles(catalog, pos[2]);
        if (ctx.json)
            std::cout << nlohmann::json{{"removed", pos[2]}, {"files", files}}.dump() << '\n';
        else
            std::printf("removed corpus %s (%zu files)\n", pos[2].c_str(), files);
        return 0;
    }
    if (sub == "system") {
        ctx.args.allowOnly("corpus system", {"--seed", "--as"});
        if (pos.size() == 2) {
            auto all = nlohmann::json::array();
            for (const auto& c : systemCorpora()) {
                std::vector<std::string> paths;
                for (const auto& p : c.options.paths)
                    paths.push_back(p.string());
                if (paths.size() > 3) // fortunes: one path per category file
                    paths = {std::filesystem::path(paths[0]).parent_path().string()};
                all.push_back({{"name", c.name}, {"description", c.description}, {"kind", c.kind}, {"files", c.files},
                               {"bytes", c.bytes}, {"format", formatName(c.options.format)}, {"paths", paths}});
            }
            if (ctx.json) {
                std::cout << all.dump() << '\n';
            } else {
                for (const auto& c : all)
                    std::printf("%-16s %-8s %7lld files %8.1f MB  %s\n", c["name"].get<std::string>().c_str(),
                                c["kind"].get<std::string>().c_str(), c["files"].get<long long>(),
                                static_cast<double>(c["bytes"].get<long long>()) / 1e6,
                                c["description"].get<std::string>().c_str());
                std::printf("add one with: lmwb corpus system NAME [--as CORPUS_NAME]\n");
            }
            return 0;
        }
        if (pos.size() != 3)
            throw InputError("usage: lmwb corpus system [NAME [--as CORPUS_NAME]]");
        auto sc = systemCorpus(pos[2]);
        sc.options.name = ctx.args.value("--as").value_or(sc.name);
        sc.options.seed = static_cast<std::uint64_t>(ctx.args.integer("--seed", 1234, 0, INT64_MAX));
        Catalog catalog(ctx.catalog);
        const auto c = runImport(ctx, catalog, sc.options);
        return reportImport(ctx, catalog, c);
    }
    throw InputError("unknown subcommand 'corpus " + sub + "' (add, list, show, remove, system)");
}

} // namespace wb::cli
