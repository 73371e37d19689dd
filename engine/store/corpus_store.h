// SPDX-License-Identifier: GPL-3.0-or-later
// A corpus's files and rows in the catalog: import (spool, split, commit),
// reading splits back, tokenizers and token caches: storing a tokenizer, training
// one on a corpus, and encoding a corpus's splits into memory-mappable token
// caches (once per tokenizer and corpus; runs reuse them).
#pragma once

#include "catalog/records.h"
#include "data/corpus_import.h"
#include "data/tokenizer.h"

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace wb {

class Catalog;

// Imports files as a corpus: the documents are spooled, split and written
// (corpus_import.cpp), then committed to the catalog in one transaction.
CorpusRecord importCorpus(Catalog& catalog, const CorpusImportOptions& options, const ImportProgress& progress = {});

// One split's text, as stored: documents separated by a blank line.
// Empty for a test split of a corpus made before three-way splits.
std::filesystem::path corpusSplitFile(Catalog& catalog, const CorpusRecord& corpus, const std::string& split);
std::string readCorpusSplit(Catalog& catalog, const CorpusRecord& corpus, const std::string& split);

// The document index of a split (DocumentEntry, data/corpus_import.h).
std::vector<DocumentEntry> readDocumentIndex(Catalog& catalog, const CorpusRecord& corpus, const std::string& split);


std::unique_ptr<Tokenizer> openTokenizer(Catalog& catalog, const TokenizerRecord& record);

// The corpus's own character tokenizer; registered on first use for corpora
// imported before tokenizers were catalog entries.
TokenizerRecord corpusTokenizer(Catalog& catalog, const CorpusRecord& corpus);

// Tokenizer names: letters, digits and . _ - (so they read well in
// commands); InputError naming the problem otherwise.
void checkTokenizerName(const std::string& name);

// Writes a tokenizer's file and its catalog entry.
TokenizerRecord storeTokenizer(Catalog& catalog, const std::string& name, const Tokenizer& tokenizer,
                               std::optional<std::int64_t> corpusId, const std::string& configJson);

// Encodes one text file (a split, documents separated by blank lines) into a
// token cache at `cacheFile`, streaming a few megabytes at a time. The
// returned record has the counts; its ids and path are for the caller.
TokenCacheRecord encodeTextFile(const std::filesystem::path& textFile, const Tokenizer& tokenizer,
                                const std::filesystem::path& cacheFile, const ImportProgress& progress = {});

// The token caches of every split of the corpus under the tokenizer,
// encoding those not yet made.
std::vector<TokenCacheRecord> ensureTokenCaches(Catalog& catalog, const CorpusRecord& corpus,
                                                const TokenizerRecord& record, const Tokenizer& tokenizer,
                                                const ImportProgress& progress = {});

struct TrainedTokenizer {
    TokenizerRecord record;
    std::vector<TokenCacheRecord> caches; // of the corpus it was trained on
};

// Trains a tokenizer on the training split of `corpus`, stores it under
// `name` and encodes the corpus's splits with it.
TrainedTokenizer trainCorpusTokenizer(Catalog& catalog, const std::string& name, const std::string& corpus,
                                      const TokenizerTrainOptions& options, const ImportProgress& progress = {});

} // namespace wb

namespace wb {

// The corpus as `lmwb corpus add/show --json` prints it: name, documents,
// bytes, chars, duplicates_removed, skipped, labels, splits {train,
// validation, test: {documents, chars, bytes}}; with `detailed` also the
// length histogram, top characters and every tokenizer's counts on it.
std::string corpusSummaryJson(Catalog& catalog, const CorpusRecord& corpus, bool detailed);

// A tokenizer as `lmwb tokenizer train --json` prints it, with its counts on
// the corpus `corpusId`: name, kind, vocab_size, bytes_per_token, unk_rate,
// tokens {train, validation, test}, and per split the same.
std::string tokenizerSummaryJson(Catalog& catalog, const TokenizerRecord& tokenizer, std::int64_t corpusId);

} // namespace wb
