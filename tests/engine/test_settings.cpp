// SPDX-License-Identifier: GPL-3.0-or-later
// The settings table: defaults, ranges and messages in one place; run-config
// JSON through it; the one defaults policy.
#include "core/errors.h"
#include "settings/compression_settings.h"
#include "settings/settings.h"

#include <nlohmann/json.hpp>

#include <QtTest>

using namespace wb;

namespace {

std::string refusal(const std::vector<std::pair<std::string, std::string>>& values)
{
    RunRequest r;
    r.corpus = "c";
    r.arch = "tiny-gpt";
    r.values = values;
    try {
        buildRunConfig(r);
    } catch (const SettingError& e) {
        return e.what();
    }
    return {};
}

} // namespace

class TestSettings : public QObject {
    Q_OBJECT
private slots:
    // The compression options' table: what the CLI, the service and the GUI
    // accept; messages name the key, never a CLI flag.
    void compressionTableNamesKeys()
    {
        for (const char* key : {"sparsity", "scope", "prune_schedule", "calibrate", "energy", "rank", "budget", "finetune_steps"}) {
            const Setting& row = compressionSetting(key);
            QVERIFY2(row.problem(row.defaultValue).empty(), key);
            QVERIFY(row.label && *row.label && row.help && *row.help);
            QCOMPARE(findSettingInAnyTable(key), &row);
        }
        QVERIFY(findSettingInAnyTable("batch")); // the training table too
        QCOMPARE(compressionSetting("finetune_steps").cliFlag(), std::string("--finetune-steps"));
        struct Case {
            const char* key;
            double value;
            const char* message;
        };
        for (const Case& c : {Case{"energy", 2, "energy must be greater than 0 and at most 1, got 2"},
                              Case{"energy", 0, "energy must be greater than 0 and at most 1, got 0"},
                              Case{"budget", 1, "budget must be greater than 0 and below 1, got 1"},
                              Case{"sparsity", 1, "sparsity must be at least 0 and below 1, got 1"},
                              Case{"rank", 0, "rank must be between 1 and 1000000000, got 0"},
                              Case{"calibrate", 20000, "calibrate must be between 0 and 10000, got 20000"}}) {
            try {
                checkedCompressionNumber(c.key, c.value);
                QFAIL(c.key);
            } catch (const SettingError& e) {
                QCOMPARE(QString::fromStdString(e.key()), QString::fromLatin1(c.key));
                QCOMPARE(QString::fromUtf8(e.what()), QString::fromLatin1(c.message));
            }
        }
        QCOMPARE(checkedCompressionNumber("energy", 1.0), 1.0);
        QCOMPARE(checkedCompressionNumber("sparsity", 0.0), 0.0);
    }

    void defaultsComeFromTheTable()
    {
        const TrainSettings t;
        for (const auto& s : trainSettings()) {
            QVERIFY2(s.get(t) == s.defaultValue, s.key.c_str());
            QVERIFY2(s.problem(s.defaultValue).empty(), s.key.c_str()); // every default is valid
            QVERIFY2(std::string(s.label).size() > 0 && std::string(s.help).size() > 0, s.key.c_str());
        }
        QCOMPARE(t.batch, 16);
        QCOMPARE(t.optimizer, Optimizer::AdamW);
        QCOMPARE(t.schedule, Schedule::Cosine);
        QCOMPARE(t.device, Device::Cpu);
        QCOMPARE(t.precision, Precision::Fp32);
        QCOMPARE(findSetting("checkpoint_minutes")->cliFlag(), std::string("--minutes"));
        QCOMPARE(findSetting("weight_decay")->cliFlag(), std::string("--weight-decay"));
        QVERIFY(!findSetting("nonsense"));
    }

    void messagesNameTheKeyAndPrintNumbersAsWritten()
    {
        QCOMPARE(refusal({{"batch", "0"}}), std::string("batch must be between 1 and 65536, got 0"));
        QCOMPARE(refusal({{"lr", "0"}}), std::string("lr must be greater than 0 and at most 100, got 0"));
        QCOMPARE(refusal({{"lr", "1e4"}}), std::string("lr must be greater than 0 and at most 100, got 1e4"));
        QCOMPARE(refusal({{"steps", "abc"}}), std::string("steps expects an integer, got 'abc'"));
        QCOMPARE(refusal({{"lr", "nan"}}), std::string("lr expects a number, got 'nan'"));
        QCOMPARE(refusal({{"schedule", "cyclic"}}),
                 std::string("schedule 'cyclic': expected one of constant, cosine, linear, step, onecycle, stlr"));
        QCOMPARE(refusal({{"nesterov", "true"}, {"momentum", "0"}}), std::string("nesterov needs a momentum above 0"));
        QCOMPARE(refusal({{"context", "1"}}), std::string("context must be between 2 and 8192, got 1"));
        QCOMPARE(refusal({{"batch", "8"}}), std::string());
        QCOMPARE(formatNumber(1e-9), std::string("1e-9"));
        QCOMPARE(formatNumber(100), std::string("100"));
        QCOMPARE(formatNumber(0.0001), std::string("0.0001"));
        QCOMPARE(formatNumber(2.5e6), std::string("2500000"));
        QCOMPARE(formatNumber(3e-4), std::string("0.0003"));
        QCOMPARE(formatNumber(1.5e20), std::string("1.5e20"));
    }

    // lr auto (the default) is the family's rate, resolved before the run
    // is stored; 0 typed as a number stays refused.
    void learningRateAutoIsTheFamilysRate()
    {
        QCOMPARE(refusal({{"lr", "auto"}}), std::string());
        QCOMPARE(refusal({{"eval_every", "auto"}}), std::string());
        for (const auto& [arch, rate] : std::vector<std::pair<std::string, double>>{
                 {"tiny-gpt", 1e-3}, {"cbow-tiny", 2e-2}, {"cmow-tiny", 5e-3}, {"cmow-cbow-tiny", 5e-3}, {"lstm-tiny", 1e-2}}) {
            RunRequest r;
            r.corpus = "c";
            r.arch = arch;
            RunConfig c = buildRunConfig(r);
            QCOMPARE(c.train.lr, 0.0);
            resolveRunDefaults(c);
            QCOMPARE(c.train.lr, rate);
            QCOMPARE(c.train.minLr, rate / 10);
            r.values = {{"lr", "5e-3"}};
            c = buildRunConfig(r);
            resolveRunDefaults(c);
            QCOMPARE(c.train.lr, 5e-3); // as given
        }
    }

    void runConfigJsonGoesThroughTheTable()
    {
        RunRequest r;
        r.corpus = "c";
        r.arch = "tiny-gpt";
        r.values = {{"lr", "3e-4"}, {"optimizer", "sgd"}, {"nesterov", ""}, {"context", "32"}, {"minutes", "0"}};
        QVERIFY_THROWS_EXCEPTION(InputError, buildRunConfig(r)); // "minutes" is a flag, not a key
        r.values.pop_back();
        const RunConfig c = buildRunConfig(r);
        QCOMPARE(c.train.lr, 3e-4);
        QCOMPARE(c.train.optimizer, Optimizer::Sgd);
        QVERIFY(c.train.nesterov);
        QCOMPARE(c.spec.context(), 32);
        const RunConfig back = RunConfig::fromJson(c.toJson());
        QVERIFY(back.train == c.train);
        QCOMPARE(back.spec.context(), 32);
        // Every setting is in the JSON under its key.
        const auto j = nlohmann::json::parse(c.toJson());
        for (const auto& s : trainSettings())
            QVERIFY2(j.at("train").contains(s.key), s.key.c_str());
        // Wrong types and unknown keys are refused by name.
        auto bad = j;
        bad["train"]["batch"] = "big";
        try {
            RunConfig::fromJson(bad.dump());
            QFAIL("a string batch must be refused");
        } catch (const SettingError& e) {
            QCOMPARE(e.key(), std::string("batch"));
        }
        bad = j;
        bad["train"]["speed"] = 3;
        QVERIFY_THROWS_EXCEPTION(InputError, RunConfig::fromJson(bad.dump()));
        bad = j;
        bad["train"]["lr"] = -1;
        QVERIFY_THROWS_EXCEPTION(SettingError, RunConfig::fromJson(bad.dump()));
        // A whole number written as a float: 1e3 is 1000; 3e58 is refused
        // (its conversion was undefined behaviour, found by fuzzing).
        bad = j;
        bad["train"]["steps"] = 1e3;
        QCOMPARE(RunConfig::fromJson(bad.dump()).train.steps, std::int64_t(1000));
        bad["train"]["steps"] = 3.3e58;
        try {
            RunConfig::fromJson(bad.dump());
            QFAIL("steps 3.3e58 must be refused");
        } catch (const SettingError& e) {
            QCOMPARE(e.key(), std::string("steps"));
        }
    }

    void oneDefaultsPolicy()
    {
        TrainSettings t;
        QCOMPARE(t.evalEvery, std::int64_t(0)); // auto until resolved
        QVERIFY(t.minLr < 0);
        t.steps = 2000;
        resolveDefaults(t);
        QCOMPARE(t.evalEvery, std::int64_t(100));
        QCOMPARE(t.minLr, t.lr / 10);
        QCOMPARE(t.warmup, std::int64_t(100));
        TrainSettings s;
        s.steps = 40;
        s.lr = 0.02;
        s.device = Device::Cuda;
        resolveDefaults(s);
        QCOMPARE(s.evalEvery, std::int64_t(10));
        QCOMPARE(s.minLr, 0.002);
        QCOMPARE(s.warmup, std::int64_t(4)); // at most a tenth of the run
        QCOMPARE(s.logEvery, std::int64_t(10));
        // An explicit value is kept.
        TrainSettings e;
        e.evalEvery = 7;
        e.minLr = 0;
        resolveDefaults(e);
        QCOMPARE(e.evalEvery, std::int64_t(7));
        QCOMPARE(e.minLr, 0.0);
    }
};

QTEST_APPLESS_MAIN(TestSettings)
#include "test_settings.moc"
