// SPDX-License-Identifier: GPL-3.0-or-later
// Checkpoint loading: archives built from the fuzzer's bytes, well-formed
// as LibTorch archives but with every entry's presence, type, shape and
// values chosen by the fuzzer (dense, int8 and CSR compact tensors, delta
// and whole-model checkpoints, the step, the random states, the carried
// state), loaded into a small model the way the engine loads them. Loading
// must either fail with the engine's RuntimeError or leave a model that
// runs. The zip container itself is LibTorch's; a file damaged on disk is
// caught before it is opened by its SHA-256 in the catalog.
#include "core/errors.h"
#include "train/checkpoint.h"

#include "byte_reader.h"
#include <torch/torch.h>

#include <cstdlib>
#include <random>
#include <sstream>
#include <filesystem>
#include <string>
#include <unistd.h>

namespace {

struct TinyImpl : torch::nn::Module {
    TinyImpl()
    {
        emb = register_module("emb", torch::nn::Embedding(7, 5));
        out = register_module("out", torch::nn::Linear(5, 6));
        mask = register_buffer("mask", torch::ones({4}));
    }
    torch::Tensor forward(const torch::Tensor& ids) { return out(emb(ids)).sum() + mask.sum(); }
    torch::nn::Embedding emb{nullptr};
    torch::nn::Linear out{nullptr};
    torch::Tensor mask;
};
TORCH_MODULE(Tiny);

const std::filesystem::path& scratch()
{
    static const std::filesystem::path dir = [] {
        std::string tmpl = (std::filesystem::temp_directory_path() / "fuzz-checkpoint-XXXXXX").string();
        if (!::mkdtemp(tmpl.data()))
            std::abort();
        return std::filesystem::path(tmpl);
    }();
    return dir;
}

torch::ScalarType pickType(fuzz::ByteReader& in)
{
    static const torch::ScalarType types[] = {torch::kFloat, torch::kFloat, torch::kDouble, torch::kLong, torch::kInt,
                                              torch::kShort, torch::kInt8, torch::kUInt8, torch::kBool};
    return types[static_cast<std::size_t>(in.range(0, std::size(types) - 1))];
}

std::vector<std::int64_t> pickShape(fuzz::ByteReader& in, const std::vector<std::int64_t>& likely)
{
    if (in.flag())
        return likely;
    std::vector<std::int64_t> shape(in.range(0, 3));
    for (auto& s : shape)
        s = in.range(0, 9);
    return shape;
}

// A tensor of the given type and shape with values from the fuzzer (small
// integers often, so that indices and row pointers are sometimes valid).
torch::Tensor pickTensor(fuzz::ByteReader& in, torch::ScalarType type, const std::vector<std::int64_t>& shape)
{
    auto t = torch::zeros(shape, torch::kDouble);
    auto flat = t.view({-1});
    auto* p = flat.data_ptr<double>();
    for (std::int64_t i = 0; i < flat.numel(); ++i) {
        switch (in.range(0, 3)) {
        case 0: p[i] = in.range(-2, 10); break;
        case 1: p[i] = static_cast<double>(i); break;
        case 2: p[i] = static_cast<double>(in.int32()); break;
        default: p[i] = in.real(-1e6, 1e6); break;
        }
    }
    return t.to(type);
}

torch::Tensor pickAny(fuzz::ByteReader& in, const std::vector<std::int64_t>& likelyShape, torch::ScalarType likelyType)
{
    const auto type = in.flag() ? likelyType : pickType(in);
    return pickTensor(in, type, pickShape(in, likelyShape));
}

void writeModelPart(fuzz::ByteReader& in, torch::serialize::OutputArchive& archive, Tiny& reference)
{
    torch::serialize::OutputArchive part;
    const int kind = in.range(0, 3);
    std::vector<std::pair<std::string, torch::Tensor>> entries;
    for (const auto& p : reference->named_parameters())
        entries.emplace_back(p.key(), p.value());
    for (const auto& b : reference->named_buffers())
        entries.emplace_back(b.key(), b.value());
    for (const auto& [name, value] : entries) {
        const auto shape = value.sizes().vec();
        switch (kind == 0 ? in.range(0, 3) : (in.flag() ? 0 : 3)) {
        case 0: // dense
            part.write(name, pickAny(in, shape, torch::kFloat));
            break;
        case 1: { // int8 table
            part.write(name + "#int8", pickAny(in, shape, torch::kInt8));
            part.write(name + "#scale", pickAny(in, {shape.empty() ? 0 : shape[0]}, torch::kFloat));
            break;
        }
        case 2: { // CSR
            const std::int64_t nnz = in.range(0, 12);
            part.write(name + "#csr_values", pickAny(in, {nnz}, torch::kFloat));
            part.write(name + "#csr_cols", pickAny(in, {nnz}, in.flag() ? torch::kShort : torch::kInt));
            part.write(name + "#csr_rows", pickAny(in, {(shape.empty() ? 0 : shape[0]) + 1}, torch::kInt));
            break;
        }
        default: // missing
            break;
        }
    }
    archive.write(kind == 0 ? "compact" : kind == 1 ? "model" : kind == 2 ? "delta" : "neither", part);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size)
{
    static const bool once = [] {
        torch::set_num_threads(1);
        return true;
    }();
    (void)once;
    fuzz::ByteReader in(data, size);
    Tiny reference;
    torch::optim::Adam referenceOptimizer(reference->parameters(), torch::optim::AdamOptions(1e-3));
    const auto file = scratch() / "checkpoint.pt";
    try {
        torch::serialize::OutputArchive archive;
        writeModelPart(in, archive, reference);
        if (in.flag())
            archive.write("step", pickAny(in, {}, torch::kLong));
        if (in.flag()) {
            torch::serialize::OutputArchive optimizer;
            referenceOptimizer.save(optimizer);
            archive.write("optimizer", optimizer);
        }
        switch (in.range(0, 3)) {
        case 0: {
            std::mt19937_64 rng(in.bits(8));
            std::ostringstream text;
            text << rng;
            archive.write("batch_rng", c10::IValue(text.str()));
            break;
        }
        case 1: archive.write("batch_rng", c10::IValue(in.text(64))); break;
        case 2: archive.write("batch_rng", pickAny(in, {1}, torch::kLong)); break;
        default: break;
        }
        if (in.flag())
            archive.write("stream_chunk", pickAny(in, {}, torch::kLong));
        if (in.flag()) {
            const auto count = pickAny(in, {}, torch::kLong);
            archive.write("carried_states", count);
            const auto written = in.range(0, 3);
            for (std::int64_t i = 0; i < written; ++i)
                archive.write("carried_state_" + std::to_string(i), pickAny(in, {2, 5}, torch::kFloat));
        }
        if (in.flag())
            archive.write("best_val_loss", pickAny(in, {}, torch::kDouble));
        archive.save_to(file.string());
    } catch (const c10::Error&) {
        return 0; // the fuzzer asked for something LibTorch cannot write: not a checkpoint
    }

    try {
        (void)wb::checkpointStep(file);
    } catch (const wb::RuntimeError&) {
    }
    Tiny model;
    try {
        wb::loadModelWeights(file, *model);
        (void)model->forward(torch::arange(7, torch::kLong)); // a loaded model runs
    } catch (const wb::RuntimeError&) {
    }
    Tiny resumed;
    torch::optim::Adam optimizer(resumed->parameters(), torch::optim::AdamOptions(1e-3));
    try {
        const auto state = wb::loadTrainingCheckpoint(file, *resumed, optimizer);
        (void)resumed->forward(torch::arange(7, torch::kLong));
        std::istringstream rng(state.batchRng);
        std::mt19937_64 batchRng;
        if (!(rng >> batchRng))
            std::abort(); // accepted a random state the trainer cannot read
    } catch (const wb::RuntimeError&) {
    }
    return 0;
}
