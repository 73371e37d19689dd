// SPDX-License-Identifier: GPL-3.0-or-later
#include "data/corpus_import.h"

#include "catalog/catalog.h"
#include "core/errors.h"
#include "core/names.h"
#include "core/sha256.h"
#include "core/files.h"
#include "data/byte_stream.h"
#include "store/corpus_store.h"
#include "store/corpus_sources.h"
#include "data/token_cache.h"
#include "data/tokenizer.h"
#include "data/utf8.h"

#include <fcntl.h>
#include <unistd.h>
#include <utf8proc.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <sstream>
#include <unordered_map>

namespace fs = std::filesystem;

namespace wb {


using namespace detail;

namespace {

struct DocIndexEntry {
    std::uint64_t offset;
    std::uint64_t length;
    std::int64_t label;
};
static_assert(sizeof(DocIndexEntry) == 24);

} // namespace

fs::path corpusSplitFile(Catalog& catalog, const CorpusRecord& corpus, const std::string& split)
{
    const std::string kind = "corpus_" + split;
    for (const auto& a : catalog.corpusArtifacts(corpus.id, kind))
        return catalog.artifactPath(a.path);
    if (split == "test")
        return {};
    throw RuntimeError("corpus '" + corpus.name + "' has no " + split + " split in " + catalog.artifactDir().string());
}

std::string readCorpusSplit(Catalog& catalog, const CorpusRecord& corpus, const std::string& split)
{
    for (const auto& a : catalog.corpusArtifacts(corpus.id, "corpus_" + split)) {
        std::string bytes = readFile(catalog.artifactPath(a.path));
        // Verified as read: a damaged split would train on garbage.
        if (a.sha256 && sha256Hex(bytes) != *a.sha256)
            throw InputError("the " + split + " split of corpus '" + corpus.name + "' is damaged (checksum mismatch): "
                             + catalog.artifactPath(a.path).string() + "; add the corpus again");
        return bytes;
    }
    const auto file = corpusSplitFile(catalog, corpus, split);
    return file.empty() ? std::string() : readFile(file);
}

std::vector<DocumentEntry> readDocumentIndex(Catalog& catalog, const CorpusRecord& corpus, const std::string& split)
{
    std::vector<DocumentEntry> out;
    for (const auto& a : catalog.corpusArtifacts(corpus.id, "doc_index_" + split)) {
        const std::string bytes = readFile(catalog.artifactPath(a.path));
        const std::size_t n = bytes.size() / sizeof(DocIndexEntry);
        out.resize(n);
        for (std::size_t i = 0; i < n; ++i) {
            DocIndexEntry e;
            std::memcpy(&e, bytes.data() + i * sizeof e, sizeof e);
            out[i] = {e.offset, e.length, e.label};
        }
    }
    return out;
}

namespace {

void checkImportOptions(Catalog& catalog, const CorpusImportOptions& options)
{
    checkName("corpus name", options.name);
    if (options.paths.empty())
        throw InputError("no files given for corpus '" + options.name + "'");
    parseSplit(std::to_string(options.split[0]) + "," + std::to_string(options.split[1]) + ","
               + std::to_string(options.split[2]));
    if (options.minChars < 0 || options.maxChars < 0 || (options.maxChars > 0 && options.maxChars < options.minChars))
        throw InputError("--min-chars and --max-chars must not be negative, and --max-chars (if set) not below --min-chars");
    if ((options.format == TextFormat::Jsonl || options.format == TextFormat::Csv || options.format == TextFormat::Tsv
         || options.format == TextFormat::Auto)
        && options.textField.empty())
        throw InputError("--text-field must not be empty");
    if (options.promptField.empty() != options.targetField.empty())
        throw InputError(std::string(options.promptField.empty() ? "--target-field" : "--prompt-field")
                         + " needs " + (options.promptField.empty() ? "--prompt-field" : "--target-field")
                         + " too: a pairs corpus names both fields");
    if (!options.promptField.empty()) {
        if (!options.labelField.empty() || options.labelFromFileName)
            throw InputError("--prompt-field and --target-field make a pairs corpus, which has no labels: drop --label-field");
        if (options.format != TextFormat::Jsonl && options.format != TextFormat::Csv && options.format != TextFormat::Tsv
            && options.format != TextFormat::Auto)
            throw InputError("--prompt-field and --target-field read JSONL, CSV or TSV records, not --format " + formatName(options.format));
    }
    if (catalog.corpusByName(options.name))
        throw InputError("a corpus named '" + options.name + "' already exists in the catalog");
}

// Stage 1, the spool (0-60% of the bar): reads, cleans and spools every
// document of every source file.
void spoolDocuments(Importer& im, const std::vector<SourceFile>& sources, const std::function<void(double)>& report)
{
    std::uintmax_t totalBytes = 0;
    std::vector<std::uintmax_t> sizes;
    for (const auto& f : sources) {
        std::error_code ec;
        const auto size = fs::file_size(f.path, ec);
        sizes.push_back(ec ? 0 : size);
        totalBytes += sizes.back();
    }
    std::uintmax_t done = 0;
    for (std::size_t i = 0; i < sources.size(); ++i) {
        const auto onRead = [&](std::uint64_t read) {
            const double fileDone = std::min<double>(static_cast<double>(read), static_cast<double>(sizes[i]));
            report(totalBytes ? 0.6 * (static_cast<double>(done) + fileDone) / static_cast<double>(totalBytes) : 0.0);
        };
        if (im.importFile(sources[i], onRead))
            im.m_bytes += static_cast<std::int64_t>(sizes[i]);
        done += sizes[i];
        report(totalBytes ? 0.6 * static_cast<double>(done) / static_cast<double>(totalBytes) : 0.0);
    }
    if (im.m_docs.empty()) {
        if (im.m_files.empty() && !im.m_skipped.empty())
            throw InputError("no text to import: all " + std::to_string(im.m_skipped.size())
                             + " files were skipped (first: " + im.m_skipped.at(0).at("path").get<std::string>() + ", "
                             + im.m_skipped.at(0).at("reason").get<std::string>() + ")");
        throw InputError("no documents left to import (" + std::to_string(im.m_tooShort) + " too short, "
                         + std::to_string(im.m_tooLong) + " too long, " + std::to_string(im.m_duplicates)
                         + " duplicates, " + std::to_string(im.m_badUtf8Count) + " with invalid UTF-8)");
    }
    std::fflush(im.m_spool);
}

// Labels numbered in sorted order; each document's label id (-1: none).
struct Labels {
    std::vector<std::string> names;
    std::vector<std::int32_t> ofDocument;
};

Labels numberLabels(const Importer& im)
{
    Labels l;
    l.names = im.m_labelNames;
    std::sort(l.names.begin(), l.names.end());
    std::vector<std::int32_t> renumber(im.m_labelNames.size());
    for (std::size_t i = 0; i < im.m_labelNames.size(); ++i)
        renumber[i] = static_cast<std::int32_t>(std::lower_bound(l.names.begin(), l.names.end(), im.m_labelNames[i]) - l.names.begin());
    if (!l.names.empty())
        for (const auto& d : im.m_docs)
            if (d.label < 0)
                throw InputError("some documents have a label and some do not; a labeled corpus needs one for each");
    l.ofDocument.resize(im.m_docs.size());
    for (std::size_t i = 0; i < im.m_docs.size(); ++i)
        l.ofDocument[i] = im.m_docs[i].label < 0 ? -1 : renumber[static_cast<std::size_t>(im.m_docs[i].label)];
    return l;
}

// Stage 2, the split writer (60-100%): each split's text (documents
// separated by a blank line), its document index and its character token
// cache, written together.
class SplitWriter {
public:
    struct Split {
        std::FILE* text = nullptr;
        std::FILE* index = nullptr;
        std::unique_ptr<TokenCacheWriter> cache;
        std::uint64_t bytes = 0;
        std::int64_t documents = 0;
        std::int64_t chars = 0;
        std::int64_t unk = 0;
    };

    SplitWriter(const fs::path& dir, const Tokenizer& tokenizer, std::size_t labels)
        : m_dir(dir), m_tokenizer(tokenizer), m_separator(tokenizer.encode("\n\n")), m_labelSplit(labels, {0, 0, 0})
    {
        for (int s = 0; s < 3; ++s) {
            auto& o = m_out[static_cast<std::size_t>(s)];
            o.cache = std::make_unique<TokenCacheWriter>(dir / ("tokens-char-" + std::string(kSplitNames[s]) + ".bin"),
                                                         tokenizer.vocabSize());
            o.text = std::fopen((dir / (std::string(kSplitNames[s]) + ".txt")).c_str(), "wb");
            o.index = std::fopen((dir / (std::string(kSplitNames[s]) + ".docs")).c_str(), "wb");
            if (!o.text || !o.index)
                fail();
        }
    }
    ~SplitWriter() { close(); }
    SplitWriter(const SplitWriter&) = delete;
    SplitWriter& operator=(const SplitWriter&) = delete;

    // Appends one document (or a piece of the only one) to split `s`.
    // `promptBytes` >= 0: a pair, whose prompt length the index keeps in the label's place.
    void write(int s, std::string_view text, std::int32_t label, std::int64_t chars, std::int64_t promptBytes = -1)
    {
        if (text.empty())
            return;
        auto& o = m_out[static_cast<std::size_t>(s)];
        if (o.documents > 0) {
            std::fputs("\n\n", o.text);
            o.bytes += 2;
            o.cache->append(m_separator);
        }
        // In pieces of about 1 MB cut between characters: ids of a huge
        // document never sit in memory at once.
        for (std::size_t pos = 0; pos < text.size();) {
            std::size_t end = std::min(text.size(), pos + (1u << 20));
            while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80)
                ++end;
            m_ids.clear();
            m_tokenizer.encode(text.substr(pos, end - pos), m_ids);
            o.cache->append(m_ids);
            o.unk += std::count(m_ids.begin(), m_ids.end(), m_tokenizer.unkId());
            pos = end;
        }
        DocIndexEntry e{o.bytes, text.size(), promptBytes >= 0 ? promptBytes : label};
        if (std::fwrite(text.data(), 1, text.size(), o.text) != text.size() || std::fwrite(&e, sizeof e, 1, o.index) != 1)
            fail();
        o.bytes += text.size();
        o.documents += 1;
        o.chars += chars;
        if (label >= 0)
            ++m_labelSplit[static_cast<std::size_t>(label)][static_cast<std::size_t>(s)];
    }

    // Flushes and syncs every file.
    void finish()
    {
        for (auto& o : m_out)
            if (std::fflush(o.text) != 0 || ::fsync(::fileno(o.text)) != 0 || std::fflush(o.index) != 0
                || ::fsync(::fileno(o.index)) != 0)
                fail();
        close();
    }

    // Renames the token caches into place (an empty test split has none),
    // before the folder itself is renamed.
    void finishCaches()
    {
        for (int s = 0; s < 3; ++s)
            if (m_out[static_cast<std::size_t>(s)].bytes > 0 || s != 2)
                m_out[static_cast<std::size_t>(s)].cache->finish();
    }

    const Split& split(int s) const { return m_out[static_cast<std::size_t>(s)]; }
    Split& split(int s) { return m_out[static_cast<std::size_t>(s)]; }
    const std::vector<std::array<std::int64_t, 3>>& labelSplit() const { return m_labelSplit; }

private:
    [[noreturn]] void fail() const { throw RuntimeError("cannot write in " + m_dir.string() + ": " + std::strerror(errno)); }
    void close()
    {
        for (auto& o : m_out) {
            if (o.text)
                std::fclose(o.text);
            if (o.index)
                std::fclose(o.index);
            o.text = o.index = nullptr;
        }
    }

    fs::path m_dir;
    const Tokenizer& m_tokenizer;
    std::vector<std::int32_t> m_separator;
    std::vector<std::int32_t> m_ids;
    std::array<Split, 3> m_out;
    std::vector<std::array<std::int64_t, 3>> m_labelSplit; // per label: documents in train, validation, test
};

// What the corpus view shows besides the splits: document lengths and characters.
struct TextStatistics {
    std::int64_t totalChars = 0;
    std::map<std::int64_t, std::int64_t> histogram; // floor(log2(chars)) -> documents
};

// Reads the spool back and writes every document to its split; a corpus of
// one document is cut at line breaks instead.
TextStatistics writeSplits(const Importer& im, const Labels& labels, const CorpusImportOptions& options, SplitWriter& writer,
                           const std::function<void(double)>& report)
{
    const auto splitOf = assignSplits(labels.ofDocument, options.split, options.seed);
    TextStatistics st;
    std::ifstream spool(im.m_spoolPath, std::ios::binary);
    std::string doc;
    const bool single = im.m_docs.size() == 1;
    for (std::size_t i = 0; i < im.m_docs.size(); ++i) {
        const auto& d = im.m_docs[i];
        doc.resize(d.length);
        spool.read(doc.data(), static_cast<std::streamsize>(d.length));
        if (!spool)
            throw RuntimeError("cannot read back " + im.m_spoolPath.string());
        st.totalChars += static_cast<std::int64_t>(d.chars);
        ++st.histogram[d.chars ? static_cast<std::int64_t>(std::log2(static_cast<double>(d.chars))) : 0];
        const std::int32_t label = labels.ofDocument[i];
        if (!single || d.promptBytes >= 0) {
            writer.write(splitOf[i], doc, label, static_cast<std::int64_t>(d.chars), d.promptBytes);
        } else {
            auto cutAt = [&](double f, std::size_t from) {
                std::size_t cut = static_cast<std::size_t>(static_cast<double>(doc.size()) * f);
                const std::size_t nl = cut > from ? doc.rfind('\n', cut - 1) : std::string::npos;
                if (nl != std::string::npos && nl > from && nl + 1 < doc.size())
                    cut = nl + 1;
                while (cut < doc.size() && (static_cast<unsigned char>(doc[cut]) & 0xC0) == 0x80)
                    ++cut; // never inside a UTF-8 sequence
                return std::max(cut, from);
            };
            const std::size_t a = cutAt(options.split[0], 0);
            const std::size_t b = options.split[2] > 0 ? cutAt(options.split[0] + options.split[1], a) : doc.size();
            const std::string_view all(doc);
            for (const auto& [s, piece] : {std::pair{0, all.substr(0, a)}, std::pair{1, all.substr(a, b - a)}, std::pair{2, all.substr(b)}})
                writer.write(s, piece, label, static_cast<std::int64_t>(utf8::length(piece)));
        }
        if (i % 4096 == 0)
            report(0.6 + 0.4 * static_cast<double>(i) / static_cast<double>(im.m_docs.size()));
    }
    writer.finish();
    if (writer.split(0).bytes == 0 || writer.split(1).bytes == 0)
        throw InputError("corpus '" + options.name + "' is too small to split into training and validation text");
    return st;
}

// Stage 3, statistics: splits, length histogram, most frequent characters,
// labels by split (the corpus view's JSON).
nlohmann::json corpusStatistics(const Importer& im, const SplitWriter& writer, const TextStatistics& st,
                                const std::vector<char32_t>& cps, const Labels& labels)
{
    nlohmann::json stats;
    for (int s = 0; s < 3; ++s) {
        const auto& o = writer.split(s);
        stats["splits"][kSplitNames[s]] = {{"documents", o.documents}, {"bytes", o.bytes}, {"chars", o.chars}};
    }
    nlohmann::json hist = nlohmann::json::array();
    for (const auto& [bin, count] : st.histogram)
        hist.push_back({{"min_chars", std::int64_t(1) << bin}, {"max_chars", (std::int64_t(1) << (bin + 1)) - 1}, {"documents", count}});
    stats["length_histogram"] = hist;
    std::vector<std::pair<std::uint64_t, char32_t>> top;
    for (char32_t c : cps)
        top.emplace_back(im.m_charCounts[c], c);
    const std::size_t shown = std::min<std::size_t>(40, top.size());
    std::partial_sort(top.begin(), top.begin() + static_cast<std::ptrdiff_t>(shown), top.end(),
                      [](const auto& a, const auto& b) { return a.first > b.first; });
    nlohmann::json topChars = nlohmann::json::array();
    for (std::size_t i = 0; i < shown; ++i) {
        std::string ch;
        utf8::append(ch, top[i].second);
        topChars.push_back({{"char", ch}, {"count", top[i].first}});
    }
    stats["top_chars"] = topChars;
    if (!labels.names.empty()) {
        nlohmann::json perSplit = nlohmann::json::object();
        for (std::size_t l = 0; l < labels.names.size(); ++l) {
            const auto& n = writer.labelSplit()[l];
            perSplit[labels.names[l]] = {{"train", n[0]}, {"validation", n[1]}, {"test", n[2]}};
        }
        stats["labels_by_split"] = perSplit;
    }
    return stats;
}

// What the prompt and target of a pairs corpus are called (empty: not one).
std::string promptField(const CorpusImportOptions& o)
{
    return o.format == TextFormat::Qa ? "question" : o.format == TextFormat::Docstrings ? "docstring" : o.promptField;
}
std::string targetField(const CorpusImportOptions& o)
{
    return o.format == TextFormat::Qa ? "answer" : o.format == TextFormat::Docstrings ? "function" : o.targetField;
}

// The corpus row: sizes, sources, the import report, labels, statistics.
CorpusRecord corpusRecord(const Importer& im, const CorpusImportOptions& options, const SplitWriter& writer,
                          const TextStatistics& st, const Labels& labels, nlohmann::json stats, std::int64_t vocabSize)
{
    CorpusRecord c;
    c.name = options.name;
    c.documents = static_cast<std::int64_t>(im.m_docs.size());
    c.bytes = im.m_bytes;
    c.chars = st.totalChars;
    c.trainChars = writer.split(0).chars;
    c.validationChars = writer.split(1).chars;
    c.testChars = writer.split(2).chars;
    c.splitSeed = static_cast<std::int64_t>(options.seed);
    c.vocabSize = vocabSize;
    std::ostringstream split;
    split << options.split[0] << "," << options.split[1] << "," << options.split[2];
    c.split = split.str();
    nlohmann::json src = nlohmann::json::array();
    for (const auto& f : im.m_files)
        src.push_back(fs::absolute(f).string());
    c.sources = src.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); // a file name that is not UTF-8
    c.report = nlohmann::json{{"duplicates_removed", im.m_duplicates},
                              {"skipped", im.m_skipped},
                              {"bad_utf8", im.m_badUtf8},
                              {"bad_utf8_count", im.m_badUtf8Count},
                              {"bad_records", im.m_badRecords},
                              {"bad_record_count", im.m_badRecordCount},
                              {"too_short", im.m_tooShort},
                              {"too_long", im.m_tooLong},
                              {"not_pairs", im.m_notPairs},
                              {"nfc_normalized", im.m_normalized},
                              {"options", {{"format", formatName(options.format)}, {"text_field", options.textField},
                                           {"label_field", options.labelField},
                                           {"prompt_field", promptField(options)}, {"target_field", targetField(options)},
                                           {"min_chars", options.minChars},
                                           {"max_chars", options.maxChars}, {"nfc", options.nfc}}}}
                   .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    nlohmann::json labelsJson = nlohmann::json::object();
    for (std::size_t l = 0; l < labels.names.size(); ++l) {
        const auto& n = writer.labelSplit()[l];
        labelsJson[labels.names[l]] = n[0] + n[1] + n[2];
    }
    c.labels = labelsJson.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    c.stats = stats.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return c;
}

// Stage 4, the commit: the corpus, its files, its character tokenizer and
// token caches in one transaction (every file is written and synced before).
CorpusRecord commitCorpus(Catalog& catalog, CorpusRecord c, const std::string& dirName, SplitWriter& writer,
                          const Tokenizer& tokenizer, const std::string& tokFile, std::int64_t tokBytes,
                          const std::function<void()>& intoPlace)
{
    std::vector<ArtifactRecord> artifacts;
    std::vector<TokenCacheRecord> caches;
    for (int s = 0; s < 3; ++s) {
        auto& o = writer.split(s);
        const std::string name = kSplitNames[s];
        if (o.bytes == 0 && s == 2) {
            std::error_code ec;
            fs::remove(catalog.artifactPath(dirName + "/test.txt"), ec);
            fs::remove(catalog.artifactPath(dirName + "/test.docs"), ec);
            continue;
        }
        artifacts.push_back({0, std::nullopt, std::nullopt, "corpus_" + name, dirName + "/" + name + ".txt",
                             static_cast<std::int64_t>(o.bytes), std::nullopt, std::nullopt});
        artifacts.push_back({0, std::nullopt, std::nullopt, "doc_index_" + name, dirName + "/" + name + ".docs",
                             o.documents * 24, std::nullopt, std::nullopt});
        TokenCacheRecord t;
        t.split = name;
        t.path = dirName + "/tokens-char-" + name + ".bin";
        t.tokens = o.cache->tokens();
        t.bytes = static_cast<std::int64_t>(o.bytes);
        t.chars = o.chars + 2 * (o.documents - 1); // the blank lines between documents
        t.unk = o.unk;
        caches.push_back(t);
    }
    catalog.transaction([&] {
        // The folder is renamed into place under the same write lock as its
        // rows: `lmwb check --repair` (which scans under that lock) never
        // sees its files without rows.
        intoPlace();
        c.id = catalog.addCorpus(c, artifacts);
        TokenizerRecord t;
        t.name = c.name + ":char";
        t.kind = "char";
        t.vocabSize = tokenizer.vocabSize();
        t.corpusId = c.id;
        t.config = R"({"kind":"char","corpus_default":true})";
        t.path = dirName + "/" + tokFile;
        t.bytes = tokBytes;
        if (auto old = catalog.tokenizerByName(t.name)) // left by a removed corpus of this name, used by runs
            t.name += "#" + std::to_string(c.id);
        const auto tokId = catalog.addTokenizer(t);
        catalog.setCorpusTokenizer(c.id, tokId);
        for (auto cache : caches) {
            cache.corpusId = c.id;
            cache.tokenizerId = tokId;
            catalog.addTokenCache(cache);
        }
    });
    return *catalog.corpusById(c.id);
}

} // namespace

CorpusRecord importCorpus(Catalog& catalog, const CorpusImportOptions& options, const ImportProgress& progress)
{
    checkImportOptions(catalog, options);
    const auto sources = expandPaths(options);
    // Artifacts go to a fresh folder; its name holds a random tag so that a
    // failed import never collides with a later one.
    std::random_device rd;
    const std::string dirName = "corpora/" + std::to_string(std::uint32_t(rd())) + "-" + std::to_string(::time(nullptr));
    const fs::path finalDir = catalog.artifactPath(dirName);
    // Written under a temporary name (core/files.h) and renamed when whole:
    // a killed import leaves a folder `lmwb check` knows as a temporary.
    const fs::path dir = temporaryPath(finalDir);
    fs::create_directories(dir);
    try {
        auto report = [&](double f) {
            if (progress && !progress(f))
                throw Cancelled();
        };
        Importer im(options, dir);
        spoolDocuments(im, sources, report);
        const Labels labels = numberLabels(im);
        // The character tokenizer: every character of the corpus, plus <unk>
        // for text from elsewhere; a line break always (it separates documents).
        std::vector<char32_t> cps;
        for (char32_t c = 0; c < 0x110000; ++c)
            if (im.m_charCounts[c] || c == '\n')
                cps.push_back(c);
        const auto tokenizer = makeCharTokenizer(cps);
        SplitWriter writer(dir, *tokenizer, labels.names.size());
        const TextStatistics st = writeSplits(im, labels, options, writer, report);
        CorpusRecord c = corpusRecord(im, options, writer, st, labels, corpusStatistics(im, writer, st, cps, labels),
                                      tokenizer->vocabSize());
        const std::string tokFile = "tokenizer" + tokenizer->fileExtension();
        const std::int64_t tokBytes = writeBytesAtomically(dir / tokFile, tokenizer->serialize());
        report(1.0);
        writer.finishCaches();
        im.dropSpool();
        if (writer.split(2).bytes == 0) { // no test split: its empty files go before the folder is renamed
            std::error_code ec;
            fs::remove(dir / "test.txt", ec);
            fs::remove(dir / "test.docs", ec);
        }
        return commitCorpus(catalog, std::move(c), dirName, writer, *tokenizer, tokFile, tokBytes,
                            [&] { fs::rename(dir, finalDir); });
    } catch (...) {
        std::error_code ec;
        fs::remove_all(dir, ec);
        fs::remove_all(finalDir, ec);
        throw;
    }
}

} // namespace wb
