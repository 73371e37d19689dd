// SPDX-License-Identifier: GPL-3.0-or-later
// Knowledge distillation's losses and measures (methods.md B6). Internal to
// the engine: includes LibTorch.
#pragma once

#include "models/language_model.h"

#include <torch/types.h>

namespace wb {

// Hinton et al.'s soft term, T^2 KL(p_T || q_T), p_T = softmax(z_teacher/T)
// and q_T = softmax(z_student/T), summed over the vocabulary and averaged
// over the rows (positions): LibTorch's kl_div with Reduction::Sum divided by
// the rows, PyTorch's "batchmean" (Reduction::Mean would also divide by V,
// methods.md B6 "LibTorch"). (N, V) logits each; the teacher's carry no
// gradient.
torch::Tensor softTargetLoss(const torch::Tensor& studentLogits, const torch::Tensor& teacherLogits, double temperature);

// The soft term against a cache of the teacher's k largest logits per row
// and its log-normaliser at T, lse_T = logsumexp(z_teacher / T) (methods.md
// B6: cache the teacher's top-k logits; "record k"). The teacher's tempered
// probabilities of its top k are exact, p_i = exp(z_i / T - lse_T), and the
// rest of its mass, 1 - sum p_i, is one more outcome, "any other token",
// matched against the student's own rest, 1 - sum q_T,i. So the term is the
// KL over k + 1 outcomes: it never asks the student to give the other
// tokens zero (plain renormalisation over the k would: measured in
// benchmarks.md), and with k = V it is the soft term above.
// (N, V) student logits, (N, k) int64 ids, (N, k) teacher logits, (N) lse_T.
torch::Tensor softTargetLossTopK(const torch::Tensor& studentLogits, const torch::Tensor& ids, const torch::Tensor& teacherTop,
                                 const torch::Tensor& teacherLse, double temperature);

// DistilBERT's initialisation (Sanh et al. 2019; methods.md B6): a
// Transformer student with the teacher's width and heads and L_t / k blocks
// takes the teacher's token and position embeddings (its first n_ctx rows),
// the final norm and blocks 0, k, 2k, ... SettingError (kd_layer_init)
// naming what does not fit otherwise.
void initFromTeacherLayers(LanguageModel& student, LanguageModel& teacher);

// L = alpha * soft + (1 - alpha) * hard, the hard term the cross-entropy
// against the labels (methods.md B6, token-level LM KD).
torch::Tensor distillationLoss(const torch::Tensor& soft, const torch::Tensor& hard, double alpha);

// How far the student is from its teacher on the same inputs (T = 1):
// top-1 agreement (the share of rows whose argmax is the same) and the mean
// KL(p || q) per row, in nats.
struct Agreement {
    double top1 = 0;
    double kl = 0;
};
Agreement agreement(const torch::Tensor& studentLogits, const torch::Tensor& teacherLogits);

} // namespace wb
