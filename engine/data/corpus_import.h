// SPDX-License-Identifier: GPL-3.0-or-later
// Importing text into the catalog as a corpus. The import streams: files are
// read a buffer at a time, documents are cleaned (UTF-8 policy, NFC, length
// filters, exact duplicates), spooled to disk, split by document (seeded,
// stratified by label) and written as split texts plus document indexes,
// then encoded by the corpus's character tokenizer into memory-mappable
// token caches. Memory stays bounded by the longest document. Nothing
// reaches the catalog unless all of it does.
#pragma once

#include "catalog/records.h"

#include <array>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wb {


// How a file is cut into documents.
enum class TextFormat {
    Auto,    // by extension: .jsonl/.ndjson, .csv, .tsv; otherwise Blocks
    Text,    // the whole file is one document
    Blocks,  // blank-line separated blocks, or the fortune format ("%" lines)
    Lines,   // every non-blank line
    Jsonl,   // one JSON object per line; the document is its text field
    Csv,     // RFC 4180 with a header row; the document is the text column
    Tsv,     // the same with tabs
    Folders, // labeled folders: each subfolder of a given folder is a class, each file in it a document
    Man,     // manual pages (roff, .gz allowed): the text without markup, one document per page
    Qa,      // fortune blocks with a "Q:" and an "A:" part, as question -> answer pairs
    Docstrings, // Python sources: each function with a docstring, as docstring -> function source pairs
};

// "auto", "text", ...; InputError naming the value otherwise.
TextFormat parseTextFormat(const std::string& name);
std::string formatName(TextFormat format);

// What to do with invalid UTF-8. Every case is reported with file, line and
// byte offset: as the error (Fail), or in the corpus report.
enum class BadUtf8Policy {
    Fail,    // refuse the import (the default)
    Replace, // replace each ill-formed sequence with U+FFFD
    Skip,    // leave out the documents (lines, JSONL records, CSV records) that hold it
};
BadUtf8Policy parseBadUtf8Policy(const std::string& name);

// What to do with a malformed record: a JSONL line that is not JSON or lacks
// the text field, a CSV/TSV row with the wrong number of fields. Skipped
// records are listed with file and line in the corpus report.
enum class BadRecordPolicy { Fail, Skip };
BadRecordPolicy parseBadRecordPolicy(const std::string& name);

struct CorpusImportOptions {
    std::string name;
    std::vector<std::filesystem::path> paths; // files, or folders (all files below, sorted)
    TextFormat format = TextFormat::Auto;
    std::string textField = "text"; // JSONL field or CSV/TSV column holding the text
    std::string labelField;         // JSONL field or CSV/TSV column holding the label; empty: none
    // A pairs corpus (task pairs): the JSONL fields or CSV/TSV columns of
    // the prompt and the target, both or neither. Each document is stored
    // as prompt, a line break, target; the document index keeps the
    // prompt's byte length where a label would be.
    std::string promptField, targetField;
    bool labelFromFileName = false; // each file's name is its documents' label (fortune categories)
    // Globs over the paths of files found in folders, relative to the folder
    // (see data/glob.h); empty include list: every file.
    std::vector<std::string> include;
    std::vector<std::string> exclude;
    BadUtf8Policy onBadUtf8 = BadUtf8Policy::Fail;
    BadRecordPolicy onBadRecord = BadRecordPolicy::Fail;
    std::array<double, 3> split{0.9, 0.05, 0.05}; // train, validation, test
    std::uint64_t seed = 1234;
    std::int64_t minChars = 1;  // shorter documents are left out and counted
    std::int64_t maxChars = 0;  // longer ones too; 0: no limit
    bool nfc = true;            // Unicode NFC normalization (utf8proc)
};

// "0.9,0.05,0.05" -> fractions; InputError unless three non-negative numbers
// summing to 1 with training and validation above 0.
std::array<double, 3> parseSplit(const std::string& text);

// Files found in folders that hold NUL bytes (binary), are empty or cannot be
// read are skipped and listed in the corpus report; exact duplicate
// documents are removed and counted there too.
// Called with the fraction done (0..1); return false to cancel (the import
// then throws Cancelled and leaves nothing behind).
using ImportProgress = std::function<bool(double fraction)>;


// The documents of one file's text in the Blocks format, fed line by line:
// blocks between lines holding only "%" (the fortune/strfile format) when
// `fortune`, else between blank lines; blank lines at either end trimmed.
class BlockSplitter {
public:
    explicit BlockSplitter(bool fortune) : m_fortune(fortune) {}
    // `line` without its '\n'. Returns true when it ended a document, which
    // is then in `doc` (empty blocks are not documents).
    bool line(std::string_view line, std::string& doc);
    bool finish(std::string& doc);
    // The line (1-based, of those fed) where the current document began.
    std::size_t docLine() const { return m_docLine; }

private:
    bool flush(std::string& doc);
    bool m_fortune;
    std::string m_current;
    std::size_t m_lines = 0;
    std::size_t m_docLine = 0;
};
// All documents of a text in the Blocks format (the fortune format when any
// line is "%").
std::vector<std::string> splitDocuments(std::string_view text);

// Deterministic split by document: 0 train, 1 validation, 2 test for each
// document. Documents are grouped by label (one group when unlabeled) and
// each group is shuffled (Fisher-Yates over mt19937_64, whose output the
// standard fixes) and cut by the fractions, so every label keeps its share
// in every split.
std::vector<std::uint8_t> assignSplits(const std::vector<std::int32_t>& labels, const std::array<double, 3>& fractions,
                                       std::uint64_t seed);

inline constexpr const char* kSplitNames[3] = {"train", "validation", "test"};


// The document index of a split: byte range in the split text and label id
// (an index into the sorted labels; -1 when unlabeled).
struct DocumentEntry {
    std::uint64_t offset = 0;
    std::uint64_t length = 0;
    std::int64_t label = -1;
};

// A fortune block's "Q:" and "A:" parts (in either order, each running to
// the other marker or the block's end), each part's lines trimmed and
// joined by spaces: {question, answer}; nullopt unless both are there.
std::optional<std::pair<std::string, std::string>> splitQa(std::string_view block);

// The functions of a Python source file (lines without the line break)
// whose body starts with a docstring: {docstring, source without the
// docstring}, both dedented (the docstring as inspect.cleandoc leaves it).
std::vector<std::pair<std::string, std::string>> pythonDocstringPairs(const std::vector<std::string>& lines);

// Unicode NFC (utf8proc); text that cannot change (all below U+0300) is
// returned as it is without a library call.
std::string normalizeNfc(std::string_view text);
// The same in place; true when the text changed.
bool normalizeNfcInPlace(std::string& text);

// Plain text of a manual page's roff source: requests and escapes dropped,
// font and heading macros reduced to their words.
std::string roffToText(std::string_view roff);

} // namespace wb
