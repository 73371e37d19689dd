// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/fused.h"

#include "models/fused_math.h"

#include <ATen/Parallel.h>
#include <ATen/autocast_mode.h>
#include <torch/autograd.h>
#include <torch/torch.h>

#include <dlfcn.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

namespace wb::fused {

namespace {

// CBLAS, looked up in the process at run time (LibTorch loads the system's
// libblas.so.3: OpenBLAS after packaging/setup-debian.sh).
enum { RowMajor = 101, NoTrans = 111, Trans = 112 };
using SgemmFn = void (*)(int, int, int, int, int, int, float, const float*, int, const float*, int, float, float*, int);

SgemmFn sgemmFn()
{
    static const SgemmFn fn = reinterpret_cast<SgemmFn>(dlsym(RTLD_DEFAULT, "cblas_sgemm"));
    return fn;
}

// Row-major C (m x n) = alpha op(A) op(B) + beta C.
void gemm(bool ta, bool tb, std::int64_t m, std::int64_t n, std::int64_t k, float alpha, const float* a, std::int64_t lda,
          const float* b, std::int64_t ldb, float beta, float* c, std::int64_t ldc)
{
    if (m <= 0 || n <= 0)
        return;
    sgemmFn()(RowMajor, ta ? Trans : NoTrans, tb ? Trans : NoTrans, static_cast<int>(m), static_cast<int>(n), static_cast<int>(k), alpha,
              a, static_cast<int>(lda), b, static_cast<int>(ldb), beta, c, static_cast<int>(ldc));
}

// Products below this many multiply-adds run on the calling thread: the
// fork and join cost more than the second core gains (measured on tiny-gpt's
// shapes, docs/benchmarks.md).
constexpr std::int64_t kParallelWork = 1 << 18;

// f(r0, r1) over [0, rows) in contiguous blocks, one per intra-op thread
// when the product is large enough, else inline.
template <class F> void splitRows(std::int64_t rows, std::int64_t workPerRow, F&& f)
{
    const std::int64_t threads = at::get_num_threads();
    if (threads <= 1 || rows * workPerRow < kParallelWork || rows < 2 * 8) {
        f(0, rows);
        return;
    }
    // Blocks of whole multiples of 8 rows keep the GEMM kernels on full tiles.
    const std::int64_t block = ((rows + threads - 1) / threads + 7) / 8 * 8;
    at::parallel_for(0, rows, block, [&](std::int64_t r0, std::int64_t r1) { f(r0, r1); });
}

using torch::autograd::AutogradContext;
using torch::autograd::tensor_list;

class LinearFn : public torch::autograd::Function<LinearFn> {
public:
    static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& x, const torch::Tensor& W, const torch::Tensor& b, bool gelu)
    {
        const auto K = W.size(1), N = W.size(0);
        auto x2 = x.reshape({-1, K}).contiguous();
        auto w = W.contiguous();
        const auto M = x2.size(0);
        auto y = torch::empty({M, N}, x2.options());
        torch::Tensor pre = gelu ? torch::empty({M, N}, x2.options()) : y;
        const float* xp = x2.data_ptr<float>();
        const float* wp = w.data_ptr<float>();
        splitRows(M, N * K, [&](std::int64_t r0, std::int64_t r1) {
            gemm(false, true, r1 - r0, N, K, 1.0f, xp + r0 * K, K, wp, K, 0.0f, pre.data_ptr<float>() + r0 * N, N);
            // The epilogue on the block while it is in cache: bias, then GELU.
            auto rows = pre.slice(0, r0, r1);
            if (b.numel() > 0)
                rows.add_(b);
            if (gelu)
                math::geluForward(pre.data_ptr<float>() + r0 * N, y.data_ptr<float>() + r0 * N, (r1 - r0) * N);
        });
        ctx->save_for_backward({x2, w, gelu ? pre : torch::Tensor()});
        ctx->saved_data["gelu"] = gelu;
        ctx->saved_data["bias"] = b.numel() > 0;
        auto shape = x.sizes().vec();
        shape.back() = N;
        return y.view(shape);
    }

    static tensor_list backward(AutogradContext* ctx, tensor_list grads)
    {
        const auto saved = ctx->get_saved_variables();
        const auto& x2 = saved[0];
        const auto& w = saved[1];
        const bool gelu = ctx->saved_data["gelu"].toBool();
        const bool hasBias = ctx->saved_data["bias"].toBool();
        const auto K = w.size(1), N = w.size(0), M = x2.size(0);
        auto g = grads[0].reshape({M, N}).contiguous();
        if (gelu) { // dL/d(pre-activation)
            auto dpre = torch::empty_like(g);
            const float* pre = saved[2].data_ptr<float>();
            const float* gin = g.data_ptr<float>();
            float* out = dpre.data_ptr<float>();
            at::parallel_for(0, M * N, 1 << 16, [&](std::int64_t i0, std::int64_t i1) {
                math::geluBackward(pre + i0, gin + i0, out + i0, i1 - i0);
            });
            g = dpre;
        }
        auto dx = torch::empty({M, K}, x2.options());
        auto dw = torch::empty({N, K}, w.options());
        const float* gp = g.data_ptr<float>();
        // dx = g W, split by rows of x; dW = g^T x, split by rows of W.
        splitRows(M, N * K, [&](std::int64_t r0, std::int64_t r1) {
            gemm(false, false, r1 - r0, K, N, 1.0f, gp + r0 * N, N, w.data_ptr<float>(), K, 0.0f, dx.data_ptr<float>() + r0 * K, K);
        });
        splitRows(N, M * K, [&](std::int64_t n0, std::int64_t n1) {
            gemm(true, false, n1 - n0, K, M, 1.0f, gp + n0, N, x2.data_ptr<float>(), K, 0.0f, dw.data_ptr<float>() + n0 * K, K);
        });
        torch::Tensor db;
        if (hasBias) { // column sums of g, split by columns (LibTorch's sum(0) was 7 % of a step)
            db = torch::empty({N}, g.options());
            at::parallel_for(0, N, std::max<std::int64_t>(16, (1 << 16) / std::max<std::int64_t>(M, 1)),
                             [&](std::int64_t c0, std::int64_t c1) { math::columnSums(gp, db.data_ptr<float>(), M, N, c0, c1); });
        }
        auto shape = grads[0].sizes().vec();
        shape.back() = K;
        return {dx.view(shape), dw, db, torch::Tensor()};
    }
};

class AttentionFn : public torch::autograd::Function<AttentionFn> {
public:
    static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& qkvIn, std::int64_t heads)
    {
        auto qkv = qkvIn.contiguous();
        const auto B = qkv.size(0), T = qkv.size(1), C3 = qkv.size(2), C = C3 / 3, hd = C / heads;
        const float scale = static_cast<float>(1.0 / std::sqrt(static_cast<double>(hd)));
        auto y = torch::empty({B, T, C}, qkv.options());
        auto probs = torch::empty({B, heads, T, T}, qkv.options());
        const float* src = qkv.data_ptr<float>();
        float* yp = y.data_ptr<float>();
        float* pp = probs.data_ptr<float>();
        at::parallel_for(0, B * heads, 1, [&](std::int64_t p0, std::int64_t p1) {
            for (std::int64_t p = p0; p < p1; ++p) {
                const auto b = p / heads, h = p % heads;
                const float* q = src + b * T * C3 + h * hd; // rows of stride 3C
                const float* k = q + C;
                const float* v = q + 2 * C;
                float* P = pp + p * T * T;
                // The scores scale Q K^T, then the causal softmax in place:
                // the mask is the triangle the softmax reads, nothing else.
                gemm(false, true, T, T, hd, scale, q, C3, k, C3, 0.0f, P, T);
                math::causalSoftmax(P, P, T);
                gemm(false, false, T, hd, T, 1.0f, P, T, v, C3, 0.0f, yp + b * T * C + h * hd, C);
            }
        });
        ctx->save_for_backward({qkv, probs});
        ctx->saved_data["heads"] = heads;
        return y;
    }

    static tensor_list backward(AutogradContext* ctx, tensor_list grads)
    {
        const auto saved = ctx->get_saved_variables();
        const auto& qkv = saved[0];
        const auto& probs = saved[1];
        const auto heads = ctx->saved_data["heads"].toInt();
        const auto B = qkv.size(0), T = qkv.size(1), C3 = qkv.size(2), C = C3 / 3, hd = C / heads;
        const float scale = static_cast<float>(1.0 / std::sqrt(static_cast<double>(hd)));
        auto dy = grads[0].contiguous();
        auto dqkv = torch::empty_like(qkv);
        auto dP = torch::empty({B, heads, T, T}, qkv.options());
        const float* src = qkv.data_ptr<float>();
        const float* gy = dy.data_ptr<float>();
        float* dst = dqkv.data_ptr<float>();
        at::parallel_for(0, B * heads, 1, [&](std::int64_t p0, std::int64_t p1) {
            for (std::int64_t p = p0; p < p1; ++p) {
                const auto b = p / heads, h = p % heads;
                const std::int64_t off = b * T * C3 + h * hd;
                const float* q = src + off;
                const float* k = q + C;
                const float* v = q + 2 * C;
                const float* g = gy + b * T * C + h * hd;            // dY (T, hd), rows of stride C
                const float* P = probs.data_ptr<float>() + p * T * T;
                float* dp = dP.data_ptr<float>() + p * T * T;
                gemm(false, true, T, T, hd, 1.0f, g, C, v, C3, 0.0f, dp, T);              // dP = dY V^T
                gemm(true, false, T, hd, T, 1.0f, P, T, g, C, 0.0f, dst + off + 2 * C, C3); // dV = P^T dY
                math::causalSoftmaxBackward(P, dp, dp, T); // dS = P (dP - rowsum(dP P)), in place
                const float* d = dp;
                gemm(false, false, T, hd, T, scale, d, T, k, C3, 0.0f, dst + off, C3);      // dQ = s dS K
                gemm(true, false, T, hd, T, scale, d, T, q, C3, 0.0f, dst + off + C, C3);   // dK = s dS^T Q
            }
        });
        return {dqkv, torch::Tensor()};
    }
};

using SgemvFn = void (*)(int, int, int, int, float, const float*, int, const float*, int, float, float*, int);

SgemvFn sgemvFn()
{
    static const SgemvFn fn = reinterpret_cast<SgemvFn>(dlsym(RTLD_DEFAULT, "cblas_sgemv"));
    return fn;
}

// y (n) = W (n x k, row-major) x + b.
void linearVec(const float* W, const float* b, const float* x, float* y, std::int64_t n, std::int64_t k)
{
    if (b)
        std::memcpy(y, b, sizeof(float) * static_cast<std::size_t>(n));
    sgemvFn()(RowMajor, NoTrans, static_cast<int>(n), static_cast<int>(k), 1.0f, W, static_cast<int>(k), x, 1, b ? 1.0f : 0.0f,
              y, 1);
}

// LayerNorm of one vector (eps 1e-5, as the model's modules).
void layerNormVec(const float* x, const float* w, const float* b, float* y, std::int64_t d)
{
    double mean = 0, var = 0;
    for (std::int64_t i = 0; i < d; ++i)
        mean += x[i];
    mean /= static_cast<double>(d);
    for (std::int64_t i = 0; i < d; ++i)
        var += (x[i] - mean) * (x[i] - mean);
    const float inv = static_cast<float>(1.0 / std::sqrt(var / static_cast<double>(d) + 1e-5));
    const float m = static_cast<float>(mean);
    for (std::int64_t i = 0; i < d; ++i)
        y[i] = (x[i] - m) * inv * w[i] + b[i];
}

// Rows per block of the LayerNorm: the unit of parallel work, and of the
// partial sums of dw and db (added in block order, so a result does not
// depend on the thread count).
constexpr std::int64_t kNormBlock = 64;

// The LayerNorm's backward from its saved (s, w, mean, rstd): ds (plus gs
// where defined), dw, db.
std::tuple<torch::Tensor, torch::Tensor, torch::Tensor> normBackward(const tensor_list& saved, const torch::Tensor& gy,
                                                                     const torch::Tensor& gs)
{
    const auto& s = saved[0];
    const auto& w = saved[1];
    const auto d = s.size(-1), rows = s.numel() / d;
    auto gyc = gy.contiguous();
    torch::Tensor gsc = gs.defined() ? gs.contiguous() : torch::Tensor();
    auto ds = torch::empty_like(s);
    const auto blocks = (rows + kNormBlock - 1) / kNormBlock;
    auto partial = torch::zeros({blocks, 2, d}, s.options()); // per block: dw, db
    at::parallel_for(0, blocks, 1, [&](std::int64_t k0, std::int64_t k1) {
        for (std::int64_t k = k0; k < k1; ++k) {
            const auto r0 = k * kNormBlock, r1 = std::min(rows, r0 + kNormBlock);
            float* acc = partial.data_ptr<float>() + k * 2 * d;
            math::addLayerNormBackwardRows(s.data_ptr<float>() + r0 * d, saved[2].data_ptr<float>() + r0,
                                           saved[3].data_ptr<float>() + r0, w.data_ptr<float>(), gyc.data_ptr<float>() + r0 * d,
                                           gsc.defined() ? gsc.data_ptr<float>() + r0 * d : nullptr, ds.data_ptr<float>() + r0 * d,
                                           acc, acc + d, r1 - r0, d);
        }
    });
    auto sums = partial.sum(0); // (2, d), in block order
    return {ds.view(gy.sizes()), sums[0], sums[1]};
}

class AddLayerNormFn : public torch::autograd::Function<AddLayerNormFn> {
public:
    static tensor_list forward(AutogradContext* ctx, const torch::Tensor& x, const torch::Tensor& delta, const torch::Tensor& w,
                               const torch::Tensor& b, double eps)
    {
        const auto d = x.size(-1);
        auto xc = x.contiguous(), dc = delta.contiguous();
        const auto rows = xc.numel() / d;
        auto s = torch::empty_like(xc), y = torch::empty_like(xc);
        auto mean = torch::empty({rows}, xc.options()), rstd = torch::empty({rows}, xc.options());
        auto wc = w.contiguous(), bc = b.contiguous();
        const auto blocks = (rows + kNormBlock - 1) / kNormBlock;
        at::parallel_for(0, blocks, std::max<std::int64_t>(1, 4096 / (kNormBlock * std::max<std::int64_t>(d, 1) / 64 + 1)),
                         [&](std::int64_t k0, std::int64_t k1) {
            const auto r0 = k0 * kNormBlock, r1 = std::min(rows, k1 * kNormBlock);
            math::addLayerNormRows(xc.data_ptr<float>() + r0 * d, dc.data_ptr<float>() + r0 * d, s.data_ptr<float>() + r0 * d,
                                   wc.data_ptr<float>(), bc.data_ptr<float>(), y.data_ptr<float>() + r0 * d,
                                   mean.data_ptr<float>() + r0, rstd.data_ptr<float>() + r0, r1 - r0, d, static_cast<float>(eps));
        });
        ctx->save_for_backward({s, wc, mean, rstd});
        return {s, y};
    }

    static tensor_list backward(AutogradContext* ctx, tensor_list grads)
    {
        const auto saved = ctx->get_saved_variables();
        const auto& gs = grads[0];
        const auto& gy = grads[1];
        if (!gy.defined()) // the normalised output was not used: only the sum's gradient
            return {gs, gs, torch::Tensor(), torch::Tensor(), torch::Tensor()};
        auto [ds, dw, db] = normBackward(saved, gy, gs);
        // One tensor is the gradient of both x and delta: autograd adds into
        // a gradient in place only when it holds the sole reference to it.
        return {ds, ds, dw, db, torch::Tensor()};
    }
};

// A LayerNorm alone (the first of a GPT's stack): the same loops without
// the add.
class LayerNormFn : public torch::autograd::Function<LayerNormFn> {
public:
    static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& x, const torch::Tensor& w, const torch::Tensor& b,
                                 double eps)
    {
        const auto d = x.size(-1);
        auto xc = x.contiguous();
        const auto rows = xc.numel() / d;
        auto y = torch::empty_like(xc);
        auto mean = torch::empty({rows}, xc.options()), rstd = torch::empty({rows}, xc.options());
        auto wc = w.contiguous(), bc = b.contiguous();
        const auto blocks = (rows + kNormBlock - 1) / kNormBlock;
        at::parallel_for(0, blocks, 1, [&](std::int64_t k0, std::int64_t k1) {
            const auto r0 = k0 * kNormBlock, r1 = std::min(rows, k1 * kNormBlock);
            math::addLayerNormRows(xc.data_ptr<float>() + r0 * d, nullptr, nullptr, wc.data_ptr<float>(), bc.data_ptr<float>(),
                                   y.data_ptr<float>() + r0 * d, mean.data_ptr<float>() + r0, rstd.data_ptr<float>() + r0,
                                   r1 - r0, d, static_cast<float>(eps));
        });
        ctx->save_for_backward({xc, wc, mean, rstd});
        return y;
    }

    static tensor_list backward(AutogradContext* ctx, tensor_list grads)
    {
        if (!grads[0].defined())
            return {torch::Tensor(), torch::Tensor(), torch::Tensor(), torch::Tensor()};
        const auto saved = ctx->get_saved_variables();
        auto [dx, dw, db] = normBackward(saved, grads[0], torch::Tensor());
        return {dx, dw, db, torch::Tensor()};
    }
};

// The tied output layer and the mean cross-entropy in one Function: the
// logits are made block by block and turned into probabilities in place,
// which the backward reuses (dlogits = (p - onehot) / N); no log_softmax,
// nll_loss or their backward passes, and no second logits-sized buffer.
class TiedCrossEntropyFn : public torch::autograd::Function<TiedCrossEntropyFn> {
public:
    static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& h, const torch::Tensor& E, const torch::Tensor& target)
    {
        const auto d = h.size(-1), V = E.size(0);
        auto h2 = h.reshape({-1, d}).contiguous();
        auto e = E.contiguous();
        auto t = target.reshape({-1}).to(torch::kLong).contiguous();
        const auto N = h2.size(0);
        TORCH_CHECK(t.size(0) == N, "targets ", t.size(0), " for ", N, " positions");
        TORCH_CHECK(N == 0 || (t.min().item<std::int64_t>() >= 0 && t.max().item<std::int64_t>() < V), "target outside the vocabulary");
        auto probs = torch::empty({N, V}, h2.options());
        auto rowLoss = torch::empty({N}, h2.options());
        splitRows(N, V * d, [&](std::int64_t r0, std::int64_t r1) {
            gemm(false, true, r1 - r0, V, d, 1.0f, h2.data_ptr<float>() + r0 * d, d, e.data_ptr<float>(), d, 0.0f,
                 probs.data_ptr<float>() + r0 * V, V);
            math::crossEntropyRows(probs.data_ptr<float>() + r0 * V, t.data_ptr<std::int64_t>() + r0, rowLoss.data_ptr<float>() + r0,
                                   r1 - r0, V);
        });
        double sum = 0; // in row order: the same bits for any thread count
        const float* lp = rowLoss.data_ptr<float>();
        for (std::int64_t r = 0; r < N; ++r)
            sum += lp[r];
        ctx->save_for_backward({h2, e, probs, t});
        ctx->saved_data["shape"] = h.sizes().vec();
        return torch::tensor(N > 0 ? sum / static_cast<double>(N) : 0.0, h2.options());
    }

    static tensor_list backward(AutogradContext* ctx, tensor_list grads)
    {
        const auto saved = ctx->get_saved_variables();
        const auto& h2 = saved[0];
        const auto& e = saved[1];
        auto dlogits = saved[2]; // the probabilities, turned into the gradient in place
        const auto& t = saved[3];
        const auto N = h2.size(0), d = h2.size(1), V = e.size(0);
        const float scale = N > 0 ? grads[0].item<float>() / static_cast<float>(N) : 0.0f;
        float* g = dlogits.data_ptr<float>();
        const std::int64_t* tp = t.data_ptr<std::int64_t>();
        at::parallel_for(0, N, 256, [&](std::int64_t r0, std::int64_t r1) {
            for (std::int64_t r = r0; r < r1; ++r) {
                g[r * V + tp[r]] -= 1.0f;
                for (std::int64_t j = 0; j < V; ++j)
                    g[r * V + j] *= scale;
            }
        });
        auto dh = torch::empty({N, d}, h2.options());
        auto dE = torch::empty({V, d}, e.options());
        // dh = G E, split by rows of h; dE = G^T h, split by rows of E.
        splitRows(N, V * d, [&](std::int64_t r0, std::int64_t r1) {
            gemm(false, false, r1 - r0, d, V, 1.0f, g + r0 * V, V, e.data_ptr<float>(), d, 0.0f, dh.data_ptr<float>() + r0 * d, d);
        });
        splitRows(V, N * d, [&](std::int64_t v0, std::int64_t v1) {
            gemm(true, false, v1 - v0, d, N, 1.0f, g + v0, V, h2.data_ptr<float>(), d, 0.0f, dE.data_ptr<float>() + v0 * d, d);
        });
        return {dh.view(ctx->saved_data["shape"].toIntVector()), dE, torch::Tensor()};
    }
};

} // namespace

torch::Tensor tiedCrossEntropy(const torch::Tensor& h, const torch::Tensor& E, const torch::Tensor& target)
{
    return TiedCrossEntropyFn::apply(h, E, target);
}

torch::Tensor layerNorm(const torch::Tensor& x, const torch::Tensor& w, const torch::Tensor& b, double eps)
{
    return LayerNormFn::apply(x, w, b, eps);
}

std::pair<torch::Tensor, torch::Tensor> addLayerNorm(const torch::Tensor& x, const torch::Tensor& delta, const torch::Tensor& w,
                                                     const torch::Tensor& b, double eps)
{
    auto out = AddLayerNormFn::apply(x, delta, w, b, eps);
    return {out[0], out[1]};
}

void gptDecodeStep(const std::vector<DecodeLayer>& layers, const float* lnFw, const float* lnFb, float* x, std::int64_t d,
                   std::int64_t heads, std::int64_t keysCapacity, std::int64_t pos, std::int64_t mlp)
{
    const std::int64_t hd = d / heads, n = pos + 1;
    const float scale = static_cast<float>(1.0 / std::sqrt(static_cast<double>(hd)));
    std::vector<float> h(static_cast<std::size_t>(d)), qkv(static_cast<std::size_t>(3 * d)), y(static_cast<std::size_t>(d)),
        o(static_cast<std::size_t>(d)), u(static_cast<std::size_t>(mlp)), g(static_cast<std::size_t>(mlp)),
        s(static_cast<std::size_t>(n));
    for (const auto& L : layers) {
        layerNormVec(x, L.ln1w, L.ln1b, h.data(), d);
        linearVec(L.qkvW, L.qkvB, h.data(), qkv.data(), 3 * d, d);
        for (std::int64_t hh = 0; hh < heads; ++hh) {
            const float* q = qkv.data() + hh * hd;
            float* Kh = L.K + hh * keysCapacity * hd;
            float* Vh = L.V + hh * keysCapacity * hd;
            std::memcpy(Kh + pos * hd, qkv.data() + d + hh * hd, sizeof(float) * static_cast<std::size_t>(hd));
            std::memcpy(Vh + pos * hd, qkv.data() + 2 * d + hh * hd, sizeof(float) * static_cast<std::size_t>(hd));
            float m = -std::numeric_limits<float>::infinity();
            for (std::int64_t j = 0; j < n; ++j) {
                float dot = 0;
                for (std::int64_t c = 0; c < hd; ++c)
                    dot += q[c] * Kh[j * hd + c];
                s[static_cast<std::size_t>(j)] = dot * scale;
                m = std::max(m, s[static_cast<std::size_t>(j)]);
            }
            float sum = 0;
            for (std::int64_t j = 0; j < n; ++j)
                sum += (s[static_cast<std::size_t>(j)] = std::exp(s[static_cast<std::size_t>(j)] - m));
            float* yh = y.data() + hh * hd;
            std::fill(yh, yh + hd, 0.0f);
            for (std::int64_t j = 0; j < n; ++j) {
                const float p = s[static_cast<std::size_t>(j)] / sum;
                for (std::int64_t c = 0; c < hd; ++c)
                    yh[c] += p * Vh[j * hd + c];
            }
        }
        linearVec(L.projW, L.projB, y.data(), o.data(), d, d);
        for (std::int64_t i = 0; i < d; ++i)
            x[i] += o[static_cast<std::size_t>(i)];
        layerNormVec(x, L.ln2w, L.ln2b, h.data(), d);
        linearVec(L.fcW, L.fcB, h.data(), u.data(), mlp, d);
        math::geluForward(u.data(), g.data(), mlp);
        linearVec(L.fcProjW, L.fcProjB, g.data(), o.data(), d, mlp);
        for (std::int64_t i = 0; i < d; ++i)
            x[i] += o[static_cast<std::size_t>(i)];
    }
    layerNormVec(x, lnFw, lnFb, h.data(), d);
    std::memcpy(x, h.data(), sizeof(float) * static_cast<std::size_t>(d));
}

bool available()
{
    return sgemmFn() != nullptr && sgemvFn() != nullptr;
}

bool usable(const torch::Tensor& x)
{
    return available() && x.device().is_cpu() && x.scalar_type() == torch::kFloat && !at::autocast::is_cpu_enabled();
}

torch::Tensor linear(const torch::Tensor& x, const torch::Tensor& W, const torch::Tensor& b, bool gelu)
{
    // LibTorch 1.13's Function::apply needs every tensor argument defined:
    // no bias travels as an empty tensor.
    return LinearFn::apply(x, W, b.defined() ? b : torch::empty({0}, W.options()), gelu);
}

torch::Tensor causalAttention(const torch::Tensor& qkv, std::int64_t heads)
{
    return AttentionFn::apply(qkv, heads);
}

} // namespace wb::fused
