// SPDX-License-Identifier: GPL-3.0-or-later
#include "train/schedule.h"

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

} // namespace wb
