// SPDX-License-Identifier: GPL-3.0-or-later
// The trainer's learning-rate finder, and what tests and the job read back
// from it: parameter counts, values and names, the groups' learning rates.
#include "train/trainer.h"
#include "train/trainer_impl.h"

namespace wb {

LrFindResult Trainer::lrSweep(double lo, double hi, int steps, const std::atomic<bool>& stop)
{
    LrFindResult r;
    d->model->train();
    const double beta = 0.98;
    double avg = 0, best = std::numeric_limits<double>::infinity();
    for (int i = 0; i < steps && !stop.load(std::memory_order_relaxed); ++i) {
        const double lr = lo * std::pow(hi / lo, static_cast<double>(i) / static_cast<double>(steps - 1));
        d->setLearningRate(lr);
        d->optimizer->zero_grad();
        auto loss = d->microBatchLoss(false, [] {});
        loss.backward();
        if (d->config.train.clip > 0)
            torch::nn::utils::clip_grad_norm_(d->model->parameters(), d->config.train.clip);
        d->optimizer->step();
        const double l = loss.item<double>();
        if (!std::isfinite(l))
            break;
        avg = beta * avg + (1 - beta) * l;
        const double smooth = avg / (1 - std::pow(beta, i + 1));
        r.lrs.push_back(lr);
        r.losses.push_back(l);
        r.smoothed.push_back(smooth);
        best = std::min(best, smooth);
        if (i > 10 && smooth > 4 * best)
            break; // exploded: the rest of the range says nothing more
    }
    if (r.lrs.size() < 5)
        throw RuntimeError("lr-find: the loss diverged after " + std::to_string(r.lrs.size()) + " steps; lower --min-lr");
    // Steepest descent of the smoothed loss over log(lr), ignoring the ends.
    std::size_t iMin = 0;
    for (std::size_t i = 0; i < r.smoothed.size(); ++i)
        if (r.smoothed[i] < r.smoothed[iMin])
            iMin = i;
    r.minLossLr = r.lrs[iMin];
    double steepest = 0;
    r.suggested = r.lrs[iMin] / 10;
    for (std::size_t i = 1; i < iMin; ++i) {
        const double slope = (r.smoothed[i] - r.smoothed[i - 1]) / (std::log(r.lrs[i]) - std::log(r.lrs[i - 1]));
        if (slope < steepest) {
            steepest = slope;
            r.suggested = r.lrs[i];
        }
    }
    return r;
}

std::int64_t Trainer::parameterCount() const
{
    std::int64_t n = 0;
    for (const auto& p : d->model->parameters())
        n += p.numel();
    return n;
}

std::int64_t Trainer::trainableParameterCount() const
{
    std::int64_t n = 0;
    for (const auto& p : d->model->parameters())
        if (p.requires_grad())
            n += p.numel();
    return n;
}

std::vector<double> Trainer::groupLearningRates() const
{
    std::vector<double> out;
    for (auto& g : d->optimizer->param_groups())
        out.push_back(g.options().get_lr());
    return out;
}

std::vector<float> Trainer::parameterValues() const
{
    std::vector<float> out;
    for (const auto& p : d->model->parameters()) {
        const auto flat = p.detach().to(torch::kCPU, torch::kFloat).contiguous().view({-1});
        out.insert(out.end(), flat.data_ptr<float>(), flat.data_ptr<float>() + flat.numel());
    }
    return out;
}

std::vector<std::string> Trainer::parameterNames() const
{
    std::vector<std::string> out;
    for (const auto& p : d->model->named_parameters())
        out.push_back(p.key());
    return out;
}

std::vector<std::int64_t> Trainer::parameterSizes() const
{
    std::vector<std::int64_t> out;
    for (const auto& p : d->model->named_parameters())
        out.push_back(p.value().numel());
    return out;
}

} // namespace wb
