// SPDX-License-Identifier: GPL-3.0-or-later
// The architecture zoo (issue 4), for every family: causality (past logits
// bit-identical when future tokens change; zero gradient from future-only
// tokens into the input tables), parameter count = formula = module for every
// preset, save/load round trip, the encoder's width, named-field errors, and
// a short training run that goes well below the unigram entropy.
#include "catalog/catalog.h"
#include "store/corpus_store.h"
#include "core/errors.h"
#include "data/corpus_import.h"
#include "data/token_cache.h"
#include "data/utf8.h"
#include "eval/lm_eval.h"
#include "services/generate.h"
#include "jobs/training_job.h"
#include "models/language_model.h"
#include "models/model_spec.h"
#include "train/checkpoint.h"
#include "train/radam.h"

#include <torch/torch.h>

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <fstream>
#include <map>

using namespace wb;
namespace fs = std::filesystem;

namespace {

// Small specs of every family (fast to run), plus the variants that change
// the structure (bidirectional, untied, no direct connections).
std::vector<std::pair<std::string, ModelSpec>> smallSpecs()
{
    std::vector<std::pair<std::string, ModelSpec>> out;
    auto add = [&](const std::string& name, const std::string& family, std::map<std::string, double> v) {
        ModelSpec s = ModelSpec::defaults(family);
        for (const auto& [k, x] : v)
            s.set(k, x);
        s.validate(name);
        out.emplace_back(name, s);
    };
    add("transformer", "transformer", {{"layers", 2}, {"heads", 2}, {"width", 16}, {"context", 12}});
    add("fnn", "fnn", {{"window", 3}, {"embed", 8}, {"hidden", 16}, {"context", 12}});
    add("fnn-nodirect", "fnn", {{"window", 3}, {"embed", 8}, {"hidden", 16}, {"direct", 0}, {"context", 12}});
    add("cbow", "cbow", {{"window", 4}, {"width", 16}, {"context", 12}});
    add("cbow-sum", "cbow", {{"window", 4}, {"width", 16}, {"mean", 0}, {"context", 12}});
    add("cmow", "cmow", {{"matrix", 4}, {"init_std", 0.1}, {"context", 12}});
    add("cmow-cbow", "cmow-cbow", {{"width", 8}, {"matrix", 4}, {"init_std", 0.1}, {"context", 12}});
    add("cmow-cbow-bidi", "cmow-cbow", {{"width", 8}, {"matrix", 4}, {"bidirectional", 1}, {"init_std", 0.1}, {"context", 12}});
    add("cnn-bilstm", "cnn-bilstm", {{"embed", 8}, {"filters", 12}, {"kernel", 3}, {"hidden", 10}, {"layers", 2}, {"context", 12}});
    add("cnn-bilstm-bidi", "cnn-bilstm", {{"embed", 8}, {"filters", 12}, {"hidden", 10}, {"bidirectional", 1}, {"context", 12}});
    add("lstm", "lstm", {{"embed", 8}, {"hidden", 12}, {"layers", 2}, {"context", 12}});
    add("lstm-untied", "lstm", {{"embed", 8}, {"hidden", 12}, {"layers", 3}, {"tied", 0}, {"context", 12}});
    return out;
}

std::int64_t moduleParams(torch::nn::Module& m)
{
    std::int64_t n = 0;
    for (const auto& p : m.parameters())
        n += p.numel();
    return n;
}

} // namespace

class TestZoo : public QObject {
    Q_OBJECT
    QTemporaryDir m_tmp;

private slots:
    void initTestCase() { torch::set_num_threads(1); }

    void everyFamilyIsCausal()
    {
        const std::int64_t V = 13, T = 12;
        for (const auto& [name, spec] : smallSpecs()) {
            torch::manual_seed(7);
            auto model = buildModel(spec, V);
            model->eval(); // dropout off: the comparison is exact
            torch::NoGradGuard noGrad;
            auto x = torch::randint(V, {2, T}, torch::kLong);
            auto a = model->forward(x);
            QCOMPARE(a.sizes(), (std::vector<std::int64_t>{2, T, V}));
            for (int t : {0, 4, 10}) {
                auto y = x.clone();
                y.slice(1, t + 1).copy_(torch::randint(V, {2, T - t - 1}, torch::kLong));
                y.index_put_({torch::indexing::Slice(), t + 1}, (x.index({torch::indexing::Slice(), t + 1}) + 1) % V);
                auto b = model->forward(y);
                const double past = (a.slice(1, 0, t + 1) - b.slice(1, 0, t + 1)).abs().max().item<double>();
                const double future = (a.slice(1, t + 1) - b.slice(1, t + 1)).abs().max().item<double>();
                QVERIFY2(past == 0.0, (name + ": logits up to t changed with a later token").c_str());
                QVERIFY2(future > 0.0, (name + ": later logits ignore the change").c_str());
            }
        }
    }

    void gradientFromFutureTokensIsZero()
    {
        // Positions 0..5 hold tokens 0..5, positions 6..11 tokens 6..11: the
        // logits at t = 5 must send no gradient into the input-table rows of
        // tokens 6..11. (Tied output layers touch every row; they are checked
        // by the perturbation test above and test_gpt.)
        const std::int64_t V = 13, T = 12, t = 5;
        for (const auto& [name, spec] : smallSpecs()) {
            if (spec.family == "transformer" || (spec.family == "lstm" && spec.b("tied")))
                continue;
            torch::manual_seed(3);
            auto model = buildModel(spec, V);
            model->eval();
            auto x = torch::arange(T, torch::kLong).unsqueeze(0);
            model->zero_grad();
            model->forward(x).select(1, t).sum().backward();
            int tables = 0;
            for (auto& item : model->named_parameters()) {
                const auto& key = item.key();
                if (key.find("emb") == std::string::npos && key.find("table") == std::string::npos)
                    continue;
                const auto g = item.value().grad();
                if (!g.defined())
                    continue; // the backward matrices: not used by the LM at all
                ++tables;
                const double future = g.slice(0, t + 1, T).abs().sum().item<double>();
                const double past = g.slice(0, 0, t + 1).abs().sum().item<double>();
                QVERIFY2(future == 0.0, (name + ": gradient flows from future tokens into " + key).c_str());
                QVERIFY2(past > 0.0, (name + ": no gradient into " + key).c_str());
            }
            QVERIFY2(tables >= 1, name.c_str());
        }
    }

    void parameterCountIsFormulaAndModuleForEveryPreset()
    {
        for (std::int64_t V : {37, 115}) {
            for (const auto& p : presets()) {
                auto model = buildModel(p.spec, V);
                QVERIFY2(moduleParams(*model) == p.spec.parameterCount(V),
                         (p.name + ": module " + std::to_string(moduleParams(*model)) + " vs formula "
                          + std::to_string(p.spec.parameterCount(V)))
                             .c_str());
                QCOMPARE(model->decayParameters().size() + model->noDecayParameters().size(), model->parameters().size());
                QVERIFY(!p.spec.parameterFormula().empty());
                QVERIFY(p.spec.trainingFlopsPerToken(V) > p.spec.inferenceFlopsPerToken(V));
                QVERIFY(p.spec.trainingMemoryBytes(V, 16) > 16 * p.spec.parameterCount(V));
                QVERIFY(!p.spec.layerDiagram(V).empty());
            }
        }
        for (const auto& [name, spec] : smallSpecs()) {
            auto model = buildModel(spec, 13);
            QVERIFY2(moduleParams(*model) == spec.parameterCount(13), name.c_str());
        }
        // methods.md's own examples: A1 3,299,033 (V=16,383, n=5, m=30, h=50);
        // A4 24.2M (PTB, V=10,000).
        ModelSpec bengio = ModelSpec::defaults("fnn");
        bengio.set("window", 4);
        bengio.set("embed", 30);
        bengio.set("hidden", 50);
        QCOMPARE(bengio.parameterCount(16383), std::int64_t(3299033));
        const auto awd = resolveSpec("lstm-base");
        QVERIFY(std::abs(awd.parameterCount(10000) - 24.2e6) < 0.05e6);
        // equal-1m: every family within 15 % of a million with 115 characters.
        for (const auto& name : equalOneMillionSet()) {
            const auto n = resolveSpec(name).parameterCount(115);
            QVERIFY2(n > 850000 && n < 1150000, (name + ": " + std::to_string(n)).c_str());
        }
    }

    // AWD-LSTM carries its state across contiguous chunks (methods.md A4):
    // two chunks read with the state carried give what one forward over
    // both gives; without it the second chunk starts from zeros. An
    // evaluation in between leaves the carried state alone, and the
    // stateful evaluation of one stream equals one forward over the split.
    void lstmCarriesItsStateAcrossChunks()
    {
        torch::manual_seed(2);
        ModelSpec spec = ModelSpec::defaults("lstm");
        for (const auto& [k, v] : std::map<std::string, double>{{"embed", 8}, {"hidden", 12}, {"layers", 2}, {"context", 8}})
            spec.set(k, v);
        auto model = buildModel(spec, 11);
        model->eval();
        torch::NoGradGuard noGrad;
        QVERIFY(model->carriesState());
        auto x = torch::randint(0, 11, {3, 20}, torch::kLong);
        const auto whole = model->forward(x);
        model->setStateCarry(true);
        const auto a = model->forward(x.slice(1, 0, 7));
        const auto kept = model->carriedState();
        QCOMPARE(kept.size(), std::size_t(4)); // h and c of two layers
        {
            StateCarryScope aside(*model, false); // as a sample in between would
            model->forward(x.slice(1, 7, 9));
        }
        QVERIFY(model->carriedState()[0].equal(kept[0]));
        const auto b = model->forward(x.slice(1, 7, 20));
        QVERIFY(torch::allclose(torch::cat({a, b}, 1), whole, 1e-5, 1e-6));
        model->setStateCarry(false);
        QVERIFY(!torch::allclose(model->forward(x.slice(1, 7, 20)), b, 1e-3, 1e-3));
        // Without carry_state the spec's model never carries.
        spec.set("carry_state", 0);
        QVERIFY(!buildModel(spec, 11)->carriesState());

        // Stateful evaluation over one stream, chunk by chunk of the context.
        const fs::path file = fs::path(m_tmp.path().toStdString()) / "carry.tok";
        std::vector<std::int32_t> ids(41);
        for (std::size_t i = 0; i < ids.size(); ++i)
            ids[i] = static_cast<std::int32_t>((i * 7 + i / 3) % 11);
        {
            TokenCacheWriter w(file, 11);
            w.append(ids);
            w.finish();
        }
        const TokenCache tokens(file);
        const LmScore s = evaluateLm(*model, tokens, 1, 1000, 1.0, 1.0);
        QCOMPARE(s.tokens, std::int64_t(40));
        auto all = torch::tensor(std::vector<std::int64_t>(ids.begin(), ids.end()), torch::kLong).unsqueeze(0);
        const auto logits = model->forward(all.slice(1, 0, 40));
        const double expected =
            torch::nn::functional::cross_entropy(logits.view({-1, 11}), all.slice(1, 1, 41).reshape({-1})).item<double>();
        QVERIFY2(std::abs(s.loss - expected) < 1e-5, qPrintable(QStringLiteral("%1 vs %2").arg(s.loss).arg(expected)));
        QVERIFY(!model->stateCarry()); // as it was before
        // Two streams of 20 predictions each.
        QCOMPARE(evaluateLm(*model, tokens, 2, 1000, 1.0, 1.0).tokens, std::int64_t(40));
        QCOMPARE(evaluateLm(*model, tokens, 3, 1000, 1.0, 1.0).tokens, std::int64_t(39)); // 40 mod 3 left out
    }

    void saveLoadRoundTrip()
    {
        const std::int64_t V = 13;
        for (const auto& [name, spec] : smallSpecs()) {
            torch::manual_seed(1);
            auto a = buildModel(spec, V);
            torch::optim::AdamW opt(a->parameters(), torch::optim::AdamWOptions(1e-3));
            const fs::path file = fs::path(m_tmp.path().toStdString()) / (name + ".pt");
            saveTrainingCheckpoint(file, *a, opt, TrainingState{3, "", 0.0});
            torch::manual_seed(2); // different initial weights
            auto b = buildModel(spec, V);
            loadModelWeights(file, *b);
            a->eval();
            b->eval();
            torch::NoGradGuard g;
            auto x = torch::randint(V, {2, 12}, torch::kLong);
            QVERIFY2(torch::equal(a->forward(x), b->forward(x)), name.c_str());
        }
    }

    // Backward stacks learn only through the backward-LM loss (Rei 2017):
    // the forward loss gives them no gradient, the backward loss does, and
    // the cnn-bilstm's backward prediction of w_{t-k} does not see w_{t-k}.
    void backwardStacksHaveABackwardLoss()
    {
        ModelSpec cnn = resolveSpec("cnn-bilstm-tiny");
        cnn.set("bidirectional", 1);
        ModelSpec hybrid = resolveSpec("cmow-cbow-tiny");
        hybrid.set("bidirectional", 1);
        for (const auto& [spec, prefix] : {std::pair{cnn, std::string("backward_lstm.")}, std::pair{hybrid, std::string("backward_matrix_table")}}) {
            torch::manual_seed(5);
            auto model = buildModel(spec, 20);
            model->eval();
            auto x = torch::randint(20, {2, 16}, torch::kLong);
            auto grads = [&](const torch::Tensor& loss) {
                model->zero_grad();
                loss.backward();
                double g = 0;
                for (const auto& p : model->named_parameters())
                    if (p.key().rfind(prefix, 0) == 0 && p.value().grad().defined())
                        g += p.value().grad().abs().sum().item<double>();
                return g;
            };
            auto logits = model->forward(x);
            QCOMPARE(grads(torch::nn::functional::cross_entropy(logits.reshape({-1, 20}), x.reshape({-1}))), 0.0);
            const auto backward = model->backwardLmLoss(x);
            QVERIFY2(backward.defined(), spec.family.c_str());
            QVERIFY2(grads(backward) > 0, spec.family.c_str());
        }
        // No peeking: a backward state only predicts a token it has not read.
        // Position 0 is never read by a scored backward state (it is only a
        // target), so the backward loss has no gradient at its embedding.
        for (const auto& spec : {cnn, hybrid}) {
            torch::manual_seed(6);
            auto model = buildModel(spec, 20);
            model->eval();
            auto x = torch::randint(20, {2, 12}, torch::kLong);
            std::vector<torch::Tensor> seen;
            model->recordEmbeddings(&seen);
            const auto loss = model->backwardLmLoss(x);
            model->recordEmbeddings(nullptr);
            std::vector<torch::Tensor> inputs;
            for (const auto& e : seen)
                if (e.defined())
                    inputs.push_back(e);
            const auto grads = torch::autograd::grad({loss}, inputs, {}, false, false, true);
            for (std::size_t i = 0; i < grads.size(); ++i) {
                QVERIFY(grads[i].defined());
                // The cnn-bilstm embeds in time order; the hybrid's backward
                // tables see the sequence reversed (position 0 last).
                const std::int64_t first = spec.family == "cnn-bilstm" ? 0 : 11;
                const std::int64_t later = spec.family == "cnn-bilstm" ? 5 : 6;
                QCOMPARE(grads[i].select(1, first).abs().sum().item<double>(), 0.0);
                QVERIFY(grads[i].select(1, later).abs().sum().item<double>() > 0);
            }
        }
    }

    // AWD-LSTM's AR/TAR (methods.md A4): a penalty of the last training
    // forward's last-layer output, none in evaluation or for other families,
    // linear in alpha and beta, with a gradient into the LSTM.
    void lstmActivationRegularisation()
    {
        torch::manual_seed(8);
        auto lstm = buildModel(resolveSpec("lstm-tiny"), 20);
        auto x = torch::randint(20, {2, 10}, torch::kLong);
        lstm->train();
        lstm->forward(x);
        const auto ar = lstm->activationPenalty(1.0, 0.0);
        QVERIFY(ar.defined() && ar.item<double>() > 0);
        torch::manual_seed(9);
        lstm->forward(x);
        const auto both = lstm->activationPenalty(2.0, 1.0);
        QVERIFY(both.defined() && both.item<double>() > 0);
        lstm->zero_grad();
        both.backward();
        QVERIFY(lstm->named_parameters()["layers.0.weight_ih"].grad().abs().sum().item<double>() > 0);
        QVERIFY(!lstm->activationPenalty(1.0, 1.0).defined()); // used once per forward
        lstm->eval();
        lstm->forward(x);
        QVERIFY(!lstm->activationPenalty(1.0, 1.0).defined());
        auto gpt = buildModel(ModelSpec::gpt({1, 2, 16, 8, 0.0}), 20);
        gpt->forward(x.slice(1, 0, 8));
        QVERIFY(!gpt->activationPenalty(1.0, 1.0).defined());
    }

    void featuresIgnorePadding()
    {
        // Every family pools a sequence into featureWidth() values, and the
        // padding after a sequence never changes them (backward directions
        // run over the sequence reversed within its length).
        for (const auto& [name, spec] : smallSpecs()) {
            torch::manual_seed(3);
            auto model = buildModel(spec, 13, 4);
            model->eval();
            torch::NoGradGuard g;
            auto x = torch::randint(1, 13, {3, 10}, torch::kLong);
            auto lengths = torch::tensor(std::vector<std::int64_t>{10, 4, 1}, torch::kLong);
            auto f = model->features(x, lengths);
            QVERIFY2(f.size(0) == 3 && f.size(1) == model->featureWidth(), name.c_str());
            for (std::int64_t b = 0; b < 3; ++b) {
                const auto n = lengths[b].item<std::int64_t>();
                auto alone = model->features(x[b].slice(0, 0, n).unsqueeze(0), lengths.slice(0, b, b + 1));
                QVERIFY2(torch::allclose(alone[0], f[b], 1e-4, 1e-5), (name + " row " + std::to_string(b)).c_str());
            }
            const auto logits = model->classify(x, lengths);
            QVERIFY2(logits.size(0) == 3 && logits.size(1) == 4, name.c_str());
        }
        QCOMPARE(buildModel(resolveSpec("cmow-cbow-base"), 30522)->featureWidth(), std::int64_t(1200)); // Galke et al.
    }

    void radamFollowsLiuEtAl()
    {
        // A scalar with a constant gradient 0.5, against the update rule
        // written out in double precision (Liu et al. 2020, Algorithm 2).
        auto p = torch::ones({1}, torch::kDouble).requires_grad_(true);
        RAdam opt({p}, torch::optim::AdamOptions(0.1).betas({0.9, 0.99}).eps(1e-8));
        double ref = 1.0, m = 0, v = 0;
        const double b1 = 0.9, b2 = 0.99, lr = 0.1, g = 0.5, rhoInf = 2 / (1 - b2) - 1;
        int rectified = 0;
        for (int t = 1; t <= 20; ++t) {
            opt.zero_grad();
            p.mutable_grad() = torch::full({1}, g, torch::kDouble);
            opt.step();
            m = b1 * m + (1 - b1) * g;
            v = b2 * v + (1 - b2) * g * g;
            const double mHat = m / (1 - std::pow(b1, t));
            const double rho = rhoInf - 2 * t * std::pow(b2, t) / (1 - std::pow(b2, t));
            if (rho > 5) {
                ++rectified;
                const double r = std::sqrt((rho - 4) * (rho - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rho));
                ref -= lr * r * mHat / (std::sqrt(v / (1 - std::pow(b2, t))) + 1e-8);
            } else {
                ref -= lr * mHat;
            }
            QVERIFY2(std::abs(p.item<double>() - ref) < 1e-12, qPrintable(QStringLiteral("step %1: %2 vs %3").arg(t).arg(p.item<double>()).arg(ref)));
        }
        QVERIFY(rectified > 5 && rectified < 20); // both branches ran
    }

    void invalidSpecsNameTheField_data()
    {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QString>("needle");
        QTest::newRow("window") << QStringLiteral(R"({"family":"fnn","window":0})") << QStringLiteral("field 'window' is 0");
        QTest::newRow("family") << QStringLiteral(R"({"family":"rnn"})") << QStringLiteral("field 'family': unknown family 'rnn'");
        QTest::newRow("bool") << QStringLiteral(R"({"family":"lstm","tied":1})") << QStringLiteral("field 'tied' must be true or false");
        QTest::newRow("matrix") << QStringLiteral(R"({"family":"cmow","matrix":1})") << QStringLiteral("field 'matrix' is 1");
        QTest::newRow("field of another family") << QStringLiteral(R"({"family":"cbow","heads":2})")
                                                 << QStringLiteral("unknown field 'heads' for family cbow");
        QTest::newRow("kernel") << QStringLiteral(R"({"family":"cnn-bilstm","kernel":40})") << QStringLiteral("field 'kernel' is 40");
        QTest::newRow("dropout") << QStringLiteral(R"({"family":"lstm","weight_drop":1.0})") << QStringLiteral("field 'weight_drop'");
    }

    void invalidSpecsNameTheField()
    {
        QFETCH(QString, json);
        QFETCH(QString, needle);
        try {
            ModelSpec::fromJson(json.toStdString(), "spec.json");
            QFAIL("expected an InputError");
        } catch (const InputError& e) {
            QVERIFY2(QString::fromUtf8(e.what()).contains(needle), e.what());
        }
    }

    void tooLargeForMemoryIsRefused()
    {
        ModelSpec huge = resolveSpec("transformer-base");
        huge.set("width", 8192);
        huge.set("heads", 64);
        huge.set("layers", 96);
        try {
            huge.checkFitsInMemory(50000, 16);
            QFAIL("expected an InputError");
        } catch (const InputError& e) {
            QVERIFY2(QString::fromUtf8(e.what()).contains(QStringLiteral("too large for this machine's memory")), e.what());
        }
        resolveSpec("tiny-gpt").checkFitsInMemory(100, 16); // fits
    }

    void everyFamilyLearnsWellBelowUnigramEntropy()
    {
        const fs::path catalog = fs::path(m_tmp.path().toStdString()) / "zoo.sqlite";
        {
            Catalog c(catalog);
            CorpusImportOptions opt;
            opt.name = "small";
            opt.paths = {LMWB_TEST_DATA "/small.txt"};
            importCorpus(c, opt);
        }
        // Unigram entropy of the text's characters, in nats.
        std::ifstream in(LMWB_TEST_DATA "/small.txt", std::ios::binary);
        const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        std::map<unsigned char, double> counts;
        for (unsigned char c : text)
            counts[c] += 1;
        double entropy = 0;
        for (const auto& [c, n] : counts)
            entropy -= n / static_cast<double>(text.size()) * std::log(n / static_cast<double>(text.size()));

        double cbowLoss = 0;
        for (const auto& f : families()) {
            RunConfig cfg;
            cfg.corpus = "small";
            cfg.arch = f.name + "-tiny";
            cfg.spec = resolveSpec(cfg.arch);
            cfg.spec.set("context", std::min(cfg.spec.context(), 32));
            cfg.train.steps = 300;
            cfg.train.batch = 16;
            // Shallow models with few parameters take larger steps; the
            // hybrid and CBOW at the same rate, to compare them.
            cfg.train.lr = (f.name == "cbow" || f.name == "cmow-cbow") ? 2e-2 : f.name == "cmow" ? 1e-2 : 3e-3;
            cfg.train.warmup = 20;
            cfg.train.evalEvery = 300;
            cfg.train.sampleTokens = 20;
            cfg.train.threads = 1;
            cfg.train.seed = 5;
            TrainingJob job(catalog, cfg, {});
            job.start();
            job.wait();
            const auto s = job.summary();
            qDebug("%-11s %8lld params: val loss %.3f nats (unigram entropy %.3f), %.0f tokens/s", f.name.c_str(),
                   static_cast<long long>(s.params), s.valLoss.value_or(NAN), entropy, s.tokensPerSec.value_or(0));
            QVERIFY2(s.status == RunStatus::Finished, (f.name + ": " + s.error).c_str());
            QVERIFY2(s.valLoss && *s.valLoss < 0.85 * entropy, (f.name + " does not learn: " + std::to_string(s.valLoss.value_or(NAN))).c_str());
            // The hybrid sees what CBOW sees (the same window mean) and the
            // CMOW prefix product besides: it does at least as well.
            if (f.name == "cbow")
                cbowLoss = *s.valLoss;
            if (f.name == "cmow-cbow")
                QVERIFY2(*s.valLoss <= cbowLoss, qPrintable(QStringLiteral("hybrid %1 vs cbow %2").arg(*s.valLoss).arg(cbowLoss)));
            // Generation works for every causal family, from the stored checkpoint.
            Catalog c(catalog);
            GenerateOptions g;
            g.prompt = "The ";
            g.maxTokens = 40;
            QCOMPARE(utf8::length(generateFromRun(c, s.run, g)), std::size_t(40));
        }
    }
};

QTEST_GUILESS_MAIN(TestZoo)
#include "test_zoo.moc"
