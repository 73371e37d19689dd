// SPDX-License-Identifier: GPL-3.0-or-later
// Learning-rate schedules as pure functions of the step (tested on their own).
#pragma once

#include <cstdint>

namespace wb {

// Linear warm-up from 0 to `peak` over `warmup` steps, then cosine decay to
// `floor` at `total` (nanoGPT's get_lr; methods.md A5 defaults).
double warmupCosine(std::int64_t step, std::int64_t warmup, std::int64_t total, double peak, double floor);

} // namespace wb
