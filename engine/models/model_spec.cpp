// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/model_spec.h"

#include "core/errors.h"
#include "core/files.h"

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>

namespace wb {

namespace {

int intField(const nlohmann::json& j, const char* field, int def, int lo, int hi, const std::string& source)
{
    if (!j.contains(field))
        return def;
    const auto& v = j[field];
    if (!v.is_number_integer())
        throw InputError(source + ": field '" + field + "' must be an integer");
    const auto x = v.get<std::int64_t>();
    if (x < lo || x > hi)
        throw InputError(source + ": field '" + field + "' is " + std::to_string(x) + ", must be between "
                         + std::to_string(lo) + " and " + std::to_string(hi));
    return static_cast<int>(x);
}

} // namespace

ModelSpec ModelSpec::fromJson(const std::string& json, const std::string& source)
{
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(json);
    } catch (const nlohmann::json::parse_error& e) {
        throw InputError(source + ": not valid JSON at byte offset " + std::to_string(e.byte) + ": " + e.what());
    }
    if (!j.is_object())
        throw InputError(source + ": a model spec must be a JSON object");
    ModelSpec spec;
    if (j.contains("family")) {
        if (!j["family"].is_string())
            throw InputError(source + ": field 'family' must be a string");
        spec.family = j["family"].get<std::string>();
    }
    if (spec.family != "transformer")
        throw InputError(source + ": field 'family' is '" + spec.family + "'; known families: transformer");
    static const char* known[] = {"family", "layers", "heads", "width", "context", "dropout"};
    for (const auto& [key, value] : j.items()) {
        if (std::find(std::begin(known), std::end(known), key) == std::end(known))
            throw InputError(source + ": unknown field '" + key + "' for family transformer");
    }
    auto& t = spec.transformer;
    t.layers = intField(j, "layers", t.layers, 1, 96, source);
    t.heads = intField(j, "heads", t.heads, 1, 128, source);
    t.width = intField(j, "width", t.width, 8, 8192, source);
    t.context = intField(j, "context", t.context, 2, 8192, source);
    if (j.contains("dropout")) {
        if (!j["dropout"].is_number())
            throw InputError(source + ": field 'dropout' must be a number");
        t.dropout = j["dropout"].get<double>();
        if (t.dropout < 0.0 || t.dropout >= 1.0)
            throw InputError(source + ": field 'dropout' must be in [0, 1)");
    }
    if (t.width % t.heads != 0)
        throw InputError(source + ": field 'heads' (" + std::to_string(t.heads) + ") must divide field 'width' ("
                         + std::to_string(t.width) + ")");
    return spec;
}

std::string ModelSpec::toJson() const
{
    nlohmann::json j;
    j["family"] = family;
    j["layers"] = transformer.layers;
    j["heads"] = transformer.heads;
    j["width"] = transformer.width;
    j["context"] = transformer.context;
    j["dropout"] = transformer.dropout;
    return j.dump();
}

std::int64_t ModelSpec::parameterCount(std::int64_t vocab) const
{
    // methods.md A5 (tied): L(12 d^2 + 13 d) + V d + n_ctx d + 2 d.
    const std::int64_t L = transformer.layers, d = transformer.width, n = transformer.context;
    return L * (12 * d * d + 13 * d) + vocab * d + n * d + 2 * d;
}

std::string ModelSpec::parameterFormula() const
{
    return "L(12d\xC2\xB2 + 13d) + Vd + n_ctx\xC2\xB7" "d + 2d";
}

double ModelSpec::trainingFlopsPerToken(std::int64_t vocab) const
{
    const double N = static_cast<double>(parameterCount(vocab) - transformer.context * transformer.width);
    return 6.0 * N + 12.0 * transformer.layers * transformer.context * transformer.width;
}

const std::vector<Preset>& presets()
{
    static const std::vector<Preset> all = [] {
        std::vector<Preset> p;
        ModelSpec tiny; // 4 layers, 4 heads, width 128, context 128: ~0.8M parameters
        p.push_back({"tiny-gpt", "GPT, 4 layers x 4 heads, width 128, context 128", tiny});
        ModelSpec nano;
        nano.transformer = {2, 2, 64, 64, 0.0};
        p.push_back({"nano-gpt", "GPT, 2 layers x 2 heads, width 64, context 64 (seconds on a laptop)", nano});
        ModelSpec small;
        small.transformer = {6, 6, 192, 256, 0.1};
        p.push_back({"small-gpt", "GPT, 6 layers x 6 heads, width 192, context 256", small});
        return p;
    }();
    return all;
}

ModelSpec resolveSpec(const std::string& presetOrFile)
{
    for (const auto& p : presets())
        if (p.name == presetOrFile)
            return p.spec;
    namespace fs = std::filesystem;
    std::error_code ec;
    if (!fs::is_regular_file(presetOrFile, ec)) {
        std::string names;
        for (const auto& p : presets())
            names += (names.empty() ? "" : ", ") + p.name;
        throw InputError("--arch '" + presetOrFile + "' is neither a preset (" + names + ") nor a readable JSON file");
    }
    return ModelSpec::fromJson(readFile(presetOrFile), presetOrFile);
}

} // namespace wb
