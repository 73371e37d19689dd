// SPDX-License-Identifier: GPL-3.0-or-later
// Model specifications as plain data (JSON in, JSON out), presets, and the
// analytical size, compute and memory of each model, all without LibTorch so
// the UI can show costs before anything is built.
//
// Families (methods.md section A): transformer (A5), fnn (A1), cbow, cmow and
// cmow-cbow (A2), cnn-bilstm (A3), lstm (A4). Each family has a fixed list of
// fields (familyFields) that drives parsing, validation, JSON and the
// designer's form.
#pragma once

#include <cstdint>
#include <map>
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
    // Set by structured pruning (methods.md B11): the width of each head
    // (0: width / heads) and of the MLP's hidden layer (0: 4 x width).
    int headDim = 0;
    int ffn = 0;
    int headWidth() const { return headDim > 0 ? headDim : width / heads; }
    int attentionWidth() const { return heads * headWidth(); }
    int mlpWidth() const { return ffn > 0 ? ffn : 4 * width; }
};

enum class FieldType { Int, Real, Bool };

struct FieldInfo {
    std::string name;
    FieldType type = FieldType::Int;
    double def = 0;
    double min = 0;
    double max = 0;
    std::string help; // one line for the designer
};

struct FamilyInfo {
    std::string name;        // "transformer", "fnn", ...
    std::string title;       // "GPT-style Transformer"
    std::string reference;   // "methods.md A5; Radford et al. 2019"
    bool encoder = false;    // usable as a sequence encoder with a classification head
    std::vector<FieldInfo> fields;
    // The learning rate lr auto gives (AdamW, batch 16): the rate that took
    // each -tiny preset furthest below the unigram entropy in 200 steps on
    // 1 MB of English (docs/benchmarks.md, "-tiny presets").
    double learningRate = 1e-3;
};

const std::vector<FamilyInfo>& families();
const FamilyInfo& familyInfo(const std::string& family); // InputError naming the known ones

// Stored size of `params` parameters as fp32 (4 bytes each): the size the
// CLI, the designer, the run setup panel and the status panel show.
constexpr std::int64_t fp32Bytes(std::int64_t params)
{
    return params * 4;
}

struct ModelSpec {
    std::string family = "transformer";
    std::map<std::string, double> fields; // every field of the family, validated

    ModelSpec(); // tiny-gpt
    static ModelSpec defaults(const std::string& family);
    static ModelSpec gpt(const TransformerSpec& t);

    // Parses a spec object; every problem is an InputError naming the field,
    // prefixed by `source` (a file name or "spec"). Missing fields take the
    // family's defaults.
    static ModelSpec fromJson(const std::string& json, const std::string& source = "spec");
    std::string toJson() const;
    // Checks every field's type, range and the relations between fields;
    // InputError naming the field.
    void validate(const std::string& source = "spec") const;

    double get(const std::string& field) const;
    int i(const std::string& field) const { return static_cast<int>(get(field)); }
    bool b(const std::string& field) const { return get(field) != 0.0; }
    void set(const std::string& field, double value) { fields[field] = value; }

    TransformerSpec transformer() const;
    int context() const { return i("context"); }

    // Exact parameter count for a vocabulary of `vocab` tokens; equals the
    // module's (checked by tests for every family).
    std::int64_t parameterCount(std::int64_t vocab) const;
    // The formula behind parameterCount, for display.
    std::string parameterFormula() const;
    // FLOPs per token (2 per multiply-add) of a forward pass and of a
    // training step (forward + backward = 3x forward; for the Transformer
    // 6N + 12 L T d, the PaLM / nanoGPT convention of methods.md A5).
    double inferenceFlopsPerToken(std::int64_t vocab) const;
    double trainingFlopsPerToken(std::int64_t vocab) const;
    // Estimated peak training memory in bytes for `batch` sequences of the
    // context: weights, gradients and Adam state (16 bytes per parameter)
    // plus the activations kept for the backward pass and the logits.
    std::int64_t trainingMemoryBytes(std::int64_t vocab, int batch) const;
    // InputError when the estimate exceeds what this machine has.
    void checkFitsInMemory(std::int64_t vocab, int batch) const;
    // What the spec is, in a few words: "transformer 4L 4H d128 ctx64".
    std::string summary() const;
    // One line per layer for the designer's block diagram: "Embedding V x 128".
    std::vector<std::string> layerDiagram(std::int64_t vocab) const;
};

struct Preset {
    std::string name;
    std::string description;
    ModelSpec spec;
};

const std::vector<Preset>& presets();
// The classroom set: one model per family at about one million parameters
// (for a character vocabulary of about 100), to compare like with like.
std::vector<std::string> equalOneMillionSet();
// A preset name or a path to a JSON spec file; InputError when neither.
ModelSpec resolveSpec(const std::string& presetOrFile);

inline constexpr const char* kDefaultPreset = "tiny-gpt";

} // namespace wb
