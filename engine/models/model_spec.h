// SPDX-License-Identifier: GPL-3.0-or-later
// Model specifications as plain data (JSON in, JSON out), presets, and the
// analytical size of each model, all without LibTorch so the UI can show
// costs before anything is built.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace wb {

// GPT-style decoder-only Transformer (methods.md A5).
struct TransformerSpec {
    int layers = 4;
    int heads = 4;
    int width = 128;    // d
    int context = 128;  // n_ctx, rows of the position table
    double dropout = 0.0;
};

struct ModelSpec {
    std::string family = "transformer";
    TransformerSpec transformer;

    // Parses a spec object; every problem is an InputError naming the field,
    // prefixed by `source` (a file name or "spec").
    static ModelSpec fromJson(const std::string& json, const std::string& source = "spec");
    std::string toJson() const;

    // Exact parameter count for a vocabulary of `vocab` tokens.
    std::int64_t parameterCount(std::int64_t vocab) const;
    // The formula behind parameterCount, for display.
    std::string parameterFormula() const;
    // Training FLOPs per token, 6N + 12 L T d (PaLM appendix B / nanoGPT
    // estimate_mfu convention, methods.md A5; no causal discount).
    double trainingFlopsPerToken(std::int64_t vocab) const;
    int context() const { return transformer.context; }
};

struct Preset {
    std::string name;
    std::string description;
    ModelSpec spec;
};

const std::vector<Preset>& presets();
// A preset name or a path to a JSON spec file; InputError when neither.
ModelSpec resolveSpec(const std::string& presetOrFile);

inline constexpr const char* kDefaultPreset = "tiny-gpt";

} // namespace wb
