// SPDX-License-Identifier: GPL-3.0-or-later
// Classification metrics from gold and predicted labels: accuracy, per-class
// precision, recall and F1, macro-F1 (the unweighted mean of the per-class
// F1 over the classes that occur in the gold or the predicted labels), the
// confusion matrix, and the
// majority-class baseline (always predicting the training split's most
// frequent class). No LibTorch.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace wb {

struct ClassificationReport {
    std::int64_t examples = 0;
    double accuracy = 0;
    double macroF1 = 0;
    std::vector<double> precision, recall, f1; // per class
    std::vector<std::int64_t> support;          // gold examples per class
    std::vector<std::vector<std::int64_t>> confusion; // [gold][predicted]
    std::int32_t majorityClass = 0;   // the most frequent class in training
    double majorityAccuracy = 0;      // of always predicting it, on this split
    double majorityMacroF1 = 0;
};

// `majorityClass`: the most frequent training label. Labels outside
// [0, classes) are an InvalidArgument (std::invalid_argument).
ClassificationReport classificationReport(const std::vector<std::int32_t>& gold, const std::vector<std::int32_t>& predicted,
                                          int classes, std::int32_t majorityClass);

// {"examples","accuracy","macro_f1","majority_class","majority_accuracy",
//  "majority_macro_f1","classes":[{"label","precision","recall","f1","support"}],
//  "confusion":[[...]]}
std::string classificationJson(const ClassificationReport& report, const std::vector<std::string>& labels);

} // namespace wb
