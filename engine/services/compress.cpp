// SPDX-License-Identifier: GPL-3.0-or-later
#include "services/compress.h"

#include "catalog/catalog.h"
#include "compress/compress.h"
#include "core/errors.h"
#include "compute/threads.h"
#include "core/files.h"
#include "data/token_cache.h"
#include "eval/infer_bench.h"
#include "eval/lm_eval.h"
#include "jobs/checkpoint_store.h"
#include "services/run_model.h"
#include "settings/settings.h"
#include "services/run_service.h"
#include "settings/compression_settings.h"
#include "store/corpus_store.h"
#include "train/checkpoint.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>
#include <zlib.h>

#include <filesystem>
#include <random>

namespace wb {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

json compressionOf(const RunConfig& config)
{
    return config.compression.empty() ? json::object() : json::parse(config.compression);
}

bool isInt8(const RunConfig& config)
{
    const json c = compressionOf(config);
    return c.contains("structure") && c.at("structure").value("int8", false);
}

bool report(const std::function<bool(double)>& progress, double f)
{
    if (progress && !progress(f))
        throw Cancelled();
    return true;
}

// The run's newest checkpoint row.
std::optional<ArtifactRecord> latestCheckpoint(Catalog& catalog, std::int64_t run)
{
    std::optional<ArtifactRecord> latest;
    for (const auto& a : catalog.runArtifacts(run, "checkpoint"))
        if (!latest || a.step.value_or(0) > latest->step.value_or(0))
            latest = a;
    return latest;
}

// gzip -6 of a file's bytes (what a generic compressor makes of it).
std::int64_t gzipBytes(const fs::path& file)
{
    const std::string in = readFile(file);
    z_stream zs{};
    if (deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        throw RuntimeError("zlib: cannot start gzip");
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    zs.avail_in = static_cast<uInt>(in.size());
    std::vector<unsigned char> out(1 << 16);
    std::int64_t total = 0;
    int rc = Z_OK;
    do {
        zs.next_out = out.data();
        zs.avail_out = static_cast<uInt>(out.size());
        rc = deflate(&zs, Z_FINISH);
        total += static_cast<std::int64_t>(out.size() - zs.avail_out);
    } while (rc == Z_OK);
    deflateEnd(&zs);
    if (rc != Z_STREAM_END)
        throw RuntimeError("zlib: gzip of " + file.string() + " failed");
    return total;
}

} // namespace

void checkCompressRequest(Catalog& catalog, const CompressRequest& r)
{
    const auto run = catalog.run(r.run);
    if (!run)
        throw InputError("no run " + std::to_string(r.run) + " in the catalog");
    if (run->status == RunStatus::Running || run->status == RunStatus::Queued)
        throw InputError("run " + std::to_string(r.run) + " is " + enumName(run->status) + "; compress a run that has stopped or finished");
    if (!latestCheckpoint(catalog, r.run))
        throw InputError("run " + std::to_string(r.run) + " has no checkpoint to compress");
    const RunConfig config = RunConfig::fromJson(run->config);
    if (config.train.task != Task::Lm)
        throw InputError("run " + std::to_string(r.run) + " is a " + enumName(config.train.task)
                         + " run; compression variants are made of language models (task lm) so far");
    if (config.train.method == FinetuneMethod::Prefix)
        throw InputError("run " + std::to_string(r.run) + " is prefix-tuned; compress its parent instead");
    if (r.method != "prune" && r.method != "quantize" && r.method != "lowrank")
        throw InputError("--method must be prune, quantize or lowrank, got '" + r.method + "'");
    // Ranges from the option table (settings/compression_settings.h).
    checkedCompressionNumber("finetune_steps", static_cast<double>(r.finetuneSteps));
    if (isInt8(config))
        throw InputError("run " + std::to_string(r.run) + " is an int8 variant: its weights are integers already; compress its parent instead");
    if (r.method == "prune") {
        checkedCompressionNumber("sparsity", r.sparsity);
        checkSetting(compressionSetting("scope"), SettingValue(r.scope));
        checkSetting(compressionSetting("prune_schedule"), SettingValue(r.schedule));
        if (!r.structured.empty() && r.structured != "heads" && r.structured != "ffn" && r.structured != "units" && r.structured != "channels")
            throw InputError("--structured must be heads, ffn, units or channels, got '" + r.structured + "'");
        if (!r.structured.empty() && r.schedule == "gradual")
            throw InputError("structured pruning is one-shot; recover with --finetune-steps N");
        if (r.schedule == "gradual" && r.finetuneSteps < 1)
            throw InputError("--schedule gradual prunes while it fine-tunes: give --finetune-steps N");
    }
    if (r.method == "quantize") {
        if (r.bits != 8)
            throw InputError("--bits must be 8 (int8 kernels), got " + std::to_string(r.bits));
        if (r.finetuneSteps > 0)
            throw InputError("an int8 model does not train: fine-tune first (lmwb finetune), then quantize the result");
        checkedCompressionNumber("calibrate", static_cast<double>(r.calibrate));
        if (!int8KernelsAvailable())
            throw InputError("this LibTorch has no int8 kernels for this CPU (no fbgemm, onednn or qnnpack engine)");
    }
    if (r.method == "lowrank") {
        if ((r.energy > 0) + (r.rank > 0) + (r.budget > 0) != 1)
            throw InputError("--method lowrank takes one of --energy E (0 < E <= 1), --rank R or --budget F (0 < F < 1)");
        if (r.budget > 0)
            checkedCompressionNumber("budget", r.budget);
        if (r.energy > 0)
            checkedCompressionNumber("energy", r.energy);
        if (r.rank != 0)
            checkedCompressionNumber("rank", static_cast<double>(r.rank));
        if (r.rank > 0) {
            RunLm lm = loadRunLm(catalog, r.run);
            std::int64_t largest = 0;
            for (const auto& [name, layer] : denseLayers(*lm.model))
                largest = std::max(largest, std::min(layer->inFeatures(), layer->outFeatures()));
            if (r.rank > largest)
                throw InputError("--rank " + std::to_string(r.rank) + " is above every layer's rank (the largest is "
                                 + std::to_string(largest) + ")");
        }
    }
    if (r.method == "prune" && !r.structured.empty()) {
        const std::string& f = config.spec.family;
        const bool fits = (f == "transformer" && (r.structured == "heads" || r.structured == "ffn"))
                          || (f == "lstm" && r.structured == "units") || (f == "cnn-bilstm" && r.structured == "channels");
        if (!fits)
            throw InputError("--structured " + r.structured + " does not apply to the " + f + " family (transformer: heads, ffn; "
                             "lstm: units; cnn-bilstm: channels)");
        if (!(r.sparsity > 0))
            throw SettingError("sparsity", "must be greater than 0 for structured pruning, got " + formatNumber(r.sparsity));
    }
}

namespace {

// `count` batches of 8 context windows (plus the next token) from the run's
// training split, at places drawn with the run's seed.
std::vector<torch::Tensor> trainingBatches(Catalog& catalog, const RunRecord& run, RunLm& lm, int count)
{
    std::vector<torch::Tensor> batches;
    const auto corpus = catalog.corpusByName(lm.config.corpus);
    const auto tokRecord = catalog.tokenizerById(run.tokenizerId.value_or(0));
    if (!corpus || !tokRecord)
        throw InputError("run " + std::to_string(run.id) + ": its corpus or tokenizer is no longer in the catalog");
    const auto tokenizer = openTokenizer(catalog, *tokRecord);
    for (const auto& cache : ensureTokenCaches(catalog, *corpus, *tokRecord, *tokenizer)) {
        if (cache.split != "train")
            continue;
        const TokenCache tokens(catalog.artifactPath(cache.path));
        const std::int64_t T = lm.model->context();
        if (tokens.size() < T + 2)
            throw InputError("corpus '" + corpus->name + "' is too small to draw training windows from");
        std::mt19937_64 rng(run.seed);
        std::uniform_int_distribution<std::int64_t> start(0, tokens.size() - T - 2);
        for (int b = 0; b < count; ++b) {
            auto batch = torch::empty({8, T + 1}, torch::kLong);
            for (int row = 0; row < 8; ++row)
                tokens.copy(start(rng), T + 1, batch[row].data_ptr<std::int64_t>());
            batches.push_back(batch);
        }
    }
    return batches;
}

} // namespace

std::int64_t makeVariant(Catalog& catalog, const CompressRequest& r, const std::function<bool(double)>& progress)
{
    checkCompressRequest(catalog, r);
    if (r.method == "prune" && r.schedule == "gradual")
        throw InputError("a gradual prune is a training run (gradualPruneConfig)");
    const auto parent = *catalog.run(r.run);
    const auto checkpoint = *latestCheckpoint(catalog, r.run);
    report(progress, 0.0);
    RunLm lm = loadRunLm(catalog, r.run);
    lm.model->eval();
    report(progress, 0.2);

    json c = compressionOf(lm.config);
    json structure = c.contains("structure") ? c.at("structure") : json::object();
    json settings = {{"method", r.method}};
    json details = json::object();
    std::vector<std::string> int8Tables;
    if (r.method == "prune" && !r.structured.empty()) {
        // Heads are scored on the run's own training text: 8 batches of 8 windows.
        std::vector<torch::Tensor> batches;
        if (r.structured == "heads")
            batches = trainingBatches(catalog, parent, lm, 8);
        StructuredPrune sp = structuredPrune(*lm.model, r.structured, r.sparsity, batches);
        for (const auto& [layer, keep] : sp.kept)
            details[layer] = {{"kept", keep}};
        settings.update({{"sparsity", r.sparsity}, {"structured", r.structured}, {"removed", sp.removed}});
        lm.model = sp.model;
        lm.config.spec = sp.spec;
        lm.config.arch = parent.arch + " (" + r.structured + " pruned)";
    } else if (r.method == "prune") {
        PruneOptions o;
        o.sparsity = r.sparsity;
        o.global = r.scope == "global";
        const auto masks = magnitudeMasks(*lm.model, o);
        applyMasks(*lm.model, masks);
        for (const auto& [name, mask] : masks)
            details[name] = 1.0 - mask.to(torch::kDouble).mean().item<double>();
        settings.update({{"sparsity", r.sparsity}, {"scope", r.scope}, {"schedule", r.schedule}});
        structure["sparse"] = true;
    } else if (r.method == "lowrank") {
        const auto choices = r.budget > 0 ? chooseRanksByBudget(*lm.model, r.budget) : chooseRanks(*lm.model, r.energy, r.rank);
        if (choices.empty())
            throw InputError(r.rank > 0 ? "--rank " + std::to_string(r.rank) + " saves parameters in no layer (a rank r saves only where r (in + out) < in out)"
                                        : "--energy " + formatNumber(r.energy) + " keeps so many singular values that no layer gets smaller; try a lower energy");
        factorizeLayers(*lm.model, choices);
        for (const auto& ch : choices) {
            structure["factors"][ch.layer] = ch.rank;
            details[ch.layer] = {{"rank", ch.rank}, {"full_rank", ch.fullRank}, {"energy", ch.energy}, {"relative_error", ch.relativeError},
                                 {"params_before", ch.paramsBefore}, {"params_after", ch.paramsAfter}};
        }
        if (r.energy > 0)
            settings["energy"] = r.energy;
        else if (r.budget > 0)
            settings["budget"] = r.budget;
        else
            settings["rank"] = r.rank;
    } else {
        std::vector<torch::Tensor> calibration;
        if (r.calibrate > 0)
            calibration = trainingBatches(catalog, parent, lm, r.calibrate);
        int8Tables = quantizeModel(*lm.model, calibration);
        structure["int8"] = true;
        structure["int8_tables"] = int8Tables;
        if (r.calibrate > 0)
            structure["static"] = true;
        settings.update({{"bits", 8}, {"engine", int8EngineName()}, {"calibration_batches", r.calibrate}});
    }
    if (structure.contains("int8_tables"))
        int8Tables = structure.at("int8_tables").get<std::vector<std::string>>();
    report(progress, 0.6);

    RunConfig config = lm.config;
    config.parentRun = r.run;
    config.parentStep = checkpoint.step.value_or(0);
    config.teacherRun.reset();
    config.teacherStep = 0;
    config.train.method = FinetuneMethod::Full;
    settings["structure"] = structure;
    settings["layers"] = details;
    config.compression = settings.dump();

    RunRecord row;
    row.corpusId = parent.corpusId;
    row.arch = config.arch;
    row.config = config.toJson();
    row.device = "cpu";
    row.seed = parent.seed;
    row.parentRun = r.run;
    row.tokenizerId = parent.tokenizerId;
    row.codeVersion = parent.codeVersion;
    const std::int64_t id = catalog.createRun(row);
    try {
        auto& model = *lm.model;
        const ParamCount count = countParameters(model);
        catalog.markRunStarted(id, count.params);
        CheckpointStore store(catalog, id, 1);
        const std::int64_t step = checkpoint.step.value_or(0);
        store.save(step, [&](const fs::path& file) { saveCompactModel(file, model, step, int8Tables); }, false);
        store.storeTokenizer(lm.tokenizer->serialize(), lm.tokenizer->fileExtension());
        const auto saved = latestCheckpoint(catalog, id);
        catalog.setRunSizes(id, 0, saved ? std::optional<std::int64_t>(saved->bytes) : std::nullopt);
        catalog.finishRun(id, RunStatus::Finished, std::nullopt);
    } catch (...) {
        // Cancelled, out of disk, or any other failure: the variant leaves
        // nothing behind (rows and files), and the error says what happened.
        deleteRun(catalog, id, true);
        throw;
    }
    report(progress, 1.0);
    return id;
}

RunConfig gradualPruneConfig(Catalog& catalog, const CompressRequest& r)
{
    checkCompressRequest(catalog, r);
    const auto parent = *catalog.run(r.run);
    FinetuneRequest f;
    f.parent = r.run;
    f.corpus = RunConfig::fromJson(parent.config).corpus;
    f.values = {{"steps", std::to_string(r.finetuneSteps)}};
    RunConfig config = finetuneConfig(catalog, f);
    json c = compressionOf(config);
    json structure = c.contains("structure") ? c.at("structure") : json::object();
    structure["sparse"] = true;
    config.compression = json{{"method", "prune"}, {"sparsity", r.sparsity}, {"scope", r.scope}, {"schedule", "gradual"},
                              {"structure", structure}}.dump();
    return config;
}

RunConfig recoveryConfig(Catalog& catalog, std::int64_t variant, std::int64_t steps)
{
    const auto row = catalog.run(variant);
    if (!row)
        throw InputError("no run " + std::to_string(variant) + " in the catalog");
    FinetuneRequest f;
    f.parent = variant;
    f.corpus = RunConfig::fromJson(row->config).corpus;
    f.values = {{"steps", std::to_string(steps)}};
    return finetuneConfig(catalog, f);
}

std::string measureRun(Catalog& catalog, std::int64_t runId, const MeasureOptions& options, const std::function<bool(double)>& progress)
{
    const auto run = catalog.run(runId);
    if (!run)
        throw InputError("no run " + std::to_string(runId) + " in the catalog");
    if (run->status == RunStatus::Running || run->status == RunStatus::Queued)
        throw InputError("run " + std::to_string(runId) + " is " + enumName(run->status) + "; measure it when it has stopped");
    const auto checkpoint = latestCheckpoint(catalog, runId);
    if (!checkpoint)
        throw InputError("run " + std::to_string(runId) + " has no checkpoint to measure");
    const std::int64_t step = checkpoint->step.value_or(0);
    report(progress, 0.0);
    // The protocol's threads, set deliberately: intra-op threads as asked
    // (0: every core), OpenBLAS's own pool at one (its pthreads and
    // OpenMP's would contend for the same cores).
    configureThreads(options.threads);
    RunLm lm = loadRunLm(catalog, runId);
    if (lm.config.train.task != Task::Lm)
        throw InputError("run " + std::to_string(runId) + " is not a language model (task lm); it has no perplexity to measure");
    auto& model = *lm.model;
    model.eval();
    const json c = compressionOf(lm.config);

    // The file: a variant's own, or the run's weights alone written the same way.
    fs::path file;
    if (c.contains("method")) {
        file = catalog.artifactPath(checkpoint->path);
    } else {
        const std::string rel = "runs/" + std::to_string(runId) + "/model-" + std::to_string(step) + ".pt";
        file = catalog.artifactPath(rel);
        bool have = false;
        for (const auto& a : catalog.runArtifacts(runId, "model"))
            have = have || a.path == rel;
        if (!have || !fs::exists(file)) {
            ArtifactRecord a;
            a.runId = runId;
            a.kind = "model";
            a.path = rel;
            a.step = step;
            a.bytes = writeFileAtomically(file, [&](const fs::path& tmp) { saveCompactModel(tmp, model, step, {}); });
            if (!have)
                catalog.addArtifact(a);
        }
    }
    const auto fileBytes = static_cast<std::int64_t>(fs::file_size(file));
    report(progress, 0.1);

    // Quality on the whole validation split.
    const auto corpus = catalog.corpusByName(lm.config.corpus);
    if (!corpus)
        throw InputError("run " + std::to_string(runId) + ": its corpus '" + lm.config.corpus + "' is no longer in the catalog");
    const auto tokRecord = catalog.tokenizerById(run->tokenizerId.value_or(0));
    if (!tokRecord)
        throw InputError("run " + std::to_string(runId) + ": its tokenizer is no longer in the catalog");
    const auto tokenizer = openTokenizer(catalog, *tokRecord);
    const TokenCacheRecord* cache = nullptr;
    const auto caches = ensureTokenCaches(catalog, *corpus, *tokRecord, *tokenizer);
    for (const auto& t : caches)
        if (t.split == "validation")
            cache = &t;
    if (!cache || cache->tokens < 2)
        throw InputError("corpus '" + corpus->name + "' has no validation split to measure on");
    const TokenCache tokens(catalog.artifactPath(cache->path));
    const double cpt = static_cast<double>(cache->chars) / static_cast<double>(cache->tokens);
    const double bpt = static_cast<double>(cache->bytes) / static_cast<double>(cache->tokens);
    std::atomic<bool> never{false};
    const LmScore score = evaluateLm(model, tokens, 32, std::numeric_limits<std::int64_t>::max(), cpt, bpt, &never);
    report(progress, 0.5);

    // Speed: a window of real validation text.
    const std::int64_t T = std::min<std::int64_t>(model.context(), tokens.size());
    auto window = torch::empty({1, T}, torch::kLong);
    tokens.copy(0, T, window.data_ptr<std::int64_t>());
    InferBenchOptions bo;
    bo.batch = options.batch;
    bo.latencyRuns = options.latencyRuns;
    const InferBenchResult b = benchInference(model, window, bo);
    report(progress, 0.95);

    const ParamCount count = countParameters(model);
    json j = {{"run", runId},
              {"parent", run->parentRun ? json(*run->parentRun) : json(nullptr)},
              {"method", c.value("method", json(nullptr))},
              {"step", step},
              {"params", count.params},
              {"nonzero", count.nonzero},
              {"file_bytes", fileBytes},
              {"gzip_bytes", gzipBytes(file)},
              {"dense_bytes", count.params * 4},
              {"val_loss", score.loss},
              {"val_ppl", score.ppl},
              {"val_bpc", score.bpc},
              {"latency_ms_p50", b.latencyMsP50},
              {"latency_ms_p90", b.latencyMsP90},
              {"tokens_per_s", b.tokensPerSec},
              {"batch", b.batch},
              {"threads", b.threads},
              {"context", b.context},
              {"cpu", b.cpu},
              {"torch_version", b.torchVersion},
              {"int8_engine", b.int8Engine},
              {"peak_rss_bytes", b.peakRssBytes},
              {"model_bytes", b.modelBytes}};
    if (c.contains("method")) {
        json settings = c;
        settings.erase("layers");
        j["settings"] = settings;
    }
    if (options.store)
        catalog.setMeasurement(runId, step, j.dump());
    report(progress, 1.0);
    return j.dump();
}

std::string storedOrMeasured(Catalog& catalog, std::int64_t runId, const std::function<bool(double)>& progress)
{
    const auto checkpoint = latestCheckpoint(catalog, runId);
    if (const auto m = catalog.measurement(runId); m && checkpoint && m->first == checkpoint->step.value_or(0))
        return m->second;
    return measureRun(catalog, runId, {}, progress);
}

std::string variantBoard(Catalog& catalog, const std::vector<std::int64_t>& runs)
{
    std::vector<std::int64_t> roots;
    for (std::int64_t id : runs) {
        auto row = catalog.run(id);
        while (row && row->parentRun) {
            auto up = catalog.run(*row->parentRun);
            if (!up)
                break;
            row = up;
        }
        if (row && std::find(roots.begin(), roots.end(), row->id) == roots.end())
            roots.push_back(row->id);
    }
    json out = json::array();
    std::vector<std::int64_t> seen;
    for (std::int64_t root : roots)
        for (std::int64_t id : variantTree(catalog, root)) {
            if (std::find(seen.begin(), seen.end(), id) != seen.end())
                continue;
            seen.push_back(id);
            const auto row = catalog.run(id);
            const RunConfig config = RunConfig::fromJson(row->config);
            const json c = compressionOf(config);
            json r;
            const auto latest = latestCheckpoint(catalog, id);
            const auto m = catalog.measurement(id);
            if (m && latest && m->first == latest->step.value_or(0)) {
                r = json::parse(m->second);
                r["measured"] = true;
            } else {
                r = {{"run", id}, {"parent", row->parentRun ? json(*row->parentRun) : json(nullptr)},
                     {"method", c.value("method", json(nullptr))}, {"measured", false}};
            }
            if (c.contains("structured"))
                r["structured"] = c.at("structured");
            r["arch"] = row->arch;
            r["status"] = enumName(row->status);
            r["task"] = enumName(config.train.task);
            out.push_back(r);
        }
    return out.dump();
}

std::vector<std::int64_t> variantTree(Catalog& catalog, std::int64_t runId)
{
    if (!catalog.run(runId))
        throw InputError("no run " + std::to_string(runId) + " in the catalog");
    std::vector<std::int64_t> out{runId};
    for (const auto& child : catalog.childRuns(runId))
        for (std::int64_t id : variantTree(catalog, child.id))
            out.push_back(id);
    return out;
}

} // namespace wb
