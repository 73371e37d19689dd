// SPDX-License-Identifier: GPL-3.0-or-later
#include "train/radam.h"

#include <torch/torch.h>

#include <cmath>

namespace wb {

torch::Tensor RAdam::step(LossClosure closure)
{
    torch::NoGradGuard noGrad;
    torch::Tensor loss;
    if (closure) {
        torch::AutoGradMode enable(true);
        loss = closure();
    }
    for (auto& group : param_groups()) {
        auto& o = static_cast<torch::optim::AdamOptions&>(group.options());
        const double lr = o.lr(), eps = o.eps(), wd = o.weight_decay();
        const double b1 = std::get<0>(o.betas()), b2 = std::get<1>(o.betas());
        const double rhoInf = 2.0 / (1.0 - b2) - 1.0;
        for (auto& p : group.params()) {
            if (!p.grad().defined())
                continue;
            const auto& g = p.grad();
            auto key = c10::guts::to_string(p.unsafeGetTensorImpl());
            auto& states = state();
            if (states.find(key) == states.end()) {
                auto s = std::make_unique<torch::optim::AdamParamState>();
                s->step(0);
                s->exp_avg(torch::zeros_like(p, torch::MemoryFormat::Preserve));
                s->exp_avg_sq(torch::zeros_like(p, torch::MemoryFormat::Preserve));
                states[key] = std::move(s);
            }
            auto& s = static_cast<torch::optim::AdamParamState&>(*states[key]);
            s.step(s.step() + 1);
            const double t = static_cast<double>(s.step());
            if (wd != 0)
                p.mul_(1.0 - lr * wd); // decoupled, as AdamW
            s.exp_avg().mul_(b1).add_(g, 1.0 - b1);
            s.exp_avg_sq().mul_(b2).addcmul_(g, g, 1.0 - b2);
            const double bias1 = 1.0 - std::pow(b1, t);
            const double b2t = std::pow(b2, t);
            const double rho = rhoInf - 2.0 * t * b2t / (1.0 - b2t);
            if (rho > 5.0) {
                const double r = std::sqrt((rho - 4.0) * (rho - 2.0) * rhoInf / ((rhoInf - 4.0) * (rhoInf - 2.0) * rho));
                auto denom = (s.exp_avg_sq() / (1.0 - b2t)).sqrt_().add_(eps);
                p.addcdiv_(s.exp_avg(), denom, -lr * r / bias1);
            } else {
                p.add_(s.exp_avg(), -lr / bias1); // un-adapted momentum while the variance is intractable
            }
        }
    }
    return loss;
}

} // namespace wb
