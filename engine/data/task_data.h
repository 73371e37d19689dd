// SPDX-License-Identifier: GPL-3.0-or-later
// The examples of a fine-tuning task, tokenized: labeled documents for
// classify, prompt/target pairs for pairs. Plain data, no LibTorch; the
// store module reads them from a corpus (store/task_data.cpp).
#pragma once

#include "core/enums.h"

#include <cstdint>
#include <string>
#include <vector>

namespace wb {

struct TaskExample {
    // classify: the document's first tokens (at most the model's context);
    // pairs: prompt, separator, target and end marker, cut to context + 1
    // tokens (the prompt loses its beginning first).
    std::vector<std::int32_t> ids;
    std::int32_t label = -1;      // classify: the class
    std::int32_t targetStart = 0; // pairs: ids[targetStart] is the first target token
    std::string prompt, target;   // pairs: the texts, for generation and BLEU
};

struct TaskSplit {
    std::vector<TaskExample> examples;
    std::int64_t targetTokens = 0; // pairs: target tokens (with the end marker) across the examples
    std::int64_t targetChars = 0;  // pairs: their characters, for bits per character
};

struct TaskData {
    Task task = Task::Lm;
    std::vector<std::string> labels;          // classify: the class names, in id order
    TaskSplit train, validation, test;
    std::vector<std::int32_t> separator, end; // pairs: between prompt and target; after the target
    const TaskSplit& split(const std::string& name) const
    {
        return name == "train" ? train : name == "test" ? test : validation;
    }
};

} // namespace wb
