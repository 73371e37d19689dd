// SPDX-License-Identifier: GPL-3.0-or-later
// AdamW with one fused pass per step (issue 14): LibTorch's AdamW runs
// eight tensor operators per parameter tensor (decay, two moment updates,
// sqrt, division, eps, addcdiv), each a dispatch and a pass over memory; a
// small GPT has some fifty tensors. This one updates every float CPU
// tensor in one loop over its elements (models/fused_math.h, adamwUpdate),
// all tensors split over LibTorch's intra-op threads by element ranges.
// Its state is LibTorch's AdamWParamState, saved and loaded as AdamW's, so
// checkpoints move freely between the two. Anything else (CUDA, other
// dtypes, amsgrad, sparse gradients) goes to AdamW::step unchanged.
// Internal to the engine: LibTorch.
#pragma once

#include <torch/optim/adamw.h>

namespace wb {

class FusedAdamW : public torch::optim::AdamW {
public:
    using torch::optim::AdamW::AdamW;
    torch::Tensor step(LossClosure closure = nullptr) override;
};

} // namespace wb
