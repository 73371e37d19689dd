// SPDX-License-Identifier: GPL-3.0-or-later
// RAdam (Liu et al., ICLR 2020: "On the Variance of the Adaptive Learning
// Rate and Beyond"), with decoupled weight decay as in AdamW. It keeps
// Adam's state (step, first and second moments) and options, so it saves
// and loads through Adam's serialization; only the update differs: while the
// variance of the adaptive rate is intractable (rho_t <= 5) the step is plain
// momentum, after that the adaptive step is scaled by the rectification term
// r_t. Internal to the engine: includes LibTorch.
#pragma once

#include <torch/optim/adam.h>

namespace wb {

class RAdam : public torch::optim::Adam {
public:
    using torch::optim::Adam::Adam;
    torch::Tensor step(LossClosure closure = nullptr) override;
};

} // namespace wb
