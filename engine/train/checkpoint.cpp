// SPDX-License-Identifier: GPL-3.0-or-later
#include "train/checkpoint.h"

#include "core/errors.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/serialize.h>
#include <torch/torch.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>

namespace wb {

namespace {

// The model part of a checkpoint: the whole module, or the delta of the
// parameters that train, by their names.
// CSR pays when nnz (value + index) + (rows + 1) row pointers is below the
// dense bytes.
bool csrPays(const torch::Tensor& t, std::int64_t nnz)
{
    if (t.dim() != 2 || t.scalar_type() != torch::kFloat)
        return false;
    const std::int64_t index = t.size(1) <= 32767 ? 2 : 4;
    return nnz * (4 + index) + (t.size(0) + 1) * 4 < t.numel() * 4;
}

// A compact model (saveCompactModel): every state tensor by its full name.
void readCompact(torch::serialize::InputArchive& part, torch::nn::Module& model, const std::filesystem::path& file)
{
    torch::NoGradGuard noGrad;
    auto fill = [&](const std::string& name, torch::Tensor& target) {
        // A damaged or hostile file must fail here with its name, never
        // index out of bounds or allocate what its numbers say (found by
        // tests/fuzz/fuzz_checkpoint.cpp): every part's shape and the CSR
        // structure are checked against the model before they are used.
        auto damaged = [&](const std::string& what) {
            return RuntimeError("model file " + file.string() + ": '" + name + "' is damaged (" + what + ")");
        };
        const bool matrix = target.dim() == 2;
        torch::Tensor t;
        if (part.try_read(name, t)) {
        } else if (torch::Tensor q, scale; part.try_read(name + "#int8", q) && part.try_read(name + "#scale", scale)) {
            if (!matrix || q.sizes() != target.sizes() || q.scalar_type() != torch::kInt8 || scale.dim() != 1
                || scale.size(0) != target.size(0) || scale.scalar_type() != torch::kFloat)
                throw damaged("int8 table of the wrong shape or type");
            t = q.to(torch::kFloat) * scale.unsqueeze(1);
        } else if (torch::Tensor v, cols, rows; part.try_read(name + "#csr_values", v) && part.try_read(name + "#csr_cols", cols)
                                                && part.try_read(name + "#csr_rows", rows)) {
            if (!matrix || rows.dim() != 1 || rows.size(0) != target.size(0) + 1 || rows.scalar_type() != torch::kInt
                || v.dim() != 1 || v.scalar_type() != torch::kFloat || cols.dim() != 1 || cols.size(0) != v.size(0)
                || (cols.scalar_type() != torch::kShort && cols.scalar_type() != torch::kInt))
                throw damaged("sparse parts of the wrong shape or type");
            const auto R = target.size(0);
            auto counts = (rows.slice(0, 1) - rows.slice(0, 0, R)).to(torch::kLong);
            auto cols64 = cols.to(torch::kLong);
            if (rows[0].item<std::int32_t>() != 0 || rows[R].item<std::int64_t>() != v.size(0)
                || (R > 0 && counts.min().item<std::int64_t>() < 0))
                throw damaged("row pointers out of order");
            if (v.size(0) > 0 && (cols64.min().item<std::int64_t>() < 0 || cols64.max().item<std::int64_t>() >= target.size(1)))
                throw damaged("column index out of range");
            auto rowIds = torch::repeat_interleave(torch::arange(R, torch::kLong), counts);
            t = torch::zeros(target.sizes(), torch::kFloat);
            t.index_put_({rowIds, cols64}, v);
        } else {
            throw RuntimeError("model file " + file.string() + " has no '" + name + "'");
        }
        if (t.sizes() != target.sizes())
            throw RuntimeError("model file " + file.string() + ": '" + name + "' has shape " + c10::str(t.sizes()) +
                               ", the model expects " + c10::str(target.sizes()));
        if (target.scalar_type() == t.scalar_type())
            target.copy_(t);
        else
            target.copy_(t.to(target.scalar_type()));
    };
    for (auto& p : model.named_parameters())
        fill(p.key(), p.value());
    for (auto& b : model.named_buffers())
        fill(b.key(), b.value());
}

void readModel(torch::serialize::InputArchive& archive, torch::nn::Module& model, const std::filesystem::path& file)
{
    torch::serialize::InputArchive part;
    if (archive.try_read("compact", part)) {
        readCompact(part, model, file);
        return;
    }
    if (archive.try_read("model", part)) {
        // A classifier's head or a prefix that the checkpoint does not have
        // (its parent is a plain language model) keeps its initialisation.
        std::vector<std::pair<std::string, std::shared_ptr<torch::nn::Module>>> kept;
        const auto children = model.named_children();
        for (const char* name : {"head", "prefix"}) {
            torch::serialize::InputArchive sub;
            if (children.contains(name) && !part.try_read(name, sub)) {
                kept.emplace_back(name, children[name]);
                model.unregister_module(name);
            }
        }
        auto restore = [&] {
            for (auto& [name, module] : kept)
                model.register_module(name, module);
        };
        // Module::load replaces each tensor by what the file holds, whatever
        // its shape: a file for another model (or a damaged one) is caught
        // here, not as a crash in the first forward pass.
        std::vector<std::pair<std::vector<std::int64_t>, torch::ScalarType>> shapes;
        for (const auto& p : model.named_parameters())
            shapes.emplace_back(p.value().sizes().vec(), p.value().scalar_type());
        for (const auto& b : model.named_buffers())
            shapes.emplace_back(b.value().sizes().vec(), b.value().scalar_type());
        try {
            model.load(part);
            std::size_t i = 0;
            auto check = [&](const std::string& key, const torch::Tensor& t) {
                if (i < shapes.size() && t.sizes().vec() != shapes[i].first)
                    throw RuntimeError("checkpoint " + file.string() + ": '" + key + "' has shape " + c10::str(t.sizes())
                                       + ", the model expects " + c10::str(c10::IntArrayRef(shapes[i].first)));
                if (i < shapes.size() && t.scalar_type() != shapes[i].second)
                    throw RuntimeError("checkpoint " + file.string() + ": '" + key + "' holds " + c10::toString(t.scalar_type())
                                       + " values, the model expects " + c10::toString(shapes[i].second));
                ++i;
            };
            for (const auto& p : model.named_parameters())
                check(p.key(), p.value());
            for (const auto& b : model.named_buffers())
                check(b.key(), b.value());
        } catch (...) {
            restore();
            throw;
        }
        restore();
        return;
    }
    if (!archive.try_read("delta", part))
        throw RuntimeError("checkpoint " + file.string() + " holds no model");
    torch::NoGradGuard noGrad;
    std::size_t found = 0;
    for (auto& p : model.named_parameters()) {
        torch::Tensor t;
        if (part.try_read(p.key(), t)) {
            if (t.sizes() != p.value().sizes())
                throw RuntimeError("checkpoint " + file.string() + ": '" + p.key() + "' has shape " + c10::str(t.sizes())
                                   + ", the model expects " + c10::str(p.value().sizes()));
            p.value().copy_(t);
            ++found;
        }
    }
    for (auto& b : model.named_buffers()) {
        torch::Tensor t;
        if ((b.key().rfind("head.", 0) == 0 || b.key().rfind("prefix.", 0) == 0) && part.try_read(b.key(), t)) {
            if (t.sizes() != b.value().sizes())
                throw RuntimeError("checkpoint " + file.string() + ": '" + b.key() + "' has shape " + c10::str(t.sizes())
                                   + ", the model expects " + c10::str(b.value().sizes()));
            b.value().copy_(t);
            ++found;
        }
    }
    if (found == 0)
        throw RuntimeError("checkpoint " + file.string() + " is a delta for another model");
}

void writeArchive(torch::serialize::OutputArchive& archive, const std::filesystem::path& file);

std::int64_t readStep(torch::serialize::InputArchive& archive, const std::filesystem::path& file)
{
    torch::Tensor step;
    archive.read("step", step);
    if (step.numel() != 1 || step.scalar_type() != torch::kLong || step.item<std::int64_t>() < 0)
        throw RuntimeError("checkpoint " + file.string() + ": its step is damaged");
    return step.item<std::int64_t>();
}

} // namespace

void saveTrainingCheckpoint(const std::filesystem::path& file, torch::nn::Module& model, torch::optim::Optimizer& optimizer,
                            const TrainingState& state, bool deltaOnly, bool prefixOnly)
{
    torch::serialize::OutputArchive archive;
    torch::serialize::OutputArchive modelArchive;
    if (deltaOnly || prefixOnly) {
        for (const auto& p : model.named_parameters())
            if (p.value().requires_grad() && !(prefixOnly && p.key().rfind("prefix.", 0) == 0))
                modelArchive.write(p.key(), p.value().detach());
        // A classifier head's batch-norm statistics go with its weights, a
        // prefix's fixed values with it.
        for (const auto& b : model.named_buffers())
            if (b.key().rfind("head.", 0) == 0 || b.key().rfind("prefix.", 0) == 0)
                modelArchive.write(b.key(), b.value().detach());
        archive.write("delta", modelArchive);
    } else {
        model.save(modelArchive);
        archive.write("model", modelArchive);
    }
    if (!prefixOnly) {
        torch::serialize::OutputArchive optimizerArchive;
        optimizer.save(optimizerArchive);
        archive.write("optimizer", optimizerArchive);
    }
    archive.write("step", torch::tensor(state.step, torch::kLong));
    archive.write("batch_rng", c10::IValue(state.batchRng));
    archive.write("best_val_loss", torch::tensor(state.bestValLoss, torch::kDouble));
    if (state.kdProjection.defined())
        archive.write("kd_projection", state.kdProjection.detach().to(torch::kCPU));
    if (state.streamChunk > 0 || !state.carried.empty()) {
        archive.write("stream_chunk", torch::tensor(state.streamChunk, torch::kLong));
        archive.write("carried_states", torch::tensor(static_cast<std::int64_t>(state.carried.size()), torch::kLong));
        for (std::size_t i = 0; i < state.carried.size(); ++i)
            archive.write("carried_state_" + std::to_string(i), state.carried[i].detach().to(torch::kCPU));
    }
    {
        auto gen = at::detail::getDefaultCPUGenerator();
        std::lock_guard<std::mutex> lock(gen.mutex());
        archive.write("torch_rng", gen.get_state());
    }
    writeArchive(archive, file);
}

namespace {

void writeArchive(torch::serialize::OutputArchive& archive, const std::filesystem::path& file)
{
    // Serialised in memory, then written with every error checked: LibTorch's
    // own file writer throws from its destructor when a write fails (a full
    // disk), which ends the process instead of reporting it.
    std::string bytes;
    archive.save_to([&](const void* data, std::size_t n) {
        bytes.append(static_cast<const char*>(data), n);
        return n;
    });
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.flush();
    const int err = errno;
    out.close();
    if (!out)
        throw ResourceError("cannot write " + file.string() + ": " + std::strerror(err ? err : EIO));
}

} // namespace

std::int64_t saveCompactModel(const std::filesystem::path& file, torch::nn::Module& model, std::int64_t step,
                              const std::vector<std::string>& int8Tables)
{
    torch::NoGradGuard noGrad;
    torch::serialize::OutputArchive archive, part;
    auto put = [&](const std::string& name, const torch::Tensor& value) {
        auto t = value.detach().to(torch::kCPU).contiguous();
        if (std::find(int8Tables.begin(), int8Tables.end(), name) != int8Tables.end()) {
            auto scale = t.abs().amax(1) / 127.0;
            scale = torch::where(scale > 0, scale, torch::ones_like(scale));
            part.write(name + "#int8", torch::round(t / scale.unsqueeze(1)).clamp(-127, 127).to(torch::kInt8));
            part.write(name + "#scale", scale);
            return;
        }
        const std::int64_t nnz = t.dim() == 2 ? t.count_nonzero().item<std::int64_t>() : 0;
        if (csrPays(t, nnz)) {
            auto idx = t.nonzero(); // (nnz, 2), row-major order
            auto rows = torch::zeros({t.size(0) + 1}, torch::kInt);
            rows.slice(0, 1).copy_(torch::bincount(idx.select(1, 0), {}, t.size(0)).cumsum(0).to(torch::kInt));
            part.write(name + "#csr_values", t.index({idx.select(1, 0), idx.select(1, 1)}).contiguous());
            part.write(name + "#csr_cols", idx.select(1, 1).to(t.size(1) <= 32767 ? torch::kShort : torch::kInt).contiguous());
            part.write(name + "#csr_rows", rows);
            return;
        }
        part.write(name, t);
    };
    for (const auto& p : model.named_parameters())
        put(p.key(), p.value());
    for (const auto& b : model.named_buffers())
        put(b.key(), b.value());
    archive.write("compact", part);
    archive.write("step", torch::tensor(step, torch::kLong));
    writeArchive(archive, file);
    return static_cast<std::int64_t>(std::filesystem::file_size(file));
}

std::int64_t checkpointStep(const std::filesystem::path& file)
{
    try {
        torch::serialize::InputArchive archive;
        archive.load_from(file.string(), torch::Device(torch::kCPU));
        return readStep(archive, file);
    } catch (const c10::Error& e) {
        throw RuntimeError("cannot load checkpoint " + file.string() + ": " + e.what_without_backtrace());
    }
}

void loadModelWeights(const std::filesystem::path& file, torch::nn::Module& model)
{
    try {
        torch::serialize::InputArchive archive;
        // Weights land on the CPU whatever device trained them; the caller
        // moves the model where it wants it.
        archive.load_from(file.string(), torch::Device(torch::kCPU));
        readModel(archive, model, file);
    } catch (const c10::Error& e) {
        throw RuntimeError("cannot load checkpoint " + file.string() + ": " + e.what_without_backtrace());
    }
}

TrainingState loadTrainingCheckpoint(const std::filesystem::path& file, torch::nn::Module& model,
                                     torch::optim::Optimizer& optimizer)
{
    TrainingState state;
    try {
        torch::serialize::InputArchive archive;
        archive.load_from(file.string(), torch::Device(torch::kCPU));
        readModel(archive, model, file);
        torch::serialize::InputArchive optimizerArchive;
        if (!archive.try_read("optimizer", optimizerArchive))
            throw RuntimeError("checkpoint " + file.string() + " keeps only a prefix (a finished prefix-tuning run); "
                               "it cannot be resumed: fine-tune its parent again with more --steps");
        optimizer.load(optimizerArchive);
        state.step = readStep(archive, file);
        c10::IValue rng;
        if (!archive.try_read("batch_rng", rng))
            throw RuntimeError("checkpoint " + file.string()
                               + " has no random state (written before resumable checkpoints); it cannot be resumed");
        if (!rng.isString())
            throw RuntimeError("checkpoint " + file.string() + ": its random state is damaged");
        state.batchRng = rng.toStringRef();
        {
            std::istringstream in(state.batchRng);
            std::mt19937_64 check;
            if (!(in >> check))
                throw RuntimeError("checkpoint " + file.string() + ": its random state is damaged");
        }
        torch::Tensor best;
        if (archive.try_read("best_val_loss", best))
            state.bestValLoss = best.item<double>();
        torch::Tensor projection;
        if (archive.try_read("kd_projection", projection))
            state.kdProjection = projection;
        torch::Tensor chunk, count;
        if (archive.try_read("stream_chunk", chunk))
            state.streamChunk = chunk.item<std::int64_t>();
        if (archive.try_read("carried_states", count))
            for (std::int64_t i = 0; i < count.item<std::int64_t>(); ++i) {
                torch::Tensor t;
                archive.read("carried_state_" + std::to_string(i), t);
                state.carried.push_back(t);
            }
        torch::Tensor torchRng;
        if (archive.try_read("torch_rng", torchRng)) {
            auto gen = at::detail::getDefaultCPUGenerator();
            std::lock_guard<std::mutex> lock(gen.mutex());
            gen.set_state(torchRng);
        }
    } catch (const c10::Error& e) {
        throw RuntimeError("cannot load checkpoint " + file.string() + ": " + e.what_without_backtrace());
    }
    return state;
}

} // namespace wb
