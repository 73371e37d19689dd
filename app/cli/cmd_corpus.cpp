// SPDX-License-Identifier: GPL-3.0-or-later
// lmwb corpus add | list | show
#include "catalog/catalog.h"
#include "cli/commands.h"
#include "core/errors.h"
#include "data/corpus_import.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>

namespace wb::cli {

namespace {

nlohmann::json corpusJson(const CorpusRecord& c)
{
    const auto report = nlohmann::json::parse(c.report);
    return {{"name", c.name},
            {"duplicates_removed", report.value("duplicates_removed", 0)},
            {"skipped", report.value("skipped", nlohmann::json::array())},
            {"bad_utf8", report.value("bad_utf8", nlohmann::json::array())},
            {"documents", c.documents},
            {"bytes", c.bytes},
            {"chars", c.chars},
            {"train_chars", c.trainChars},
            {"validation_chars", c.validationChars},
            {"split_seed", c.splitSeed},
            {"vocab_size", c.vocabSize},
            {"created_at", c.createdAt},
            {"sources", nlohmann::json::parse(c.sources)}};
}

void printCorpus(const CorpusRecord& c)
{
    std::printf("%s: %lld documents, %lld bytes, %lld characters (train %lld, validation %lld)\n", c.name.c_str(),
                static_cast<long long>(c.documents), static_cast<long long>(c.bytes), static_cast<long long>(c.chars),
                static_cast<long long>(c.trainChars), static_cast<long long>(c.validationChars));
}

} // namespace

int cmdCorpus(Context& ctx)
{
    const auto& pos = ctx.args.positional();
    if (pos.size() < 2)
        throw InputError("usage: lmwb corpus add NAME PATH... | list | show NAME");
    const std::string sub = pos[1];
    if (sub == "add") {
        ctx.args.allowOnly("corpus add", {"--seed", "--validation", "--format", "--text-field", "--glob", "--exclude",
                                          "--on-bad-utf8"});
        if (pos.size() < 4)
            throw InputError("usage: lmwb corpus add NAME PATH...");
        CorpusImportOptions opt;
        opt.name = pos[2];
        for (std::size_t i = 3; i < pos.size(); ++i)
            opt.paths.emplace_back(pos[i]);
        opt.seed = static_cast<std::uint64_t>(ctx.args.integer("--seed", 1234, 0, INT64_MAX));
        opt.validationFraction = ctx.args.number("--validation", 0.1, 0.001, 0.5);
        opt.format = parseTextFormat(ctx.args.value("--format").value_or("auto"));
        opt.textField = ctx.args.value("--text-field").value_or("text");
        if (opt.textField.empty())
            throw InputError("--text-field needs a field or column name");
        opt.onBadUtf8 = parseBadUtf8Policy(ctx.args.value("--on-bad-utf8").value_or("fail"));
        opt.include = ctx.args.values("--glob");
        opt.exclude = ctx.args.values("--exclude");
        Catalog catalog(ctx.catalog);
        const auto c = importCorpus(catalog, opt, [&](double f) {
            progressLine("importing " + opt.name + ": " + std::to_string(static_cast<int>(f * 100)) + "%", f >= 1.0);
            return !ctx.interrupted.load();
        });
        const auto j = corpusJson(c);
        if (ctx.json) {
            std::cout << j.dump() << '\n';
        } else {
            printCorpus(c);
            for (const auto& s : j["skipped"])
                std::cerr << "skipped " << s["path"].get<std::string>() << ": " << s["reason"].get<std::string>() << '\n';
            for (const auto& b : j["bad_utf8"])
                std::cerr << b["path"].get<std::string>() << ": invalid UTF-8 at byte offset " << b["byte_offset"]
                          << " (line " << b["line"] << "): " << b["action"].get<std::string>() << '\n';
            if (j["duplicates_removed"].get<std::int64_t>() > 0)
                std::cerr << j["duplicates_removed"].get<std::int64_t>() << " duplicate documents removed\n";
        }
        return 0;
    }
    if (sub == "list") {
        ctx.args.allowOnly("corpus list", {});
        Catalog catalog(ctx.catalog);
        auto all = nlohmann::json::array();
        for (const auto& c : catalog.corpora()) {
            if (ctx.json)
                all.push_back(corpusJson(c));
            else
                printCorpus(c);
        }
        if (ctx.json)
            std::cout << all.dump() << '\n';
        return 0;
    }
    if (sub == "show") {
        ctx.args.allowOnly("corpus show", {});
        if (pos.size() != 3)
            throw InputError("usage: lmwb corpus show NAME");
        Catalog catalog(ctx.catalog);
        const auto c = catalog.corpusByName(pos[2]);
        if (!c)
            throw InputError("no corpus named '" + pos[2] + "' in the catalog");
        if (ctx.json)
            std::cout << corpusJson(*c).dump() << '\n';
        else
            printCorpus(*c);
        return 0;
    }
    throw InputError("unknown subcommand 'corpus " + sub + "' (add, list, show)");
}

} // namespace wb::cli
