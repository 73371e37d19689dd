// SPDX-License-Identifier: GPL-3.0-or-later
// The settings table: every run setting declared once (key, type, default,
// range, help, label). It drives the CLI options, the GUI forms, sweep keys,
// run configs' JSON, `lmwb runs show` and validation, so the front ends can
// not drift apart. Torch-free: the UI reads it directly.
#pragma once

#include "core/errors.h"
#include "settings/run_config.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace wb {

enum class SettingType { Integer, Real, Flag, Text, Choice };

// A setting's value: Integer -> int64, Real -> double, Flag -> bool,
// Text and Choice -> string (a Choice's stored spelling).
using SettingValue = std::variant<std::int64_t, double, bool, std::string>;

// A value outside a setting's type or range. what() names the setting by
// key ("batch must be between 1 and 65536, got 0"); front ends put their own
// spelling in front of detail() (the CLI: "--batch must be ...").
class SettingError : public InputError {
public:
    SettingError(std::string key, std::string detail)
        : InputError(key + " " + detail), m_key(std::move(key)), m_detail(std::move(detail))
    {
    }
    const std::string& key() const { return m_key; }
    const std::string& detail() const { return m_detail; }

private:
    std::string m_key, m_detail;
};

struct Setting {
    std::string key;   // JSON key in a run config's "train" object, sweep key, CLI --key (with - for _)
    SettingType type = SettingType::Integer;
    SettingValue defaultValue;
    double min = 0, max = 0;         // Integer and Real
    bool minExclusive = false;       // Real: (min, max]
    bool maxExclusive = false;       // Real: [min, max) (or (min, max) with minExclusive)
    std::vector<std::string> choices; // Choice
    // A value that means "decided from other settings" (resolveDefaults);
    // allowed outside the range. autoHelp says how.
    std::optional<double> autoValue;
    std::string autoHelp;
    std::string flag;  // the CLI spelling when it is not --key
    std::string group; // GUI form section: Run, Optimizer, Schedule, Evaluation, Checkpoints, Device
    const char* label = ""; // translatable (QCoreApplication::translate("Settings", label))
    const char* help = "";  // translatable
    // Where it lives in a TrainSettings.
    std::function<SettingValue(const TrainSettings&)> get;
    std::function<void(TrainSettings&, const SettingValue&)> set;

    std::string cliFlag() const;
    bool isAuto(const SettingValue& v) const;
    // InputError-free check of a typed value: the reason it is refused, or empty.
    std::string problem(const SettingValue& v) const;
    // "between 1 and 65536", "greater than 0 and at most 100", "one of sgd, adam, adamw, radam".
    std::string rangeText() const;
};

// Every training setting, in the order forms and help list them.
const std::vector<Setting>& trainSettings();
// The setting with this key, or nullptr.
const Setting* findSetting(const std::string& key);

// Parses a value as a user typed it (CLI, GUI line edit); throws SettingError.
SettingValue parseSetting(const Setting& s, const std::string& text);
// Checks type and range; throws SettingError (the number printed as given
// when `asTyped` is set, else as a person writes it).
void checkSetting(const Setting& s, const SettingValue& v, const std::string& asTyped = {});
// Assigns a checked value.
void assignSetting(TrainSettings& t, const Setting& s, const SettingValue& v, const std::string& asTyped = {});
// The value as text (numbers as a person writes them, choices by name).
std::string settingText(const SettingValue& v);

// A number as a person writes it: 1e-09 -> 1e-9, 100.000000 -> 100, 0.0001 -> 0.0001.
std::string formatNumber(double x);

// The one defaults policy, applied by the engine to every run before it is
// stored, whichever front end built it:
// - eval_every auto: min(100, max(1, steps / 4));
// - min_lr auto: lr / 10 (the cosine and linear floor);
// - warmup: at most steps / 10;
// - log_every 1 on a GPU becomes 10 (reading the loss is a device sync).
void resolveDefaults(TrainSettings& t);
// resolveDefaults, and what depends on the spec as well: ulmfit's
// unfreeze_every auto = steps / (2 x layer groups), at least 1.
void resolveRunDefaults(RunConfig& config);

// Checks every field's range and the rules between fields (nesterov needs
// momentum); throws SettingError naming the first bad one.
void validateSettings(const TrainSettings& t);

// A run as a front end describes it: names, and values by setting key as
// the user typed them. Every front end (GUI, CLI, queue, sweeps) builds its
// RunConfig through buildRunConfig, so the same request gives the same run.
struct RunRequest {
    std::string corpus;
    std::string arch;      // preset name or spec file
    std::string tokenizer; // empty: the corpus's character tokenizer
    std::string specJson;  // a designed spec (GUI designer); empty: resolve `arch`
    // Setting key -> text as typed. "context" sets the spec's context.
    std::vector<std::pair<std::string, std::string>> values;
};
// Throws SettingError (a bad value, by key) or InputError (unknown preset...).
RunConfig buildRunConfig(const RunRequest& request);

} // namespace wb
