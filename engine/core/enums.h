// SPDX-License-Identifier: GPL-3.0-or-later
// The closed sets of values a run setting or a run's status can take, as
// enums with their stored spellings (the strings in run configs, the
// catalog, the CLI's output and sweep files).
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wb {

enum class Optimizer { Sgd, Adam, AdamW, RAdam };
enum class Schedule { Constant, Cosine, Linear, Step, OneCycle, Stlr };
enum class Device { Cpu, Cuda };
enum class Precision { Fp32, Bf16 };
// The CPU kernels: the engine's fused ones (models/fused.h) where they
// apply, or LibTorch's own ops throughout.
enum class Kernels { Fused, Reference };
// What a run is trained for: language modelling; classifying documents of a
// labeled corpus; producing a target text from a prompt (a pairs corpus).
enum class Task { Lm, Classify, Pairs };
// How a fine-tuning run adapts its parent: every parameter; ULMFiT's
// discriminative rates with gradual unfreezing (methods.md B7); the
// embeddings and output layer only, or the last block/layer only (B10).
// mtl: every parameter, with SiATL's auxiliary LM loss on the task's text (B8);
// prefix: a frozen Transformer with trained per-layer key/value prefixes (B10);
// smart: every parameter, with SMART's adversarial and proximal terms (B9).
enum class FinetuneMethod { Full, Ulmfit, LEo, LLdb, Mtl, Prefix, Smart };
// A run's state in the catalog (records.h: what each one means).
// Refused: the run could not start for a reason in its input (a corpus
// removed meanwhile, a damaged token cache, a config that no longer
// validates); found after its row existed. The user fixes the input and
// starts a new run, or deletes this one.
enum class RunStatus { Queued, Running, Finished, Stopped, Failed, Diverged, Interrupted, Paused, Cancelled, Refused };

// The stored spelling of each value, in declaration order.
template <class E> struct EnumNames;
template <> struct EnumNames<Optimizer> {
    static constexpr std::array<std::string_view, 4> names{"sgd", "adam", "adamw", "radam"};
};
template <> struct EnumNames<Schedule> {
    static constexpr std::array<std::string_view, 6> names{"constant", "cosine", "linear", "step", "onecycle", "stlr"};
};
template <> struct EnumNames<Device> {
    static constexpr std::array<std::string_view, 2> names{"cpu", "cuda"};
};
template <> struct EnumNames<Precision> {
    static constexpr std::array<std::string_view, 2> names{"fp32", "bf16"};
};
template <> struct EnumNames<Kernels> {
    static constexpr std::array<std::string_view, 2> names{"fused", "reference"};
};

template <> struct EnumNames<Task> {
    static constexpr std::array<std::string_view, 3> names{"lm", "classify", "pairs"};
};
template <> struct EnumNames<FinetuneMethod> {
    static constexpr std::array<std::string_view, 7> names{"full", "ulmfit", "l-eo", "l-ldb", "mtl", "prefix", "smart"};
};
template <> struct EnumNames<RunStatus> {
    static constexpr std::array<std::string_view, 10> names{"queued",   "running",     "finished", "stopped",   "failed",
                                                            "diverged", "interrupted", "paused",   "cancelled", "refused"};
};

template <class E> std::string enumName(E e)
{
    return std::string(EnumNames<E>::names.at(static_cast<std::size_t>(e)));
}

template <class E> std::optional<E> parseEnum(std::string_view text)
{
    const auto& n = EnumNames<E>::names;
    for (std::size_t i = 0; i < n.size(); ++i)
        if (n[i] == text)
            return static_cast<E>(i);
    return std::nullopt;
}

template <class E> std::vector<std::string> enumNames()
{
    return {EnumNames<E>::names.begin(), EnumNames<E>::names.end()};
}

// In JSON (the CLI's output, run configs) every value is its name; found by
// nlohmann::json through argument-dependent lookup.
template <class E>
    requires requires { EnumNames<E>::names; }
void to_json(nlohmann::json& j, E e)
{
    j = enumName(e);
}

} // namespace wb
