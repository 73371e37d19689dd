// SPDX-License-Identifier: GPL-3.0-or-later
// The lmwb contract for runs built on runs and for scoring text: fine-tuning
// (lineage, JSON keys, refusals), resuming finished or checkpoint-less runs,
// and BLEU of text files.
#include "cli_fixture.h"

#include <QJsonArray>
#include <QJsonObject>

class TestCliFinetune : public QObject, CliFixture {
    Q_OBJECT
private slots:
    void init() { catalogForThisFunction(true); }

    // lmwb finetune: a new run that records its parent, with the JSON keys
    // other tools read; bad requests exit 2, named.
    void finetuneRecordsLineage()
    {
        auto r = lmwb({QStringLiteral("train"), QStringLiteral("--corpus"), QStringLiteral("small"), QStringLiteral("--arch"),
                       QStringLiteral("nano-gpt"), QStringLiteral("--steps"), QStringLiteral("20"), QStringLiteral("--json")});
        QCOMPARE(r.code, 0);
        const int parent = r.json().object()[QStringLiteral("run")].toInt();
        r = lmwb({QStringLiteral("finetune"), QString::number(parent), QStringLiteral("--corpus"), QStringLiteral("small"),
                  QStringLiteral("--method"), QStringLiteral("l-eo"), QStringLiteral("--steps"), QStringLiteral("10"),
                  QStringLiteral("--json")});
        QCOMPARE(r.code, 0);
        QVERIFY2(r.err.contains("trains wte, wpe, ln_f (embeddings and output layer)"), r.err.constData());
        const auto o = r.json().object();
        for (const char* key : {"run", "parent", "task", "method", "status", "steps", "trainable_params", "stored_bytes",
                                "val_loss", "accuracy", "macro_f1", "bleu", "exact_match"})
            QVERIFY2(o.contains(QLatin1String(key)), key);
        QCOMPARE(o[QStringLiteral("parent")].toInt(), parent);
        QCOMPARE(o[QStringLiteral("task")].toString(), QStringLiteral("lm"));
        QCOMPARE(o[QStringLiteral("method")].toString(), QStringLiteral("l-eo"));
        QVERIFY(o[QStringLiteral("trainable_params")].toInteger() < o[QStringLiteral("params")].toInteger());
        QVERIFY(o[QStringLiteral("stored_bytes")].toInteger() > 0);
        for (const char* key : {"accuracy", "macro_f1", "bleu", "exact_match"})
            QVERIFY2(o[QLatin1String(key)].isNull(), key); // not an lm task's metrics
        const auto show = lmwb({QStringLiteral("runs"), QStringLiteral("show"),
                                QString::number(o[QStringLiteral("run")].toInt()), QStringLiteral("--json")});
        QCOMPARE(show.json().object()[QStringLiteral("parent")].toInt(), parent);
        // Generation composes the parent's weights and the child's delta.
        const auto gen = lmwb({QStringLiteral("generate"), QString::number(o[QStringLiteral("run")].toInt()),
                               QStringLiteral("--prompt"), QStringLiteral("The"), QStringLiteral("--max-tokens"),
                               QStringLiteral("20")});
        QCOMPARE(gen.code, 0);
        // Refusals, named.
        const QString p = QString::number(parent);
        r = lmwb({QStringLiteral("finetune"), p, QStringLiteral("--corpus"), QStringLiteral("small"), QStringLiteral("--method"),
                  QStringLiteral("prefix-soup")});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("--method 'prefix-soup': expected one of full, ulmfit, l-eo, l-ldb, mtl, prefix, smart"), r.err.constData());
        r = lmwb({QStringLiteral("finetune"), p, QStringLiteral("--corpus"), QStringLiteral("small"), QStringLiteral("--tokenizer"),
                  QStringLiteral("other")});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("is not the parent's"), r.err.constData());
        r = lmwb({QStringLiteral("finetune"), QStringLiteral("999"), QStringLiteral("--corpus"), QStringLiteral("small")});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("no run 999"), r.err.constData());
        r = lmwb({QStringLiteral("train"), QStringLiteral("--corpus"), QStringLiteral("small"), QStringLiteral("--arch"),
                  QStringLiteral("nano-gpt"), QStringLiteral("--method"), QStringLiteral("l-eo")});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("--method 'l-eo' adapts a trained run"), r.err.constData());
    }

    // lmwb distill: the student learns from a teacher run, with the JSON keys
    // other tools read and a baseline without the teacher; a tokenizer the
    // teacher does not share is refused, exit 2, naming both.
    void distillWithBaseline()
    {
        auto r = lmwb({QStringLiteral("train"), QStringLiteral("--corpus"), QStringLiteral("small"), QStringLiteral("--arch"),
                       QStringLiteral("nano-gpt"), QStringLiteral("--steps"), QStringLiteral("20"), QStringLiteral("--json")});
        QCOMPARE(r.code, 0);
        const QString teacher = QString::number(r.json().object()[QStringLiteral("run")].toInt());
        r = lmwb({QStringLiteral("distill"), QStringLiteral("--teacher"), teacher, QStringLiteral("--student"), QStringLiteral("cbow-tiny"),
                  QStringLiteral("--corpus"), QStringLiteral("small"), QStringLiteral("--steps"), QStringLiteral("15"),
                  QStringLiteral("--alpha"), QStringLiteral("0.7"), QStringLiteral("--temperature"), QStringLiteral("3"),
                  QStringLiteral("--baseline"), QStringLiteral("--sample-tokens"), QStringLiteral("0"), QStringLiteral("--json")});
        QCOMPARE(r.code, 0);
        const auto o = r.json().object();
        for (const char* key : {"run", "teacher", "student_params", "teacher_params", "status", "steps", "val_loss", "val_ppl",
                                "val_bpc", "agreement", "kl", "baseline_run", "baseline_val_loss"})
            QVERIFY2(o.contains(QLatin1String(key)) && !o[QLatin1String(key)].isNull(), key);
        QCOMPARE(o[QStringLiteral("teacher")].toInt(), teacher.toInt());
        QCOMPARE(o[QStringLiteral("alpha")].toDouble(), 0.7);
        QCOMPARE(o[QStringLiteral("temperature")].toDouble(), 3.0);
        QVERIFY(o[QStringLiteral("student_params")].toInteger() < o[QStringLiteral("teacher_params")].toInteger());
        QVERIFY(o[QStringLiteral("baseline_run")].toInt() > o[QStringLiteral("run")].toInt());
        const auto show = lmwb({QStringLiteral("runs"), QStringLiteral("show"), QString::number(o[QStringLiteral("run")].toInt()),
                                QStringLiteral("--json")});
        QCOMPARE(show.json().object()[QStringLiteral("teacher")].toInt(), teacher.toInt());
        // The baseline is the same student without a teacher.
        const auto base = lmwb({QStringLiteral("runs"), QStringLiteral("show"),
                                QString::number(o[QStringLiteral("baseline_run")].toInt()), QStringLiteral("--json")});
        QVERIFY(base.json().object()[QStringLiteral("teacher")].isNull());
        // Refusals, named.
        QCOMPARE(lmwb({QStringLiteral("tokenizer"), QStringLiteral("train"), QStringLiteral("bytes"), QStringLiteral("--corpus"),
                       QStringLiteral("small"), QStringLiteral("--kind"), QStringLiteral("byte")}).code, 0);
        r = lmwb({QStringLiteral("distill"), QStringLiteral("--teacher"), teacher, QStringLiteral("--student"), QStringLiteral("cbow-tiny"),
                  QStringLiteral("--corpus"), QStringLiteral("small"), QStringLiteral("--tokenizer"), QStringLiteral("bytes")});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("tokenizer 'small:char'") && r.err.contains("'bytes'"), r.err.constData());
        r = lmwb({QStringLiteral("distill"), QStringLiteral("--teacher"), QStringLiteral("999"), QStringLiteral("--student"),
                  QStringLiteral("cbow-tiny"), QStringLiteral("--corpus"), QStringLiteral("small")});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("--teacher: no run 999"), r.err.constData());
        r = lmwb({QStringLiteral("distill"), QStringLiteral("--teacher"), teacher, QStringLiteral("--student"), QStringLiteral("cbow-tiny"),
                  QStringLiteral("--corpus"), QStringLiteral("small"), QStringLiteral("--alpha"), QStringLiteral("1.5")});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("--alpha must be between 0 and 1, got 1.5"), r.err.constData());
    }

    // lmwb generate-corpus: text sampled from a run into the catalog as a
    // corpus that names its source run, on which a student then trains
    // (sequence-level distillation); bad requests exit 2, named.
    void generateCorpusForSequenceLevelDistillation()
    {
        auto r = lmwb({QStringLiteral("train"), QStringLiteral("--corpus"), QStringLiteral("small"), QStringLiteral("--arch"),
                       QStringLiteral("nano-gpt"), QStringLiteral("--steps"), QStringLiteral("20"), QStringLiteral("--json")});
        QCOMPARE(r.code, 0);
        const QString teacher = QString::number(r.json().object()[QStringLiteral("run")].toInt());
        r = lmwb({QStringLiteral("generate-corpus"), teacher, QStringLiteral("--name"), QStringLiteral("sampled"),
                  QStringLiteral("--documents"), QStringLiteral("30"), QStringLiteral("--max-tokens"), QStringLiteral("40"),
                  QStringLiteral("--top-k"), QStringLiteral("10"), QStringLiteral("--json")});
        QCOMPARE(r.code, 0);
        auto o = r.json().object();
        QCOMPARE(o[QStringLiteral("corpus")].toString(), QStringLiteral("sampled"));
        QCOMPARE(o[QStringLiteral("documents")].toInt(), 30);
        QCOMPARE(o[QStringLiteral("sampled_tokens")].toInt(), 30 * 40);
        QVERIFY(r.err.contains("generate-corpus: 100 %"));
        const auto show = lmwb({QStringLiteral("corpus"), QStringLiteral("show"), QStringLiteral("sampled"), QStringLiteral("--json")});
        QCOMPARE(show.json().object()[QStringLiteral("source_run")].toInt(), teacher.toInt());
        r = lmwb({QStringLiteral("train"), QStringLiteral("--corpus"), QStringLiteral("sampled"), QStringLiteral("--arch"),
                  QStringLiteral("cbow-tiny"), QStringLiteral("--context"), QStringLiteral("16"), QStringLiteral("--steps"),
                  QStringLiteral("5"), QStringLiteral("--json")});
        QCOMPARE(r.code, 0);
        // Refusals: the name is taken, no documents, an unknown run.
        r = lmwb({QStringLiteral("generate-corpus"), teacher, QStringLiteral("--name"), QStringLiteral("sampled")});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("a corpus named 'sampled' is already in the catalog"), r.err.constData());
        r = lmwb({QStringLiteral("generate-corpus"), teacher, QStringLiteral("--name"), QStringLiteral("x"), QStringLiteral("--documents"),
                  QStringLiteral("0")});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("--documents must be between 1 and"), r.err.constData());
        r = lmwb({QStringLiteral("generate-corpus"), QStringLiteral("999"), QStringLiteral("--name"), QStringLiteral("x")});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("no run 999"), r.err.constData());
        QCOMPARE(lmwb({QStringLiteral("corpus"), QStringLiteral("show"), QStringLiteral("x")}).code, 2); // nothing left behind
    }

    // Resuming a finished run without more steps is refused with the steps
    // it has; a run that ended before its first checkpoint trains again from
    // step 0 (with the same seed, to the same loss).
    void resumeFinishedOrWithoutCheckpoint()
    {
        auto r = lmwb({QStringLiteral("train"), QStringLiteral("--corpus"), QStringLiteral("small"), QStringLiteral("--arch"),
                       QStringLiteral("nano-gpt"), QStringLiteral("--steps"), QStringLiteral("12"), QStringLiteral("--json")});
        QCOMPARE(r.code, 0);
        const int done = r.json().object()[QStringLiteral("run")].toInt();
        const double loss = r.json().object()[QStringLiteral("train_loss")].toDouble();
        r = lmwb({QStringLiteral("resume"), QString::number(done)});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains(qPrintable(QStringLiteral("run %1 is already finished (12 of 12 steps); give --steps to extend it").arg(done))),
                 r.err.constData());
        // Make a copy of it that ended before its first checkpoint, as a
        // process killed early leaves it: interrupted, no checkpoint.
        {
            wb::Catalog c(m_catalog.toStdString());
            for (const auto& a : c.runArtifacts(done, "checkpoint"))
                c.deleteArtifact(a.id);
            c.finishRun(done, wb::RunStatus::Interrupted, std::string("the process ended"));
        }
        r = lmwb({QStringLiteral("resume"), QString::number(done), QStringLiteral("--json")});
        QCOMPARE(r.code, 0);
        QVERIFY2(r.err.contains("trains again from step 0 with the same seed"), r.err.constData());
        const auto o = r.json().object();
        QCOMPARE(o[QStringLiteral("status")].toString(), QStringLiteral("finished"));
        QCOMPARE(o[QStringLiteral("steps")].toInt(), 12);
        QCOMPARE(o[QStringLiteral("train_loss")].toDouble(), loss); // the same run again
    }

    // Tasks from the command line: a labeled corpus and a pairs corpus are
    // imported with their fields, `finetune --task classify|pairs` prints the
    // task's metrics, `eval` recomputes them, and a task the corpus cannot
    // serve is refused with exit 2 naming --task.
    void finetuneTasksAndEval()
    {
        QByteArray labeled = "text,topic\n", pairs;
        for (int i = 0; i < 60; ++i) {
            labeled += QByteArray("\"") + (i % 2 ? "the king refused his assent to laws," : "all men are created equal,") + " truly "
                       + QByteArray::number(i) + (i % 2 ? "\",king\n" : "\",men\n");
            pairs += "{\"q\":\"We hold these truths " + QByteArray::number(i) + "\",\"a\":\"to be self-evident\"}\n";
        }
        auto r = lmwb({QStringLiteral("corpus"), QStringLiteral("add"), QStringLiteral("topics"),
                       tmpFile(QStringLiteral("topics.csv"), labeled), QStringLiteral("--label-field"), QStringLiteral("topic")});
        QCOMPARE(r.code, 0);
        r = lmwb({QStringLiteral("corpus"), QStringLiteral("add"), QStringLiteral("truths"), tmpFile(QStringLiteral("truths.jsonl"), pairs),
                  QStringLiteral("--prompt-field"), QStringLiteral("q"), QStringLiteral("--target-field"), QStringLiteral("a"),
                  QStringLiteral("--split"), QStringLiteral("0.8,0.1,0.1"), QStringLiteral("--json")});
        QCOMPARE(r.code, 0);
        QCOMPARE(r.json().object()[QStringLiteral("kind")].toString(), QStringLiteral("pairs"));
        r = lmwb({QStringLiteral("corpus"), QStringLiteral("add"), QStringLiteral("half"), tmpFile(QStringLiteral("half.jsonl"), pairs),
                  QStringLiteral("--prompt-field"), QStringLiteral("q")});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("--prompt-field needs --target-field too"), r.err.constData());

        r = lmwb({QStringLiteral("train"), QStringLiteral("--corpus"), QStringLiteral("small"), QStringLiteral("--arch"),
                  QStringLiteral("nano-gpt"), QStringLiteral("--steps"), QStringLiteral("10"), QStringLiteral("--json")});
        QCOMPARE(r.code, 0);
        const QString parent = QString::number(r.json().object()[QStringLiteral("run")].toInt());
        r = lmwb({QStringLiteral("finetune"), parent, QStringLiteral("--corpus"), QStringLiteral("topics"), QStringLiteral("--task"),
                  QStringLiteral("classify"), QStringLiteral("--steps"), QStringLiteral("10"), QStringLiteral("--json")});
        QCOMPARE(r.code, 0);
        auto o = r.json().object();
        QCOMPARE(o[QStringLiteral("task")].toString(), QStringLiteral("classify"));
        QVERIFY(o[QStringLiteral("accuracy")].isDouble() && o[QStringLiteral("macro_f1")].isDouble());
        QVERIFY(o[QStringLiteral("bleu")].isNull() && o[QStringLiteral("val_bpc")].isNull());
        const QString classifier = QString::number(o[QStringLiteral("run")].toInt());
        r = lmwb({QStringLiteral("eval"), classifier, QStringLiteral("--json")});
        QCOMPARE(r.code, 0);
        QCOMPARE(r.json().object()[QStringLiteral("accuracy")].toDouble(), o[QStringLiteral("accuracy")].toDouble());
        QCOMPARE(r.json().object()[QStringLiteral("confusion")].toArray().size(), 2);
        r = lmwb({QStringLiteral("eval"), classifier, QStringLiteral("--split"), QStringLiteral("test")});
        QCOMPARE(r.code, 0);
        QVERIFY2(r.out.contains("(the majority class)") && r.out.contains("confusion"), r.out.constData());

        r = lmwb({QStringLiteral("finetune"), parent, QStringLiteral("--corpus"), QStringLiteral("truths"), QStringLiteral("--task"),
                  QStringLiteral("pairs"), QStringLiteral("--steps"), QStringLiteral("10"), QStringLiteral("--json")});
        QCOMPARE(r.code, 0);
        o = r.json().object();
        QVERIFY(o[QStringLiteral("bleu")].isDouble() && o[QStringLiteral("exact_match")].isDouble() && o[QStringLiteral("accuracy")].isNull());
        r = lmwb({QStringLiteral("eval"), QString::number(o[QStringLiteral("run")].toInt()), QStringLiteral("--limit"), QStringLiteral("2"),
                  QStringLiteral("--json")});
        QCOMPARE(r.code, 0);
        QCOMPARE(r.json().object()[QStringLiteral("generations")].toArray().size(), 2);

        r = lmwb({QStringLiteral("finetune"), parent, QStringLiteral("--corpus"), QStringLiteral("small"), QStringLiteral("--task"),
                  QStringLiteral("classify")});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("--task classify needs a labeled corpus and 'small' has no labels"), r.err.constData());
        r = lmwb({QStringLiteral("eval"), parent, QStringLiteral("--split"), QStringLiteral("training")});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("--split must be validation or test"), r.err.constData());
    }

    // lmwb bleu scores text files as sacreBLEU does; mismatched files and
    // invalid UTF-8 are named.
    void bleuOfFiles()
    {
        const QString hyp = tmpFile(QStringLiteral("hyp.txt"), "the quick brown fox jumps over the lazy dog\nhello world\n");
        const QString ref = tmpFile(QStringLiteral("ref.txt"), "the fast brown fox jumped over the lazy dog\nhello there world\n");
        auto r = lmwb({QStringLiteral("bleu"), hyp, ref, QStringLiteral("--json")});
        QCOMPARE(r.code, 0);
        const auto o = r.json().object();
        for (const char* key : {"bleu", "precisions", "bp", "sys_len", "ref_len", "signature"})
            QVERIFY2(o.contains(QLatin1String(key)), key);
        QCOMPARE(QString::number(o[QStringLiteral("bleu")].toDouble(), 'f', 2), QStringLiteral("33.12"));
        QCOMPARE(o[QStringLiteral("sys_len")].toInt(), 11);
        QCOMPARE(o[QStringLiteral("precisions")].toArray().size(), 4);
        r = lmwb({QStringLiteral("bleu"), hyp, ref});
        QVERIFY2(r.out.startsWith("BLEU = 33.12 "), r.out.constData());
        const QString shortRef = tmpFile(QStringLiteral("short.txt"), "one line\n");
        r = lmwb({QStringLiteral("bleu"), hyp, shortRef});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("short.txt has 1 lines") && r.err.contains("has 2"), r.err.constData());
        const QString bad = tmpFile(QStringLiteral("badref.txt"), QByteArray("fine\nbroken \xff here\n"));
        r = lmwb({QStringLiteral("bleu"), hyp, bad});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("badref.txt: invalid UTF-8 at byte offset 12 (line 2)"), r.err.constData());
    }
};

QTEST_MAIN(TestCliFinetune)
#include "test_cli_finetune.moc"
