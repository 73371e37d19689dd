// SPDX-License-Identifier: GPL-3.0-or-later
#include "train/distill.h"

#include <torch/torch.h>

namespace wb {

torch::Tensor softTargetLoss(const torch::Tensor& studentLogits, const torch::Tensor& teacherLogits, double temperature)
{
    const auto rows = studentLogits.size(0);
    auto logQ = torch::log_softmax(studentLogits.to(torch::kFloat) / temperature, -1);
    auto p = torch::softmax(teacherLogits.detach().to(torch::kFloat) / temperature, -1);
    // The T^2 keeps the soft term's gradient comparable across temperatures
    // (Hinton et al. 2015; methods.md B6).
    return temperature * temperature * torch::kl_div(logQ, p, at::Reduction::Sum) / static_cast<double>(rows);
}

torch::Tensor softTargetLossTopK(const torch::Tensor& studentLogits, const torch::Tensor& ids, const torch::Tensor& teacherTop,
                                 double temperature)
{
    const auto rows = studentLogits.size(0);
    auto logQ = torch::log_softmax(studentLogits.to(torch::kFloat) / temperature, -1).gather(1, ids);
    auto scaled = teacherTop.to(torch::kFloat) / temperature;
    auto logP = torch::log_softmax(scaled, -1);
    return temperature * temperature * (logP.exp() * (logP - logQ)).sum() / static_cast<double>(rows);
}

torch::Tensor distillationLoss(const torch::Tensor& soft, const torch::Tensor& hard, double alpha)
{
    return alpha * soft + (1.0 - alpha) * hard;
}

Agreement agreement(const torch::Tensor& studentLogits, const torch::Tensor& teacherLogits)
{
    torch::NoGradGuard noGrad;
    auto s = studentLogits.to(torch::kFloat);
    auto t = teacherLogits.to(torch::kFloat);
    Agreement a;
    a.top1 = s.argmax(-1).eq(t.argmax(-1)).to(torch::kDouble).mean().item<double>();
    a.kl = (torch::kl_div(torch::log_softmax(s, -1), torch::softmax(t, -1), at::Reduction::Sum) / static_cast<double>(s.size(0)))
               .item<double>();
    return a;
}

} // namespace wb
