// SPDX-License-Identifier: GPL-3.0-or-later
// Knowledge distillation (methods.md B6): the soft term by hand, alpha = 0
// as ordinary training, the teacher left alone, refusals.
#include "catalog/catalog.h"
#include "core/errors.h"
#include "core/files.h"
#include "data/corpus_import.h"
#include "eval/lm_eval.h"
#include "jobs/checkpoint_store.h"
#include "models/language_model.h"
#include "services/run_service.h"
#include "settings/settings.h"
#include "store/corpus_store.h"
#include "train/checkpoint.h"
#include "train/distill.h"
#include "train/trainer.h"
#include "trainer_fixture.h"

#include <QTemporaryDir>
#include <QtTest>

#include <torch/torch.h>

#include <cmath>
#include <fstream>
#include <vector>

using namespace wb;
using wb::test::nanoConfig;
namespace fs = std::filesystem;

namespace {

std::vector<double> series(Catalog& c, std::int64_t run, const std::string& name)
{
    std::vector<double> out;
    for (const auto& m : c.metrics(run, name))
        out.push_back(m.value);
    return out;
}

} // namespace

class TestDistill : public QObject {
    Q_OBJECT
    QTemporaryDir m_tmp;
    fs::path m_catalog;
    std::int64_t m_teacher = 0;

private slots:
    void initTestCase()
    {
        m_catalog = wb::test::catalogWithSmall(fs::path(m_tmp.path().toStdString()) / "catalog.sqlite");
        const auto t = wb::test::trainToEnd(m_catalog, nanoConfig(40, 3));
        QCOMPARE(t.status, RunStatus::Finished);
        m_teacher = t.run;
    }

    // T^2 KL(p_T || q_T), summed over the vocabulary and averaged over the
    // rows, against the formula written out (methods.md B6).
    void softTermByHand()
    {
        const std::vector<std::vector<double>> s{{1, 2, 3}, {0, 0.5, -1}}, t{{3, 2, 1}, {1, 0, -1}};
        for (const double T : {1.0, 2.0, 4.0}) {
            double byHand = 0;
            for (std::size_t r = 0; r < s.size(); ++r) {
                double zs = 0, zt = 0;
                for (std::size_t v = 0; v < 3; ++v) {
                    zs += std::exp(s[r][v] / T);
                    zt += std::exp(t[r][v] / T);
                }
                for (std::size_t v = 0; v < 3; ++v) {
                    const double p = std::exp(t[r][v] / T) / zt, q = std::exp(s[r][v] / T) / zs;
                    byHand += p * std::log(p / q);
                }
            }
            byHand = T * T * byHand / 2.0; // batch mean over 2 rows, T^2
            auto st = torch::tensor({1.0, 2.0, 3.0, 0.0, 0.5, -1.0}).view({2, 3});
            auto tt = torch::tensor({3.0, 2.0, 1.0, 1.0, 0.0, -1.0}).view({2, 3});
            const double got = softTargetLoss(st, tt, T).item<double>();
            QVERIFY2(std::abs(got - byHand) < 1e-6, qPrintable(QStringLiteral("T %1: %2 vs %3").arg(T).arg(got).arg(byHand)));
        }
        // L = alpha soft + (1 - alpha) hard.
        QCOMPARE(distillationLoss(torch::tensor(2.0), torch::tensor(4.0), 0.25).item<double>(), 3.5);
        // Agreement: the argmax agrees in one row of two; KL at T = 1.
        const auto a = agreement(torch::tensor({1.0, 2.0, 3.0, 0.0, 0.5, -1.0}).view({2, 3}),
                                 torch::tensor({0.0, 1.0, 5.0, 1.0, 0.0, -1.0}).view({2, 3}));
        QCOMPARE(a.top1, 0.5);
        QVERIFY(a.kl > 0);
        // The student's gradient only: the teacher's logits get none.
        auto sg = torch::tensor({1.0, 2.0, 3.0}).view({1, 3}).requires_grad_(true);
        auto tg = torch::tensor({3.0, 2.0, 1.0}).view({1, 3}).requires_grad_(true);
        softTargetLoss(sg, tg, 2.0).backward();
        QVERIFY(sg.grad().defined() && sg.grad().abs().sum().item<double>() > 0);
        QVERIFY(!tg.grad().defined());
    }

    // The cached top-k soft term: with k = V it is the soft term on live
    // logits; with fewer it renormalises over the k cached ones. A run with
    // the cache trains against it and removes it when finished.
    void topkCacheMatchesLiveLogitsWhenKIsV()
    {
        torch::manual_seed(3);
        auto s = torch::randn({7, 11}), t = torch::randn({7, 11}) * 2;
        for (const double T : {1.0, 2.0}) {
            auto [values, ids] = t.topk(11, -1);
            auto lse = torch::logsumexp(t / T, -1);
            const double live = softTargetLoss(s, t, T).item<double>();
            const double cached = softTargetLossTopK(s, ids, values, lse, T).item<double>();
            QVERIFY2(std::abs(live - cached) < 1e-5 * std::max(1.0, live), qPrintable(QStringLiteral("%1 vs %2").arg(live).arg(cached)));
            // k = 1: the teacher's argmax and "any other token", two outcomes, by hand.
            auto [v1, i1] = t.topk(1, -1);
            const double one = softTargetLossTopK(s, i1, v1, lse, T).item<double>();
            double byHand = 0;
            auto pt = torch::softmax(t / T, -1), qs = torch::softmax(s / T, -1);
            for (std::int64_t r = 0; r < 7; ++r) {
                const auto i = i1[r][0].item<std::int64_t>();
                const double p = pt[r][i].item<double>(), q = qs[r][i].item<double>();
                byHand += p * std::log(p / q) + (1 - p) * std::log((1 - p) / (1 - q));
            }
            byHand = T * T * byHand / 7;
            QVERIFY2(std::abs(one - byHand) < 1e-4, qPrintable(QStringLiteral("%1 vs %2").arg(one).arg(byHand)));
        }
        Catalog catalog(m_catalog);
        DistillRequest req;
        req.teacher = m_teacher;
        req.student = "cbow-tiny";
        req.corpus = "small";
        req.values = {{"kd_topk_cache", "8"}, {"steps", "12"}, {"threads", "1"}, {"sample_tokens", "0"}, {"context", "32"}};
        const RunConfig cfg = distillConfig(catalog, req);
        QCOMPARE(cfg.train.kdTopkCache, std::int64_t(8));
        const auto r = wb::test::trainToEnd(m_catalog, cfg);
        QCOMPARE(r.status, RunStatus::Finished);
        QCOMPARE(series(catalog, r.run, "loss_soft").size(), std::size_t(12));
        const auto dir = catalog.artifactDir() / "runs" / std::to_string(r.run);
        QVERIFY(fs::exists(dir)); // the run's folder, without the cache: removed with the run finished
        for (const auto& e : fs::directory_iterator(dir))
            QVERIFY2(e.path().filename().string().rfind("teacher-top", 0) != 0, e.path().c_str());
        req.values = {{"kd_topk_cache", "100000"}};
        QVERIFY_THROWS_EXCEPTION(InputError, distillConfig(catalog, req));
    }

    // Task distillation: a fine-tuned classifier teaches a student
    // classifier on the same labels, soft targets beside the labels; the
    // two-stage route starts the student from a student distilled as a
    // language model (its weights, the head new). A language-model teacher
    // cannot teach a classifier.
    void taskDistillationAndTheTwoStageRoute()
    {
        Catalog catalog(m_catalog);
        wb::test::importTopicsCorpus(catalog, fs::path(m_tmp.path().toStdString()), "topics", 120, 3);
        FinetuneRequest ft;
        ft.parent = m_teacher;
        ft.corpus = "topics";
        ft.values = {{"task", "classify"}, {"steps", "30"}, {"threads", "1"}, {"lr", "0.003"}};
        const auto classifier = wb::test::trainToEnd(m_catalog, finetuneConfig(catalog, ft));
        QCOMPARE(classifier.status, RunStatus::Finished);

        // Stage 1: general distillation into a CBOW student; stage 2: task
        // distillation from the classifier, starting from that student.
        DistillRequest lm;
        lm.teacher = m_teacher;
        lm.student = "cbow-tiny";
        lm.corpus = "small";
        lm.values = {{"steps", "10"}, {"threads", "1"}, {"sample_tokens", "0"}};
        const auto stage1 = wb::test::trainToEnd(m_catalog, distillConfig(catalog, lm));
        QCOMPARE(stage1.status, RunStatus::Finished);
        DistillRequest task;
        task.teacher = classifier.run;
        task.kind = Task::Classify;
        task.studentRun = stage1.run;
        task.corpus = "topics";
        task.values = {{"steps", "20"}, {"threads", "1"}};
        const RunConfig cfg = distillConfig(catalog, task);
        QCOMPARE(cfg.train.task, Task::Classify);
        QCOMPARE(cfg.parentRun.value_or(0), stage1.run);
        QCOMPARE(cfg.spec.family, std::string("cbow"));
        const auto stage2 = wb::test::trainToEnd(m_catalog, cfg);
        QVERIFY2(stage2.status == RunStatus::Finished, stage2.error.c_str());
        QVERIFY(stage2.accuracy && stage2.agreement && stage2.teacherAccuracy);
        QCOMPARE(series(catalog, stage2.run, "loss_soft").size(), std::size_t(20));
        QCOMPARE(catalog.run(stage2.run)->teacherRun.value_or(0), classifier.run);
        QCOMPARE(catalog.run(stage2.run)->parentRun.value_or(0), stage1.run);

        // A language model cannot teach a classifier, nor a classifier a
        // language model.
        task.teacher = m_teacher;
        try {
            wb::test::trainToEnd(m_catalog, distillConfig(catalog, task));
            QFAIL("an lm teacher for a classifier must be refused");
        } catch (const InputError& e) {
            QVERIFY2(std::string(e.what()).find("--task classify") != std::string::npos, e.what());
        }
    }

    // DistilBERT's initialisation: a Transformer student with half the
    // teacher's blocks starts from blocks 0, 2, ... and the embeddings;
    // other shapes are refused by key.
    void studentStartsFromEveryKthTeacherBlock()
    {
        ModelSpec t = ModelSpec::defaults("transformer"), s = ModelSpec::defaults("transformer");
        for (auto* spec : {&t, &s}) {
            spec->set("width", 16);
            spec->set("heads", 2);
        }
        t.set("layers", 4);
        t.set("context", 24);
        s.set("layers", 2);
        s.set("context", 16);
        torch::manual_seed(1);
        auto teacher = buildModel(t, 13), student = buildModel(s, 13);
        initFromTeacherLayers(*student, *teacher);
        const auto tp = teacher->named_parameters(), sp = student->named_parameters();
        QVERIFY(sp["blocks.0.attn.qkv.weight"].equal(tp["blocks.0.attn.qkv.weight"]));
        QVERIFY(sp["blocks.1.attn.qkv.weight"].equal(tp["blocks.2.attn.qkv.weight"]));
        QVERIFY(sp["blocks.1.fc_proj.bias"].equal(tp["blocks.2.fc_proj.bias"]));
        QVERIFY(sp["wte.weight"].equal(tp["wte.weight"]));
        QVERIFY(sp["wpe.weight"].equal(tp["wpe.weight"].slice(0, 0, 16)));
        QVERIFY(sp["ln_f.weight"].equal(tp["ln_f.weight"]));
        s.set("layers", 3); // 3 does not divide 4
        auto odd = buildModel(s, 13);
        try {
            initFromTeacherLayers(*odd, *teacher);
            QFAIL("3 of 4 blocks must be refused");
        } catch (const SettingError& e) {
            QCOMPARE(e.key(), std::string("kd_layer_init"));
        }
        QVERIFY_THROWS_EXCEPTION(SettingError, initFromTeacherLayers(*buildModel(ModelSpec::defaults("cbow"), 13), *teacher));
    }

    // The hidden-state term: a student of another width learns, through a
    // projection, to point its states where the teacher's point; every
    // family keeps the states its output layer reads. It cannot go with the
    // top-k cache (no teacher states then).
    void hiddenStateTermThroughAProjection()
    {
        for (const auto& family : std::vector<std::string>{"transformer", "fnn", "cbow", "cmow", "cmow-cbow", "cnn-bilstm", "lstm"}) {
            auto model = buildModel(ModelSpec::defaults(family), 17);
            model->eval();
            model->keepHidden(true);
            torch::NoGradGuard noGrad;
            model->forward(torch::randint(0, 17, {2, 9}, torch::kLong));
            QVERIFY2(model->lastHidden().defined(), family.c_str());
            QCOMPARE(model->lastHidden().sizes().vec(), (std::vector<std::int64_t>{2, 9, model->hiddenWidth()}));
        }
        Catalog catalog(m_catalog);
        DistillRequest req;
        req.teacher = m_teacher;
        req.student = "cbow-tiny";
        req.corpus = "small";
        req.values = {{"kd_hidden_weight", "1"}, {"steps", "30"}, {"threads", "1"}, {"sample_tokens", "0"}, {"log_every", "10"}};
        const auto r = wb::test::trainToEnd(m_catalog, distillConfig(catalog, req));
        QVERIFY2(r.status == RunStatus::Finished, r.error.c_str());
        const auto hidden = series(catalog, r.run, "loss_hidden");
        QCOMPARE(hidden.size(), std::size_t(3));
        QVERIFY(hidden.front() > 0 && hidden.front() <= 2);
        QVERIFY2(hidden.back() < hidden.front(), qPrintable(QStringLiteral("%1 -> %2").arg(hidden.front()).arg(hidden.back())));
        // Stopped and resumed, it goes on exactly: the projection is in the
        // checkpoint.
        req.values = {{"kd_hidden_weight", "1"}, {"steps", "30"}, {"threads", "1"}, {"sample_tokens", "0"}, {"eval_every", "15"}};
        const RunConfig cfg = distillConfig(catalog, req);
        std::int64_t stopped = 0;
        {
            std::atomic<bool>* flag = nullptr;
            TrainingJob job(m_catalog, cfg, [&](const EventBatch& b) {
                for (const auto& ev : b.events)
                    if (const auto* s = std::get_if<StepEvent>(&ev); s && s->step >= 12 && flag)
                        flag->store(true);
            });
            flag = &job.stopFlag();
            job.start();
            job.wait();
            QCOMPARE(job.summary().status, RunStatus::Stopped);
            stopped = job.runId();
        }
        TrainingJob resumed(m_catalog, stopped, 0);
        resumed.start();
        resumed.wait();
        QCOMPARE(resumed.summary().status, RunStatus::Finished);
        const auto whole = wb::test::trainToEnd(m_catalog, cfg);
        const auto a = series(catalog, whole.run, "train_loss"), b = series(catalog, stopped, "train_loss");
        QCOMPARE(b.size(), a.size());
        for (std::size_t i = 0; i < a.size(); ++i)
            QVERIFY2(a[i] == b[i], qPrintable(QStringLiteral("step %1: %2 vs %3").arg(i + 1).arg(a[i], 0, 'g', 17).arg(b[i], 0, 'g', 17)));

        req.values = {{"kd_hidden_weight", "1"}, {"kd_topk_cache", "4"}, {"steps", "3"}};
        const auto runs = catalog.runs().size();
        try {
            wb::test::trainToEnd(m_catalog, distillConfig(catalog, req));
            QFAIL("the hidden term with the top-k cache must be refused");
        } catch (const SettingError& e) {
            QCOMPARE(e.key(), std::string("kd_hidden_weight"));
        }
        QCOMPARE(catalog.runs().size(), runs); // before a run row exists
    }

    // Top-k sampling draws from the k most likely tokens: k = 1 is greedy.
    void topKOneIsGreedy()
    {
        Catalog catalog(m_catalog);
        const RunConfig tc = RunConfig::fromJson(catalog.run(m_teacher)->config);
        auto model = buildRunModel(tc, catalog.tokenizerById(*catalog.run(m_teacher)->tokenizerId)->vocabSize);
        for (const auto& f : checkpointChain(catalog, m_teacher))
            loadModelWeights(f, *model);
        const std::vector<std::int32_t> prompt{1, 2, 3};
        const auto greedy = sampleLm(*model, prompt, 12, 0.0, 1);
        QCOMPARE(sampleLm(*model, prompt, 12, 1.5, 7, nullptr, 1), greedy);
        QCOMPARE(sampleLm(*model, prompt, 12, 1.5, 8, nullptr, 1), greedy);
        QVERIFY(sampleLm(*model, prompt, 40, 1.5, 7) != sampleLm(*model, prompt, 40, 1.5, 8)); // the seed matters without k
    }

    // With alpha = 0 the teacher's term weighs nothing: the run is the
    // ordinary one, bit for bit. With alpha = 0.5 it learns from both terms,
    // logged apart, and reports agreement and KL; the teacher is untouched.
    void alphaZeroIsOrdinaryTraining()
    {
        Catalog catalog(m_catalog);
        const auto teacherBefore = catalog.runArtifacts(m_teacher, "checkpoint");
        const std::string teacherBytes = readFile(catalog.artifactPath(teacherBefore.back().path));
        auto plain = nanoConfig(25, 9);
        plain.train.evalEvery = 25;
        const auto a = wb::test::trainToEnd(m_catalog, plain);
        DistillRequest req;
        req.teacher = m_teacher;
        req.student = "nano-gpt";
        req.corpus = "small";
        RunConfig kd = distillConfig(catalog, req);
        QCOMPARE(kd.teacherRun.value_or(0), m_teacher);
        QCOMPARE(kd.teacherStep, std::int64_t(40));
        QCOMPARE(kd.train.kdAlpha, 0.5);
        QCOMPARE(kd.train.kdTemperature, 2.0);
        kd.spec = plain.spec;
        kd.arch = plain.arch;
        kd.train = plain.train;
        kd.train.kdAlpha = 0;
        const auto b = wb::test::trainToEnd(m_catalog, kd);
        QCOMPARE(b.status, RunStatus::Finished);
        const auto la = series(catalog, a.run, "train_loss"), lb = series(catalog, b.run, "train_loss");
        QCOMPARE(la.size(), std::size_t(25));
        QCOMPARE(lb.size(), la.size());
        for (std::size_t i = 0; i < la.size(); ++i)
            QVERIFY2(la[i] == lb[i], qPrintable(QStringLiteral("step %1: %2 vs %3").arg(i + 1).arg(la[i], 0, 'g', 17).arg(lb[i], 0, 'g', 17)));
        QCOMPARE(b.valLoss, a.valLoss);
        QVERIFY(b.agreement && *b.agreement >= 0 && *b.agreement <= 1);
        QCOMPARE(catalog.run(b.run)->teacherRun.value_or(0), m_teacher);
        QVERIFY(!catalog.run(a.run)->teacherRun);

        // alpha 0.5: both terms logged; the loss is their mix.
        kd.train.kdAlpha = 0.5;
        const auto c = wb::test::trainToEnd(m_catalog, kd);
        QCOMPARE(c.status, RunStatus::Finished);
        const auto soft = series(catalog, c.run, "loss_soft"), hard = series(catalog, c.run, "loss_hard");
        const auto total = series(catalog, c.run, "train_loss");
        QCOMPARE(soft.size(), std::size_t(25));
        QCOMPARE(hard.size(), std::size_t(25));
        for (std::size_t i = 0; i < soft.size(); ++i)
            QVERIFY(std::abs(total[i] - (0.5 * soft[i] + 0.5 * hard[i])) < 1e-4 * std::max(1.0, total[i]));
        QVERIFY(!series(catalog, c.run, "val_agreement").empty());
        QVERIFY(!series(catalog, c.run, "val_kl").empty());
        QVERIFY(c.teacherPpl && *c.teacherPpl > 1);
        // The teacher's checkpoints are as they were.
        const auto teacherAfter = catalog.runArtifacts(m_teacher, "checkpoint");
        QCOMPARE(teacherAfter.size(), teacherBefore.size());
        QVERIFY(readFile(catalog.artifactPath(teacherAfter.back().path)) == teacherBytes);
    }

    // The teacher in the trainer: frozen, in evaluation mode, and the same
    // values after training a student against it.
    void teacherWeightsStayUnchanged()
    {
        Catalog catalog(m_catalog);
        RunConfig cfg = nanoConfig(15, 4);
        resolveDefaults(cfg.train);
        const auto corpus = *catalog.corpusByName("small");
        const std::atomic<bool> stop{false};
        TrainerHooks hooks;
        hooks.onEvent = [](Event) {};
        Trainer trainer(cfg, loadTrainingData(catalog, corpus, corpusTokenizer(catalog, corpus), stop), hooks);
        const RunConfig tc = RunConfig::fromJson(catalog.run(m_teacher)->config);
        auto teacher = buildRunModel(tc, catalog.tokenizerById(*catalog.run(m_teacher)->tokenizerId)->vocabSize);
        for (const auto& f : checkpointChain(catalog, m_teacher))
            loadModelWeights(f, *teacher);
        std::vector<torch::Tensor> before;
        for (const auto& p : teacher->parameters())
            before.push_back(p.detach().clone());
        trainer.setTeacher(teacher);
        const auto s = trainer.run(stop);
        QCOMPARE(s.status, RunStatus::Finished);
        QVERIFY(!teacher->is_training());
        const auto after = teacher->parameters();
        QCOMPARE(after.size(), before.size());
        for (std::size_t i = 0; i < after.size(); ++i) {
            QVERIFY(!after[i].requires_grad());
            QVERIFY(after[i].equal(before[i]));
        }
    }

    // A teacher and student that read text differently are refused before
    // a run row exists, naming both tokenizers.
    void tokenizerMismatchIsRefused()
    {
        Catalog catalog(m_catalog);
        const auto runsBefore = catalog.runs().size();
        DistillRequest req;
        req.teacher = m_teacher;
        req.student = "nano-gpt";
        req.corpus = "small";
        TokenizerTrainOptions bytes;
        bytes.kind = "byte";
        trainCorpusTokenizer(catalog, "bytes", "small", bytes);
        req.tokenizer = "bytes";
        try {
            const RunConfig cfg = distillConfig(catalog, req);
            TrainingJob job(m_catalog, cfg);
            QFAIL("a tokenizer mismatch must be refused");
        } catch (const InputError& e) {
            const std::string m = e.what();
            QVERIFY2(m.find("'small:char'") != std::string::npos && m.find("'bytes'") != std::string::npos, e.what());
        }
        QCOMPARE(catalog.runs().size(), runsBefore);
        req.tokenizer.clear();
        req.teacher = 9999;
        QVERIFY_THROWS_EXCEPTION(InputError, distillConfig(catalog, req));
    }
};

QTEST_GUILESS_MAIN(TestDistill)
#include "test_distill.moc"
