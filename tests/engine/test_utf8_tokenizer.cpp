// SPDX-License-Identifier: GPL-3.0-or-later
// UTF-8 validation (offsets and lines of bad bytes), the character tokenizer's
// round trip, document splitting and the deterministic split.
#include "core/errors.h"
#include "data/char_tokenizer.h"
#include "data/corpus_import.h"
#include "data/utf8.h"

#include <QtTest>

using namespace wb;

class TestUtf8Tokenizer : public QObject {
    Q_OBJECT
private slots:
    void validTextHasNoProblem()
    {
        QVERIFY(!utf8::validate("plain ASCII\n").has_value());
        QVERIFY(!utf8::validate("Gr\xC3\xBC\xC3\x9F" "e \xE2\x82\xAC \xF0\x9F\x98\x80").has_value()); // ü ß € 😀
        QVERIFY(!utf8::validate("").has_value());
    }

    void invalidBytesReportOffsetAndLine_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<qulonglong>("offset");
        QTest::addColumn<qulonglong>("line");
        QTest::addColumn<QString>("what");
        QTest::newRow("stray continuation") << QByteArray("ab\x80") << 2ull << 1ull << QStringLiteral("lead byte 0x80");
        QTest::newRow("invalid lead 0xff") << QByteArray("line1\nline2\n\xFFx") << 12ull << 3ull << QStringLiteral("lead byte 0xff");
        QTest::newRow("overlong 0xc0") << QByteArray("\xC0\xAF") << 0ull << 1ull << QStringLiteral("lead byte 0xc0");
        QTest::newRow("overlong 3-byte") << QByteArray("ok \xE0\x80\xAF") << 3ull << 1ull << QStringLiteral("continuation byte 0x80");
        QTest::newRow("surrogate") << QByteArray("\n\xED\xA0\x80") << 1ull << 2ull << QStringLiteral("continuation byte 0xa0");
        QTest::newRow("above U+10FFFF") << QByteArray("\xF4\x90\x80\x80") << 0ull << 1ull << QStringLiteral("continuation byte 0x90");
        QTest::newRow("truncated at end") << QByteArray("abc\xE2\x82") << 3ull << 1ull << QStringLiteral("truncated");
        QTest::newRow("bad continuation") << QByteArray("\xC3(") << 0ull << 1ull << QStringLiteral("continuation byte 0x28");
    }

    void invalidBytesReportOffsetAndLine()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(qulonglong, offset);
        QFETCH(qulonglong, line);
        QFETCH(QString, what);
        const auto problem = utf8::validate(std::string_view(bytes.constData(), static_cast<std::size_t>(bytes.size())));
        QVERIFY(problem.has_value());
        QCOMPARE(static_cast<qulonglong>(problem->byteOffset), offset);
        QCOMPARE(static_cast<qulonglong>(problem->line), line);
        QVERIFY2(QString::fromStdString(problem->what).contains(what), problem->what.c_str());
    }

    void tokenizerRoundTrip()
    {
        const std::string text = "Caf\xC3\xA9 \xE2\x82\xAC 42!\n\xF0\x9F\x98\x80 zz";
        const auto cps = utf8::decode(text);
        const auto tok = CharTokenizer::fromCodePoints(cps);
        QCOMPARE(tok.vocabSize(), 12); // C a f é space € 4 2 ! \n 😀 z
        const auto ids = tok.encode(text);
        QCOMPARE(ids.size(), cps.size());
        QCOMPARE(tok.decode(ids), text);
        // The vocabulary is sorted by code point, so ids are stable.
        QCOMPARE(tok.vocabulary().front(), U'\n');
        // JSON round trip keeps the ids.
        const auto again = CharTokenizer::fromJson(tok.toJson());
        QCOMPARE(again.encode(text), ids);
    }

    void tokenizerRejectsUnknownCharacterWithOffset()
    {
        const auto tok = CharTokenizer::fromCodePoints(utf8::decode("abc"));
        try {
            tok.encode("ab\xC3\xA9");
            QFAIL("expected an InputError");
        } catch (const InputError& e) {
            const QString msg = QString::fromUtf8(e.what());
            QVERIFY2(msg.contains(QStringLiteral("U+00E9")) && msg.contains(QStringLiteral("byte offset 2")), e.what());
        }
        QVERIFY_THROWS_EXCEPTION(InputError, tok.encode("a\xFF"));
        QVERIFY_THROWS_EXCEPTION(InputError, CharTokenizer::fromJson("{\"kind\":\"bpe\"}"));
    }

    void splitsFortuneAndParagraphFormats()
    {
        const auto fortunes = splitDocuments("one\nline\n%\ntwo\n%\n\n%\nthree\n");
        QCOMPARE(fortunes.size(), std::size_t(3));
        QCOMPARE(fortunes[0], std::string("one\nline"));
        QCOMPARE(std::string(fortunes[2]), std::string("three"));
        const auto paragraphs = splitDocuments("\n\nfirst para\nstill first\n\n  \nsecond\n");
        QCOMPARE(paragraphs.size(), std::size_t(2));
        QCOMPARE(std::string(paragraphs[0]), std::string("first para\nstill first"));
        QCOMPARE(std::string(paragraphs[1]), std::string("second"));
    }

    void splitIsDeterministicAndSeeded()
    {
        const std::vector<std::int32_t> unlabeled(1000, -1);
        const std::array<double, 3> f{0.9, 0.05, 0.05};
        const auto a = assignSplits(unlabeled, f, 7);
        const auto b = assignSplits(unlabeled, f, 7);
        const auto c = assignSplits(unlabeled, f, 8);
        QCOMPARE(a, b);
        QVERIFY(a != c);
        QCOMPARE(std::count(a.begin(), a.end(), 0), 900);
        QCOMPARE(std::count(a.begin(), a.end(), 1), 50);
        QCOMPARE(std::count(a.begin(), a.end(), 2), 50);
        // Fixed values: the split must not change between versions, or runs
        // would be compared on different validation text.
        QCOMPARE(assignSplits(std::vector<std::int32_t>(10, -1), {0.6, 0.2, 0.2}, 1234),
                 (std::vector<std::uint8_t>{1, 0, 0, 1, 2, 0, 0, 2, 0, 0}));
        const auto two = assignSplits({-1, -1}, f, 1);
        QCOMPARE(std::count(two.begin(), two.end(), 1), 1); // validation never empty
        QCOMPARE(assignSplits({-1}, f, 1), std::vector<std::uint8_t>{0}); // one document: split by text instead
    }

    void splitIsStratifiedByLabel()
    {
        // 600 of label 0, 300 of label 1, 100 of label 2, interleaved.
        std::vector<std::int32_t> labels;
        for (int i = 0; i < 1000; ++i)
            labels.push_back(i % 10 < 6 ? 0 : i % 10 < 9 ? 1 : 2);
        const auto s = assignSplits(labels, {0.8, 0.1, 0.1}, 42);
        std::array<std::array<int, 3>, 3> n{};
        for (std::size_t i = 0; i < labels.size(); ++i)
            ++n[static_cast<std::size_t>(labels[i])][s[i]];
        // Every label keeps its share in every split, exactly.
        QCOMPARE(n[0], (std::array<int, 3>{480, 60, 60}));
        QCOMPARE(n[1], (std::array<int, 3>{240, 30, 30}));
        QCOMPARE(n[2], (std::array<int, 3>{80, 10, 10}));
        QCOMPARE(assignSplits(labels, {0.8, 0.1, 0.1}, 42), s);
    }
};

QTEST_GUILESS_MAIN(TestUtf8Tokenizer)
#include "test_utf8_tokenizer.moc"
