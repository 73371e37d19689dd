// SPDX-License-Identifier: GPL-3.0-or-later
#include "settings/compression_settings.h"

#include <stdexcept>

// Marks a text for Qt's lupdate (context "Settings") without a Qt header.
#define QT_TRANSLATE_NOOP(scope, text) text

namespace wb {

namespace {

Setting row(std::string key, SettingType type, SettingValue def, double lo, double hi, const char* label, const char* help)
{
    Setting s;
    s.key = std::move(key);
    s.type = type;
    s.defaultValue = std::move(def);
    s.min = lo;
    s.max = hi;
    s.group = "Compression";
    s.label = label;
    s.help = help;
    return s;
}

std::vector<Setting> buildTable()
{
    using ST = SettingType;
    std::vector<Setting> v;
    Setting sparsity = row("sparsity", ST::Real, 0.5, 0, 1, QT_TRANSLATE_NOOP("Settings", "Fraction removed"),
                           QT_TRANSLATE_NOOP("Settings", "prune: the fraction of prunable weights set to zero (structured: of the heads, units or channels removed)"));
    sparsity.maxExclusive = true;
    v.push_back(sparsity);
    Setting scope = row("scope", ST::Choice, std::string("layer"), 0, 0, QT_TRANSLATE_NOOP("Settings", "Threshold"),
                        QT_TRANSLATE_NOOP("Settings", "prune: layer (each tensor its own threshold) or global (one threshold for all)"));
    scope.choices = {"layer", "global"};
    v.push_back(scope);
    // "schedule" is the learning-rate schedule's key in the training table.
    Setting schedule = row("prune_schedule", ST::Choice, std::string("oneshot"), 0, 0, QT_TRANSLATE_NOOP("Settings", "Schedule"),
                           QT_TRANSLATE_NOOP("Settings", "prune: oneshot, or gradual (Zhu and Gupta 2017) while fine-tuning for finetune_steps"));
    schedule.choices = {"oneshot", "gradual"};
    schedule.flag = "--schedule";
    v.push_back(schedule);
    v.push_back(row("calibrate", ST::Integer, std::int64_t(0), 0, 10000, QT_TRANSLATE_NOOP("Settings", "Calibration batches"),
                    QT_TRANSLATE_NOOP("Settings", "quantize: static int8 with activation scales calibrated on this many batches of training text; 0: dynamic int8")));
    Setting energy = row("energy", ST::Real, 0.9, 0, 1, QT_TRANSLATE_NOOP("Settings", "SVD energy kept"),
                         QT_TRANSLATE_NOOP("Settings", "lowrank: each layer keeps the smallest rank whose singular values hold this fraction of sum sigma^2"));
    energy.minExclusive = true;
    v.push_back(energy);
    v.push_back(row("rank", ST::Integer, std::int64_t(8), 1, 1e9, QT_TRANSLATE_NOOP("Settings", "Rank"),
                    QT_TRANSLATE_NOOP("Settings", "lowrank: one rank for every layer it makes smaller")));
    Setting budget = row("budget", ST::Real, 0.5, 0, 1, QT_TRANSLATE_NOOP("Settings", "Parameter budget"),
                         QT_TRANSLATE_NOOP("Settings", "lowrank: the factored layers keep this fraction of their parameters"));
    budget.minExclusive = true;
    budget.maxExclusive = true;
    v.push_back(budget);
    v.push_back(row("finetune_steps", ST::Integer, std::int64_t(0), 0, 1e8, QT_TRANSLATE_NOOP("Settings", "Recovery steps"),
                    QT_TRANSLATE_NOOP("Settings", "fine-tuning steps after a one-shot method (the gradual schedule's length); 0: none")));
    return v;
}

} // namespace

const std::vector<Setting>& compressionSettings()
{
    static const std::vector<Setting> table = buildTable();
    return table;
}

const Setting& compressionSetting(const std::string& key)
{
    for (const auto& s : compressionSettings())
        if (s.key == key)
            return s;
    throw std::out_of_range("no compression option '" + key + "'");
}

double checkedCompressionNumber(const std::string& key, double value)
{
    const Setting& s = compressionSetting(key);
    if (s.type == SettingType::Integer)
        checkSetting(s, SettingValue(static_cast<std::int64_t>(value)));
    else
        checkSetting(s, SettingValue(value));
    return value;
}

const Setting* findSettingInAnyTable(const std::string& key)
{
    if (const Setting* s = findSetting(key))
        return s;
    for (const auto& s : compressionSettings())
        if (s.key == key)
            return &s;
    return nullptr;
}

} // namespace wb
