// SPDX-License-Identifier: GPL-3.0-or-later
// The interface every family implements: a causal next-token model over
// (B, T) token ids giving (B, T, V) logits, where the logits at t depend only
// on tokens 0..t. Families that can also encode a sequence (cbow, cmow,
// cmow-cbow, cnn-bilstm, lstm, transformer) give a pooled vector for a
// classification head. Internal to the engine: includes LibTorch.
#pragma once

#include "models/dense.h"
#include "models/model_spec.h"
#include "settings/run_config.h"

#include <torch/nn/module.h>
#include <torch/types.h>

#include <memory>
#include <vector>

namespace wb {

// What incremental decoding keeps between calls (generation): a
// Transformer's keys and values, a recurrent state, a running product; the
// tokens fed so far for families that look back a fixed window.
struct DecodeCache {
    std::vector<torch::Tensor> tensors; // the family's own state
    std::vector<std::int64_t> recent;   // the last tokens fed (at most the context)
    std::int64_t length = 0;            // tokens fed since the cache was empty
    void clear() { *this = DecodeCache(); }
};

class LanguageModel : public torch::nn::Module {
public:
    LanguageModel(const ModelSpec& spec, std::int64_t vocab) : m_spec(spec), m_vocab(vocab) {}
    ~LanguageModel() override = default;

    virtual torch::Tensor forward(const torch::Tensor& idx) = 0; // (B, T) -> (B, T, V)
    // The mean next-token cross-entropy of forward(idx) against `target`
    // (B, T); a family may compute it without the logits (the GPT's fused
    // kernels). Defined in task_head.cpp.
    virtual torch::Tensor lmLoss(const torch::Tensor& idx, const torch::Tensor& target);

    // Sequence classification (fine-tuning task classify, methods.md B7):
    // pooled features of right-padded sequences, (B, T) ids and (B) lengths
    // (at least 1 each) -> (B, featureWidth()). Padding never changes a
    // sequence's features: causal states are read up to its length only, and
    // backward directions run over each sequence reversed within its length.
    virtual torch::Tensor features(const torch::Tensor& idx, const torch::Tensor& lengths) = 0;
    virtual std::int64_t featureWidth() const = 0;
    // Registers the classifier head, "head": ULMFiT's two blocks of batch
    // norm, dropout and linear (features -> 50 -> classes), ReLU between.
    void attachClassifier(std::int64_t classes);
    bool hasClassifier() const { return m_head != nullptr; }
    torch::Tensor classify(const torch::Tensor& idx, const torch::Tensor& lengths); // (B, classes) logits
    // Prefix tuning (methods.md B10): registers "prefix" (the Transformer
    // only; InputError elsewhere), and fixes it to the values it stores.
    virtual void attachPrefix(int length, int hidden);
    virtual void freezePrefix() {}

    // The backward-LM auxiliary loss of a family with backward stacks (Rei
    // 2017; methods.md B8, A3): backward states, which have seen only later
    // tokens, predict the token before them. Undefined when the family has
    // none. Mean per predicted token.
    virtual torch::Tensor backwardLmLoss(const torch::Tensor& idx) { return {}; }
    // AWD-LSTM's AR/TAR penalty of the last training forward (undefined for
    // other families).
    virtual torch::Tensor activationPenalty(double alpha, double beta) { return {}; }

    // Hidden state carried across contiguous batches (AWD-LSTM, methods.md
    // A4: "carry hidden states across BPTT chunks but detach them"). With
    // carrying on, forward() starts each row from the state the previous
    // forward ended in, detached, when the batch has as many rows; other
    // forwards (features, generation) never touch it. Families without a
    // recurrent state ignore it.
    virtual bool carriesState() const { return false; }
    void setStateCarry(bool on) { m_carry = on; }
    bool stateCarry() const { return m_carry; }
    void resetState() { m_carried.clear(); }
    const std::vector<torch::Tensor>& carriedState() const { return m_carried; }
    void setCarriedState(std::vector<torch::Tensor> state) { m_carried = std::move(state); }

    // Distillation's hidden-state term (methods.md B6): with keeping on,
    // forward() keeps the states its output layer reads, (B, T,
    // hiddenWidth()), for lastHidden().
    virtual std::int64_t hiddenWidth() const = 0;
    void keepHidden(bool on)
    {
        m_keepHidden = on;
        m_lastHidden = torch::Tensor();
    }
    const torch::Tensor& lastHidden() const { return m_lastHidden; }

    // SMART's view of the input embeddings (methods.md B9). Every family
    // passes each embedding lookup's output, (B, T, ...) per token, through
    // embedded(slot, e): with `record` set the outputs are kept there by slot;
    // with `noise` set, noise[slot] is added to them. Slots: 0 the token
    // embeddings (CMOW: the forward matrices), 1 CMOW's backward matrices,
    // 2 the hybrid's CBOW embeddings.
    void recordEmbeddings(std::vector<torch::Tensor>* record) { m_record = record; }
    void setEmbeddingNoise(const std::vector<torch::Tensor>* noise) { m_noise = noise; }

    // Weight decay on weight matrices only: not on biases, norms or
    // embedding tables (methods.md A5 pitfalls).
    virtual std::vector<torch::Tensor> decayParameters();
    virtual std::vector<torch::Tensor> noDecayParameters();

    // int8 variants (methods.md B11): a tied output layer (logits = h E^T)
    // runs the int8 kernel on the table's per-row int8 values.
    void setInt8Output(bool on)
    {
        m_int8Output = on;
        m_tiedHead.reset();
    }
    bool int8Output() const { return m_int8Output; }
    // Recurrent layers (LSTM) to dynamic int8; families without them ignore it.
    virtual void quantizeRecurrent(bool shapeOnly) {}
    // Whether a parameter is an embedding table, or the output layer's
    // weight (both left dense by pruning by default, methods.md B11).
    bool isEmbeddingTable(const std::string& name) const { return isEmbedding(name); }
    virtual bool isOutputLayer(const std::string& name) const
    {
        return name.rfind("out.", 0) == 0 || name.rfind("decoder.", 0) == 0 || name.rfind("direct.", 0) == 0;
    }

    // Incremental decoding (eval mode, no grad): feeds `ids` (k >= 1 new
    // tokens, 1-D int64 on the model's device) after the tokens `cache` has
    // seen and returns the (V) logits of the token after the last one. The
    // caller keeps cache.length + k <= context() for families that do not
    // carry their state (see sampleLm). The logits equal those of forward()
    // over all the tokens fed, at the last position. This default runs
    // forward() over the fed window; families override it with a KV cache,
    // a carried state or the window they look back.
    virtual torch::Tensor decodeNext(const torch::Tensor& ids, DecodeCache& cache);

    // The run setting `kernels`: the fused CPU kernels (models/fused.h) in
    // every plain float linear layer (and the Transformer's attention), or
    // LibTorch's ops only. Each call still falls back to LibTorch's ops
    // where the input cannot take them (CUDA, autocast, int8 or factored).
    virtual void setKernels(Kernels kernels);
    Kernels kernels() const { return m_kernels; }

    const ModelSpec& spec() const { return m_spec; }
    std::int64_t vocabSize() const { return m_vocab; }
    std::int64_t context() const { return m_spec.context(); }
    torch::Device device() const;

protected:
    // Names of parameters that are embedding tables (no weight decay).
    virtual bool isEmbedding(const std::string& name) const;

    ModelSpec m_spec;
    std::int64_t m_vocab;
    std::shared_ptr<torch::nn::Module> m_head;
    torch::Tensor embedded(std::size_t slot, torch::Tensor e)
    {
        if (m_record) {
            if (m_record->size() <= slot)
                m_record->resize(slot + 1);
            (*m_record)[slot] = e;
        }
        if (m_noise && slot < m_noise->size() && (*m_noise)[slot].defined())
            return e + (*m_noise)[slot];
        return e;
    }

    // Each family passes the states its output layer reads through this.
    torch::Tensor outputInput(torch::Tensor h)
    {
        if (m_keepHidden)
            m_lastHidden = h;
        return h;
    }
    // Logits of a tied output layer: h table^T (+ bias), in int8 when set.
    torch::Tensor tiedLogits(const torch::Tensor& h, const torch::Tensor& table, const torch::Tensor& bias = {});
    bool m_keepHidden = false;
    torch::Tensor m_lastHidden;
    bool m_carry = false;
    std::vector<torch::Tensor> m_carried; // per layer h, c (1, B, H)
    Kernels m_kernels = Kernels::Reference;

private:
    bool m_int8Output = false;
    std::shared_ptr<DenseImpl> m_tiedHead; // not registered: its values are the table's
    const void* m_tiedFrom = nullptr;
    std::vector<torch::Tensor>* m_record = nullptr;
    const std::vector<torch::Tensor>* m_noise = nullptr;
};

// For its lifetime: state carrying as given, from a fresh state; then the
// model's carrying and carried state as they were (an evaluation or a
// sample in the middle of training leaves the training streams' state alone).
class StateCarryScope {
public:
    StateCarryScope(LanguageModel& model, bool carry)
        : m_model(model), m_wasOn(model.stateCarry()), m_saved(model.carriedState())
    {
        model.setStateCarry(carry && model.carriesState());
        model.resetState();
    }
    ~StateCarryScope()
    {
        m_model.setStateCarry(m_wasOn);
        m_model.setCarriedState(std::move(m_saved));
    }
    StateCarryScope(const StateCarryScope&) = delete;
    StateCarryScope& operator=(const StateCarryScope&) = delete;

private:
    LanguageModel& m_model;
    bool m_wasOn;
    std::vector<torch::Tensor> m_saved;
};

// ULMFiT's concat pooling [h_T ; maxpool(H) ; meanpool(H)] over each
// sequence's valid positions: (B, T, H) states, (B) lengths -> (B, 3H).
torch::Tensor concatPool(const torch::Tensor& states, const torch::Tensor& lengths);
// Each row's first `length` entries reversed, the padding left in place:
// (B, T, ...) -> the same shape (for backward directions).
torch::Tensor reverseWithinLength(const torch::Tensor& x, const torch::Tensor& lengths);
// The state at each row's last valid position: (B, T, H) -> (B, H).
torch::Tensor lastState(const torch::Tensor& states, const torch::Tensor& lengths);
// (B, T, 1) float mask of the valid positions.
torch::Tensor validMask(const torch::Tensor& lengths, std::int64_t T, const torch::TensorOptions& options);

// The model's compressible linear layers by name ("blocks.0.fc"), in
// module order; a classifier head and a prefix are not among them.
std::vector<std::pair<std::string, std::shared_ptr<DenseImpl>>> denseLayers(LanguageModel& model);
// Gives the model the structure a variant's weights load into
// (RunConfig::compression's "structure": factored layers at their ranks,
// int8 layers and output). Empty JSON: nothing to do.
void applyCompressionStructure(LanguageModel& model, const std::string& compressionJson);

// Builds the family's module, initialised from the current torch seed; with
// `classes` > 0 a classifier head is attached too (task classify).
std::shared_ptr<LanguageModel> buildModel(const ModelSpec& spec, std::int64_t vocab, std::int64_t classes = 0);
// The model of a run: its spec, a classifier head of `classes` (task
// classify) and a prefix (method prefix).
std::shared_ptr<LanguageModel> buildRunModel(const RunConfig& config, std::int64_t vocab, std::int64_t classes = 0);

} // namespace wb
