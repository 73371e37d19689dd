// SPDX-License-Identifier: GPL-3.0-or-later
// The catalog schema as an append-only list of migrations: entry i takes the
// database from user_version i to i+1. A shipped entry is never edited; a
// mistake is fixed by a new entry.
#pragma once

#include <span>

namespace wb::catalog {

std::span<const char* const> migrations();

inline constexpr int kApplicationId = 0x4C4D5742; // "LMWB"

} // namespace wb::catalog
