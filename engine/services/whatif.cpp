// SPDX-License-Identifier: GPL-3.0-or-later
// The what-if reports of services/compress.h: bytes per layer, a layer's
// rank curve, and the per-layer sensitivity sweep.
#include "services/compress.h"

#include "catalog/catalog.h"
#include "compress/compress.h"
#include "core/errors.h"
#include "settings/settings.h"
#include "compute/threads.h"
#include "core/files.h"
#include "data/token_cache.h"
#include "eval/infer_bench.h"
#include "eval/lm_eval.h"
#include "jobs/checkpoint_store.h"
#include "services/run_model.h"
#include "services/run_service.h"
#include "store/corpus_store.h"
#include "train/checkpoint.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>
#include <zlib.h>

#include <filesystem>
#include <random>

namespace wb {

using nlohmann::json;

namespace {

bool report(const std::function<bool(double)>& progress, double f)
{
    if (progress && !progress(f))
        throw Cancelled();
    return true;
}

// The run's validation split as a token cache, with chars and bytes per token.
struct ValidationSplit {
    std::unique_ptr<TokenCache> tokens;
    double charsPerToken = 1, bytesPerToken = 1;
};

ValidationSplit validationOf(Catalog& catalog, const RunRecord& run, const RunConfig& config)
{
    const auto corpus = catalog.corpusByName(config.corpus);
    if (!corpus)
        throw InputError("run " + std::to_string(run.id) + ": its corpus '" + config.corpus + "' is no longer in the catalog");
    const auto tokRecord = catalog.tokenizerById(run.tokenizerId.value_or(0));
    if (!tokRecord)
        throw InputError("run " + std::to_string(run.id) + ": its tokenizer is no longer in the catalog");
    const auto tokenizer = openTokenizer(catalog, *tokRecord);
    for (const auto& c : ensureTokenCaches(catalog, *corpus, *tokRecord, *tokenizer))
        if (c.split == "validation" && c.tokens >= 2) {
            ValidationSplit v;
            v.tokens = std::make_unique<TokenCache>(catalog.artifactPath(c.path));
            v.charsPerToken = static_cast<double>(c.chars) / static_cast<double>(c.tokens);
            v.bytesPerToken = static_cast<double>(c.bytes) / static_cast<double>(c.tokens);
            return v;
        }
    throw InputError("corpus '" + corpus->name + "' has no validation split");
}

} // namespace

std::string layerBytesReport(Catalog& catalog, std::int64_t runId)
{
    RunLm lm = loadRunLm(catalog, runId);
    json layers = json::array();
    for (const auto& [name, bytes] : layerBytes(*lm.model))
        layers.push_back({{"layer", name}, {"bytes", bytes}});
    json linear = json::array();
    for (const auto& [name, layer] : denseLayers(*lm.model))
        linear.push_back({{"layer", name}, {"in", layer->inFeatures()}, {"out", layer->outFeatures()}, {"rank", layer->rank()},
                          {"int8", layer->isInt8()}});
    return json{{"run", runId}, {"layers", layers}, {"linear", linear}}.dump();
}

std::string rankCurveReport(Catalog& catalog, std::int64_t runId, const std::string& layer)
{
    RunLm lm = loadRunLm(catalog, runId);
    json out = json::array();
    for (const auto& c : rankCurve(*lm.model, layer))
        out.push_back({{"rank", c.rank}, {"energy", c.energy}, {"relative_error", c.relativeError},
                       {"params_before", c.paramsBefore}, {"params_after", c.paramsAfter}});
    return out.dump();
}

std::string sensitivitySweep(Catalog& catalog, std::int64_t runId, const std::string& method, double sparsity,
                             std::int64_t tokens, const std::function<bool(double)>& progress)
{
    if (method != "prune" && method != "quantize")
        throw InputError("the sensitivity sweep prunes or quantizes, got '" + method + "'");
    if (method == "prune" && !(sparsity > 0 && sparsity < 1))
        throw InputError("sparsity must be in (0, 1), got " + formatNumber(sparsity));
    if (method == "quantize" && !int8KernelsAvailable())
        throw InputError("this LibTorch has no int8 kernels for this CPU");
    const auto run = catalog.run(runId);
    if (!run)
        throw InputError("no run " + std::to_string(runId) + " in the catalog");
    RunLm lm = loadRunLm(catalog, runId);
    if (lm.config.train.task != Task::Lm)
        throw InputError("run " + std::to_string(runId) + " is not a language model");
    auto& model = *lm.model;
    model.eval();
    const ValidationSplit v = validationOf(catalog, *run, lm.config);
    auto loss = [&] { return evaluateLm(model, *v.tokens, 32, tokens, v.charsPerToken, v.bytesPerToken).loss; };
    const double base = loss();
    json layers = json::array();
    const auto dense = denseLayers(model);
    PruneOptions all;
    const auto prunable = prunableTensors(model, all);
    const std::size_t n = method == "prune" ? prunable.size() : dense.size();
    report(progress, 0.0);
    for (std::size_t i = 0; i < n; ++i) {
        double l = 0;
        std::string name;
        if (method == "prune") {
            name = prunable[i];
            auto p = model.named_parameters()[name];
            const auto saved = p.detach().clone();
            {
                torch::NoGradGuard g;
                auto a = p.detach().abs().reshape({-1});
                const auto k = std::max<std::int64_t>(1, static_cast<std::int64_t>(std::llround(sparsity * static_cast<double>(a.numel()))));
                const double tau = std::get<0>(a.kthvalue(k)).item<double>();
                p.mul_((p.abs() > tau).to(p.dtype()));
            }
            l = loss();
            torch::NoGradGuard g;
            p.copy_(saved);
        } else {
            // The layer in int8 alone, through the int8 kernel: a fresh copy
            // of the model with that one layer quantised.
            name = dense[i].first;
            if (dense[i].second->isInt8() || dense[i].second->rank() > 0)
                continue;
            RunLm copy = loadRunLm(catalog, runId);
            copy.model->eval();
            for (const auto& [other, layer] : denseLayers(*copy.model))
                if (other == name)
                    layer->quantize();
            l = evaluateLm(*copy.model, *v.tokens, 32, tokens, v.charsPerToken, v.bytesPerToken).loss;
        }
        layers.push_back({{"layer", name}, {"val_loss", l}, {"delta", l - base}});
        report(progress, static_cast<double>(i + 1) / static_cast<double>(n));
    }
    return json{{"run", runId}, {"method", method}, {"sparsity", sparsity}, {"tokens", tokens}, {"base_loss", base}, {"layers", layers}}.dump();
}

} // namespace wb
