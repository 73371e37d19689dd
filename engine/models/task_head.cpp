// SPDX-License-Identifier: GPL-3.0-or-later
// The classification head every family shares, and the pooling helpers the
// families' features() use (methods.md B7: ULMFiT's concat pooling and its
// two batch-norm/dropout/linear blocks).
#include "models/language_model.h"

#include "core/errors.h"

#include <torch/torch.h>

#include <limits>

namespace wb {

namespace nn = torch::nn;

namespace {

// BN -> dropout -> linear(in, 50) -> ReLU -> BN -> dropout -> linear(50, C)
// (Howard & Ruder 2018, section 3.3; fastai's defaults: dropout 0.4 on the
// pooled features scaled down to 0.2 here, 0.1 before the output layer).
class ClassifierHeadImpl : public nn::Module {
public:
    ClassifierHeadImpl(std::int64_t in, std::int64_t classes)
    {
        bn1 = register_module("bn1", nn::BatchNorm1d(in));
        drop1 = register_module("drop1", nn::Dropout(0.2));
        fc1 = register_module("fc1", nn::Linear(in, kHidden));
        bn2 = register_module("bn2", nn::BatchNorm1d(kHidden));
        drop2 = register_module("drop2", nn::Dropout(0.1));
        fc2 = register_module("fc2", nn::Linear(kHidden, classes));
    }
    torch::Tensor forward(const torch::Tensor& x)
    {
        auto h = torch::relu(fc1->forward(drop1->forward(bn1->forward(x))));
        return fc2->forward(drop2->forward(bn2->forward(h)));
    }
    static constexpr std::int64_t kHidden = 50;
    nn::BatchNorm1d bn1{nullptr}, bn2{nullptr};
    nn::Dropout drop1{nullptr}, drop2{nullptr};
    nn::Linear fc1{nullptr}, fc2{nullptr};
};
TORCH_MODULE(ClassifierHead);

} // namespace

void LanguageModel::attachPrefix(int, int)
{
    throw InputError("prefix tuning needs attention, and family '" + m_spec.family + "' has none");
}

torch::Tensor LanguageModel::lmLoss(const torch::Tensor& idx, const torch::Tensor& target)
{
    auto logits = forward(idx);
    return torch::nn::functional::cross_entropy(logits.reshape({-1, logits.size(-1)}), target.reshape({-1}));
}

torch::Tensor LanguageModel::tiedLogits(const torch::Tensor& h, const torch::Tensor& table, const torch::Tensor& bias)
{
    if (!m_int8Output) {
        auto y = torch::matmul(h, table.t());
        return bias.defined() ? y + bias : y;
    }
    if (!m_tiedHead || m_tiedFrom != table.data_ptr()) {
        // The table holds int8 values times per-row scales (an int8 variant's
        // embedding), so quantising it again gives back the same integers.
        torch::NoGradGuard noGrad;
        auto head = std::make_shared<DenseImpl>(table.size(1), table.size(0), bias.defined());
        head->weight.copy_(table.detach());
        if (bias.defined())
            head->bias.copy_(bias.detach());
        head->quantize();
        m_tiedHead = head;
        m_tiedFrom = table.data_ptr();
    }
    return m_tiedHead->forward(h);
}

void LanguageModel::attachClassifier(std::int64_t classes)
{
    auto head = ClassifierHead(featureWidth(), classes);
    m_head = register_module("head", head.ptr());
}

torch::Tensor LanguageModel::classify(const torch::Tensor& idx, const torch::Tensor& lengths)
{
    TORCH_CHECK(m_head, "this model has no classifier head");
    return std::static_pointer_cast<ClassifierHeadImpl>(m_head)->forward(features(idx, lengths));
}

torch::Tensor validMask(const torch::Tensor& lengths, std::int64_t T, const torch::TensorOptions& options)
{
    auto pos = torch::arange(T, lengths.options()).unsqueeze(0); // (1, T)
    return (pos < lengths.unsqueeze(1)).to(options).unsqueeze(2); // (B, T, 1)
}

torch::Tensor lastState(const torch::Tensor& states, const torch::Tensor& lengths)
{
    const auto B = states.size(0), H = states.size(2);
    auto index = (lengths - 1).view({B, 1, 1}).expand({B, 1, H});
    return states.gather(1, index).squeeze(1);
}

torch::Tensor concatPool(const torch::Tensor& states, const torch::Tensor& lengths)
{
    const auto T = states.size(1);
    auto mask = validMask(lengths, T, states.options());
    auto maxPool = states.masked_fill(mask.logical_not(), -std::numeric_limits<float>::infinity()).amax(1);
    auto meanPool = (states * mask).sum(1) / lengths.to(states.options()).unsqueeze(1);
    return torch::cat({lastState(states, lengths), maxPool, meanPool}, 1);
}

torch::Tensor reverseWithinLength(const torch::Tensor& x, const torch::Tensor& lengths)
{
    const auto B = x.size(0), T = x.size(1);
    auto pos = torch::arange(T, lengths.options()).unsqueeze(0).expand({B, T});
    auto len = lengths.unsqueeze(1);
    auto index = torch::where(pos < len, len - 1 - pos, pos); // (B, T)
    if (x.dim() == 2)
        return x.gather(1, index);
    std::vector<std::int64_t> shape{B, T};
    for (std::int64_t d = 2; d < x.dim(); ++d)
        shape.push_back(x.size(d));
    auto view = index;
    for (std::int64_t d = 2; d < x.dim(); ++d)
        view = view.unsqueeze(-1);
    return x.gather(1, view.expand(shape));
}

} // namespace wb
