// SPDX-License-Identifier: GPL-3.0-or-later
// Knowledge distillation's losses and measures (methods.md B6). Internal to
// the engine: includes LibTorch.
#pragma once

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
// (methods.md B6: "cache the teacher's top-k logits and renormalise over
// them"): p_T is the softmax of the k cached logits / T, i.e. the teacher's
// mass outside its top k is taken as 0; the student's log q_T is its full
// softmax, read at the k cached ids. With k = V it is the soft term above.
// (N, V) student logits, (N, k) int64 ids and (N, k) teacher logits.
torch::Tensor softTargetLossTopK(const torch::Tensor& studentLogits, const torch::Tensor& ids, const torch::Tensor& teacherTop,
                                 double temperature);

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
