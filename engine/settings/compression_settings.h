// SPDX-License-Identifier: GPL-3.0-or-later
// The compression options (lmwb compress, the GUI's Compress… dialog and
// What-if view): each declared once, as rows of the same kind as the
// training settings (key, type, default, range, label, help). The CLI parses
// its flags through them, the service validates with them and the GUI takes
// its editors' ranges and defaults from them, so the three cannot drift.
// Messages name the key ("energy must be ..."); only the CLI spells a flag.
#pragma once

#include "settings/settings.h"

#include <string>
#include <vector>

namespace wb {

// sparsity, scope, prune_schedule (--schedule), calibrate, energy, rank, budget, finetune_steps.
const std::vector<Setting>& compressionSettings();
// The row with this key (std::out_of_range for a key the table lacks: a
// programming error).
const Setting& compressionSetting(const std::string& key);
// A checked value of a compression option; SettingError naming the key.
double checkedCompressionNumber(const std::string& key, double value);

// The row with this key in any option table (training, compression), or
// nullptr: how a front end turns a SettingError's key into its own words.
const Setting* findSettingInAnyTable(const std::string& key);

} // namespace wb
