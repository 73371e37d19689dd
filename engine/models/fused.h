// SPDX-License-Identifier: GPL-3.0-or-later
// Fused CPU kernels for training and inference (issue 14; run setting
// `kernels`, "fused" or "reference"), each an autograd Function with an
// explicit backward, tested against the unfused LibTorch ops
// (tests/engine/test_kernels.cpp):
//  - linear: y = act(x W^T + b), act none or GPT-2's tanh GELU, with the
//    bias and the activation applied to each block of rows right after its
//    GEMM; the GEMMs of forward and backward split over LibTorch's intra-op
//    threads by rows (OpenBLAS itself stays on one thread, so the two pools
//    never fight over the cores), small products on the calling thread;
//  - causalAttention: softmax(Q K^T / sqrt(hd) + causal mask) V per (batch,
//    head), in parallel over the pairs, reading Q, K and V straight from the
//    packed qkv projection and writing the heads straight into (B, T, C):
//    no split, transpose or contiguous copies; the scale is the score
//    GEMM's alpha, and the softmax (forward and backward) runs over the
//    causal triangle only, in place (models/fused_math.h);
//  - GELU in the linear layer's epilogue and backward: a vectorised loop
//    (models/fused_math.h), not LibTorch's gelu kernels.
// A CPU path only: float32 tensors on the CPU, no autocast; callers check
// usable() and take LibTorch's ops otherwise (CUDA, bf16, int8 layers).
// Internal to the engine: includes LibTorch.
#pragma once

#include <torch/types.h>

#include <utility>
#include <vector>

namespace wb::fused {

// Whether the fused kernels can run here (a CBLAS sgemm was found in the
// process: OpenBLAS, or the reference BLAS).
bool available();
// Whether `x` can take the fused path: float32 on the CPU, autocast off.
bool usable(const torch::Tensor& x);

// x (..., in), W (out, in), b (out) or undefined -> (..., out).
torch::Tensor linear(const torch::Tensor& x, const torch::Tensor& W, const torch::Tensor& b, bool gelu);

// qkv (B, T, 3C) as [q | k | v], C = heads * hd -> (B, T, C).
torch::Tensor causalAttention(const torch::Tensor& qkv, std::int64_t heads);

// The residual add and the LayerNorm after it in one pass over each row:
// returns (s, y) with s = x + delta and y = LayerNorm(s) with weight w and
// bias b (GPT's pre-norm blocks: every residual add is followed by the
// next LayerNorm). Both outputs take gradients. Rows in blocks of 64 over
// the intra-op threads; dw and db summed in block order.
std::pair<torch::Tensor, torch::Tensor> addLayerNorm(const torch::Tensor& x, const torch::Tensor& delta, const torch::Tensor& w,
                                                     const torch::Tensor& b, double eps);

// LayerNorm alone, by the same loops (the first LayerNorm of a GPT's stack).
torch::Tensor layerNorm(const torch::Tensor& x, const torch::Tensor& w, const torch::Tensor& b, double eps);

// The mean cross-entropy of a tied output layer, logits = h E^T, against
// `target` (ids in [0, V)): h (..., d), E (V, d), target (...) -> scalar.
// Gradients for h and E; the logits never leave the Function.
torch::Tensor tiedCrossEntropy(const torch::Tensor& h, const torch::Tensor& E, const torch::Tensor& target);

// One decoding step of a GPT (batch 1, one new token) without LibTorch's
// per-operator dispatch: at this size a step is a few hundred small
// operators whose fixed cost is most of the time. Plain float layers only
// (not factored, not int8); K and V are the layers' cache tensors (H, S, hd),
// filled up to position `pos` (exclusive), the new key and value written
// at `pos`. x: the token's embedding plus position (d), replaced by the final
// LayerNorm's output.
struct DecodeLayer {
    const float *ln1w, *ln1b, *qkvW, *qkvB, *projW, *projB, *ln2w, *ln2b, *fcW, *fcB, *fcProjW, *fcProjB;
    float *K, *V;
};
void gptDecodeStep(const std::vector<DecodeLayer>& layers, const float* lnFw, const float* lnFb, float* x, std::int64_t d,
                   std::int64_t heads, std::int64_t keysCapacity, std::int64_t pos, std::int64_t mlp);

} // namespace wb::fused
