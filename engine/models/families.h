// SPDX-License-Identifier: GPL-3.0-or-later
// The family modules' factories, split by file (zoo.cpp: fnn, cbow, cmow,
// cmow-cbow; recurrent.cpp: cnn-bilstm, lstm; gpt.cpp: transformer).
// Internal to the engine: includes LibTorch.
#pragma once

#include "models/language_model.h"

#include <memory>

namespace wb {

// The recurrent families' module for spec.family "cnn-bilstm" or "lstm";
// null for any other family.
std::shared_ptr<LanguageModel> makeRecurrentFamily(const ModelSpec& spec, std::int64_t vocab);

} // namespace wb
