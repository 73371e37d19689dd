// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/finetune_layers.h"

#include "core/errors.h"
#include "settings/settings.h"

namespace wb {

std::vector<std::string> trainedPrefixes(const ModelSpec& spec, FinetuneMethod method)
{
    if (method == FinetuneMethod::Full || method == FinetuneMethod::Ulmfit || method == FinetuneMethod::Mtl
        || method == FinetuneMethod::Smart)
        return {}; // ulmfit trains every parameter in the end (unfrozen group by group)
    auto out = familyPrefixes(spec, method);
    out.push_back("head."); // a classifier's head always trains
    return out;
}

void checkMethodForSpec(const ModelSpec& spec, FinetuneMethod method)
{
    if (method == FinetuneMethod::Prefix && spec.family != "transformer")
        throw SettingError("method", "prefix tunes the keys and values of attention, and family '" + spec.family
                                         + "' has none; use l-eo or l-ldb");
}

PrefixSize prefixSize(const ModelSpec& spec, int prefixLength, int hidden)
{
    const std::int64_t Lp = prefixLength, k = hidden, L = spec.i("layers"), d = spec.i("width");
    return {Lp * L * 2 * d, Lp * d + d * k + k + k * 2 * L * d + 2 * L * d};
}

std::vector<std::string> familyPrefixes(const ModelSpec& spec, FinetuneMethod method)
{
    if (method == FinetuneMethod::Prefix) {
        checkMethodForSpec(spec, method);
        return {"prefix."};
    }
    const std::string& f = spec.family;
    const bool eo = method == FinetuneMethod::LEo;
    auto last = [&](const std::string& list) { return list + "." + std::to_string(spec.i("layers") - 1) + "."; };
    if (f == "transformer")
        return eo ? std::vector<std::string>{"wte.", "wpe.", "ln_f."} : std::vector<std::string>{last("blocks")};
    if (f == "fnn")
        return eo ? std::vector<std::string>{"emb.", "out.", "direct."} : std::vector<std::string>{"hidden."};
    if (f == "cbow")
        return eo ? std::vector<std::string>{"emb.", "out."} : std::vector<std::string>{"out."};
    if (f == "cmow")
        return eo ? std::vector<std::string>{"matrix_table", "out."} : std::vector<std::string>{"out."};
    if (f == "cmow-cbow")
        return eo ? std::vector<std::string>{"emb.", "matrix_table", "backward_matrix_table", "out."} : std::vector<std::string>{"out."};
    if (f == "cnn-bilstm") {
        if (eo)
            return {"emb.", "out."};
        std::vector<std::string> p{last("forward_lstm")};
        if (spec.b("bidirectional"))
            p.push_back(last("backward_lstm"));
        return p;
    }
    if (f == "lstm")
        return eo ? std::vector<std::string>{"emb.", "decoder.", "decoder_bias"} : std::vector<std::string>{last("layers")};
    throw InputError("fine-tuning method " + enumName(method) + " is not defined for family '" + f + "'");
}

std::vector<std::vector<std::string>> layerGroups(const ModelSpec& spec)
{
    const std::string& f = spec.family;
    auto stack = [&](const std::string& list, int n) {
        std::vector<std::vector<std::string>> g;
        for (int i = 0; i < n; ++i)
            g.push_back({list + "." + std::to_string(i) + "."});
        return g;
    };
    std::vector<std::vector<std::string>> groups;
    if (f == "transformer") {
        groups = {{"wte.", "wpe."}};
        for (auto& g : stack("blocks", spec.i("layers")))
            groups.push_back(g);
        groups.back().push_back("ln_f.");
    } else if (f == "lstm") {
        groups = {{"emb."}};
        for (auto& g : stack("layers", spec.i("layers")))
            groups.push_back(g);
        groups.back().insert(groups.back().end(), {"decoder.", "decoder_bias"});
    } else if (f == "cnn-bilstm") {
        groups = {{"emb."}, {"conv."}};
        for (int i = 0; i < spec.i("layers"); ++i)
            groups.push_back({"forward_lstm." + std::to_string(i) + ".", "backward_lstm." + std::to_string(i) + "."});
        groups.push_back({"out."});
    } else if (f == "fnn") {
        groups = {{"emb."}, {"hidden."}, {"out.", "direct."}};
    } else if (f == "cbow") {
        groups = {{"emb."}, {"out."}};
    } else if (f == "cmow") {
        groups = {{"matrix_table"}, {"out."}};
    } else if (f == "cmow-cbow") {
        groups = {{"emb.", "matrix_table", "backward_matrix_table"}, {"out."}};
    } else {
        throw InputError("no layer groups are defined for family '" + f + "'");
    }
    groups.back().push_back("head."); // a classifier's head trains from the start
    return groups;
}

std::string trainedDescription(const ModelSpec& spec, FinetuneMethod method)
{
    if (method == FinetuneMethod::Ulmfit)
        return "every parameter, " + std::to_string(layerGroups(spec).size())
               + " layer groups unfrozen one by one from the top, each lower group at the rate above / discriminative_factor";
    if (method == FinetuneMethod::Prefix)
        return "per-layer key/value prefixes of prefix_length virtual tokens, made by an MLP while training; the model stays frozen "
               "and only the prefix is stored";
    if (method == FinetuneMethod::Smart)
        return "every parameter, with SMART's smoothness term on perturbed input embeddings and a proximal term against a "
               "moving-average teacher";
    if (method == FinetuneMethod::Mtl)
        return "every parameter, with an auxiliary language-model loss on the task's text, its weight gamma halving every aux_lm_half_life steps";
    const auto prefixes = method == FinetuneMethod::Full ? std::vector<std::string>{} : familyPrefixes(spec, method);
    if (prefixes.empty())
        return "every parameter";
    std::string out;
    for (auto p : prefixes) {
        if (!p.empty() && p.back() == '.')
            p.pop_back();
        out += (out.empty() ? "" : ", ") + p;
    }
    const bool outputIsLast = method == FinetuneMethod::LLdb
                              && (spec.family == "cbow" || spec.family == "cmow" || spec.family == "cmow-cbow");
    return out + (method == FinetuneMethod::LEo ? " (embeddings and output layer)"
                                                : outputIsLast ? " (the output layer: this family has no hidden layer)"
                                                               : " (the last block or layer)");
}

} // namespace wb
