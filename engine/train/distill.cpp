// SPDX-License-Identifier: GPL-3.0-or-later
#include "train/distill.h"

#include "settings/settings.h"

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
                                 const torch::Tensor& teacherLse, double temperature)
{
    const auto rows = studentLogits.size(0);
    constexpr double kTiny = 1e-12;
    auto logQ = torch::log_softmax(studentLogits.to(torch::kFloat) / temperature, -1).gather(1, ids); // (N, k)
    auto logP = teacherTop.to(torch::kFloat) / temperature - teacherLse.to(torch::kFloat).unsqueeze(1); // (N, k)
    auto p = logP.exp();
    auto top = (p * (logP - logQ)).sum(1);
    // The rest: the teacher's mass outside its k against the student's.
    auto pRest = (1.0 - p.sum(1)).clamp_min(0.0);
    auto qRest = (1.0 - logQ.exp().sum(1)).clamp_min(kTiny);
    auto rest = torch::xlogy(pRest, pRest) - pRest * qRest.log();
    return temperature * temperature * (top + rest).sum() / static_cast<double>(rows);
}

void initFromTeacherLayers(LanguageModel& student, LanguageModel& teacher)
{
    const ModelSpec& s = student.spec();
    const ModelSpec& t = teacher.spec();
    auto refuse = [](const std::string& why) { throw SettingError("kd_layer_init", why); };
    if (s.family != "transformer" || t.family != "transformer")
        refuse("starts a Transformer student from a Transformer teacher's blocks; here a " + s.family + " student and a " + t.family
               + " teacher");
    if (s.i("width") != t.i("width") || s.i("heads") != t.i("heads"))
        refuse("needs the teacher's width and heads (" + std::to_string(t.i("width")) + ", " + std::to_string(t.i("heads")) + "), the student has "
               + std::to_string(s.i("width")) + ", " + std::to_string(s.i("heads")));
    const int ls = s.i("layers"), lt = t.i("layers");
    if (ls > lt || lt % ls != 0)
        refuse("takes every k-th of the teacher's " + std::to_string(lt) + " blocks: the student's layers (" + std::to_string(ls)
               + ") must divide them");
    const int k = lt / ls;
    torch::NoGradGuard noGrad;
    auto theirs = teacher.named_parameters();
    for (auto& p : student.named_parameters()) {
        std::string name = p.key();
        if (name.rfind("blocks.", 0) == 0) {
            const auto dot = name.find('.', 7);
            name = "blocks." + std::to_string(std::stoi(name.substr(7, dot - 7)) * k) + name.substr(dot);
        }
        const auto* source = theirs.find(name);
        if (!source)
            continue; // a head or prefix of the student's own
        auto value = *source;
        if (name == "wpe.weight")
            value = value.slice(0, 0, p.value().size(0)); // the student's context is at most the teacher's
        if (value.sizes() != p.value().sizes())
            refuse("cannot take " + name + ": shapes differ");
        p.value().copy_(value);
    }
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
