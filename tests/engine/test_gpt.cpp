// SPDX-License-Identifier: GPL-3.0-or-later
// The GPT module: causality, parameter count = formula = module, spec
// validation with named fields.
#include "core/errors.h"
#include "models/gpt.h"
#include "models/model_spec.h"

#include <torch/torch.h>

#include <QtTest>

using namespace wb;

class TestGpt : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { torch::set_num_threads(1); }

    void changingAFutureTokenLeavesPastLogits()
    {
        torch::manual_seed(3);
        TransformerSpec spec{2, 2, 32, 16, 0.0};
        Gpt model(spec, 11);
        model->eval();
        torch::NoGradGuard noGrad;
        auto x = torch::randint(11, {2, 16}, torch::kLong); // (B, T)
        for (int t : {0, 5, 14}) {
            auto y = x.clone();
            y.index_put_({torch::indexing::Slice(), t + 1}, (y.index({torch::indexing::Slice(), t + 1}) + 1) % 11);
            auto a = model->forward(x); // (B, T, V)
            auto b = model->forward(y);
            const double pastDiff = (a.slice(1, 0, t + 1) - b.slice(1, 0, t + 1)).abs().max().item<double>();
            const double futureDiff = (a.slice(1, t + 1) - b.slice(1, t + 1)).abs().max().item<double>();
            qDebug("t=%d: max |diff| up to t = %g, from t+1 on = %g", t, pastDiff, futureDiff);
            QCOMPARE(pastDiff, 0.0);   // bit-identical: no information flows backwards
            QVERIFY(futureDiff > 1e-6); // and the change does matter where it may
        }
    }

    void gradientOfPastLogitsIgnoresFutureInputs()
    {
        torch::manual_seed(4);
        TransformerSpec spec{2, 4, 32, 12, 0.0};
        Gpt model(spec, 9);
        auto idx = torch::randint(9, {1, 12}, torch::kLong);
        // Differentiate through the input embeddings: hook a leaf on wte output.
        auto emb = model->wte->forward(idx).detach().requires_grad_(true); // (1, T, d)
        auto pos = model->wpe->forward(torch::arange(12, torch::kLong));
        auto h = emb + pos;
        for (const auto& block : *model->blocks)
            h = block->as<Block>()->forward(h);
        auto logits = torch::matmul(model->lnF->forward(h), model->wte->weight.t()); // (1, T, V)
        const int t = 6;
        logits.select(1, t).sum().backward();
        const auto g = emb.grad().abs().sum(-1).squeeze(0); // (T)
        for (int s = t + 1; s < 12; ++s)
            QCOMPARE(g[s].item<double>(), 0.0);
        QVERIFY(g.slice(0, 0, t + 1).sum().item<double>() > 0);
    }

    void parameterCountMatchesFormulaAndModule_data()
    {
        QTest::addColumn<int>("layers");
        QTest::addColumn<int>("heads");
        QTest::addColumn<int>("width");
        QTest::addColumn<int>("context");
        QTest::addColumn<int>("vocab");
        QTest::newRow("tiny-gpt, 113 chars") << 4 << 4 << 128 << 128 << 113;
        QTest::newRow("odd sizes") << 3 << 3 << 48 << 20 << 7;
        QTest::newRow("one layer") << 1 << 1 << 8 << 3 << 2;
    }

    void parameterCountMatchesFormulaAndModule()
    {
        QFETCH(int, layers);
        QFETCH(int, heads);
        QFETCH(int, width);
        QFETCH(int, context);
        QFETCH(int, vocab);
        const ModelSpec spec = ModelSpec::gpt({layers, heads, width, context, 0.0});
        Gpt model(spec.transformer(), vocab);
        std::int64_t counted = 0;
        for (const auto& p : model->parameters())
            counted += p.numel();
        QCOMPARE(counted, spec.parameterCount(vocab));
        // The output layer is tied: no V x d matrix besides the embedding.
        std::int64_t vByD = 0;
        for (const auto& p : model->parameters())
            vByD += p.dim() == 2 && p.size(0) == vocab && p.size(1) == width;
        QCOMPARE(vByD, std::int64_t(1));
        // Decay and no-decay groups partition the parameters.
        QCOMPARE(model->decayParameters().size() + model->noDecayParameters().size(), model->parameters().size());
    }

    void gpt2SmallCountFromMethodsDoc()
    {
        const ModelSpec spec = ModelSpec::gpt({12, 12, 768, 1024, 0.0});
        QCOMPARE(spec.parameterCount(50257), std::int64_t(124439808)); // methods.md D2
    }

    void specErrorsNameTheField_data()
    {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QString>("needle");
        QTest::newRow("heads") << QStringLiteral(R"({"heads":3,"width":128})") << QStringLiteral("'heads' (3) must divide field 'width' (128)");
        QTest::newRow("family") << QStringLiteral(R"({"family":"rnn"})") << QStringLiteral("field 'family'");
        QTest::newRow("layers range") << QStringLiteral(R"({"layers":0})") << QStringLiteral("field 'layers' is 0");
        QTest::newRow("type") << QStringLiteral(R"({"width":"big"})") << QStringLiteral("field 'width' must be an integer");
        QTest::newRow("unknown") << QStringLiteral(R"({"widht":64})") << QStringLiteral("unknown field 'widht'");
        QTest::newRow("dropout") << QStringLiteral(R"({"dropout":1.5})") << QStringLiteral("field 'dropout'");
        QTest::newRow("syntax") << QStringLiteral(R"({"layers":2,})") << QStringLiteral("byte offset");
    }

    void specErrorsNameTheField()
    {
        QFETCH(QString, json);
        QFETCH(QString, needle);
        try {
            ModelSpec::fromJson(json.toStdString(), "my.json");
            QFAIL("expected an InputError");
        } catch (const InputError& e) {
            const QString msg = QString::fromUtf8(e.what());
            QVERIFY2(msg.contains(needle) && msg.startsWith(QStringLiteral("my.json")), e.what());
        }
    }

    void presetsResolveAndRoundTrip()
    {
        const auto tiny = resolveSpec("tiny-gpt");
        QCOMPARE(tiny.transformer().layers, 4);
        QCOMPARE(tiny.transformer().heads, 4);
        QCOMPARE(tiny.transformer().width, 128);
        const auto again = ModelSpec::fromJson(tiny.toJson());
        QCOMPARE(again.toJson(), tiny.toJson());
        QVERIFY_THROWS_EXCEPTION(InputError, resolveSpec("no-such-preset"));
    }
};

QTEST_GUILESS_MAIN(TestGpt)
#include "test_gpt.moc"
