// SPDX-License-Identifier: GPL-3.0-or-later
#include "data/corpus_import.h"

#include "catalog/catalog.h"
#include "core/errors.h"
#include "core/files.h"
#include "data/char_tokenizer.h"
#include "data/glob.h"
#include "data/record_readers.h"
#include "data/utf8.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <deque>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <unordered_set>
#include <sstream>

namespace fs = std::filesystem;

namespace wb {

namespace {

struct SourceFile {
    fs::path path;
    bool fromFolder = false; // found by walking a folder (binary files are then skipped)
};

std::vector<SourceFile> expandPaths(const CorpusImportOptions& options)
{
    std::vector<SourceFile> files;
    for (const auto& p : options.paths) {
        std::error_code ec;
        const auto st = fs::status(p, ec);
        if (ec || !fs::exists(st))
            throw InputError("cannot read " + p.string() + ": no such file or directory");
        if (!fs::is_directory(st)) {
            files.push_back({p, false});
            continue;
        }
        std::vector<fs::path> found;
        for (auto it = fs::recursive_directory_iterator(p, fs::directory_options::skip_permission_denied, ec);
             !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
            if (!it->is_regular_file())
                continue;
            const std::string rel = it->path().lexically_relative(p).generic_string();
            auto matches = [&](const std::vector<std::string>& globs) {
                return std::any_of(globs.begin(), globs.end(), [&](const auto& g) { return globMatch(g, rel); });
            };
            if ((!options.include.empty() && !matches(options.include)) || matches(options.exclude))
                continue;
            found.push_back(it->path());
        }
        if (ec)
            throw InputError("cannot list " + p.string() + ": " + ec.message());
        if (found.empty())
            throw InputError("folder " + p.string() + " holds no files that match the globs");
        std::sort(found.begin(), found.end());
        for (auto& f : found)
            files.push_back({std::move(f), true});
    }
    // A file reached twice (a symlink to another, a folder given twice) is
    // read once.
    std::set<fs::path> seen;
    std::vector<SourceFile> unique;
    for (auto& f : files) {
        std::error_code ec;
        const auto canonical = fs::weakly_canonical(f.path, ec);
        if (seen.insert(ec ? f.path : canonical).second)
            unique.push_back(std::move(f));
    }
    return unique;
}

bool isBlank(std::string_view line)
{
    return std::all_of(line.begin(), line.end(), [](char c) { return c == ' ' || c == '\t' || c == '\r'; });
}

void appendDocument(std::string& out, std::string_view doc)
{
    out.append(doc);
    if (!doc.empty() && doc.back() != '\n')
        out.push_back('\n');
    out.push_back('\n'); // one blank line between documents
}

TextFormat resolveFormat(TextFormat format, const fs::path& file)
{
    if (format != TextFormat::Auto)
        return format;
    const auto ext = file.extension().string();
    if (ext == ".jsonl" || ext == ".ndjson")
        return TextFormat::Jsonl;
    if (ext == ".csv")
        return TextFormat::Csv;
    if (ext == ".tsv")
        return TextFormat::Tsv;
    return TextFormat::Blocks;
}

// Cuts one file's (valid UTF-8) text into documents. Formats that decode
// their text (JSONL, CSV) keep it in `owned`, whose elements never move.
// With `skipBad` set, documents holding invalid UTF-8 are left out and passed
// to `skipBad` with their line and the byte offset of the problem (or of
// their record) in the file.
using SkipSink = std::function<void(std::size_t line, std::size_t offset, const std::string& what)>;

std::size_t lineAt(std::string_view text, std::size_t offset)
{
    return 1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
}

std::vector<std::string_view> extractDocuments(const std::string& text, TextFormat format, const fs::path& file,
                                               const std::string& textField, std::deque<std::string>& owned,
                                               const SkipSink& skipBad)
{
    if (skipBad && (format == TextFormat::Jsonl)) {
        // Blank the lines that are not valid UTF-8 (line numbers stay).
        std::string filtered = text;
        for (std::size_t pos = 0; pos < filtered.size();) {
            std::size_t nl = filtered.find('\n', pos);
            if (nl == std::string::npos)
                nl = filtered.size();
            if (auto problem = utf8::validate(std::string_view(filtered).substr(pos, nl - pos))) {
                skipBad(lineAt(filtered, pos), pos + problem->byteOffset, problem->what);
                std::fill(filtered.begin() + static_cast<std::ptrdiff_t>(pos), filtered.begin() + static_cast<std::ptrdiff_t>(nl), ' ');
            }
            pos = nl + 1;
        }
        return extractDocuments(filtered, format, file, textField, owned, {});
    }
    std::vector<std::string_view> docs;
    if (skipBad && (format == TextFormat::Auto || format == TextFormat::Blocks || format == TextFormat::Lines
                    || format == TextFormat::Text)) {
        for (auto doc : extractDocuments(text, format, file, textField, owned, {})) {
            if (auto problem = utf8::validate(doc)) {
                const auto offset = static_cast<std::size_t>(doc.data() - text.data()) + problem->byteOffset;
                skipBad(lineAt(text, offset), offset, problem->what);
            } else {
                docs.push_back(doc);
            }
        }
        return docs;
    }
    auto keep = [&](std::string doc) {
        if (doc.find_first_not_of(" \t\r\n") != std::string::npos) {
            owned.push_back(std::move(doc));
            docs.push_back(owned.back());
        }
    };
    switch (format) {
    case TextFormat::Auto:
    case TextFormat::Blocks:
        return splitDocuments(text);
    case TextFormat::Text:
        if (text.find_first_not_of(" \t\r\n") != std::string::npos)
            docs.push_back(text);
        return docs;
    case TextFormat::Lines:
        for (std::size_t pos = 0; pos < text.size();) {
            std::size_t nl = text.find('\n', pos);
            if (nl == std::string::npos)
                nl = text.size();
            std::string_view line(text.data() + pos, nl - pos);
            if (!line.empty() && line.back() == '\r')
                line.remove_suffix(1);
            if (line.find_first_not_of(" \t") != std::string_view::npos)
                docs.push_back(line);
            pos = nl + 1;
        }
        return docs;
    case TextFormat::Jsonl: {
        std::istringstream in(text);
        JsonlReader reader(in, file.string());
        JsonlReader::Record r;
        while (reader.next(r, textField, {}))
            keep(std::move(r.text));
        return docs;
    }
    case TextFormat::Csv:
    case TextFormat::Tsv: {
        std::istringstream in(text);
        CsvReader reader(in, format == TextFormat::Csv ? ',' : '\t', file.string());
        std::vector<std::string> header, row;
        if (!reader.next(header))
            return docs;
        const auto col = std::find(header.begin(), header.end(), textField);
        if (col == header.end())
            throw InputError(file.string() + ": line 1: the header has no column '" + textField
                             + "' (use --text-field to name the text column)");
        const auto index = static_cast<std::size_t>(col - header.begin());
        while (reader.next(row)) {
            if (row.size() == 1 && row[0].empty())
                continue; // a blank line
            if (row.size() != header.size())
                throw InputError(file.string() + ": line " + std::to_string(reader.recordLine()) + ": "
                                 + std::to_string(row.size()) + " fields where the header has "
                                 + std::to_string(header.size()));
            if (skipBad) {
                if (auto problem = utf8::validate(row[index])) {
                    skipBad(reader.recordLine(), reader.recordOffset(), problem->what + " in column '" + textField + "'");
                    continue;
                }
            }
            keep(std::move(row[index]));
        }
        return docs;
    }
    }
    return docs;
}

} // namespace

TextFormat parseTextFormat(const std::string& name)
{
    static const std::pair<const char*, TextFormat> names[] = {
        {"auto", TextFormat::Auto}, {"text", TextFormat::Text},   {"blocks", TextFormat::Blocks},
        {"lines", TextFormat::Lines}, {"jsonl", TextFormat::Jsonl}, {"csv", TextFormat::Csv},
        {"tsv", TextFormat::Tsv}};
    for (const auto& [n, f] : names)
        if (name == n)
            return f;
    throw InputError("--format '" + name + "': expected auto, text, blocks, lines, jsonl, csv or tsv");
}

BadUtf8Policy parseBadUtf8Policy(const std::string& name)
{
    if (name == "fail") return BadUtf8Policy::Fail;
    if (name == "replace") return BadUtf8Policy::Replace;
    if (name == "skip") return BadUtf8Policy::Skip;
    throw InputError("--on-bad-utf8 '" + name + "': expected fail, replace or skip");
}

std::vector<std::string_view> splitDocuments(std::string_view text)
{
    std::vector<std::string_view> lines;
    for (std::size_t pos = 0; pos < text.size();) {
        std::size_t nl = text.find('\n', pos);
        const std::size_t end = nl == std::string_view::npos ? text.size() : nl + 1;
        lines.push_back(text.substr(pos, end - pos));
        pos = end;
    }
    auto content = [](std::string_view l) {
        while (!l.empty() && (l.back() == '\n' || l.back() == '\r'))
            l.remove_suffix(1);
        return l;
    };
    const bool fortuneFormat = std::any_of(lines.begin(), lines.end(), [&](auto l) { return content(l) == "%"; });
    std::vector<std::string_view> docs;
    std::size_t start = 0; // byte offset where the current document starts
    std::size_t pos = 0;
    auto flush = [&](std::size_t end) {
        std::string_view doc = text.substr(start, end - start);
        // Trim blank lines at both ends.
        while (!doc.empty()) {
            std::size_t nl = doc.find('\n');
            std::string_view first = doc.substr(0, nl == std::string_view::npos ? doc.size() : nl + 1);
            if (!isBlank(content(first)))
                break;
            doc.remove_prefix(first.size());
        }
        while (!doc.empty() && (doc.back() == '\n' || doc.back() == '\r' || doc.back() == ' ' || doc.back() == '\t'))
            doc.remove_suffix(1);
        if (!doc.empty())
            docs.push_back(doc);
    };
    for (auto l : lines) {
        const bool separator = fortuneFormat ? content(l) == "%" : isBlank(content(l));
        if (separator) {
            flush(pos);
            start = pos + l.size();
        }
        pos += l.size();
    }
    flush(text.size());
    return docs;
}

std::vector<std::size_t> validationDocuments(std::size_t count, double fraction, std::uint64_t seed)
{
    // A Fisher-Yates shuffle over mt19937_64 (whose output the standard fixes),
    // not std::shuffle (whose algorithm varies between libraries).
    std::vector<std::size_t> order(count);
    for (std::size_t i = 0; i < count; ++i)
        order[i] = i;
    std::mt19937_64 rng(seed);
    for (std::size_t i = count; i > 1; --i) {
        const std::size_t j = static_cast<std::size_t>(rng() % i);
        std::swap(order[i - 1], order[j]);
    }
    std::size_t nVal = static_cast<std::size_t>(static_cast<double>(count) * fraction + 0.5);
    if (count >= 2)
        nVal = std::clamp<std::size_t>(nVal, 1, count - 1);
    else
        nVal = 0;
    std::vector<std::size_t> val(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(nVal));
    std::sort(val.begin(), val.end());
    return val;
}

CorpusRecord importCorpus(Catalog& catalog, const CorpusImportOptions& options, const ImportProgress& progress)
{
    if (options.name.empty())
        throw InputError("a corpus needs a name");
    if (options.name.size() > 200 || options.name.find_first_of("\n\r\t") != std::string::npos)
        throw InputError("corpus name '" + options.name + "' is too long or holds control characters");
    if (options.paths.empty())
        throw InputError("no files given for corpus '" + options.name + "'");
    if (!(options.validationFraction > 0.0 && options.validationFraction < 1.0))
        throw InputError("the validation fraction must lie strictly between 0 and 1");
    if (catalog.corpusByName(options.name))
        throw InputError("a corpus named '" + options.name + "' already exists in the catalog");

    const auto sources = expandPaths(options);
    std::uintmax_t totalBytes = 0;
    for (const auto& f : sources) {
        std::error_code ec;
        totalBytes += fs::file_size(f.path, ec);
    }
    std::vector<fs::path> files; // those imported
    nlohmann::json skipped = nlohmann::json::array();
    nlohmann::json badUtf8 = nlohmann::json::array();

    // Read and check every file before writing anything.
    std::deque<std::string> contents; // a deque: documents are views into these, which must not move
    std::deque<std::string> decoded; // document texts that are not slices of a file
    std::vector<std::string_view> docs;
    std::int64_t bytes = 0;
    std::uintmax_t done = 0;
    std::unordered_set<std::string_view> seenDocs;
    std::int64_t duplicates = 0;
    for (const auto& source : sources) {
        const fs::path& f = source.path;
        std::string data = readFile(f);
        done += data.size();
        if (const auto nul = data.find('\0'); nul != std::string::npos) {
            const std::string reason = "binary file (NUL byte at offset " + std::to_string(nul) + ")";
            if (!source.fromFolder)
                throw InputError(f.string() + " is a " + reason);
            skipped.push_back({{"path", f.string()}, {"reason", reason}});
            continue;
        }
        files.push_back(f);
        contents.push_back(std::move(data));
        std::string& text = contents.back();
        if (text.empty())
            throw InputError(f.string() + " is empty");
        bytes += static_cast<std::int64_t>(text.size());
        std::size_t bom = 0;
        if (text.rfind("\xEF\xBB\xBF", 0) == 0) {
            text.erase(0, 3); // a byte-order mark is not part of the text
            bom = 3;
        }
        SkipSink skipBad;
        if (auto problem = utf8::validate(text)) {
            auto report = [&](std::size_t line, std::size_t offset, const std::string& what, const char* action) {
                badUtf8.push_back({{"path", f.string()}, {"line", line}, {"byte_offset", offset + bom},
                                   {"problem", what}, {"action", action}});
            };
            switch (options.onBadUtf8) {
            case BadUtf8Policy::Fail:
                throw InputError(f.string() + ": invalid UTF-8 at byte offset " + std::to_string(problem->byteOffset + bom)
                                 + " (line " + std::to_string(problem->line) + "): " + problem->what
                                 + " (--on-bad-utf8 replace or skip to import it anyway)");
            case BadUtf8Policy::Replace: {
                std::size_t replaced = 0;
                text = utf8::replaceInvalid(text, replaced);
                report(problem->line, problem->byteOffset, problem->what,
                       ("replaced " + std::to_string(replaced) + " ill-formed sequences with U+FFFD").c_str());
                break;
            }
            case BadUtf8Policy::Skip:
                skipBad = [&](std::size_t line, std::size_t offset, const std::string& what) {
                    report(line, offset, what, "document skipped");
                };
                break;
            }
        }
        auto fileDocs = extractDocuments(text, resolveFormat(options.format, f), f, options.textField, decoded, skipBad);
        if (fileDocs.empty())
            throw InputError(f.string() + " holds no documents (only blank text or separators)");
        for (auto doc : fileDocs) {
            if (seenDocs.insert(doc).second)
                docs.push_back(doc);
            else
                ++duplicates;
        }
        if (progress && !progress(totalBytes ? 0.8 * static_cast<double>(done) / static_cast<double>(totalBytes) : 0.8))
            throw Cancelled();
    }

    std::string train, validation;
    const auto valIdx = validationDocuments(docs.size(), options.validationFraction, options.seed);
    std::vector<bool> isVal(docs.size(), false);
    for (auto i : valIdx)
        isVal[i] = true;
    for (std::size_t i = 0; i < docs.size(); ++i)
        appendDocument(isVal[i] ? validation : train, docs[i]);
    if (docs.size() == 1) {
        // One document: hold out its last part, cut at a line break.
        std::size_t cut = static_cast<std::size_t>(static_cast<double>(train.size()) * (1.0 - options.validationFraction));
        // The last line break before the cut; never the text's final one.
        const std::size_t nl = cut > 0 ? train.rfind('\n', cut - 1) : std::string::npos;
        if (nl != std::string::npos && nl > 0 && nl + 1 < train.size())
            cut = nl + 1;
        while (cut < train.size() && (static_cast<unsigned char>(train[cut]) & 0xC0) == 0x80)
            ++cut; // never cut inside a UTF-8 sequence
        validation = train.substr(cut);
        train.resize(cut);
    }
    if (docs.empty())
        throw InputError("no text to import: all " + std::to_string(skipped.size()) + " files were skipped as binary (first: "
                         + skipped.at(0).at("path").get<std::string>() + ")");
    if (train.empty() || validation.empty())
        throw InputError("corpus '" + options.name + "' is too small to split into training and validation text");

    std::set<char32_t> seen;
    for (const std::string* part : {&train, &validation})
        for (char32_t cp : utf8::decode(*part))
            seen.insert(cp);
    const CharTokenizer tokenizer = CharTokenizer::fromCodePoints({seen.begin(), seen.end()});

    // Artifacts go to a fresh folder; its name holds a random tag so that a
    // failed import never collides with a later one.
    std::random_device rd;
    const std::string dirName = "corpora/" + std::to_string(std::uint32_t(rd())) + "-" + std::to_string(::time(nullptr));
    const fs::path dir = catalog.artifactPath(dirName);
    std::vector<ArtifactRecord> artifacts;
    try {
        auto writeText = [&](const std::string& name, const std::string& kind, const std::string& data) {
            ArtifactRecord a;
            a.kind = kind;
            a.path = dirName + "/" + name;
            a.bytes = writeBytesAtomically(dir / name, data);
            artifacts.push_back(a);
        };
        writeText("train.txt", "corpus_train", train);
        if (progress && !progress(0.9))
            throw Cancelled();
        writeText("validation.txt", "corpus_validation", validation);
        writeText("tokenizer.json", "tokenizer", tokenizer.toJson());

        CorpusRecord c;
        c.name = options.name;
        c.documents = static_cast<std::int64_t>(docs.size());
        c.bytes = bytes;
        c.trainChars = static_cast<std::int64_t>(utf8::length(train));
        c.validationChars = static_cast<std::int64_t>(utf8::length(validation));
        std::int64_t chars = 0;
        for (const auto& text : contents)
            chars += static_cast<std::int64_t>(utf8::length(text));
        c.chars = chars;
        c.splitSeed = static_cast<std::int64_t>(options.seed);
        c.vocabSize = tokenizer.vocabSize();
        nlohmann::json src = nlohmann::json::array();
        for (const auto& f : files)
            src.push_back(fs::absolute(f).string());
        c.sources = src.dump();
        c.report = nlohmann::json{{"duplicates_removed", duplicates}, {"skipped", skipped}, {"bad_utf8", badUtf8}}.dump();
        c.id = catalog.addCorpus(c, artifacts);
        if (progress)
            progress(1.0);
        return *catalog.corpusById(c.id);
    } catch (...) {
        std::error_code ec;
        fs::remove_all(dir, ec);
        throw;
    }
}

CorpusTexts loadCorpusTexts(Catalog& catalog, std::int64_t corpusId)
{
    CorpusTexts t;
    for (const auto& a : catalog.corpusArtifacts(corpusId)) {
        const fs::path p = catalog.artifactPath(a.path);
        if (a.kind == "corpus_train")
            t.train = readFile(p);
        else if (a.kind == "corpus_validation")
            t.validation = readFile(p);
        else if (a.kind == "tokenizer")
            t.tokenizerJson = readFile(p);
    }
    if (t.train.empty() || t.validation.empty() || t.tokenizerJson.empty())
        throw RuntimeError("corpus " + std::to_string(corpusId) + " is missing artifact files in "
                           + catalog.artifactDir().string());
    return t;
}

} // namespace wb
