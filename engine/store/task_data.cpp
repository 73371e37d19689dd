// SPDX-License-Identifier: GPL-3.0-or-later
#include "store/task_data.h"

#include "catalog/catalog.h"
#include "core/errors.h"
#include "data/corpus_import.h"
#include "data/utf8.h"
#include "settings/settings.h"
#include "store/corpus_store.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace wb {

std::string corpusKind(const CorpusRecord& corpus)
{
    const auto labels = nlohmann::json::parse(corpus.labels.empty() ? "{}" : corpus.labels, nullptr, false);
    if (labels.is_object() && !labels.empty())
        return "labeled";
    const auto report = nlohmann::json::parse(corpus.report.empty() ? "{}" : corpus.report, nullptr, false);
    if (report.is_object() && report.contains("options") && report["options"].value("prompt_field", std::string()) != "")
        return "pairs";
    return "text";
}

void checkCorpusServesTask(const CorpusRecord& corpus, Task task)
{
    const std::string kind = corpusKind(corpus);
    if (task == Task::Classify) {
        if (kind != "labeled")
            throw SettingError("task", "classify needs a labeled corpus and '" + corpus.name + "' has no labels (import one with "
                                       "a label field or column, or one folder per label)");
        const auto labels = nlohmann::json::parse(corpus.labels);
        if (labels.size() < 2)
            throw SettingError("task", "classify needs at least two classes and '" + corpus.name + "' has one");
    } else if (task == Task::Pairs && kind != "pairs") {
        throw SettingError("task", "pairs needs a corpus of prompt/target pairs and '" + corpus.name
                                   + "' is not one (import one with --prompt-field F --target-field F, or use fortunes-qa)");
    }
}

namespace {

std::vector<std::int32_t> encodeOrExplain(const Tokenizer& tokenizer, std::string_view text, const std::string& where)
{
    try {
        return tokenizer.encode(text);
    } catch (const InputError& e) {
        throw InputError(where + ": " + e.what() + " (fine-tune on a corpus the parent's tokenizer covers)");
    }
}

TaskSplit readSplit(Catalog& catalog, const CorpusRecord& corpus, const Tokenizer& tokenizer, const TaskData& data,
                    const std::string& split, std::int64_t context)
{
    TaskSplit out;
    const auto index = readDocumentIndex(catalog, corpus, split);
    if (index.empty())
        return out;
    const std::string text = readCorpusSplit(catalog, corpus, split);
    for (std::size_t i = 0; i < index.size(); ++i) {
        const auto& d = index[i];
        if (d.offset + d.length > text.size())
            throw RuntimeError("corpus '" + corpus.name + "': the " + split + " document index points past its text");
        const std::string_view doc(text.data() + d.offset, d.length);
        const std::string where = "corpus '" + corpus.name + "', " + split + " document " + std::to_string(i + 1);
        TaskExample ex;
        if (data.task == Task::Classify) {
            ex.ids = encodeOrExplain(tokenizer, doc, where);
            if (ex.ids.empty())
                continue;
            if (static_cast<std::int64_t>(ex.ids.size()) > context)
                ex.ids.resize(static_cast<std::size_t>(context));
            ex.label = static_cast<std::int32_t>(d.label);
        } else {
            // The prompt's byte length is stored where a label would be.
            const auto promptBytes = static_cast<std::size_t>(std::max<std::int64_t>(0, d.label));
            if (promptBytes + 1 > doc.size())
                continue;
            ex.prompt = std::string(doc.substr(0, promptBytes));
            ex.target = std::string(doc.substr(promptBytes + 1));
            auto prompt = encodeOrExplain(tokenizer, ex.prompt, where);
            prompt.insert(prompt.end(), data.separator.begin(), data.separator.end());
            auto target = encodeOrExplain(tokenizer, ex.target, where);
            target.insert(target.end(), data.end.begin(), data.end.end());
            // context + 1 tokens give context predictions; the target keeps
            // as much as fits after at least one prompt token.
            const auto room = static_cast<std::size_t>(context + 1);
            if (target.size() > room - 1)
                target.resize(room - 1);
            const std::size_t keepPrompt = std::min(prompt.size(), room - target.size());
            ex.ids.assign(prompt.end() - static_cast<std::ptrdiff_t>(keepPrompt), prompt.end());
            ex.targetStart = static_cast<std::int32_t>(ex.ids.size());
            ex.ids.insert(ex.ids.end(), target.begin(), target.end());
            out.targetTokens += static_cast<std::int64_t>(target.size());
            // The characters of the target tokens kept (a long target is cut).
            out.targetChars += static_cast<std::int64_t>(utf8::length(tokenizer.decode(target)));
        }
        out.examples.push_back(std::move(ex));
    }
    return out;
}

} // namespace

TaskData loadTaskData(Catalog& catalog, const CorpusRecord& corpus, const Tokenizer& tokenizer, Task task, std::int64_t context,
                      std::int64_t examplesPerClass)
{
    checkCorpusServesTask(corpus, task);
    TaskData data;
    data.task = task;
    if (task == Task::Lm)
        return data;
    if (task == Task::Classify) {
        const auto labels = nlohmann::json::parse(corpus.labels);
        for (auto it = labels.begin(); it != labels.end(); ++it)
            data.labels.push_back(it.key()); // sorted: the ids the import gave
    } else {
        data.separator = encodeOrExplain(tokenizer, kPairSeparator, "the pair separator");
        data.end = encodeOrExplain(tokenizer, kPairEnd, "the pair end marker");
    }
    data.train = readSplit(catalog, corpus, tokenizer, data, "train", context);
    if (task == Task::Classify && examplesPerClass > 0) {
        std::vector<std::int64_t> kept(data.labels.size(), 0);
        std::vector<TaskExample> few;
        for (auto& ex : data.train.examples)
            if (ex.label >= 0 && static_cast<std::size_t>(ex.label) < kept.size() && kept[static_cast<std::size_t>(ex.label)]++ < examplesPerClass)
                few.push_back(std::move(ex));
        data.train.examples = std::move(few);
    }
    data.validation = readSplit(catalog, corpus, tokenizer, data, "validation", context);
    data.test = readSplit(catalog, corpus, tokenizer, data, "test", context);
    if (data.train.examples.empty() || data.validation.examples.empty())
        throw InputError("corpus '" + corpus.name + "' has no " + std::string(data.train.examples.empty() ? "training" : "validation")
                         + " examples for task " + enumName(task));
    return data;
}

} // namespace wb
