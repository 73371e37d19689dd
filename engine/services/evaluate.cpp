// SPDX-License-Identifier: GPL-3.0-or-later
#include "services/evaluate.h"

#include "catalog/catalog.h"
#include "core/errors.h"
#include "core/files.h"
#include "data/token_cache.h"
#include "eval/lm_eval.h"
#include "eval/task_eval.h"
#include "jobs/checkpoint_store.h"
#include "settings/run_config.h"
#include "store/corpus_store.h"
#include "store/task_data.h"
#include "train/checkpoint.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

namespace wb {

std::string evaluateRun(Catalog& catalog, std::int64_t runId, const EvaluateOptions& options, const std::atomic<bool>* stop)
{
    const auto run = catalog.run(runId);
    if (!run)
        throw InputError("no run " + std::to_string(runId) + " in the catalog");
    if (options.split != "validation" && options.split != "test")
        throw InputError("--split must be validation or test, got '" + options.split + "'");
    const RunConfig config = RunConfig::fromJson(run->config);
    const auto corpus = catalog.corpusByName(config.corpus);
    if (!corpus)
        throw InputError("run " + std::to_string(runId) + ": its corpus '" + config.corpus + "' is no longer in the catalog");
    if (!run->tokenizerId)
        throw InputError("run " + std::to_string(runId) + " has no tokenizer");
    const auto tokRecord = catalog.tokenizerById(*run->tokenizerId);
    if (!tokRecord)
        throw InputError("run " + std::to_string(runId) + ": its tokenizer is no longer in the catalog");
    const auto tokenizer = openTokenizer(catalog, *tokRecord);
    const auto chain = checkpointChain(catalog, runId); // InputError when it has none

    const Task task = config.train.task;
    std::shared_ptr<TaskData> data;
    if (task != Task::Lm)
        data = std::make_shared<TaskData>(loadTaskData(catalog, *corpus, *tokenizer, task, config.spec.context()));
    torch::manual_seed(config.train.seed);
    auto model = buildRunModel(config, tokenizer->vocabSize(), task == Task::Classify ? static_cast<std::int64_t>(data->labels.size()) : 0);
    for (const auto& file : chain)
        loadModelWeights(file, *model);
    model->eval();

    nlohmann::json out;
    if (task == Task::Lm) {
        const auto caches = ensureTokenCaches(catalog, *corpus, *tokRecord, *tokenizer);
        const TokenCacheRecord* cache = nullptr;
        for (const auto& c : caches)
            if (c.split == options.split)
                cache = &c;
        if (!cache || cache->tokens < 2)
            throw InputError("corpus '" + corpus->name + "' has no " + options.split + " split to evaluate on");
        const TokenCache tokens(catalog.artifactPath(cache->path));
        const double cpt = static_cast<double>(cache->chars) / static_cast<double>(cache->tokens);
        const double bpt = static_cast<double>(cache->bytes) / static_cast<double>(cache->tokens);
        const LmScore s = evaluateLm(*model, tokens, options.batch, std::numeric_limits<std::int64_t>::max(), cpt, bpt, stop);
        if (!s.complete)
            throw Cancelled();
        out = {{"split", options.split}, {"task", "lm"}, {"loss", s.loss}, {"ppl", s.ppl}, {"bpc", s.bpc}, {"bpb", s.bpb}, {"tokens", s.tokens}};
    } else {
        const TaskSplit& split = data->split(options.split);
        if (split.examples.empty())
            throw InputError("corpus '" + corpus->name + "' has no " + options.split + " examples to evaluate on");
        const TaskScore s = evaluateTask(*model, *data, split, *tokenizer, options.batch, options.generateLimit, stop);
        if (!s.complete)
            throw Cancelled();
        out = nlohmann::json::parse(taskScoreJson(s, *data, options.split));
    }
    out["run"] = runId;
    for (const char* key : {"accuracy", "macro_f1", "bleu", "exact_match"})
        if (!out.contains(key))
            out[key] = nullptr;
    return out.dump();
}

} // namespace wb
