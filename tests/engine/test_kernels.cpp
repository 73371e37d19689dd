// SPDX-License-Identifier: GPL-3.0-or-later
// The fused CPU kernels (engine/models/fused.h, run setting `kernels`,
// issue 14) against the unfused LibTorch ops they replace: values and the
// gradients of every input to 1e-5 relative, on random shapes with odd
// sizes, single- and multi-threaded; and a whole GPT whose loss and
// gradients are the same with `fused` and `reference`.
#include "compute/threads.h"
#include "eval/lm_eval.h"
#include "models/dense.h"
#include "models/fused.h"
#include "models/fused_adamw.h"
#include "models/language_model.h"
#include "models/model_spec.h"

#include <ATen/Parallel.h>
#include <torch/torch.h>

#include <QtTest>

#include <limits>
#include <sstream>
#include <thread>

#include <sys/resource.h>
#include <unistd.h>

using namespace wb;

namespace {

// A small GPT without dropout for the whole-model tests.
ModelSpec smallGpt(int layers, int heads, int width, int context)
{
    ModelSpec spec = ModelSpec::defaults("transformer");
    spec.set("layers", layers);
    spec.set("heads", heads);
    spec.set("width", width);
    spec.set("context", context);
    spec.set("dropout", 0);
    spec.validate("test");
    return spec;
}

// max |a - b| / max(max |b|, tiny): relative to the reference's scale.
double relDiff(const torch::Tensor& a, const torch::Tensor& b)
{
    const double scale = std::max(b.abs().max().item<double>(), 1e-12);
    return (a - b).abs().max().item<double>() / scale;
}

// The reference: LibTorch's ops as the unfused model runs them.
torch::Tensor referenceLinear(const torch::Tensor& x, const torch::Tensor& W, const torch::Tensor& b, bool gelu)
{
    auto y = torch::nn::functional::linear(x, W, b);
    return gelu ? torch::gelu(y, "tanh") : y;
}

torch::Tensor referenceAttention(const torch::Tensor& qkv, std::int64_t heads)
{
    const auto B = qkv.size(0), T = qkv.size(1), C = qkv.size(2) / 3, hd = C / heads;
    auto parts = qkv.split(C, 2);
    auto q = parts[0].view({B, T, heads, hd}).transpose(1, 2);
    auto k = parts[1].view({B, T, heads, hd}).transpose(1, 2);
    auto v = parts[2].view({B, T, heads, hd}).transpose(1, 2);
    auto att = torch::matmul(q, k.transpose(-2, -1)) / std::sqrt(static_cast<double>(hd));
    auto mask = torch::ones({T, T}, torch::kBool).tril();
    att = att.masked_fill(mask.logical_not(), -std::numeric_limits<float>::infinity());
    att = torch::softmax(att, -1);
    return torch::matmul(att, v).transpose(1, 2).contiguous().view({B, T, C});
}

struct Grads {
    torch::Tensor y;
    std::vector<torch::Tensor> g;
};

// y and d(sum(y * probe))/d(inputs) for fresh leaf copies of `inputs`.
template <class F> Grads run(const std::vector<torch::Tensor>& inputs, const torch::Tensor& probe, F&& f)
{
    std::vector<torch::Tensor> leaves;
    for (const auto& t : inputs)
        leaves.push_back(t.defined() ? t.detach().clone().requires_grad_(true) : torch::Tensor());
    Grads out;
    out.y = f(leaves);
    (out.y * probe).sum().backward();
    for (const auto& t : leaves)
        out.g.push_back(t.defined() ? t.grad() : torch::Tensor());
    out.y = out.y.detach();
    return out;
}

// Restores the intra-op thread count on exit.
struct Threads {
    int saved = at::get_num_threads();
    explicit Threads(int n) { at::set_num_threads(n); }
    ~Threads() { at::set_num_threads(saved); }
};

} // namespace

class TestKernels : public QObject {
    Q_OBJECT

    // Each kernel on one thread and split over two.
    static void threadRows()
    {
        QTest::addColumn<int>("threads");
        QTest::newRow("1 thread") << 1;
        QTest::newRow("2 threads") << 2;
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(fused::available(), "no cblas_sgemm in the process");
    }

    void linearMatchesLibTorch_data() { threadRows(); }

    void linearMatchesLibTorch()
    {
        QFETCH(int, threads);
        Threads t(threads);
        torch::manual_seed(5);
        // (leading dims, in, out): odd sizes, a product large enough to split
        // over threads (2 x 67 x 129 x 257 multiply-adds), and a single row.
        const std::vector<std::tuple<std::vector<std::int64_t>, std::int64_t, std::int64_t>> shapes = {
            {{3, 5}, 7, 11}, {{2, 67}, 129, 257}, {{1}, 13, 9}, {{4, 33}, 64, 256}, {{37}, 255, 3}};
        for (const auto& [lead, in, out] : shapes)
            for (const bool bias : {true, false})
                for (const bool gelu : {false, true}) {
                    auto xs = lead;
                    xs.push_back(in);
                    auto ys = lead;
                    ys.push_back(out);
                    auto x = torch::randn(xs);
                    auto W = torch::randn({out, in}) / std::sqrt(static_cast<double>(in));
                    auto b = bias ? torch::randn({out}) : torch::Tensor();
                    auto probe = torch::randn(ys);
                    auto ref = run({x, W, b}, probe, [&](auto& v) { return referenceLinear(v[0], v[1], v[2], gelu); });
                    auto got = run({x, W, b}, probe, [&](auto& v) { return fused::linear(v[0], v[1], v[2], gelu); });
                    const QString what = QStringLiteral("in %1 out %2 rows %3 bias %4 gelu %5")
                                             .arg(in).arg(out).arg(x.numel() / in).arg(bias).arg(gelu);
                    QCOMPARE(got.y.sizes().vec(), ref.y.sizes().vec());
                    QVERIFY2(relDiff(got.y, ref.y) < 1e-5, qPrintable(what + " y " + QString::number(relDiff(got.y, ref.y))));
                    const char* names[] = {"dx", "dW", "db"};
                    for (int i = 0; i < 3; ++i) {
                        if (!ref.g[i].defined())
                            continue;
                        QVERIFY2(got.g[i].defined(), qPrintable(what + " " + names[i] + " missing"));
                        const double d = relDiff(got.g[i], ref.g[i]);
                        QVERIFY2(d < 1e-5, qPrintable(what + " " + names[i] + " " + QString::number(d)));
                    }
                }
    }

    void attentionMatchesLibTorch_data() { threadRows(); }

    void attentionMatchesLibTorch()
    {
        QFETCH(int, threads);
        Threads t(threads);
        torch::manual_seed(7);
        // (B, T, heads, head width): odd lengths and widths, one position.
        const std::vector<std::array<std::int64_t, 4>> shapes = {{2, 5, 3, 7}, {3, 17, 2, 8}, {1, 1, 4, 3}, {4, 64, 4, 32}, {2, 33, 5, 5}};
        for (const auto& [B, T, H, hd] : shapes) {
            const auto C = H * hd;
            auto qkv = torch::randn({B, T, 3 * C});
            auto probe = torch::randn({B, T, C});
            auto ref = run({qkv}, probe, [&](auto& v) { return referenceAttention(v[0], H); });
            auto got = run({qkv}, probe, [&](auto& v) { return fused::causalAttention(v[0], H); });
            const QString what = QStringLiteral("B %1 T %2 heads %3 hd %4").arg(B).arg(T).arg(H).arg(hd);
            QVERIFY2(relDiff(got.y, ref.y) < 1e-5, qPrintable(what + " y " + QString::number(relDiff(got.y, ref.y))));
            const double d = relDiff(got.g[0], ref.g[0]);
            QVERIFY2(d < 1e-5, qPrintable(what + " dqkv " + QString::number(d)));
            // The three slices each carry a gradient (none left at zero);
            // with one position the softmax is constant, so only V has one.
            for (int s = T > 1 ? 0 : 2; s < 3; ++s)
                QVERIFY(got.g[0].narrow(2, s * C, C).abs().sum().item<double>() > 0);
        }
        // A non-contiguous input (a slice of a wider tensor) is read right.
        auto wide = torch::randn({2, 9, 3 * 12 + 5});
        auto qkv = wide.narrow(2, 5, 36);
        QVERIFY(relDiff(fused::causalAttention(qkv, 3), referenceAttention(qkv, 3)) < 1e-5);
    }

    // A whole GPT: the same loss and gradients with either kernel set, and
    // the fused path is really taken.
    void engineLoopsUseEveryThread()
    {
        // ATen's parallel_for forks only in code compiled with OpenMP: the
        // engine's loops ran serially for a long time without anyone seeing.
        Threads two(2);
#ifdef LMWB_OPENMP
        QCOMPARE(parallelLoopThreads(), 2);
#else
        QCOMPARE(parallelLoopThreads(), 1);
#endif
        Threads one(1);
        QCOMPARE(parallelLoopThreads(), 1);
    }

    void lowerPriorityReachesTheLoopThreads()
    {
        // A GUI's training job: its thread and the OpenMP threads it starts
        // all at the lower priority, the calling (GUI) thread untouched.
        const int before = getpriority(PRIO_PROCESS, static_cast<id_t>(gettid()));
        std::vector<int> nices;
        bool lowered = false;
        std::thread worker([&] {
            lowered = lowerThisThreadPriority(before + 7);
            at::set_num_threads(2);
            std::mutex m;
            at::parallel_for(0, 2, 1, [&](std::int64_t, std::int64_t) {
                std::lock_guard lock(m);
                nices.push_back(getpriority(PRIO_PROCESS, static_cast<id_t>(gettid())));
            });
        });
        worker.join();
        QVERIFY(lowered);
        QVERIFY(!nices.empty());
        for (const int n : nices)
            QCOMPARE(n, before + 7);
        QCOMPARE(getpriority(PRIO_PROCESS, static_cast<id_t>(gettid())), before);
    }

    // A step as concurrent parts (eval/lm_eval.h) gives the whole batch's
    // mean loss and gradient, and the same bits every time: the parts'
    // gradients are summed in their order, whichever thread ends first.
    void concurrentStepEqualsWholeBatch()
    {
        const ModelSpec spec = smallGpt(2, 2, 32, 17);
        torch::manual_seed(4);
        auto model = buildModel(spec, 37);
        model->setKernels(Kernels::Fused);
        model->train();
        auto x = torch::randint(0, 37, {5, 17}, torch::kLong); // 5 rows: parts of 2 and 3
        auto y = torch::randint(0, 37, {5, 17}, torch::kLong);
        auto grads = [&] {
            std::vector<torch::Tensor> g;
            for (const auto& p : model->parameters())
                g.push_back(p.grad().clone());
            return g;
        };
        model->zero_grad();
        Threads one(1);
        auto whole = torch::nn::functional::cross_entropy(model->forward(x).view({-1, 37}), y.view({-1}));
        whole.backward();
        const auto ref = grads();
        Threads two(2);
        std::vector<torch::Tensor> first;
        for (int attempt = 0; attempt < 3; ++attempt) {
            model->zero_grad();
            const auto loss = concurrentLmStep(*model, x, y, 2);
            QVERIFY2(std::abs(loss.item<double>() - whole.item<double>()) < 1e-5 * whole.item<double>(),
                     qPrintable(QString::number(loss.item<double>() - whole.item<double>())));
            const auto got = grads();
            for (std::size_t i = 0; i < ref.size(); ++i) {
                QVERIFY2(relDiff(got[i], ref[i]) < 1e-5, qPrintable(QStringLiteral("parameter %1: %2").arg(i).arg(relDiff(got[i], ref[i]))));
                if (!first.empty())
                    QVERIFY2(torch::equal(got[i], first[i]), qPrintable(QStringLiteral("parameter %1 differs between runs").arg(i)));
            }
            if (first.empty())
                first = got;
        }
    }

    void gptSameWithEitherKernels()
    {
        const ModelSpec spec = smallGpt(2, 3, 24, 19);
        torch::manual_seed(3);
        auto model = buildModel(spec, 41);
        QCOMPARE(model->kernels(), Kernels::Reference);
        model->train();
        auto idx = torch::randint(0, 41, {3, 19}, torch::kLong);
        auto target = torch::randint(0, 41, {3, 19}, torch::kLong);
        auto lossAndGrads = [&](Kernels k) {
            model->setKernels(k);
            model->zero_grad();
            auto logits = model->forward(idx);
            auto loss = torch::nn::functional::cross_entropy(logits.view({-1, 41}), target.view({-1}));
            loss.backward();
            std::vector<torch::Tensor> g;
            for (const auto& p : model->parameters())
                g.push_back(p.grad().clone());
            return std::make_pair(loss.item<double>(), g);
        };
        const auto [refLoss, refGrads] = lossAndGrads(Kernels::Reference);
        const auto [fusedLoss, fusedGrads] = lossAndGrads(Kernels::Fused);
        QCOMPARE(model->kernels(), Kernels::Fused);
        QVERIFY2(std::abs(refLoss - fusedLoss) < 1e-5 * std::abs(refLoss), qPrintable(QString::number(refLoss - fusedLoss)));
        QCOMPARE(refGrads.size(), fusedGrads.size());
        for (std::size_t i = 0; i < refGrads.size(); ++i) {
            const double d = relDiff(fusedGrads[i], refGrads[i]);
            QVERIFY2(d < 1e-4, qPrintable(QStringLiteral("parameter %1: %2").arg(i).arg(d)));
        }
        // In evaluation (no autograd) too, and a layer's fused flag is set.
        model->eval();
        torch::NoGradGuard ng;
        auto fusedLogits = model->forward(idx);
        model->setKernels(Kernels::Reference);
        QVERIFY(relDiff(fusedLogits, model->forward(idx)) < 1e-5);
        model->setKernels(Kernels::Fused);
        for (auto& [name, layer] : denseLayers(*model))
            QVERIFY2(layer->fusedKernels, name.c_str());
        // The fused Function is the one autograd records.
        torch::AutoGradMode on(true);
        auto layer = denseLayers(*model).front().second;
        auto y = layer->forward(torch::randn({2, layer->weight.size(1)}).requires_grad_(true));
        QVERIFY2(y.grad_fn()->name().find("LinearFn") != std::string::npos, y.grad_fn()->name().c_str());
        model->setKernels(Kernels::Reference);
        y = layer->forward(torch::randn({2, layer->weight.size(1)}).requires_grad_(true));
        QVERIFY(y.grad_fn()->name().find("LinearFn") == std::string::npos);
    }

    // The residual add and LayerNorm in one pass against x + delta and
    // LibTorch's layer_norm: both outputs and the gradients of x, delta,
    // weight and bias, with gradients arriving at both outputs or at the
    // normalised one only; odd widths and row counts (a partial block).
    void addLayerNormMatchesLibTorch_data() { threadRows(); }

    void addLayerNormMatchesLibTorch()
    {
        QFETCH(int, threads);
        at::set_num_threads(threads);
        torch::manual_seed(5);
        for (const auto& [rows, d] : std::vector<std::pair<std::int64_t, std::int64_t>>{{1, 7}, {3, 65}, {67, 33}, {130, 128}}) {
            for (const bool useSum : {true, false}) {
                auto x = (torch::randn({rows, d}) * 3 + 1).requires_grad_(true);
                auto delta = torch::randn({rows, d}).requires_grad_(true);
                auto w = (torch::rand({d}) + 0.5).requires_grad_(true);
                auto b = torch::randn({d}).requires_grad_(true);
                auto gs = torch::randn({rows, d}), gy = torch::randn({rows, d});
                auto [s, y] = fused::addLayerNorm(x, delta, w, b, 1e-5);
                auto loss = (y * gy).sum() + (useSum ? (s * gs).sum() : torch::zeros({}));
                auto g = torch::autograd::grad({loss}, {x, delta, w, b});
                auto x2 = x.detach().clone().requires_grad_(true), delta2 = delta.detach().clone().requires_grad_(true);
                auto w2 = w.detach().clone().requires_grad_(true), b2 = b.detach().clone().requires_grad_(true);
                auto s2 = x2 + delta2;
                auto y2 = torch::layer_norm(s2, {d}, w2, b2, 1e-5);
                auto loss2 = (y2 * gy).sum() + (useSum ? (s2 * gs).sum() : torch::zeros({}));
                auto g2 = torch::autograd::grad({loss2}, {x2, delta2, w2, b2});
                const QString where = QStringLiteral("rows %1, width %2, sum used %3").arg(rows).arg(d).arg(useSum);
                QVERIFY2(relDiff(s.detach(), s2.detach()) < 1e-6, qPrintable(where));
                QVERIFY2(relDiff(y.detach(), y2.detach()) < 1e-5, qPrintable(where + QStringLiteral(": y ")
                                                                             + QString::number(relDiff(y.detach(), y2.detach()))));
                const char* names[] = {"dx", "ddelta", "dw", "db"};
                for (int i = 0; i < 4; ++i) {
                    const double e = relDiff(g[i], g2[i]);
                    QVERIFY2(e < 1e-5, qPrintable(where + QStringLiteral(": %1 %2").arg(QLatin1String(names[i])).arg(e)));
                }
                // The LayerNorm alone, on the same input.
                auto yAlone = fused::layerNorm(x, w, b, 1e-5);
                auto ga = torch::autograd::grad({(yAlone * gy).sum()}, {x, w, b});
                auto x3 = x.detach().clone().requires_grad_(true), w3 = w.detach().clone().requires_grad_(true),
                     b3 = b.detach().clone().requires_grad_(true);
                auto y3 = torch::layer_norm(x3, {d}, w3, b3, 1e-5);
                auto gr = torch::autograd::grad({(y3 * gy).sum()}, {x3, w3, b3});
                QVERIFY2(relDiff(yAlone.detach(), y3.detach()) < 1e-5, qPrintable(where + QStringLiteral(": layerNorm")));
                for (int i = 0; i < 3; ++i)
                    QVERIFY2(relDiff(ga[i], gr[i]) < 1e-5, qPrintable(where + QStringLiteral(": layerNorm gradient %1").arg(i)));
            }
        }
    }

    // The tied output layer with the cross-entropy in one Function against
    // matmul + cross_entropy: the loss and the gradients of h and E, odd
    // sizes; and a GPT's lmLoss with either kernel setting.
    void tiedCrossEntropyMatchesLibTorch_data() { threadRows(); }

    void tiedCrossEntropyMatchesLibTorch()
    {
        QFETCH(int, threads);
        at::set_num_threads(threads);
        torch::manual_seed(8);
        for (const auto& [rows, d, V] : std::vector<std::tuple<std::int64_t, std::int64_t, std::int64_t>>{
                 {1, 5, 3}, {7, 33, 97}, {300, 64, 41}}) {
            auto h = (torch::randn({rows, d}) * 2).requires_grad_(true);
            auto E = torch::randn({V, d}).requires_grad_(true);
            auto t = torch::randint(0, V, {rows}, torch::kLong);
            auto loss = fused::tiedCrossEntropy(h, E, t);
            auto g = torch::autograd::grad({loss * 3.0}, {h, E});
            auto h2 = h.detach().clone().requires_grad_(true), E2 = E.detach().clone().requires_grad_(true);
            auto ref = torch::nn::functional::cross_entropy(torch::matmul(h2, E2.t()), t);
            auto g2 = torch::autograd::grad({ref * 3.0}, {h2, E2});
            const QString where = QStringLiteral("%1 x %2, vocabulary %3").arg(rows).arg(d).arg(V);
            QVERIFY2(std::abs(loss.item<double>() - ref.item<double>()) < 1e-5 * std::abs(ref.item<double>()), qPrintable(where));
            QVERIFY2(relDiff(g[0], g2[0]) < 1e-5, qPrintable(where + QStringLiteral(": dh %1").arg(relDiff(g[0], g2[0]))));
            QVERIFY2(relDiff(g[1], g2[1]) < 1e-5, qPrintable(where + QStringLiteral(": dE %1").arg(relDiff(g[1], g2[1]))));
        }
        const ModelSpec spec = smallGpt(1, 2, 16, 9);
        auto model = buildModel(spec, 23);
        auto x = torch::randint(0, 23, {3, 9}, torch::kLong), y = torch::randint(0, 23, {3, 9}, torch::kLong);
        model->setKernels(Kernels::Fused);
        const double fusedLoss = model->lmLoss(x, y).item<double>();
        model->setKernels(Kernels::Reference);
        const double refLoss = model->lmLoss(x, y).item<double>();
        QVERIFY2(std::abs(fusedLoss - refLoss) < 1e-5 * refLoss, qPrintable(QString::number(fusedLoss - refLoss)));
    }

    // The fused AdamW against LibTorch's over several steps: two groups (with
    // and without weight decay), odd sizes, a tensor without a gradient, a
    // rate changed between steps; parameters and both moments to 1e-5
    // relative. Its state is AdamW's: saved by one, loaded by the other.
    void fusedAdamWMatchesLibTorch_data() { threadRows(); }

    void fusedAdamWMatchesLibTorch()
    {
        QFETCH(int, threads);
        at::set_num_threads(threads);
        torch::manual_seed(11);
        const std::vector<std::vector<std::int64_t>> shapes{{37, 13}, {13}, {5, 3, 7}, {1}, {70001}, {2, 2}};
        std::vector<torch::Tensor> a, b;
        for (const auto& s : shapes) {
            a.push_back(torch::randn(s).requires_grad_(true));
            b.push_back(a.back().detach().clone().requires_grad_(true));
        }
        auto groups = [](const std::vector<torch::Tensor>& p) {
            using O = torch::optim::AdamWOptions;
            std::vector<torch::optim::OptimizerParamGroup> g;
            g.emplace_back(std::vector<torch::Tensor>{p[0], p[2], p[4]},
                           std::make_unique<O>(O(3e-3).betas({0.9, 0.95}).weight_decay(0.1)));
            g.emplace_back(std::vector<torch::Tensor>{p[1], p[3], p[5]}, std::make_unique<O>(O(3e-3).betas({0.9, 0.95}).weight_decay(0)));
            return g;
        };
        FusedAdamW fusedOpt(groups(a), torch::optim::AdamWOptions(3e-3));
        torch::optim::AdamW refOpt(groups(b), torch::optim::AdamWOptions(3e-3));
        auto stepBoth = [&](int step) {
            for (std::size_t i = 0; i < a.size(); ++i) {
                if (i == 3 && step < 2) { // no gradient for the first steps
                    a[i].mutable_grad() = torch::Tensor();
                    b[i].mutable_grad() = torch::Tensor();
                    continue;
                }
                auto g = torch::randn(shapes[i]) * static_cast<double>(i + 1);
                a[i].mutable_grad() = g.clone();
                b[i].mutable_grad() = g.clone();
            }
            for (auto* opt : {static_cast<torch::optim::Optimizer*>(&fusedOpt), static_cast<torch::optim::Optimizer*>(&refOpt)})
                for (auto& group : opt->param_groups())
                    group.options().set_lr(3e-3 / (1 + step));
            fusedOpt.step();
            refOpt.step();
        };
        for (int step = 0; step < 5; ++step)
            stepBoth(step);
        for (std::size_t i = 0; i < a.size(); ++i) {
            const double d = relDiff(a[i].detach(), b[i].detach());
            QVERIFY2(d < 1e-5, qPrintable(QStringLiteral("tensor %1: %2").arg(i).arg(d)));
            QVERIFY2(!a[i].detach().equal(torch::zeros(shapes[i])), "moved");
        }
        // Saved by the fused one, loaded into LibTorch's (and back): the same
        // moments, and the next steps agree still.
        torch::serialize::OutputArchive out;
        fusedOpt.save(out);
        std::ostringstream bytes;
        out.save_to(bytes);
        std::vector<torch::Tensor> c;
        for (const auto& t : a)
            c.push_back(t.detach().clone().requires_grad_(true));
        torch::optim::AdamW loaded(groups(c), torch::optim::AdamWOptions(3e-3));
        torch::serialize::InputArchive in;
        std::istringstream read(bytes.str());
        in.load_from(read);
        loaded.load(in);
        for (std::size_t i = 0; i < a.size(); ++i)
            c[i].mutable_grad() = torch::ones(shapes[i]);
        for (std::size_t i = 0; i < a.size(); ++i)
            a[i].mutable_grad() = torch::ones(shapes[i]);
        for (auto* opt : {static_cast<torch::optim::Optimizer*>(&fusedOpt), static_cast<torch::optim::Optimizer*>(&loaded)})
            for (auto& group : opt->param_groups())
                group.options().set_lr(1e-3); // as the trainer sets it every step
        fusedOpt.step();
        loaded.step();
        for (std::size_t i = 0; i < a.size(); ++i) {
            const double d = relDiff(a[i].detach(), c[i].detach());
            QVERIFY2(d < 1e-5, qPrintable(QStringLiteral("tensor %1 after loading: %2").arg(i).arg(d)));
        }
    }
};

QTEST_APPLESS_MAIN(TestKernels)
#include "test_kernels.moc"
