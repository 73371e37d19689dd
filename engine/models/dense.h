// SPDX-License-Identifier: GPL-3.0-or-later
// The engine's linear layer, y = x W^T + b, with the parameter names of
// torch::nn::Linear ("weight", "bias") and its initialisation, that can be
// compressed in place (methods.md B11):
//  - factored: W ~= B A, A (r, in), B (out, r), from a truncated SVD
//    ("weight_a", "weight_b"; "weight" is gone);
//  - int8: per-output-channel symmetric int8 weights with float scales
//    ("weight_int8", "weight_scale", or "weight_a_int8" ... for the
//    factors), run by LibTorch's quantized dynamic-linear kernel (int8 GEMM
//    with int32 accumulation, activations quantised per call to uint8);
//  - a weight with zeros (unstructured pruning) is an ordinary weight: the
//    trainer keeps its zeros with masks and the variant file stores it
//    sparse (compress/variant_file.h).
// Internal to the engine: includes LibTorch.
#pragma once

#include <ATen/core/ivalue.h>
#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>
#include <torch/types.h>

#include <cstdint>
#include <mutex>

namespace wb {

// The prepacked int8 weights of one matrix for LibTorch's kernel, made at
// the first use after the values were loaded (the packed format is not saved).
struct Int8Packed {
    std::mutex mutex;
    c10::IValue packed;
    const void* from = nullptr;
};
// y = x W^T + b through the int8 kernel (quantized::linear_dynamic: x
// quantised per call to uint8, int32 accumulation), W given as int8 rows and
// their float scales. x: (M, in) float on the CPU.
// Up to kInt8FewRows rows run the same arithmetic in the engine's own
// integer loop (fused::math::int8DynamicLinear), without the library's
// per-call set-up.
inline constexpr std::int64_t kInt8FewRows = 16;
torch::Tensor int8Linear(const torch::Tensor& x2, const torch::Tensor& values, const torch::Tensor& scales,
                         const torch::Tensor& bias, Int8Packed& cache);

// GPT-2's GELU with the tanh approximation (methods.md A5; gpt.cpp).
torch::Tensor geluTanh(const torch::Tensor& x);

class DenseImpl : public torch::nn::Module {
public:
    DenseImpl(std::int64_t in, std::int64_t out, bool bias = true);
    torch::Tensor forward(const torch::Tensor& x);

    std::int64_t inFeatures() const { return m_in; }
    std::int64_t outFeatures() const { return m_out; }
    std::int64_t rank() const { return m_rank; } // 0: not factored
    bool isInt8() const { return m_int8; }
    bool hasBias() const { return bias.defined(); }

    // Truncated SVD at rank r (1 <= r <= min(in, out)): A = S_r^{1/2} V_r^T,
    // B = U_r S_r^{1/2} (Eckart-Young, methods.md B11). With `shapeOnly` the
    // factors are made with the right shapes for a checkpoint to fill.
    void factorize(std::int64_t r, bool shapeOnly = false);
    // Replaces the float matrices by int8 ones (shapeOnly: empty, to be
    // loaded). InputError for a layer already in int8.
    void quantize(bool shapeOnly = false);
    // Static (calibrated) int8, methods.md B11: while observing, forward
    // passes record the range of the layer's inputs and outputs; staticFrom
    // Observed() fixes uint8 scales and zero points from them ("input_qparams",
    // "output_qparams" buffers), and from then on the input is quantised with
    // the fixed scale and the int8 kernel (quantized::linear) writes a uint8
    // output with the fixed output scale. An int8 layer that is not factored
    // only; shapeOnly: the buffers, to be loaded.
    void observe(bool on) { m_observe = on; }
    void staticFromObserved(bool shapeOnly = false);
    bool isStatic() const { return m_static; }
    // The weight the layer applies, (out, in) float (the product of the
    // factors, the dequantised int8 values).
    torch::Tensor effectiveWeight() const;
    // Parameters the layer holds (the float or int8 values counted alike).
    std::int64_t parameterCount() const;

    // The fused CPU kernel (models/fused.h) for a plain float layer, where
    // the input can take it (LanguageModel::setKernels).
    bool fusedKernels = false;
    // y = GELU(x W^T + b) (GPT-2's tanh form) in one fused pass when the
    // fused kernel applies, else the layer and then LibTorch's GELU.
    torch::Tensor forwardGelu(const torch::Tensor& x);

    // Float parameters (undefined when factored or int8).
    torch::Tensor weight, bias;
    torch::Tensor weightA, weightB;

private:
    torch::Tensor int8Factor(const torch::Tensor& x2, int factor);
    std::int64_t m_in, m_out, m_rank = 0;
    bool m_int8 = false;
    bool m_observe = false, m_static = false;
    double m_seen[4] = {0, 0, 0, 0}; // input min, max, output min, max while observing
    Int8Packed m_packed[2]; // the weight, or the factors A and B
};
TORCH_MODULE(Dense);

// Symmetric per-row int8: s_r = max_j |W[r,j]| / 127, q = round(W / s_r)
// clamped to [-127, 127] (methods.md B11; rows of zeros get scale 1).
struct Int8Rows {
    torch::Tensor values; // int8 (rows, cols)
    torch::Tensor scales; // float (rows)
};
Int8Rows quantizeRows(const torch::Tensor& w);
torch::Tensor dequantizeRows(const torch::Tensor& values, const torch::Tensor& scales);

// Whether this LibTorch has a quantized engine that runs int8 linear layers
// on this CPU, and selects the fastest one (fbgemm, onednn, qnnpack).
bool int8KernelsAvailable();
// The selected engine's name ("fbgemm", "onednn", "qnnpack", or "none").
const char* int8EngineName();

} // namespace wb
