// SPDX-License-Identifier: GPL-3.0-or-later
// Recomputing a stored run's metrics on a split of its corpus (lmwb eval,
// the GUI's run view). No LibTorch in this header.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

namespace wb {

class Catalog;

struct EvaluateOptions {
    std::string split = "validation"; // validation or test
    std::int64_t generateLimit = -1;  // pairs: examples to generate answers for (-1: all of the split)
    int batch = 32;
};

// The run's task metrics on the split as JSON: {"run","task","split","loss",
// "ppl","bpc", ...}: lm adds "bpb","tokens"; classify the report of
// metrics/classification.h ("accuracy","macro_f1","classes","confusion",
// "majority_accuracy", ...); pairs "exact_match","bleu","generations".
// Keys that do not apply to the task are null. InputError for an unknown
// run or split, a run without checkpoint, a corpus without that split.
std::string evaluateRun(Catalog& catalog, std::int64_t runId, const EvaluateOptions& options,
                        const std::atomic<bool>* stop = nullptr);

} // namespace wb
