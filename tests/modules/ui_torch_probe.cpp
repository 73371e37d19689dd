// SPDX-License-Identifier: GPL-3.0-or-later
// Compiled with lmwb_ui's include paths by check_ui_no_torch.cmake, which
// expects it NOT to compile: the UI never sees LibTorch's headers.
#include "engine_bridge.h"

#include <torch/torch.h>

int uiTorchProbe()
{
    return static_cast<int>(torch::ones({1}).numel());
}
