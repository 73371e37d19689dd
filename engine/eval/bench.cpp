// SPDX-License-Identifier: GPL-3.0-or-later
#include "eval/bench.h"

#include "eval/lm_eval.h"

#include "core/allocator.h"
#include "core/errors.h"
#include "compute/autocast.h"

#include "compute/threads.h"
#include "models/fused_adamw.h"
#include "models/language_model.h"

#include <cstring>
#include <fstream>

#include <torch/csrc/autograd/profiler_legacy.h>
#include <ATen/Parallel.h>
#include <torch/torch.h>

#include <cstdlib>

#include <chrono>

namespace wb {

namespace {
using Clock = std::chrono::steady_clock;
double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }
} // namespace

MatmulPeak measureMatmulPeak(int n, int repeats)
{
    // The machine's peak: every core in OpenBLAS for this one large product.
    setBlasThreads(hardwareThreads());
    torch::NoGradGuard noGrad;
    auto a = torch::randn({n, n});
    auto b = torch::randn({n, n});
    auto c = torch::matmul(a, b); // warm-up
    double best = 1e30;
    for (int i = 0; i < repeats; ++i) {
        const auto t = Clock::now();
        c = torch::matmul(a, b);
        best = std::min(best, since(t));
    }
    setBlasThreads(configuredBlasThreads());
    return {n, 2.0 * n * n * static_cast<double>(n) / best / 1e9};
}

TrainBenchResult benchTraining(const ModelSpec& spec, int vocab, int batch, int steps, int threads, const std::string& precision,
                               Kernels kernels)
{
    if (precision != "fp32" && precision != "bf16")
        throw InputError("--precision '" + precision + "': expected fp32 or bf16");
    const bool bf16 = precision == "bf16";
    configureAllocator(); // as a run has it (core/allocator.h)
    TrainBenchResult r;
    r.batch = batch;
    r.context = spec.context();
    r.steps = steps;
    r.threads = threads > 0 ? threads : hardwareThreads();
    r.peakGflops = measureMatmulPeak().gflops;
    configureThreads(threads);

    auto readKb = [](const char* key) -> std::int64_t {
        std::ifstream status("/proc/self/status");
        std::string line;
        while (std::getline(status, line))
            if (line.rfind(key, 0) == 0)
                return std::atoll(line.c_str() + std::strlen(key)) * 1024;
        return 0;
    };
    r.rssBeforeBytes = readKb("VmRSS:");
    torch::manual_seed(1);
    auto model = buildModel(spec, vocab);
    model->setKernels(kernels);
    for (const auto& p : model->parameters())
        r.params += p.numel();
    // The optimizer the trainer takes for these kernels (train/optimizer_setup.cpp).
    std::unique_ptr<torch::optim::Optimizer> optimizer =
        kernels == Kernels::Fused ? std::make_unique<FusedAdamW>(model->parameters(), torch::optim::AdamWOptions(1e-3))
                                  : std::make_unique<torch::optim::AdamW>(model->parameters(), torch::optim::AdamWOptions(1e-3));
    auto& opt = *optimizer;
    auto data = torch::randint(vocab, {batch, spec.context() + 1}, torch::kLong);
    auto x = data.slice(1, 0, spec.context());  // (B, T)
    auto y = data.slice(1, 1);                  // (B, T)
    // As the trainer does (train/trainer_impl.h, canSplitStep): a
    // Transformer in fp32 without dropout trains its batch as concurrent
    // parts, one per intra-op thread.
    const auto drop = spec.fields.find("dropout");
    const bool split = !bf16 && spec.family == "transformer" && (drop == spec.fields.end() || drop->second == 0.0)
                       && at::get_num_threads() >= 2;
    auto step = [&] {
        if (split) {
            model->zero_grad(/*set_to_none=*/true); // as the trainer does
            const auto loss = concurrentLmStep(*model, x, y, at::get_num_threads());
            torch::nn::utils::clip_grad_norm_(model->parameters(), 1.0);
            opt.step();
            return loss.item<double>();
        }
        torch::Tensor logits;
        {
            AutocastScope mixed(bf16, torch::kCPU);
            logits = model->forward(x); // (B, T, V)
        }
        auto loss = torch::nn::functional::cross_entropy(logits.reshape({-1, vocab}).to(torch::kFloat), y.reshape({-1}));
        opt.zero_grad();
        loss.backward();
        torch::nn::utils::clip_grad_norm_(model->parameters(), 1.0);
        opt.step();
        return loss.item<double>();
    };
    for (int i = 0; i < 3; ++i)
        step();
    if (const char* trace = std::getenv("LMWB_PROFILE_TRACE")) {
        // For developers: a Chrome trace of three training steps
        // (docs/benchmarks.md, "Where the time goes").
        torch::autograd::profiler::RecordProfile record(trace);
        for (int i = 0; i < 3; ++i)
            step();
    }
    const auto t = Clock::now();
    for (int i = 0; i < steps; ++i)
        step();
    const double secs = since(t);
    r.tokensPerSec = static_cast<double>(batch) * spec.context() * steps / secs;
    r.peakRssBytes = readKb("VmHWM:");
    {
        torch::NoGradGuard noGrad;
        model->eval();
        model->forward(x);
        const auto t2 = Clock::now();
        int passes = 0;
        while (since(t2) < 1.0 || passes < 3) {
            model->forward(x);
            ++passes;
        }
        r.inferenceTokensPerSec = static_cast<double>(batch) * spec.context() * passes / since(t2);
    }
    r.flopsPerToken = spec.trainingFlopsPerToken(vocab);
    r.modelGflops = r.tokensPerSec * r.flopsPerToken / 1e9;
    r.utilisation = r.modelGflops / r.peakGflops;
    return r;
}

} // namespace wb
