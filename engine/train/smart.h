// SPDX-License-Identifier: GPL-3.0-or-later
// SMART (Jiang et al. 2020; methods.md B9): the smoothness-inducing
// adversarial regulariser on the input embeddings and the Bregman proximal
// point term against an EMA teacher. Internal to the engine.
#pragma once

#include "data/task_data.h"
#include "eval/task_eval.h"
#include "models/language_model.h"

#include <torch/types.h>

namespace wb {

struct SmartSettings {
    double lambda = 1.0;  // lambda_s, the adversarial term's weight (reference code's adv_alpha)
    double mu = 1.0;      // the proximal term's weight
    double eta = 1e-3;    // the ascent step
    double sigma = 1e-5;  // the initial noise's standard deviation
};

struct SmartLoss {
    torch::Tensor total;       // task + lambda * adversarial + mu * proximal
    torch::Tensor task, adversarial, proximal;
    bool skipped = false;      // the ascent gradient was not finite: no adversarial term this step
    // The perturbation the adversarial term used, by embedding slot (for tests).
    std::vector<torch::Tensor> perturbation;
};

// The task's outputs as rows of logits with their targets: classify (B, C)
// against labels; pairs and lm the positions whose target is not ignored.
std::pair<torch::Tensor, torch::Tensor> taskOutputs(LanguageModel& model, const TaskData& data, const TaskBatch& batch);

// One SMART loss on a batch: the clean forward, one ascent step from
// x + N(0, sigma^2) along KL(f(x~) || f(x)) normalised per token by its
// infinity norm (x~ = x + eta g / (max|g| + 1e-6); padding positions never
// move), then l_s(f(x~), f(x)) + the proximal l_s(f(x), f_teacher(x)),
// l_s the symmetric KL. `teacher` may be null (no proximal term).
SmartLoss smartLoss(LanguageModel& model, LanguageModel* teacher, const TaskData& data, const TaskBatch& batch,
                    const SmartSettings& settings);

// theta~ <- beta theta~ + (1 - beta) theta, parameters and buffers.
void emaUpdate(LanguageModel& teacher, LanguageModel& model, double beta);

} // namespace wb
