// SPDX-License-Identifier: GPL-3.0-or-later
// The settings table. A setting's default, range and help are written here
// and nowhere else: TrainSettings' constructor, the CLI's options, the GUI's
// forms, sweeps and run-config JSON all read them from this table.
#include "settings/settings.h"
#include "models/finetune_layers.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <type_traits>

// Marks labels and help for lupdate (translations/ reads this file); the
// engine has no Qt, so the marker is the text itself.
#define QT_TRANSLATE_NOOP(scope, text) text

namespace wb {

namespace {

template <class T> SettingValue toValue(const T& v)
{
    if constexpr (std::is_same_v<T, bool>)
        return v;
    else if constexpr (std::is_enum_v<T>)
        return enumName(v);
    else if constexpr (std::is_integral_v<T>)
        return static_cast<std::int64_t>(v);
    else if constexpr (std::is_floating_point_v<T>)
        return static_cast<double>(v);
    else
        return std::string(v);
}

template <class T> T fromValue(const SettingValue& v)
{
    if constexpr (std::is_same_v<T, bool>)
        return std::get<bool>(v);
    else if constexpr (std::is_enum_v<T>)
        return *parseEnum<T>(std::get<std::string>(v));
    else if constexpr (std::is_integral_v<T>)
        return static_cast<T>(std::get<std::int64_t>(v));
    else if constexpr (std::is_floating_point_v<T>)
        return std::holds_alternative<double>(v) ? std::get<double>(v) : static_cast<double>(std::get<std::int64_t>(v));
    else
        return std::get<std::string>(v);
}

// A setting bound to the TrainSettings member M.
template <auto M>
Setting bind(std::string key, SettingValue def, SettingType type, std::string group, const char* label, const char* help)
{
    using T = std::remove_cvref_t<decltype(std::declval<TrainSettings&>().*M)>;
    Setting s;
    s.key = std::move(key);
    s.type = type;
    s.defaultValue = std::move(def);
    s.group = std::move(group);
    s.label = label;
    s.help = help;
    s.get = [](const TrainSettings& t) { return toValue<T>(t.*M); };
    s.set = [](TrainSettings& t, const SettingValue& v) { t.*M = fromValue<T>(v); };
    if constexpr (std::is_enum_v<T>)
        s.choices = enumNames<T>();
    return s;
}

template <auto M>
Setting integer(std::string key, std::int64_t def, double lo, double hi, std::string group, const char* label,
                const char* help)
{
    Setting s = bind<M>(std::move(key), def, SettingType::Integer, std::move(group), label, help);
    s.min = lo;
    s.max = hi;
    return s;
}

template <auto M>
Setting real(std::string key, double def, double lo, double hi, std::string group, const char* label, const char* help,
             bool minExclusive = false)
{
    Setting s = bind<M>(std::move(key), def, SettingType::Real, std::move(group), label, help);
    s.min = lo;
    s.max = hi;
    s.minExclusive = minExclusive;
    return s;
}

Setting automatic(Setting s, double value, std::string how)
{
    s.autoValue = value;
    s.autoHelp = std::move(how);
    s.defaultValue = s.type == SettingType::Integer ? SettingValue(static_cast<std::int64_t>(value)) : SettingValue(value);
    return s;
}

Setting withFlag(Setting s, std::string flag)
{
    s.flag = std::move(flag);
    return s;
}

constexpr double kMaxSteps = 1e8;
constexpr double kMaxSeed = 9.2e18; // below 2^63

std::vector<Setting> buildTable()
{
    using T = TrainSettings;
    using ST = SettingType;
    std::vector<Setting> v;
    // Run
    v.push_back(integer<&T::steps>("steps", 2000, 1, kMaxSteps, "Run", QT_TRANSLATE_NOOP("Settings", "Steps"),
        QT_TRANSLATE_NOOP("Settings", "Optimizer steps of the run")));
    v.push_back(integer<&T::batch>("batch", 16, 1, 65536, "Run", QT_TRANSLATE_NOOP("Settings", "Batch"),
        QT_TRANSLATE_NOOP("Settings", "Sequences per micro-batch (the global batch when data-parallel)")));
    v.push_back(integer<&T::accumulate>("accumulate", 1, 1, 4096, "Run", QT_TRANSLATE_NOOP("Settings", "Accumulate"),
        QT_TRANSLATE_NOOP("Settings", "Micro-batches per optimizer step (gradient accumulation)")));
    v.push_back(integer<&T::seed>("seed", 1337, 0, kMaxSeed, "Run", QT_TRANSLATE_NOOP("Settings", "Seed"),
        QT_TRANSLATE_NOOP("Settings", "Seeds the weights and the batch order: the same seed gives the same run")));
    // Device
    v.push_back(bind<&T::device>("device", std::string("cpu"), ST::Choice, "Device", QT_TRANSLATE_NOOP("Settings", "Device"),
        QT_TRANSLATE_NOOP("Settings", "cpu or cuda (the CLI also takes auto: cuda when a GPU is visible)")));
    v.push_back(bind<&T::precision>("precision", std::string("fp32"), ST::Choice, "Device", QT_TRANSLATE_NOOP("Settings", "Precision"),
        QT_TRANSLATE_NOOP("Settings", "fp32, or bf16: the forward pass under autocast to bfloat16 (weights, optimizer state and loss stay fp32)")));
    v.push_back(bind<&T::kernels>("kernels", std::string("fused"), ST::Choice, "Device", QT_TRANSLATE_NOOP("Settings", "Kernels"),
        QT_TRANSLATE_NOOP("Settings", "fused: the engine's fused CPU kernels for linear layers, GELU and causal attention, on every core; reference: LibTorch's own ops (always on CUDA and under bf16)")));
    v.push_back(integer<&T::threads>("threads", 0, 0, 1024, "Device", QT_TRANSLATE_NOOP("Settings", "Threads"),
        QT_TRANSLATE_NOOP("Settings", "CPU threads for LibTorch; 0: all cores (OpenBLAS is held to one thread)")));
    // Optimizer
    v.push_back(bind<&T::optimizer>("optimizer", std::string("adamw"), ST::Choice, "Optimizer", QT_TRANSLATE_NOOP("Settings", "Optimizer"),
        QT_TRANSLATE_NOOP("Settings", "sgd, adam (L2 penalty), adamw (decoupled weight decay) or radam (Liu et al. 2020)")));
    v.push_back(automatic(real<&T::lr>("lr", 0, 0, 100, "Optimizer", QT_TRANSLATE_NOOP("Settings", "Learning rate"),
        QT_TRANSLATE_NOOP("Settings", "Peak learning rate"), /*minExclusive=*/true), 0, "the family's own rate"));
    v.push_back(real<&T::weightDecay>("weight_decay", 0.1, 0, 10, "Optimizer", QT_TRANSLATE_NOOP("Settings", "Weight decay"),
        QT_TRANSLATE_NOOP("Settings", "On weight matrices only, not on norms, biases or positions")));
    v.push_back(real<&T::beta1>("beta1", 0.9, 0, 0.999999, "Optimizer", QT_TRANSLATE_NOOP("Settings", "Beta 1"),
        QT_TRANSLATE_NOOP("Settings", "Adam's first-moment decay")));
    v.push_back(real<&T::beta2>("beta2", 0.99, 0, 0.999999, "Optimizer", QT_TRANSLATE_NOOP("Settings", "Beta 2"),
        QT_TRANSLATE_NOOP("Settings", "Adam's second-moment decay")));
    v.push_back(real<&T::momentum>("momentum", 0.9, 0, 0.999999, "Optimizer", QT_TRANSLATE_NOOP("Settings", "Momentum"),
        QT_TRANSLATE_NOOP("Settings", "SGD momentum")));
    v.push_back(bind<&T::nesterov>("nesterov", false, ST::Flag, "Optimizer", QT_TRANSLATE_NOOP("Settings", "Nesterov"),
        QT_TRANSLATE_NOOP("Settings", "SGD with Nesterov momentum (needs momentum above 0)")));
    v.push_back(real<&T::clip>("clip", 1.0, 0, 1e9, "Optimizer", QT_TRANSLATE_NOOP("Settings", "Gradient clip"),
        QT_TRANSLATE_NOOP("Settings", "Global gradient-norm clip; 0 disables clipping (the divergence guard still runs)")));
    // Schedule
    v.push_back(bind<&T::schedule>("schedule", std::string("cosine"), ST::Choice, "Schedule", QT_TRANSLATE_NOOP("Settings", "Schedule"),
        QT_TRANSLATE_NOOP("Settings", "constant, cosine (to min_lr), linear, step (a tenth every third of the run), onecycle (PyTorch's OneCycleLR defaults: rate and momentum cycled) or stlr (ULMFiT's slanted triangular)")));
    v.push_back(integer<&T::warmup>("warmup", 100, 0, kMaxSteps, "Schedule", QT_TRANSLATE_NOOP("Settings", "Warm-up steps"),
        QT_TRANSLATE_NOOP("Settings", "Linear warm-up steps, at most a tenth of the run")));
    v.push_back(automatic(real<&T::minLr>("min_lr", 0, 0, 100, "Schedule", QT_TRANSLATE_NOOP("Settings", "Final learning rate"),
        QT_TRANSLATE_NOOP("Settings", "Where cosine and linear decay end")), -1, "a tenth of lr"));
    // Evaluation
    v.push_back(automatic(integer<&T::evalEvery>("eval_every", 0, 1, kMaxSteps, "Evaluation", QT_TRANSLATE_NOOP("Settings", "Evaluate every"),
        QT_TRANSLATE_NOOP("Settings", "Steps between evaluations on the validation split")), 0, "steps/4, at most 100"));
    v.push_back(integer<&T::evalTokens>("eval_tokens", 32768, 1, 1e12, "Evaluation", QT_TRANSLATE_NOOP("Settings", "Evaluation tokens"),
        QT_TRANSLATE_NOOP("Settings", "Validation tokens scored by each periodic evaluation; the final one scores the whole split")));
    v.push_back(integer<&T::logEvery>("log_every", 1, 1, kMaxSteps, "Evaluation", QT_TRANSLATE_NOOP("Settings", "Log every"),
        QT_TRANSLATE_NOOP("Settings", "Steps between training-loss readings (10 on a GPU when left at 1)")));
    v.push_back(integer<&T::sampleTokens>("sample_tokens", 200, 0, 100000, "Evaluation", QT_TRANSLATE_NOOP("Settings", "Sample tokens"),
        QT_TRANSLATE_NOOP("Settings", "Tokens of text generated at each evaluation; 0: none")));
    v.push_back(bind<&T::samplePrompt>("sample_prompt", std::string("\n"), ST::Text, "Evaluation", QT_TRANSLATE_NOOP("Settings", "Sample prompt"),
        QT_TRANSLATE_NOOP("Settings", "The text samples continue")));
    v.push_back(integer<&T::patience>("patience", 0, 0, 1e6, "Evaluation", QT_TRANSLATE_NOOP("Settings", "Patience"),
        QT_TRANSLATE_NOOP("Settings", "Early stopping after this many evaluations without a better validation loss; 0: off")));
    v.push_back(real<&T::divergeFactor>("diverge_factor", 4.0, 0, 1e6, "Evaluation", QT_TRANSLATE_NOOP("Settings", "Divergence factor"),
        QT_TRANSLATE_NOOP("Settings", "A training loss above this times the first one ends the run as diverged; 0: only NaN/Inf")));
    v.push_back(real<&T::backwardLmWeight>("backward_lm_weight", 0.1, 0, 100, "Optimizer", QT_TRANSLATE_NOOP("Settings", "Backward LM weight"),
        QT_TRANSLATE_NOOP("Settings", "cnn-bilstm and the bidirectional cmow-cbow: the backward stack learns as a backward language model with this weight beside the forward loss (Rei 2017: 0.1); 0: it stays untrained")));
    v.push_back(real<&T::activationReg>("ar", 0, 0, 100, "Optimizer", QT_TRANSLATE_NOOP("Settings", "Activation regularisation"),
        QT_TRANSLATE_NOOP("Settings", "lstm: AR, alpha x mean squared dropped output of the last layer added to the loss (AWD-LSTM: 2); 0: off")));
    v.push_back(real<&T::temporalActivationReg>("tar", 0, 0, 100, "Optimizer", QT_TRANSLATE_NOOP("Settings", "Temporal activation regularisation"),
        QT_TRANSLATE_NOOP("Settings", "lstm: TAR, beta x mean squared change of the last layer's output from step to step (AWD-LSTM: 1); 0: off")));
    // Fine-tuning (lmwb finetune; a pretraining run is task lm, method full)
    v.push_back(bind<&T::task>("task", std::string("lm"), ST::Choice, "Fine-tuning", QT_TRANSLATE_NOOP("Settings", "Task"),
        QT_TRANSLATE_NOOP("Settings", "lm: go on modelling language, on the target corpus (ULMFiT's stage b); classify: a head on the encoder predicts each document's label (a labeled corpus); pairs: the target text after a prompt, the loss on the target only (a pairs corpus)")));
    v.push_back(integer<&T::examplesPerClass>("examples_per_class", 0, 0, 1e9, "Fine-tuning", QT_TRANSLATE_NOOP("Settings", "Examples per class"),
        QT_TRANSLATE_NOOP("Settings", "classify: train on at most this many labeled documents of each class (the first of the training split); 0: all of them")));
    v.push_back(bind<&T::method>("method", std::string("full"), ST::Choice, "Fine-tuning", QT_TRANSLATE_NOOP("Settings", "Method"),
        QT_TRANSLATE_NOOP("Settings", "full: every parameter; ulmfit: discriminative rates and gradual unfreezing (methods.md B7); l-eo: the embeddings and output layer only; l-ldb: the last block or layer only (B10); mtl: every parameter, plus an auxiliary language-model loss on the task's own text (SiATL, B8); prefix: a frozen Transformer with trained key/value prefixes in every layer (B10); smart: every parameter, with SMART's adversarial smoothness and proximal terms (B9)")));
    v.push_back(automatic(integer<&T::unfreezeEvery>("unfreeze_every", 0, 1, kMaxSteps, "Fine-tuning", QT_TRANSLATE_NOOP("Settings", "Unfreeze every"),
        QT_TRANSLATE_NOOP("Settings", "ulmfit: steps between unfreezing the next lower layer group (the top group trains from the start)")),
        0, "steps / (2 x layer groups): all unfrozen by half-way"));
    v.push_back(real<&T::discriminativeFactor>("discriminative_factor", 2.6, 1, 100, "Fine-tuning", QT_TRANSLATE_NOOP("Settings", "Discriminative factor"),
        QT_TRANSLATE_NOOP("Settings", "ulmfit: each lower layer group learns at the rate of the group above divided by this (Howard & Ruder: 2.6)")));
    v.push_back(real<&T::auxLmWeight>("aux_lm_weight", 0.2, 0, 100, "Fine-tuning", QT_TRANSLATE_NOOP("Settings", "Auxiliary LM weight"),
        QT_TRANSLATE_NOOP("Settings", "mtl: gamma at the start, the weight of the language-model loss in L = L_task + gamma L_LM (SiATL; 0.1 to 1 suggested)")));
    v.push_back(automatic(integer<&T::auxLmHalfLife>("aux_lm_half_life", 0, 1, kMaxSteps, "Fine-tuning", QT_TRANSLATE_NOOP("Settings", "Auxiliary LM half-life"),
        QT_TRANSLATE_NOOP("Settings", "mtl: steps in which gamma halves: gamma_t = gamma_0 x 0.5^(t / half-life)")),
        0, "steps / 4"));
    v.push_back(integer<&T::prefixLength>("prefix_length", 10, 1, 1024, "Fine-tuning", QT_TRANSLATE_NOOP("Settings", "Prefix length"),
        QT_TRANSLATE_NOOP("Settings", "prefix: virtual tokens L_p whose keys and values every layer's attention sees first (Li & Liang: 10 to 200)")));
    v.push_back(integer<&T::prefixHidden>("prefix_hidden", 512, 1, 65536, "Fine-tuning", QT_TRANSLATE_NOOP("Settings", "Prefix MLP width"),
        QT_TRANSLATE_NOOP("Settings", "prefix: hidden width k of the MLP that makes the prefix while training (only the prefix is stored)")));
    v.push_back(real<&T::smartLambda>("smart_lambda", 1.0, 0, 1000, "Fine-tuning", QT_TRANSLATE_NOOP("Settings", "SMART adversarial weight"),
        QT_TRANSLATE_NOOP("Settings", "smart: lambda_s, the weight of the smoothness term on perturbed embeddings (paper: 1, 3 or 5)")));
    v.push_back(real<&T::smartMu>("smart_mu", 1.0, 0, 1000, "Fine-tuning", QT_TRANSLATE_NOOP("Settings", "SMART proximal weight"),
        QT_TRANSLATE_NOOP("Settings", "smart: mu, the weight of the Bregman proximal term against the moving-average teacher")));
    v.push_back(real<&T::smartEta>("smart_eta", 1e-3, 0, 1, "Fine-tuning", QT_TRANSLATE_NOOP("Settings", "SMART step"),
        QT_TRANSLATE_NOOP("Settings", "smart: eta, the size of the ascent step on the embeddings (infinity norm per token)")));
    v.push_back(real<&T::smartSigma>("smart_sigma", 1e-5, 0, 1, "Fine-tuning", QT_TRANSLATE_NOOP("Settings", "SMART noise"),
        QT_TRANSLATE_NOOP("Settings", "smart: sigma, the standard deviation of the noise the ascent starts from")));
    // Distillation (lmwb distill)
    v.push_back(withFlag(real<&T::kdAlpha>("kd_alpha", 0.5, 0, 1, "Distillation", QT_TRANSLATE_NOOP("Settings", "Soft-target weight"),
        QT_TRANSLATE_NOOP("Settings", "distill: alpha in L = alpha T^2 KL(p_T || q_T) + (1 - alpha) CE, the weight of the teacher's softened outputs (Hinton et al. 2015); 0: the labels alone")), "--alpha"));
    v.push_back(withFlag(real<&T::kdTemperature>("kd_temperature", 2.0, 0, 100, "Distillation", QT_TRANSLATE_NOOP("Settings", "Temperature"),
        QT_TRANSLATE_NOOP("Settings", "distill: T, dividing both models' logits before the softmax of the soft term (DistilBERT: 2; Hinton et al.: 2.5 to 4 for very small students)"), /*minExclusive=*/true), "--temperature"));
    v.push_back(withFlag(real<&T::kdHiddenWeight>("kd_hidden_weight", 0, 0, 100, "Distillation", QT_TRANSLATE_NOOP("Settings", "Hidden-state weight"),
        QT_TRANSLATE_NOOP("Settings", "distill: weight of DistilBERT's cosine term, 1 - cos(W h_student, h_teacher) on the states each model's output layer reads, W a learned projection from the student's width to the teacher's (trained with the student, not kept); 0: off")), "--hidden-weight"));
    v.push_back(withFlag(bind<&T::kdLayerInit>("kd_layer_init", false, ST::Flag, "Distillation", QT_TRANSLATE_NOOP("Settings", "Start from teacher layers"),
        QT_TRANSLATE_NOOP("Settings", "distill: a Transformer student of the teacher's width and heads, with a k-th of its blocks, starts from the teacher's embeddings, final norm and every k-th block (DistilBERT)")), "--init-from-teacher"));
    v.push_back(withFlag(integer<&T::kdTopkCache>("kd_topk_cache", 0, 0, 65536, "Distillation", QT_TRANSLATE_NOOP("Settings", "Teacher top-k cache"),
        QT_TRANSLATE_NOOP("Settings", "distill: compute the teacher's k largest logits at every training position once, into a memory-mapped file, and train against them (renormalised over the k) instead of running the teacher each step; 0: the live teacher")), "--topk-cache"));
    // Checkpoints
    v.push_back(integer<&T::checkpointEvery>("checkpoint_every", 0, 0, kMaxSteps, "Checkpoints", QT_TRANSLATE_NOOP("Settings", "Checkpoint every"),
        QT_TRANSLATE_NOOP("Settings", "A resumable checkpoint every N steps; 0: only at the end and on Stop")));
    v.push_back(integer<&T::keepCheckpoints>("keep_checkpoints", 3, 1, 1000, "Checkpoints", QT_TRANSLATE_NOOP("Settings", "Keep checkpoints"),
        QT_TRANSLATE_NOOP("Settings", "Periodic checkpoints kept (the last K, plus the best by validation loss)")));
    v.push_back(withFlag(real<&T::checkpointMinutes>("checkpoint_minutes", 0, 0, 1e6, "Checkpoints", QT_TRANSLATE_NOOP("Settings", "Checkpoint minutes"),
        QT_TRANSLATE_NOOP("Settings", "Also a checkpoint every M minutes of training; 0: off")), "--minutes"));
    return v;
}

bool isWhole(double x)
{
    return std::isfinite(x) && std::floor(x) == x;
}

} // namespace

std::string formatNumber(double x)
{
    if (std::isnan(x))
        return "nan";
    if (std::isinf(x))
        return x > 0 ? "inf" : "-inf";
    char buf[48];
    if (isWhole(x) && std::fabs(x) < 1e15)
        std::snprintf(buf, sizeof buf, "%.0f", x);
    else
        std::snprintf(buf, sizeof buf, "%.6g", x);
    std::string s = buf;
    // 1e-09 -> 1e-9, 1e+06 -> 1e6
    if (const auto e = s.find('e'); e != std::string::npos) {
        std::string mant = s.substr(0, e), exp = s.substr(e + 1);
        const bool neg = !exp.empty() && exp[0] == '-';
        if (!exp.empty() && (exp[0] == '-' || exp[0] == '+'))
            exp.erase(0, 1);
        while (exp.size() > 1 && exp[0] == '0')
            exp.erase(0, 1);
        s = mant + "e" + (neg ? "-" : "") + exp;
    }
    return s;
}

std::string Setting::cliFlag() const
{
    if (!flag.empty())
        return flag;
    std::string f = "--" + key;
    for (auto& c : f)
        if (c == '_')
            c = '-';
    return f;
}

bool Setting::isAuto(const SettingValue& v) const
{
    if (!autoValue)
        return false;
    if (const auto* i = std::get_if<std::int64_t>(&v))
        return static_cast<double>(*i) == *autoValue;
    if (const auto* d = std::get_if<double>(&v))
        return *d == *autoValue;
    return false;
}

std::string Setting::rangeText() const
{
    switch (type) {
    case SettingType::Integer:
        return "between " + formatNumber(min) + " and " + formatNumber(max);
    case SettingType::Real:
        if (maxExclusive)
            return (minExclusive ? "greater than " : "at least ") + formatNumber(min) + " and below " + formatNumber(max);
        return minExclusive ? "greater than " + formatNumber(min) + " and at most " + formatNumber(max)
                            : "between " + formatNumber(min) + " and " + formatNumber(max);
    case SettingType::Choice: {
        std::string s = "one of ";
        for (std::size_t i = 0; i < choices.size(); ++i)
            s += (i ? ", " : "") + choices[i];
        return s;
    }
    case SettingType::Flag:
        return "true or false";
    case SettingType::Text:
        return "text";
    }
    return {};
}

std::string Setting::problem(const SettingValue& v) const
{
    switch (type) {
    case SettingType::Integer: {
        const auto* i = std::get_if<std::int64_t>(&v);
        if (!i)
            return "must be an integer";
        if (isAuto(v))
            return {};
        const double x = static_cast<double>(*i);
        if (x < min || x > max)
            return "must be " + rangeText();
        return {};
    }
    case SettingType::Real: {
        double x = 0;
        if (const auto* d = std::get_if<double>(&v))
            x = *d;
        else if (const auto* i = std::get_if<std::int64_t>(&v))
            x = static_cast<double>(*i);
        else
            return "must be a number";
        if (isAuto(v))
            return {};
        if (!std::isfinite(x) || x < min || x > max || (minExclusive && x <= min) || (maxExclusive && x >= max))
            return "must be " + rangeText();
        return {};
    }
    case SettingType::Flag:
        return std::holds_alternative<bool>(v) ? std::string() : "must be true or false";
    case SettingType::Text:
        return std::holds_alternative<std::string>(v) ? std::string() : "must be text";
    case SettingType::Choice: {
        const auto* s = std::get_if<std::string>(&v);
        if (!s)
            return "must be " + rangeText();
        for (const auto& c : choices)
            if (c == *s)
                return {};
        return "'" + *s + "': expected " + rangeText();
    }
    }
    return {};
}

const std::vector<Setting>& trainSettings()
{
    static const std::vector<Setting> table = buildTable();
    return table;
}

const Setting* findSetting(const std::string& key)
{
    for (const auto& s : trainSettings())
        if (s.key == key)
            return &s;
    return nullptr;
}

std::string settingText(const SettingValue& v)
{
    if (const auto* i = std::get_if<std::int64_t>(&v))
        return std::to_string(*i);
    if (const auto* d = std::get_if<double>(&v))
        return formatNumber(*d);
    if (const auto* b = std::get_if<bool>(&v))
        return *b ? "true" : "false";
    return std::get<std::string>(v);
}

SettingValue parseSetting(const Setting& s, const std::string& text)
{
    errno = 0;
    char* end = nullptr;
    switch (s.type) {
    case SettingType::Integer: {
        if (text == "auto" && s.autoValue)
            return static_cast<std::int64_t>(*s.autoValue);
        const long long x = std::strtoll(text.c_str(), &end, 10);
        if (text.empty() || *end != '\0' || errno == ERANGE)
            throw SettingError(s.key, "expects an integer, got '" + text + "'");
        return static_cast<std::int64_t>(x);
    }
    case SettingType::Real: {
        const double x = std::strtod(text.c_str(), &end);
        if (text == "auto" && s.autoValue)
            return *s.autoValue;
        if (text.empty() || *end != '\0' || errno == ERANGE || !std::isfinite(x))
            throw SettingError(s.key, "expects a number, got '" + text + "'");
        // The auto value of a range open at its minimum (lr's 0) is spelled
        // "auto"; typed as a number it is out of range.
        if (s.autoValue && x == *s.autoValue && s.minExclusive && x <= s.min)
            throw SettingError(s.key, "must be " + s.rangeText() + ", got " + text);
        return x;
    }
    case SettingType::Flag:
        if (text.empty() || text == "true" || text == "1" || text == "yes" || text == "on")
            return true;
        if (text == "false" || text == "0" || text == "no" || text == "off")
            return false;
        throw SettingError(s.key, "expects true or false, got '" + text + "'");
    case SettingType::Text:
    case SettingType::Choice:
        return text;
    }
    return text;
}

void checkSetting(const Setting& s, const SettingValue& v, const std::string& asTyped)
{
    const std::string p = s.problem(v);
    if (p.empty())
        return;
    if (s.type == SettingType::Choice)
        throw SettingError(s.key, p);
    const std::string shown = asTyped.empty() ? settingText(v) : asTyped;
    throw SettingError(s.key, p + ", got " + shown);
}

void assignSetting(TrainSettings& t, const Setting& s, const SettingValue& v, const std::string& asTyped)
{
    checkSetting(s, v, asTyped);
    if (s.type == SettingType::Real && std::holds_alternative<std::int64_t>(v))
        s.set(t, static_cast<double>(std::get<std::int64_t>(v)));
    else
        s.set(t, v);
}

TrainSettings::TrainSettings()
{
    for (const auto& s : trainSettings())
        s.set(*this, s.defaultValue);
}

void resolveDefaults(TrainSettings& t)
{
    if (t.evalEvery == 0)
        t.evalEvery = std::min<std::int64_t>(100, std::max<std::int64_t>(1, t.steps / 4));
    if (t.minLr < 0)
        t.minLr = t.lr / 10;
    t.warmup = std::min(t.warmup, t.steps / 10);
    if (t.device == Device::Cuda && t.logEvery == 1)
        t.logEvery = 10;
}

RunConfig buildRunConfig(const RunRequest& r)
{
    RunConfig cfg;
    cfg.corpus = r.corpus;
    cfg.arch = r.arch;
    cfg.tokenizer = r.tokenizer;
    if (cfg.corpus.empty())
        throw SettingError("corpus", "is required");
    if (cfg.arch.empty())
        throw SettingError("arch", "is required");
    cfg.spec = r.specJson.empty() ? resolveSpec(cfg.arch) : ModelSpec::fromJson(r.specJson, cfg.arch);
    for (const auto& [key, text] : r.values) {
        if (key == "context") {
            char* end = nullptr;
            errno = 0;
            const long long n = std::strtoll(text.c_str(), &end, 10);
            if (text.empty() || *end != '\0' || errno == ERANGE)
                throw SettingError("context", "expects an integer, got '" + text + "'");
            if (n < 2 || n > 8192)
                throw SettingError("context", "must be between 2 and 8192, got " + text);
            cfg.spec.set("context", static_cast<double>(n));
            cfg.spec.validate("context");
            continue;
        }
        const Setting* s = findSetting(key);
        if (!s)
            throw InputError("'" + key + "' is not a training setting");
        assignSetting(cfg.train, *s, parseSetting(*s, text), text);
    }
    validateSettings(cfg.train);
    return cfg;
}

void resolveRunDefaults(RunConfig& config)
{
    auto& t = config.train;
    if (t.lr == 0) // auto: the family's rate
        t.lr = familyInfo(config.spec.family).learningRate;
    resolveDefaults(config.train);
    if (t.method == FinetuneMethod::Ulmfit && t.unfreezeEvery == 0)
        t.unfreezeEvery = std::max<std::int64_t>(1, t.steps / (2 * static_cast<std::int64_t>(layerGroups(config.spec).size())));
    if (t.method == FinetuneMethod::Mtl && t.auxLmHalfLife == 0)
        t.auxLmHalfLife = std::max<std::int64_t>(1, t.steps / 4);
}

void validateSettings(const TrainSettings& t)
{
    for (const auto& s : trainSettings())
        checkSetting(s, s.get(t));
    if (t.nesterov && t.momentum <= 0)
        throw SettingError("nesterov", "needs a momentum above 0");
    if (t.examplesPerClass > 0 && t.task != Task::Classify)
        throw SettingError("examples_per_class", "limits the labeled documents of task classify, and the task is " + enumName(t.task));
    if (t.method == FinetuneMethod::Mtl && t.task == Task::Lm)
        throw SettingError("method", "mtl adds an auxiliary language-model loss to a classify or pairs task; with task lm use full");
}

} // namespace wb
