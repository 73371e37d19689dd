// SPDX-License-Identifier: GPL-3.0-or-later
#include "services/generate.h"

#include "catalog/catalog.h"
#include "core/errors.h"
#include "core/files.h"
#include "data/tokenizer.h"
#include "eval/lm_eval.h"
#include "train/checkpoint.h"
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
    if (options.temperature < 0)
        throw InputError("--temperature must not be negative");
    const auto checkpoints = catalog.runArtifacts(runId, "checkpoint");
    if (checkpoints.empty())
        throw InputError("run " + std::to_string(runId) + " has no checkpoint (status " + enumName(run->status) + ")");
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
    auto model = buildModel(config.spec, tokenizer->vocabSize());
    loadModelWeights(catalog.artifactPath(checkpoints.back().path), *model);
    const auto ids = sampleLm(*model, prompt, options.maxTokens, options.temperature, options.seed, stop);
    return tokenizer->decode(ids);
}

} // namespace wb
