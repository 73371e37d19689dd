// SPDX-License-Identifier: GPL-3.0-or-later
// BLEU as sacreBLEU 2.x computes it by default: methods.md C13's worked
// examples and 13a tokenisation examples.
#include "core/errors.h"
#include "metrics/bleu.h"
#include "metrics/classification.h"

#include <QtTest>

using namespace wb;

class TestBleu : public QObject {
    Q_OBJECT
private slots:
    void tokenizer13a()
    {
        QCOMPARE(tokenize13a("It's 3.5-year-old (ok), isn't it?"), std::string("It's 3.5 - year-old ( ok ) , isn't it ?"));
        QCOMPARE(tokenize13a("He said \"1,000.50$\""), std::string("He said \" 1,000.50 $ \""));
        QCOMPARE(tokenize13a("The cat sat on the mat."), std::string("The cat sat on the mat ."));
        QCOMPARE(tokenize13a("a &amp; b &lt;c&gt;"), std::string("a & b < c >"));
        QCOMPARE(tokenize13a("  spaced\tout  "), std::string("spaced out"));
        QCOMPARE(tokenize13a("Grüße, Welt."), std::string("Grüße , Welt ."));
    }

    void sentenceExample()
    {
        // methods.md C13 example 1: matches 6/7, 4/6, 2/5, 1/4; BP exp(1 - 8/7).
        const auto s = corpusBleu({"The cat sat on the mat."}, {{"The cat is sitting on the mat."}});
        QCOMPARE(s.sysLen, std::int64_t(7));
        QCOMPARE(s.refLen, std::int64_t(8));
        QVERIFY(std::abs(s.bp - std::exp(1.0 - 8.0 / 7.0)) < 1e-12);
        QVERIFY(std::abs(s.precisions[0] - 600.0 / 7) < 1e-9);
        QVERIFY(std::abs(s.precisions[3] - 25.0) < 1e-9);
        QCOMPARE(QString::number(s.bleu, 'f', 2), QStringLiteral("42.38"));
        QCOMPARE(s.signature, std::string("nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.x"));
    }

    void corpusExampleSumsStatistics()
    {
        // Example 2: summed m = 9, 4, 2, 1; t = 11, 9, 7, 6; c = 11, r = 12.
        const auto s = corpusBleu({"the quick brown fox jumps over the lazy dog", "hello world"},
                                  {{"the fast brown fox jumped over the lazy dog", "hello there world"}});
        QCOMPARE(s.sysLen, std::int64_t(11));
        QCOMPARE(s.refLen, std::int64_t(12));
        QCOMPARE(QString::number(s.bleu, 'f', 2), QStringLiteral("33.12"));
        // The second segment alone as a corpus scores 0 (no 3- or 4-grams).
        QCOMPARE(QString::number(corpusBleu({"hello world"}, {{"hello there world"}}).bleu, 'f', 2), QStringLiteral("0.00"));
    }

    void expSmoothing()
    {
        // Example 3: m = 5, 3, 1, 0; t = 6, 5, 4, 3; p4 = 1 / (2 * 3).
        const auto s = corpusBleu({"the dog barked loudly at night"}, {{"the dog barked at night"}});
        QCOMPARE(s.bp, 1.0);
        QVERIFY(std::abs(s.precisions[3] - 100.0 / 6) < 1e-9);
        QCOMPARE(QString::number(s.bleu, 'f', 2), QStringLiteral("37.99"));
    }

    void edgeCases()
    {
        QCOMPARE(corpusBleu({"nothing in common"}, {{"entirely different words"}}).bleu, 0.0);
        QCOMPARE(corpusBleu({""}, {{"a reference"}}).bleu, 0.0);
        QCOMPARE(corpusBleu({"same words here ok"}, {{"same words here ok"}}).bleu, 100.0);
        // Two references: the closer length counts and n-grams clip at the larger count.
        const auto two = corpusBleu({"The cat sat on the mat."}, {{"The cat is sitting on the mat."}, {"The cat sat on the mat."}});
        QCOMPARE(two.bleu, 100.0);
        QCOMPARE(two.signature.substr(0, 7), std::string("nrefs:2"));
        QVERIFY_THROWS_EXCEPTION(InputError, corpusBleu({"a", "b"}, {{"a"}}));
    }

    // Classification metrics on a hand-worked example: per-class precision,
    // recall and F1, macro-F1 over the classes present, the confusion
    // matrix, and the majority baseline (scikit-learn gives the same).
    void classificationMetricsByHand()
    {
        const std::vector<std::int32_t> gold{0, 0, 1, 1, 2}, pred{0, 1, 1, 1, 0};
        const auto r = classificationReport(gold, pred, 3, 1);
        QCOMPARE(r.accuracy, 0.6);
        QCOMPARE(r.precision[0], 0.5);
        QCOMPARE(r.recall[1], 1.0);
        QVERIFY(std::abs(r.f1[1] - 0.8) < 1e-12);
        QCOMPARE(r.f1[2], 0.0);
        QVERIFY(std::abs(r.macroF1 - (0.5 + 0.8 + 0.0) / 3) < 1e-12);
        QCOMPARE(r.confusion[0][1], std::int64_t(1));
        QCOMPARE(r.confusion[2][0], std::int64_t(1));
        QCOMPARE(r.support[1], std::int64_t(2));
        QCOMPARE(r.majorityAccuracy, 0.4);
        QVERIFY(std::abs(r.majorityMacroF1 - (2 * 0.4 * 1.0 / 1.4) / 3) < 1e-12);
        // A class absent from gold and predictions does not count in macro-F1.
        QCOMPARE(classificationReport({0, 1}, {0, 1}, 3, 0).macroF1, 1.0);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, classificationReport({0, 3}, {0, 1}, 3, 0));
    }
};

QTEST_APPLESS_MAIN(TestBleu)
#include "test_bleu.moc"
