// SPDX-License-Identifier: GPL-3.0-or-later
// The reading half of an import (internal): which files a corpus takes, how
// each is cut into documents under the cleaning policies, and the on-disk
// spool of kept documents with their duplicate table.
#pragma once

#include "catalog/catalog.h"
#include "core/errors.h"
#include "core/names.h"
#include "data/byte_stream.h"
#include "data/corpus_import.h"
#include "data/glob.h"
#include "data/record_readers.h"
#include "data/text_util.h"
#include "data/utf8.h"
#include "store/corpus_files.h"

#include <unistd.h>
#include <utf8proc.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <set>

#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace wb::detail {

namespace fs = std::filesystem;

// A table of document hashes (open addressing), kept at
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
    ~Importer() { dropSpool(); }

    // The spool is only needed until the splits are written; it goes
    // before the import's folder is renamed into place.
    void dropSpool()
    {
        if (m_spool)
            std::fclose(m_spool);
        m_spool = nullptr;
        std::error_code ec;
        fs::remove(m_spoolPath, ec);
    }

    struct Doc {
        std::uint64_t offset; // in the spool
        std::uint64_t length;
        std::uint64_t chars;
        std::int32_t label;
        std::int64_t promptBytes = -1; // a pair's prompt length (pairs corpora); -1 otherwise
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
    std::int64_t m_notPairs = 0; // qa: blocks without both a question and an answer
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

    // A prompt/target pair: each part normalised and trimmed on its own (so
    // the prompt's length stays exact), stored as prompt, '\n', target.
    void addPair(std::string prompt, std::string target)
    {
        for (auto* part : {&prompt, &target}) {
            if (m_o.nfc && normalizeNfcInPlace(*part))
                ++m_normalized;
            trimDocument(*part);
        }
        if (isBlank(prompt) || isBlank(target)) {
            ++m_tooShort;
            return;
        }
        const auto promptBytes = static_cast<std::int64_t>(prompt.size());
        add(prompt + "\n" + target, std::nullopt, promptBytes);
    }

    void add(std::string doc, const std::optional<std::string>& label, std::int64_t promptBytes = -1)
    {
        if (promptBytes < 0 && m_o.nfc && normalizeNfcInPlace(doc))
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
        m_docs.push_back({m_spoolSize, doc.size(), static_cast<std::uint64_t>(chars), labelId(label), promptBytes});
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

    // A file's lines with their 1-based numbers and byte offsets; a leading
    // byte-order mark is dropped (offsets still count it).
    struct LineSource {
        ByteStream& stream;
        std::string line;
        std::uint64_t offset = 0;
        std::size_t number = 0;
        bool bom = true;

        bool next()
        {
            if (!stream.readLine(line, offset))
                return false;
            ++number;
            if (bom && line.rfind("\xEF\xBB\xBF", 0) == 0) {
                line.erase(0, 3);
                offset += 3;
            }
            bom = false;
            return true;
        }
    };

    // One document per non-blank line.
    void readLines(const fs::path& f, LineSource& in, const std::optional<std::string>& label)
    {
        while (in.next()) {
            if (!checkLine(f, in.line, in.number, in.offset))
                continue;
            const auto content = stripCr(in.line);
            if (!isBlank(content)) {
                in.line.resize(content.size());
                add(std::move(in.line), label); // moved, not copied: a line may be very long
                in.line.clear();
            }
        }
    }

    // Documents between blank lines, or between "%" lines in a fortune file.
    void readBlocks(const fs::path& f, LineSource& in, const std::optional<std::string>& label, bool fortunes)
    {
        BlockSplitter splitter(fortunes);
        std::string doc;
        bool bad = false;
        while (in.next()) {
            const bool ok = checkLine(f, in.line, in.number, in.offset);
            if (splitter.line(in.line, doc)) {
                if (!bad)
                    add(std::move(doc), label);
                bad = false;
            }
            bad = bad || !ok; // the line belongs to the document now in progress
        }
        if (splitter.finish(doc) && !bad)
            add(std::move(doc), label);
    }

    // The whole file as one document (a manual page's roff turned to text).
    void readWhole(const fs::path& f, LineSource& in, const std::optional<std::string>& label, bool man)
    {
        std::string doc;
        bool bad = false, first = true;
        while (in.next()) {
            bad = !checkLine(f, in.line, in.number, in.offset) || bad;
            if (!first)
                doc.push_back('\n');
            first = false;
            doc += in.line;
        }
        if (bad)
            return;
        if (man)
            doc = roffToText(doc);
        trimDocument(doc);
        add(std::move(doc), label);
    }

    // One document per JSON line: the text field, and the label field when named.
    void readJsonl(const fs::path& f, LineSource& in, const std::optional<std::string>& label)
    {
        JsonlReader::Record r;
        while (in.next()) {
            if (!checkLine(f, in.line, in.number, in.offset))
                continue;
            bool parsed = false;
            try {
                parsed = pairs() ? JsonlReader::parseLine(in.line, in.number, f.string(), r, m_o.promptField, {}, m_o.targetField)
                                 : JsonlReader::parseLine(in.line, in.number, f.string(), r, m_o.textField, m_o.labelField);
            } catch (const InputError& e) {
                badRecord(InputError(std::string(e.what()) + " (--on-bad-record skip to leave such lines out)"));
            }
            if (parsed && pairs())
                addPair(std::move(r.text), std::move(*r.target));
            else if (parsed)
                add(std::move(r.text), r.label ? r.label : label);
        }
    }

    // One document per CSV/TSV record: the text column, and the label column when named.
    void readCsv(const fs::path& f, ByteStream& stream, char separator, const std::optional<std::string>& fileLabel)
    {
        CsvReader reader(stream, separator, f.string());
        std::vector<std::string> header, row;
        if (!reader.next(header))
            return;
        auto column = [&](const std::string& name, const char* option) {
            const auto col = std::find(header.begin(), header.end(), name);
            if (col == header.end())
                throw InputError(f.string() + ": line 1: the header has no column '" + name + "' (use " + option
                                 + " to name the column)");
            return static_cast<std::size_t>(col - header.begin());
        };
        const std::size_t textCol = pairs() ? column(m_o.promptField, "--prompt-field") : column(m_o.textField, "--text-field");
        const std::optional<std::size_t> labelCol =
            m_o.labelField.empty() ? std::nullopt : std::optional<std::size_t>(column(m_o.labelField, "--label-field"));
        const std::optional<std::size_t> targetCol =
            pairs() ? std::optional<std::size_t>(column(m_o.targetField, "--target-field")) : std::nullopt;
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
            for (std::size_t col : {textCol, labelCol.value_or(textCol), targetCol.value_or(textCol)}) {
                std::uint64_t fieldOffset = reader.fieldOffsets().at(col);
                ok = checkLine(f, row[col], reader.recordLine(), fieldOffset) && ok;
            }
            if (!ok)
                continue;
            std::optional<std::string> label = fileLabel;
            if (labelCol) {
                if (row[*labelCol].empty())
                    throw InputError(f.string() + ": line " + std::to_string(reader.recordLine()) + ": the label column '"
                                     + m_o.labelField + "' is empty");
                label = row[*labelCol];
            }
            if (targetCol)
                addPair(std::move(row[textCol]), std::move(row[*targetCol]));
            else
                add(std::move(row[textCol]), label);
        }
    }

    bool pairs() const { return !m_o.promptField.empty(); }

    // Fortune blocks holding a "Q:" part and an "A:" part (in either order,
    // each running to the other or the block's end) as question -> answer;
    // other blocks are left out and counted.
    void readQa(const fs::path& f, LineSource& in)
    {
        BlockSplitter splitter(true);
        std::string doc;
        bool bad = false;
        auto take = [&] {
            if (bad)
                return;
            const auto pair = splitQa(doc);
            if (pair)
                addPair(pair->first, pair->second);
            else
                ++m_notPairs;
        };
        while (in.next()) {
            const bool ok = checkLine(f, in.line, in.number, in.offset);
            if (splitter.line(in.line, doc)) {
                take();
                bad = false;
            }
            bad = bad || !ok;
        }
        if (splitter.finish(doc))
            take();
    }

    // Python source: every function (def, async def; methods too) whose
    // body starts with a docstring, as docstring -> the function's source
    // without its docstring, dedented.
    void readDocstrings(const fs::path& f, LineSource& in)
    {
        std::vector<std::string> lines;
        while (in.next()) {
            if (!checkLine(f, in.line, in.number, in.offset))
                return; // a file with invalid UTF-8 (when skipped) gives nothing
            lines.push_back(std::string(stripCr(in.line)));
        }
        for (auto& [doc, code] : pythonDocstringPairs(lines))
            addPair(std::move(doc), std::move(code));
    }

    // Reads one file into documents. Returns false when a folder file was
    // skipped (binary, empty, unreadable), after listing it.
    bool importFile(const SourceFile& source, const std::function<void(std::uint64_t)>& onRead)
    {
        const fs::path& f = source.path;
        auto skip = [&](const std::string& reason) {
            if (!source.fromFolder)
                throw InputError(printable(f.string()) + " " + reason);
            if (m_skipped.size() < kReportCap)
                m_skipped.push_back({{"path", printable(f.string())}, {"reason", reason}});
            return false;
        };
        // A name that is not UTF-8 is shown by its bytes (\xNN); in a
        // folder such a file is skipped like a binary one, with the reason.
        if (source.fromFolder && !isUtf8(f.filename().string()))
            return skip("has a file name that is not valid UTF-8 (shown here by its bytes)");
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
        const std::optional<std::string> label = m_o.labelFromFileName ? std::optional(f.filename().string()) : source.label;
        LineSource in{*stream};
        switch (format) {
        case TextFormat::Lines: readLines(f, in, label); break;
        case TextFormat::Auto:
        case TextFormat::Blocks: readBlocks(f, in, label, looksLikeFortunes(head)); break;
        case TextFormat::Text:
        case TextFormat::Folders:
        case TextFormat::Man: readWhole(f, in, label, format == TextFormat::Man); break;
        case TextFormat::Jsonl: readJsonl(f, in, label); break;
        case TextFormat::Qa: readQa(f, in); break;
        case TextFormat::Docstrings: readDocstrings(f, in); break;
        case TextFormat::Csv:
        case TextFormat::Tsv: readCsv(f, *stream, format == TextFormat::Csv ? ',' : '\t', label); break;
        }
        const std::size_t after = m_docs.size() + static_cast<std::size_t>(m_duplicates + m_tooShort + m_tooLong);
        if (after == before && m_badUtf8Count + m_badRecordCount == badBefore) {
            if (format == TextFormat::Qa || format == TextFormat::Docstrings)
                return false; // a file without pairs is not an error: most fortunes and modules have none
            if (!source.fromFolder)
                throw InputError(f.string() + " holds no documents (only blank text or separators)");
            return skip("holds no documents (only blank text)");
        }
        m_files.push_back(f);
        return true;
    }
};


} // namespace wb::detail
