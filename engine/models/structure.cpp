// SPDX-License-Identifier: GPL-3.0-or-later
// A model's compressible layers and the structure a compression variant's
// weights load into (RunConfig::compression, methods.md B11).
#include "models/language_model.h"

#include "core/errors.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <algorithm>

namespace wb {

std::vector<std::pair<std::string, std::shared_ptr<DenseImpl>>> denseLayers(LanguageModel& model)
{
    std::vector<std::pair<std::string, std::shared_ptr<DenseImpl>>> out;
    for (const auto& item : model.named_modules("", /*include_self=*/false)) {
        const std::string& name = item.key();
        if (name.rfind("head", 0) == 0 || name.rfind("prefix", 0) == 0)
            continue;
        if (auto dense = std::dynamic_pointer_cast<DenseImpl>(item.value()))
            out.emplace_back(name, dense);
    }
    return out;
}

void applyCompressionStructure(LanguageModel& model, const std::string& compressionJson)
{
    if (compressionJson.empty())
        return;
    const auto j = nlohmann::json::parse(compressionJson);
    if (!j.contains("structure"))
        return;
    const auto& s = j.at("structure");
    const auto layers = denseLayers(model);
    if (s.contains("factors"))
        for (const auto& [name, rank] : s.at("factors").items()) {
            auto it = std::find_if(layers.begin(), layers.end(), [&](const auto& l) { return l.first == name; });
            if (it == layers.end())
                throw InputError("compression structure: the model has no linear layer '" + name + "'");
            it->second->factorize(rank.get<std::int64_t>(), /*shapeOnly=*/true);
        }
    if (s.value("int8", false)) {
        for (const auto& [name, layer] : layers)
            layer->quantize(/*shapeOnly=*/true);
        model.quantizeRecurrent(/*shapeOnly=*/true);
        model.setInt8Output(true);
        if (s.value("static", false))
            for (const auto& [name, layer] : layers)
                if (layer->rank() == 0)
                    layer->staticFromObserved(/*shapeOnly=*/true);
    }
}

} // namespace wb
