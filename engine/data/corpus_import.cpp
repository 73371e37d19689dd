// SPDX-License-Identifier: GPL-3.0-or-later
#include "data/corpus_import.h"

#include "catalog/catalog.h"
#include "core/errors.h"
#include "core/files.h"
#include "data/byte_stream.h"
#include "data/corpus_store.h"
#include "data/glob.h"
#include "data/record_readers.h"
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

namespace {

constexpr std::size_t kReportCap = 200; // entries per list in the corpus report

struct SourceFile {
    fs::path path;
    bool fromFolder = false;     // found by walking a folder (bad files are then skipped)
    std::optional<std::string> label; // the class folder's name (Folders format)
};

bool matchesAny(const std::vector<std::string>& globs, const std::string& rel)
{
    return std::any_of(globs.begin(), globs.end(), [&](const auto& g) { return globMatch(g, rel); });
}

std::vector<fs::path> walk(const fs::path& dir, const CorpusImportOptions& options, const fs::path& relativeTo)
{
    std::vector<fs::path> found;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(dir, fs::directory_options::skip_permission_denied, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        std::error_code fileEc;
        if (!it->is_regular_file(fileEc))
            continue;
        const std::string rel = it->path().lexically_relative(relativeTo).generic_string();
        if ((!options.include.empty() && !matchesAny(options.include, rel)) || matchesAny(options.exclude, rel))
            continue;
        found.push_back(it->path());
    }
    if (ec)
        throw InputError("cannot list " + dir.string() + ": " + ec.message());
    std::sort(found.begin(), found.end());
    return found;
}

std::vector<SourceFile> expandPaths(const CorpusImportOptions& options)
{
    std::vector<SourceFile> files;
    for (const auto& p : options.paths) {
        std::error_code ec;
        const auto st = fs::status(p, ec);
        if (ec || !fs::exists(st))
            throw InputError("cannot read " + p.string() + ": no such file or directory");
        if (options.format == TextFormat::Folders) {
            if (!fs::is_directory(st))
                throw InputError("--format folders: " + p.string() + " is not a folder (give a folder holding one subfolder per class)");
            std::vector<fs::path> classes;
            for (const auto& e : fs::directory_iterator(p, ec))
                if (e.is_directory())
                    classes.push_back(e.path());
            std::sort(classes.begin(), classes.end());
            if (classes.empty())
                throw InputError("--format folders: " + p.string() + " has no subfolders; each subfolder is a class");
            for (const auto& c : classes)
                for (auto& f : walk(c, options, c))
                    files.push_back({std::move(f), true, c.filename().string()});
            continue;
        }
        if (!fs::is_directory(st)) {
            files.push_back({p, false, std::nullopt});
            continue;
        }
        auto found = walk(p, options, p);
        if (found.empty())
            throw InputError("folder " + p.string() + " holds no files that match the globs");
        for (auto& f : found)
            files.push_back({std::move(f), true, std::nullopt});
    }
    if (files.empty())
        throw InputError("no files to import");
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

TextFormat resolveFormat(TextFormat format, const fs::path& file)
{
    if (format == TextFormat::Folders)
        return TextFormat::Text;
    if (format != TextFormat::Auto)
        return format;
    auto ext = file.extension().string();
    if (ext == ".gz")
        ext = file.stem().extension().string();
    if (ext == ".jsonl" || ext == ".ndjson")
        return TextFormat::Jsonl;
    if (ext == ".csv")
        return TextFormat::Csv;
    if (ext == ".tsv")
        return TextFormat::Tsv;
    return TextFormat::Blocks;
}

bool isBlank(std::string_view line)
{
    return std::all_of(line.begin(), line.end(), [](char c) { return c == ' ' || c == '\t' || c == '\r'; });
}

std::string_view stripCr(std::string_view line)
{
    if (!line.empty() && line.back() == '\r')
        line.remove_suffix(1);
    return line;
}

void trimDocument(std::string& doc)
{
    std::size_t end = doc.size();
    while (end > 0 && (doc[end - 1] == '\n' || doc[end - 1] == '\r' || doc[end - 1] == ' ' || doc[end - 1] == '\t'))
        --end;
    doc.resize(end);
    // Blank lines at the start.
    std::size_t start = 0;
    for (;;) {
        const std::size_t nl = doc.find('\n', start);
        if (nl == std::string::npos || !isBlank(std::string_view(doc).substr(start, nl - start)))
            break;
        start = nl + 1;
    }
    if (start > 0)
        doc.erase(0, start);
}

// Reads the first bytes of a file (decompressed) to sniff binary content and
// the fortune format.
std::string sniff(const fs::path& file)
{
    auto s = ByteStream::open(file);
    std::string head;
    head.reserve(65536);
    for (int c; head.size() < 65536 && (c = s->get()) != -1;)
        head.push_back(static_cast<char>(c));
    return head;
}

bool looksLikeFortunes(std::string_view head)
{
    return head.rfind("%\n", 0) == 0 || head.find("\n%\n") != std::string_view::npos
           || head.find("\n%\r\n") != std::string_view::npos;
}

// Document hashes for exact-duplicate detection: open addressing over a
// power-of-two table of (hash, document index) pairs, 12 bytes a slot, at
// most half full. Equal hashes are only candidates; `same` compares bytes.
class DocHashes {
public:
    // Returns true when a document with equal bytes is present; otherwise
    // records `doc` under `h` and returns false.
    template <typename Same>
    bool findOrInsert(std::uint64_t h, std::uint32_t doc, Same&& same)
    {
        if (h == 0)
            h = 1; // 0 marks an empty slot
        if ((m_count + 1) * 2 > m_keys.size())
            grow();
        std::size_t mask = m_keys.size() - 1;
        for (std::size_t i = h & mask;; i = (i + 1) & mask) {
            if (m_keys[i] == 0) {
                m_keys[i] = h;
                m_docs[i] = doc;
                ++m_count;
                return false;
            }
            if (m_keys[i] == h && same(m_docs[i]))
                return true;
        }
    }

private:
    void grow()
    {
        std::vector<std::uint64_t> keys(std::max<std::size_t>(1024, m_keys.size() * 2), 0);
        std::vector<std::uint32_t> docs(keys.size());
        const std::size_t mask = keys.size() - 1;
        for (std::size_t j = 0; j < m_keys.size(); ++j) {
            if (m_keys[j] == 0)
                continue;
            std::size_t i = m_keys[j] & mask;
            while (keys[i] != 0)
                i = (i + 1) & mask;
            keys[i] = m_keys[j];
            docs[i] = m_docs[j];
        }
        m_keys.swap(keys);
        m_docs.swap(docs);
    }

    std::vector<std::uint64_t> m_keys;
    std::vector<std::uint32_t> m_docs;
    std::size_t m_count = 0;
};

// The state of one import: the spool of documents and everything counted.
class Importer {
public:
    Importer(const CorpusImportOptions& options, const fs::path& dir) : m_o(options), m_dir(dir)
    {
        m_spoolPath = dir / "documents.spool";
        m_spool = std::fopen(m_spoolPath.c_str(), "w+b");
        if (!m_spool)
            throw RuntimeError("cannot write " + m_spoolPath.string() + ": " + std::strerror(errno));
        std::setvbuf(m_spool, nullptr, _IOFBF, 1 << 20);
        m_charCounts.assign(0x110000, 0);
    }
    ~Importer()
    {
        if (m_spool)
            std::fclose(m_spool);
        std::error_code ec;
        fs::remove(m_spoolPath, ec);
    }

    struct Doc {
        std::uint64_t offset; // in the spool
        std::uint64_t length;
        std::uint64_t chars;
        std::int32_t label;
    };

    const CorpusImportOptions& m_o;
    fs::path m_dir, m_spoolPath;
    std::FILE* m_spool = nullptr;
    std::uint64_t m_spoolSize = 0;
    std::vector<Doc> m_docs;
    DocHashes m_hashes;
    std::map<std::string, std::int32_t> m_labelIds; // label -> id in order of appearance (renumbered at the end)
    std::vector<std::string> m_labelNames;
    std::vector<std::uint64_t> m_charCounts;
    std::int64_t m_bytes = 0;
    std::int64_t m_duplicates = 0, m_tooShort = 0, m_tooLong = 0, m_normalized = 0;
    nlohmann::json m_skipped = nlohmann::json::array();
    nlohmann::json m_badUtf8 = nlohmann::json::array();
    std::int64_t m_badUtf8Count = 0;
    nlohmann::json m_badRecords = nlohmann::json::array();
    std::int64_t m_badRecordCount = 0;

    // Under the skip policy, lists a malformed record; otherwise rethrows.
    void badRecord(const InputError& e)
    {
        if (m_o.onBadRecord == BadRecordPolicy::Fail)
            throw e;
        ++m_badRecordCount;
        if (m_badRecords.size() < kReportCap)
            m_badRecords.push_back({{"problem", e.what()}, {"action", "record skipped"}});
    }
    std::vector<fs::path> m_files;

    void reportBadUtf8(const fs::path& f, std::size_t line, std::uint64_t offset, const std::string& what,
                       const std::string& action)
    {
        ++m_badUtf8Count;
        if (m_badUtf8.size() < kReportCap)
            m_badUtf8.push_back({{"path", f.string()}, {"line", line}, {"byte_offset", offset}, {"problem", what},
                                 {"action", action}});
    }

    // Applies the UTF-8 policy to one raw line at `offset` of file `f`.
    // Returns false when the line (and its document) is to be skipped.
    bool checkLine(const fs::path& f, std::string& line, std::size_t lineNo, std::uint64_t offset)
    {
        auto problem = utf8::validate(line);
        if (!problem)
            return true;
        const std::uint64_t at = offset + problem->byteOffset;
        switch (m_o.onBadUtf8) {
        case BadUtf8Policy::Fail:
            throw InputError(f.string() + ": invalid UTF-8 at byte offset " + std::to_string(at) + " (line "
                             + std::to_string(lineNo) + "): " + problem->what
                             + " (--on-bad-utf8 replace or skip to import it anyway)");
        case BadUtf8Policy::Replace: {
            std::size_t replaced = 0;
            line = utf8::replaceInvalid(line, replaced);
            reportBadUtf8(f, lineNo, at, problem->what,
                          "replaced " + std::to_string(replaced) + " ill-formed sequences with U+FFFD");
            return true;
        }
        case BadUtf8Policy::Skip:
            reportBadUtf8(f, lineNo, at, problem->what, "document skipped");
            return false;
        }
        return false;
    }

    std::int32_t labelId(const std::optional<std::string>& label)
    {
        if (!label)
            return -1;
        auto [it, inserted] = m_labelIds.emplace(*label, static_cast<std::int32_t>(m_labelNames.size()));
        if (inserted)
            m_labelNames.push_back(*label);
        return it->second;
    }

    bool sameAsSpooled(const Doc& d, const std::string& text)
    {
        if (d.length != text.size())
            return false;
        std::fflush(m_spool);
        std::string buf(text.size(), '\0');
        if (::pread(::fileno(m_spool), buf.data(), buf.size(), static_cast<off_t>(d.offset))
            != static_cast<ssize_t>(buf.size()))
            throw RuntimeError("cannot read back " + m_spoolPath.string() + ": " + std::strerror(errno));
        if (std::fseek(m_spool, 0, SEEK_END) != 0)
            throw RuntimeError("cannot seek in " + m_spoolPath.string());
        return buf == text;
    }

    void add(std::string doc, const std::optional<std::string>& label)
    {
        if (m_o.nfc && normalizeNfcInPlace(doc))
            ++m_normalized;
        if (doc.find_first_not_of(" \t\r\n") == std::string::npos)
            return;
        const auto chars = static_cast<std::int64_t>(utf8::length(doc));
        if (chars < m_o.minChars) {
            ++m_tooShort;
            return;
        }
        if (m_o.maxChars > 0 && chars > m_o.maxChars) {
            ++m_tooLong;
            return;
        }
        // Exact duplicates: a 64-bit hash finds candidates, the bytes decide.
        const std::uint64_t h = std::hash<std::string>{}(doc);
        if (m_hashes.findOrInsert(h, static_cast<std::uint32_t>(m_docs.size()),
                                  [&](std::uint32_t other) { return sameAsSpooled(m_docs[other], doc); })) {
            ++m_duplicates;
            return;
        }
        if (std::fwrite(doc.data(), 1, doc.size(), m_spool) != doc.size())
            throw RuntimeError("cannot write " + m_spoolPath.string() + ": " + std::strerror(errno));
        m_docs.push_back({m_spoolSize, doc.size(), static_cast<std::uint64_t>(chars), labelId(label)});
        m_spoolSize += doc.size();
        const auto* p = reinterpret_cast<const unsigned char*>(doc.data());
        for (std::size_t i = 0; i < doc.size();) {
            const unsigned c = p[i];
            if (c < 0x80) {
                ++m_charCounts[c];
                ++i;
                continue;
            }
            utf8proc_int32_t cp = 0;
            const auto n = utf8proc_iterate(p + i, static_cast<utf8proc_ssize_t>(doc.size() - i), &cp);
            ++m_charCounts[static_cast<std::size_t>(cp)];
            i += static_cast<std::size_t>(n);
        }
    }

    // Reads one file into documents. Returns false when a folder file was
    // skipped (binary, empty, unreadable), after listing it.
    bool importFile(const SourceFile& source, const std::function<void(std::uint64_t)>& onRead)
    {
        const fs::path& f = source.path;
        auto skip = [&](const std::string& reason) {
            if (!source.fromFolder)
                throw InputError(f.string() + " " + reason);
            if (m_skipped.size() < kReportCap)
                m_skipped.push_back({{"path", f.string()}, {"reason", reason}});
            return false;
        };
        std::string head;
        try {
            std::error_code ec;
            if (fs::file_size(f, ec) == 0 && !ec)
                return skip("is empty");
            head = sniff(f);
        } catch (const InputError& e) {
            if (!source.fromFolder)
                throw;
            return skip(std::string("cannot be read: ") + e.what());
        }
        if (head.empty())
            return skip("is empty");
        if (const auto nul = head.find('\0'); nul != std::string::npos)
            return skip("is a binary file (NUL byte at offset " + std::to_string(nul) + ")");

        auto stream = ByteStream::open(f);
        stream->onRefill = onRead;
        const TextFormat format = resolveFormat(m_o.format, f);
        const std::size_t before = m_docs.size() + static_cast<std::size_t>(m_duplicates + m_tooShort + m_tooLong);
        const std::int64_t badBefore = m_badUtf8Count + m_badRecordCount;
        std::optional<std::string> fileLabel = source.label;
        if (m_o.labelFromFileName)
            fileLabel = f.filename().string();
        std::uint64_t lineOffset = 0;
        std::string line;
        std::size_t lineNo = 0;
        bool bom = true;
        auto nextLine = [&]() {
            if (!stream->readLine(line, lineOffset))
                return false;
            ++lineNo;
            if (bom && line.rfind("\xEF\xBB\xBF", 0) == 0) {
                line.erase(0, 3); // a byte-order mark is not part of the text; offsets still count it
                lineOffset += 3;
            }
            bom = false;
            return true;
        };

        switch (format) {
        case TextFormat::Lines:
            while (nextLine()) {
                if (!checkLine(f, line, lineNo, lineOffset))
                    continue;
                const auto content = stripCr(line);
                if (!isBlank(content)) {
                    line.resize(content.size());
                    add(std::move(line), fileLabel); // moved, not copied: a line may be very long
                    line.clear();
                }
            }
            break;
        case TextFormat::Auto:
        case TextFormat::Blocks: {
            BlockSplitter splitter(looksLikeFortunes(head));
            std::string doc;
            bool bad = false;
            while (nextLine()) {
                const bool ok = checkLine(f, line, lineNo, lineOffset);
                const bool ended = splitter.line(line, doc);
                if (ended) {
                    if (!bad)
                        add(std::move(doc), fileLabel);
                    bad = false;
                }
                bad = bad || !ok; // the line belongs to the document now in progress
            }
            if (splitter.finish(doc) && !bad)
                add(std::move(doc), fileLabel);
            break;
        }
        case TextFormat::Text:
        case TextFormat::Folders:
        case TextFormat::Man: {
            std::string doc;
            bool bad = false, first = true;
            while (nextLine()) {
                bad = !checkLine(f, line, lineNo, lineOffset) || bad;
                if (!first)
                    doc.push_back('\n');
                first = false;
                doc += line;
            }
            if (!bad) {
                if (format == TextFormat::Man)
                    doc = roffToText(doc);
                trimDocument(doc);
                add(std::move(doc), fileLabel);
            }
            break;
        }
        case TextFormat::Jsonl: {
            JsonlReader::Record r;
            while (nextLine()) {
                if (!checkLine(f, line, lineNo, lineOffset))
                    continue;
                bool parsed = false;
                try {
                    parsed = JsonlReader::parseLine(line, lineNo, f.string(), r, m_o.textField, m_o.labelField);
                } catch (const InputError& e) {
                    badRecord(InputError(std::string(e.what()) + " (--on-bad-record skip to leave such lines out)"));
                }
                if (parsed)
                    add(std::move(r.text), r.label ? r.label : fileLabel);
            }
            break;
        }
        case TextFormat::Csv:
        case TextFormat::Tsv: {
            CsvReader reader(*stream, format == TextFormat::Csv ? ',' : '\t', f.string());
            std::vector<std::string> header, row;
            if (!reader.next(header))
                break;
            auto column = [&](const std::string& name, const char* option) {
                const auto col = std::find(header.begin(), header.end(), name);
                if (col == header.end())
                    throw InputError(f.string() + ": line 1: the header has no column '" + name + "' (use " + option
                                     + " to name the column)");
                return static_cast<std::size_t>(col - header.begin());
            };
            const std::size_t textCol = column(m_o.textField, "--text-field");
            const std::optional<std::size_t> labelCol =
                m_o.labelField.empty() ? std::nullopt : std::optional<std::size_t>(column(m_o.labelField, "--label-field"));
            while (reader.next(row)) {
                if (row.size() == 1 && row[0].empty())
                    continue; // a blank line
                if (row.size() != header.size()) {
                    badRecord(InputError(f.string() + ": line " + std::to_string(reader.recordLine()) + ": "
                                         + std::to_string(row.size()) + " fields where the header has "
                                         + std::to_string(header.size()) + " (ragged row)"));
                    continue;
                }
                bool ok = true;
                for (std::size_t col : {textCol, labelCol.value_or(textCol)}) {
                    std::uint64_t fieldOffset = reader.fieldOffsets().at(col);
                    ok = checkLine(f, row[col], reader.recordLine(), fieldOffset) && ok;
                }
                if (!ok)
                    continue;
                std::optional<std::string> label = fileLabel;
                if (labelCol) {
                    if (row[*labelCol].empty())
                        throw InputError(f.string() + ": line " + std::to_string(reader.recordLine())
                                         + ": the label column '" + m_o.labelField + "' is empty");
                    label = row[*labelCol];
                }
                add(std::move(row[textCol]), label);
            }
            break;
        }
        }
        const std::size_t after = m_docs.size() + static_cast<std::size_t>(m_duplicates + m_tooShort + m_tooLong);
        if (after == before && m_badUtf8Count + m_badRecordCount == badBefore) {
            if (!source.fromFolder)
                throw InputError(f.string() + " holds no documents (only blank text or separators)");
            return skip("holds no documents (only blank text)");
        }
        m_files.push_back(f);
        return true;
    }
};

struct DocIndexEntry {
    std::uint64_t offset;
    std::uint64_t length;
    std::int64_t label;
};
static_assert(sizeof(DocIndexEntry) == 24);

} // namespace

TextFormat parseTextFormat(const std::string& name)
{
    static const std::pair<const char*, TextFormat> names[] = {
        {"auto", TextFormat::Auto},   {"text", TextFormat::Text},   {"blocks", TextFormat::Blocks},
        {"lines", TextFormat::Lines}, {"jsonl", TextFormat::Jsonl}, {"csv", TextFormat::Csv},
        {"tsv", TextFormat::Tsv},     {"folders", TextFormat::Folders}, {"man", TextFormat::Man}};
    for (const auto& [n, f] : names)
        if (name == n)
            return f;
    throw InputError("--format '" + name + "': expected auto, text, blocks, lines, jsonl, csv, tsv, folders or man");
}

std::string formatName(TextFormat format)
{
    switch (format) {
    case TextFormat::Auto: return "auto";
    case TextFormat::Text: return "text";
    case TextFormat::Blocks: return "blocks";
    case TextFormat::Lines: return "lines";
    case TextFormat::Jsonl: return "jsonl";
    case TextFormat::Csv: return "csv";
    case TextFormat::Tsv: return "tsv";
    case TextFormat::Folders: return "folders";
    case TextFormat::Man: return "man";
    }
    return "auto";
}

BadRecordPolicy parseBadRecordPolicy(const std::string& name)
{
    if (name == "fail") return BadRecordPolicy::Fail;
    if (name == "skip") return BadRecordPolicy::Skip;
    throw InputError("--on-bad-record '" + name + "': expected fail or skip");
}

BadUtf8Policy parseBadUtf8Policy(const std::string& name)
{
    if (name == "fail") return BadUtf8Policy::Fail;
    if (name == "replace") return BadUtf8Policy::Replace;
    if (name == "skip") return BadUtf8Policy::Skip;
    throw InputError("--on-bad-utf8 '" + name + "': expected fail, replace or skip");
}

std::array<double, 3> parseSplit(const std::string& text)
{
    std::array<double, 3> f{};
    std::stringstream in(text);
    std::string part;
    int i = 0;
    while (std::getline(in, part, ',')) {
        if (i >= 3)
            throw InputError("--split '" + text + "': expected three fractions like 0.9,0.05,0.05");
        try {
            std::size_t used = 0;
            f[static_cast<std::size_t>(i)] = std::stod(part, &used);
            if (used != part.size())
                throw std::invalid_argument(part);
        } catch (const std::exception&) {
            throw InputError("--split '" + text + "': '" + part + "' is not a number");
        }
        ++i;
    }
    if (i != 3)
        throw InputError("--split '" + text + "': expected three fractions like 0.9,0.05,0.05");
    if (f[0] <= 0 || f[1] <= 0 || f[2] < 0)
        throw InputError("--split '" + text + "': train and validation must be above 0, test at least 0");
    if (std::abs(f[0] + f[1] + f[2] - 1.0) > 1e-6)
        throw InputError("--split '" + text + "': the fractions must sum to 1");
    return f;
}

bool BlockSplitter::line(std::string_view raw, std::string& doc)
{
    ++m_lines;
    const std::string_view content = stripCr(raw);
    const bool separator = m_fortune ? content == "%" : isBlank(content);
    if (separator)
        return flush(doc);
    if (m_current.empty()) {
        if (isBlank(content))
            return false;
        m_docLine = m_lines;
    } else {
        m_current.push_back('\n');
    }
    m_current.append(raw);
    return false;
}

bool BlockSplitter::finish(std::string& doc)
{
    return flush(doc);
}

bool BlockSplitter::flush(std::string& doc)
{
    trimDocument(m_current);
    if (m_current.empty())
        return false;
    doc = std::move(m_current);
    m_current.clear();
    return true;
}

std::vector<std::string> splitDocuments(std::string_view text)
{
    std::vector<std::string> docs;
    BlockSplitter splitter(looksLikeFortunes(text));
    std::string doc;
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t nl = text.find('\n', pos);
        if (nl == std::string_view::npos)
            nl = text.size();
        if (splitter.line(text.substr(pos, nl - pos), doc))
            docs.push_back(std::move(doc));
        pos = nl + 1;
    }
    if (splitter.finish(doc))
        docs.push_back(std::move(doc));
    return docs;
}

std::vector<std::uint8_t> assignSplits(const std::vector<std::int32_t>& labels, const std::array<double, 3>& fractions,
                                       std::uint64_t seed)
{
    const std::size_t count = labels.size();
    std::map<std::int32_t, std::vector<std::size_t>> groups;
    for (std::size_t i = 0; i < count; ++i)
        groups[labels[i]].push_back(i);
    std::vector<std::uint8_t> split(count, 0);
    std::mt19937_64 rng(seed);
    for (auto& [label, order] : groups) {
        const std::size_t n = order.size();
        for (std::size_t i = n; i > 1; --i) {
            const std::size_t j = static_cast<std::size_t>(rng() % i);
            std::swap(order[i - 1], order[j]);
        }
        auto share = [&](double f) { return static_cast<std::size_t>(std::floor(static_cast<double>(n) * f + 0.5)); };
        std::size_t nVal = share(fractions[1]);
        std::size_t nTest = share(fractions[2]);
        if (n >= 2 && nVal == 0)
            nVal = 1; // every group is seen in validation when it can be
        if (n >= 3 && fractions[2] > 0 && nTest == 0)
            nTest = 1;
        while (nVal + nTest >= n && n > 0) { // keep at least one training document
            if (nTest > 0)
                --nTest;
            else if (nVal > 0)
                --nVal;
            else
                break;
        }
        for (std::size_t i = 0; i < nVal; ++i)
            split[order[i]] = 1;
        for (std::size_t i = nVal; i < nVal + nTest; ++i)
            split[order[i]] = 2;
    }
    return split;
}

std::string normalizeNfc(std::string_view text)
{
    std::string s(text);
    normalizeNfcInPlace(s);
    return s;
}

bool normalizeNfcInPlace(std::string& text)
{
    // Code points below U+0300 are all NFC-stable starters; their UTF-8 lead
    // bytes are below 0xCC. Only text with a higher byte can change.
    const bool maybe = std::any_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) >= 0xCC; });
    if (!maybe)
        return false;
    utf8proc_uint8_t* out = nullptr;
    const auto n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
                                static_cast<utf8proc_ssize_t>(text.size()), &out,
                                static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
    if (n < 0)
        throw InputError(std::string("NFC normalization failed: ") + utf8proc_errmsg(n));
    const std::string_view result(reinterpret_cast<const char*>(out), static_cast<std::size_t>(n));
    const bool changed = result != text;
    if (changed)
        text.assign(result);
    std::free(out);
    return changed;
}

std::string roffToText(std::string_view roff)
{
    // Escapes: \fX, \f(XX, \f[..] fonts; \(xx and \[..] glyphs; \*x strings;
    // \sN sizes; \- \e \& \c \  and friends.
    static const std::map<std::string, std::string> glyphs{
        {"em", "\u2014"}, {"en", "\u2013"}, {"bu", "\u2022"}, {"lq", "\u201C"}, {"rq", "\u201D"}, {"oq", "\u2018"},
        {"cq", "\u2019"}, {"aq", "'"},      {"dq", "\""},     {"hy", "-"},      {"co", "\u00A9"}, {"rg", "\u00AE"},
        {"tm", "\u2122"}, {"mu", "\u00D7"}, {"de", "\u00B0"}, {"<=", "\u2264"}, {">=", "\u2265"}, {"ti", "~"},
        {"ha", "^"},      {"ga", "`"},      {"rs", "\\"},     {"ba", "|"},      {"->", "\u2192"}, {"<-", "\u2190"}};
    auto inlineText = [&](std::string_view s) {
        std::string out;
        for (std::size_t i = 0; i < s.size(); ++i) {
            if (s[i] != '\\' || i + 1 >= s.size()) {
                out.push_back(s[i]);
                continue;
            }
            const char e = s[++i];
            auto bracketed = [&](std::size_t from) { // [name] starting at from; returns the name
                const std::size_t close = s.find(']', from);
                std::string name(s.substr(from + 1, close == std::string_view::npos ? 0 : close - from - 1));
                i = close == std::string_view::npos ? s.size() : close;
                return name;
            };
            switch (e) {
            case 'f':
                if (i + 1 < s.size() && s[i + 1] == '(') i += 3;
                else if (i + 1 < s.size() && s[i + 1] == '[') bracketed(i + 1);
                else ++i;
                break;
            case '(': {
                const std::string name(s.substr(i + 1, 2));
                i += 2;
                if (auto it = glyphs.find(name); it != glyphs.end()) out += it->second;
                break;
            }
            case '[': {
                const std::string name = bracketed(i);
                if (auto it = glyphs.find(name); it != glyphs.end()) out += it->second;
                break;
            }
            case '*':
                if (i + 1 < s.size() && s[i + 1] == '(') i += 3;
                else if (i + 1 < s.size() && s[i + 1] == '[') bracketed(i + 1);
                else ++i;
                break;
            case 's':
                if (i + 1 < s.size() && (s[i + 1] == '+' || s[i + 1] == '-')) ++i;
                while (i + 1 < s.size() && std::isdigit(static_cast<unsigned char>(s[i + 1]))) ++i;
                break;
            case 'e': case '\\': out.push_back('\\'); break;
            case '-': out.push_back('-'); break;
            case ' ': case '~': out.push_back(' '); break;
            case '&': case 'c': case '|': case '^': case ')': break;
            case '"': i = s.size(); break; // a comment to the end of the line
            default: out.push_back(e); break;
            }
        }
        return out;
    };
    // Macro arguments, honouring double quotes.
    auto args = [](std::string_view rest) {
        std::vector<std::string> out;
        std::size_t i = 0;
        while (i < rest.size()) {
            while (i < rest.size() && rest[i] == ' ') ++i;
            if (i >= rest.size()) break;
            std::string a;
            if (rest[i] == '"') {
                ++i;
                while (i < rest.size() && rest[i] != '"') a.push_back(rest[i++]);
                ++i;
            } else {
                while (i < rest.size() && rest[i] != ' ') a.push_back(rest[i++]);
            }
            out.push_back(std::move(a));
        }
        return out;
    };
    std::string out;
    std::size_t pos = 0;
    while (pos <= roff.size()) {
        std::size_t nl = roff.find('\n', pos);
        if (nl == std::string_view::npos) nl = roff.size();
        std::string_view line = stripCr(roff.substr(pos, nl - pos));
        pos = nl + 1;
        if (line.empty()) {
            out += "\n";
            continue;
        }
        if (line[0] != '.' && line[0] != '\'') {
            out += inlineText(line);
            out += "\n";
            continue;
        }
        std::string_view body = line.substr(1);
        while (!body.empty() && body[0] == ' ') body.remove_prefix(1);
        const std::size_t sp = body.find(' ');
        const std::string macro(body.substr(0, sp));
        const std::string_view rest = sp == std::string_view::npos ? std::string_view() : body.substr(sp + 1);
        if (macro.empty() || macro[0] == '\\')
            continue; // a comment
        if (macro == "SH" || macro == "SS") {
            out += "\n";
            for (const auto& a : args(rest)) out += inlineText(a) + " ";
            if (!out.empty() && out.back() == ' ') out.pop_back();
            out += "\n";
        } else if (macro == "B" || macro == "I" || macro == "SM" || macro == "SB") {
            std::string words;
            for (const auto& a : args(rest)) words += (words.empty() ? "" : " ") + inlineText(a);
            out += words + "\n";
        } else if (macro.size() == 2 && std::string("BIR").find(macro[0]) != std::string::npos
                   && std::string("BIR").find(macro[1]) != std::string::npos) {
            for (const auto& a : args(rest)) out += inlineText(a); // alternating fonts, no spaces
            out += "\n";
        } else if (macro == "PP" || macro == "LP" || macro == "P" || macro == "sp" || macro == "TP" || macro == "IP"
                   || macro == "HP") {
            out += "\n";
            if (macro == "IP") {
                const auto a = args(rest);
                if (!a.empty()) out += inlineText(a[0]) + " ";
            }
        } else if (macro == "Nm" || macro == "Nd" || macro == "Fl" || macro == "Ar" || macro == "Sh") {
            // mdoc: keep the words
            out += inlineText(rest) + "\n";
        }
        // Every other request (.TH, .br, .nf, .de, .if, ...) carries no prose.
    }
    // Squeeze runs of blank lines.
    std::string squeezed;
    int blanks = 0;
    std::size_t p = 0;
    while (p < out.size()) {
        std::size_t nl = out.find('\n', p);
        if (nl == std::string::npos) nl = out.size();
        std::string_view l(out.data() + p, nl - p);
        if (isBlank(l)) {
            if (++blanks <= 1 && !squeezed.empty()) squeezed += "\n";
        } else {
            blanks = 0;
            squeezed.append(l);
            squeezed += "\n";
        }
        p = nl + 1;
    }
    return squeezed;
}

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

CorpusRecord importCorpus(Catalog& catalog, const CorpusImportOptions& options, const ImportProgress& progress)
{
    if (options.name.empty())
        throw InputError("a corpus needs a name");
    if (options.name.size() > 200 || options.name.find_first_of("\n\r\t:") != std::string::npos)
        throw InputError("corpus name '" + options.name + "' is too long or holds ':' or control characters");
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
    if (catalog.corpusByName(options.name))
        throw InputError("a corpus named '" + options.name + "' already exists in the catalog");

    const auto sources = expandPaths(options);
    std::uintmax_t totalBytes = 0;
    std::vector<std::uintmax_t> sizes;
    for (const auto& f : sources) {
        std::error_code ec;
        const auto size = fs::file_size(f.path, ec);
        sizes.push_back(ec ? 0 : size);
        totalBytes += sizes.back();
    }

    // Artifacts go to a fresh folder; its name holds a random tag so that a
    // failed import never collides with a later one.
    std::random_device rd;
    const std::string dirName = "corpora/" + std::to_string(std::uint32_t(rd())) + "-" + std::to_string(::time(nullptr));
    const fs::path dir = catalog.artifactPath(dirName);
    fs::create_directories(dir);
    try {
        auto report = [&](double f) {
            if (progress && !progress(f))
                throw Cancelled();
        };
        Importer im(options, dir);
        // Pass 1 (60% of the bar): read, clean and spool every document.
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
                                 + " files were skipped (first: " + im.m_skipped.at(0).at("path").get<std::string>()
                                 + ", " + im.m_skipped.at(0).at("reason").get<std::string>() + ")");
            throw InputError("no documents left to import (" + std::to_string(im.m_tooShort) + " too short, "
                             + std::to_string(im.m_tooLong) + " too long, " + std::to_string(im.m_duplicates)
                             + " duplicates, " + std::to_string(im.m_badUtf8Count) + " with invalid UTF-8)");
        }
        std::fflush(im.m_spool);

        // Labels are numbered in sorted order.
        std::vector<std::string> labelNames = im.m_labelNames;
        std::sort(labelNames.begin(), labelNames.end());
        std::vector<std::int32_t> renumber(im.m_labelNames.size());
        for (std::size_t i = 0; i < im.m_labelNames.size(); ++i)
            renumber[i] = static_cast<std::int32_t>(
                std::lower_bound(labelNames.begin(), labelNames.end(), im.m_labelNames[i]) - labelNames.begin());
        const bool labeled = !labelNames.empty();
        if (labeled) {
            for (const auto& d : im.m_docs)
                if (d.label < 0)
                    throw InputError("some documents have a label and some do not; a labeled corpus needs one for each");
        }
        std::vector<std::int32_t> docLabels(im.m_docs.size());
        for (std::size_t i = 0; i < im.m_docs.size(); ++i)
            docLabels[i] = im.m_docs[i].label < 0 ? -1 : renumber[static_cast<std::size_t>(im.m_docs[i].label)];
        auto splitOf = assignSplits(docLabels, options.split, options.seed);

        // The character tokenizer: every character of the corpus, plus <unk>
        // for text from elsewhere.
        std::vector<char32_t> cps;
        for (char32_t c = 0; c < 0x110000; ++c)
            if (im.m_charCounts[c] || c == '\n') // a line break always: it separates documents in the split texts
                cps.push_back(c);
        const auto tokenizer = makeCharTokenizer(cps);

        // Pass 2 (60-100%): the split texts, document indexes and character
        // token caches.
        struct SplitOut {
            std::FILE* text = nullptr;
            std::FILE* index = nullptr;
            std::unique_ptr<TokenCacheWriter> cache;
            std::uint64_t bytes = 0;
            std::int64_t documents = 0;
            std::int64_t chars = 0;
            std::int64_t unk = 0;
        };
        std::array<SplitOut, 3> out;
        const std::vector<std::int32_t> separatorIds = tokenizer->encode("\n\n");
        std::vector<std::int32_t> ids;
        for (int s = 0; s < 3; ++s) {
            out[s].cache = std::make_unique<TokenCacheWriter>(dir / ("tokens-char-" + std::string(kSplitNames[s]) + ".bin"),
                                                              tokenizer->vocabSize());
            out[s].text = std::fopen((dir / (std::string(kSplitNames[s]) + ".txt")).c_str(), "wb");
            out[s].index = std::fopen((dir / (std::string(kSplitNames[s]) + ".docs")).c_str(), "wb");
            if (!out[s].text || !out[s].index)
                throw RuntimeError("cannot write in " + dir.string() + ": " + std::strerror(errno));
        }
        auto closeAll = [&] {
            for (auto& o : out) {
                if (o.text) std::fclose(o.text);
                if (o.index) std::fclose(o.index);
                o.text = o.index = nullptr;
            }
        };
        std::int64_t totalChars = 0;
        std::map<std::int64_t, std::int64_t> histogram; // floor(log2(chars)) -> documents
        std::vector<std::array<std::int64_t, 3>> labelSplit(labelNames.size(), {0, 0, 0});
        try {
            std::ifstream spool(im.m_spoolPath, std::ios::binary);
            std::string doc;
            // One document alone: cut its text instead, at line breaks.
            const bool single = im.m_docs.size() == 1;
            for (std::size_t i = 0; i < im.m_docs.size(); ++i) {
                const auto& d = im.m_docs[i];
                doc.resize(d.length);
                spool.read(doc.data(), static_cast<std::streamsize>(d.length));
                if (!spool)
                    throw RuntimeError("cannot read back " + im.m_spoolPath.string());
                totalChars += static_cast<std::int64_t>(d.chars);
                ++histogram[d.chars ? static_cast<std::int64_t>(std::log2(static_cast<double>(d.chars))) : 0];
                auto write = [&](int s, std::string_view text) {
                    if (text.empty())
                        return;
                    auto& o = out[static_cast<std::size_t>(s)];
                    if (o.documents > 0) {
                        std::fputs("\n\n", o.text);
                        o.bytes += 2;
                        o.cache->append(separatorIds);
                    }
                    // In pieces of about 1 MB cut between characters: ids of
                    // a huge document never sit in memory at once.
                    for (std::size_t pos = 0; pos < text.size();) {
                        std::size_t end = std::min(text.size(), pos + (1u << 20));
                        while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80)
                            ++end;
                        ids.clear();
                        tokenizer->encode(text.substr(pos, end - pos), ids);
                        o.cache->append(ids);
                        o.unk += std::count(ids.begin(), ids.end(), tokenizer->unkId());
                        pos = end;
                    }
                    DocIndexEntry e{o.bytes, text.size(), docLabels[i]};
                    if (std::fwrite(text.data(), 1, text.size(), o.text) != text.size()
                        || std::fwrite(&e, sizeof e, 1, o.index) != 1)
                        throw RuntimeError("cannot write in " + dir.string() + ": " + std::strerror(errno));
                    o.bytes += text.size();
                    o.documents += 1;
                    o.chars += single ? static_cast<std::int64_t>(utf8::length(text)) : static_cast<std::int64_t>(d.chars);
                    if (docLabels[i] >= 0)
                        ++labelSplit[static_cast<std::size_t>(docLabels[i])][static_cast<std::size_t>(s)];
                };
                if (!single) {
                    write(splitOf[i], doc);
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
                    write(0, std::string_view(doc).substr(0, a));
                    write(1, std::string_view(doc).substr(a, b - a));
                    write(2, std::string_view(doc).substr(b));
                }
                if (i % 4096 == 0)
                    report(0.6 + 0.4 * static_cast<double>(i) / static_cast<double>(im.m_docs.size()));
            }
            for (auto& o : out) {
                if (std::fflush(o.text) != 0 || ::fsync(::fileno(o.text)) != 0 || std::fflush(o.index) != 0
                    || ::fsync(::fileno(o.index)) != 0)
                    throw RuntimeError("cannot write in " + dir.string() + ": " + std::strerror(errno));
            }
            closeAll();
        } catch (...) {
            closeAll();
            throw;
        }
        if (out[0].bytes == 0 || out[1].bytes == 0)
            throw InputError("corpus '" + options.name + "' is too small to split into training and validation text");

        // The token caches of the character tokenizer, written with the texts.
        std::vector<TokenCacheRecord> caches;
        for (int s = 0; s < 3; ++s) {
            auto& o = out[static_cast<std::size_t>(s)];
            if (o.bytes == 0)
                continue;
            TokenCacheRecord t;
            t.split = kSplitNames[s];
            t.path = dirName + "/tokens-char-" + t.split + ".bin";
            t.tokens = o.cache->tokens();
            t.bytes = static_cast<std::int64_t>(o.bytes);
            t.chars = o.chars + 2 * (o.documents - 1); // the blank lines between documents
            t.unk = o.unk;
            o.cache->finish();
            caches.push_back(t);
        }

        // Statistics for the corpus view.
        nlohmann::json stats;
        for (int s = 0; s < 3; ++s) {
            const auto& o = out[static_cast<std::size_t>(s)];
            stats["splits"][kSplitNames[s]] = {{"documents", o.documents}, {"bytes", o.bytes}, {"chars", o.chars}};
        }
        nlohmann::json hist = nlohmann::json::array();
        for (const auto& [bin, count] : histogram)
            hist.push_back({{"min_chars", std::int64_t(1) << bin}, {"max_chars", (std::int64_t(1) << (bin + 1)) - 1},
                            {"documents", count}});
        stats["length_histogram"] = hist;
        std::vector<std::pair<std::uint64_t, char32_t>> top;
        for (char32_t c : cps)
            top.emplace_back(im.m_charCounts[c], c);
        std::partial_sort(top.begin(), top.begin() + static_cast<std::ptrdiff_t>(std::min<std::size_t>(40, top.size())),
                          top.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
        nlohmann::json topChars = nlohmann::json::array();
        for (std::size_t i = 0; i < std::min<std::size_t>(40, top.size()); ++i) {
            std::string ch;
            utf8::append(ch, top[i].second);
            topChars.push_back({{"char", ch}, {"count", top[i].first}});
        }
        stats["top_chars"] = topChars;
        nlohmann::json labelsJson = nlohmann::json::object();
        if (labeled) {
            nlohmann::json perSplit = nlohmann::json::object();
            for (std::size_t l = 0; l < labelNames.size(); ++l) {
                labelsJson[labelNames[l]] = labelSplit[l][0] + labelSplit[l][1] + labelSplit[l][2];
                perSplit[labelNames[l]] = {{"train", labelSplit[l][0]}, {"validation", labelSplit[l][1]},
                                           {"test", labelSplit[l][2]}};
            }
            stats["labels_by_split"] = perSplit;
        }

        const std::string tokFile = "tokenizer" + tokenizer->fileExtension();
        const std::int64_t tokBytes = writeBytesAtomically(dir / tokFile, tokenizer->serialize());

        CorpusRecord c;
        c.name = options.name;
        c.documents = static_cast<std::int64_t>(im.m_docs.size());
        c.bytes = im.m_bytes;
        c.chars = totalChars;
        c.trainChars = out[0].chars;
        c.validationChars = out[1].chars;
        c.testChars = out[2].chars;
        c.splitSeed = static_cast<std::int64_t>(options.seed);
        c.vocabSize = tokenizer->vocabSize();
        {
            std::ostringstream s;
            s << options.split[0] << "," << options.split[1] << "," << options.split[2];
            c.split = s.str();
        }
        nlohmann::json src = nlohmann::json::array();
        for (const auto& f : im.m_files)
            src.push_back(fs::absolute(f).string());
        c.sources = src.dump();
        c.report = nlohmann::json{{"duplicates_removed", im.m_duplicates},
                                  {"skipped", im.m_skipped},
                                  {"bad_utf8", im.m_badUtf8},
                                  {"bad_utf8_count", im.m_badUtf8Count},
                                  {"bad_records", im.m_badRecords},
                                  {"bad_record_count", im.m_badRecordCount},
                                  {"too_short", im.m_tooShort},
                                  {"too_long", im.m_tooLong},
                                  {"nfc_normalized", im.m_normalized},
                                  {"options", {{"format", formatName(options.format)}, {"text_field", options.textField},
                                               {"label_field", options.labelField}, {"min_chars", options.minChars},
                                               {"max_chars", options.maxChars}, {"nfc", options.nfc}}}}
                       .dump();
        c.labels = labelsJson.dump();
        c.stats = stats.dump();

        std::vector<ArtifactRecord> artifacts;
        for (int s = 0; s < 3; ++s) {
            const std::string name = kSplitNames[s];
            if (out[static_cast<std::size_t>(s)].bytes == 0 && s == 2)
                continue;
            artifacts.push_back({0, std::nullopt, std::nullopt, "corpus_" + name, dirName + "/" + name + ".txt",
                                 static_cast<std::int64_t>(out[static_cast<std::size_t>(s)].bytes), std::nullopt});
            artifacts.push_back({0, std::nullopt, std::nullopt, "doc_index_" + name, dirName + "/" + name + ".docs",
                                 out[static_cast<std::size_t>(s)].documents * 24, std::nullopt});
        }
        if (out[2].bytes == 0) {
            fs::remove(dir / "test.txt");
            fs::remove(dir / "test.docs");
        }
        report(1.0);
        catalog.transaction([&] {
            c.id = catalog.addCorpus(c, artifacts);
            TokenizerRecord t;
            t.name = options.name + ":char";
            t.kind = "char";
            t.vocabSize = tokenizer->vocabSize();
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
    } catch (...) {
        std::error_code ec;
        fs::remove_all(dir, ec);
        throw;
    }
}

} // namespace wb
