// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/fused_adamw.h"

#include "models/fused_math.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <cmath>

namespace wb {

namespace {

struct Job {
    float *p, *m, *v;
    const float* g;
    std::int64_t n;
    fused::math::AdamWStep c;
};

bool fusable(const torch::Tensor& p)
{
    const auto& g = p.grad();
    return p.device().is_cpu() && p.scalar_type() == torch::kFloat && p.is_contiguous() && g.defined() && !g.is_sparse()
           && g.scalar_type() == torch::kFloat && g.is_contiguous() && g.sizes() == p.sizes();
}

} // namespace

torch::Tensor FusedAdamW::step(LossClosure closure)
{
    torch::NoGradGuard noGrad;
    bool all = true;
    for (const auto& group : param_groups()) {
        all &= !static_cast<const torch::optim::AdamWOptions&>(group.options()).amsgrad();
        for (const auto& p : group.params())
            all &= !p.grad().defined() || fusable(p);
    }
    if (!all)
        return torch::optim::AdamW::step(std::move(closure));
    torch::Tensor loss;
    if (closure) {
        torch::AutoGradMode enable(true);
        loss = closure();
    }
    std::vector<Job> jobs;
    for (auto& group : param_groups()) {
        const auto& o = static_cast<const torch::optim::AdamWOptions&>(group.options());
        for (auto& p : group.params()) {
            if (!p.grad().defined())
                continue;
            // The same state, created the same way, as AdamW::step.
            const auto key = c10::guts::to_string(p.unsafeGetTensorImpl());
            auto it = state_.find(key);
            if (it == state_.end()) {
                auto s = std::make_unique<torch::optim::AdamWParamState>();
                s->step(0);
                s->exp_avg(torch::zeros_like(p, torch::MemoryFormat::Preserve));
                s->exp_avg_sq(torch::zeros_like(p, torch::MemoryFormat::Preserve));
                it = state_.emplace(key, std::move(s)).first;
            }
            auto& s = static_cast<torch::optim::AdamWParamState&>(*it->second);
            s.step(s.step() + 1);
            const auto [beta1, beta2] = o.betas();
            const double bias1 = 1 - std::pow(beta1, static_cast<double>(s.step()));
            const double bias2 = 1 - std::pow(beta2, static_cast<double>(s.step()));
            Job j{p.data_ptr<float>(), s.exp_avg().data_ptr<float>(), s.exp_avg_sq().data_ptr<float>(),
                  p.grad().data_ptr<float>(), p.numel(),
                  {static_cast<float>(1 - o.lr() * o.weight_decay()), static_cast<float>(beta1), static_cast<float>(beta2),
                   static_cast<float>(o.lr() / bias1), static_cast<float>(std::sqrt(bias2)), static_cast<float>(o.eps())}};
            jobs.push_back(j);
        }
    }
    // Every tensor's elements as one range, split over the intra-op threads.
    std::vector<std::int64_t> starts(jobs.size() + 1, 0);
    for (std::size_t i = 0; i < jobs.size(); ++i)
        starts[i + 1] = starts[i] + jobs[i].n;
    at::parallel_for(0, starts.back(), 1 << 15, [&](std::int64_t begin, std::int64_t end) {
        auto i = static_cast<std::size_t>(std::upper_bound(starts.begin(), starts.end(), begin) - starts.begin()) - 1;
        for (; i < jobs.size() && starts[i] < end; ++i) {
            const std::int64_t from = std::max(begin, starts[i]) - starts[i];
            const std::int64_t to = std::min(end, starts[i + 1]) - starts[i];
            const Job& j = jobs[i];
            if (to > from)
                fused::math::adamwUpdate(j.p + from, j.g + from, j.m + from, j.v + from, to - from, j.c);
        }
    });
    return loss;
}

} // namespace wb
