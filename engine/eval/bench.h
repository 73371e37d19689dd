// SPDX-License-Identifier: GPL-3.0-or-later
// Benchmarks (not tests): this machine's float matmul peak and the training
// throughput of a model spec, as model FLOP/s against that peak.
#pragma once

#include "core/enums.h"
#include "models/model_spec.h"

#include <cstdint>
#include <string>

namespace wb {

struct MatmulPeak {
    int size = 0;
    double gflops = 0;
};

// Best of several n x n float matmuls with OpenBLAS on every core.
MatmulPeak measureMatmulPeak(int n = 1024, int repeats = 10);

struct TrainBenchResult {
    std::int64_t params = 0;
    int batch = 0;
    int context = 0;
    int steps = 0;
    int threads = 0;
    double tokensPerSec = 0;
    double flopsPerToken = 0;  // 6N + 12 L T d
    double modelGflops = 0;    // achieved model FLOP/s / 1e9
    double peakGflops = 0;
    double utilisation = 0;    // modelGflops / peakGflops
    double inferenceTokensPerSec = 0; // forward passes in eval mode without gradients, same batch and context
    std::int64_t peakRssBytes = 0;    // of the process after training (VmHWM)
    std::int64_t rssBeforeBytes = 0;  // before the model was built
};

// Times `steps` AdamW steps (after 3 warm-up steps) on random tokens with a
// vocabulary of `vocab`.
// precision: fp32, or bf16 (forward under autocast, as training's --precision bf16).
// kernels: the run setting `kernels` (fused CPU kernels or LibTorch's ops).
TrainBenchResult benchTraining(const ModelSpec& spec, int vocab, int batch, int steps, int threads,
                               const std::string& precision = "fp32", Kernels kernels = Kernels::Fused);

} // namespace wb
