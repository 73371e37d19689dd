// SPDX-License-Identifier: GPL-3.0-or-later
// lmwb tokenizer train | list | show
#include "catalog/catalog.h"
#include "cli/commands.h"
#include "core/errors.h"
#include "data/corpus_import.h"
#include "data/byte_stream.h"
#include "store/corpus_store.h"
#include "data/utf8.h"

#include <chrono>
#include <cstring>
#include <fstream>

#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>

namespace wb::cli {

namespace {

void printTokenizer(const nlohmann::json& j)
{
    std::printf("%s: %s, %lld tokens in the vocabulary", j["name"].get<std::string>().c_str(),
                j["kind"].get<std::string>().c_str(), j["vocab_size"].get<long long>());
    if (j.contains("trained_on"))
        std::printf(", trained on %s", j["trained_on"].get<std::string>().c_str());
    std::printf("\n");
    for (const char* split : {"train", "validation", "test"}) {
        if (!j["splits"].contains(split))
            continue;
        const auto& s = j["splits"][split];
        std::printf("  %-10s %12lld tokens  %.3f bytes/token  %.4f%% unknown\n", split, s["tokens"].get<long long>(),
                    s["bytes_per_token"].get<double>(), 100.0 * s["unk_rate"].get<double>());
    }
}

} // namespace

int cmdTokenizer(Context& ctx)
{
    const auto& pos = ctx.args.positional();
    if (pos.size() < 2)
        throw InputError("usage: lmwb tokenizer train NAME --corpus C --kind char|byte|word|bpe|unigram | list | show NAME");
    const std::string sub = pos[1];
    if (sub == "train") {
        ctx.args.allowOnly("tokenizer train", {"--corpus", "--kind", "--vocab-size", "--lowercase", "--min-frequency", "--seed"});
        if (pos.size() != 3)
            throw InputError("usage: lmwb tokenizer train NAME --corpus C --kind char|byte|word|bpe|unigram [--vocab-size N]");
        TokenizerTrainOptions o;
        o.kind = ctx.args.require("--kind", "tokenizer train");
        o.vocabSize = static_cast<int>(ctx.args.integer("--vocab-size", 0, 1, 1 << 22));
        o.lowercase = ctx.args.has("--lowercase");
        o.minFrequency = static_cast<int>(ctx.args.integer("--min-frequency", 1, 1, 1 << 30));
        o.seed = static_cast<std::uint64_t>(ctx.args.integer("--seed", 1, 0, INT64_MAX));
        const std::string corpus = ctx.args.require("--corpus", "tokenizer train");
        Catalog catalog(ctx.catalog);
        const auto result = trainCorpusTokenizer(catalog, pos[2], corpus, o, [&](double f) {
            progressLine("tokenizer " + pos[2] + ": " + std::to_string(static_cast<int>(f * 100)) + "%", f >= 1.0);
            return !ctx.interrupted.load();
        });
        progressLine("tokenizer " + pos[2] + ": 100%", true);
        const auto j = nlohmann::json::parse(tokenizerSummaryJson(catalog, result.record, *result.record.corpusId));
        if (ctx.json)
            std::cout << j.dump() << '\n';
        else
            printTokenizer(j);
        return 0;
    }
    if (sub == "list") {
        ctx.args.allowOnly("tokenizer list", {});
        Catalog catalog(ctx.catalog, Catalog::IfExists{}); // reads only: creates nothing
        auto all = nlohmann::json::array();
        for (const auto& t : catalog.tokenizers()) {
            auto j = nlohmann::json::parse(tokenizerSummaryJson(catalog, t, t.corpusId.value_or(0)));
            if (ctx.json)
                all.push_back(j);
            else
                printTokenizer(j);
        }
        if (ctx.json)
            std::cout << all.dump() << '\n';
        return 0;
    }
    if (sub == "show") {
        ctx.args.allowOnly("tokenizer show", {"--corpus"});
        if (pos.size() != 3)
            throw InputError("usage: lmwb tokenizer show NAME [--corpus C]");
        Catalog catalog(ctx.catalog, Catalog::IfExists{}); // reads only: creates nothing
        const auto t = catalog.tokenizerByName(pos[2]);
        if (!t)
            throw InputError("no tokenizer named '" + pos[2] + "' in the catalog");
        std::int64_t corpusId = t->corpusId.value_or(0);
        if (auto c = ctx.args.value("--corpus")) {
            const auto corpus = catalog.corpusByName(*c);
            if (!corpus)
                throw InputError("no corpus named '" + *c + "' in the catalog");
            const auto tok = openTokenizer(catalog, *t);
            ensureTokenCaches(catalog, *corpus, *t, *tok, [&](double f) {
                progressLine("encoding " + *c + ": " + std::to_string(static_cast<int>(f * 100)) + "%", f >= 1.0);
                return !ctx.interrupted.load();
            });
            corpusId = corpus->id;
        }
        const auto j = nlohmann::json::parse(tokenizerSummaryJson(catalog, *t, corpusId));
        if (ctx.json)
            std::cout << j.dump() << '\n';
        else
            printTokenizer(j);
        return 0;
    }
    if (sub == "encode") {
        // Encodes UTF-8 text files line by line; with --output, writes each
        // line's ids as decimal numbers separated by spaces (the format of
        // SentencePiece's `spm_encode --output_format=id`).
        ctx.args.allowOnly("tokenizer encode", {"--output"});
        if (pos.size() < 4)
            throw InputError("usage: lmwb tokenizer encode NAME FILE... [--output IDS.txt]");
        Catalog catalog(ctx.catalog, Catalog::IfExists{}); // reads only: creates nothing
        const auto t = catalog.tokenizerByName(pos[2]);
        if (!t)
            throw InputError("no tokenizer named '" + pos[2] + "' in the catalog");
        const auto tok = openTokenizer(catalog, *t);
        std::FILE* out = nullptr;
        if (auto o = ctx.args.value("--output")) {
            out = *o == "-" ? stdout : std::fopen(o->c_str(), "wb");
            if (!out)
                throw InputError("cannot write " + *o + ": " + std::strerror(errno));
        }
        std::vector<char> buffer(1 << 20);
        if (out)
            std::setvbuf(out, buffer.data(), _IOFBF, buffer.size());
        const auto t0 = std::chrono::steady_clock::now();
        std::int64_t tokens = 0, bytes = 0, lines = 0, unk = 0;
        std::string line, digits;
        std::vector<std::int32_t> ids;
        for (std::size_t i = 3; i < pos.size(); ++i) {
            auto stream = ByteStream::open(pos[i]);
            std::uint64_t offset = 0;
            while (stream->readLine(line, offset)) {
                ++lines;
                if (auto problem = utf8::validate(line))
                    throw InputError(pos[i] + ": invalid UTF-8 at byte offset " + std::to_string(offset + problem->byteOffset)
                                     + " (line " + std::to_string(lines) + ")");
                ids.clear();
                tok->encode(line, ids);
                tokens += static_cast<std::int64_t>(ids.size());
                bytes += static_cast<std::int64_t>(line.size()) + 1;
                if (tok->unkId() >= 0)
                    unk += std::count(ids.begin(), ids.end(), tok->unkId());
                if (out) {
                    digits.clear();
                    for (std::size_t k = 0; k < ids.size(); ++k) {
                        if (k)
                            digits.push_back(' ');
                        digits += std::to_string(ids[k]);
                    }
                    digits.push_back('\n');
                    std::fwrite(digits.data(), 1, digits.size(), out);
                }
                if (ctx.interrupted.load())
                    throw Cancelled();
            }
        }
        if (out && out != stdout)
            std::fclose(out);
        else if (out)
            std::fflush(out);
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        nlohmann::json j{{"name", t->name}, {"kind", t->kind}, {"lines", lines}, {"bytes", bytes}, {"tokens", tokens},
                         {"unk_rate", tokens ? static_cast<double>(unk) / static_cast<double>(tokens) : 0.0},
                         {"bytes_per_token", tokens ? static_cast<double>(bytes) / static_cast<double>(tokens) : 0.0},
                         {"seconds", seconds}, {"mb_per_s", static_cast<double>(bytes) / 1e6 / std::max(seconds, 1e-9)},
                         {"file", catalog.artifactPath(t->path).string()}};
        if (ctx.json)
            std::cout << j.dump() << '\n';
        else
            std::fprintf(stderr, "%lld lines, %lld bytes, %lld tokens (%.3f bytes/token) in %.2f s: %.1f MB/s\n",
                         static_cast<long long>(lines), static_cast<long long>(bytes), static_cast<long long>(tokens),
                         j["bytes_per_token"].get<double>(), seconds, j["mb_per_s"].get<double>());
        return 0;
    }
    throw InputError("unknown subcommand 'tokenizer " + sub + "' (train, list, show, encode)");
}

} // namespace wb::cli
