// SPDX-License-Identifier: GPL-3.0-or-later
#include "metrics/classification.h"

#include <nlohmann/json.hpp>

#include <stdexcept>

namespace wb {

namespace {

// Per-class precision/recall/F1 and their macro mean over the classes that
// occur (in gold or predictions), as scikit-learn's f1_score(average="macro")
// computes it over the labels present.
void scoreClasses(ClassificationReport& r, int classes)
{
    r.precision.assign(static_cast<std::size_t>(classes), 0.0);
    r.recall.assign(static_cast<std::size_t>(classes), 0.0);
    r.f1.assign(static_cast<std::size_t>(classes), 0.0);
    r.support.assign(static_cast<std::size_t>(classes), 0);
    double f1Sum = 0;
    int present = 0;
    std::int64_t correct = 0;
    for (int c = 0; c < classes; ++c) {
        const auto cc = static_cast<std::size_t>(c);
        std::int64_t tp = r.confusion[cc][cc], predicted = 0, gold = 0;
        for (int o = 0; o < classes; ++o) {
            predicted += r.confusion[static_cast<std::size_t>(o)][cc];
            gold += r.confusion[cc][static_cast<std::size_t>(o)];
        }
        correct += tp;
        r.support[cc] = gold;
        r.precision[cc] = predicted ? static_cast<double>(tp) / static_cast<double>(predicted) : 0.0;
        r.recall[cc] = gold ? static_cast<double>(tp) / static_cast<double>(gold) : 0.0;
        const double pr = r.precision[cc] + r.recall[cc];
        r.f1[cc] = pr > 0 ? 2 * r.precision[cc] * r.recall[cc] / pr : 0.0;
        if (gold > 0 || predicted > 0) {
            f1Sum += r.f1[cc];
            ++present;
        }
    }
    r.accuracy = r.examples ? static_cast<double>(correct) / static_cast<double>(r.examples) : 0.0;
    r.macroF1 = present ? f1Sum / present : 0.0;
}

ClassificationReport tally(const std::vector<std::int32_t>& gold, const std::vector<std::int32_t>& predicted, int classes)
{
    if (gold.size() != predicted.size())
        throw std::invalid_argument("classification report: gold and predicted labels differ in number");
    ClassificationReport r;
    r.examples = static_cast<std::int64_t>(gold.size());
    r.confusion.assign(static_cast<std::size_t>(classes), std::vector<std::int64_t>(static_cast<std::size_t>(classes), 0));
    for (std::size_t i = 0; i < gold.size(); ++i) {
        if (gold[i] < 0 || gold[i] >= classes || predicted[i] < 0 || predicted[i] >= classes)
            throw std::invalid_argument("classification report: label out of range");
        ++r.confusion[static_cast<std::size_t>(gold[i])][static_cast<std::size_t>(predicted[i])];
    }
    scoreClasses(r, classes);
    return r;
}

} // namespace

ClassificationReport classificationReport(const std::vector<std::int32_t>& gold, const std::vector<std::int32_t>& predicted,
                                          int classes, std::int32_t majorityClass)
{
    ClassificationReport r = tally(gold, predicted, classes);
    const ClassificationReport baseline = tally(gold, std::vector<std::int32_t>(gold.size(), majorityClass), classes);
    r.majorityClass = majorityClass;
    r.majorityAccuracy = baseline.accuracy;
    r.majorityMacroF1 = baseline.macroF1;
    return r;
}

std::string classificationJson(const ClassificationReport& r, const std::vector<std::string>& labels)
{
    nlohmann::json classes = nlohmann::json::array();
    for (std::size_t c = 0; c < r.f1.size(); ++c)
        classes.push_back({{"label", c < labels.size() ? labels[c] : std::to_string(c)},
                           {"precision", r.precision[c]},
                           {"recall", r.recall[c]},
                           {"f1", r.f1[c]},
                           {"support", r.support[c]}});
    const auto m = static_cast<std::size_t>(r.majorityClass);
    return nlohmann::json{{"examples", r.examples},
                          {"accuracy", r.accuracy},
                          {"macro_f1", r.macroF1},
                          {"majority_class", m < labels.size() ? labels[m] : std::to_string(m)},
                          {"majority_accuracy", r.majorityAccuracy},
                          {"majority_macro_f1", r.majorityMacroF1},
                          {"classes", classes},
                          {"confusion", r.confusion}}
        .dump();
}

} // namespace wb
