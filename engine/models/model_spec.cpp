// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/model_spec.h"

#include "core/errors.h"
#include "core/files.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

namespace wb {

namespace {

using F = FieldType;

FieldInfo ctxField(double def)
{
    return {"context", F::Int, def, 2, 8192, "tokens per training sequence (the longest input)"};
}

} // namespace

std::string ModelSpec::summary() const
{
    // Integer fields as a short tag each; switches that are on by name.
    static const std::map<std::string, std::pair<std::string, std::string>> tags{
        {"layers", {"", "L"}}, {"heads", {"", "H"}}, {"width", {"d", ""}},   {"context", {"ctx", ""}},
        {"window", {"w", ""}}, {"embed", {"e", ""}}, {"hidden", {"h", ""}}, {"matrix", {"m", ""}},
        {"filters", {"f", ""}}, {"kernel", {"k", ""}}};
    std::string out = family;
    for (const auto& f : familyInfo(family).fields) {
        const double v = get(f.name);
        if (auto t = tags.find(f.name); t != tags.end())
            out += " " + t->second.first + std::to_string(static_cast<long long>(v)) + t->second.second;
        else if (f.type == FieldType::Bool && v != 0 && f.name != "mean" && f.name != "direct" && f.name != "carry_state")
            out += " " + (f.name == "bidirectional" ? std::string("bi") : f.name);
    }
    return out;
}

const std::vector<FamilyInfo>& families()
{
    static const std::vector<FamilyInfo> all = {
        {"transformer", "GPT-style Transformer", "methods.md A5; Radford et al. 2019, nanoGPT", true,
         {{"layers", F::Int, 4, 1, 96, "decoder blocks"},
          {"heads", F::Int, 4, 1, 128, "attention heads; must divide the width"},
          {"width", F::Int, 128, 8, 8192, "model width d"},
          ctxField(128),
          {"dropout", F::Real, 0.0, 0.0, 0.95, "dropout on embeddings, attention and residuals"},
          {"head_dim", F::Int, 0, 0, 8192, "width of each attention head; 0: width / heads (pruned heads keep theirs)"},
          {"ffn", F::Int, 0, 0, 65536, "MLP hidden units; 0: 4 x width"}}},
        {"fnn", "Feed-forward neural LM (Bengio et al. 2003)", "methods.md A1", false,
         {{"window", F::Int, 5, 1, 64, "previous tokens seen (n-1)"},
          {"embed", F::Int, 32, 1, 4096, "word vector size m"},
          {"hidden", F::Int, 128, 1, 16384, "tanh hidden units h"},
          {"direct", F::Bool, 1, 0, 1, "direct connections from the words to the output"},
          ctxField(64)}, 1e-2},
        {"cbow", "Continuous bag of words", "methods.md A2", true,
         {{"window", F::Int, 2, 1, 8192, "previous tokens averaged (including the current one)"},
          {"width", F::Int, 128, 1, 16384, "vector size D"},
          {"mean", F::Bool, 1, 0, 1, "mean of the window (off: sum)"},
          ctxField(64)}, 2e-2},
        {"cmow", "Continual multiplication of words (Mai et al. 2019)", "methods.md A2", true,
         {{"matrix", F::Int, 16, 2, 128, "each token is a d x d matrix"},
          {"init_std", F::Real, 0.1, 0.0, 1.0, "noise added to the identity at initialisation (word2mat: 0.1)"},
          ctxField(32)}, 5e-3},
        {"cmow-cbow", "CMOW/CBOW hybrid (Mai et al. 2019; Galke et al. 2022)", "methods.md A2", true,
         {{"width", F::Int, 128, 1, 16384, "CBOW vector size D"},
          {"window", F::Int, 2, 1, 8192, "previous tokens the CBOW half averages as a language model (including the current one)"},
          {"matrix", F::Int, 16, 2, 128, "CMOW matrix size d"},
          {"bidirectional", F::Bool, 0, 0, 1, "backward CMOW matrices for the encoder (Galke et al. 2022)"},
          {"init_std", F::Real, 0.1, 0.0, 1.0, "noise added to the identity at initialisation (word2mat: 0.1)"},
          ctxField(32)}, 5e-3},
        {"cnn-bilstm", "CNN + LSTM with a prediction head", "methods.md A3", true,
         {{"embed", F::Int, 64, 1, 4096, "token embedding size"},
          {"filters", F::Int, 128, 1, 8192, "convolution filters"},
          {"kernel", F::Int, 3, 1, 15, "convolution width (left-padded: causal)"},
          {"hidden", F::Int, 128, 1, 8192, "LSTM units per direction"},
          {"layers", F::Int, 1, 1, 8, "LSTM layers"},
          {"bidirectional", F::Bool, 0, 0, 1, "a backward LSTM stack for the encoder (never for the LM)"},
          {"dropout", F::Real, 0.1, 0.0, 0.95, "dropout before the head"},
          ctxField(64)}, 1e-2},
        {"lstm", "AWD-LSTM language model", "methods.md A4; Merity et al. 2018", true,
         {{"embed", F::Int, 128, 1, 8192, "embedding size (and last layer's units when tied)"},
          {"hidden", F::Int, 256, 1, 8192, "units of the inner layers"},
          {"layers", F::Int, 2, 1, 8, "LSTM layers"},
          {"tied", F::Bool, 1, 0, 1, "output weights tied to the embedding"},
          {"dropout_embed", F::Real, 0.05, 0.0, 0.95, "embedding dropout (whole rows)"},
          {"dropout_input", F::Real, 0.2, 0.0, 0.95, "locked dropout on the embedding output"},
          {"dropout_hidden", F::Real, 0.1, 0.0, 0.95, "locked dropout between layers"},
          {"dropout_output", F::Real, 0.1, 0.0, 0.95, "locked dropout on the last layer"},
          {"weight_drop", F::Real, 0.2, 0.0, 0.95, "DropConnect on the hidden-to-hidden weights"},
          {"carry_state", F::Bool, 1, 0, 1, "state carried across contiguous batches (truncated BPTT)"},
          ctxField(64)}, 1e-2},
    };
    return all;
}

const FamilyInfo& familyInfo(const std::string& family)
{
    std::string names;
    for (const auto& f : families()) {
        if (f.name == family)
            return f;
        names += (names.empty() ? "" : ", ") + f.name;
    }
    throw InputError("unknown family '" + family + "'; known families: " + names);
}

ModelSpec::ModelSpec()
{
    for (const auto& f : familyInfo(family).fields)
        fields[f.name] = f.def;
}

ModelSpec ModelSpec::defaults(const std::string& family)
{
    ModelSpec s;
    s.family = family;
    s.fields.clear();
    for (const auto& f : familyInfo(family).fields)
        s.fields[f.name] = f.def;
    return s;
}

ModelSpec ModelSpec::gpt(const TransformerSpec& t)
{
    ModelSpec s = defaults("transformer");
    s.set("layers", t.layers);
    s.set("heads", t.heads);
    s.set("width", t.width);
    s.set("context", t.context);
    s.set("dropout", t.dropout);
    s.set("head_dim", t.headDim);
    s.set("ffn", t.ffn);
    return s;
}

double ModelSpec::get(const std::string& field) const
{
    const auto it = fields.find(field);
    if (it == fields.end())
        throw InputError("spec: family " + family + " has no field '" + field + "'");
    return it->second;
}

TransformerSpec ModelSpec::transformer() const
{
    return {i("layers"), i("heads"), i("width"), i("context"), get("dropout"), i("head_dim"), i("ffn")};
}

ModelSpec ModelSpec::fromJson(const std::string& json, const std::string& source)
{
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(json);
    } catch (const nlohmann::json::parse_error& e) {
        throw InputError(source + ": not valid JSON at byte offset " + std::to_string(e.byte) + ": " + e.what());
    } catch (const nlohmann::json::exception& e) { // 1e999: a number out of range (found by fuzzing)
        throw InputError(source + ": not valid JSON: " + e.what());
    }
    if (!j.is_object())
        throw InputError(source + ": a model spec must be a JSON object");
    std::string family = "transformer";
    if (j.contains("family")) {
        if (!j["family"].is_string())
            throw InputError(source + ": field 'family' must be a string");
        family = j["family"].get<std::string>();
    }
    const FamilyInfo* info = nullptr;
    try {
        info = &familyInfo(family);
    } catch (const InputError& e) {
        throw InputError(source + ": field 'family': " + e.what());
    }
    ModelSpec spec = defaults(family);
    for (const auto& item : j.items()) {
        // Not a structured binding: clang before 16 cannot capture one in a lambda.
        const std::string key = item.key();
        const auto& value = item.value();
        if (key == "family")
            continue;
        const auto f = std::find_if(info->fields.begin(), info->fields.end(), [&](const auto& x) { return x.name == key; });
        if (f == info->fields.end()) {
            std::string known;
            for (const auto& x : info->fields)
                known += (known.empty() ? "" : ", ") + x.name;
            throw InputError(source + ": unknown field '" + key + "' for family " + family + " (fields: " + known + ")");
        }
        switch (f->type) {
        case F::Int:
            if (!value.is_number_integer())
                throw InputError(source + ": field '" + key + "' must be an integer");
            spec.fields[key] = static_cast<double>(value.get<std::int64_t>());
            break;
        case F::Real:
            if (!value.is_number())
                throw InputError(source + ": field '" + key + "' must be a number");
            spec.fields[key] = value.get<double>();
            break;
        case F::Bool:
            if (!value.is_boolean())
                throw InputError(source + ": field '" + key + "' must be true or false");
            spec.fields[key] = value.get<bool>() ? 1.0 : 0.0;
            break;
        }
    }
    spec.validate(source);
    return spec;
}

void ModelSpec::validate(const std::string& source) const
{
    const FamilyInfo& info = familyInfo(family);
    for (const auto& f : info.fields) {
        const auto it = fields.find(f.name);
        if (it == fields.end())
            throw InputError(source + ": field '" + f.name + "' is missing");
        const double v = it->second;
        if (!std::isfinite(v) || v < f.min || v > f.max || (f.type != F::Real && v != std::floor(v))) {
            std::ostringstream msg;
            msg << source << ": field '" << f.name << "' is " << v << ", must be ";
            if (f.type == F::Bool)
                msg << "true or false";
            else
                msg << "between " << f.min << " and " << f.max;
            if (f.name == "window" && v < 1)
                msg << " (a window below 1 sees no tokens)";
            throw InputError(msg.str());
        }
    }
    if (family == "transformer" && i("head_dim") == 0 && i("width") % i("heads") != 0)
        throw InputError(source + ": field 'heads' (" + std::to_string(i("heads")) + ") must divide field 'width' ("
                         + std::to_string(i("width")) + ")");
}

std::string ModelSpec::toJson() const
{
    nlohmann::json j;
    j["family"] = family;
    for (const auto& f : familyInfo(family).fields) {
        const double v = get(f.name);
        // A pruned Transformer's widths are written only when set.
        if (family == "transformer" && (f.name == "head_dim" || f.name == "ffn") && v == 0)
            continue;
        if (f.type == F::Int)
            j[f.name] = static_cast<std::int64_t>(v);
        else if (f.type == F::Bool)
            j[f.name] = v != 0.0;
        else
            j[f.name] = v;
    }
    return j.dump();
}

namespace {

// PyTorch LSTM layer: 4h(D_in + h) + 8h (two bias vectors), methods.md A3.
std::int64_t lstmLayer(std::int64_t in, std::int64_t h)
{
    return 4 * h * in + 4 * h * h + 8 * h;
}

// The layer widths of the AWD-LSTM stack: inner layers `hidden`, the last
// `embed` when tied (methods.md A4).
std::vector<std::int64_t> lstmWidths(const ModelSpec& s)
{
    std::vector<std::int64_t> w;
    for (int l = 0; l < s.i("layers"); ++l)
        w.push_back(l + 1 == s.i("layers") && s.b("tied") ? s.i("embed") : s.i("hidden"));
    return w;
}

} // namespace

std::int64_t ModelSpec::parameterCount(std::int64_t V) const
{
    if (family == "transformer") {
        // methods.md A5 (tied): L(12 d^2 + 13 d) + V d + n_ctx d + 2 d; with
        // a = heads x head width and f MLP units (both pruned), a layer is
        // 4 d a + 3 a + d (attention) + 2 d f + f + d (MLP) + 4 d (norms),
        // which is 12 d^2 + 13 d at a = d, f = 4 d.
        const TransformerSpec t = transformer();
        const std::int64_t L = t.layers, d = t.width, n = t.context, a = t.attentionWidth(), f = t.mlpWidth();
        return L * (4 * d * a + 3 * a + d + 2 * d * f + f + d + 4 * d) + V * d + n * d + 2 * d;
    }
    if (family == "fnn") {
        // methods.md A1: |V|(1 + n m + h) + h(1 + (n-1) m), minus |V|(n-1)m without direct connections.
        const std::int64_t w = i("window"), m = i("embed"), h = i("hidden");
        return V * (1 + (w + 1) * m + h) + h * (1 + w * m) - (b("direct") ? 0 : V * w * m);
    }
    if (family == "cbow") {
        const std::int64_t D = i("width");
        return V * D + D * V + V; // table, output layer with bias
    }
    if (family == "cmow") {
        const std::int64_t d2 = std::int64_t(i("matrix")) * i("matrix");
        return V * d2 + d2 * V + V;
    }
    if (family == "cmow-cbow") {
        const std::int64_t D = i("width"), d2 = std::int64_t(i("matrix")) * i("matrix");
        return V * D + V * d2 * (b("bidirectional") ? 2 : 1) + (D + d2) * V + V;
    }
    if (family == "cnn-bilstm") {
        const std::int64_t e = i("embed"), f = i("filters"), k = i("kernel"), h = i("hidden"), L = i("layers");
        std::int64_t lstm = lstmLayer(f, h) + (L - 1) * lstmLayer(h, h);
        if (b("bidirectional"))
            lstm *= 2;
        return V * e + (f * k * e + f) + lstm + h * V + V;
    }
    if (family == "lstm") {
        const std::int64_t e = i("embed");
        std::int64_t n = V * e, in = e;
        for (auto h : lstmWidths(*this)) {
            n += lstmLayer(in, h);
            in = h;
        }
        return n + (b("tied") ? V : in * V + V);
    }
    throw InputError("unknown family '" + family + "'");
}

std::string ModelSpec::parameterFormula() const
{
    if (family == "transformer")
        return "L(12d\xC2\xB2 + 13d) + Vd + n_ctx\xC2\xB7" "d + 2d";
    if (family == "fnn")
        return b("direct") ? "V(1 + nm + h) + h(1 + (n-1)m), n-1 = window" : "V(1 + m + h) + h(1 + (n-1)m), n-1 = window";
    if (family == "cbow")
        return "VD + DV + V";
    if (family == "cmow")
        return "Vd\xC2\xB2 + d\xC2\xB2V + V";
    if (family == "cmow-cbow")
        return b("bidirectional") ? "V(D + 2d\xC2\xB2) + (D + d\xC2\xB2)V + V" : "V(D + d\xC2\xB2) + (D + d\xC2\xB2)V + V";
    if (family == "cnn-bilstm")
        return std::string("Ve + (fke + f) + ") + (b("bidirectional") ? "2\xC3\x97" : "")
               + "[4h(f + h) + 8h + (L-1)(8h\xC2\xB2 + 8h)] + hV + V";
    if (family == "lstm")
        return std::string("Ve + \xCE\xA3 [4h\xE2\x82\x97(D\xE2\x82\x97 + h\xE2\x82\x97) + 8h\xE2\x82\x97] + ")
               + (b("tied") ? "V (tied decoder bias)" : "h\xE2\x82\x97V + V");
    return {};
}

double ModelSpec::inferenceFlopsPerToken(std::int64_t V) const
{
    if (family == "transformer") {
        // Forward = a third of 6N + 12 L T d (methods.md A5, PaLM convention).
        return trainingFlopsPerToken(V) / 3.0;
    }
    double macs = 0;
    if (family == "fnn") {
        const double w = i("window"), m = i("embed"), h = i("hidden");
        macs = w * m * h + h * V + (b("direct") ? w * m * V : 0);
    } else if (family == "cbow") {
        macs = double(i("width")) * V;
    } else if (family == "cmow") {
        const double d = i("matrix");
        macs = d * d * d + d * d * V; // one matrix product per token, then the output layer
    } else if (family == "cmow-cbow") {
        const double d = i("matrix"), D = i("width");
        macs = d * d * d + (D + d * d) * V;
    } else if (family == "cnn-bilstm") {
        const double e = i("embed"), f = i("filters"), k = i("kernel"), h = i("hidden"), L = i("layers");
        macs = f * k * e + 4 * h * (f + h) + (L - 1) * 8 * h * h + h * V;
    } else if (family == "lstm") {
        double in = i("embed");
        for (auto h : lstmWidths(*this)) {
            macs += 4.0 * h * (in + h);
            in = static_cast<double>(h);
        }
        macs += in * V;
    }
    return 2.0 * macs;
}

double ModelSpec::trainingFlopsPerToken(std::int64_t V) const
{
    if (family == "transformer") {
        // 6N + 12 L T d with N without the position table (nanoGPT estimate_mfu).
        const double N = static_cast<double>(parameterCount(V) - std::int64_t(i("context")) * i("width"));
        return 6.0 * N + 12.0 * i("layers") * i("context") * i("width");
    }
    return 3.0 * inferenceFlopsPerToken(V);
}

std::int64_t ModelSpec::trainingMemoryBytes(std::int64_t V, int batch) const
{
    // Floats kept per token for the backward pass, by family: a model of
    // what autograd saves, calibrated against the RSS growth that `lmwb
    // bench train` measures (tests/bench/zoo_bench.sh, docs/benchmarks.md).
    const double T = i("context");
    double perToken = 0;
    if (family == "transformer") {
        const double d = i("width"), L = i("layers"), H = i("heads");
        // Korthikanti et al. 2022: 34 s b h + 5 a s^2 b bytes per layer in
        // 16-bit, i.e. 17 d + 2.5 H T elements per token; no recomputation.
        perToken = L * (17 * d + 2.5 * H * T) + 4 * d;
    } else if (family == "fnn") {
        perToken = 2.0 * i("window") * i("embed") + 3.0 * i("hidden");
    } else if (family == "cbow") {
        // Embedding, prefix sum, shifted copy, difference, mean and their
        // gradients: 18 (B, T, D) tensors measured at the peak.
        perToken = 18.0 * i("width");
    } else if (family == "cmow") {
        perToken = 9.0 * i("matrix") * i("matrix"); // every prefix product and both bmm inputs, with gradients
    } else if (family == "cmow-cbow") {
        perToken = 9.0 * i("matrix") * i("matrix") + 5.5 * i("width");
    } else if (family == "cnn-bilstm") {
        perToken = 2.0 * i("embed") * i("kernel") + 2.0 * i("filters") + 10.0 * i("hidden") * i("layers") + 2.0 * i("hidden");
    } else if (family == "lstm") {
        double sum = 2.0 * i("embed");
        for (auto h : lstmWidths(*this))
            sum += 10.0 * static_cast<double>(h);
        perToken = sum;
    }
    const double tokens = static_cast<double>(batch) * T;
    const double logits = 3.0 * static_cast<double>(V); // logits, log-softmax, their gradient
    const double params = static_cast<double>(parameterCount(V));
    return static_cast<std::int64_t>(16.0 * params + 4.0 * tokens * (perToken + logits));
}

void ModelSpec::checkFitsInMemory(std::int64_t vocab, int batch) const
{
    const double need = static_cast<double>(trainingMemoryBytes(vocab, batch));
    const double have = static_cast<double>(::sysconf(_SC_PHYS_PAGES)) * static_cast<double>(::sysconf(_SC_PAGE_SIZE));
    if (have > 0 && need > 0.8 * have) {
        std::ostringstream msg;
        msg.precision(3);
        msg << "spec: the model is too large for this machine's memory: " << parameterCount(vocab)
            << " parameters and batch " << batch << " need about " << need / 1e9 << " GB to train, this machine has "
            << have / 1e9 << " GB (reduce a width, 'layers' or 'context')";
        throw InputError(msg.str());
    }
}

std::vector<std::string> ModelSpec::layerDiagram(std::int64_t V) const
{
    auto s = [](auto v) { return std::to_string(v); };
    std::vector<std::string> out;
    if (family == "transformer") {
        out.push_back("Token embedding " + s(V) + " \xC3\x97 " + s(i("width")) + " + positions " + s(i("context")));
        for (int l = 0; l < i("layers"); ++l)
            out.push_back("Block " + s(l + 1) + ": LayerNorm \xE2\x86\x92 attention " + s(i("heads")) + " heads"
                          + (i("head_dim") > 0 ? " of " + s(i("head_dim")) : std::string()) + " \xE2\x86\x92 LayerNorm \xE2\x86\x92 MLP "
                          + s(i("width")) + "\xE2\x86\x92" + s(transformer().mlpWidth()) + "\xE2\x86\x92" + s(i("width")));
        out.push_back("LayerNorm \xE2\x86\x92 output tied to the embedding \xE2\x86\x92 " + s(V));
    } else if (family == "fnn") {
        out.push_back("Embedding " + s(V) + " \xC3\x97 " + s(i("embed")) + " of the last " + s(i("window")) + " tokens, concatenated");
        out.push_back("tanh hidden layer " + s(i("window") * i("embed")) + " \xE2\x86\x92 " + s(i("hidden")));
        out.push_back("Output " + s(i("hidden")) + " \xE2\x86\x92 " + s(V) + (b("direct") ? " + direct connections" : ""));
    } else if (family == "cbow") {
        out.push_back("Embedding " + s(V) + " \xC3\x97 " + s(i("width")));
        out.push_back(std::string(b("mean") ? "Mean" : "Sum") + " over the last " + s(i("window")) + " tokens");
        out.push_back("Output " + s(i("width")) + " \xE2\x86\x92 " + s(V));
    } else if (family == "cmow" || family == "cmow-cbow") {
        const int d = i("matrix");
        if (family == "cmow-cbow")
            out.push_back("CBOW embedding " + s(V) + " \xC3\x97 " + s(i("width")) + " \xE2\x86\x92 prefix sum");
        out.push_back("Matrix embedding " + s(V) + " \xC3\x97 " + s(d) + "\xC3\x97" + s(d) + " \xE2\x86\x92 ordered prefix product");
        if (family == "cmow-cbow" && b("bidirectional"))
            out.push_back("Backward matrices " + s(V) + " \xC3\x97 " + s(d) + "\xC3\x97" + s(d) + " (encoder only)");
        const int in = d * d + (family == "cmow-cbow" ? i("width") : 0);
        out.push_back("Output " + s(in) + " \xE2\x86\x92 " + s(V));
    } else if (family == "cnn-bilstm") {
        out.push_back("Embedding " + s(V) + " \xC3\x97 " + s(i("embed")));
        out.push_back("Causal convolution width " + s(i("kernel")) + ", " + s(i("filters")) + " filters, tanh");
        for (int l = 0; l < i("layers"); ++l)
            out.push_back("LSTM " + s(l + 1) + ": " + s(i("hidden")) + " units" + (b("bidirectional") ? " (+ backward, encoder only)" : ""));
        out.push_back("Dropout \xE2\x86\x92 output " + s(i("hidden")) + " \xE2\x86\x92 " + s(V));
    } else if (family == "lstm") {
        out.push_back("Embedding " + s(V) + " \xC3\x97 " + s(i("embed")) + " (row dropout)");
        int l = 1;
        for (auto h : lstmWidths(*this))
            out.push_back("LSTM " + s(l++) + ": " + s(h) + " units (weight drop on W_hh, locked dropout)");
        out.push_back(std::string(b("tied") ? "Output tied to the embedding" : "Output layer") + " \xE2\x86\x92 " + s(V));
    }
    return out;
}

const std::vector<Preset>& presets()
{
    static const std::vector<Preset> all = [] {
        std::vector<Preset> p;
        auto make = [&](const std::string& name, const std::string& family, std::map<std::string, double> values,
                        const std::string& description) {
            ModelSpec s = ModelSpec::defaults(family);
            for (const auto& [k, v] : values)
                s.set(k, v);
            s.validate(name);
            p.push_back({name, description, s});
        };
        // The walking skeleton's names stay.
        make("tiny-gpt", "transformer", {}, "GPT, 4 layers x 4 heads, width 128, context 128");
        make("nano-gpt", "transformer", {{"layers", 2}, {"heads", 2}, {"width", 64}, {"context", 64}},
             "GPT, 2 layers x 2 heads, width 64, context 64 (seconds on a laptop)");
        make("small-gpt", "transformer", {{"layers", 6}, {"heads", 6}, {"width", 192}, {"context", 256}, {"dropout", 0.1}},
             "GPT, 6 layers x 6 heads, width 192, context 256");
        // tiny, small, base for every family.
        make("transformer-tiny", "transformer", {}, "GPT, 4 x 4, width 128, context 128");
        make("transformer-small", "transformer", {{"layers", 6}, {"heads", 6}, {"width", 192}, {"context", 256}, {"dropout", 0.1}},
             "GPT, 6 x 6, width 192, context 256");
        make("transformer-base", "transformer", {{"layers", 8}, {"heads", 8}, {"width", 384}, {"context", 256}, {"dropout", 0.1}},
             "GPT, 8 x 8, width 384, context 256");
        make("fnn-tiny", "fnn", {}, "Bengio LM, 5 previous tokens, 32-d vectors, 128 hidden");
        make("fnn-small", "fnn", {{"window", 8}, {"embed", 64}, {"hidden", 512}}, "Bengio LM, 8 tokens, 64-d, 512 hidden");
        make("fnn-base", "fnn", {{"window", 12}, {"embed", 128}, {"hidden", 2048}}, "Bengio LM, 12 tokens, 128-d, 2048 hidden");
        make("cbow-tiny", "cbow", {}, "CBOW, mean of 2 tokens, width 128");
        make("cbow-small", "cbow", {{"window", 4}, {"width", 512}}, "CBOW, mean of 4 tokens, width 512");
        make("cbow-base", "cbow", {{"window", 16}, {"width", 2048}}, "CBOW, mean of 16 tokens, width 2048");
        make("cmow-tiny", "cmow", {}, "CMOW, 16 x 16 matrices");
        make("cmow-small", "cmow", {{"matrix", 28}}, "CMOW, 28 x 28 matrices (the paper's single model)");
        make("cmow-base", "cmow", {{"matrix", 48}, {"context", 64}, {"init_std", 0.01}}, "CMOW, 48 x 48 matrices");
        make("cmow-cbow-tiny", "cmow-cbow", {}, "hybrid, CBOW 128 + 16 x 16 CMOW");
        make("cmow-cbow-small", "cmow-cbow", {{"width", 400}, {"matrix", 20}}, "hybrid, 400 + 20 x 20 (the paper's setting)");
        make("cmow-cbow-base", "cmow-cbow", {{"width", 400}, {"matrix", 20}, {"bidirectional", 1}, {"init_std", 0.01}},
             "bidirectional hybrid with the tables of Galke et al. 2022's student (CBOW 400, forward and backward 20 x 20, "
             "init std 0.01), trained as a causal LM: the backward matrices serve the encoder only");
        make("cnn-bilstm-tiny", "cnn-bilstm", {}, "CNN (128 filters, width 3) + LSTM 128");
        make("cnn-bilstm-small", "cnn-bilstm", {{"filters", 256}, {"hidden", 256}, {"layers", 2}}, "CNN 256 + 2 LSTM layers of 256");
        make("cnn-bilstm-base", "cnn-bilstm", {{"embed", 128}, {"filters", 512}, {"hidden", 650}, {"layers", 2}, {"bidirectional", 1}},
             "CNN 512 + bidirectional 2 x 650 (Kim et al.'s LSTM size)");
        make("lstm-tiny", "lstm", {}, "AWD-LSTM, 2 layers, 256 / 128 units, tied");
        make("lstm-small", "lstm", {{"embed", 200}, {"hidden", 512}, {"layers", 3}}, "AWD-LSTM, 3 layers, 512 / 200, tied");
        make("lstm-base", "lstm",
             {{"embed", 400}, {"hidden", 1150}, {"layers", 3}, {"dropout_embed", 0.1}, {"dropout_input", 0.4},
              {"dropout_hidden", 0.25}, {"dropout_output", 0.4}, {"weight_drop", 0.5}},
             "AWD-LSTM as Merity et al. trained it on PTB: 400 / 1150, 3 layers, tied, their dropouts (0.1, 0.4, 0.25, 0.4, weight drop 0.5)");
        // equal-1m: about one million parameters each with ~115 characters.
        make("transformer-1m", "transformer", {{"width", 144}}, "equal-1m: GPT 4 x 4, width 144");
        make("fnn-1m", "fnn", {{"window", 8}, {"embed", 64}, {"hidden", 1536}}, "equal-1m: Bengio LM, 8 tokens, 1536 hidden");
        make("cbow-1m", "cbow", {{"width", 4096}}, "equal-1m: CBOW width 4096");
        // Noise std 0.01 (seq2mat) for big matrices: with 0.1 the products of
        // 64 x 64 matrices blow up over a 32-token context.
        make("cmow-1m", "cmow", {{"matrix", 64}, {"init_std", 0.01}}, "equal-1m: CMOW 64 x 64");
        make("cmow-cbow-1m", "cmow-cbow", {{"width", 3072}, {"matrix", 32}, {"init_std", 0.01}}, "equal-1m: hybrid 3072 + 32 x 32");
        make("cnn-bilstm-1m", "cnn-bilstm", {{"filters", 256}, {"hidden", 368}}, "equal-1m: CNN 256 + LSTM 368");
        make("lstm-1m", "lstm", {{"embed", 192}, {"hidden", 320}}, "equal-1m: AWD-LSTM 320 / 192, tied");
        return p;
    }();
    return all;
}

std::vector<std::string> equalOneMillionSet()
{
    std::vector<std::string> out;
    for (const auto& f : families())
        out.push_back(f.name + "-1m");
    return out;
}

ModelSpec resolveSpec(const std::string& presetOrFile)
{
    for (const auto& p : presets())
        if (p.name == presetOrFile)
            return p.spec;
    namespace fs = std::filesystem;
    std::error_code ec;
    if (!fs::is_regular_file(presetOrFile, ec)) {
        std::string names;
        for (const auto& p : presets())
            names += (names.empty() ? "" : ", ") + p.name;
        throw InputError("--arch '" + presetOrFile + "' is neither a preset (" + names + ") nor a readable JSON file");
    }
    return ModelSpec::fromJson(readFile(presetOrFile), presetOrFile);
}

} // namespace wb
