// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/fused_math.h"

#include <algorithm>
#include <cmath>
#include <cstring>

// x86-64: each loop is compiled twice, for the baseline (SSE2) and for
// x86-64-v3 (AVX2, FMA), and the loader picks one for the CPU at hand.
// Not under ThreadSanitizer: the loader runs the clones' resolvers before
// TSan's runtime starts, and the instrumented resolvers then crash.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(__SANITIZE_THREAD__)
#define WB_VECTOR_CLONES __attribute__((target_clones("arch=x86-64-v3", "default")))
#else
#define WB_VECTOR_CLONES
#endif

namespace wb::fused::math {

namespace {

// e^x for x in about [-87, 88] (clamped outside), by e^x = 2^n e^r with
// n = round(x / ln 2), |r| <= ln 2 / 2, and a degree-6 polynomial for e^r
// (Cephes' expf coefficients): about 2 ulp, no branches, so it vectorises.
inline float expApprox(float x)
{
    x = x < -87.0f ? -87.0f : (x > 88.0f ? 88.0f : x);
    // Round to nearest by adding and removing 1.5 * 2^23 (no floor call,
    // which the baseline x86-64 target has no instruction for).
    const float n = (x * 1.44269504088896341f + 12582912.0f) - 12582912.0f;
    float r = x - n * 0.693359375f;        // ln 2 in two parts: exact high bits,
    r = r - n * -2.12194440e-4f;           // then the rest
    float p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    p = p * r * r + r + 1.0f;
    // 2^n through the exponent bits (a NaN input stays NaN through p; its
    // exponent is taken as 0 so that no NaN is converted to an integer).
    const int e = static_cast<int>(n == n ? n : 0.0f) + 127;
    float scale;
    const unsigned bits = static_cast<unsigned>(e) << 23;
    std::memcpy(&scale, &bits, sizeof scale);
    return p * scale;
}

constexpr float kGeluA = 1.5957691216057308f; // 2 sqrt(2 / pi)
constexpr float kGeluC = 0.044715f;

} // namespace

WB_VECTOR_CLONES void geluForward(const float* x, float* y, std::int64_t n)
{
    for (std::int64_t i = 0; i < n; ++i) {
        const float v = x[i];
        const float s = 1.0f / (1.0f + expApprox(-kGeluA * (v + kGeluC * v * v * v)));
        y[i] = v * s;
    }
}

WB_VECTOR_CLONES void geluBackward(const float* x, const float* dy, float* dx, std::int64_t n)
{
    for (std::int64_t i = 0; i < n; ++i) {
        const float v = x[i];
        const float s = 1.0f / (1.0f + expApprox(-kGeluA * (v + kGeluC * v * v * v)));
        dx[i] = dy[i] * (s + v * s * (1.0f - s) * kGeluA * (1.0f + 3.0f * kGeluC * v * v));
    }
}

WB_VECTOR_CLONES void causalSoftmax(const float* s, float* p, std::int64_t T)
{
    for (std::int64_t i = 0; i < T; ++i) {
        const float* row = s + i * T;
        float* out = p + i * T;
        float m = row[0];
        for (std::int64_t j = 1; j <= i; ++j)
            m = row[j] > m ? row[j] : m;
        float sum = 0;
        for (std::int64_t j = 0; j <= i; ++j) {
            const float e = expApprox(row[j] - m);
            out[j] = e;
            sum += e;
        }
        const float inv = 1.0f / sum;
        for (std::int64_t j = 0; j <= i; ++j)
            out[j] *= inv;
        for (std::int64_t j = i + 1; j < T; ++j)
            out[j] = 0.0f;
    }
}

WB_VECTOR_CLONES void causalSoftmaxBackward(const float* p, const float* dp, float* ds, std::int64_t T)
{
    for (std::int64_t i = 0; i < T; ++i) {
        const float* P = p + i * T;
        const float* D = dp + i * T;
        float* out = ds + i * T;
        float dot = 0;
        for (std::int64_t j = 0; j <= i; ++j)
            dot += P[j] * D[j];
        for (std::int64_t j = 0; j <= i; ++j)
            out[j] = P[j] * (D[j] - dot);
        for (std::int64_t j = i + 1; j < T; ++j)
            out[j] = 0.0f;
    }
}

WB_VECTOR_CLONES
void adamwUpdate(float* __restrict p, const float* __restrict g, float* __restrict m, float* __restrict v, std::int64_t n,
                 const AdamWStep& c)
{
    const float b1 = c.beta1, b2 = c.beta2, a1 = 1.0f - c.beta1, a2 = 1.0f - c.beta2;
    const float decay = c.decay, stepSize = c.stepSize, sqrtBias2 = c.sqrtBias2, eps = c.eps;
    for (std::int64_t i = 0; i < n; ++i) {
        const float gi = g[i];
        const float mi = b1 * m[i] + a1 * gi;
        const float vi = b2 * v[i] + a2 * (gi * gi);
        m[i] = mi;
        v[i] = vi;
        p[i] = p[i] * decay - stepSize * (mi / (std::sqrt(vi) / sqrtBias2 + eps));
    }
}

WB_VECTOR_CLONES
void addLayerNormRows(const float* x, const float* __restrict delta, float* s, const float* __restrict w,
                      const float* __restrict b, float* __restrict y, float* __restrict mean, float* __restrict rstd,
                      std::int64_t rows, std::int64_t d, float eps)
{
    for (std::int64_t r = 0; r < rows; ++r) {
        const float* xr = x + r * d;
        double sum = 0;
        float* sr;
        if (delta) {
            const float* dr = delta + r * d;
            sr = s + r * d;
            for (std::int64_t i = 0; i < d; ++i) {
                sr[i] = xr[i] + dr[i];
                sum += sr[i];
            }
        } else { // a LayerNorm alone: s is x
            sr = const_cast<float*>(xr);
            for (std::int64_t i = 0; i < d; ++i)
                sum += sr[i];
        }
        const double mu = sum / static_cast<double>(d);
        double sq = 0;
        for (std::int64_t i = 0; i < d; ++i) {
            const double c = sr[i] - mu;
            sq += c * c;
        }
        const float m = static_cast<float>(mu);
        const float rs = static_cast<float>(1.0 / std::sqrt(sq / static_cast<double>(d) + eps));
        mean[r] = m;
        rstd[r] = rs;
        float* yr = y + r * d;
        for (std::int64_t i = 0; i < d; ++i)
            yr[i] = (sr[i] - m) * rs * w[i] + b[i];
    }
}

WB_VECTOR_CLONES
void addLayerNormBackwardRows(const float* __restrict s, const float* __restrict mean, const float* __restrict rstd,
                              const float* __restrict w, const float* __restrict gy, const float* __restrict gs,
                              float* __restrict ds, float* __restrict dw, float* __restrict db, std::int64_t rows, std::int64_t d)
{
    for (std::int64_t r = 0; r < rows; ++r) {
        const float* sr = s + r * d;
        const float* gr = gy + r * d;
        float* dr = ds + r * d;
        const float m = mean[r], rs = rstd[r];
        float sumG = 0, sumGX = 0;
        for (std::int64_t i = 0; i < d; ++i) {
            const float xhat = (sr[i] - m) * rs;
            const float g = gr[i] * w[i];
            sumG += g;
            sumGX += g * xhat;
            dw[i] += gr[i] * xhat;
            db[i] += gr[i];
        }
        const float meanG = sumG / static_cast<float>(d), meanGX = sumGX / static_cast<float>(d);
        if (gs) {
            const float* gsr = gs + r * d;
            for (std::int64_t i = 0; i < d; ++i)
                dr[i] = rs * (gr[i] * w[i] - meanG - (sr[i] - m) * rs * meanGX) + gsr[i];
        } else {
            for (std::int64_t i = 0; i < d; ++i)
                dr[i] = rs * (gr[i] * w[i] - meanG - (sr[i] - m) * rs * meanGX);
        }
    }
}

WB_VECTOR_CLONES
void columnSums(const float* __restrict g, float* __restrict out, std::int64_t rows, std::int64_t ld, std::int64_t c0,
                std::int64_t c1)
{
    for (std::int64_t j = c0; j < c1; ++j)
        out[j] = 0;
    for (std::int64_t i = 0; i < rows; ++i) {
        const float* row = g + i * ld;
        for (std::int64_t j = c0; j < c1; ++j)
            out[j] += row[j];
    }
}

WB_VECTOR_CLONES
void crossEntropyRows(float* __restrict logits, const std::int64_t* __restrict target, float* __restrict loss, std::int64_t rows,
                      std::int64_t V)
{
    for (std::int64_t r = 0; r < rows; ++r) {
        float* l = logits + r * V;
        const float picked = l[target[r]];
        float m = l[0];
        for (std::int64_t j = 1; j < V; ++j)
            m = l[j] > m ? l[j] : m;
        float sum = 0;
        for (std::int64_t j = 0; j < V; ++j) {
            l[j] = expApprox(l[j] - m);
            sum += l[j];
        }
        loss[r] = m + std::log(sum) - picked;
        const float inv = 1.0f / sum;
        for (std::int64_t j = 0; j < V; ++j)
            l[j] *= inv;
    }
}

namespace {

// sum_j a[j] w[j] in int32: a in [-255, 255], w in [-127, 127], so a pair of
// products fits the 32 bits that pmaddwd adds them into.
WB_VECTOR_CLONES std::int32_t int8Dot(const std::int16_t* a, const std::int8_t* w, std::int64_t k)
{
    std::int32_t acc = 0;
    for (std::int64_t j = 0; j < k; ++j)
        acc += static_cast<std::int32_t>(a[j]) * static_cast<std::int32_t>(w[j]);
    return acc;
}

} // namespace

void int8FixedLinear(const float* x, const std::int8_t* w, const float* sw, const float* b, float* y, std::int64_t rows,
                     std::int64_t k, std::int64_t n, std::int16_t* scratch, double sx, std::int64_t zx)
{
    const float inv = static_cast<float>(1.0 / sx);
    const float z = static_cast<float>(zx);
    for (std::int64_t i = 0; i < rows * k; ++i) {
        const float q = std::min(255.0f, std::max(0.0f, std::nearbyint(x[i] * inv) + z));
        scratch[i] = static_cast<std::int16_t>(q - z);
    }
    for (std::int64_t r = 0; r < rows; ++r)
        for (std::int64_t c = 0; c < n; ++c) {
            const std::int32_t acc = int8Dot(scratch + r * k, w + c * k, k);
            y[r * n + c] = static_cast<float>(sx * static_cast<double>(sw[c]) * acc) + (b ? b[c] : 0.0f);
        }
}

void int8DynamicLinear(const float* x, const std::int8_t* w, const float* sw, const float* b, float* y, std::int64_t rows,
                       std::int64_t k, std::int64_t n, std::int16_t* scratch)
{
    float lo = 0.0f, hi = 0.0f; // the range always holds 0 (methods.md B11)
    for (std::int64_t i = 0; i < rows * k; ++i) {
        lo = std::min(lo, x[i]);
        hi = std::max(hi, x[i]);
    }
    if (hi == lo) { // every input is 0: y is the bias
        for (std::int64_t r = 0; r < rows; ++r)
            for (std::int64_t c = 0; c < n; ++c)
                y[r * n + c] = b ? b[c] : 0.0f;
        return;
    }
    const double sx = (static_cast<double>(hi) - static_cast<double>(lo)) / 255.0;
    const float inv = static_cast<float>(1.0 / sx);
    const float zx = std::min(255.0f, std::max(0.0f, std::nearbyint(-lo * inv)));
    int8FixedLinear(x, w, sw, b, y, rows, k, n, scratch, sx, static_cast<std::int64_t>(zx));
}

} // namespace wb::fused::math
