// SPDX-License-Identifier: GPL-3.0-or-later
#include "eval/lm_eval.h"

#include <ATen/Parallel.h>
#include <torch/torch.h>

#include <algorithm>

#include <chrono>
#include <cmath>
#include <limits>
#include <numbers>
#include <random>

namespace wb {

namespace {

void finish(LmScore& score, double nll, std::int64_t predicted, double charsPerToken, double bytesPerToken)
{
    score.tokens = predicted;
    if (predicted > 0) {
        score.loss = nll / static_cast<double>(predicted);
        score.ppl = std::exp(score.loss);
        // methods.md C12: normalize the total NLL by a tokenizer-independent
        // unit (characters, UTF-8 bytes) so tokenizers compare fairly.
        score.bpc = nll / (std::numbers::ln2 * static_cast<double>(predicted) * charsPerToken);
        score.bpb = nll / (std::numbers::ln2 * static_cast<double>(predicted) * bytesPerToken);
    }
}

// A model that carries its state (methods.md A4: evaluate "with carefully
// carried state"): the predictions cut in `batch` contiguous streams, read
// chunk by chunk of the context, each row's state carried from its chunk
// before; every token is predicted from all of its stream's text before it.
// The last (predictions mod rows) tokens are left out.
LmScore evaluateStreams(LanguageModel& model, const TokenCache& tokens, int batch, std::int64_t maxTokens,
                        double charsPerToken, double bytesPerToken, const std::atomic<bool>* stop)
{
    const std::int64_t T = model.context();
    const std::int64_t N = std::min(tokens.size() - 1, maxTokens); // predictions wanted
    const std::int64_t rows = std::max<std::int64_t>(1, std::min<std::int64_t>(batch, N));
    const std::int64_t L = N / rows; // predictions per stream
    const auto device = model.device();
    model.resetState();
    double nll = 0;
    std::int64_t predicted = 0;
    LmScore score;
    for (std::int64_t c = 0; c < L; c += T) {
        if (stop && stop->load(std::memory_order_relaxed)) {
            score.complete = false;
            break;
        }
        const std::int64_t len = std::min(T, L - c);
        auto window = torch::empty({rows, len + 1}, torch::kLong);
        for (std::int64_t r = 0; r < rows; ++r)
            tokens.copy(r * L + c, len + 1, window[r].data_ptr<std::int64_t>());
        window = window.to(device);
        auto x = window.slice(1, 0, len).contiguous();
        auto y = window.slice(1, 1, len + 1).contiguous();
        auto logits = model.forward(x);
        nll += torch::nn::functional::cross_entropy(logits.view({-1, logits.size(-1)}), y.view({-1}),
                                                    torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum))
                   .item<double>();
        predicted += y.numel();
    }
    finish(score, nll, predicted, charsPerToken, bytesPerToken);
    return score;
}

} // namespace

LmScore evaluateLm(LanguageModel& model, const TokenCache& tokens, int batch, std::int64_t maxTokens,
                   double charsPerToken, double bytesPerToken, const std::atomic<bool>* stop)
{
    torch::NoGradGuard noGrad;
    const bool wasTraining = model.is_training();
    model.eval();
    const std::int64_t T = model.context();
    const std::int64_t n = tokens.size();
    const auto device = model.device();
    // The training streams' carried state is kept aside meanwhile.
    StateCarryScope carry(model, model.carriesState());
    if (model.stateCarry()) {
        auto score = evaluateStreams(model, tokens, batch, maxTokens, charsPerToken, bytesPerToken, stop);
        if (wasTraining)
            model.train();
        return score;
    }

    std::vector<std::int64_t> starts;
    for (std::int64_t s = 0; s + 1 < n && static_cast<std::int64_t>(starts.size()) * T < maxTokens; s += T)
        starts.push_back(s);

    double nll = 0;
    std::int64_t predicted = 0;
    LmScore score;
    for (std::size_t i = 0; i < starts.size();) {
        if (stop && stop->load(std::memory_order_relaxed)) {
            score.complete = false;
            break;
        }
        // Windows in one batch must share a length: the last, shorter window
        // of the split goes in a batch of its own.
        std::int64_t len = -1;
        std::size_t j = i;
        for (; j < starts.size() && j < i + static_cast<std::size_t>(batch); ++j) {
            const auto l = std::min(T, n - 1 - starts[j]);
            if (len >= 0 && l != len)
                break;
            len = l;
        }
        const auto b = static_cast<std::int64_t>(j - i);
        auto window = torch::empty({b, len + 1}, torch::kLong); // tokens s .. s+len
        for (std::int64_t r = 0; r < b; ++r)
            tokens.copy(starts[i + static_cast<std::size_t>(r)], len + 1, window[r].data_ptr<std::int64_t>());
        i = j; // the next batch starts at the first window not taken
        window = window.to(device);
        auto x = window.slice(1, 0, len).contiguous(); // (b, len)
        auto y = window.slice(1, 1, len + 1).contiguous(); // (b, len)
        auto logits = model.forward(x);             // (b, len, V)
        auto loss = torch::nn::functional::cross_entropy(
            logits.view({-1, logits.size(-1)}), y.view({-1}),
            torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum));
        nll += loss.item<double>();
        predicted += y.numel();
    }
    if (wasTraining)
        model.train();
    finish(score, nll, predicted, charsPerToken, bytesPerToken);
    return score;
}

namespace {

// The next token from (V) logits: argmax at temperature 0, else a draw from
// softmax(logits / temperature) restricted to the top k and the nucleus.
std::int32_t pickToken(torch::Tensor logits, const SampleOptions& o, std::mt19937_64& rng)
{
    logits = logits.to(torch::kCPU, torch::kDouble).contiguous();
    if (o.temperature <= 0)
        return static_cast<std::int32_t>(logits.argmax().item<std::int64_t>());
    const auto V = logits.size(0);
    if (o.topK > 0 && o.topK < V) {
        // Everything below the k-th largest logit is left out.
        const double kth = std::get<0>(logits.topk(o.topK)).min().item<double>();
        logits = logits.masked_fill(logits < kth, -std::numeric_limits<double>::infinity());
    }
    auto probs = torch::softmax(logits / o.temperature, 0).contiguous();
    if (o.topP < 1.0) {
        // Nucleus sampling (Holtzman et al. 2020): the smallest set of most
        // likely tokens whose probability reaches top_p, renormalised.
        auto [sorted, order] = probs.sort(0, /*descending=*/true);
        const double* s = sorted.data_ptr<double>();
        double acc = 0;
        std::int64_t keep = 0;
        while (keep < V && acc < o.topP)
            acc += s[keep++];
        auto kept = torch::zeros_like(probs);
        kept.index_put_({order.slice(0, 0, keep)}, sorted.slice(0, 0, keep) / acc);
        probs = kept;
    }
    const double* p = probs.data_ptr<double>();
    const double r = std::uniform_real_distribution<double>(0.0, 1.0)(rng);
    double acc = 0;
    std::int64_t last = 0;
    for (std::int64_t v = 0; v < V; ++v) {
        if (p[v] > 0)
            last = v;
        acc += p[v];
        if (r < acc)
            return static_cast<std::int32_t>(v);
    }
    return static_cast<std::int32_t>(last); // rounding left r above the sum
}

} // namespace

std::vector<std::int32_t> sampleLm(LanguageModel& model, const std::vector<std::int32_t>& prompt, int count,
                                   double temperature, std::uint64_t seed, const std::atomic<bool>* stop, int topK)
{
    SampleOptions o;
    o.temperature = temperature;
    o.seed = seed;
    o.topK = topK;
    return sampleLm(model, prompt, count, o, stop);
}

std::vector<std::int32_t> sampleLm(LanguageModel& model, const std::vector<std::int32_t>& prompt, int count,
                                   const SampleOptions& options, const std::atomic<bool>* stop, SampleStats* stats)
{
    using Clock = std::chrono::steady_clock;
    torch::NoGradGuard noGrad;
    const bool wasTraining = model.is_training();
    model.eval();
    const auto device = model.device();
    const std::int64_t T = model.context();
    std::mt19937_64 rng(options.seed);
    StateCarryScope noCarry(model, false); // generation never touches the training streams' state
    SampleStats local;
    SampleStats& st = stats ? *stats : local;
    st = SampleStats();

    std::vector<std::int32_t> ctx = prompt;
    std::vector<std::int32_t> out;
    auto tail = [&](std::size_t n) {
        const std::size_t from = ctx.size() > n ? ctx.size() - n : 0;
        return std::vector<std::int64_t>(ctx.begin() + static_cast<std::ptrdiff_t>(from), ctx.end());
    };
    auto ids = [&](const std::vector<std::int64_t>& v) { return torch::tensor(v, torch::kLong).to(device); };
    DecodeCache cache;
    const bool carries = model.carriesState();
    std::vector<std::int64_t> pending = carries ? tail(ctx.size()) : tail(static_cast<std::size_t>(T));
    auto t0 = Clock::now();
    for (int i = 0; i < count; ++i) {
        if (stop && stop->load(std::memory_order_relaxed))
            break;
        torch::Tensor logits;
        if (!options.cache) {
            // The reference: the whole window (the last T tokens) every time.
            auto x = ids(tail(static_cast<std::size_t>(T))).unsqueeze(0); // (1, t)
            logits = model.forward(x).select(1, x.size(1) - 1).squeeze(0);
        } else {
            if (!carries && cache.length + static_cast<std::int64_t>(pending.size()) > T) {
                // Past the context: restart from the last half window.
                cache.clear();
                pending = tail(static_cast<std::size_t>(std::max<std::int64_t>(1, T / 2)));
                ++st.reanchors;
            }
            // A state-carrying model takes a long prompt in context-sized pieces.
            for (std::size_t at = 0; at < pending.size(); at += static_cast<std::size_t>(T)) {
                const auto end = std::min(pending.size(), at + static_cast<std::size_t>(T));
                logits = model.decodeNext(ids({pending.begin() + static_cast<std::ptrdiff_t>(at), pending.begin() + static_cast<std::ptrdiff_t>(end)}), cache);
            }
        }
        const std::int32_t next = pickToken(logits, options, rng);
        if (i == 0) {
            st.prefillMs = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
            t0 = Clock::now();
        } else {
            ++st.decodeTokens;
        }
        ctx.push_back(next);
        out.push_back(next);
        pending = {next};
    }
    if (!out.empty())
        st.decodeSeconds = std::chrono::duration<double>(Clock::now() - t0).count();
    if (wasTraining)
        model.train();
    return out;
}

torch::Tensor concurrentLmStep(LanguageModel& model, const torch::Tensor& x, const torch::Tensor& y, int parts,
                               double* forwardMs, double* backwardMs)
{
    const auto B = x.size(0);
    parts = static_cast<int>(std::max<std::int64_t>(1, std::min<std::int64_t>(parts, B)));
    std::vector<torch::Tensor> params;
    for (const auto& q : model.parameters())
        if (q.requires_grad())
            params.push_back(q);
    std::vector<torch::Tensor> losses(static_cast<std::size_t>(parts));
    std::vector<std::vector<torch::Tensor>> grads(static_cast<std::size_t>(parts));
    std::vector<double> fwd(static_cast<std::size_t>(parts)), bwd(static_cast<std::size_t>(parts));
    // Grain 1: one part per thread of ATen's pool; inside the region every
    // nested parallel_for (elementwise ops, the fused kernels' splits) runs
    // inline on its thread.
    at::parallel_for(0, parts, 1, [&](std::int64_t p0, std::int64_t p1) {
        for (std::int64_t p = p0; p < p1; ++p) {
            const auto r0 = B * p / parts, r1 = B * (p + 1) / parts;
            const auto t0 = std::chrono::steady_clock::now();
            auto loss = model.lmLoss(x.slice(0, r0, r1), y.slice(0, r0, r1));
            const auto t1 = std::chrono::steady_clock::now();
            // Each part's gradients apart; summed below in the parts' order,
            // so the result does not depend on which thread finished first.
            grads[static_cast<std::size_t>(p)] = torch::autograd::grad(
                {loss * (static_cast<double>(r1 - r0) / static_cast<double>(B))}, params, {}, false, false, /*allow_unused=*/true);
            const auto t2 = std::chrono::steady_clock::now();
            losses[static_cast<std::size_t>(p)] = loss.detach() * (static_cast<double>(r1 - r0) / static_cast<double>(B));
            fwd[static_cast<std::size_t>(p)] = std::chrono::duration<double, std::milli>(t1 - t0).count();
            bwd[static_cast<std::size_t>(p)] = std::chrono::duration<double, std::milli>(t2 - t1).count();
        }
    });
    if (forwardMs)
        *forwardMs = *std::max_element(fwd.begin(), fwd.end());
    if (backwardMs)
        *backwardMs = *std::max_element(bwd.begin(), bwd.end());
    // The sums, parameters split over the same threads (each parameter's
    // parts still added in the parts' order): one parallel region instead
    // of a small parallel add per parameter and part.
    at::parallel_for(0, static_cast<std::int64_t>(params.size()), 1, [&](std::int64_t k0, std::int64_t k1) {
        torch::NoGradGuard noGrad;
        for (auto k = static_cast<std::size_t>(k0); k < static_cast<std::size_t>(k1); ++k)
            for (const auto& g : grads)
                if (g[k].defined()) {
                    auto& acc = params[k].mutable_grad();
                    if (acc.defined())
                        acc.add_(g[k]);
                    else
                        acc = g[k]; // fresh from autograd::grad and ours alone: no copy
                }
    });
    torch::Tensor total = losses[0];
    for (std::size_t i = 1; i < losses.size(); ++i)
        total = total + losses[i];
    return total;
}

} // namespace wb
