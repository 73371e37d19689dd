// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/dense.h"

#include "core/errors.h"
#include "models/fused.h"
#include "models/fused_math.h"

#include <ATen/core/dispatch/Dispatcher.h>
#include <torch/torch.h>

#include <algorithm>
#include <vector>

namespace wb {

namespace {

c10::QEngine selectEngine()
{
    const auto& supported = at::globalContext().supportedQEngines();
    auto has = [&](c10::QEngine e) { return std::find(supported.begin(), supported.end(), e) != supported.end(); };
    // fbgemm is x86's reference int8 library; Debian's LibTorch is built
    // without it, and its onednn kernels measured 2-3x faster than qnnpack
    // here (docs/benchmarks.md).
    for (c10::QEngine e : {c10::QEngine::FBGEMM, c10::QEngine::ONEDNN, c10::QEngine::QNNPACK})
        if (has(e))
            return e;
    return c10::QEngine::NoQEngine;
}

c10::QEngine engine()
{
    static const c10::QEngine e = [] {
        const c10::QEngine chosen = selectEngine();
        if (chosen != c10::QEngine::NoQEngine)
            at::globalContext().setQEngine(chosen);
        return chosen;
    }();
    return e;
}

// x86 CPUs without VNNI multiply uint8 by int8 with pmaddubsw, which adds
// each pair of products into int16 with saturation: onednn's int8 GEMM then
// clips sums beyond 32767 (two products of 255 x 127 already do), and its
// results drift far from the integer arithmetic of methods.md B11 (seen on
// an AVX2-only AMD EPYC: errors of 0.35 on outputs of size ~3). There every
// int8 product runs in the engine's own int32 loop instead: exact, slower.
bool libraryInt8Saturates()
{
#if defined(__x86_64__) && defined(__GNUC__)
    static const bool saturates = [] {
        __builtin_cpu_init();
        return !__builtin_cpu_supports("avx512vnni") && !__builtin_cpu_supports("avxvnni");
    }();
    return saturates;
#else
    return false;
#endif
}

const c10::OperatorHandle& op(const char* name)
{
    // The quantized operators are registered when LibTorch loads; looked up
    // once each.
    if (std::string(name) == "quantized::linear_prepack") {
        static const auto h = c10::Dispatcher::singleton().findSchemaOrThrow("quantized::linear_prepack", "");
        return h;
    }
    if (std::string(name) == "quantized::linear") {
        static const auto h = c10::Dispatcher::singleton().findSchemaOrThrow("quantized::linear", "");
        return h;
    }
    static const auto h = c10::Dispatcher::singleton().findSchemaOrThrow("quantized::linear_dynamic", "");
    return h;
}

} // namespace

bool int8KernelsAvailable()
{
    return engine() != c10::QEngine::NoQEngine;
}

const char* int8EngineName()
{
    switch (engine()) {
    case c10::QEngine::FBGEMM: return "fbgemm";
    case c10::QEngine::ONEDNN: return "onednn";
    case c10::QEngine::QNNPACK: return "qnnpack";
    default: return "none";
    }
}

Int8Rows quantizeRows(const torch::Tensor& w)
{
    torch::NoGradGuard noGrad;
    auto f = w.detach().to(torch::kFloat).contiguous();
    auto maxAbs = f.abs().amax(1);                                       // (rows)
    auto scales = torch::where(maxAbs > 0, maxAbs / 127.0, torch::ones_like(maxAbs));
    auto q = torch::round(f / scales.unsqueeze(1)).clamp(-127, 127).to(torch::kInt8);
    return {q, scales};
}

torch::Tensor dequantizeRows(const torch::Tensor& values, const torch::Tensor& scales)
{
    return values.to(torch::kFloat) * scales.to(torch::kFloat).unsqueeze(1);
}

namespace {
const c10::IValue& int8Pack(const torch::Tensor& values, const torch::Tensor& scales, const torch::Tensor& bias, Int8Packed& cache);
} // namespace

DenseImpl::DenseImpl(std::int64_t in, std::int64_t out, bool withBias) : m_in(in), m_out(out)
{
    // Exactly torch::nn::Linear's initialisation (and random draws), so a
    // model built with Dense starts where one with nn::Linear did.
    torch::nn::Linear init(torch::nn::LinearOptions(in, out).bias(withBias));
    weight = register_parameter("weight", init->weight.detach().clone());
    if (withBias)
        bias = register_parameter("bias", init->bias.detach().clone());
}

torch::Tensor DenseImpl::forward(const torch::Tensor& x)
{
    if (m_int8) {
        if (x.device().type() != torch::kCPU)
            throw InputError("int8 layers run on the CPU only");
        if (x.requires_grad())
            throw InputError("an int8 model cannot be trained; fine-tune its parent, then quantize");
        auto shape = x.sizes().vec();
        auto x2 = x.reshape({-1, m_in}).to(torch::kFloat).contiguous();
        torch::Tensor y;
        if (m_static) {
            // Fixed scales: x quantised with the calibrated input scale, the
            // kernel's output requantised to uint8 with the calibrated output
            // scale, then back to float for the next (float) operation.
            const auto buffers = named_buffers(false);
            const auto& in = buffers["input_qparams"];
            const auto& outq = buffers["output_qparams"];
            if (libraryInt8Saturates()) {
                // The same integer arithmetic in the engine's loop, then the
                // output rounded to its calibrated uint8 grid as the kernel does.
                const auto& values = buffers["weight_int8"];
                const auto sw = buffers["weight_scale"].to(torch::kFloat).contiguous();
                const auto b = bias.defined() ? bias.detach().to(torch::kFloat).contiguous() : torch::Tensor();
                y = torch::empty({x2.size(0), m_out}, x2.options());
                std::vector<std::int16_t> scratch(static_cast<std::size_t>(x2.numel()));
                fused::math::int8FixedLinear(x2.data_ptr<float>(), values.data_ptr<std::int8_t>(), sw.data_ptr<float>(),
                                             b.defined() ? b.data_ptr<float>() : nullptr, y.data_ptr<float>(), x2.size(0), m_in,
                                             m_out, scratch.data(), in[0].item<double>(), in[1].item<std::int64_t>());
                const double so = outq[0].item<double>();
                const auto zo = static_cast<double>(outq[1].item<std::int64_t>());
                y = ((y / so).round() + zo).clamp(0, 255).sub(zo).mul(so);
            } else {
                auto xq = torch::quantize_per_tensor(x2, in[0].item<double>(), in[1].item<std::int64_t>(), torch::kQUInt8);
                const c10::IValue& packed = int8Pack(buffers["weight_int8"], buffers["weight_scale"], bias, m_packed[0]);
                torch::jit::Stack stack{xq, packed, outq[0].item<double>(), outq[1].item<std::int64_t>()};
                op("quantized::linear").callBoxed(&stack);
                y = stack[0].toTensor().dequantize();
            }
        } else {
            y = m_rank > 0 ? int8Factor(int8Factor(x2, 0), 1) : int8Factor(x2, 0);
        }
        if (m_observe) {
            auto record = [&](const torch::Tensor& t, int at) {
                const auto mm = torch::aminmax(t);
                m_seen[at] = std::min(m_seen[at], std::get<0>(mm).item<double>());
                m_seen[at + 1] = std::max(m_seen[at + 1], std::get<1>(mm).item<double>());
            };
            record(x2, 0);
            record(y, 2);
        }
        shape.back() = m_out;
        return y.view(shape);
    }
    if (m_rank > 0)
        return torch::nn::functional::linear(torch::nn::functional::linear(x, weightA), weightB, bias);
    if (fusedKernels && fused::usable(x))
        return fused::linear(x, weight, bias, /*gelu=*/false);
    return torch::nn::functional::linear(x, weight, bias);
}

torch::Tensor DenseImpl::forwardGelu(const torch::Tensor& x)
{
    if (fusedKernels && !m_int8 && m_rank == 0 && fused::usable(x))
        return fused::linear(x, weight, bias, /*gelu=*/true);
    return geluTanh(forward(x));
}

namespace {

// The packed weights in `cache`, made when `values` changed.
const c10::IValue& int8Pack(const torch::Tensor& values, const torch::Tensor& scales, const torch::Tensor& bias, Int8Packed& cache)
{
    std::lock_guard<std::mutex> lock(cache.mutex);
    if (cache.from != values.data_ptr() || cache.packed.isNone()) {
        if (!int8KernelsAvailable())
            throw InputError("this LibTorch has no int8 kernels for this CPU; the int8 variant cannot run here");
        auto q = at::_make_per_channel_quantized_tensor(values.contiguous(), scales.to(torch::kDouble),
                                                        torch::zeros({values.size(0)}, torch::kLong), 0);
        torch::jit::Stack stack{q, bias.defined() ? c10::optional<at::Tensor>(bias.detach()) : c10::optional<at::Tensor>()};
        op("quantized::linear_prepack").callBoxed(&stack);
        cache.packed = stack[0];
        cache.from = values.data_ptr();
    }
    return cache.packed;
}

} // namespace

torch::Tensor int8Linear(const torch::Tensor& x2, const torch::Tensor& values, const torch::Tensor& scales,
                         const torch::Tensor& bias, Int8Packed& cache)
{
    // A few rows (a decoding step, an LSTM's recurrent product): the same
    // integer arithmetic in the engine's own loop. LibTorch's onednn kernel
    // has a fixed cost of about 0.4 ms a call at one row here (measured,
    // docs/benchmarks.md "Generating from an int8 variant"); ours a few us.
    if ((x2.size(0) <= kInt8FewRows || libraryInt8Saturates()) && x2.scalar_type() == torch::kFloat && x2.is_contiguous()
        && values.scalar_type() == torch::kInt8 && values.is_contiguous() && values.dim() == 2
        && values.size(1) == x2.size(1)) {
        const auto rows = x2.size(0), k = x2.size(1), n = values.size(0);
        auto y = torch::empty({rows, n}, x2.options());
        const auto sw = scales.to(torch::kFloat).contiguous();
        const auto b = bias.defined() ? bias.detach().to(torch::kFloat).contiguous() : torch::Tensor();
        std::vector<std::int16_t> scratch(static_cast<std::size_t>(rows * k));
        fused::math::int8DynamicLinear(x2.data_ptr<float>(), values.data_ptr<std::int8_t>(), sw.data_ptr<float>(),
                                       b.defined() ? b.data_ptr<float>() : nullptr, y.data_ptr<float>(), rows, k, n,
                                       scratch.data());
        return y;
    }
    int8Pack(values, scales, bias, cache);
    // fbgemm's x86 kernels need activations in 7 bits to rule out int16
    // overflow (PyTorch's reduce_range); onednn and qnnpack do not.
    torch::jit::Stack stack{x2, cache.packed, engine() == c10::QEngine::FBGEMM};
    op("quantized::linear_dynamic").callBoxed(&stack);
    return stack[0].toTensor();
}

torch::Tensor DenseImpl::int8Factor(const torch::Tensor& x2, int factor)
{
    // factor 0: the whole weight (or A), 1: B; the bias goes with the last.
    const std::string prefix = m_rank == 0 ? "weight" : (factor == 0 ? "weight_a" : "weight_b");
    const auto buffers = named_buffers(/*recurse=*/false);
    const bool last = m_rank == 0 || factor == 1;
    return int8Linear(x2, buffers[prefix + "_int8"], buffers[prefix + "_scale"], last ? bias : torch::Tensor(), m_packed[factor]);
}

void DenseImpl::factorize(std::int64_t r, bool shapeOnly)
{
    if (m_int8)
        throw InputError("an int8 layer cannot be factored; factor first, then quantize");
    if (m_rank > 0)
        throw InputError("the layer is already factored (rank " + std::to_string(m_rank) + ")");
    const std::int64_t full = std::min(m_in, m_out);
    if (r < 1 || r > full)
        throw InputError("rank " + std::to_string(r) + " is outside 1.." + std::to_string(full) + " for a " +
                         std::to_string(m_out) + "x" + std::to_string(m_in) + " layer");
    torch::NoGradGuard noGrad;
    torch::Tensor a, b;
    if (shapeOnly) {
        a = torch::zeros({r, m_in}, weight.options());
        b = torch::zeros({m_out, r}, weight.options());
    } else {
        // W = U S V^T; A = S_r^{1/2} V_r^T (r, in), B = U_r S_r^{1/2} (out, r)
        // (methods.md B11). SVD in double: the factors are exact to float.
        auto w = weight.detach().to(torch::kCPU, torch::kDouble);
        auto [U, S, Vh] = torch::linalg_svd(w, /*full_matrices=*/false);
        auto root = S.slice(0, 0, r).sqrt();
        a = (root.unsqueeze(1) * Vh.slice(0, 0, r)).to(weight.options());
        b = (U.slice(1, 0, r) * root.unsqueeze(0)).to(weight.options());
    }
    parameters_.erase("weight");
    weight = torch::Tensor();
    weightA = register_parameter("weight_a", a.set_requires_grad(true));
    weightB = register_parameter("weight_b", b.set_requires_grad(true));
    m_rank = r;
}

void DenseImpl::quantize(bool shapeOnly)
{
    if (m_int8)
        throw InputError("the layer is already int8");
    torch::NoGradGuard noGrad;
    auto one = [&](const char* name, torch::Tensor& t) {
        Int8Rows q = shapeOnly ? Int8Rows{torch::zeros(t.sizes(), torch::kInt8), torch::ones({t.size(0)})} : quantizeRows(t);
        parameters_.erase(name);
        t = torch::Tensor();
        register_buffer(std::string(name) + "_int8", q.values);
        register_buffer(std::string(name) + "_scale", q.scales);
    };
    if (m_rank > 0) {
        one("weight_a", weightA);
        one("weight_b", weightB);
    } else {
        one("weight", weight);
    }
    if (bias.defined()) {
        // The bias stays float (added in float by the kernel); it no longer trains.
        bias.set_requires_grad(false);
    }
    m_int8 = true;
}

void DenseImpl::staticFromObserved(bool shapeOnly)
{
    if (!m_int8 || m_rank > 0)
        throw InputError("static int8 needs an int8 layer that is not factored");
    // Asymmetric uint8 over the observed range, 0 included (methods.md B11).
    auto qparams = [&](double lo, double hi) {
        lo = std::min(lo, 0.0);
        hi = std::max(hi, 0.0);
        const double scale = hi > lo ? (hi - lo) / 255.0 : 1.0;
        const double zero = std::clamp(std::round(-lo / scale), 0.0, 255.0);
        return torch::tensor({scale, zero}, torch::kDouble);
    };
    register_buffer("input_qparams", shapeOnly ? torch::zeros({2}, torch::kDouble) : qparams(m_seen[0], m_seen[1]));
    register_buffer("output_qparams", shapeOnly ? torch::zeros({2}, torch::kDouble) : qparams(m_seen[2], m_seen[3]));
    m_static = true;
    m_observe = false;
}

torch::Tensor DenseImpl::effectiveWeight() const
{
    torch::NoGradGuard noGrad;
    if (m_int8) {
        const auto buffers = named_buffers(false);
        auto w = [&](const std::string& p) { return dequantizeRows(buffers[p + "_int8"], buffers[p + "_scale"]); };
        return m_rank > 0 ? torch::matmul(w("weight_b"), w("weight_a")) : w("weight");
    }
    if (m_rank > 0)
        return torch::matmul(weightB.detach(), weightA.detach());
    return weight.detach();
}

std::int64_t DenseImpl::parameterCount() const
{
    const std::int64_t matrix = m_rank > 0 ? m_rank * (m_in + m_out) : m_in * m_out;
    return matrix + (bias.defined() ? m_out : 0);
}

} // namespace wb
