// SPDX-License-Identifier: GPL-3.0-or-later
// CSV/TSV (RFC 4180) and JSON Lines readers, and importing corpora in every
// text format, with the line numbers of bad records.
#include "catalog/catalog.h"
#include "store/corpus_store.h"
#include "core/errors.h"
#include "data/corpus_import.h"
#include "data/glob.h"
#include "data/record_readers.h"
#include "data/utf8.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>
#include <sstream>

using namespace wb;
namespace fs = std::filesystem;

namespace {

std::vector<std::vector<std::string>> readCsv(const std::string& text, char delimiter = ',')
{
    std::istringstream in(text);
    CsvReader reader(in, delimiter, "t.csv");
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> row;
    while (reader.next(row))
        rows.push_back(row);
    return rows;
}

QString errorOf(const std::function<void()>& fn)
{
    try {
        fn();
    } catch (const InputError& e) {
        return QString::fromUtf8(e.what());
    }
    return {};
}

} // namespace

// Every split's text of a corpus, joined.
std::string allText(Catalog& c, const std::string& name)
{
    const auto rec = c.corpusByName(name);
    std::string all;
    for (const char* s : {"train", "validation", "test"})
        all += readCorpusSplit(c, *rec, s) + "\n";
    return all;
}

class TestRecordReaders : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_tmp;

    fs::path write(const char* name, const std::string& bytes)
    {
        const fs::path p = fs::path(m_tmp.path().toStdString()) / name;
        std::ofstream(p, std::ios::binary) << bytes;
        return p;
    }

private slots:
    void csvFollowsRfc4180()
    {
        const auto rows = readCsv("text,label\r\n\"a, quoted\"\"field\"\"\",x\r\nplain,\"multi\nline\"\nlast,");
        QCOMPARE(rows.size(), std::size_t(4));
        QCOMPARE(rows[0], (std::vector<std::string>{"text", "label"}));
        QCOMPARE(rows[1], (std::vector<std::string>{"a, quoted\"field\"", "x"}));
        QCOMPARE(rows[2], (std::vector<std::string>{"plain", "multi\nline"}));
        QCOMPARE(rows[3], (std::vector<std::string>{"last", ""}));
        QCOMPARE(readCsv("a\tb\n1\t2\n", '\t').at(1), (std::vector<std::string>{"1", "2"}));
        QCOMPARE(readCsv("").size(), std::size_t(0));
    }

    void csvErrorsNameTheLine()
    {
        QVERIFY2(errorOf([] { readCsv("text\nok\n\"never\nclosed\n"); }).contains(QStringLiteral("t.csv: line 3: quoted field is never closed")),
                 qPrintable(errorOf([] { readCsv("text\nok\n\"never\nclosed\n"); })));
        QVERIFY(errorOf([] { readCsv("text\nab\"c\n"); }).contains(QStringLiteral("line 2: a double quote inside an unquoted field")));
        QVERIFY(errorOf([] { readCsv("text\n\"ab\"c\n"); }).contains(QStringLiteral("line 2: text after the closing quote")));
    }

    void jsonlReadsFieldsAndNamesBadLines()
    {
        std::istringstream in("{\"text\":\"one\",\"label\":\"a\"}\n\n{\"text\":\"two\",\"label\":3}\r\n");
        JsonlReader reader(in, "d.jsonl");
        JsonlReader::Record r;
        QVERIFY(reader.next(r, "text", "label"));
        QCOMPARE(r.text, std::string("one"));
        QCOMPARE(r.label.value_or(""), std::string("a"));
        QVERIFY(reader.next(r, "text", "label"));
        QCOMPARE(r.line, std::size_t(3));
        QCOMPARE(r.label.value_or(""), std::string("3"));
        QVERIFY(!reader.next(r, "text", "label"));

        auto err = [](const std::string& data, const std::string& label = {}) {
            return errorOf([&] {
                std::istringstream s(data);
                JsonlReader rd(s, "d.jsonl");
                JsonlReader::Record rec;
                while (rd.next(rec, "text", label)) {
                }
            });
        };
        QVERIFY(err("{\"text\":\"ok\"}\n{\"text\": oops}\n").contains(QStringLiteral("d.jsonl: line 2: not valid JSON")));
        QVERIFY(err("{\"body\":\"x\"}\n").contains(QStringLiteral("line 1: no field 'text'")));
        QVERIFY(err("{\"text\":5}\n").contains(QStringLiteral("field 'text' is not a string")));
        QVERIFY(err("[1,2]\n").contains(QStringLiteral("expected a JSON object")));
        QVERIFY(err("{\"text\":\"x\"}\n", "label").contains(QStringLiteral("no label field 'label'")));
    }

    void importsEveryFormat()
    {
        Catalog c(fs::path(m_tmp.path().toStdString()) / "formats.sqlite");
        auto import = [&](const char* name, const fs::path& file, TextFormat format, const std::string& field = "text") {
            CorpusImportOptions opt;
            opt.name = name;
            opt.paths = {file};
            opt.format = format;
            opt.textField = field;
            return importCorpus(c, opt);
        };
        QCOMPARE(import("lines", write("l.txt", "first\n\n  \nsecond\r\nthird"), TextFormat::Lines).documents, 3);
        QCOMPARE(import("text", write("t.txt", "one\n\ntwo\n"), TextFormat::Text).trainChars > 0, true);
        QCOMPARE(import("jsonl", write("j.jsonl", "{\"text\":\"a b\"}\n{\"text\":\"c\"}\n{\"text\":\"d\"}\n"),
                        TextFormat::Auto).documents, 3);
        QCOMPARE(import("csv", write("c.csv", "id,body\n1,\"x, y\"\n2,z\n3,w\n"), TextFormat::Auto, "body").documents, 3);
        QCOMPARE(import("tsv", write("c.tsv", "text\tlabel\nx\t1\ny\t2\n"), TextFormat::Auto).documents, 2);

        QVERIFY(allText(c, "csv").find("x, y") != std::string::npos);

        // Bad records name file and line, and nothing is added.
        const QString ragged = errorOf([&] { import("bad", write("r.csv", "text,label\na,1\nb\n"), TextFormat::Csv); });
        QVERIFY2(ragged.contains(QStringLiteral("r.csv: line 3: 1 fields where the header has 2")), qPrintable(ragged));
        const QString column = errorOf([&] { import("bad", write("n.csv", "body\nx\n"), TextFormat::Csv); });
        QVERIFY2(column.contains(QStringLiteral("no column 'text'")), qPrintable(column));
        const QString json = errorOf([&] { import("bad", write("b.jsonl", "{\"text\":\"a\"}\n{\"text\":\n"), TextFormat::Jsonl); });
        QVERIFY2(json.contains(QStringLiteral("b.jsonl: line 2")), qPrintable(json));
        QVERIFY(!c.corpusByName("bad"));
        QVERIFY_THROWS_EXCEPTION(InputError, parseTextFormat("xml"));
        QVERIFY(parseTextFormat("tsv") == TextFormat::Tsv);
    }

    void globs_data()
    {
        QTest::addColumn<QString>("pattern");
        QTest::addColumn<QString>("path");
        QTest::addColumn<bool>("matches");
        QTest::newRow("**/*.py top") << QStringLiteral("**/*.py") << QStringLiteral("a.py") << true;
        QTest::newRow("**/*.py deep") << QStringLiteral("**/*.py") << QStringLiteral("src/pkg/a.py") << true;
        QTest::newRow("**/*.py other") << QStringLiteral("**/*.py") << QStringLiteral("src/a.pyc") << false;
        QTest::newRow("* stays in segment") << QStringLiteral("*.py") << QStringLiteral("src/a.py") << false;
        QTest::newRow("* top") << QStringLiteral("*.txt") << QStringLiteral("notes.txt") << true;
        QTest::newRow("dir/**") << QStringLiteral("tests/**") << QStringLiteral("tests/a/b.c") << true;
        QTest::newRow("middle **") << QStringLiteral("a/**/z.h") << QStringLiteral("a/z.h") << true;
        QTest::newRow("middle ** deep") << QStringLiteral("a/**/z.h") << QStringLiteral("a/b/c/z.h") << true;
        QTest::newRow("?") << QStringLiteral("?.c") << QStringLiteral("x.c") << true;
        QTest::newRow("? not slash") << QStringLiteral("a?b") << QStringLiteral("a/b") << false;
        QTest::newRow("class") << QStringLiteral("[a-c]*.h") << QStringLiteral("b1.h") << true;
        QTest::newRow("negated class") << QStringLiteral("[!a-c]*.h") << QStringLiteral("b1.h") << false;
    }

    void globs()
    {
        QFETCH(QString, pattern);
        QFETCH(QString, path);
        QFETCH(bool, matches);
        QCOMPARE(globMatch(pattern.toStdString(), path.toStdString()), matches);
    }

    void folderImportsFilterSkipBinariesAndDeduplicate()
    {
        const fs::path root = fs::path(m_tmp.path().toStdString()) / "tree";
        fs::create_directories(root / "pkg");
        std::ofstream(root / "a.py") << "print(1)\n\nx = 2\n";
        std::ofstream(root / "pkg" / "b.py") << "def f():\n    return 3\n\nprint(1)\n";
        std::ofstream(root / "notes.txt") << "notes\n";
        std::ofstream(root / "pkg" / "blob.bin", std::ios::binary) << std::string("ab\0cd", 5);
        fs::create_symlink(root / "a.py", root / "link.py");

        Catalog c(fs::path(m_tmp.path().toStdString()) / "tree.sqlite");
        CorpusImportOptions opt;
        opt.name = "py";
        opt.paths = {root};
        opt.include = {"**/*.py"};
        const auto py = importCorpus(c, opt);
        QCOMPARE(py.documents, 3); // print(1) appears twice; the symlink is the same file
        const auto report = QJsonDocument::fromJson(QByteArray::fromStdString(py.report)).object();
        QCOMPARE(report[QStringLiteral("duplicates_removed")].toInt(), 1);
        QCOMPARE(report[QStringLiteral("skipped")].toArray().size(), 0);

        opt.name = "all";
        opt.include.clear();
        opt.exclude = {"*.txt"};
        const auto all = importCorpus(c, opt);
        const auto skipped = QJsonDocument::fromJson(QByteArray::fromStdString(all.report)).object()[QStringLiteral("skipped")].toArray();
        QCOMPARE(skipped.size(), 1);
        QVERIFY(skipped[0].toObject()[QStringLiteral("path")].toString().endsWith(QStringLiteral("blob.bin")));
        QVERIFY(skipped[0].toObject()[QStringLiteral("reason")].toString().contains(QStringLiteral("NUL byte at offset 2")));

        // Named explicitly, a binary file is an error; globs that match
        // nothing are one too.
        opt.name = "bin";
        opt.paths = {root / "pkg" / "blob.bin"};
        QVERIFY(errorOf([&] { importCorpus(c, opt); }).contains(QStringLiteral("is a binary file (NUL byte at offset 2)")));
        opt.paths = {root};
        opt.include = {"**/*.rs"};
        QVERIFY(errorOf([&] { importCorpus(c, opt); }).contains(QStringLiteral("no files that match")));
    }

    void replacesMaximalIllFormedSubsequences()
    {
        std::size_t n = 0;
        // E2 82 is a truncated 3-byte sequence: one U+FFFD, not two.
        QCOMPARE(utf8::replaceInvalid("a\xE2\x82(b\xFF\xFEz", n), std::string("a\xEF\xBF\xBD(b\xEF\xBF\xBD\xEF\xBF\xBDz"));
        QCOMPARE(n, std::size_t(3));
        QCOMPARE(utf8::replaceInvalid("fine \xC3\xA9", n), std::string("fine \xC3\xA9"));
        QCOMPARE(n, std::size_t(0));
        QCOMPARE(utf8::replaceInvalid("end\xF0\x9F\x98", n), std::string("end\xEF\xBF\xBD"));
    }

    void badUtf8Policies()
    {
        Catalog c(fs::path(m_tmp.path().toStdString()) / "policies.sqlite");
        const auto blocks = write("bad.txt", "good one\n\nbad \xFF here\n\ngood two\n\ngood three\n");
        const auto jsonl = write("bad.jsonl", "{\"text\":\"a\"}\n{\"text\":\"b \xC3(\"}\n{\"text\":\"c\"}\n");
        const auto csv = write("bad.csv", "text\nfirst\n\"sec\xFFond\"\nthird\n");
        auto import = [&](const char* name, const fs::path& f, BadUtf8Policy p) {
            CorpusImportOptions opt;
            opt.name = name;
            opt.paths = {f};
            opt.onBadUtf8 = p;
            return importCorpus(c, opt);
        };
        QVERIFY(errorOf([&] { import("x", blocks, BadUtf8Policy::Fail); }).contains(QStringLiteral("bad.txt: invalid UTF-8 at byte offset 14 (line 3)")));

        auto badList = [](const CorpusRecord& r) {
            return QJsonDocument::fromJson(QByteArray::fromStdString(r.report)).object()[QStringLiteral("bad_utf8")].toArray();
        };
        const auto skipped = import("skip", blocks, BadUtf8Policy::Skip);
        QCOMPARE(skipped.documents, 3);
        QCOMPARE(badList(skipped).size(), 1);
        QCOMPARE(badList(skipped)[0].toObject()[QStringLiteral("line")].toInt(), 3);
        QCOMPARE(badList(skipped)[0].toObject()[QStringLiteral("byte_offset")].toInt(), 14);

        const auto replaced = import("replace", blocks, BadUtf8Policy::Replace);
        QCOMPARE(replaced.documents, 4);
        QVERIFY(allText(c, "replace").find("bad \xEF\xBF\xBD here") != std::string::npos);
        QVERIFY(badList(replaced)[0].toObject()[QStringLiteral("action")].toString().contains(QStringLiteral("replaced 1")));

        const auto j = import("jsonl", jsonl, BadUtf8Policy::Skip);
        QCOMPARE(j.documents, 2);
        QCOMPARE(badList(j)[0].toObject()[QStringLiteral("line")].toInt(), 2);
        const auto k = import("csv", csv, BadUtf8Policy::Skip);
        QCOMPARE(k.documents, 2);
        QCOMPARE(badList(k)[0].toObject()[QStringLiteral("line")].toInt(), 3);
        QVERIFY_THROWS_EXCEPTION(InputError, parseBadUtf8Policy("ignore"));
    }

    void tinyFilesStayIntactAcrossManyFiles()
    {
        // Many files under 16 bytes: their documents must survive the
        // container that holds the file texts growing.
        Catalog c(fs::path(m_tmp.path().toStdString()) / "tiny.sqlite");
        CorpusImportOptions opt;
        opt.name = "tiny";
        std::string expected;
        for (int i = 0; i < 40; ++i) {
            const std::string text = "doc " + std::to_string(i);
            opt.paths.push_back(write(("f" + std::to_string(i) + ".txt").c_str(), text));
            expected += text;
        }
        const auto rec = importCorpus(c, opt);
        QCOMPARE(rec.documents, 40);
        const std::string text = allText(c, "tiny") + "\n";
        for (int i = 0; i < 40; ++i)
            QVERIFY(text.find("doc " + std::to_string(i) + "\n") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestRecordReaders)
#include "test_record_readers.moc"
