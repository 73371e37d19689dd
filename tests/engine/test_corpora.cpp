// SPDX-License-Identifier: GPL-3.0-or-later
// Corpora and tokenizers (issue 3): labels, NFC, length filters, malformed
// records, big and bad files, gzip and manual pages, token caches, the five
// tokenizers and their round trips, system corpora, removal.
#include "catalog/catalog.h"
#include "core/errors.h"
#include "data/corpus_import.h"
#include "store/corpus_store.h"
#include "store/task_data.h"
#include "data/system_corpora.h"
#include "data/token_cache.h"
#include "data/tokenizer.h"
#include "data/utf8.h"

#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>
#include <unistd.h>
#include <zlib.h>

#include <fstream>
#include <numeric>

namespace fs = std::filesystem;
using namespace wb;

namespace {

QString errorOf(const std::function<void()>& fn)
{
    try {
        fn();
    } catch (const std::exception& e) {
        return QString::fromUtf8(e.what());
    }
    return {};
}

std::size_t filesUnder(const fs::path& dir)
{
    std::size_t n = 0;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator(); ++it)
        n += it->is_regular_file() ? 1 : 0;
    return n;
}

// Mixed text: ASCII, accents, CJK, an emoji, tabs, blank and indented lines.
const std::string kMixed = "Hello, world!\n  indented line\twith a tab\n\nCaf\xC3\xA9 na\xC3\xAFve \xE6\x97\xA5\xE6\x9C\xAC"
                           "\xE8\xAA\x9E \xF0\x9F\x99\x82 end\n";

} // namespace

class TestCorpora : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;

    fs::path write(const std::string& name, const std::string& bytes)
    {
        const fs::path p = fs::path(m_tmp.path().toStdString()) / name;
        fs::create_directories(p.parent_path());
        std::ofstream(p, std::ios::binary) << bytes;
        return p;
    }
    fs::path catalogFile(const char* name) { return fs::path(m_tmp.path().toStdString()) / name; }

    static nlohmann::json stats(const CorpusRecord& r) { return nlohmann::json::parse(r.stats); }
    static nlohmann::json report(const CorpusRecord& r) { return nlohmann::json::parse(r.report); }

private slots:
    void jsonlAndCsvLabelsAreStratified()
    {
        Catalog c(catalogFile("labels.sqlite"));
        std::string jsonl, csv = "text,label\n";
        for (int i = 0; i < 200; ++i) {
            const std::string label = i % 4 == 0 ? "spam" : "ham";
            jsonl += "{\"text\":\"message number " + std::to_string(i) + "\",\"label\":\"" + label + "\"}\n";
            csv += "\"row " + std::to_string(i) + ", quoted\"," + label + "\n";
        }
        CorpusImportOptions opt;
        opt.name = "sms";
        opt.paths = {write("sms.jsonl", jsonl)};
        opt.labelField = "label";
        opt.split = {0.8, 0.1, 0.1};
        const auto r = importCorpus(c, opt);
        const auto labels = nlohmann::json::parse(r.labels);
        QCOMPARE(labels["spam"].get<int>(), 50);
        QCOMPARE(labels["ham"].get<int>(), 150);
        const auto bySplit = stats(r)["labels_by_split"];
        QCOMPARE(bySplit["spam"]["validation"].get<int>(), 5);
        QCOMPARE(bySplit["spam"]["test"].get<int>(), 5);
        QCOMPARE(bySplit["ham"]["validation"].get<int>(), 15);
        QCOMPARE(bySplit["ham"]["train"].get<int>(), 120);
        // The document index holds each document's label.
        const auto index = readDocumentIndex(c, r, "validation");
        QCOMPARE(index.size(), std::size_t(20));
        const auto text = readCorpusSplit(c, r, "validation");
        for (const auto& d : index) {
            const auto doc = text.substr(d.offset, d.length);
            const int n = std::stoi(doc.substr(doc.rfind(' ') + 1));
            QCOMPARE(d.label, n % 4 == 0 ? 1 : 0); // labels sorted: ham 0, spam 1
        }

        opt.name = "sms-csv";
        opt.paths = {write("sms.csv", csv)};
        const auto rc = importCorpus(c, opt);
        QCOMPARE(nlohmann::json::parse(rc.labels)["spam"].get<int>(), 50);

        // A missing label field names file, line and field; nothing is added.
        opt.name = "broken";
        opt.paths = {write("nolabel.jsonl", "{\"text\":\"a\",\"label\":\"x\"}\n{\"text\":\"b\"}\n")};
        const QString e = errorOf([&] { importCorpus(c, opt); });
        QVERIFY2(e.contains(QStringLiteral("nolabel.jsonl: line 2: no label field 'label'")), qPrintable(e));
        opt.paths = {write("nolabel.csv", "text,label\na,x\nb,\n")};
        QVERIFY(errorOf([&] { importCorpus(c, opt); }).contains(QStringLiteral("line 3: the label column 'label' is empty")));
        QVERIFY(!c.corpusByName("broken"));
    }

    // Pairs corpora: JSONL/CSV with a prompt and a target field, fortune
    // Q:/A: blocks, Python functions with docstrings. The document keeps
    // prompt, line break, target; the index keeps the prompt's length.
    void pairsCorporaKeepPromptAndTarget()
    {
        Catalog c(catalogFile("pairs.sqlite"));
        std::string jsonl, csv = "question,answer\n";
        for (int i = 0; i < 40; ++i) {
            jsonl += nlohmann::json{{"q", "what is " + std::to_string(i) + " plus one?"}, {"a", std::to_string(i + 1)}}.dump() + "\n";
            csv += "\"q " + std::to_string(i) + ", quoted\"," + std::to_string(i * 2) + "\n";
        }
        CorpusImportOptions opt;
        opt.name = "sums";
        opt.paths = {write("sums.jsonl", jsonl)};
        opt.promptField = "q";
        opt.targetField = "a";
        const auto r = importCorpus(c, opt);
        QCOMPARE(r.documents, std::int64_t(40));
        QCOMPARE(corpusKind(r), std::string("pairs"));
        const auto text = readCorpusSplit(c, r, "train");
        for (const auto& d : readDocumentIndex(c, r, "train")) {
            const auto doc = text.substr(d.offset, d.length);
            const auto prompt = doc.substr(0, static_cast<std::size_t>(d.label));
            const auto target = doc.substr(static_cast<std::size_t>(d.label) + 1);
            const int n = std::stoi(prompt.substr(8));
            QCOMPARE(target, std::to_string(n + 1));
        }
        opt.name = "doubles";
        opt.paths = {write("doubles.csv", csv)};
        opt.promptField = "question";
        opt.targetField = "answer";
        QCOMPARE(importCorpus(c, opt).documents, std::int64_t(40));
        // One field without the other, a missing target, a label: named.
        opt.name = "bad";
        opt.targetField.clear();
        QVERIFY(errorOf([&] { importCorpus(c, opt); }).contains(QStringLiteral("--prompt-field needs --target-field")));
        opt.targetField = "answer";
        opt.paths = {write("notarget.jsonl", "{\"question\":\"a\",\"answer\":\"b\"}\n{\"question\":\"c\"}\n")};
        const QString e = errorOf([&] { importCorpus(c, opt); });
        QVERIFY2(e.contains(QStringLiteral("notarget.jsonl: line 2: no field 'answer'")), qPrintable(e));
        opt.labelField = "label";
        QVERIFY(errorOf([&] { importCorpus(c, opt); }).contains(QStringLiteral("has no labels")));
        QVERIFY(!c.corpusByName("bad"));

        // Fortune Q:/A: blocks, in either order, continuation lines joined.
        const auto qa = splitQa("TITLE LINE\nA:\tChicken Teriyaki.\nQ:\tWhat is the name of the world's\n\toldest kamikaze pilot?");
        QVERIFY(qa);
        QCOMPARE(qa->first, std::string("What is the name of the world's oldest kamikaze pilot?"));
        QCOMPARE(qa->second, std::string("Chicken Teriyaki."));
        QVERIFY(!splitQa("Knock, knock!\n\tWho's there?"));
        QVERIFY(!splitQa("Q: one\nQ: two\nA: three"));

        // Python: functions and methods with a docstring; the docstring as
        // inspect.cleandoc leaves it, the source dedented without it.
        const std::vector<std::string> py{"import os", "", "def add(a, b):", "    \"\"\"Add two numbers.", "",
                                          "    Returns their sum.", "    \"\"\"", "    return a + b", "",
                                          "class C:", "    def m(self,", "          x):", "        '''One line.'''",
                                          "        if x:", "            return 1", "", "        return 2", "",
                                          "def nodoc():", "    return 0", "def only():", "    \"\"\"Only a docstring.\"\"\""};
        const auto pairs = pythonDocstringPairs(py);
        QCOMPARE(pairs.size(), std::size_t(2));
        QCOMPARE(pairs[0].first, std::string("Add two numbers.\n\nReturns their sum."));
        QCOMPARE(pairs[0].second, std::string("def add(a, b):\n    return a + b"));
        QCOMPARE(pairs[1].first, std::string("One line."));
        QCOMPARE(pairs[1].second, std::string("def m(self,\n      x):\n    if x:\n        return 1\n\n    return 2"));
    }

    void labeledFolders()
    {
        Catalog c(catalogFile("folders.sqlite"));
        for (int i = 0; i < 12; ++i) {
            write("topics/sport/s" + std::to_string(i) + ".txt", "the match ended " + std::to_string(i) + " to nil\n");
            write("topics/weather/w" + std::to_string(i) + ".txt", "rain expected on day " + std::to_string(i) + "\n");
        }
        write("topics/weather/image.bin", std::string("\x89PNG\0\0data", 10));
        CorpusImportOptions opt;
        opt.name = "topics";
        opt.paths = {fs::path(m_tmp.path().toStdString()) / "topics"};
        opt.format = TextFormat::Folders;
        const auto r = importCorpus(c, opt);
        QCOMPARE(r.documents, 24);
        QCOMPARE(nlohmann::json::parse(r.labels), (nlohmann::json{{"sport", 12}, {"weather", 12}}));
        QCOMPARE(report(r)["skipped"].size(), std::size_t(1)); // the binary file, listed
        QVERIFY(errorOf([&] {
                    CorpusImportOptions o = opt;
                    o.name = "flat";
                    o.paths = {write("flat/a.txt", "x")};
                    o.paths[0] = o.paths[0].parent_path();
                    importCorpus(c, o);
                }).contains(QStringLiteral("no subfolders")));
    }

    void nfcAndLengthFilters()
    {
        Catalog c(catalogFile("clean.sqlite"));
        // "e" + COMBINING ACUTE ACCENT normalizes to U+00E9; the same word
        // precomposed is then an exact duplicate.
        const std::string decomposed = "cafe\xCC\x81 au lait";
        const std::string composed = "caf\xC3\xA9 au lait";
        std::string lines = decomposed + "\n" + composed + "\nok\nthis line is rather long for the limit\n";
        for (int i = 0; i < 10; ++i)
            lines += "line " + std::to_string(i) + " of the middle length\n";
        CorpusImportOptions opt;
        opt.name = "nfc";
        opt.paths = {write("nfc.txt", lines)};
        opt.format = TextFormat::Lines;
        opt.minChars = 3;
        opt.maxChars = 30;
        const auto r = importCorpus(c, opt);
        QCOMPARE(report(r)["duplicates_removed"].get<int>(), 1);
        QCOMPARE(report(r)["too_short"].get<int>(), 1);
        QCOMPARE(report(r)["too_long"].get<int>(), 1);
        QCOMPARE(report(r)["nfc_normalized"].get<int>(), 1);
        QCOMPARE(r.documents, 11);
        std::string all;
        for (const char* s : kSplitNames)
            all += readCorpusSplit(c, r, s);
        QVERIFY(all.find(composed) != std::string::npos);
        QVERIFY(all.find(decomposed) == std::string::npos);
        QCOMPARE(normalizeNfc("plain ascii"), std::string("plain ascii"));

        opt.name = "raw";
        opt.nfc = false;
        const auto raw = importCorpus(c, opt);
        QCOMPARE(raw.documents, 12); // not normalized: no longer duplicates
    }

    void malformedRecordsFailOrSkip()
    {
        Catalog c(catalogFile("records.sqlite"));
        const auto jsonl = write("mixed.jsonl", "{\"text\":\"one\"}\n{\"text\": oops}\n{\"text\":\"two\"}\n{\"body\":\"x\"}\n{\"text\":\"three\"}\n");
        CorpusImportOptions opt;
        opt.name = "j";
        opt.paths = {jsonl};
        const QString e = errorOf([&] { importCorpus(c, opt); });
        QVERIFY2(e.contains(QStringLiteral("mixed.jsonl: line 2: not valid JSON")), qPrintable(e));
        opt.onBadRecord = BadRecordPolicy::Skip;
        const auto r = importCorpus(c, opt);
        QCOMPARE(r.documents, 3);
        const auto bad = report(r)["bad_records"];
        QCOMPARE(bad.size(), std::size_t(2));
        QVERIFY(bad[1]["problem"].get<std::string>().find("line 4: no field 'text'") != std::string::npos);

        const auto csv = write("open.csv", "text\n\"never closed\nmore\n");
        opt.name = "q";
        opt.paths = {csv};
        QVERIFY(errorOf([&] { importCorpus(c, opt); }).contains(QStringLiteral("open.csv: line 2: quoted field is never closed")));
        QVERIFY_THROWS_EXCEPTION(InputError, parseBadRecordPolicy("ignore"));
    }

    void badFilesHaveClearMessagesAndLeaveNothing()
    {
        Catalog c(catalogFile("bad.sqlite"));
        CorpusImportOptions opt;
        opt.name = "bad";
        opt.paths = {write("empty.txt", "")};
        QVERIFY(errorOf([&] { importCorpus(c, opt); }).contains(QStringLiteral("empty.txt is empty")));
        opt.paths = {fs::path(m_tmp.path().toStdString()) / "missing.txt"};
        QVERIFY(errorOf([&] { importCorpus(c, opt); }).contains(QStringLiteral("no such file")));
        opt.paths = {write("bin.dat", std::string("ab\0cd", 5))};
        QVERIFY(errorOf([&] { importCorpus(c, opt); }).contains(QStringLiteral("is a binary file (NUL byte at offset 2)")));
        // An unreadable file (permissions do not bind root, so only as a user).
        if (::geteuid() != 0) {
            const auto locked = write("locked.txt", "secret\n");
            fs::permissions(locked, fs::perms::none);
            opt.paths = {locked};
            QVERIFY(errorOf([&] { importCorpus(c, opt); }).contains(QStringLiteral("cannot read")));
        }
        // A vocabulary larger than the data allows.
        opt.paths = {write("few.txt", "a b c\n\nd e f\n\ng h i\n")};
        opt.name = "few";
        importCorpus(c, opt);
        TokenizerTrainOptions t;
        t.kind = "word";
        t.vocabSize = 100;
        const QString v = errorOf([&] { trainCorpusTokenizer(c, "few-word", "few", t); });
        QVERIFY2(v.contains(QStringLiteral("larger than this text allows")), qPrintable(v));
        t.kind = "bpe";
        t.vocabSize = 5000;
        const QString b = errorOf([&] { trainCorpusTokenizer(c, "few-bpe", "few", t); });
        QVERIFY2(b.contains(QStringLiteral("larger than this text allows")), qPrintable(b));
        QVERIFY(!c.tokenizerByName("few-word") && !c.tokenizerByName("few-bpe"));
        // A corpus name that exists.
        QVERIFY(errorOf([&] { importCorpus(c, opt); }).contains(QStringLiteral("already exists")));
        QCOMPARE(c.corpora().size(), std::size_t(1));
        QVERIFY(c.checkIntegrity().empty());
    }

    void hugeLineWithoutNewlineStreamsAndCancels()
    {
        // 40 MB in one line: one document, split by text; a cancel during the
        // read leaves nothing behind.
        const fs::path big = fs::path(m_tmp.path().toStdString()) / "oneline.txt";
        {
            std::ofstream out(big, std::ios::binary);
            std::string block;
            for (int i = 0; i < 1000; ++i)
                block += "word" + std::to_string(i % 97) + " ";
            while (out.tellp() < 40'000'000)
                out << block;
        }
        Catalog c(catalogFile("big.sqlite"));
        CorpusImportOptions opt;
        opt.name = "big";
        opt.paths = {big};
        opt.format = TextFormat::Lines;
        std::vector<double> seen;
        QVERIFY_THROWS_EXCEPTION(Cancelled, importCorpus(c, opt, [&](double f) {
            seen.push_back(f);
            return f < 0.3;
        }));
        QVERIFY(seen.size() > 5); // progress arrives while the one line is read
        QVERIFY(!c.corpusByName("big"));
        QCOMPARE(filesUnder(c.artifactDir()), std::size_t(0));
        const auto r = importCorpus(c, opt);
        QCOMPARE(r.documents, 1);
        const auto s = stats(r)["splits"];
        QVERIFY(s["validation"]["chars"].get<std::int64_t>() > 1'000'000);
        QVERIFY(s["test"]["chars"].get<std::int64_t>() > 1'000'000);
        QCOMPARE(s["train"]["chars"].get<std::int64_t>() + s["validation"]["chars"].get<std::int64_t>()
                     + s["test"]["chars"].get<std::int64_t>(),
                 r.chars);
        opt.name = "big2";
        opt.maxChars = 1000;
        QVERIFY(errorOf([&] { importCorpus(c, opt); }).contains(QStringLiteral("1 too long")));
    }

    void gzipAndManualPages()
    {
        const std::string roff = ".TH LS 1\n.SH NAME\nls \\- list directory contents\n.SH SYNOPSIS\n.B ls\n"
                                 "[\\fIOPTION\\fR]... [\\fIFILE\\fR]...\n.\\\" a comment\n.PP\nList information about the "
                                 "FILEs \\(em the current directory by default.\n.BR dir (1)\n";
        const std::string text = roffToText(roff);
        QVERIFY2(text.find("ls - list directory contents") != std::string::npos, text.c_str());
        QVERIFY(text.find("[OPTION]... [FILE]...") != std::string::npos);
        QVERIFY(text.find("FILEs \u2014 the current") != std::string::npos);
        QVERIFY(text.find("dir(1)") != std::string::npos);
        QVERIFY(text.find("comment") == std::string::npos && text.find(".TH") == std::string::npos);

        const fs::path gz = fs::path(m_tmp.path().toStdString()) / "man/man1/ls.1.gz";
        fs::create_directories(gz.parent_path());
        gzFile f = gzopen(gz.c_str(), "wb");
        gzwrite(f, roff.data(), static_cast<unsigned>(roff.size()));
        gzclose(f);
        fs::copy_file(gz, gz.parent_path() / "dir.1.gz");
        {
            // A truncated gzip file: unreadable, so skipped and listed.
            std::ifstream in(gz, std::ios::binary);
            std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
            write("man/man1/cp.1.gz", bytes.substr(0, bytes.size() / 2));
        }
        Catalog c(catalogFile("man.sqlite"));
        CorpusImportOptions opt;
        opt.name = "man";
        opt.paths = {gz.parent_path().parent_path()};
        opt.format = TextFormat::Man;
        opt.include = {"man[1-8]/*"};
        const auto r = importCorpus(c, opt);
        QCOMPARE(report(r)["duplicates_removed"].get<int>(), 1);
        QCOMPARE(report(r)["skipped"].size(), std::size_t(1)); // the broken .gz, listed with its reason
        QVERIFY(readCorpusSplit(c, r, "train").find("list directory contents") != std::string::npos);
    }

    void tokenizersRoundTrip()
    {
        const std::string text = kMixed + "second line\n\n  \n";
        auto feed = [&](const std::function<void(std::string_view)>& sink) {
            for (int i = 0; i < 200; ++i)
                sink("the quick brown fox jumps over the lazy dog " + std::to_string(i) + "\n" + kMixed);
        };
        for (const char* kind : {"char", "byte", "bpe", "unigram"}) {
            TokenizerTrainOptions o;
            o.kind = kind;
            o.vocabSize = std::string(kind) == "bpe" ? 400 : std::string(kind) == "unigram" ? 330 : 0;
            const auto t = trainTokenizer(o, feed);
            const auto ids = t->encode(text);
            QVERIFY(!ids.empty());
            QCOMPARE(t->decode(ids), text);
            // Text the tokenizer never saw: byte fallback (or <unk> for char).
            const std::string unseen = "\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82 \xE2\x88\x80x\n";
            if (std::string(kind) != "char")
                QCOMPARE(t->decode(t->encode(unseen)), unseen);
            // Serialized and loaded again, it encodes the same.
            const auto again = loadTokenizer(t->serialize(), kind);
            QCOMPARE(again->encode(text), ids);
            QCOMPARE(again->vocabSize(), t->vocabSize());
            for (auto id : ids)
                QVERIFY(id >= 0 && id < t->vocabSize());
        }
        TokenizerTrainOptions w;
        w.kind = "word";
        w.lowercase = true;
        w.minFrequency = 2;
        const auto word = trainTokenizer(w, feed);
        const auto ids = word->encode("The QUICK fox zebra\n");
        QCOMPARE(word->decode(ids), std::string("the quick fox <unk>\n"));
        QCOMPARE(std::count(ids.begin(), ids.end(), word->unkId()), 1);
        QCOMPARE(loadTokenizer(word->serialize())->encode("the fox"), word->encode("the fox"));
        QVERIFY_THROWS_EXCEPTION(InputError, [&] {
            TokenizerTrainOptions o;
            o.kind = "wordpiece";
            trainTokenizer(o, feed);
        }());
    }

    void tokenCachesMatchEncodingAndAreShared()
    {
        Catalog c(catalogFile("caches.sqlite"));
        CorpusImportOptions opt;
        opt.name = "small";
        opt.paths = {LMWB_TEST_DATA "/small.txt"};
        const auto r = importCorpus(c, opt);
        const auto tokRec = corpusTokenizer(c, r);
        QCOMPARE(tokRec.name, std::string("small:char"));
        const auto tok = openTokenizer(c, tokRec);
        for (const auto& cache : c.tokenCaches(r.id, tokRec.id)) {
            QCOMPARE(cache.unk, 0); // every character of the corpus, the document separator included
            const TokenCache mapped(c.artifactPath(cache.path));
            const auto expected = tok->encode(readCorpusSplit(c, r, cache.split));
            QCOMPARE(mapped.size(), static_cast<std::int64_t>(expected.size()));
            QCOMPARE(mapped.slice(0, mapped.size()), expected);
            std::vector<std::int64_t> window(5);
            mapped.copy(3, 5, window.data());
            QCOMPARE(window[0], static_cast<std::int64_t>(expected[3]));
        }
        // A tokenizer trained on one corpus encodes another (shared by a
        // teacher and a student): caches are made once, on demand.
        opt.name = "other";
        opt.paths = {write("other.txt", kMixed + "\n\nmore text here\n\nand a third block\n")};
        const auto other = importCorpus(c, opt);
        TokenizerTrainOptions o;
        o.kind = "bpe";
        o.vocabSize = 400;
        const auto bpe = trainCorpusTokenizer(c, "small-bpe", "small", o);
        QCOMPARE(c.tokenCaches(other.id, bpe.record.id).size(), std::size_t(0));
        const auto made = ensureTokenCaches(c, other, bpe.record, *openTokenizer(c, bpe.record));
        QCOMPARE(made.size(), std::size_t(3));
        QCOMPARE(ensureTokenCaches(c, other, bpe.record, *openTokenizer(c, bpe.record)).size(), std::size_t(3));
        const auto summary = nlohmann::json::parse(tokenizerSummaryJson(c, bpe.record, r.id));
        for (const char* key : {"name", "kind", "vocab_size", "bytes_per_token", "unk_rate", "tokens"})
            QVERIFY2(summary.contains(key), key);
        QVERIFY(summary["bytes_per_token"].get<double>() > 1.5);
        QCOMPARE(summary["unk_rate"].get<double>(), 0.0);
        QVERIFY_THROWS_EXCEPTION(InputError, checkTokenizerName("has/slash")); // names are never paths (core/names.h)
        QVERIFY(c.checkIntegrity().empty());
    }

    void removeCorpus()
    {
        Catalog c(catalogFile("remove.sqlite"));
        CorpusImportOptions opt;
        opt.name = "gone";
        opt.paths = {LMWB_TEST_DATA "/small.txt"};
        importCorpus(c, opt);
        QVERIFY(filesUnder(c.artifactDir()) > 0);
        for (const auto& f : c.removeCorpus("gone"))
            fs::remove(c.artifactPath(f));
        QVERIFY(!c.corpusByName("gone"));
        QVERIFY(!c.tokenizerByName("gone:char"));
        QCOMPARE(filesUnder(c.artifactDir()), std::size_t(0));
        QVERIFY(c.checkIntegrity().empty());
        QVERIFY(errorOf([&] { c.removeCorpus("gone"); }).contains(QStringLiteral("no corpus named 'gone'")));
        importCorpus(c, opt); // the name is free again
    }

    void systemCorporaAreFound()
    {
        const auto all = systemCorpora();
        std::vector<std::string> names;
        for (const auto& s : all)
            names.push_back(s.name);
        qDebug() << "system corpora:" << QString::fromStdString(std::accumulate(names.begin(), names.end(), std::string(),
                                                                                 [](auto a, auto b) { return a + " " + b; }));
        // The set-up installs fortunes and Python; every Debian has headers
        // and manual pages when they are installed.
        QVERIFY(std::find(names.begin(), names.end(), "fortunes") != names.end());
        QVERIFY(std::find(names.begin(), names.end(), "python-stdlib") != names.end());
        auto topics = systemCorpus("fortunes-topics");
        Catalog c(catalogFile("system.sqlite"));
        const auto r = importCorpus(c, topics.options.name.empty() ? [&] { topics.options.name = topics.name; return topics.options; }() : topics.options);
        const auto labels = nlohmann::json::parse(r.labels);
        QVERIFY2(labels.size() >= 10, r.labels.c_str());
        QVERIFY(errorOf([] { systemCorpus("nope"); }).contains(QStringLiteral("found:")));
        // The pairs corpora of the fortunes and of the Python library.
        for (const char* name : {"fortunes-qa", "python-docstrings"}) {
            auto s = systemCorpus(name);
            s.options.name = s.name;
            const auto p = importCorpus(c, s.options);
            QCOMPARE(corpusKind(p), std::string("pairs"));
            QVERIFY2(p.documents >= 100, name);
        }
    }
};

QTEST_GUILESS_MAIN(TestCorpora)
#include "test_corpora.moc"
