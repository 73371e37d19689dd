// SPDX-License-Identifier: GPL-3.0-or-later
#include "train/run_config.h"

#include "core/errors.h"

#include <nlohmann/json.hpp>

namespace wb {

std::string RunConfig::toJson() const
{
    nlohmann::json j;
    j["corpus"] = corpus;
    j["arch"] = arch;
    j["tokenizer"] = tokenizer;
    j["spec"] = nlohmann::json::parse(spec.toJson());
    auto& t = j["train"];
    t["steps"] = train.steps;
    t["batch"] = train.batch;
    t["lr"] = train.lr;
    t["min_lr"] = train.minLr;
    t["warmup"] = train.warmup;
    t["weight_decay"] = train.weightDecay;
    t["beta1"] = train.beta1;
    t["beta2"] = train.beta2;
    t["clip"] = train.clip;
    t["eval_every"] = train.evalEvery;
    t["eval_tokens"] = train.evalTokens;
    t["log_every"] = train.logEvery;
    t["sample_tokens"] = train.sampleTokens;
    t["sample_prompt"] = train.samplePrompt;
    t["seed"] = train.seed;
    t["threads"] = train.threads;
    t["device"] = train.device;
    t["precision"] = train.precision;
    t["optimizer"] = train.optimizer;
    t["schedule"] = train.schedule;
    t["momentum"] = train.momentum;
    t["nesterov"] = train.nesterov;
    t["accumulate"] = train.accumulate;
    t["patience"] = train.patience;
    t["checkpoint_every"] = train.checkpointEvery;
    t["keep_checkpoints"] = train.keepCheckpoints;
    t["checkpoint_minutes"] = train.checkpointMinutes;
    t["diverge_factor"] = train.divergeFactor;
    return j.dump();
}

RunConfig RunConfig::fromJson(const std::string& json)
{
    try {
        const auto j = nlohmann::json::parse(json);
        RunConfig c;
        c.corpus = j.at("corpus").get<std::string>();
        c.arch = j.at("arch").get<std::string>();
        c.tokenizer = j.value("tokenizer", "");
        c.spec = ModelSpec::fromJson(j.at("spec").dump(), "run config");
        const auto& t = j.at("train");
        TrainSettings d;
        c.train.steps = t.value("steps", d.steps);
        c.train.batch = t.value("batch", d.batch);
        c.train.lr = t.value("lr", d.lr);
        c.train.minLr = t.value("min_lr", d.minLr);
        c.train.warmup = t.value("warmup", d.warmup);
        c.train.weightDecay = t.value("weight_decay", d.weightDecay);
        c.train.beta1 = t.value("beta1", d.beta1);
        c.train.beta2 = t.value("beta2", d.beta2);
        c.train.clip = t.value("clip", d.clip);
        c.train.evalEvery = t.value("eval_every", d.evalEvery);
        c.train.evalTokens = t.value("eval_tokens", d.evalTokens);
        c.train.logEvery = t.value("log_every", d.logEvery);
        c.train.sampleTokens = t.value("sample_tokens", d.sampleTokens);
        c.train.samplePrompt = t.value("sample_prompt", d.samplePrompt);
        c.train.seed = t.value("seed", d.seed);
        c.train.threads = t.value("threads", d.threads);
        c.train.device = t.value("device", d.device);
        c.train.precision = t.value("precision", d.precision);
        c.train.optimizer = t.value("optimizer", d.optimizer);
        c.train.schedule = t.value("schedule", d.schedule);
        c.train.momentum = t.value("momentum", d.momentum);
        c.train.nesterov = t.value("nesterov", d.nesterov);
        c.train.accumulate = t.value("accumulate", d.accumulate);
        c.train.patience = t.value("patience", d.patience);
        c.train.checkpointEvery = t.value("checkpoint_every", d.checkpointEvery);
        c.train.keepCheckpoints = t.value("keep_checkpoints", d.keepCheckpoints);
        c.train.checkpointMinutes = t.value("checkpoint_minutes", d.checkpointMinutes);
        c.train.divergeFactor = t.value("diverge_factor", d.divergeFactor);
        return c;
    } catch (const nlohmann::json::exception& e) {
        throw InputError(std::string("run config: ") + e.what());
    }
}

} // namespace wb
