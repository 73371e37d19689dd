// SPDX-License-Identifier: GPL-3.0-or-later
// Importing UTF-8 text files into the catalog: validation (file and byte
// offset of any problem), documents, a deterministic train/validation split,
// the character tokenizer. Nothing reaches the catalog unless all of it does.
#pragma once

#include "catalog/records.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace wb {

class Catalog;

// How a file is cut into documents.
enum class TextFormat {
    Auto,   // by extension: .jsonl/.ndjson, .csv, .tsv; otherwise Blocks
    Text,   // the whole file is one document
    Blocks, // blank-line separated blocks, or the fortune format ("%" lines)
    Lines,  // every non-blank line
    Jsonl,  // one JSON object per line; the document is its text field
    Csv,    // RFC 4180 with a header row; the document is the text column
    Tsv,    // the same with tabs
};

// "auto", "text", ...; InputError naming the value otherwise.
TextFormat parseTextFormat(const std::string& name);

// What to do with invalid UTF-8. Every case is reported with file, line and
// byte offset: as the error (Fail), or in the corpus report.
enum class BadUtf8Policy {
    Fail,    // refuse the import (the default)
    Replace, // replace each ill-formed sequence with U+FFFD
    Skip,    // leave out the documents (JSONL lines, CSV records) that hold it
};
BadUtf8Policy parseBadUtf8Policy(const std::string& name);

struct CorpusImportOptions {
    std::string name;
    std::vector<std::filesystem::path> paths; // files, or folders (all files below, sorted)
    TextFormat format = TextFormat::Auto;
    std::string textField = "text"; // JSONL field or CSV/TSV column holding the text
    // Globs over the paths of files found in folders, relative to the folder
    // (see data/glob.h); empty include list: every file.
    std::vector<std::string> include;
    std::vector<std::string> exclude;
    BadUtf8Policy onBadUtf8 = BadUtf8Policy::Fail;
    double validationFraction = 0.1;
    std::uint64_t seed = 1234;
};

// Files found in folders that hold NUL bytes are skipped as binary and
// listed in the corpus report; exact duplicate documents are removed and
// counted there too.
// Called with the fraction done (0..1); return false to cancel (the import
// then throws Cancelled and leaves nothing behind).
using ImportProgress = std::function<bool(double fraction)>;

CorpusRecord importCorpus(Catalog& catalog, const CorpusImportOptions& options, const ImportProgress& progress = {});

// Splits a file's text into documents: on lines holding only "%" (the
// fortune/strfile format) when the text has any, else on blank lines.
std::vector<std::string_view> splitDocuments(std::string_view text);

// Deterministic split: the indices (sorted) of the documents that go to the
// validation set; the same (count, fraction, seed) always gives the same set.
std::vector<std::size_t> validationDocuments(std::size_t count, double fraction, std::uint64_t seed);

// Corpus split texts and tokenizer read back from the catalog's artifacts.
struct CorpusTexts {
    std::string train;
    std::string validation;
    std::string tokenizerJson;
};
CorpusTexts loadCorpusTexts(Catalog& catalog, std::int64_t corpusId);

} // namespace wb
