// SPDX-License-Identifier: GPL-3.0-or-later
// The positive control of check_ui_no_torch.cmake: what the UI may include
// compiles with lmwb_ui's include paths.
#include "engine_bridge.h"
#include "services/run_service.h"
#include "settings/settings.h"

int uiControlProbe()
{
    return static_cast<int>(wb::trainSettings().size());
}
