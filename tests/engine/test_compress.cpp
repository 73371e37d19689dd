// SPDX-License-Identifier: GPL-3.0-or-later
// Compression (methods.md B11): the Zhu-Gupta schedule, magnitude masks,
// truncated SVD, int8 kernels against the integer arithmetic they stand
// for, compact variant files, and variants in the catalog (parent,
// structure, measurements, recovery fine-tunes that keep their zeros).
#include "catalog/catalog.h"
#include "compress/compress.h"
#include "core/errors.h"
#include "jobs/checkpoint_store.h"
#include "models/dense.h"
#include "models/gpt.h"
#include "models/language_model.h"
#include "services/compress.h"
#include "services/run_service.h"
#include "train/checkpoint.h"
#include "trainer_fixture.h"

#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <cmath>
#include <filesystem>

using namespace wb;
using nlohmann::json;

namespace {

std::shared_ptr<LanguageModel> smallGpt(std::uint64_t seed = 3)
{
    torch::manual_seed(seed);
    auto m = buildModel(ModelSpec::gpt({2, 2, 64, 32, 0.0}), 50);
    m->eval();
    return m;
}

torch::Tensor logits(LanguageModel& m, const torch::Tensor& idx)
{
    torch::NoGradGuard g;
    return m.forward(idx);
}

double sparsityOf(const torch::Tensor& t)
{
    return 1.0 - t.count_nonzero().item<double>() / static_cast<double>(t.numel());
}

} // namespace

class TestCompress : public QObject {
    Q_OBJECT

private slots:
    void zhuGuptaFixture()
    {
        // methods.md D2: s_i 0, s_f 0.9, n dt 1000 at t = 0, 250, 500, 1000.
        const double expected[] = {0.0, 0.5203, 0.7875, 0.9};
        const std::int64_t steps[] = {0, 250, 500, 1000};
        for (int i = 0; i < 4; ++i)
            QVERIFY2(std::abs(zhuGuptaSparsity(steps[i], 0.0, 0.9, 0, 1000) - expected[i]) < 5e-5,
                     std::to_string(zhuGuptaSparsity(steps[i], 0.0, 0.9, 0, 1000)).c_str());
        QCOMPARE(zhuGuptaSparsity(2000, 0.0, 0.9, 0, 1000), 0.9);
    }

    void perLayerAndGlobalMasks()
    {
        auto m = smallGpt();
        PruneOptions o;
        o.sparsity = 0.6;
        const auto names = prunableTensors(*m, o);
        // Matrices of attention and MLP; not embeddings, norms or biases.
        QCOMPARE(static_cast<int>(names.size()), 2 * 4);
        for (const auto& n : names)
            QVERIFY2(n.find("blocks.") == 0 && n.ends_with(".weight"), n.c_str());
        const auto wteBefore = m->named_parameters()["wte.weight"].clone();
        applyMasks(*m, magnitudeMasks(*m, o));
        for (const auto& n : names)
            QVERIFY2(std::abs(sparsityOf(m->named_parameters()[n]) - 0.6) < 1e-3, n.c_str());
        QVERIFY(torch::equal(m->named_parameters()["wte.weight"], wteBefore));

        auto g = smallGpt();
        o.global = true;
        std::int64_t zeros = 0, total = 0;
        applyMasks(*g, magnitudeMasks(*g, o));
        std::vector<double> each;
        for (const auto& n : names) {
            const auto t = g->named_parameters()[n]; // a copy: the dict is a temporary
            zeros += t.numel() - t.count_nonzero().item<std::int64_t>();
            total += t.numel();
            each.push_back(sparsityOf(t));
        }
        QVERIFY(std::abs(static_cast<double>(zeros) / static_cast<double>(total) - 0.6) < 1e-3);
        // One threshold: the layers end at different sparsities.
        QVERIFY(*std::max_element(each.begin(), each.end()) - *std::min_element(each.begin(), each.end()) > 0.01);

        o.sparsity = 1.0;
        QVERIFY_THROWS_EXCEPTION(InputError, magnitudeMasks(*g, o));
    }

    void svdAtFullRankReproducesTheLayer()
    {
        torch::manual_seed(1);
        Dense d(48, 20);
        auto x = torch::randn({5, 48});
        auto before = d->forward(x).detach();
        d->factorize(20);
        QCOMPARE(d->rank(), 20);
        QVERIFY(!d->weight.defined());
        auto after = d->forward(x).detach();
        QVERIFY2(torch::allclose(before, after, 1e-5, 1e-5), std::to_string((before - after).abs().max().item<double>()).c_str());
        QCOMPARE(d->parameterCount(), 20 * (48 + 20) + 20);
        // A lower rank: the Eckart-Young error, as rankCurve reports it.
        torch::manual_seed(1);
        auto m = smallGpt();
        QVERIFY_THROWS_EXCEPTION(InputError, rankCurve(*m, "blocks.0.nothing"));
        const auto curve = rankCurve(*m, "blocks.0.fc");
        QCOMPARE(static_cast<int>(curve.size()), 64);
        QVERIFY(std::abs(curve.back().energy - 1.0) < 1e-9 && curve.back().relativeError < 1e-6);
        for (std::size_t i = 1; i < curve.size(); ++i)
            QVERIFY(curve[i].energy >= curve[i - 1].energy && curve[i].relativeError <= curve[i - 1].relativeError + 1e-12);
        Dense fc(64, 256);
        {
            torch::NoGradGuard g;
            fc->weight.copy_(m->named_parameters()["blocks.0.fc.weight"]);
        }
        const auto w = fc->weight.detach().clone();
        fc->factorize(curve[9].rank);
        const double err = ((fc->effectiveWeight() - w).norm() / w.norm()).item<double>();
        QVERIFY2(std::abs(err - curve[9].relativeError) < 1e-4, std::to_string(err).c_str());
        QVERIFY_THROWS_EXCEPTION(InputError, fc->factorize(3)); // already factored
        // A global budget: the factored layers keep at most that share.
        auto b = smallGpt();
        const auto byBudget = chooseRanksByBudget(*b, 0.3);
        std::int64_t denseAll = 0, factored = 0;
        for (const auto& [name, layer] : denseLayers(*b))
            denseAll += layer->inFeatures() * layer->outFeatures();
        for (const auto& c : byBudget)
            factored += c.rank * (c.in + c.out);
        QVERIFY(!byBudget.empty());
        QVERIFY2(factored <= 0.3 * static_cast<double>(denseAll), std::to_string(factored).c_str());
        QVERIFY_THROWS_EXCEPTION(InputError, chooseRanksByBudget(*b, 1.5));
        Dense small(8, 4);
        QVERIFY_THROWS_EXCEPTION(InputError, small->factorize(5)); // above min(in, out)
    }

    void int8RoundTripWithinTheBound()
    {
        torch::manual_seed(2);
        auto w = torch::randn({16, 40});
        const Int8Rows q = quantizeRows(w);
        QCOMPARE(q.values.scalar_type(), torch::kInt8);
        QVERIFY(q.values.abs().max().item<int>() == 127);
        auto back = dequantizeRows(q.values, q.scales);
        // Rounding to the nearest step: at most half a step per value.
        QVERIFY(((back - w).abs() <= q.scales.unsqueeze(1) * 0.5 + 1e-7).all().item<bool>());
    }

    void int8KernelComputesTheIntegerGemm()
    {
        if (!int8KernelsAvailable())
            QSKIP("this LibTorch has no int8 engine");
        torch::manual_seed(4);
        Dense d(64, 24);
        const auto w = d->weight.detach().clone();
        const auto b = d->bias.detach().clone();
        std::vector<torch::Tensor> xs, yFloat;
        // 1 and 7 rows run the engine's own integer loop (a decoding step),
        // 40 rows LibTorch's int8 kernel: the same arithmetic either way.
        for (std::int64_t rows : {std::int64_t(1), std::int64_t(7), std::int64_t(40)}) {
            xs.push_back(torch::randn({rows, 64}) * (rows == 7 ? 3.0 : 1.0) + (rows == 1 ? 0.5 : 0.0));
            torch::NoGradGuard g;
            yFloat.push_back(d->forward(xs.back()));
        }
        d->quantize();
        QVERIFY(d->isInt8() && !d->weight.defined());
        const Int8Rows q = quantizeRows(w);
        for (std::size_t i = 0; i < xs.size(); ++i) {
            const auto& x = xs[i];
            const std::int64_t rows = x.size(0);
            torch::Tensor yInt8;
            {
                torch::NoGradGuard g;
                yInt8 = d->forward(x);
            }
            // The integer arithmetic of methods.md B11 in double: activations
            // per tensor to uint8 with a zero point, weights per channel int8.
            const double lo = std::min(0.0, x.min().item<double>()), hi = std::max(0.0, x.max().item<double>());
            const double sx = (hi - lo) / 255.0;
            const double zx = std::round(-lo / sx);
            auto qx = (torch::round(x.to(torch::kDouble) / sx) + zx).clamp(0, 255);
            auto ref = torch::matmul(qx - zx, q.values.to(torch::kDouble).t()) * sx
                           * q.scales.to(torch::kDouble).unsqueeze(0)
                       + b.to(torch::kDouble);
            const double kernelVsRef = (yInt8.to(torch::kDouble) - ref).abs().max().item<double>();
            // The engine's loop rounds as the reference does (a value exactly
            // half-way may round the other way in float: one step of one input).
            const double tolerance = rows <= kInt8FewRows ? 1e-5 + sx * q.scales.max().item<double>() * 127 : 2e-3 * ref.abs().max().item<double>();
            QVERIFY2(kernelVsRef < tolerance, (std::to_string(rows) + " rows: " + std::to_string(kernelVsRef)).c_str());
            if (rows <= kInt8FewRows) // and, but for such a tie, to float precision
                QVERIFY2((yInt8.to(torch::kDouble) - ref).abs().median().item<double>() < 1e-5 * ref.abs().max().item<double>(),
                         std::to_string(rows).c_str());
            // And the int8 result within the quantisation error bound of the
            // float one: sum_j |x_j| s_c / 2 + |W_cj| s_x / 2 + s_x s_c / 4.
            auto bound = torch::matmul(x.abs(), torch::ones({64, 24})) * q.scales.unsqueeze(0) * 0.5
                         + torch::matmul(torch::ones({rows, 64}), w.abs().t()) * (sx * 0.5)
                         + 64 * sx * q.scales.unsqueeze(0) * 0.25;
            QVERIFY(((yInt8 - yFloat[i]).abs() <= bound + 1e-5).all().item<bool>());
            QVERIFY((yInt8 - yFloat[i]).abs().max().item<double>() > 0); // integers, not the float weights
        }
        {
            // All-zero input: the bias, exactly.
            torch::NoGradGuard g;
            QVERIFY(torch::equal(d->forward(torch::zeros({1, 64})), b.unsqueeze(0)));
        }
        // Training an int8 layer is refused.
        auto grad = torch::randn({2, 64}, torch::requires_grad());
        QVERIFY_THROWS_EXCEPTION(InputError, d->forward(grad));
    }

    void compactFilesLoadBackExactly()
    {
        QTemporaryDir dir;
        const std::filesystem::path base = dir.path().toStdString();
        auto idx = torch::randint(50, {2, 32}, torch::kLong);

        // Pruned: CSR where it pays; the file's bytes are what the save returns.
        auto pruned = smallGpt();
        PruneOptions o;
        o.sparsity = 0.8;
        applyMasks(*pruned, magnitudeMasks(*pruned, o));
        const auto sparseBytes = saveCompactModel(base / "pruned.pt", *pruned, 7, {});
        QCOMPARE(sparseBytes, static_cast<std::int64_t>(std::filesystem::file_size(base / "pruned.pt")));
        auto dense = smallGpt();
        const auto denseBytes = saveCompactModel(base / "dense.pt", *dense, 7, {});
        QVERIFY2(sparseBytes < denseBytes * 0.75, (std::to_string(sparseBytes) + " vs " + std::to_string(denseBytes)).c_str());
        auto reloaded = smallGpt(99);
        loadModelWeights(base / "pruned.pt", *reloaded);
        QVERIFY(torch::equal(logits(*pruned, idx), logits(*reloaded, idx)));
        QCOMPARE(checkpointStep(base / "pruned.pt"), 7);

        // Factored and int8: built with the same structure, loaded, equal.
        auto variant = smallGpt();
        factorizeLayers(*variant, chooseRanks(*variant, 0.0, 8));
        const auto tables = quantizeModel(*variant);
        QCOMPARE(tables, (std::vector<std::string>{"wte.weight", "wpe.weight"}));
        const auto int8Bytes = saveCompactModel(base / "int8.pt", *variant, 7, tables);
        QVERIFY(int8Bytes < denseBytes * 0.4);
        json structure = {{"factors", json::object()}, {"int8", true}};
        for (const auto& [name, layer] : denseLayers(*variant))
            if (layer->rank() > 0)
                structure["factors"][name] = layer->rank();
        torch::manual_seed(5);
        auto built = buildModel(ModelSpec::gpt({2, 2, 64, 32, 0.0}), 50);
        applyCompressionStructure(*built, json{{"method", "quantize"}, {"structure", structure}}.dump());
        loadModelWeights(base / "int8.pt", *built);
        built->eval();
        QVERIFY(torch::equal(logits(*variant, idx), logits(*built, idx)));
        const ParamCount count = countParameters(*built);
        QVERIFY(count.params < countParameters(*dense).params);
    }

    // Structured pruning: the smaller model is an ordinary spec of its
    // family (its parameters equal the spec's formula) and computes what
    // the original computes with the removed parts masked.
    void structuredPruningMatchesTheMaskedOriginal()
    {
        auto idx = torch::randint(50, {2, 24}, torch::kLong);
        auto count = [](LanguageModel& m) {
            std::int64_t n = 0;
            for (const auto& p : m.parameters())
                n += p.numel();
            return n;
        };
        // Heads: the original with the removed heads' gates at zero.
        {
            auto m = smallGpt();
            std::vector<torch::Tensor> batches{torch::randint(50, {4, 33}, torch::kLong)};
            const StructuredPrune p = structuredPrune(*m, "heads", 0.5, batches);
            QCOMPARE(p.spec.i("heads"), 1);
            QCOMPARE(p.spec.i("head_dim"), 32);
            QCOMPARE(count(*p.model), p.spec.parameterCount(50));
            QVERIFY(count(*p.model) < count(*m));
            auto* gpt = dynamic_cast<GptImpl*>(m.get());
            for (int l = 0; l < 2; ++l) {
                auto gate = torch::zeros({2});
                gate[p.kept.at("blocks." + std::to_string(l) + ".attn")[0]] = 1.0;
                gpt->blocks[l]->as<BlockImpl>()->attn->headGate = gate;
            }
            QVERIFY(torch::allclose(logits(*m, idx), logits(*p.model, idx), 1e-5, 1e-5));
            // The importance: per layer a unit vector over the heads.
            for (auto* a : {gpt->blocks[0]->as<BlockImpl>()->attn.get(), gpt->blocks[1]->as<BlockImpl>()->attn.get()})
                a->headGate = torch::Tensor();
            const auto imp = headImportance(*m, batches);
            for (const auto& layer : imp) {
                double sq = 0;
                for (double v : layer)
                    sq += v * v;
                QVERIFY(std::abs(sq - 1.0) < 1e-5);
            }
            QVERIFY_THROWS_EXCEPTION(InputError, structuredPrune(*m, "heads", 0.1, batches)); // removes no head of 2
            QVERIFY_THROWS_EXCEPTION(InputError, structuredPrune(*m, "units", 0.5, batches));  // not a Transformer's
        }
        // FFN units: the original with the removed units' rows zeroed.
        {
            auto m = smallGpt();
            const StructuredPrune p = structuredPrune(*m, "ffn", 0.25, {});
            QCOMPARE(p.spec.i("ffn"), 192);
            QCOMPARE(count(*p.model), p.spec.parameterCount(50));
            torch::NoGradGuard g;
            auto params = m->named_parameters();
            for (int l = 0; l < 2; ++l) {
                const auto& keep = p.kept.at("blocks." + std::to_string(l) + ".mlp");
                auto mask = torch::zeros({256});
                for (auto j : keep)
                    mask[j] = 1.0;
                params["blocks." + std::to_string(l) + ".fc.weight"].mul_(mask.unsqueeze(1));
                params["blocks." + std::to_string(l) + ".fc.bias"].mul_(mask);
            }
            QVERIFY(torch::allclose(logits(*m, idx), logits(*p.model, idx), 1e-5, 1e-5));
        }
        // AWD-LSTM units and CNN channels: the removed units' gate rows (or
        // filters) zeroed leave them at zero for ever.
        {
            torch::manual_seed(5);
            auto spec = ModelSpec::fromJson(R"({"family":"lstm","embed":16,"hidden":24,"layers":3,"context":24})", "test");
            auto m = buildModel(spec, 50);
            m->eval();
            const StructuredPrune p = structuredPrune(*m, "units", 0.5, {});
            QCOMPARE(p.spec.i("hidden"), 12);
            QCOMPARE(count(*p.model), p.spec.parameterCount(50));
            torch::NoGradGuard g;
            auto params = m->named_parameters();
            for (int l = 0; l < 2; ++l) {
                const auto& keep = p.kept.at("layers." + std::to_string(l));
                auto unit = torch::zeros({24});
                for (auto j : keep)
                    unit[j] = 1.0;
                auto rows = unit.repeat({4});
                for (const char* w : {"weight_ih", "weight_hh"})
                    params["layers." + std::to_string(l) + "." + w].mul_(rows.unsqueeze(1));
                for (const char* b : {"bias_ih", "bias_hh"})
                    params["layers." + std::to_string(l) + "." + b].mul_(rows);
            }
            QVERIFY(torch::allclose(logits(*m, idx), logits(*p.model, idx), 1e-5, 1e-5));
        }
        {
            torch::manual_seed(6);
            auto spec = ModelSpec::fromJson(R"({"family":"cnn-bilstm","embed":16,"filters":20,"hidden":16,"context":24})", "test");
            auto m = buildModel(spec, 50);
            m->eval();
            const StructuredPrune p = structuredPrune(*m, "channels", 0.5, {});
            QCOMPARE(p.spec.i("filters"), 10);
            QCOMPARE(count(*p.model), p.spec.parameterCount(50));
            torch::NoGradGuard g;
            auto params = m->named_parameters();
            auto mask = torch::zeros({20});
            for (auto c : p.kept.at("conv"))
                mask[c] = 1.0;
            params["conv.weight"].mul_(mask.view({20, 1, 1}));
            params["conv.bias"].mul_(mask);
            QVERIFY(torch::allclose(logits(*m, idx), logits(*p.model, idx), 1e-5, 1e-5));
        }
    }

    // int8 for the recurrent families: the LSTM layers' weights as int8 run
    // through the int8 kernel step by step, close to the float model, and
    // the variant file loads back into a model built with its structure.
    void int8LstmFamilies()
    {
        if (!int8KernelsAvailable())
            QSKIP("this LibTorch has no int8 engine");
        QTemporaryDir dir;
        const std::filesystem::path base = dir.path().toStdString();
        auto idx = torch::randint(50, {2, 24}, torch::kLong);
        for (const char* json : {R"({"family":"lstm","embed":32,"hidden":48,"layers":2,"context":24})",
                                 R"({"family":"cnn-bilstm","embed":16,"filters":24,"hidden":32,"bidirectional":true,"context":24})"}) {
            torch::manual_seed(7);
            const auto spec = ModelSpec::fromJson(json, "test");
            auto m = buildModel(spec, 50);
            m->eval();
            const auto before = logits(*m, idx);
            const auto floatBytes = saveCompactModel(base / "float.pt", *m, 1, {});
            const auto tables = quantizeModel(*m);
            const auto after = logits(*m, idx);
            QVERIFY(!m->named_parameters().contains("layers.0.weight_hh") && !m->named_parameters().contains("forward_lstm.0.weight_hh"));
            const double err = (after - before).abs().max().item<double>();
            QVERIFY2(err > 0 && err < 0.05 * before.abs().max().item<double>() + 0.02, json);
            const auto int8Bytes = saveCompactModel(base / "int8.pt", *m, 1, tables);
            QVERIFY2(int8Bytes < 0.45 * static_cast<double>(floatBytes), json);
            torch::manual_seed(8);
            auto built = buildModel(spec, 50);
            applyCompressionStructure(*built, R"({"method":"quantize","structure":{"int8":true}})");
            loadModelWeights(base / "int8.pt", *built);
            built->eval();
            QVERIFY2(torch::equal(logits(*built, idx), after), json);
        }
    }

    // Static int8: calibrated input and output scales, fixed; close to the
    // float model, and the file loads back with its scales.
    void staticInt8()
    {
        if (!int8KernelsAvailable())
            QSKIP("this LibTorch has no int8 engine");
        QTemporaryDir dir;
        const std::filesystem::path base = dir.path().toStdString();
        auto m = smallGpt();
        auto idx = torch::randint(50, {2, 32}, torch::kLong);
        const auto before = logits(*m, idx);
        std::vector<torch::Tensor> calibration{torch::randint(50, {8, 33}, torch::kLong), torch::randint(50, {8, 33}, torch::kLong)};
        const auto tables = quantizeModel(*m, calibration);
        for (const auto& [name, layer] : denseLayers(*m))
            QVERIFY2(layer->isStatic(), name.c_str());
        const auto after = logits(*m, idx);
        const double err = (after - before).abs().max().item<double>();
        QVERIFY2(err > 0 && err < 0.05 * before.abs().max().item<double>() + 0.02, std::to_string(err).c_str());
        saveCompactModel(base / "static.pt", *m, 1, tables);
        torch::manual_seed(9);
        auto built = buildModel(ModelSpec::gpt({2, 2, 64, 32, 0.0}), 50);
        applyCompressionStructure(*built, R"({"method":"quantize","structure":{"int8":true,"static":true}})");
        loadModelWeights(base / "static.pt", *built);
        built->eval();
        QVERIFY(torch::equal(logits(*built, idx), after));
    }

    void variantsInTheCatalog()
    {
        QTemporaryDir dir;
        const auto file = test::catalogWithSmall(std::filesystem::path(dir.path().toStdString()) / "c.sqlite");
        const RunSummary parent = test::trainToEnd(file, test::nanoConfig(60, 1));
        QCOMPARE(parent.status, RunStatus::Finished);
        Catalog catalog(file);

        CompressRequest q;
        q.run = parent.run;
        q.method = "quantize";
        const std::int64_t int8Run = makeVariant(catalog, q);
        const auto row = catalog.run(int8Run);
        QVERIFY(row && row->parentRun == parent.run && row->status == RunStatus::Finished);
        const RunConfig cfg = RunConfig::fromJson(row->config);
        QCOMPARE(json::parse(cfg.compression).at("method").get<std::string>(), std::string("quantize"));

        MeasureOptions fast;
        fast.latencyRuns = 10;
        const json m = json::parse(measureRun(catalog, int8Run, fast));
        for (const char* k : {"run", "parent", "method", "params", "nonzero", "file_bytes", "gzip_bytes", "val_loss", "val_ppl",
                              "val_bpc", "latency_ms_p50", "latency_ms_p90", "tokens_per_s", "threads", "cpu", "torch_version"})
            QVERIFY2(m.contains(k), k);
        const auto ckpt = catalog.runArtifacts(int8Run, "checkpoint").back();
        QCOMPARE(m.at("file_bytes").get<std::int64_t>(), static_cast<std::int64_t>(std::filesystem::file_size(catalog.artifactPath(ckpt.path))));
        const json p = json::parse(measureRun(catalog, parent.run, fast));
        QVERIFY(m.at("file_bytes").get<double>() < 0.45 * p.at("file_bytes").get<double>());
        QVERIFY(std::abs(m.at("val_loss").get<double>() - p.at("val_loss").get<double>()) < 0.02);
        QVERIFY(catalog.measurement(int8Run).has_value());

        // An int8 variant is not compressed or trained again.
        CompressRequest again = q;
        again.run = int8Run;
        QVERIFY_THROWS_EXCEPTION(InputError, checkCompressRequest(catalog, again));
        QVERIFY_THROWS_EXCEPTION(InputError, recoveryConfig(catalog, int8Run, 10));

        // Prune, then a recovery fine-tune that keeps the zeros.
        CompressRequest pr;
        pr.run = parent.run;
        pr.method = "prune";
        pr.sparsity = 0.7;
        const std::int64_t prunedRun = makeVariant(catalog, pr);
        RunConfig rec = recoveryConfig(catalog, prunedRun, 30);
        rec.train.threads = 1;
        const RunSummary recovered = test::trainToEnd(file, rec);
        QCOMPARE(recovered.status, RunStatus::Finished);
        const json rm = json::parse(measureRun(catalog, recovered.run, fast));
        const json pm = json::parse(measureRun(catalog, prunedRun, fast));
        QCOMPARE(rm.at("nonzero").get<std::int64_t>() <= pm.at("nonzero").get<std::int64_t>(), true);
        QVERIFY(rm.at("nonzero").get<double>() < 0.6 * rm.at("params").get<double>());

        // Low rank by a fixed rank.
        CompressRequest lr;
        lr.run = parent.run;
        lr.method = "lowrank";
        lr.rank = 8;
        const std::int64_t lowRun = makeVariant(catalog, lr);
        const json lm = json::parse(measureRun(catalog, lowRun, fast));
        QVERIFY(lm.at("params").get<std::int64_t>() < p.at("params").get<std::int64_t>());
        lr.rank = 100000;
        QVERIFY_THROWS_EXCEPTION(InputError, makeVariant(catalog, lr));
        pr.sparsity = 1.0;
        QVERIFY_THROWS_EXCEPTION(InputError, checkCompressRequest(catalog, pr));

        // The tree: the parent, then each variant and its descendants.
        const auto tree = variantTree(catalog, parent.run);
        QCOMPARE(tree, (std::vector<std::int64_t>{parent.run, int8Run, prunedRun, recovered.run, lowRun}));
    }

    void gradualPruneReachesItsTarget()
    {
        QTemporaryDir dir;
        const auto file = test::catalogWithSmall(std::filesystem::path(dir.path().toStdString()) / "c.sqlite");
        const RunSummary parent = test::trainToEnd(file, test::nanoConfig(40, 1));
        Catalog catalog(file);
        CompressRequest g;
        g.run = parent.run;
        g.method = "prune";
        g.schedule = "gradual";
        g.sparsity = 0.8;
        g.finetuneSteps = 40;
        RunConfig cfg = gradualPruneConfig(catalog, g);
        cfg.train.threads = 1;
        const RunSummary pruned = test::trainToEnd(file, cfg);
        QCOMPARE(pruned.status, RunStatus::Finished);
        const auto row = catalog.run(pruned.run);
        QCOMPARE(row->parentRun, parent.run);
        MeasureOptions fast;
        fast.latencyRuns = 10;
        const json m = json::parse(measureRun(catalog, pruned.run, fast));
        // 80% of the block matrices are zero; embeddings, norms and biases are not pruned.
        std::int64_t blockParams = 0;
        {
            torch::manual_seed(1);
            auto model = buildModel(test::nanoConfig(1, 1).spec, 50);
            for (const auto& n : prunableTensors(*model, {}))
                blockParams += model->named_parameters()[n].numel();
        }
        const std::int64_t zeros = m.at("params").get<std::int64_t>() - m.at("nonzero").get<std::int64_t>();
        QVERIFY2(std::abs(static_cast<double>(zeros) / static_cast<double>(blockParams) - 0.8) < 0.01,
                 (std::to_string(zeros) + " of " + std::to_string(blockParams)).c_str());
        g.finetuneSteps = 0;
        QVERIFY_THROWS_EXCEPTION(InputError, checkCompressRequest(catalog, g));
    }
};

QTEST_GUILESS_MAIN(TestCompress)
#include "test_compress.moc"
