// SPDX-License-Identifier: GPL-3.0-or-later
// Entry point of the GUI, called by the thin lm-workbench executable.
#pragma once

namespace wb::ui {

int runGui(int argc, char** argv);

} // namespace wb::ui
