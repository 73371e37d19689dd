// SPDX-License-Identifier: GPL-3.0-or-later
// The elementwise loops of the fused kernels (models/fused.h), plain C++ on
// float arrays so that the compiler vectorises them (this file is built with
// -O3 -fno-trapping-math and, on x86-64, cloned for AVX2+FMA with a run-time choice):
//  - GPT-2's tanh GELU and its derivative, through the identity
//    0.5 (1 + tanh(a)) = sigmoid(2a) and an exp accurate to about 2 ulp;
//  - the causal softmax of one (T x T) score block, computed and
//    differentiated over the lower triangle only (the masked half is 0).
// No LibTorch here.
#pragma once

#include <cstdint>

namespace wb::fused::math {

// y = x sigmoid(2 sqrt(2/pi) (x + 0.044715 x^3)), GPT-2's GELU (methods.md A5).
void geluForward(const float* x, float* y, std::int64_t n);
// dx = dy * d GELU(x) / dx.
void geluBackward(const float* x, const float* dy, float* dx, std::int64_t n);
// Row i of the T x T block s: P[i][j] = softmax over j <= i of s[i][j], and
// P[i][j] = 0 for j > i. In place (p may equal s).
void causalSoftmax(const float* s, float* p, std::int64_t T);
// dS = P (dP - rowsum(dP P)) over the lower triangle, 0 above it. In place
// (ds may equal dp).
void causalSoftmaxBackward(const float* p, const float* dp, float* ds, std::int64_t T);

// Rows of a (rows x d) matrix: s = x + delta (the residual add), then
// GPT's LayerNorm y = (s - mean) rstd w + b, rstd = 1 / sqrt(var + eps)
// with the biased variance (Ba et al. 2016; methods.md A5); mean and rstd
// per row kept for the backward. Mean and variance accumulate in double.
// delta null: a LayerNorm alone (s is not written; x is its input).
void addLayerNormRows(const float* x, const float* delta, float* s, const float* w, const float* b, float* y, float* mean,
                      float* rstd, std::int64_t rows, std::int64_t d, float eps);
// Its backward over rows: with xhat = (s - mean) rstd and g = gy w,
// ds = gs + rstd (g - mean(g) - xhat mean(g xhat)) (gs may be null: 0);
// dw += sum over the rows of gy xhat, db += sum of gy.
void addLayerNormBackwardRows(const float* s, const float* mean, const float* rstd, const float* w, const float* gy,
                              const float* gs, float* ds, float* dw, float* db, std::int64_t rows, std::int64_t d);

// out[j] = sum over the rows of g[i][j], for columns [c0, c1) of a
// (rows x ld) matrix (a linear layer's bias gradient), row by row so the
// inner loop runs along memory.
void columnSums(const float* g, float* out, std::int64_t rows, std::int64_t ld, std::int64_t c0, std::int64_t c1);

// Rows of logits (rows x V): loss[r] = logsumexp(l_r) - l_r[target[r]]
// (cross-entropy), and l_r replaced by softmax(l_r), which is what its
// gradient needs. Targets must be in [0, V).
void crossEntropyRows(float* logits, const std::int64_t* target, float* loss, std::int64_t rows, std::int64_t V);

// One AdamW step (Loshchilov & Hutter 2019, as LibTorch's AdamW::step) over
// n elements in one pass: p *= 1 - lr wd; m = b1 m + (1 - b1) g;
// v = b2 v + (1 - b2) g^2; p -= stepSize m / (sqrt(v) / sqrtBias2 + eps),
// with stepSize = lr / (1 - b1^t) and sqrtBias2 = sqrt(1 - b2^t).
struct AdamWStep {
    float decay, beta1, beta2, stepSize, sqrtBias2, eps;
};
void adamwUpdate(float* p, const float* g, float* m, float* v, std::int64_t n, const AdamWStep& c);

// The integer GEMM of dynamic int8 quantisation (methods.md B11; Jacob et
// al. 2018) for a few rows, as LibTorch's quantized::linear_dynamic computes
// it: x (rows x k) quantised per tensor to uint8, sx = (max(x,0) -
// min(x,0)) / 255, zx = round(-min(x,0) / sx), qx = clamp(round(x / sx) + zx,
// 0, 255); w (n x k) int8 rows with scales sw; int32 accumulation;
// y[r][c] = sx sw[c] sum_j (qx[r][j] - zx) w[c][j] + b[c] (b may be null).
// `scratch` holds rows * k int16 values (qx - zx).
void int8DynamicLinear(const float* x, const std::int8_t* w, const float* sw, const float* b, float* y, std::int64_t rows,
                       std::int64_t k, std::int64_t n, std::int16_t* scratch);
// The same with the input's scale and zero point given (static int8,
// calibrated): qx = clamp(round(x / sx) + zx, 0, 255).
void int8FixedLinear(const float* x, const std::int8_t* w, const float* sw, const float* b, float* y, std::int64_t rows,
                     std::int64_t k, std::int64_t n, std::int16_t* scratch, double sx, std::int64_t zx);

} // namespace wb::fused::math
