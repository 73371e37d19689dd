// SPDX-License-Identifier: GPL-3.0-or-later
// Fine-tuning: a child run starts from its parent's checkpoint; l-eo and
// l-ldb freeze the rest and store deltas; ULMFiT unfreezes gradually with
// discriminative rates.
#include "catalog/catalog.h"
#include "core/errors.h"
#include "eval/task_eval.h"
#include "models/language_model.h"
#include "services/evaluate.h"
#include "store/task_data.h"
#include "jobs/checkpoint_store.h"
#include "models/finetune_layers.h"
#include "services/run_service.h"
#include "settings/settings.h"
#include "store/corpus_store.h"
#include "train/smart.h"
#include "train/trainer.h"
#include "trainer_fixture.h"

#include <QTemporaryDir>
#include <QtTest>

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <random>

using namespace wb;
using wb::test::nanoConfig;
namespace fs = std::filesystem;

class TestFinetune : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_tmp;
    fs::path m_catalog;

    RunSummary train(const RunConfig& cfg) { return wb::test::trainToEnd(m_catalog, cfg); }

private slots:
    void initTestCase()
    {
        m_catalog = wb::test::catalogWithSmall(fs::path(m_tmp.path().toStdString()) / "catalog.sqlite");
    }

    // Fine-tuning: a child starts from its parent's checkpoint; l-eo and
    // l-ldb train only their share (the rest bitwise unchanged) and store it
    // as a delta that loads on top of the parent's weights.
    void finetuneMethodsFreezeAndStoreDeltas()
    {
        Catalog catalog(m_catalog);
        const auto parent = train(nanoConfig(40, 31));
        QCOMPARE(parent.status, RunStatus::Finished);
        const auto parentWeights = [&] {
            RunConfig cfg = nanoConfig(1, 31);
            resolveDefaults(cfg.train);
            const auto corpus = *catalog.corpusByName("small");
            const std::atomic<bool> stop{false};
            Trainer t(cfg, loadTrainingData(catalog, corpus, corpusTokenizer(catalog, corpus), stop), {});
            for (const auto& f : checkpointChain(catalog, parent.run))
                t.loadWeights(f);
            return t.parameterValues();
        }();
        std::map<FinetuneMethod, std::int64_t> stored, trainable;
        for (const auto method : {FinetuneMethod::Full, FinetuneMethod::LEo, FinetuneMethod::LLdb}) {
            FinetuneRequest req;
            req.parent = parent.run;
            req.corpus = "small";
            req.values = {{"method", enumName(method)}, {"steps", "20"}, {"threads", "1"}, {"sample_tokens", "0"}, {"lr", "0.003"}};
            const RunConfig cfg = finetuneConfig(catalog, req);
            QCOMPARE(cfg.parentRun.value_or(0), parent.run);
            QCOMPARE(cfg.parentStep, std::int64_t(40));
            TrainingJob job(m_catalog, cfg);
            job.start();
            job.wait();
            const auto child = job.summary();
            QVERIFY2(child.status == RunStatus::Finished, child.error.c_str());
            const auto row = *catalog.run(child.run);
            QCOMPARE(row.parentRun.value_or(0), parent.run);
            trainable[method] = row.trainableParams.value_or(0);
            stored[method] = row.storedBytes.value_or(0);
            // The child's weights, composed from the parent's and its own checkpoint.
            RunConfig one = cfg;
            const auto corpus = *catalog.corpusByName("small");
            const std::atomic<bool> stop{false};
            Trainer t(one, loadTrainingData(catalog, corpus, corpusTokenizer(catalog, corpus), stop), {});
            const auto chain = checkpointChain(catalog, child.run);
            QCOMPARE(chain.size(), std::size_t(2)); // the parent's, then the child's
            for (const auto& f : chain)
                t.loadWeights(f);
            const auto w = t.parameterValues();
            QCOMPARE(w.size(), parentWeights.size());
            // Which values changed: all trainable ones may, the frozen ones must not.
            std::size_t changed = 0, frozenChanged = 0;
            const auto prefixes = trainedPrefixes(cfg.spec, method);
            std::size_t i = 0;
            const auto names = t.parameterNames();
            const auto sizes = t.parameterSizes();
            for (std::size_t k = 0; k < names.size(); ++k) {
                const bool trains = prefixes.empty() || std::any_of(prefixes.begin(), prefixes.end(), [&](const std::string& p) {
                                        return names[k].rfind(p, 0) == 0;
                                    });
                for (std::int64_t e = 0; e < sizes[k]; ++e, ++i) {
                    const bool differs = std::memcmp(&w[i], &parentWeights[i], sizeof(float)) != 0;
                    changed += differs;
                    frozenChanged += differs && !trains;
                }
            }
            QVERIFY2(changed > 0, enumName(method).c_str());
            QCOMPARE(frozenChanged, std::size_t(0)); // frozen means bitwise unchanged
            QCOMPARE(trainable[method], t.trainableParameterCount());
        }
        QCOMPARE(trainable[FinetuneMethod::Full], parent.params);
        QVERIFY(trainable[FinetuneMethod::LEo] < trainable[FinetuneMethod::Full]);
        QVERIFY(trainable[FinetuneMethod::LLdb] < trainable[FinetuneMethod::Full]);
        // Lightweight methods store only what they train.
        QVERIFY2(stored[FinetuneMethod::LEo] < stored[FinetuneMethod::Full] / 4, qPrintable(QString::number(stored[FinetuneMethod::LEo])));
        QVERIFY(stored[FinetuneMethod::LLdb] < stored[FinetuneMethod::Full]);
        // The parent's checkpoint its children start from survives its pruning.
        QCOMPARE(catalog.childRuns(parent.run).size(), std::size_t(3));
        // A method on a run that has no parent is refused by name.
        RunConfig orphan = nanoConfig(5, 1);
        orphan.train.method = FinetuneMethod::LEo;
        try {
            TrainingJob job(m_catalog, orphan);
            QFAIL("a lightweight method without a parent must be refused");
        } catch (const SettingError& e) {
            QCOMPARE(e.key(), std::string("method"));
        }
        // A tokenizer other than the parent's is refused.
        FinetuneRequest wrong;
        wrong.parent = parent.run;
        wrong.corpus = "small";
        wrong.tokenizer = "someone-else";
        QVERIFY_THROWS_EXCEPTION(InputError, finetuneConfig(catalog, wrong));
    }

    // ULMFiT: the top layer group trains first, one more group every
    // unfreeze_every steps, each lower group at the rate above / 2.6 (the
    // optimizer gains groups as layers unfreeze); then a resumed run has the
    // same groups.
    void ulmfitUnfreezesGraduallyWithDiscriminativeRates()
    {
        Catalog catalog(m_catalog);
        const auto corpus = *catalog.corpusByName("small");
        RunConfig cfg = nanoConfig(30, 9); // 2 blocks: groups embeddings, block 0, block 1 + ln_f
        cfg.train.method = FinetuneMethod::Ulmfit;
        cfg.train.schedule = Schedule::Constant;
        cfg.train.warmup = 0;
        cfg.train.unfreezeEvery = 5;
        cfg.train.lr = 0.004;
        QCOMPARE(layerGroups(cfg.spec).size(), std::size_t(3));
        const fs::path file = fs::path(m_tmp.path().toStdString()) / "ulmfit.pt";
        TrainerHooks hooks{[](Event) {}, [&](std::int64_t, const std::function<void(const fs::path&)>& write, bool) { write(file); }};
        const std::atomic<bool> stop{false};
        Trainer t(cfg, loadTrainingData(catalog, corpus, corpusTokenizer(catalog, corpus), stop), hooks);
        const auto all = t.parameterCount();
        auto distinctRates = [&] {
            auto r = t.groupLearningRates();
            std::sort(r.begin(), r.end());
            r.erase(std::unique(r.begin(), r.end(), [](double a, double b) { return std::abs(a - b) < 1e-15; }), r.end());
            return r;
        };
        std::vector<std::int64_t> trainable;
        for (std::int64_t step = 0; step < 12; ++step) {
            QVERIFY(t.trainStep(step, stop).diverged.empty());
            trainable.push_back(t.trainableParameterCount());
            if (step == 7)
                t.checkpoint(8); // after 8 steps: two groups train
            if (step == 0 || step == 5 || step == 11) {
                const auto rates = distinctRates();
                QCOMPARE(rates.size(), step == 0 ? std::size_t(1) : step == 5 ? std::size_t(2) : std::size_t(3));
                QVERIFY(std::abs(rates.back() - 0.004) < 1e-12); // the top group at the scheduled rate
                for (std::size_t k = 1; k < rates.size(); ++k)
                    QVERIFY(std::abs(rates[rates.size() - 1 - k] - 0.004 / std::pow(2.6, static_cast<double>(k))) < 1e-12);
            }
        }
        QVERIFY(trainable[0] < trainable[5] && trainable[5] < trainable[10]);
        QCOMPARE(trainable[4], trainable[0]);
        QCOMPARE(trainable[10], all); // every group trains after 2 x 5 steps
        // The checkpoint after 8 steps (two groups) resumes with the same groups.
        Trainer again(cfg, loadTrainingData(catalog, corpus, corpusTokenizer(catalog, corpus), stop), {});
        QCOMPARE(again.resume(file), std::int64_t(8));
        QCOMPARE(again.trainableParameterCount(), trainable[7]);
        // The stored default: all groups unfrozen by half-way.
        RunConfig stored = cfg;
        stored.train.unfreezeEvery = 0;
        stored.train.steps = 600;
        resolveRunDefaults(stored);
        QCOMPARE(stored.train.unfreezeEvery, std::int64_t(100));
    }

    // Task classify: a labeled corpus whose classes use different words (in
    // the characters of small.txt, the parent's tokenizer); full fine-tuning
    // beats always answering the majority class by far, l-ldb keeps the
    // frozen layers and stores the head with its delta, and `evaluateRun`
    // recomputes the stored report. An unlabeled corpus is refused before
    // a run row exists.
    void classifyBeatsTheMajorityClass()
    {
        const fs::path file = fs::path(m_tmp.path().toStdString()) / "topics.jsonl";
        {
            const std::vector<std::vector<std::string>> words{{"men", "created", "equal", "rights", "liberty", "life"},
                                                              {"king", "tyranny", "laws", "assent", "refused", "governors"},
                                                              {"people", "powers", "earth", "nature", "station", "causes"}};
            std::mt19937 rng(5);
            std::ofstream out(file);
            for (int d = 0; d < 240; ++d) {
                const int c = d % 4 == 3 ? 2 : d % 4 == 2 ? 1 : 0; // half of the documents in class 0
                std::string text;
                for (int w = 0; w < 6 + static_cast<int>(rng() % 5); ++w)
                    text += (text.empty() ? "" : " ") + words[static_cast<std::size_t>(c)][rng() % 6];
                out << nlohmann::json{{"text", text}, {"topic", "t" + std::to_string(c)}}.dump() << "\n";
            }
        }
        Catalog catalog(m_catalog);
        CorpusImportOptions opt;
        opt.name = "topics";
        opt.paths = {file};
        opt.labelField = "topic";
        opt.split = {0.7, 0.15, 0.15};
        importCorpus(catalog, opt);
        const auto parent = train(nanoConfig(30, 8));
        QCOMPARE(parent.status, RunStatus::Finished);
        // Fewer labeled examples: the first N of each class in the training split.
        {
            const auto topics = *catalog.corpusByName("topics");
            const auto tok = openTokenizer(catalog, corpusTokenizer(catalog, *catalog.corpusByName("small")));
            const auto few = loadTaskData(catalog, topics, *tok, Task::Classify, 64, 5);
            std::map<int, int> perClass;
            for (const auto& ex : few.train.examples)
                ++perClass[ex.label];
            QCOMPARE(perClass, (std::map<int, int>{{0, 5}, {1, 5}, {2, 5}}));
            QCOMPARE(few.validation.examples.size(), loadTaskData(catalog, topics, *tok, Task::Classify, 64).validation.examples.size());
            TrainSettings lm;
            lm.examplesPerClass = 5;
            QVERIFY_THROWS_EXCEPTION(SettingError, validateSettings(lm));
        }

        FinetuneRequest req;
        req.parent = parent.run;
        req.corpus = "topics";
        req.values = {{"task", "classify"}, {"steps", "60"}, {"threads", "1"}, {"lr", "0.003"}, {"eval_every", "30"}};
        const auto full = train(finetuneConfig(catalog, req));
        QVERIFY2(full.status == RunStatus::Finished, full.error.c_str());
        QVERIFY(full.accuracy && full.macroF1);
        const auto report = nlohmann::json::parse(catalog.run(full.run)->taskReport.value_or("{}"));
        const double majority = report.value("majority_accuracy", 1.0);
        QVERIFY2(majority > 0.4 && majority < 0.6, qPrintable(QString::number(majority)));
        QVERIFY2(*full.accuracy > majority + 0.3, qPrintable(QString::number(*full.accuracy)));
        QCOMPARE(report["confusion"].size(), std::size_t(3));
        QVERIFY(!full.valBpc); // no bits per character for a classifier
        // The same figures from the stored run, recomputed.
        const auto again = nlohmann::json::parse(evaluateRun(catalog, full.run, {}));
        QCOMPARE(again["accuracy"].get<double>(), *full.accuracy);
        QCOMPARE(again["confusion"], report["confusion"]);
        QVERIFY(again["bleu"].is_null());

        // l-ldb: a delta with the head (and its batch-norm statistics) that
        // evaluates to the same figures once composed with the parent's weights.
        req.values.push_back({"method", "l-ldb"});
        const auto light = train(finetuneConfig(catalog, req));
        QVERIFY2(light.status == RunStatus::Finished, light.error.c_str());
        QVERIFY(*catalog.run(light.run)->storedBytes < *catalog.run(full.run)->storedBytes);
        const auto lightEval = nlohmann::json::parse(evaluateRun(catalog, light.run, {}));
        QCOMPARE(lightEval["accuracy"].get<double>(), *light.accuracy);
        QVERIFY2(*light.accuracy > majority, qPrintable(QString::number(*light.accuracy)));

        // mtl (SiATL): both loss terms are logged apart, and gamma halves
        // every aux_lm_half_life steps.
        QCOMPARE(auxLmWeight(0.2, 25, 0), 0.2);
        QCOMPARE(auxLmWeight(0.2, 25, 25), 0.1);
        QCOMPARE(auxLmWeight(0.2, 25, 75), 0.025);
        FinetuneRequest mtl = req;
        mtl.values = {{"task", "classify"}, {"method", "mtl"}, {"steps", "20"}, {"threads", "1"}, {"log_every", "10"},
                      {"aux_lm_weight", "0.4"}, {"aux_lm_half_life", "10"}};
        const auto multi = train(finetuneConfig(catalog, mtl));
        QVERIFY2(multi.status == RunStatus::Finished, multi.error.c_str());
        const auto task = catalog.metrics(multi.run, "loss_task");
        const auto aux = catalog.metrics(multi.run, "loss_aux_lm");
        const auto gamma = catalog.metrics(multi.run, "loss_aux_lm_weight");
        QCOMPARE(task.size(), std::size_t(2));
        QCOMPARE(aux.size(), std::size_t(2));
        QVERIFY(aux[0].value > 0 && task[0].value > 0 && aux[0].value != task[0].value);
        QCOMPARE(gamma.size(), std::size_t(2));
        QVERIFY(std::abs(gamma[0].value - 0.4 * std::pow(0.5, 9.0 / 10)) < 1e-6); // at step 10 (the 0-based step 9)
        QVERIFY(std::abs(gamma[1].value - 0.4 * std::pow(0.5, 19.0 / 10)) < 1e-6);
        // With task lm it has nothing to add to: refused by key.
        FinetuneRequest lmMtl = req;
        lmMtl.corpus = "small";
        lmMtl.values = {{"method", "mtl"}};
        try {
            finetuneConfig(catalog, lmMtl);
            QFAIL("mtl with task lm must be refused");
        } catch (const SettingError& e) {
            QCOMPARE(e.key(), std::string("method"));
        }

        // An unlabeled corpus cannot serve classify: refused by key, no row.
        const auto runsBefore = catalog.runs().size();
        FinetuneRequest bad = req;
        bad.corpus = "small";
        try {
            TrainingJob job(m_catalog, finetuneConfig(catalog, bad));
            QFAIL("classify on an unlabeled corpus must be refused");
        } catch (const SettingError& e) {
            QCOMPARE(e.key(), std::string("task"));
            QVERIFY2(std::string(e.what()).find("'small' has no labels") != std::string::npos, e.what());
        }
        QCOMPARE(catalog.runs().size(), runsBefore);
    }
    // Task pairs: the loss counts target tokens only (the batch's targets are
    // ignored on the prompt and the padding, and the prompt's logits get no
    // gradient); a fine-tune on a copy task reports target perplexity, exact
    // match and BLEU of greedy answers, which eval recomputes; a corpus
    // without pairs is refused.
    void pairsTrainOnTheTargetOnly()
    {
        TaskData data;
        data.task = Task::Pairs;
        data.train.examples.push_back({{5, 6, 7, 8, 9}, -1, 3, "p", "t"});
        data.train.examples.push_back({{1, 2, 3}, -1, 1, "p", "t"});
        const TaskBatch b = makeTaskBatch(data, data.train, {0, 1}, torch::Device(torch::kCPU));
        QCOMPARE(b.x.sizes().vec(), std::vector<std::int64_t>({2, 4}));
        const auto y = b.y.contiguous();
        const std::vector<std::int64_t> want{kIgnoreIndex, kIgnoreIndex, 8, 9, 2, 3, kIgnoreIndex, kIgnoreIndex};
        QCOMPARE(std::vector<std::int64_t>(y.data_ptr<std::int64_t>(), y.data_ptr<std::int64_t>() + 8), want);
        {
            torch::manual_seed(1);
            auto model = buildModel(ModelSpec::gpt({1, 2, 16, 8, 0.0}), 12);
            auto logits = model->forward(b.x).detach().requires_grad_(true);
            namespace F = torch::nn::functional;
            F::cross_entropy(logits.reshape({-1, 12}), b.y.reshape({-1}), F::CrossEntropyFuncOptions().ignore_index(kIgnoreIndex))
                .backward();
            QCOMPARE(logits.grad()[0].slice(0, 0, 2).abs().sum().item<double>(), 0.0); // prompt positions
            QVERIFY(logits.grad()[0][2].abs().sum().item<double>() > 0);                // the first target token
        }

        const fs::path file = fs::path(m_tmp.path().toStdString()) / "copy.jsonl";
        {
            const std::vector<std::string> words{"men", "created", "equal", "rights", "liberty", "king", "laws", "people", "powers", "earth"};
            std::ofstream out(file);
            for (std::size_t i = 0; i < words.size(); ++i)
                for (std::size_t j = 0; j < words.size(); ++j)
                    out << nlohmann::json{{"q", words[i] + " " + words[j]}, {"a", words[j]}}.dump() << "\n";
        }
        Catalog catalog(m_catalog);
        CorpusImportOptions opt;
        opt.name = "copy";
        opt.paths = {file};
        opt.promptField = "q";
        opt.targetField = "a";
        opt.split = {0.8, 0.1, 0.1};
        importCorpus(catalog, opt);
        const auto parent = train(nanoConfig(30, 9));
        FinetuneRequest req;
        req.parent = parent.run;
        req.corpus = "copy";
        req.values = {{"task", "pairs"}, {"steps", "80"}, {"threads", "1"}, {"lr", "0.003"}, {"eval_every", "40"}};
        const auto run = train(finetuneConfig(catalog, req));
        QVERIFY2(run.status == RunStatus::Finished, run.error.c_str());
        QVERIFY(run.bleu && run.exactMatch && run.valBpc && !run.accuracy);
        QVERIFY(*run.bleu >= 0 && *run.bleu <= 100 && *run.exactMatch >= 0 && *run.exactMatch <= 1);
        const auto report = nlohmann::json::parse(catalog.run(run.run)->taskReport.value_or("{}"));
        QCOMPARE(report["generations"].size(), std::size_t(10)); // the validation split, all of it
        const auto again = nlohmann::json::parse(evaluateRun(catalog, run.run, {}));
        QCOMPARE(again["bleu"].get<double>(), *run.bleu);
        QCOMPARE(again["exact_match"].get<double>(), *run.exactMatch);
        QVERIFY(again["accuracy"].is_null());

        FinetuneRequest bad = req;
        bad.corpus = "small";
        try {
            TrainingJob job(m_catalog, finetuneConfig(catalog, bad));
            QFAIL("pairs on a corpus without pairs must be refused");
        } catch (const SettingError& e) {
            QCOMPARE(e.key(), std::string("task"));
        }
    }

    // Prefix tuning (methods.md B10): the stored size L_p * L * 2 * d and the
    // training-time size with the MLP (the D2 fixture for GPT-2 small); the
    // model stays bitwise frozen; a finished run keeps only the prefix (no
    // MLP, no optimizer state), which evaluates as the run did; families
    // without attention are refused by key.
    void prefixStoresOnlyThePrefix()
    {
        const auto gpt2 = ModelSpec::gpt({12, 12, 768, 1024, 0.0});
        QCOMPARE(prefixSize(gpt2, 10, 512).stored, std::int64_t(184320));
        QCOMPARE(prefixSize(gpt2, 10, 512).training, std::int64_t(9857024));
        const auto spec = ModelSpec::gpt({2, 2, 64, 64, 0.0});
        {
            auto model = buildModel(spec, 50);
            model->attachPrefix(4, 16);
            std::int64_t n = 0;
            for (const auto& p : model->named_parameters())
                if (p.key().rfind("prefix.", 0) == 0)
                    n += p.value().numel();
            QCOMPARE(n, prefixSize(spec, 4, 16).training);
        }

        Catalog catalog(m_catalog);
        const auto parent = train(nanoConfig(30, 12));
        FinetuneRequest req;
        req.parent = parent.run;
        req.corpus = "small";
        req.values = {{"method", "prefix"}, {"prefix_length", "4"}, {"prefix_hidden", "16"}, {"steps", "20"}, {"threads", "1"},
                      {"lr", "0.01"}};
        const RunConfig cfg = finetuneConfig(catalog, req);
        const auto child = train(cfg);
        QVERIFY2(child.status == RunStatus::Finished, child.error.c_str());
        QVERIFY(*child.valLoss < *parent.valLoss + 0.5);
        const auto chain = checkpointChain(catalog, child.run);
        QCOMPARE(chain.size(), std::size_t(2));
        {
            torch::serialize::InputArchive archive, delta, optimizer;
            archive.load_from(chain.back().string());
            QVERIFY(archive.try_read("delta", delta));
            QVERIFY(!archive.try_read("optimizer", optimizer));
            torch::Tensor values, mlp;
            QVERIFY(delta.try_read("prefix.values", values));
            QCOMPARE(values.numel(), prefixSize(spec, 4, 16).stored); // L_p * L * 2 * d = 1024
            QVERIFY(!delta.try_read("prefix.mlp1.weight", mlp));
            QVERIFY(!delta.try_read("blocks.0.attn.qkv.weight", mlp));
        }
        // The file: the prefix, the random state and the archive's own overhead.
        const auto parentBytes = fs::file_size(chain.front());
        QVERIFY2(static_cast<std::uintmax_t>(*catalog.run(child.run)->storedBytes) < parentBytes / 20,
                 qPrintable(QString::number(*catalog.run(child.run)->storedBytes)));
        // The transformer under the prefix is the parent's, bit for bit.
        const auto corpus = *catalog.corpusByName("small");
        const std::atomic<bool> stop{false};
        Trainer before(nanoConfig(1, 12), loadTrainingData(catalog, corpus, corpusTokenizer(catalog, corpus), stop), {});
        for (const auto& f : checkpointChain(catalog, parent.run))
            before.loadWeights(f);
        Trainer after(cfg, loadTrainingData(catalog, corpus, corpusTokenizer(catalog, corpus), stop), {});
        for (const auto& f : chain)
            after.loadWeights(f);
        const auto a = before.parameterValues(), b = after.parameterValues();
        QVERIFY(b.size() > a.size()); // the prefix's MLP comes after the model's own parameters
        QCOMPARE(std::memcmp(a.data(), b.data(), a.size() * sizeof(float)), 0);
        // The stored prefix scores the validation split as the run did.
        const auto again = nlohmann::json::parse(evaluateRun(catalog, child.run, {}));
        QVERIFY(std::abs(again["loss"].get<double>() - *child.valLoss) < 1e-5);
        // A finished prefix run cannot be resumed nor built on; a family
        // without attention is refused.
        QVERIFY_THROWS_EXCEPTION(InputError, TrainingJob(m_catalog, child.run, 40));
        FinetuneRequest onPrefix = req;
        onPrefix.parent = child.run;
        onPrefix.values = {{"method", "full"}};
        QVERIFY_THROWS_EXCEPTION(InputError, finetuneConfig(catalog, onPrefix));
        RunConfig lstm = nanoConfig(5, 1);
        lstm.arch = "lstm-tiny";
        lstm.spec = resolveSpec("lstm-tiny");
        lstm.spec.set("context", 32);
        const auto lstmRun = train(lstm);
        FinetuneRequest bad = req;
        bad.parent = lstmRun.run;
        try {
            finetuneConfig(catalog, bad);
            QFAIL("prefix on an LSTM must be refused");
        } catch (const SettingError& e) {
            QCOMPARE(e.key(), std::string("method"));
        }
    }

    // SMART (methods.md B9): the perturbation lives in embedding space (the
    // shape of the token embeddings, zero on padding, at most eta per token
    // in the infinity norm); a non-finite ascent gradient skips the
    // adversarial term and leaves a finite loss; the teacher is an EMA; a
    // fine-tune logs its three terms.
    void smartPerturbsEmbeddingsAndSkipsNaN()
    {
        torch::manual_seed(4);
        const auto spec = ModelSpec::gpt({2, 2, 16, 8, 0.0});
        auto model = buildModel(spec, 12, 3);
        model->eval(); // no dropout: the terms come from the perturbation alone
        TaskData data;
        data.task = Task::Classify;
        data.labels = {"a", "b", "c"};
        data.train.examples = {{{1, 2, 3, 4, 5}, 0, 0, "", ""}, {{6, 7, 8}, 2, 0, "", ""}};
        const TaskBatch batch = makeTaskBatch(data, data.train, {0, 1}, torch::Device(torch::kCPU));
        const SmartSettings settings{1.0, 1.0, 1e-3, 1e-5};
        const SmartLoss s = smartLoss(*model, nullptr, data, batch, settings);
        QVERIFY(!s.skipped);
        QCOMPARE(s.perturbation.size(), std::size_t(1));
        const auto& p = s.perturbation[0];
        QCOMPARE(p.sizes().vec(), std::vector<std::int64_t>({2, 5, 16})); // (B, T, d): the token embeddings
        QCOMPARE(p[1].slice(0, 3, 5).abs().sum().item<double>(), 0.0);    // padding never moves
        const auto perToken = p.abs().amax(-1);                           // (B, T)
        QVERIFY(perToken.max().item<double>() <= 1e-3 * (1 + 1e-5));
        QVERIFY(perToken[0].min().item<double>() > 0);
        QVERIFY(std::isfinite(s.adversarial.item<double>()) && s.adversarial.item<double>() >= 0);
        QCOMPARE(s.proximal.item<double>(), 0.0); // no teacher
        QVERIFY(std::abs(s.total.item<double>() - s.task.item<double>() - s.adversarial.item<double>()) < 1e-6);

        SmartSettings nan = settings;
        nan.sigma = std::numeric_limits<double>::quiet_NaN();
        const SmartLoss skipped = smartLoss(*model, model.get(), data, batch, nan);
        QVERIFY(skipped.skipped);
        QCOMPARE(skipped.adversarial.item<double>(), 0.0);
        QVERIFY(std::isfinite(skipped.total.item<double>()));
        QVERIFY(std::abs(skipped.proximal.item<double>()) < 1e-6); // the model is its own teacher here

        auto teacher = buildModel(spec, 12, 3);
        {
            torch::NoGradGuard g;
            for (auto& t : teacher->parameters())
                t.zero_();
        }
        emaUpdate(*teacher, *model, 0.9);
        const auto tw = teacher->named_parameters()["wte.weight"], mw = model->named_parameters()["wte.weight"];
        QVERIFY(torch::allclose(tw, 0.1 * mw));

        Catalog catalog(m_catalog);
        const auto parent = train(nanoConfig(20, 14));
        FinetuneRequest req;
        req.parent = parent.run;
        req.corpus = "small";
        req.values = {{"method", "smart"}, {"steps", "10"}, {"threads", "1"}, {"log_every", "5"}};
        const auto run = train(finetuneConfig(catalog, req));
        QVERIFY2(run.status == RunStatus::Finished, run.error.c_str());
        for (const char* term : {"loss_task", "loss_adversarial", "loss_proximal", "loss_skipped"})
            QCOMPARE(catalog.metrics(run.run, term).size(), std::size_t(2));
        QVERIFY(catalog.metrics(run.run, "loss_proximal").back().value > 0); // the model has moved from its teacher
    }

};

QTEST_APPLESS_MAIN(TestFinetune)
#include "test_finetune.moc"
