// SPDX-License-Identifier: GPL-3.0-or-later
// Corpus use cases both front ends call: import, statistics, removal,
// tokenizer training. The CLI prints what they return; the GUI's bridge
// runs them on a worker thread and marshals the result.
#pragma once

#include "data/corpus_import.h"
#include "data/tokenizer.h"

#include <cstddef>
#include <filesystem>
#include <functional>
#include <string>

namespace wb {

class Catalog;

// The statistics of a corpus as `lmwb corpus show --json` prints them
// (InputError when no such corpus). Registers the character tokenizer of a
// corpus imported by an older version first.
std::string showCorpus(Catalog& catalog, const std::string& name, bool detailed = true);

// Removes a corpus, its rows and its files (InputError while runs use it).
// The number of files removed.
std::size_t removeCorpusWithFiles(Catalog& catalog, const std::string& name);

// Imports files as a corpus (corpus_import.h) in one catalog transaction;
// `progress` returns false to cancel (nothing is kept).
CorpusRecord importCorpusFiles(const std::filesystem::path& catalogFile, const CorpusImportOptions& options,
                               const std::function<bool(double)>& progress);

// Trains a tokenizer on a corpus and stores it (tokenizer.h).
void trainTokenizer(const std::filesystem::path& catalogFile, const std::string& name, const std::string& corpus,
                    const TokenizerTrainOptions& options, const std::function<bool(double)>& progress);

} // namespace wb
