// SPDX-License-Identifier: GPL-3.0-or-later
// Which layers of a family fine-tuning trains (methods.md B7, B10): each
// method's share of the parameters by name, and ULMFiT's layer groups.
// Torch-free: the CLI, the GUI and the docs describe them in words too.
#pragma once

#include "core/enums.h"
#include "models/model_spec.h"

#include <string>
#include <vector>

namespace wb {

// The parameters a fine-tuning method trains, as name prefixes of the
// family's parameters (methods.md B10); empty for full (every parameter).
// l-eo: the token (and position) embeddings and the output layer; l-ldb: the
// last block or recurrent layer; families without hidden layers (cbow, cmow,
// cmow-cbow) have the output layer as their last layer.
// A classifier's head ("head.") is always among them.
std::vector<std::string> trainedPrefixes(const ModelSpec& spec, FinetuneMethod method);
// The same without the head: the family's own layers.
std::vector<std::string> familyPrefixes(const ModelSpec& spec, FinetuneMethod method);
// ULMFiT's layer groups of a family, bottom first, as name prefixes: the
// embeddings, each block or recurrent layer, and the head (which, tied to
// the embeddings in GPT and AWD-LSTM, joins the top block). A parameter in
// no group belongs to the top one.
std::vector<std::vector<std::string>> layerGroups(const ModelSpec& spec);
// InputError (SettingError on "method") when the method cannot adapt the
// family: prefix tuning needs attention (the Transformer).
void checkMethodForSpec(const ModelSpec& spec, FinetuneMethod method);
// Prefix tuning's sizes (methods.md B10): the values stored, L_p * L * 2 * d,
// and the parameters trained through the reparameterisation, L_p * d +
// (d * k + k) + (k * 2Ld + 2Ld).
struct PrefixSize {
    std::int64_t stored = 0;
    std::int64_t training = 0;
};
PrefixSize prefixSize(const ModelSpec& spec, int prefixLength, int hidden);
// The same in words: "wte, wpe, ln_f (embeddings and output layer)".
std::string trainedDescription(const ModelSpec& spec, FinetuneMethod method);

} // namespace wb
