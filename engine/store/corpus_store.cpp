// SPDX-License-Identifier: GPL-3.0-or-later
#include "store/corpus_store.h"
#include "store/task_data.h"

#include "catalog/catalog.h"
#include "core/errors.h"
#include "core/names.h"
#include "core/files.h"
#include "data/byte_stream.h"
#include "data/token_cache.h"
#include "data/utf8.h"

#include <nlohmann/json.hpp>

#include <ctime>
#include <random>

namespace fs = std::filesystem;

namespace wb {

namespace {

// Feeds a text file in pieces of about 4 MB cut after a line break.
void feedFile(const fs::path& file, const std::function<void(std::string_view)>& sink,
              const std::function<void(double)>& onProgress = {})
{
    std::error_code ec;
    const auto total = fs::file_size(file, ec);
    auto stream = ByteStream::open(file);
    std::string chunk, line;
    std::uint64_t offset = 0;
    while (stream->readLine(line, offset)) {
        chunk += line;
        chunk.push_back('\n');
        if (chunk.size() >= (4u << 20)) {
            sink(chunk);
            chunk.clear();
            if (onProgress && total)
                onProgress(static_cast<double>(stream->offset()) / static_cast<double>(total));
        }
    }
    // The split files do not end in a line break: drop the one added.
    if (!chunk.empty() && (total == 0 || stream->offset() == total)) {
        std::string last(1, '\0');
        chunk.pop_back();
        // Keep the break if the file itself ended with one.
        if (total > 0) {
            std::FILE* f = std::fopen(file.c_str(), "rb");
            if (f) {
                std::fseek(f, -1, SEEK_END);
                if (std::fread(last.data(), 1, 1, f) == 1 && last[0] == '\n')
                    chunk.push_back('\n');
                std::fclose(f);
            }
        }
    }
    if (!chunk.empty())
        sink(chunk);
}

std::string corpusDir(Catalog& catalog, const CorpusRecord& corpus)
{
    for (const auto& a : catalog.corpusArtifacts(corpus.id, "corpus_train"))
        return fs::path(a.path).parent_path().generic_string();
    throw RuntimeError("corpus '" + corpus.name + "' has no training split in the catalog");
}

std::string randomTag()
{
    std::random_device rd;
    return std::to_string(std::uint32_t(rd())) + "-" + std::to_string(::time(nullptr));
}

} // namespace

void checkTokenizerName(const std::string& name)
{
    checkName("tokenizer name", name);
}

std::unique_ptr<Tokenizer> openTokenizer(Catalog& catalog, const TokenizerRecord& record)
{
    return loadTokenizer(readFile(catalog.artifactPath(record.path)), record.kind);
}

TokenizerRecord storeTokenizer(Catalog& catalog, const std::string& name, const Tokenizer& tokenizer,
                               std::optional<std::int64_t> corpusId, const std::string& configJson)
{
    if (catalog.tokenizerByName(name))
        throw InputError("a tokenizer named '" + name + "' already exists in the catalog");
    TokenizerRecord t;
    t.name = name;
    t.kind = tokenizer.kind();
    t.vocabSize = tokenizer.vocabSize();
    t.corpusId = corpusId;
    t.config = configJson;
    t.path = "tokenizers/" + randomTag() + "/tokenizer" + tokenizer.fileExtension();
    const fs::path file = catalog.artifactPath(t.path);
    t.bytes = writeBytesAtomically(file, tokenizer.serialize());
    try {
        t.id = catalog.addTokenizer(t);
    } catch (...) {
        std::error_code ec;
        fs::remove_all(file.parent_path(), ec);
        throw;
    }
    return *catalog.tokenizerById(t.id);
}

TokenizerRecord corpusTokenizer(Catalog& catalog, const CorpusRecord& corpus)
{
    if (corpus.tokenizerId)
        if (auto t = catalog.tokenizerById(*corpus.tokenizerId))
            return *t;
    // A corpus from before v4: its tokenizer.json becomes a catalog entry.
    const auto old = catalog.corpusArtifacts(corpus.id, "tokenizer");
    if (old.empty())
        throw RuntimeError("corpus '" + corpus.name + "' has no tokenizer");
    const auto tokenizer = loadTokenizer(readFile(catalog.artifactPath(old.front().path)), "char");
    std::string name = corpus.name + ":char";
    if (catalog.tokenizerByName(name))
        name += "#" + std::to_string(corpus.id);
    TokenizerRecord rec;
    catalog.transaction([&] {
        rec = storeTokenizer(catalog, name, *tokenizer, corpus.id, R"({"kind":"char","corpus_default":true})");
        catalog.setCorpusTokenizer(corpus.id, rec.id);
    });
    return rec;
}

TokenCacheRecord encodeTextFile(const fs::path& textFile, const Tokenizer& tokenizer, const fs::path& cacheFile,
                                const ImportProgress& progress)
{
    TokenCacheWriter writer(cacheFile, tokenizer.vocabSize());
    TokenCacheRecord rec;
    std::vector<std::int32_t> ids;
    const int unk = tokenizer.unkId();
    feedFile(textFile, [&](std::string_view chunk) {
        ids.clear();
        tokenizer.encode(chunk, ids);
        writer.append(ids);
        rec.bytes += static_cast<std::int64_t>(chunk.size());
        rec.chars += static_cast<std::int64_t>(utf8::length(chunk));
        if (unk >= 0)
            rec.unk += std::count(ids.begin(), ids.end(), unk);
    }, [&](double f) {
        if (progress && !progress(f))
            throw Cancelled();
    });
    rec.tokens = writer.tokens();
    writer.finish();
    return rec;
}

std::vector<TokenCacheRecord> ensureTokenCaches(Catalog& catalog, const CorpusRecord& corpus,
                                                const TokenizerRecord& record, const Tokenizer& tokenizer,
                                                const ImportProgress& progress)
{
    auto have = catalog.tokenCaches(corpus.id, record.id);
    std::vector<std::string> splits;
    for (const char* s : kSplitNames) {
        const bool present = !corpusSplitFile(catalog, corpus, s).empty();
        const bool cached = std::any_of(have.begin(), have.end(), [&](const auto& c) { return c.split == s; });
        if (present && !cached)
            splits.push_back(s);
    }
    if (splits.empty())
        return have;
    // The text is verified before it is encoded.
    for (const auto& s : splits)
        for (const auto& a : catalog.corpusArtifacts(corpus.id, "corpus_" + s))
            if (const auto problem = catalog.artifactProblem(a))
                throw InputError("the " + s + " split of corpus '" + corpus.name + "' is damaged (" + *problem
                                 + "): " + catalog.artifactPath(a.path).string() + "; add the corpus again");
    const std::string dir = corpusDir(catalog, corpus);
    std::vector<std::string> written;
    try {
        for (std::size_t i = 0; i < splits.size(); ++i) {
            const auto& s = splits[i];
            const std::string rel = dir + "/tokens-" + std::to_string(record.id) + "-" + randomTag() + "-" + s + ".bin";
            TokenCacheRecord t = encodeTextFile(corpusSplitFile(catalog, corpus, s), tokenizer, catalog.artifactPath(rel),
                                                [&](double f) {
                                                    return !progress || progress((static_cast<double>(i) + f) / static_cast<double>(splits.size()));
                                                });
            written.push_back(rel);
            t.corpusId = corpus.id;
            t.tokenizerId = record.id;
            t.split = s;
            t.path = rel;
            catalog.addTokenCache(t);
        }
    } catch (...) {
        // Rows already added point at files that exist; a cancelled encode
        // leaves no file of its own (the writer removes its temporary file).
        throw;
    }
    return catalog.tokenCaches(corpus.id, record.id);
}

TrainedTokenizer trainCorpusTokenizer(Catalog& catalog, const std::string& name, const std::string& corpusName,
                                      const TokenizerTrainOptions& options, const ImportProgress& progress)
{
    checkTokenizerName(name);
    if (catalog.tokenizerByName(name))
        throw InputError("a tokenizer named '" + name + "' already exists in the catalog");
    const auto corpus = catalog.corpusByName(corpusName);
    if (!corpus)
        throw InputError("no corpus named '" + corpusName + "' in the catalog");
    const fs::path train = corpusSplitFile(catalog, *corpus, "train");
    if (progress && !progress(0.0))
        throw Cancelled();
    auto tokenizer = trainTokenizer(options, [&](const std::function<void(std::string_view)>& sink) {
        feedFile(train, sink);
    });
    if (progress && !progress(0.3))
        throw Cancelled();
    nlohmann::json config{{"kind", options.kind}, {"vocab_size", tokenizer->vocabSize()},
                          {"requested_vocab_size", options.vocabSize}, {"lowercase", options.lowercase},
                          {"min_frequency", options.minFrequency}, {"trained_on", corpusName}, {"seed", options.seed}};
    TrainedTokenizer result;
    result.record = storeTokenizer(catalog, name, *tokenizer, corpus->id, config.dump());
    result.caches = ensureTokenCaches(catalog, *corpus, result.record, *tokenizer, [&](double f) {
        return !progress || progress(0.3 + 0.7 * f);
    });
    return result;
}

} // namespace wb

namespace wb {

namespace {

nlohmann::json cacheSummary(const TokenizerRecord& t, const std::vector<TokenCacheRecord>& caches)
{
    nlohmann::json j{{"name", t.name}, {"kind", t.kind}, {"vocab_size", t.vocabSize}};
    std::int64_t tokens = 0, bytes = 0, unk = 0;
    nlohmann::json perSplit = nlohmann::json::object();
    nlohmann::json counts = {{"train", 0}, {"validation", 0}, {"test", 0}};
    for (const auto& c : caches) {
        tokens += c.tokens;
        bytes += c.bytes;
        unk += c.unk;
        counts[c.split] = c.tokens;
        perSplit[c.split] = {{"tokens", c.tokens},
                             {"bytes", c.bytes},
                             {"chars", c.chars},
                             {"bytes_per_token", c.tokens ? static_cast<double>(c.bytes) / static_cast<double>(c.tokens) : 0.0},
                             {"unk_rate", c.tokens ? static_cast<double>(c.unk) / static_cast<double>(c.tokens) : 0.0},
                             {"coverage", c.tokens ? 1.0 - static_cast<double>(c.unk) / static_cast<double>(c.tokens) : 0.0}};
    }
    j["bytes_per_token"] = tokens ? static_cast<double>(bytes) / static_cast<double>(tokens) : 0.0;
    j["unk_rate"] = tokens ? static_cast<double>(unk) / static_cast<double>(tokens) : 0.0;
    j["tokens"] = counts;
    j["splits"] = perSplit;
    return j;
}

} // namespace

std::string tokenizerSummaryJson(Catalog& catalog, const TokenizerRecord& tokenizer, std::int64_t corpusId)
{
    auto j = cacheSummary(tokenizer, catalog.tokenCaches(corpusId, tokenizer.id));
    j["config"] = nlohmann::json::parse(tokenizer.config);
    if (tokenizer.corpusId)
        if (auto c = catalog.corpusById(*tokenizer.corpusId))
            j["trained_on"] = c->name;
    return j.dump();
}

std::string corpusSummaryJson(Catalog& catalog, const CorpusRecord& c, bool detailed)
{
    const auto report = nlohmann::json::parse(c.report);
    const auto stats = nlohmann::json::parse(c.stats);
    nlohmann::json splits;
    if (stats.contains("splits")) {
        splits = stats["splits"];
    } else { // a corpus from before three-way splits
        splits = {{"train", {{"documents", nullptr}, {"chars", c.trainChars}}},
                  {"validation", {{"documents", nullptr}, {"chars", c.validationChars}}},
                  {"test", {{"documents", 0}, {"chars", 0}}}};
    }
    nlohmann::json j{{"name", c.name},
                     {"kind", corpusKind(c)},
                     {"documents", c.documents},
                     {"bytes", c.bytes},
                     {"chars", c.chars},
                     {"duplicates_removed", report.value("duplicates_removed", 0)},
                     {"skipped", report.value("skipped", nlohmann::json::array())},
                     {"bad_utf8", report.value("bad_utf8", nlohmann::json::array())},
                     {"bad_records", report.value("bad_records", nlohmann::json::array())},
                     {"too_short", report.value("too_short", 0)},
                     {"too_long", report.value("too_long", 0)},
                     {"labels", nlohmann::json::parse(c.labels)},
                     {"splits", splits},
                     {"split", c.split.empty() ? "train/validation only" : c.split},
                     {"split_seed", c.splitSeed},
                     {"vocab_size", c.vocabSize},
                     {"created_at", c.createdAt},
                     {"sources", nlohmann::json::parse(c.sources)},
                     {"source_run", c.sourceRun ? nlohmann::json(*c.sourceRun) : nlohmann::json(nullptr)}};
    if (detailed) {
        j["length_histogram"] = stats.value("length_histogram", nlohmann::json::array());
        j["top_chars"] = stats.value("top_chars", nlohmann::json::array());
        if (stats.contains("labels_by_split"))
            j["labels_by_split"] = stats["labels_by_split"];
        if (report.contains("options"))
            j["import_options"] = report["options"];
        nlohmann::json toks = nlohmann::json::array();
        for (const auto& t : catalog.tokenizers()) {
            const auto caches = catalog.tokenCaches(c.id, t.id);
            if (caches.empty())
                continue;
            auto summary = cacheSummary(t, caches);
            // The most frequent tokens of the training split (its first 20M
            // tokens), read from the memory-mapped cache.
            try {
                const auto tokenizer = openTokenizer(catalog, t);
                for (const auto& cache : caches) {
                    if (cache.split != "train")
                        continue;
                    const TokenCache tokens(catalog.artifactPath(cache.path));
                    std::vector<std::int64_t> counts(static_cast<std::size_t>(tokenizer->vocabSize()), 0);
                    const std::int64_t n = std::min<std::int64_t>(tokens.size(), 20'000'000);
                    for (std::int64_t i = 0; i < n; ++i) {
                        const auto id = tokens.at(i);
                        if (id >= 0 && static_cast<std::size_t>(id) < counts.size())
                            ++counts[static_cast<std::size_t>(id)];
                    }
                    std::vector<std::int32_t> order(counts.size());
                    for (std::size_t i = 0; i < order.size(); ++i)
                        order[i] = static_cast<std::int32_t>(i);
                    const std::size_t k = std::min<std::size_t>(30, order.size());
                    std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(k), order.end(),
                                      [&](auto a, auto b) { return counts[static_cast<std::size_t>(a)] > counts[static_cast<std::size_t>(b)]; });
                    nlohmann::json top = nlohmann::json::array();
                    for (std::size_t i = 0; i < k && counts[static_cast<std::size_t>(order[i])] > 0; ++i)
                        top.push_back({{"token", tokenizer->pieceText(order[i])}, {"id", order[i]},
                                       {"count", counts[static_cast<std::size_t>(order[i])]}});
                    summary["top_tokens"] = top;
                }
            } catch (const std::exception& e) {
                summary["top_tokens_error"] = e.what();
            }
            toks.push_back(summary);
        }
        j["tokenizers"] = toks;
    }
    return j.dump();
}

} // namespace wb
