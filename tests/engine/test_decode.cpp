// SPDX-License-Identifier: GPL-3.0-or-later
// Incremental decoding for generation (issue 14): for every family the
// logits of decodeNext (KV cache, carried state, incremental window) equal
// a full forward's last position at every step, and greedy generation with
// the cache equals full-window greedy generation token for token; a
// state-carrying AWD-LSTM carries past the context, the others re-anchor;
// top-k / top-p / temperature / seed behave.
#include "eval/lm_eval.h"
#include "models/language_model.h"
#include "models/model_spec.h"

#include <torch/torch.h>

#include <QtTest>

#include <map>

using namespace wb;

namespace {

std::vector<std::pair<std::string, ModelSpec>> specs()
{
    std::vector<std::pair<std::string, ModelSpec>> out;
    auto add = [&](const std::string& name, const std::string& family, std::map<std::string, double> v) {
        ModelSpec s = ModelSpec::defaults(family);
        for (const auto& [k, x] : v)
            s.set(k, x);
        s.validate(name);
        out.emplace_back(name, s);
    };
    add("transformer", "transformer", {{"layers", 2}, {"heads", 2}, {"width", 16}, {"context", 24}});
    add("transformer-odd", "transformer", {{"layers", 3}, {"heads", 3}, {"width", 15}, {"context", 17}});
    add("fnn", "fnn", {{"window", 3}, {"embed", 8}, {"hidden", 16}, {"context", 24}});
    add("fnn-nodirect", "fnn", {{"window", 4}, {"embed", 8}, {"hidden", 16}, {"direct", 0}, {"context", 24}});
    add("cbow", "cbow", {{"window", 4}, {"width", 16}, {"context", 24}});
    add("cbow-sum", "cbow", {{"window", 5}, {"width", 16}, {"mean", 0}, {"context", 24}});
    add("cmow", "cmow", {{"matrix", 4}, {"init_std", 0.1}, {"context", 24}});
    add("cmow-cbow", "cmow-cbow", {{"width", 8}, {"matrix", 4}, {"init_std", 0.1}, {"context", 24}});
    add("cnn-bilstm", "cnn-bilstm", {{"embed", 8}, {"filters", 12}, {"kernel", 3}, {"hidden", 10}, {"layers", 2}, {"context", 24}});
    add("lstm", "lstm", {{"embed", 8}, {"hidden", 12}, {"layers", 2}, {"context", 24}});
    add("lstm-untied", "lstm", {{"embed", 8}, {"hidden", 12}, {"layers", 3}, {"tied", 0}, {"context", 24}});
    return out;
}

// Sharper than a fresh initialisation (whose logits are nearly flat, so
// greedy choices hinge on rounding): every weight scaled up.
std::shared_ptr<LanguageModel> sharpModel(const ModelSpec& spec, std::int64_t V, std::uint64_t seed)
{
    torch::manual_seed(seed);
    auto model = buildModel(spec, V);
    torch::NoGradGuard g;
    for (auto& p : model->named_parameters())
        if (p.value().dim() >= 2 && p.key().find("matrix") == std::string::npos)
            p.value().mul_(4.0);
    model->eval();
    return model;
}

double relDiff(const torch::Tensor& a, const torch::Tensor& b)
{
    return ((a - b).abs().max() / (b.abs().max() + 1e-12)).item<double>();
}

} // namespace

class TestDecode : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { torch::set_num_threads(1); }

    void decodeEqualsFullForwardEveryFamily()
    {
        const std::int64_t V = 17;
        for (const auto& [name, spec] : specs()) {
            auto model = sharpModel(spec, V, 11);
            torch::NoGradGuard g;
            const auto T = spec.context();
            auto seq = torch::randint(V, {T}, torch::kLong);
            auto full = model->forward(seq.unsqueeze(0)).squeeze(0); // (T, V)
            DecodeCache cache;
            // A prompt of 5 tokens, then one at a time, then a chunk of 3.
            std::int64_t at = 0;
            for (const std::int64_t k : {5, 1, 1, 1, 3, 1}) {
                auto logits = model->decodeNext(seq.slice(0, at, at + k), cache);
                at += k;
                QCOMPARE(cache.length, at);
                const double d = relDiff(logits, full[at - 1]);
                QVERIFY2(d < 1e-5, qPrintable(QString("%1: decode differs from forward at %2 by %3").arg(name.c_str()).arg(at).arg(d)));
            }
        }
    }

    void greedyWithCacheEqualsFullWindow()
    {
        const std::int64_t V = 17;
        for (const auto& [name, spec] : specs()) {
            auto model = sharpModel(spec, V, 5);
            const std::vector<std::int32_t> prompt{1, 4, 2, 9};
            const int count = static_cast<int>(spec.context()) - 4 + 1; // the last token sees the full context
            SampleOptions o;
            o.temperature = 0;
            SampleStats st;
            const auto cached = sampleLm(*model, prompt, count, o, nullptr, &st);
            o.cache = false;
            const auto full = sampleLm(*model, prompt, count, o);
            QCOMPARE(cached.size(), std::size_t(count));
            QVERIFY2(cached == full, (name + ": greedy generation with the cache differs from full-window generation").c_str());
            QCOMPARE(st.reanchors, std::int64_t(0));
            QCOMPARE(st.decodeTokens, std::int64_t(count - 1));
            QVERIFY(st.prefillMs > 0);
        }
    }

    void pastTheContextReanchorsOrCarries()
    {
        const std::int64_t V = 17;
        for (const auto& [name, spec] : specs()) {
            auto model = sharpModel(spec, V, 9);
            SampleOptions o;
            o.temperature = 1.0;
            o.seed = 3;
            SampleStats st;
            // A prompt longer than the context and a sample three contexts long.
            std::vector<std::int32_t> prompt(static_cast<std::size_t>(spec.context() + 5), 2);
            const int count = static_cast<int>(3 * spec.context());
            const auto out = sampleLm(*model, prompt, count, o, nullptr, &st);
            QCOMPARE(out.size(), std::size_t(count));
            if (model->carriesState())
                QCOMPARE(st.reanchors, std::int64_t(0));
            else
                QVERIFY2(st.reanchors >= 4, (name + ": " + std::to_string(st.reanchors)).c_str());
            for (auto t : out)
                QVERIFY(t >= 0 && t < V);
        }
        // The AWD-LSTM's carried state past the context equals one forward
        // over the whole sequence (it has no position limit).
        ModelSpec lstm = specs()[9].second;
        QCOMPARE(lstm.family, std::string("lstm"));
        auto model = sharpModel(lstm, V, 2);
        torch::NoGradGuard g;
        auto seq = torch::randint(V, {3 * lstm.context()}, torch::kLong);
        auto full = model->forward(seq.unsqueeze(0)).squeeze(0);
        DecodeCache cache;
        torch::Tensor logits;
        for (std::int64_t at = 0; at < seq.size(0); at += 7)
            logits = model->decodeNext(seq.slice(0, at, std::min(at + 7, seq.size(0))), cache);
        QVERIFY(relDiff(logits, full[seq.size(0) - 1]) < 1e-5);
    }

    void prefixTunedTransformerDecodes()
    {
        const std::int64_t V = 17;
        auto model = sharpModel(specs()[0].second, V, 4);
        model->attachPrefix(3, 8);
        model->freezePrefix();
        model->eval();
        torch::NoGradGuard g;
        auto seq = torch::randint(V, {10}, torch::kLong);
        auto full = model->forward(seq.unsqueeze(0)).squeeze(0);
        DecodeCache cache;
        model->decodeNext(seq.slice(0, 0, 6), cache);
        auto logits = model->decodeNext(seq.slice(0, 6, 10), cache);
        QVERIFY(relDiff(logits, full[9]) < 1e-5);
    }

    void samplingOptions()
    {
        const std::int64_t V = 17;
        auto model = sharpModel(specs()[0].second, V, 8);
        const std::vector<std::int32_t> prompt{3, 1};
        SampleOptions greedy;
        greedy.temperature = 0;
        const auto g = sampleLm(*model, prompt, 15, greedy);
        // top-k 1 and a tiny nucleus both leave only the most likely token.
        SampleOptions k1;
        k1.temperature = 1.5;
        k1.topK = 1;
        QVERIFY(sampleLm(*model, prompt, 15, k1) == g);
        SampleOptions p0;
        p0.temperature = 1.5;
        p0.topP = 1e-6;
        QVERIFY(sampleLm(*model, prompt, 15, p0) == g);
        // The same seed repeats; another seed differs somewhere.
        SampleOptions s1;
        s1.temperature = 2.0;
        s1.seed = 1;
        const auto a = sampleLm(*model, prompt, 20, s1);
        QVERIFY(sampleLm(*model, prompt, 20, s1) == a);
        s1.seed = 2;
        QVERIFY(sampleLm(*model, prompt, 20, s1) != a);
        // A nucleus draws from fewer distinct tokens than the full distribution.
        SampleOptions wide;
        wide.temperature = 3.0;
        SampleOptions narrow = wide;
        narrow.topP = 0.3;
        auto distinct = [](const std::vector<std::int32_t>& v) { return std::set<std::int32_t>(v.begin(), v.end()).size(); };
        QVERIFY(distinct(sampleLm(*model, prompt, 60, narrow)) < distinct(sampleLm(*model, prompt, 60, wide)));
    }
};

QTEST_GUILESS_MAIN(TestDecode)
#include "test_decode.moc"
