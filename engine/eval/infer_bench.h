// SPDX-License-Identifier: GPL-3.0-or-later
// One protocol for inference speed, the same for every model and variant
// (methods.md B11, "Measuring real size and speed"): torch::InferenceMode,
// a fixed thread count, warm-up passes, then timed passes with
// std::chrono::steady_clock. Latency: batch 1, one forward over a full
// context window, which is what producing one next token costs on the
// generation path every family shares (full-window decoding); median and
// p90. Throughput: batch B windows per forward, tokens scored per second
// (median pass). Internal to the engine: includes LibTorch.
#pragma once

#include "models/language_model.h"

#include <cstdint>
#include <string>

namespace wb {

struct InferBenchOptions {
    int batch = 16;         // throughput batch
    int threads = 0;        // 0: as configured
    int warmup = 10;
    int latencyRuns = 100;  // timed batch-1 passes
    int throughputRuns = 20;
};

struct InferBenchResult {
    int threads = 0;
    int batch = 0;
    int context = 0;
    double latencyMsP50 = 0, latencyMsP90 = 0; // per next token (batch 1, full window)
    double tokensPerSec = 0;                   // batch B, tokens scored per second
    std::int64_t peakRssBytes = 0;             // VmHWM of the process
    std::int64_t modelBytes = 0;               // the model's tensors in memory
    std::string cpu;                           // /proc/cpuinfo's model name
    std::string torchVersion;
    std::string int8Engine;                    // fbgemm, onednn, qnnpack, none
};

// `tokens`: (1, T) ids of real text (T = the model's context or less).
InferBenchResult benchInference(LanguageModel& model, const torch::Tensor& tokens, const InferBenchOptions& options);

} // namespace wb
