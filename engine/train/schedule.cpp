// SPDX-License-Identifier: GPL-3.0-or-later
#include "train/schedule.h"

#include "core/errors.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace wb {

double warmupCosine(std::int64_t step, std::int64_t warmup, std::int64_t total, double peak, double floor)
{
    if (warmup > 0 && step < warmup)
        return peak * static_cast<double>(step + 1) / static_cast<double>(warmup);
    if (step >= total)
        return floor;
    const double span = static_cast<double>(std::max<std::int64_t>(1, total - warmup));
    const double progress = std::clamp(static_cast<double>(step - warmup) / span, 0.0, 1.0);
    const double coeff = 0.5 * (1.0 + std::cos(std::numbers::pi * progress)); // 1 -> 0
    return floor + coeff * (peak - floor);
}

namespace {

double cosAnneal(double from, double to, double pct)
{
    return to + (from - to) / 2.0 * (std::cos(std::numbers::pi * pct) + 1.0);
}

// One-cycle's phase at `step`: rising (the first 30 %) or falling, and the
// fraction of that phase done (PyTorch's step boundaries).
std::pair<bool, double> oneCyclePhase(std::int64_t total, std::int64_t step)
{
    const double up = std::max(1.0, 0.3 * static_cast<double>(total) - 1.0);
    const double t = static_cast<double>(std::min(step, total - 1));
    if (t <= up)
        return {true, t / up};
    const double down = std::max(1.0, static_cast<double>(total) - 1.0 - up);
    return {false, std::min(1.0, (t - up) / down)};
}

} // namespace

std::optional<double> cycledMomentum(const ScheduleSettings& s, std::int64_t step)
{
    if (s.kind != Schedule::OneCycle)
        return std::nullopt;
    constexpr double base = 0.85, max = 0.95;
    const auto [rising, pct] = oneCyclePhase(std::max<std::int64_t>(1, s.total), step);
    return rising ? cosAnneal(max, base, pct) : cosAnneal(base, max, pct);
}

double learningRate(const ScheduleSettings& s, std::int64_t step)
{
    const std::int64_t total = std::max<std::int64_t>(1, s.total);
    auto warm = [&](double& lr) {
        if (s.warmup > 0 && step < s.warmup) {
            lr = s.peak * static_cast<double>(step + 1) / static_cast<double>(s.warmup);
            return true;
        }
        return false;
    };
    double lr = 0;
    if (s.kind == Schedule::Constant) {
        return warm(lr) ? lr : s.peak;
    }
    if (s.kind == Schedule::Cosine)
        return warmupCosine(step, s.warmup, total, s.peak, s.floor);
    if (s.kind == Schedule::Linear) {
        if (warm(lr))
            return lr;
        const double span = static_cast<double>(std::max<std::int64_t>(1, total - s.warmup));
        const double progress = std::clamp(static_cast<double>(step - s.warmup) / span, 0.0, 1.0);
        return s.peak + progress * (s.floor - s.peak);
    }
    if (s.kind == Schedule::Step) {
        if (warm(lr))
            return lr;
        const std::int64_t size = s.stepSize > 0 ? s.stepSize : std::max<std::int64_t>(1, total / 3);
        return s.peak * std::pow(s.gamma, static_cast<double>((step - std::max<std::int64_t>(0, s.warmup)) / size));
    }
    if (s.kind == Schedule::OneCycle) {
        // PyTorch OneCycleLR defaults: pct_start 0.3, div_factor 25,
        // final_div_factor 1e4, cosine annealing.
        const double initial = s.peak / 25.0, final = initial / 1e4;
        const auto [rising, pct] = oneCyclePhase(total, step);
        return rising ? cosAnneal(initial, s.peak, pct) : cosAnneal(s.peak, final, pct);
    }
    if (s.kind == Schedule::Stlr) {
        // methods.md B7 (Howard & Ruder 2018), counted in iterations.
        const double cutFrac = 0.1, ratio = 32.0;
        const double cut = std::max(1.0, std::floor(static_cast<double>(total) * cutFrac));
        const double t = static_cast<double>(step);
        const double p = t < cut ? t / cut : std::max(0.0, 1.0 - (t - cut) / (cut * (1.0 / cutFrac - 1.0)));
        return s.peak * (1.0 + p * (ratio - 1.0)) / ratio;
    }
    return s.peak; // unreachable: every Schedule is handled above
}

} // namespace wb
