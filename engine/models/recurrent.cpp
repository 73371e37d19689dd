// SPDX-License-Identifier: GPL-3.0-or-later
// The recurrent families (methods.md A3, A4): the CNN-(Bi)LSTM and the
// AWD-LSTM, with their incremental decoding (a carried state).
#include "models/families.h"

#include "core/errors.h"

#include <torch/torch.h>

#include <cmath>

namespace wb {

namespace nn = torch::nn;

namespace {
// LSTM layer with explicit weights (PyTorch's layout and count), run through
// the functional torch::lstm so W_hh can be dropped out per forward pass
// (DropConnect, methods.md A4).
class LstmLayerImpl : public nn::Module {
public:
    LstmLayerImpl(std::int64_t in, std::int64_t h) : m_h(h)
    {
        const double k = 1.0 / std::sqrt(static_cast<double>(h));
        wIh = register_parameter("weight_ih", torch::empty({4 * h, in}).uniform_(-k, k));
        wHh = register_parameter("weight_hh", torch::empty({4 * h, h}).uniform_(-k, k));
        bIh = register_parameter("bias_ih", torch::empty({4 * h}).uniform_(-k, k));
        bHh = register_parameter("bias_hh", torch::empty({4 * h}).uniform_(-k, k));
    }
    // (B, T, in) -> (B, T, h). `state`, when given, holds h and c (1, B, h)
    // to start from (undefined: zeros) and receives the final ones.
    torch::Tensor forward(const torch::Tensor& x, double weightDrop = 0.0, std::pair<torch::Tensor, torch::Tensor>* state = nullptr)
    {
        torch::Tensor h0, c0;
        if (state && state->first.defined()) {
            h0 = state->first;
            c0 = state->second;
        } else {
            h0 = torch::zeros({1, x.size(0), m_h}, x.options());
            c0 = h0.clone();
        }
        if (m_int8)
            return int8Forward(x, h0, c0, state);
        auto whh = weightDrop > 0 && is_training() ? torch::dropout(wHh, weightDrop, true) : wHh;
        auto r = torch::lstm(x, {h0, c0}, {wIh, whh, bIh, bHh}, /*has_biases=*/true, /*num_layers=*/1,
                             /*dropout=*/0.0, is_training(), /*bidirectional=*/false, /*batch_first=*/true);
        if (state)
            *state = {std::get<1>(r), std::get<2>(r)};
        return std::get<0>(r);
    }
    torch::Tensor wIh, wHh, bIh, bHh;

    // Dynamic int8 (methods.md B11): W_ih and W_hh as per-channel int8
    // ("weight_ih_int8", "weight_ih_scale", ...), run by the int8 kernel: the
    // input projection of all steps in one call, the recurrent one per step.
    void quantize(bool shapeOnly)
    {
        if (m_int8)
            return;
        torch::NoGradGuard g;
        for (auto* w : {&wIh, &wHh}) {
            const std::string name = w == &wIh ? "weight_ih" : "weight_hh";
            const Int8Rows q = shapeOnly ? Int8Rows{torch::zeros(w->sizes(), torch::kInt8), torch::ones({w->size(0)})} : quantizeRows(*w);
            parameters_.erase(name);
            *w = torch::Tensor();
            register_buffer(name + "_int8", q.values);
            register_buffer(name + "_scale", q.scales);
        }
        bIh.set_requires_grad(false);
        bHh.set_requires_grad(false);
        m_int8 = true;
    }

private:
    torch::Tensor int8Forward(const torch::Tensor& x, const torch::Tensor& h0, const torch::Tensor& c0,
                              std::pair<torch::Tensor, torch::Tensor>* state)
    {
        if (x.requires_grad() || torch::GradMode::is_enabled() && is_training())
            throw InputError("an int8 model cannot be trained; fine-tune its parent, then quantize");
        const auto B = x.size(0), T = x.size(1);
        const auto buffers = named_buffers(false);
        auto gx = int8Linear(x.reshape({B * T, x.size(2)}).to(torch::kFloat).contiguous(), buffers["weight_ih_int8"],
                             buffers["weight_ih_scale"], bIh, m_packed[0])
                      .view({B, T, 4 * m_h});
        auto h = h0.select(0, 0), c = c0.select(0, 0); // (B, h)
        std::vector<torch::Tensor> out;
        out.reserve(static_cast<std::size_t>(T));
        for (std::int64_t t = 0; t < T; ++t) {
            // PyTorch's gate order: input, forget, cell, output.
            auto g = gx.select(1, t) + int8Linear(h.contiguous(), buffers["weight_hh_int8"], buffers["weight_hh_scale"], bHh, m_packed[1]);
            auto gates = g.chunk(4, 1);
            c = torch::sigmoid(gates[1]) * c + torch::sigmoid(gates[0]) * torch::tanh(gates[2]);
            h = torch::sigmoid(gates[3]) * torch::tanh(c);
            out.push_back(h);
        }
        if (state)
            *state = {h.unsqueeze(0), c.unsqueeze(0)};
        return torch::stack(out, 1);
    }

    std::int64_t m_h;
    bool m_int8 = false;
    Int8Packed m_packed[2];
};
TORCH_MODULE(LstmLayer);

// Locked (variational) dropout: one mask per sequence, the same at every
// step (Gal & Ghahramani 2016; methods.md A4).
torch::Tensor lockedDropout(const torch::Tensor& x, double p, bool training)
{
    if (!training || p <= 0)
        return x;
    auto mask = torch::empty({x.size(0), 1, x.size(2)}, x.options()).bernoulli_(1 - p) / (1 - p);
    return x * mask;
}

// ---------------------------------------------------------------- cnn-bilstm (A3)
class CnnLstm final : public LanguageModel {
public:
    CnnLstm(const ModelSpec& s, std::int64_t V) : LanguageModel(s, V)
    {
        const int e = s.i("embed"), f = s.i("filters"), h = s.i("hidden"), L = s.i("layers");
        emb = register_module("emb", nn::Embedding(V, e));
        conv = register_module("conv", nn::Conv1d(nn::Conv1dOptions(e, f, s.i("kernel"))));
        forwardLstm = register_module("forward_lstm", nn::ModuleList());
        for (int l = 0; l < L; ++l)
            forwardLstm->push_back(LstmLayer(l == 0 ? f : h, h));
        if (s.b("bidirectional")) {
            backwardLstm = register_module("backward_lstm", nn::ModuleList());
            for (int l = 0; l < L; ++l)
                backwardLstm->push_back(LstmLayer(l == 0 ? f : h, h));
        }
        drop = register_module("drop", nn::Dropout(s.get("dropout")));
        out = register_module("out", Dense(h, V));
    }
    void quantizeRecurrent(bool shapeOnly) override
    {
        for (auto* list : {&forwardLstm, &backwardLstm})
            if (*list)
                for (const auto& layer : **list)
                    layer->as<LstmLayerImpl>()->quantize(shapeOnly);
    }
    // Causal features: the convolution is padded on the left only.
    torch::Tensor convFeatures(const torch::Tensor& idx)
    {
        const int k = m_spec.i("kernel");
        auto e = embedded(0, emb->forward(idx)).transpose(1, 2);                 // (B, e, T)
        e = torch::nn::functional::pad(e, torch::nn::functional::PadFuncOptions({k - 1, 0}));
        return torch::tanh(conv->forward(e)).transpose(1, 2);                   // (B, T, f)
    }
    static torch::Tensor run(nn::ModuleList& stack, torch::Tensor x)
    {
        for (const auto& layer : *stack)
            x = layer->as<LstmLayerImpl>()->forward(x);
        return x;
    }
    // Only the forward LSTM predicts the next token (never the backward one).
    torch::Tensor forward(const torch::Tensor& idx) override
    {
        return out->forward(outputInput(drop->forward(run(forwardLstm, convFeatures(idx)))));
    }
    // Carried state: the forward LSTMs' h and c, and the last kernel-1
    // tokens the convolution looks back at.
    torch::Tensor decodeNext(const torch::Tensor& ids, DecodeCache& cache) override
    {
        const int k = m_spec.i("kernel");
        const auto back = static_cast<std::int64_t>(cache.recent.size());
        std::vector<std::int64_t> window = cache.recent;
        auto cpu = ids.to(torch::kCPU).contiguous();
        window.insert(window.end(), cpu.data_ptr<std::int64_t>(), cpu.data_ptr<std::int64_t>() + cpu.numel());
        auto f = convFeatures(torch::tensor(window, torch::kLong).unsqueeze(0).to(ids.device())).slice(1, back); // (1, new, f)
        const auto L = static_cast<std::size_t>(m_spec.i("layers"));
        cache.tensors.resize(2 * L);
        std::size_t l = 0;
        for (const auto& layer : *forwardLstm) {
            std::pair<torch::Tensor, torch::Tensor> state{cache.tensors[2 * l], cache.tensors[2 * l + 1]};
            f = layer->as<LstmLayerImpl>()->forward(f, 0.0, &state);
            cache.tensors[2 * l] = state.first;
            cache.tensors[2 * l + 1] = state.second;
            ++l;
        }
        cache.recent.assign(window.end() - std::min<std::ptrdiff_t>(k - 1, static_cast<std::ptrdiff_t>(window.size())), window.end());
        cache.length += cpu.numel();
        return out->forward(f.select(1, f.size(1) - 1)).view({-1});
    }
    // The backward LSTM as a backward LM (Rei 2017; methods.md A3): its state
    // at t has read the features of t .. T-1, which cover the tokens from
    // t-k+1 on (the convolution looks k-1 tokens back), so it predicts
    // w_{t-k}, the last token it has not seen, through the shared output layer.
    torch::Tensor backwardLmLoss(const torch::Tensor& idx) override
    {
        const int k = m_spec.i("kernel");
        const auto T = idx.size(1);
        if (!backwardLstm || T <= k)
            return {};
        auto states = run(backwardLstm, convFeatures(idx).flip(1)).flip(1); // (B, T, h)
        auto logits = out->forward(drop->forward(states.slice(1, k, T)));
        return torch::nn::functional::cross_entropy(logits.reshape({-1, logits.size(-1)}), idx.slice(1, 0, T - k).reshape({-1}));
    }
    // Concat pooling of the forward states and, when bidirectional, of the
    // backward states (run over each sequence reversed within its length, so
    // their "last" state is h<-_1).
    torch::Tensor features(const torch::Tensor& idx, const torch::Tensor& lengths) override
    {
        auto x = convFeatures(idx);
        std::vector<torch::Tensor> parts{concatPool(run(forwardLstm, x), lengths)};
        if (backwardLstm)
            parts.push_back(concatPool(run(backwardLstm, reverseWithinLength(x, lengths)), lengths));
        return torch::cat(parts, 1);
    }
    std::int64_t featureWidth() const override { return 3 * m_spec.i("hidden") * (m_spec.b("bidirectional") ? 2 : 1); }
    std::int64_t hiddenWidth() const override { return m_spec.i("hidden"); }
    nn::Embedding emb{nullptr};
    nn::Conv1d conv{nullptr};
    nn::ModuleList forwardLstm{nullptr}, backwardLstm{nullptr};
    nn::Dropout drop{nullptr};
    Dense out{nullptr};
};

// ---------------------------------------------------------------- lstm (A4)
class AwdLstm final : public LanguageModel {
public:
    AwdLstm(const ModelSpec& s, std::int64_t V) : LanguageModel(s, V)
    {
        const int e = s.i("embed"), L = s.i("layers");
        emb = register_module("emb", nn::Embedding(V, e));
        {
            torch::NoGradGuard g;
            // AWD-LSTM draws U(-0.1, 0.1) for SGD at lr 30; with AdamW at
            // lr ~3e-3 the tied output then learns slowly. U(-0.3, 0.3) trains
            // a tiny model to 1.94 nats on tests/data/small.txt in 300 steps
            // where U(-0.1, 0.1) reaches 2.70.
            emb->weight.uniform_(-0.3, 0.3);
        }
        layers = register_module("layers", nn::ModuleList());
        std::int64_t in = e;
        for (int l = 0; l < L; ++l) {
            const std::int64_t h = (l + 1 == L && s.b("tied")) ? e : s.i("hidden");
            layers->push_back(LstmLayer(in, h));
            in = h;
        }
        if (s.b("tied")) {
            decoderBias = register_parameter("decoder_bias", torch::zeros({V}));
        } else {
            decoder = register_module("decoder", Dense(in, V));
        }
    }
    bool carriesState() const override { return m_spec.b("carry_state"); }
    void quantizeRecurrent(bool shapeOnly) override
    {
        for (const auto& layer : *layers)
            layer->as<LstmLayerImpl>()->quantize(shapeOnly);
    }
    // `carry`: start from the carried state and keep the final one, detached
    // (truncated BPTT over contiguous chunks, methods.md A4).
    torch::Tensor hidden(const torch::Tensor& idx, bool carry = false)
    {
        // Embedding dropout drops whole rows (word types) and rescales.
        auto weight = emb->weight;
        const double pe = m_spec.get("dropout_embed");
        if (is_training() && pe > 0) {
            auto mask = torch::empty({weight.size(0), 1}, weight.options()).bernoulli_(1 - pe) / (1 - pe);
            weight = weight * mask;
        }
        auto x = embedded(0, torch::nn::functional::embedding(idx, weight));
        x = lockedDropout(x, m_spec.get("dropout_input"), is_training());
        const int L = m_spec.i("layers");
        carry = carry && carriesState();
        if (carry && (m_carried.size() != 2 * static_cast<std::size_t>(L) || m_carried[0].size(1) != idx.size(0)
                      || m_carried[0].device() != idx.device()))
            m_carried.clear(); // a fresh start, or another batch shape
        int l = 0;
        for (const auto& layer : *layers) {
            std::pair<torch::Tensor, torch::Tensor> state;
            if (carry && !m_carried.empty())
                state = {m_carried[2 * l], m_carried[2 * l + 1]};
            x = layer->as<LstmLayerImpl>()->forward(x, m_spec.get("weight_drop"), carry ? &state : nullptr);
            if (carry) {
                if (m_carried.empty())
                    m_carried.resize(2 * static_cast<std::size_t>(L));
                m_carried[2 * l] = state.first.detach();
                m_carried[2 * l + 1] = state.second.detach();
            }
            if (l + 1 == L && is_training())
                m_lastRaw = x;
            x = lockedDropout(x, ++l == L ? m_spec.get("dropout_output") : m_spec.get("dropout_hidden"), is_training());
        }
        if (is_training())
            m_lastDropped = x;
        else
            m_lastRaw = m_lastDropped = torch::Tensor(); // nothing kept from an evaluation
        return x;
    }
    // AWD-LSTM's activation regularisation (Merity et al. 2018; methods.md
    // A4): AR = alpha * mean(dropped last-layer output^2) and TAR = beta *
    // mean((h_t - h_{t-1})^2) of its raw output, from the last training forward.
    torch::Tensor activationPenalty(double alpha, double beta) override
    {
        if (!m_lastRaw.defined() || !m_lastDropped.defined())
            return {};
        auto penalty = alpha * m_lastDropped.pow(2).mean();
        if (m_lastRaw.size(1) > 1)
            penalty = penalty + beta * (m_lastRaw.slice(1, 1) - m_lastRaw.slice(1, 0, -1)).pow(2).mean();
        m_lastRaw = m_lastDropped = torch::Tensor();
        return penalty;
    }
    torch::Tensor m_lastRaw, m_lastDropped;
    torch::Tensor forward(const torch::Tensor& idx) override
    {
        auto x = outputInput(hidden(idx, m_carry));
        if (decoder)
            return decoder->forward(x);
        return tiedLogits(x, emb->weight, decoderBias); // tied (Press & Wolf 2017)
    }
    // Carried state: every layer's h and c.
    torch::Tensor decodeNext(const torch::Tensor& ids, DecodeCache& cache) override
    {
        auto x = emb->forward(ids).unsqueeze(0); // (1, k, e)
        const auto L = static_cast<std::size_t>(m_spec.i("layers"));
        cache.tensors.resize(2 * L);
        std::size_t l = 0;
        for (const auto& layer : *layers) {
            std::pair<torch::Tensor, torch::Tensor> state{cache.tensors[2 * l], cache.tensors[2 * l + 1]};
            x = layer->as<LstmLayerImpl>()->forward(x, 0.0, &state);
            cache.tensors[2 * l] = state.first;
            cache.tensors[2 * l + 1] = state.second;
            ++l;
        }
        cache.length += ids.size(0);
        auto h = x.select(1, x.size(1) - 1); // (1, H)
        return (decoder ? decoder->forward(h) : tiedLogits(h, emb->weight, decoderBias)).view({-1});
    }
    // ULMFiT's concat pooling of the last layer's states.
    torch::Tensor features(const torch::Tensor& idx, const torch::Tensor& lengths) override
    {
        return concatPool(hidden(idx), lengths);
    }
    std::int64_t featureWidth() const override { return 3 * (m_spec.b("tied") ? m_spec.i("embed") : m_spec.i("hidden")); }
    std::int64_t hiddenWidth() const override { return m_spec.b("tied") ? m_spec.i("embed") : m_spec.i("hidden"); }
    nn::Embedding emb{nullptr};
    nn::ModuleList layers{nullptr};
    Dense decoder{nullptr};
    torch::Tensor decoderBias;
};

} // namespace

std::shared_ptr<LanguageModel> makeRecurrentFamily(const ModelSpec& spec, std::int64_t vocab)
{
    if (spec.family == "cnn-bilstm")
        return std::make_shared<CnnLstm>(spec, vocab);
    if (spec.family == "lstm")
        return std::make_shared<AwdLstm>(spec, vocab);
    return nullptr;
}

} // namespace wb
