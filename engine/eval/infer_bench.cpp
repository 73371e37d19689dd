// SPDX-License-Identifier: GPL-3.0-or-later
#include "eval/infer_bench.h"

#include "compute/threads.h"

#include <torch/csrc/autograd/profiler_legacy.h>
#include <torch/torch.h>
#include <torch/version.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>

namespace wb {

namespace {

using Clock = std::chrono::steady_clock;

double percentile(std::vector<double> v, double q)
{
    std::sort(v.begin(), v.end());
    const double pos = q * static_cast<double>(v.size() - 1);
    const auto lo = static_cast<std::size_t>(pos);
    const auto hi = std::min(lo + 1, v.size() - 1);
    return v[lo] + (v[hi] - v[lo]) * (pos - static_cast<double>(lo));
}

std::string cpuModel()
{
    std::ifstream in("/proc/cpuinfo");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("model name", 0) == 0) {
            const auto colon = line.find(':');
            return colon == std::string::npos ? line : line.substr(colon + 2);
        }
    return "unknown";
}

std::int64_t vmHwm()
{
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("VmHWM:", 0) == 0)
            return std::atoll(line.c_str() + 6) * 1024;
    return 0;
}

} // namespace

InferBenchResult benchInference(LanguageModel& model, const torch::Tensor& tokens, const InferBenchOptions& options)
{
    InferBenchResult r;
    const int before = torch::get_num_threads();
    if (options.threads > 0)
        torch::set_num_threads(options.threads);
    r.threads = torch::get_num_threads();
    r.batch = options.batch;
    r.context = static_cast<int>(tokens.size(1));
    r.cpu = cpuModel();
    r.torchVersion = TORCH_VERSION;
    r.int8Engine = int8EngineName();
    for (const auto& p : model.parameters())
        r.modelBytes += p.numel() * static_cast<std::int64_t>(p.element_size());
    for (const auto& b : model.buffers())
        r.modelBytes += b.numel() * static_cast<std::int64_t>(b.element_size());

    const bool wasTraining = model.is_training();
    model.eval();
    {
        // No gradients, but not InferenceMode: that mode is thread-local, and
        // the engine's own parallel loops (OpenMP threads, --threads > 1)
        // update their outputs in place outside it, which LibTorch refuses
        // for inference tensors.
        torch::NoGradGuard noGrad;
        StateCarryScope fresh(model, false);
        auto one = tokens.to(model.device());
        auto many = one.expand({options.batch, one.size(1)}).contiguous();
        auto timed = [&](const torch::Tensor& x, int warmup, int runs) {
            for (int i = 0; i < warmup; ++i)
                model.forward(x);
            std::vector<double> ms;
            for (int i = 0; i < runs; ++i) {
                const auto t = Clock::now();
                auto y = model.forward(x);
                (void)y.data_ptr(); // the pass is done when its output exists (CPU)
                ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t).count());
            }
            return ms;
        };
        if (const char* trace = std::getenv("LMWB_PROFILE_TRACE")) {
            // For developers: a Chrome trace of ten batch-1 passes
            // (docs/benchmarks.md, "Where the time goes").
            timed(one, options.warmup, 1);
            torch::autograd::profiler::RecordProfile record(trace);
            timed(one, 0, 10);
        }
        const auto lat = timed(one, options.warmup, options.latencyRuns);
        r.latencyMsP50 = percentile(lat, 0.5);
        r.latencyMsP90 = percentile(lat, 0.9);
        const auto thr = timed(many, std::max(2, options.warmup / 4), options.throughputRuns);
        r.tokensPerSec = static_cast<double>(options.batch) * static_cast<double>(one.size(1)) / (percentile(thr, 0.5) / 1000.0);
    }
    model.train(wasTraining);
    r.peakRssBytes = vmHwm();
    if (options.threads > 0)
        torch::set_num_threads(before);
    return r;
}

} // namespace wb
