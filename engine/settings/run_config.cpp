// SPDX-License-Identifier: GPL-3.0-or-later
// A run config's JSON, written and read through the settings table.
#include "settings/run_config.h"

#include "core/errors.h"
#include "settings/settings.h"

#include <nlohmann/json.hpp>

#include <cmath>

namespace wb {

namespace {

nlohmann::json toJsonValue(const SettingValue& v)
{
    return std::visit([](const auto& x) { return nlohmann::json(x); }, v);
}

// The JSON value as the setting's type; SettingError when it is another type.
SettingValue fromJsonValue(const Setting& s, const nlohmann::json& j)
{
    switch (s.type) {
    case SettingType::Integer:
        if (j.is_number_integer())
            return j.get<std::int64_t>();
        if (j.is_number_float()) { // 1e3 written by hand; in range first (found by fuzzing: 3e58 was undefined behaviour)
            const double d = j.get<double>();
            if (d >= -9223372036854775808.0 && d < 9223372036854775808.0 && d == std::trunc(d))
                return static_cast<std::int64_t>(d);
        }
        throw SettingError(s.key, "must be an integer, got " + j.dump());
    case SettingType::Real:
        if (j.is_number())
            return j.get<double>();
        throw SettingError(s.key, "must be a number, got " + j.dump());
    case SettingType::Flag:
        if (j.is_boolean())
            return j.get<bool>();
        throw SettingError(s.key, "must be true or false, got " + j.dump());
    case SettingType::Text:
    case SettingType::Choice:
        if (j.is_string())
            return j.get<std::string>();
        throw SettingError(s.key, "must be a string, got " + j.dump());
    }
    return {};
}

} // namespace

std::string RunConfig::toJson() const
{
    nlohmann::json j;
    j["corpus"] = corpus;
    j["arch"] = arch;
    j["tokenizer"] = tokenizer;
    j["spec"] = nlohmann::json::parse(spec.toJson());
    auto& t = j["train"];
    t = nlohmann::json::object();
    for (const auto& s : trainSettings())
        t[s.key] = toJsonValue(s.get(train));
    if (parentRun)
        j["parent"] = {{"run", *parentRun}, {"step", parentStep}};
    if (teacherRun)
        j["teacher"] = {{"run", *teacherRun}, {"step", teacherStep}};
    if (!compression.empty())
        j["compression"] = nlohmann::json::parse(compression);
    return j.dump();
}

RunConfig RunConfig::fromJson(const std::string& json)
{
    try {
        const auto j = nlohmann::json::parse(json);
        RunConfig c;
        c.corpus = j.at("corpus").get<std::string>();
        c.arch = j.at("arch").get<std::string>();
        c.tokenizer = j.value("tokenizer", "");
        c.spec = ModelSpec::fromJson(j.at("spec").dump(), "run config");
        const auto& t = j.at("train");
        if (!t.is_object())
            throw InputError("run config: 'train' must be an object");
        // Settings an older config lacks keep their defaults.
        for (const auto& [key, value] : t.items()) {
            const Setting* s = findSetting(key);
            if (!s)
                throw InputError("run config: '" + key + "' is not a training setting");
            assignSetting(c.train, *s, fromJsonValue(*s, value));
        }
        if (j.contains("parent")) {
            c.parentRun = j.at("parent").at("run").get<std::int64_t>();
            c.parentStep = j.at("parent").at("step").get<std::int64_t>();
        }
        if (j.contains("teacher")) {
            c.teacherRun = j.at("teacher").at("run").get<std::int64_t>();
            c.teacherStep = j.at("teacher").at("step").get<std::int64_t>();
        }
        if (j.contains("compression")) {
            if (!j.at("compression").is_object())
                throw InputError("run config: 'compression' must be an object");
            c.compression = j.at("compression").dump();
        }
        return c;
    } catch (const nlohmann::json::exception& e) {
        throw InputError(std::string("run config: ") + e.what());
    }
}

} // namespace wb
