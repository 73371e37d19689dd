// SPDX-License-Identifier: GPL-3.0-or-later
#include "services/generate.h"

#include "catalog/catalog.h"
#include "data/corpus_import.h"
#include "data/token_cache.h"
#include "models/language_model.h"
#include "store/corpus_store.h"
#include "core/errors.h"
#include "core/files.h"
#include "core/names.h"
#include "core/files.h"
#include "data/tokenizer.h"
#include "services/run_model.h"
#include "eval/lm_eval.h"
#include "jobs/checkpoint_store.h"
#include "train/checkpoint.h"

#include <cmath>
#include "data/utf8.h"
#include "settings/run_config.h"

#include <nlohmann/json.hpp>
#include <torch/csrc/autograd/profiler_legacy.h>
#include <torch/torch.h>

#include <cstdlib>

#include <filesystem>
#include <fstream>
#include <random>


namespace wb {

RunLm loadRunLm(Catalog& catalog, std::int64_t runId)
{
    const auto run = catalog.run(runId);
    if (!run)
        throw InputError("no run " + std::to_string(runId) + " in the catalog");
    // A fine-tuned run's weights: its parent's, then its own (a delta for
    // lightweight methods).
    const auto chain = checkpointChain(catalog, runId);
    const auto tokenizers = catalog.runArtifacts(runId, "tokenizer");
    if (tokenizers.empty())
        throw InputError("run " + std::to_string(runId) + " has no tokenizer");
    std::string kind;
    if (run->tokenizerId)
        if (auto t = catalog.tokenizerById(*run->tokenizerId))
            kind = t->kind;
    if (const auto problem = catalog.artifactProblem(tokenizers.back()))
        throw InputError("the tokenizer of run " + std::to_string(runId) + " is damaged (" + *problem
                         + "): " + catalog.artifactPath(tokenizers.back().path).string());
    RunLm lm;
    lm.tokenizer = loadTokenizer(readFile(catalog.artifactPath(tokenizers.back().path)), kind);
    lm.config = RunConfig::fromJson(run->config);
    lm.model = buildRunModel(lm.config, lm.tokenizer->vocabSize());
    for (const auto& file : chain)
        loadModelWeights(file, *lm.model);
    return lm;
}



std::string generateFromRun(Catalog& catalog, std::int64_t runId, const GenerateOptions& options,
                            const std::atomic<bool>* stop, GenerateStats* stats)
{
    if (!catalog.run(runId))
        throw InputError("no run " + std::to_string(runId) + " in the catalog");
    if (options.maxTokens < 0)
        throw InputError("--max-tokens must not be negative");
    if (!(options.temperature >= 0) || !std::isfinite(options.temperature))
        throw InputError("--temperature must be a number of 0 or more");
    if (options.topK < 0)
        throw InputError("--top-k must not be negative, got " + std::to_string(options.topK));
    if (!(options.topP > 0 && options.topP <= 1))
        throw InputError("--top-p must be greater than 0 and at most 1");
    if (auto problem = utf8::validate(options.prompt))
        throw InputError("--prompt is not valid UTF-8 at byte offset " + std::to_string(problem->byteOffset));
    RunLm lm = loadRunLm(catalog, runId);
    std::vector<std::int32_t> prompt;
    try {
        prompt = lm.tokenizer->encode(options.prompt);
    } catch (const InputError& e) {
        throw InputError(std::string("--prompt: ") + e.what());
    }
    if (prompt.empty())
        prompt = {0};
    SampleOptions so;
    so.temperature = options.temperature;
    so.topK = options.topK;
    so.topP = options.topP;
    so.seed = options.seed;
    so.cache = options.cache;
    SampleStats st;
    std::vector<std::int32_t> ids;
    if (const char* trace = std::getenv("LMWB_PROFILE_TRACE")) {
        // For developers: a Chrome trace of the whole generation
        // (docs/benchmarks.md, "Where the time goes").
        torch::autograd::profiler::RecordProfile record(trace);
        ids = sampleLm(*lm.model, prompt, options.maxTokens, so, stop, &st);
    } else {
        ids = sampleLm(*lm.model, prompt, options.maxTokens, so, stop, &st);
    }
    if (stats) {
        stats->promptTokens = static_cast<std::int64_t>(prompt.size());
        stats->tokens = static_cast<std::int64_t>(ids.size());
        stats->prefillMs = st.prefillMs;
        stats->decodeTokensPerSecond = st.decodeTokensPerSecond();
        stats->reanchors = st.reanchors;
    }
    return lm.tokenizer->decode(ids);
}

GeneratedCorpus generateCorpus(Catalog& catalog, std::int64_t runId, const GenerateCorpusOptions& options,
                               const std::function<bool(double)>& progress)
{
    const auto run = catalog.run(runId);
    if (!run)
        throw InputError("no run " + std::to_string(runId) + " in the catalog");
    if (options.name.empty())
        throw InputError("--name: the new corpus needs a name");
    checkName("--name: corpus name", options.name);
    if (catalog.corpusByName(options.name))
        throw InputError("--name: a corpus named '" + options.name + "' is already in the catalog");
    if (options.documents < 1)
        throw InputError("--documents must be at least 1, got " + std::to_string(options.documents));
    if (options.maxTokens < 1)
        throw InputError("--max-tokens must be at least 1, got " + std::to_string(options.maxTokens));
    if (!(options.temperature >= 0) || !std::isfinite(options.temperature))
        throw InputError("--temperature must be a number of 0 or more");
    if (options.topK < 0 || options.promptTokens < 0)
        throw InputError("--top-k and --prompt-tokens must not be negative");
    RunLm lm = loadRunLm(catalog, runId);
    if (lm.config.train.task != Task::Lm)
        throw InputError("run " + std::to_string(runId) + " was trained for task " + enumName(lm.config.train.task)
                         + "; a corpus is sampled from a language model (task lm)");

    // Prompts: windows of the run's own training split.
    std::unique_ptr<TokenCache> train;
    if (options.promptTokens > 0) {
        const auto corpus = catalog.corpusByName(lm.config.corpus);
        const auto tok = run->tokenizerId ? catalog.tokenizerById(*run->tokenizerId) : std::nullopt;
        if (!corpus || !tok)
            throw InputError("run " + std::to_string(runId) + ": its corpus or tokenizer is gone; give --prompt-tokens 0 "
                             "to sample freely");
        for (const auto& c : ensureTokenCaches(catalog, *corpus, *tok, *lm.tokenizer))
            if (c.split == "train")
                train = std::make_unique<TokenCache>(catalog.artifactPath(c.path));
        if (!train || train->size() <= options.promptTokens)
            throw InputError("run " + std::to_string(runId) + ": its training split is shorter than --prompt-tokens");
    }
    std::vector<std::int32_t> freeStart{0};
    try {
        if (auto nl = lm.tokenizer->encode("\n"); !nl.empty())
            freeStart = nl;
    } catch (const InputError&) {
    }

    // The documents as JSONL beside the catalog, imported, then removed.
    // Named by the run's id, never by the user's text; a temporary by the
    // one rule (core/files.h), so check tells a live one from a killed one.
    const auto file = temporaryPath(catalog.artifactPath("generated-" + std::to_string(runId) + ".jsonl"));
    struct Remove {
        std::filesystem::path f;
        ~Remove()
        {
            std::error_code ec;
            std::filesystem::remove(f, ec);
        }
    } cleanup{file};
    std::filesystem::create_directories(file.parent_path());
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    if (!out)
        throw ResourceError("cannot write " + file.string());
    std::mt19937_64 rng(options.seed);
    std::atomic<bool> stop{false};
    GeneratedCorpus result;
    for (int d = 0; d < options.documents; ++d) {
        std::vector<std::int32_t> prompt = freeStart;
        if (train) {
            const auto start = static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(train->size() - options.promptTokens));
            prompt = train->slice(start, options.promptTokens);
        }
        const auto ids = sampleLm(*lm.model, prompt, options.maxTokens, options.temperature, options.seed + static_cast<std::uint64_t>(d),
                                  &stop, options.topK);
        result.sampledTokens += static_cast<std::int64_t>(ids.size());
        std::vector<std::int32_t> all = train ? prompt : std::vector<std::int32_t>{};
        all.insert(all.end(), ids.begin(), ids.end());
        out << nlohmann::json{{"text", lm.tokenizer->decode(all)}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
            << '\n';
        if (progress && !progress(0.9 * static_cast<double>(d + 1) / static_cast<double>(options.documents)))
            throw Cancelled();
    }
    out.close();
    if (!out)
        throw ResourceError("cannot write " + file.string());
    CorpusImportOptions opt;
    opt.name = options.name;
    opt.paths = {file};
    opt.format = TextFormat::Jsonl;
    opt.onBadUtf8 = BadUtf8Policy::Replace; // a byte-level model can sample broken sequences
    result.corpus = importCorpus(catalog, opt, [&](double f) { return !progress || progress(0.9 + 0.1 * f); });
    catalog.setCorpusSourceRun(result.corpus.id, runId);
    result.corpus.sourceRun = runId;
    return result;
}

} // namespace wb
