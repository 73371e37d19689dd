// SPDX-License-Identifier: GPL-3.0-or-later
// Learning-rate schedules as pure functions of the step (tested on their own).
#pragma once

#include "core/enums.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace wb {

// Linear warm-up from 0 to `peak` over `warmup` steps, then cosine decay to
// `floor` at `total` (nanoGPT's get_lr; methods.md A5 defaults).
double warmupCosine(std::int64_t step, std::int64_t warmup, std::int64_t total, double peak, double floor);

struct ScheduleSettings {
    // A run's values come from its TrainSettings (defaults: the settings table).
    Schedule kind = Schedule::Cosine;
    double peak = 0;             // the base / maximum learning rate
    double floor = 0;            // end of cosine and linear decay
    std::int64_t warmup = 0;     // linear warm-up steps (constant, cosine, linear, step)
    std::int64_t total = 1;      // optimizer steps of the run
    std::int64_t stepSize = 0;   // step: decay every stepSize steps (0: total / 3)
    double gamma = 0.1;          // step: factor per decay
};

// The learning rate at `step` (0-based):
// - constant: peak after the warm-up;
// - cosine:   warmupCosine;
// - linear:   warm-up, then linear decay from peak to floor at `total`;
// - step:     warm-up, then peak * gamma^floor((step - warmup) / stepSize);
// - onecycle: Smith & Topin 2019 as PyTorch's OneCycleLR defaults: cosine
//             rise from peak/25 to peak over the first 30 %, cosine fall to
//             peak/(25 * 1e4) at the end;
// - stlr:     ULMFiT's slanted triangular rate (methods.md B7): cut_frac 0.1,
//             ratio 32, from peak/32 up to peak at 10 % and back to peak/32.
double learningRate(const ScheduleSettings& s, std::int64_t step);

// One-cycle's momentum, as PyTorch's OneCycleLR cycles it by default
// (cycle_momentum, base 0.85, max 0.95): from 0.95 down to 0.85 while the
// rate rises, back to 0.95 while it falls, on the same cosine phases. The
// trainer applies it to SGD's momentum and to Adam's beta1. Empty for the
// other schedules (their momentum stays as set).
std::optional<double> cycledMomentum(const ScheduleSettings& s, std::int64_t step);


} // namespace wb
