// SPDX-License-Identifier: GPL-3.0-or-later
#include "services/generate.h"

#include "catalog/catalog.h"
#include "core/errors.h"
#include "core/files.h"
#include "data/tokenizer.h"
#include "eval/lm_eval.h"
#include "jobs/checkpoint_store.h"
#include "train/checkpoint.h"

#include <cmath>
#include "data/utf8.h"
#include "settings/run_config.h"

#include <torch/torch.h>


namespace wb {

std::string generateFromRun(Catalog& catalog, std::int64_t runId, const GenerateOptions& options,
                            const std::atomic<bool>* stop)
{
    const auto run = catalog.run(runId);
    if (!run)
        throw InputError("no run " + std::to_string(runId) + " in the catalog");
    if (options.maxTokens < 0)
        throw InputError("--max-tokens must not be negative");
    if (!(options.temperature >= 0) || !std::isfinite(options.temperature))
        throw InputError("--temperature must be a number of 0 or more");
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
    const auto tokenizer = loadTokenizer(readFile(catalog.artifactPath(tokenizers.back().path)), kind);
    if (auto problem = utf8::validate(options.prompt))
        throw InputError("--prompt is not valid UTF-8 at byte offset " + std::to_string(problem->byteOffset));
    std::vector<std::int32_t> prompt;
    try {
        prompt = tokenizer->encode(options.prompt);
    } catch (const InputError& e) {
        throw InputError(std::string("--prompt: ") + e.what());
    }
    if (prompt.empty())
        prompt = {0};

    const RunConfig config = RunConfig::fromJson(run->config);
    auto model = buildRunModel(config, tokenizer->vocabSize());
    for (const auto& file : chain)
        loadModelWeights(file, *model);
    const auto ids = sampleLm(*model, prompt, options.maxTokens, options.temperature, options.seed, stop);
    return tokenizer->decode(ids);
}

} // namespace wb
