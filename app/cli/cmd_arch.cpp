// SPDX-License-Identifier: GPL-3.0-or-later
// lmwb arch list | show SPEC | validate FILE
#include "cli/commands.h"
#include "core/errors.h"
#include "core/files.h"
#include "models/model_spec.h"
#include "settings/settings.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>

namespace wb::cli {

int cmdArch(Context& ctx)
{
    const auto& pos = ctx.args.positional();
    if (pos.size() < 2)
        throw InputError("usage: lmwb arch list | show SPEC [--vocab V] [--batch B] | validate FILE");
    const std::string sub = pos[1];
    if (sub == "list") {
        ctx.args.allowOnly("arch list", {});
        auto all = nlohmann::json::array();
        for (const auto& f : families()) {
            nlohmann::json presetNames = nlohmann::json::array();
            for (const auto& p : presets())
                if (p.spec.family == f.name)
                    presetNames.push_back(p.name);
            all.push_back({{"family", f.name}, {"title", f.title}, {"reference", f.reference}, {"encoder", f.encoder},
                           {"learning_rate", f.learningRate}, {"presets", presetNames}});
        }
        if (ctx.json) {
            std::cout << all.dump() << '\n';
        } else {
            for (const auto& f : all) {
                std::printf("%-12s %s (%s)\n  lr auto: %s\n  presets:", f["family"].get<std::string>().c_str(),
                            f["title"].get<std::string>().c_str(), f["reference"].get<std::string>().c_str(),
                            formatNumber(f["learning_rate"].get<double>()).c_str());
                for (const auto& p : f["presets"])
                    std::printf(" %s", p.get<std::string>().c_str());
                std::printf("\n");
            }
            std::printf("equal-1m (one per family, about 1M parameters):");
            for (const auto& n : equalOneMillionSet())
                std::printf(" %s", n.c_str());
            std::printf("\n");
        }
        return 0;
    }
    if (sub == "show") {
        ctx.args.allowOnly("arch show", {"--vocab", "--batch"});
        if (pos.size() != 3)
            throw InputError("usage: lmwb arch show PRESET_OR_JSON_FILE [--vocab V] [--batch B]");
        const ModelSpec spec = resolveSpec(pos[2]);
        const std::int64_t vocab = ctx.args.integer("--vocab", 256, 2, 10'000'000);
        const int batch = static_cast<int>(ctx.args.integer("--batch", 16, 1, 65536));
        const auto params = spec.parameterCount(vocab);
        nlohmann::json j{{"family", spec.family},
                         {"params", params},
                         {"flops_per_token", spec.trainingFlopsPerToken(vocab)},
                         {"inference_flops_per_token", spec.inferenceFlopsPerToken(vocab)},
                         {"formula", spec.parameterFormula()},
                         {"vocab", vocab},
                         {"batch", batch},
                         {"size_fp32_bytes", fp32Bytes(params)},
                         {"size_int8_bytes", params},
                         {"training_memory_bytes", spec.trainingMemoryBytes(vocab, batch)},
                         {"layers", spec.layerDiagram(vocab)},
                         {"spec", nlohmann::json::parse(spec.toJson())}};
        if (ctx.json) {
            std::cout << j.dump() << '\n';
        } else {
            std::printf("%s (%s), vocabulary %lld:\n  %lld parameters = %s\n  %.3g FLOP/token training, %.3g inference\n"
                        "  %.2f MB as fp32, %.2f MB as int8; about %.1f MB to train with batch %d x %d\n",
                        pos[2].c_str(), spec.family.c_str(), static_cast<long long>(vocab), static_cast<long long>(params),
                        spec.parameterFormula().c_str(), spec.trainingFlopsPerToken(vocab),
                        spec.inferenceFlopsPerToken(vocab), fp32Bytes(params) / 1e6, params / 1e6,
                        spec.trainingMemoryBytes(vocab, batch) / 1e6, batch, spec.context());
            for (const auto& l : spec.layerDiagram(vocab))
                std::printf("  | %s\n", l.c_str());
            std::printf("  spec: %s\n", spec.toJson().c_str());
        }
        return 0;
    }
    if (sub == "validate") {
        ctx.args.allowOnly("arch validate", {});
        if (pos.size() != 3)
            throw InputError("usage: lmwb arch validate FILE");
        const ModelSpec spec = ModelSpec::fromJson(readFile(pos[2]), pos[2]); // InputError names the field: exit 2
        if (ctx.json)
            std::cout << nlohmann::json{{"valid", true}, {"family", spec.family}, {"spec", nlohmann::json::parse(spec.toJson())}}.dump()
                      << '\n';
        else
            std::printf("%s: a valid %s spec\n", pos[2].c_str(), spec.family.c_str());
        return 0;
    }
    throw InputError("unknown subcommand 'arch " + sub + "' (list, show, validate)");
}

} // namespace wb::cli
