// SPDX-License-Identifier: GPL-3.0-or-later
// The lmwb contract for compression (issue 13): compress, variants and
// bench infer with the JSON keys other tools read; bad requests exit 2 with
// the reason.
#include "cli_fixture.h"

#include <QJsonArray>
#include <QJsonObject>

namespace {

const char* const kVariantKeys[] = {"run", "parent", "method", "params", "nonzero", "file_bytes", "gzip_bytes", "val_loss",
                                    "val_ppl", "val_bpc", "latency_ms_p50", "latency_ms_p90", "tokens_per_s"};

} // namespace

class TestCliCompress : public QObject, CliFixture {
    Q_OBJECT
private slots:
    void init() { catalogForThisFunction(true); }

    void compressVariantsAndBench()
    {
        auto r = lmwb({QStringLiteral("train"), QStringLiteral("--corpus"), QStringLiteral("small"), QStringLiteral("--arch"),
                       QStringLiteral("nano-gpt"), QStringLiteral("--steps"), QStringLiteral("20"), QStringLiteral("--json")});
        QCOMPARE(r.code, 0);
        const int parent = r.json().object()[QStringLiteral("run")].toInt();
        const QString p = QString::number(parent);

        r = lmwb({QStringLiteral("compress"), p, QStringLiteral("--method"), QStringLiteral("quantize"), QStringLiteral("--json")});
        QCOMPARE(r.code, 0);
        QVERIFY2(r.err.contains("measuring run"), r.err.constData()); // progress on stderr
        auto o = r.json().object();
        for (const char* key : kVariantKeys)
            QVERIFY2(o.contains(QLatin1String(key)), key);
        QCOMPARE(o[QStringLiteral("parent")].toInt(), parent);
        QCOMPARE(o[QStringLiteral("method")].toString(), QStringLiteral("quantize"));
        const int int8Run = o[QStringLiteral("run")].toInt();

        // Prune and recover: two entries, the fine-tune's parent the pruned variant.
        r = lmwb({QStringLiteral("compress"), p, QStringLiteral("--method"), QStringLiteral("prune"), QStringLiteral("--sparsity"),
                  QStringLiteral("0.5"), QStringLiteral("--scope"), QStringLiteral("global"), QStringLiteral("--finetune-steps"),
                  QStringLiteral("5"), QStringLiteral("--json")});
        QCOMPARE(r.code, 0);
        o = r.json().object();
        const int recovered = o[QStringLiteral("run")].toInt();
        QCOMPARE(o[QStringLiteral("parent")].toInt(), recovered - 1);
        QVERIFY(o[QStringLiteral("nonzero")].toInteger() < o[QStringLiteral("params")].toInteger());

        r = lmwb({QStringLiteral("variants"), p, QStringLiteral("--json")});
        QCOMPARE(r.code, 0);
        const auto rows = r.json().array();
        QCOMPARE(rows.size(), 4); // the run, int8, pruned, recovered
        QCOMPARE(rows[0].toObject()[QStringLiteral("run")].toInt(), parent);
        QVERIFY(rows[0].toObject()[QStringLiteral("parent")].isNull());
        for (const auto& v : rows)
            for (const char* key : kVariantKeys)
                QVERIFY2(v.toObject().contains(QLatin1String(key)), key);
        QVERIFY(rows[1].toObject()[QStringLiteral("file_bytes")].toInteger() < rows[0].toObject()[QStringLiteral("file_bytes")].toInteger() / 2);

        r = lmwb({QStringLiteral("bench"), QStringLiteral("infer"), QString::number(int8Run), QStringLiteral("--batch"),
                  QStringLiteral("4"), QStringLiteral("--runs"), QStringLiteral("10"), QStringLiteral("--json")});
        QCOMPARE(r.code, 0);
        o = r.json().object();
        for (const char* key : {"run", "file_bytes", "tokens_per_s", "latency_ms_p50", "latency_ms_p90", "threads", "batch", "cpu"})
            QVERIFY2(o.contains(QLatin1String(key)), key);
        QCOMPARE(o[QStringLiteral("batch")].toInt(), 4);
        QCOMPARE(o[QStringLiteral("threads")].toInt(), 1);

        // Refusals: exit 2 with the reason, nothing made.
        const struct {
            QStringList args;
            const char* message;
        } bad[] = {
            {{QStringLiteral("--method"), QStringLiteral("prune"), QStringLiteral("--sparsity"), QStringLiteral("1")}, "--sparsity must be at least 0 and below 1"},
            {{QStringLiteral("--method"), QStringLiteral("lowrank"), QStringLiteral("--rank"), QStringLiteral("100000")}, "above every layer's rank"},
            {{QStringLiteral("--method"), QStringLiteral("lowrank")}, "takes one of --energy E"},
            {{QStringLiteral("--method"), QStringLiteral("lowrank"), QStringLiteral("--budget"), QStringLiteral("1.5")}, "--budget must be greater than 0 and below 1"},
            {{QStringLiteral("--method"), QStringLiteral("shrink")}, "--method must be prune, quantize or lowrank"},
            {{QStringLiteral("--method"), QStringLiteral("quantize"), QStringLiteral("--bits"), QStringLiteral("4")}, "--bits must be 8"},
            {{QStringLiteral("--method"), QStringLiteral("prune"), QStringLiteral("--energy"), QStringLiteral("0.9")}, "--energy is an option of --method lowrank"},
            {{QStringLiteral("--method"), QStringLiteral("prune"), QStringLiteral("--schedule"), QStringLiteral("gradual")}, "give --finetune-steps N"},
        };
        for (const auto& b : bad) {
            r = lmwb(QStringList{QStringLiteral("compress"), p} + b.args);
            QCOMPARE(r.code, 2);
            QVERIFY2(r.err.contains(b.message), r.err.constData());
        }
        r = lmwb({QStringLiteral("compress"), QString::number(int8Run), QStringLiteral("--method"), QStringLiteral("quantize")});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("is an int8 variant"), r.err.constData());
        r = lmwb({QStringLiteral("finetune"), QString::number(int8Run), QStringLiteral("--corpus"), QStringLiteral("small")});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("cannot be trained"), r.err.constData());
        r = lmwb({QStringLiteral("variants"), p, QStringLiteral("--json")});
        QCOMPARE(r.json().array().size(), 4); // the refusals left no run behind
        // The int8 variant generates text through its int8 kernels.
        r = lmwb({QStringLiteral("generate"), QString::number(int8Run), QStringLiteral("--prompt"), QStringLiteral("The"),
                  QStringLiteral("--max-tokens"), QStringLiteral("10")});
        QCOMPARE(r.code, 0);
    }
};

QTEST_GUILESS_MAIN(TestCliCompress)
#include "test_cli_compress.moc"
