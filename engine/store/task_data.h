// SPDX-License-Identifier: GPL-3.0-or-later
// Reads a corpus's documents as the examples of a fine-tuning task.
#pragma once

#include "catalog/records.h"
#include "data/task_data.h"
#include "data/tokenizer.h"

#include <string>

namespace wb {

class Catalog;

// What kind of corpus it is: "labeled" (documents with labels), "pairs"
// (prompt/target documents) or "text".
std::string corpusKind(const CorpusRecord& corpus);

// InputError naming the corpus and the task when the corpus cannot serve it
// (classify needs a labeled corpus with at least two classes, pairs a pairs
// corpus); lm takes any.
void checkCorpusServesTask(const CorpusRecord& corpus, Task task);

// The examples of every split, tokenized with `tokenizer`, each cut to
// `context` tokens (classify) or context + 1 (pairs). Characters the
// tokenizer cannot encode are an InputError naming the split and document.
// `examplesPerClass` > 0 (classify): the training split keeps the first that
// many documents of each class (the split is already shuffled), the others
// whole.
TaskData loadTaskData(Catalog& catalog, const CorpusRecord& corpus, const Tokenizer& tokenizer, Task task,
                      std::int64_t context, std::int64_t examplesPerClass = 0);

// The separator between a pair's prompt and target as stored in the corpus
// text, and the end marker a generated target stops at.
inline constexpr const char* kPairSeparator = "\n";
inline constexpr const char* kPairEnd = "\n\n";

} // namespace wb
