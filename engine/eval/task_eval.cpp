// SPDX-License-Identifier: GPL-3.0-or-later
#include "eval/task_eval.h"

#include "eval/lm_eval.h"
#include "metrics/bleu.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <numbers>

namespace wb {

TaskBatch makeTaskBatch(const TaskData& data, const TaskSplit& split, const std::vector<std::size_t>& rows,
                        const torch::Device& device)
{
    const bool pairs = data.task == Task::Pairs;
    const auto B = static_cast<std::int64_t>(rows.size());
    std::int64_t T = 1;
    for (auto r : rows)
        T = std::max<std::int64_t>(T, static_cast<std::int64_t>(split.examples[r].ids.size()) - (pairs ? 1 : 0));
    auto x = torch::zeros({B, T}, torch::kLong);
    auto lengths = torch::empty({B}, torch::kLong);
    auto y = pairs ? torch::full({B, T}, kIgnoreIndex, torch::kLong) : torch::empty({B}, torch::kLong);
    auto* px = x.data_ptr<std::int64_t>();
    auto* pl = lengths.data_ptr<std::int64_t>();
    auto* py = y.data_ptr<std::int64_t>();
    for (std::int64_t b = 0; b < B; ++b) {
        const auto& ex = split.examples[rows[static_cast<std::size_t>(b)]];
        const auto n = static_cast<std::int64_t>(ex.ids.size()) - (pairs ? 1 : 0);
        for (std::int64_t t = 0; t < n; ++t)
            px[b * T + t] = ex.ids[static_cast<std::size_t>(t)];
        pl[b] = std::max<std::int64_t>(1, n);
        if (!pairs) {
            py[b] = ex.label;
            continue;
        }
        // Position t predicts ids[t + 1]; only target tokens count.
        for (std::int64_t t = std::max<std::int64_t>(0, ex.targetStart - 1); t < n; ++t)
            py[b * T + t] = ex.ids[static_cast<std::size_t>(t + 1)];
    }
    return {x.to(device), lengths.to(device), y.to(device)};
}

torch::Tensor taskLoss(LanguageModel& model, const TaskData& data, const TaskBatch& batch)
{
    namespace F = torch::nn::functional;
    if (data.task == Task::Classify)
        return F::cross_entropy(model.classify(batch.x, batch.lengths).to(torch::kFloat), batch.y);
    auto logits = model.forward(batch.x);
    return F::cross_entropy(logits.reshape({-1, logits.size(-1)}).to(torch::kFloat), batch.y.reshape({-1}),
                            F::CrossEntropyFuncOptions().ignore_index(kIgnoreIndex));
}

torch::Tensor auxLmLoss(LanguageModel& model, const TaskBatch& batch)
{
    namespace F = torch::nn::functional;
    const auto T = batch.x.size(1);
    // Position t predicts x[t + 1] when t + 1 is inside the row's length.
    auto targets = torch::full_like(batch.x, kIgnoreIndex);
    if (T > 1) {
        auto next = batch.x.slice(1, 1, T);
        auto pos = torch::arange(1, T, batch.x.options()).unsqueeze(0);
        targets.slice(1, 0, T - 1).copy_(torch::where(pos < batch.lengths.unsqueeze(1), next, torch::full_like(next, kIgnoreIndex)));
    }
    auto logits = model.forward(batch.x);
    return F::cross_entropy(logits.reshape({-1, logits.size(-1)}).to(torch::kFloat), targets.reshape({-1}),
                            F::CrossEntropyFuncOptions().ignore_index(kIgnoreIndex));
}

double auxLmWeight(double gamma0, std::int64_t halfLife, std::int64_t step)
{
    return gamma0 * std::pow(0.5, static_cast<double>(step) / static_cast<double>(std::max<std::int64_t>(1, halfLife)));
}

std::int32_t majorityClass(const TaskData& data)
{
    std::vector<std::int64_t> counts(std::max<std::size_t>(1, data.labels.size()), 0);
    for (const auto& ex : data.train.examples)
        if (ex.label >= 0 && static_cast<std::size_t>(ex.label) < counts.size())
            ++counts[static_cast<std::size_t>(ex.label)];
    return static_cast<std::int32_t>(std::max_element(counts.begin(), counts.end()) - counts.begin());
}

namespace {

// Greedy continuation of a pair's prompt until the end marker.
std::string generateTarget(LanguageModel& model, const TaskData& data, const TaskExample& ex, const Tokenizer& tokenizer,
                           const std::atomic<bool>* stop)
{
    std::vector<std::int32_t> prompt(ex.ids.begin(), ex.ids.begin() + ex.targetStart);
    const auto referenceTokens = static_cast<int>(ex.ids.size()) - ex.targetStart;
    const int limit = 2 * referenceTokens + 8;
    std::vector<std::int32_t> out;
    // One token at a time, so the end marker stops it as soon as it appears.
    while (static_cast<int>(out.size()) < limit) {
        const auto next = sampleLm(model, prompt, 1, 0.0, 0, stop);
        if (next.empty())
            break;
        out.push_back(next.front());
        prompt.push_back(next.front());
        if (out.size() >= data.end.size() && std::equal(data.end.rbegin(), data.end.rend(), out.rbegin())) {
            out.resize(out.size() - data.end.size());
            break;
        }
    }
    std::string text = tokenizer.decode(out);
    while (!text.empty() && text.back() == '\n')
        text.pop_back();
    return text;
}

} // namespace

TaskScore evaluateTask(LanguageModel& model, const TaskData& data, const TaskSplit& split, const Tokenizer& tokenizer,
                       int batch, std::int64_t generateLimit, const std::atomic<bool>* stop)
{
    torch::NoGradGuard noGrad;
    const bool wasTraining = model.is_training();
    model.eval();
    const auto device = model.device();
    TaskScore score;
    double lossSum = 0;
    std::int64_t counted = 0;
    std::vector<std::int32_t> gold, predicted;
    const std::size_t n = split.examples.size();
    for (std::size_t i = 0; i < n; i += static_cast<std::size_t>(batch)) {
        if (stop && stop->load(std::memory_order_relaxed)) {
            score.complete = false;
            break;
        }
        std::vector<std::size_t> rows;
        for (std::size_t r = i; r < std::min(n, i + static_cast<std::size_t>(batch)); ++r)
            rows.push_back(r);
        const TaskBatch b = makeTaskBatch(data, split, rows, device);
        namespace F = torch::nn::functional;
        if (data.task == Task::Classify) {
            auto logits = model.classify(b.x, b.lengths).to(torch::kFloat);
            lossSum += F::cross_entropy(logits, b.y, F::CrossEntropyFuncOptions().reduction(torch::kSum)).item<double>();
            counted += static_cast<std::int64_t>(rows.size());
            auto pred = logits.argmax(1).to(torch::kCPU);
            auto y = b.y.to(torch::kCPU);
            for (std::int64_t k = 0; k < pred.size(0); ++k) {
                predicted.push_back(static_cast<std::int32_t>(pred[k].item<std::int64_t>()));
                gold.push_back(static_cast<std::int32_t>(y[k].item<std::int64_t>()));
            }
        } else {
            auto logits = model.forward(b.x);
            lossSum += F::cross_entropy(logits.reshape({-1, logits.size(-1)}).to(torch::kFloat), b.y.reshape({-1}),
                                        F::CrossEntropyFuncOptions().ignore_index(kIgnoreIndex).reduction(torch::kSum))
                           .item<double>();
            counted += (b.y != kIgnoreIndex).sum().item<std::int64_t>();
        }
    }
    if (counted > 0) {
        score.loss = lossSum / static_cast<double>(counted);
        score.ppl = std::exp(score.loss);
    }
    if (data.task == Task::Classify && !gold.empty()) {
        score.classification = classificationReport(gold, predicted, static_cast<int>(data.labels.size()), majorityClass(data));
    } else if (data.task == Task::Pairs) {
        if (split.targetChars > 0 && counted > 0)
            score.bpc = lossSum / (std::numbers::ln2 * static_cast<double>(split.targetChars));
        const std::size_t g = generateLimit < 0 ? n : std::min<std::size_t>(n, static_cast<std::size_t>(generateLimit));
        if (g > 0 && score.complete) {
            std::vector<std::string> hyps, refs;
            std::int64_t exact = 0;
            for (std::size_t i = 0; i < g; ++i) {
                if (stop && stop->load(std::memory_order_relaxed)) {
                    score.complete = false;
                    break;
                }
                const auto& ex = split.examples[i];
                std::string text = generateTarget(model, data, ex, tokenizer, stop);
                exact += text == ex.target ? 1 : 0;
                hyps.push_back(text);
                refs.push_back(ex.target);
                score.generations.push_back({ex.prompt, ex.target, std::move(text)});
            }
            if (score.complete) {
                score.exactMatch = static_cast<double>(exact) / static_cast<double>(g);
                // A reference segment is one line for sacreBLEU: line breaks become spaces.
                auto oneLine = [](std::string s) {
                    std::replace(s.begin(), s.end(), '\n', ' ');
                    return s;
                };
                std::transform(hyps.begin(), hyps.end(), hyps.begin(), oneLine);
                std::transform(refs.begin(), refs.end(), refs.begin(), oneLine);
                score.bleu = corpusBleu(hyps, {refs}).bleu;
            }
        }
    }
    if (wasTraining)
        model.train();
    return score;
}

std::string taskScoreJson(const TaskScore& score, const TaskData& data, const std::string& split)
{
    nlohmann::json j{{"split", split}, {"task", enumName(data.task)}, {"loss", score.loss}, {"ppl", score.ppl}};
    if (data.task == Task::Pairs)
        j["bpc"] = score.bpc;
    if (score.classification) {
        const auto c = nlohmann::json::parse(classificationJson(*score.classification, data.labels));
        j.update(c);
    }
    j["exact_match"] = score.exactMatch ? nlohmann::json(*score.exactMatch) : nlohmann::json(nullptr);
    j["bleu"] = score.bleu ? nlohmann::json(*score.bleu) : nlohmann::json(nullptr);
    if (!score.generations.empty()) {
        auto g = nlohmann::json::array();
        for (const auto& p : score.generations)
            g.push_back({{"prompt", p.prompt}, {"reference", p.reference}, {"generated", p.generated}});
        j["generations"] = g;
    }
    return j.dump();
}

} // namespace wb
