// SPDX-License-Identifier: GPL-3.0-or-later
// Compression variants in the catalog (methods.md B11): a variant is a run
// whose parent is the run it was made from, whose config records the
// method, its settings and the structure its weights need, and whose file
// holds its whole model as compactly as its values allow. One measuring
// protocol for every run and variant (quality, size, speed), stored per run.
// No LibTorch in this header.
#pragma once

#include "settings/run_config.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace wb {

class Catalog;

struct CompressRequest {
    std::int64_t run = 0;
    std::string method;           // prune, quantize, lowrank
    double sparsity = 0.5;        // prune: fraction of the prunable weights set to zero, [0, 1)
    std::string scope = "layer";  // prune: layer (each tensor its own threshold) or global
    std::string schedule = "oneshot"; // prune: oneshot, or gradual (Zhu-Gupta during --finetune-steps)
    std::string structured;       // prune: heads, ffn (Transformer), units (AWD-LSTM), channels (CNN + LSTM);
                                  // empty: unstructured. --sparsity is then the fraction of them removed
    int bits = 8;                 // quantize: 8 only
    int calibrate = 0;            // quantize: static int8 calibrated on this many batches of training text; 0: dynamic
    double energy = 0;            // lowrank: kept fraction of sum sigma^2, (0, 1]; 0: unset
    std::int64_t rank = 0;        // lowrank: one rank for every layer it saves parameters in; 0: unset
    double budget = 0;            // lowrank: the factored layers keep this fraction of their parameters, (0, 1); 0: unset
    std::int64_t finetuneSteps = 0; // recovery fine-tune after a one-shot method; the gradual schedule's length
};

// Refuses what cannot be done, before anything is written: an unknown run
// or method, a run still training, sparsity outside [0, 1), a rank above
// every layer's, bits other than 8, a gradual schedule without steps,
// quantizing an int8 variant or on a LibTorch without int8 kernels.
void checkCompressRequest(Catalog& catalog, const CompressRequest& request);

// A one-shot variant (prune oneshot, quantize, lowrank) of request.run: the
// run row (finished) with its model file and tokenizer copy; its id.
// `progress` gets the fraction done and returns false to cancel (nothing is
// left behind).
std::int64_t makeVariant(Catalog& catalog, const CompressRequest& request, const std::function<bool(double)>& progress = {});

// The training run of a gradual prune: request.run's weights, its corpus,
// finetuneSteps steps with the sparsity raised on Zhu & Gupta's schedule.
RunConfig gradualPruneConfig(Catalog& catalog, const CompressRequest& request);
// A recovery fine-tune of a variant on its corpus (its zeros kept, its
// factors trained).
RunConfig recoveryConfig(Catalog& catalog, std::int64_t variant, std::int64_t steps);

struct MeasureOptions {
    int batch = 16;        // throughput batch
    int threads = 1;       // intra-op threads (0: every core); one by default, the steadiest figures
    int latencyRuns = 100;
    bool store = true;     // keep the report in the catalog (the protocol's defaults only)
};

// A run's measurements by one protocol, as JSON: {"run", "parent",
// "method", "params", "nonzero", "file_bytes", "gzip_bytes", "dense_bytes",
// "val_loss", "val_ppl", "val_bpc", "latency_ms_p50", "latency_ms_p90",
// "tokens_per_s", "batch", "threads", "context", "cpu", "torch_version",
// "int8_engine", "peak_rss_bytes", "model_bytes", "step"}. A run without a
// variant file gets one written (its weights alone, "model" artifact), so
// every run's file_bytes counts the same thing.
std::string measureRun(Catalog& catalog, std::int64_t run, const MeasureOptions& options = {},
                       const std::function<bool(double)>& progress = {});
// The stored report of the run's latest checkpoint, measuring it first when
// there is none.
std::string storedOrMeasured(Catalog& catalog, std::int64_t run, const std::function<bool(double)>& progress = {});

// The variant board's rows: every run in the families of `runs` (each
// run's root ancestor and all its descendants), as a JSON array of their
// stored reports; a run without one gets {"run", "parent", "method",
// "measured": false}. Each row adds "arch" and "status".
std::string variantBoard(Catalog& catalog, const std::vector<std::int64_t>& runs);

// What-if tools (methods.md B11), for a run before it is compressed:
// bytes per layer as stored ({"layers": [{"layer", "bytes", "params"}],
// "linear": [{"layer", "in", "out"}]}), ...
std::string layerBytesReport(Catalog& catalog, std::int64_t run);
// ... every rank of one linear layer with the energy it keeps, its relative
// reconstruction error ||W - W_r|| / ||W|| and its parameters
// ([{"rank", "energy", "relative_error", "params_before", "params_after"}]), ...
std::string rankCurveReport(Catalog& catalog, std::int64_t run, const std::string& layer);
// ... and the validation loss with one layer at a time pruned (magnitude,
// `sparsity`) or in int8, the others as they are, on the first
// `tokens` validation tokens ({"base_loss", "layers": [{"layer",
// "val_loss", "delta"}]}). Cancelled when `progress` returns false.
std::string sensitivitySweep(Catalog& catalog, std::int64_t run, const std::string& method, double sparsity,
                             std::int64_t tokens = 16384, const std::function<bool(double)>& progress = {});

// The run and every run descended from it (children before grandchildren
// of the same child: depth first, by id).
std::vector<std::int64_t> variantTree(Catalog& catalog, std::int64_t run);

} // namespace wb
