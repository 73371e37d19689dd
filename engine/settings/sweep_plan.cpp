// SPDX-License-Identifier: GPL-3.0-or-later
#include "settings/sweep_plan.h"

#include "core/errors.h"
#include "core/names.h"
#include "models/model_spec.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <random>
#include <set>

namespace wb {

namespace {

using json = nlohmann::ordered_json;

constexpr std::size_t kMaxRuns = 1000;

// Where a parameter lives in a run config's JSON: ("train", key), ("spec", key)
// or ("", "arch").
std::pair<std::string, std::string> locate(const std::string& key, const json& config, const std::string& where)
{
    if (key == "arch")
        return {"", "arch"};
    auto dot = key.find('.');
    if (dot != std::string::npos) {
        const std::string section = key.substr(0, dot), field = key.substr(dot + 1);
        if (section != "train" && section != "spec")
            throw InputError(where + ": '" + key + "' must start with train. or spec.");
        if (section == "spec" && field == "family")
            throw InputError(where + ": sweep 'arch' to change the family, not 'spec.family'");
        if (!config.at(section).contains(field))
            throw InputError(where + ": '" + key + "' is not a " + (section == "train" ? "training setting" : "field of the "
                             + config.at("spec").value("family", std::string()) + " family"));
        return {section, field};
    }
    if (config.at("train").contains(key))
        return {"train", key};
    if (config.at("spec").contains(key) && key != "family")
        return {"spec", key};
    throw InputError(where + ": '" + key + "' is neither a training setting nor a field of the "
                     + config.at("spec").value("family", std::string()) + " family");
}

std::string show(const json& v)
{
    if (v.is_string())
        return v.get<std::string>();
    if (v.is_number_float()) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.4g", v.get<double>());
        return buf;
    }
    return v.dump();
}

// A run config from the base with `assignments` applied (arch first: it
// replaces the spec); validated.
RunConfig makeRun(const json& file, const std::vector<std::pair<std::string, json>>& assignments, const std::string& where)
{
    std::string arch = file.at("arch").get<std::string>();
    for (const auto& [k, v] : assignments)
        if (k == "arch") {
            if (!v.is_string())
                throw InputError(where + ": 'arch' values must be preset names or spec files");
            arch = v.get<std::string>();
        }
    RunConfig base;
    base.corpus = file.at("corpus").get<std::string>();
    base.tokenizer = file.value("tokenizer", std::string());
    base.arch = arch;
    base.spec = resolveSpec(arch);
    json cfg = json::parse(base.toJson());
    for (const char* section : {"spec", "train"}) {
        if (!file.contains(section))
            continue;
        if (!file.at(section).is_object())
            throw InputError(where + ": '" + section + "' must be an object");
        for (const auto& [k, v] : file.at(section).items())
            cfg[section][locate(std::string(section) + "." + k, cfg, where + " " + section).second] = v;
    }
    for (const auto& [k, v] : assignments) {
        const auto [section, field] = locate(k, cfg, where);
        if (!section.empty())
            cfg[section][field] = v;
    }
    try {
        RunConfig c = RunConfig::fromJson(cfg.dump());
        c.spec.validate(where);
        return c;
    } catch (const InputError& e) {
        throw InputError(where + ": " + e.what());
    }
}

} // namespace

namespace {

using Assignments = std::vector<std::pair<std::string, json>>;

// The sweep file's top level: JSON, the required and known fields.
json readSweepFile(const std::string& text, const std::string& source)
{
    json file;
    try {
        file = json::parse(text);
    } catch (const json::parse_error& e) {
        throw InputError(source + ": not valid JSON (byte " + std::to_string(e.byte) + ")");
    } catch (const json::exception& e) { // a number out of range (found by fuzzing)
        throw InputError(source + ": not valid JSON (" + e.what() + ")");
    }
    if (!file.is_object())
        throw InputError(source + ": a sweep file is a JSON object");
    for (const char* required : {"corpus", "arch", "parameters"})
        if (!file.contains(required))
            throw InputError(source + ": missing field '" + required + "'");
    if (!file.at("corpus").is_string() || !file.at("arch").is_string())
        throw InputError(source + ": 'corpus' and 'arch' must be strings");
    static const std::set<std::string> known{"name", "corpus", "arch", "tokenizer", "spec", "train", "method",
                                             "samples", "seed", "parameters"};
    for (const auto& [k, v] : file.items())
        if (!known.count(k))
            throw InputError(source + ": unknown field '" + k + "'");
    // The optional fields' types, so reading them later cannot fail (found by fuzzing).
    for (const char* text : {"name", "tokenizer", "method"})
        if (file.contains(text) && !file.at(text).is_string())
            throw InputError(source + ": '" + text + "' must be a string");
    for (const char* whole : {"samples", "seed"})
        if (file.contains(whole) && !file.at(whole).is_number_integer())
            throw InputError(source + ": '" + whole + "' must be a whole number");
    if (file.contains("seed") && file.at("seed").is_number_integer() && !file.at("seed").is_number_unsigned())
        throw InputError(source + ": 'seed' must not be negative");
    return file;
}

// Each parameter's domain: a list of values, or (random search) a range.
Assignments parameterDomains(const json& params, const std::string& method, const std::string& source)
{
    if (!params.is_object() || params.empty())
        throw InputError(source + ": 'parameters' must be an object with at least one parameter");
    Assignments domains;
    for (const auto& [k, v] : params.items()) {
        const std::string where = source + ": parameters." + k;
        if (v.is_array()) {
            if (v.empty())
                throw InputError(where + ": the list of values is empty");
        } else if (v.is_object()) {
            if (method == "grid")
                throw InputError(where + ": a range needs method random; a grid takes a list of values");
            if (!v.contains("min") || !v.contains("max") || !v["min"].is_number() || !v["max"].is_number())
                throw InputError(where + ": a range needs numeric 'min' and 'max'");
            for (const auto& [field, bound] : v.items())
                if (field != "min" && field != "max" && field != "log")
                    throw InputError(where + ": unknown field '" + field + "' in a range (min, max, log)");
            if (v.contains("log") && !v["log"].is_boolean())
                throw InputError(where + ": 'log' must be true or false");
            const double lo = v["min"].get<double>(), hi = v["max"].get<double>();
            if (!std::isfinite(lo) || !std::isfinite(hi) || !std::isfinite(hi - lo))
                throw InputError(where + ": the range is too wide");
            if (lo > hi)
                throw InputError(where + ": min is above max");
            // Whole-number bounds draw whole numbers (rounded from a double).
            if (v["min"].is_number_integer() && v["max"].is_number_integer() && (std::fabs(lo) > 1e15 || std::fabs(hi) > 1e15))
                throw InputError(where + ": whole-number bounds must be within +-1e15");
            if (v.value("log", false) && v["min"].get<double>() <= 0)
                throw InputError(where + ": a log range needs min > 0");
        } else {
            throw InputError(where + ": expected a list of values or a {min, max} range");
        }
        domains.emplace_back(k, v);
    }
    return domains;
}

// Every combination; the last parameter varies fastest, like nested loops in file order.
std::vector<Assignments> gridCombinations(const Assignments& domains, const std::string& source)
{
    std::size_t total = 1;
    for (const auto& [k, v] : domains) {
        total *= v.size();
        if (total > kMaxRuns)
            throw InputError(source + ": the grid has more than " + std::to_string(kMaxRuns) + " runs");
    }
    std::vector<Assignments> combos;
    for (std::size_t i = 0; i < total; ++i) {
        Assignments c(domains.size());
        std::size_t rest = i;
        for (std::size_t d = domains.size(); d-- > 0;) {
            c[d] = {domains[d].first, domains[d].second[rest % domains[d].second.size()]};
            rest /= domains[d].second.size();
        }
        combos.push_back(std::move(c));
    }
    return combos;
}

// `samples` draws (seeded by "seed") from lists or ranges; integer bounds give integers.
std::vector<Assignments> randomCombinations(const Assignments& domains, const json& file, const std::string& source)
{
    const long long samples = file.value("samples", 8LL);
    if (samples < 1 || samples > static_cast<long long>(kMaxRuns))
        throw InputError(source + ": 'samples' must be 1 to " + std::to_string(kMaxRuns));
    std::mt19937_64 rng(file.value("seed", 1ULL));
    std::vector<Assignments> combos;
    for (long long s = 0; s < samples; ++s) {
        Assignments c;
        for (const auto& [k, v] : domains) {
            if (v.is_array()) {
                c.emplace_back(k, v[std::uniform_int_distribution<std::size_t>(0, v.size() - 1)(rng)]);
                continue;
            }
            const double lo = v["min"].get<double>(), hi = v["max"].get<double>();
            const double u = std::uniform_real_distribution<double>(0, 1)(rng);
            double x = v.value("log", false) ? std::exp(std::log(lo) + u * (std::log(hi) - std::log(lo))) : lo + u * (hi - lo);
            if (v["min"].is_number_integer() && v["max"].is_number_integer())
                c.emplace_back(k, static_cast<long long>(std::llround(x)));
            else
                c.emplace_back(k, x);
        }
        combos.push_back(std::move(c));
    }
    return combos;
}

} // namespace

SweepPlan planSweep(const std::string& text, const std::string& source)
{
    const json file = readSweepFile(text, source);
    SweepPlan plan;
    plan.name = file.value("name", std::string("sweep"));
    checkName(source + ": sweep name", plan.name); // one rule for every name (core/names.h)
    plan.method = file.value("method", std::string("grid"));
    if (plan.method != "grid" && plan.method != "random")
        throw InputError(source + ": method '" + plan.method + "': expected grid or random");
    const Assignments domains = parameterDomains(file.at("parameters"), plan.method, source);
    for (const auto& [k, v] : domains)
        plan.keys.push_back(k);
    const auto combos = plan.method == "grid" ? gridCombinations(domains, source) : randomCombinations(domains, file, source);
    // Every combination is validated (through the settings table) before anything is queued.
    for (std::size_t i = 0; i < combos.size(); ++i) {
        std::string label;
        std::vector<std::string> values;
        for (const auto& [k, v] : combos[i]) {
            values.push_back(show(v));
            label += (label.empty() ? "" : ", ") + k + "=" + show(v);
        }
        plan.runs.push_back(makeRun(file, combos[i], source + ": run " + std::to_string(i + 1) + " (" + label + ")"));
        plan.values.push_back(std::move(values));
    }
    plan.json = file.dump();
    return plan;
}

std::vector<std::string> sweepKeys(const std::string& sweepJson)
{
    std::vector<std::string> keys;
    const json file = json::parse(sweepJson); // kept alive: items() only refers to it
    for (const auto& [k, v] : file.at("parameters").items())
        keys.push_back(k);
    return keys;
}

std::string sweptValue(const std::string& runConfigJson, const std::string& key)
{
    try {
        const json cfg = json::parse(runConfigJson);
        const auto [section, field] = locate(key, cfg, "sweep");
        return show(section.empty() ? cfg.at(field) : cfg.at(section).at(field));
    } catch (const std::exception&) {
        return "?";
    }
}

} // namespace wb
