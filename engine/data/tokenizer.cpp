// SPDX-License-Identifier: GPL-3.0-or-later
#include "data/tokenizer.h"

#include "core/errors.h"
#include "data/char_tokenizer.h"
#include "data/utf8.h"

#include "data/spm_api.h"

#include <nlohmann/json.hpp>
#include <unistd.h>
#include <utf8proc.h>

#include <filesystem>
#include <mutex>

#include <algorithm>
#include <unordered_map>

namespace wb {

namespace {

std::string visible(std::string s)
{
    std::string out;
    for (char c : s) {
        if (c == '\n') out += "\\n";
        else if (c == '\t') out += "\\t";
        else if (c == '\r') out += "\\r";
        else out.push_back(c);
    }
    return out;
}

// Calls fn(line, hasNewline) for each line of `text`.
template <typename Fn>
void forEachLine(std::string_view text, Fn&& fn)
{
    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::size_t nl = text.find('\n', pos);
        if (nl == std::string_view::npos) {
            fn(text.substr(pos), false);
            return;
        }
        fn(text.substr(pos, nl - pos), true);
        pos = nl + 1;
    }
}

// ---------------------------------------------------------------- char
class CharTok final : public Tokenizer {
public:
    explicit CharTok(CharTokenizer t) : m_t(std::move(t)) {}
    std::string kind() const override { return "char"; }
    int vocabSize() const override { return m_t.vocabSize(); }
    int unkId() const override { return m_t.unkId(); }
    void encode(std::string_view text, std::vector<std::int32_t>& out) const override { m_t.encodeInto(text, out); }
    std::string decode(const std::vector<std::int32_t>& ids) const override { return m_t.decode(ids); }
    std::string serialize() const override { return m_t.toJson(); }

private:
    CharTokenizer m_t;
};

// ---------------------------------------------------------------- byte
class ByteTok final : public Tokenizer {
public:
    std::string kind() const override { return "byte"; }
    int vocabSize() const override { return 256; }
    void encode(std::string_view text, std::vector<std::int32_t>& out) const override
    {
        const std::size_t base = out.size();
        out.resize(base + text.size());
        for (std::size_t i = 0; i < text.size(); ++i)
            out[base + i] = static_cast<unsigned char>(text[i]);
    }
    std::string decode(const std::vector<std::int32_t>& ids) const override
    {
        std::string bytes;
        bytes.reserve(ids.size());
        for (auto id : ids)
            bytes.push_back(static_cast<char>(id & 0xFF));
        std::size_t replaced = 0;
        return utf8::replaceInvalid(bytes, replaced);
    }
    std::string pieceText(std::int32_t id) const override
    {
        if (id >= 0x20 && id < 0x7F)
            return std::string(1, static_cast<char>(id));
        char buf[8];
        std::snprintf(buf, sizeof buf, "<0x%02X>", static_cast<unsigned>(id));
        return buf;
    }
    std::string serialize() const override { return R"({"kind":"byte","vocab_size":256})"; }
};

// ---------------------------------------------------------------- word
// Pieces after the pattern \w+|\s+|[^\w\s] within a line (\w: ASCII letters,
// digits, underscore and every non-ASCII letter or number), the line break
// being a piece of its own.
bool isWordChar(char32_t cp)
{
    if (cp < 0x80)
        return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') || cp == '_';
    const auto cat = utf8proc_category(static_cast<utf8proc_int32_t>(cp));
    return (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_MN) || cat == UTF8PROC_CATEGORY_MC
           || (cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO);
}

bool isSpace(char32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == '\r' || cp == '\v' || cp == '\f'
           || (cp >= 0x80 && utf8proc_category(static_cast<utf8proc_int32_t>(cp)) == UTF8PROC_CATEGORY_ZS);
}

char32_t nextCp(std::string_view s, std::size_t& i)
{
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
        ++i;
        return c;
    }
    utf8proc_int32_t cp = 0;
    const auto n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(s.data() + i),
                                    static_cast<utf8proc_ssize_t>(s.size() - i), &cp);
    i += n > 0 ? static_cast<std::size_t>(n) : 1;
    return cp < 0 ? 0xFFFD : static_cast<char32_t>(cp);
}

template <typename Fn>
void splitWords(std::string_view text, bool lowercase, Fn&& fn)
{
    std::string lowered;
    forEachLine(text, [&](std::string_view line, bool newline) {
        std::size_t i = 0;
        while (i < line.size()) {
            const std::size_t start = i;
            const char32_t cp = nextCp(line, i);
            if (isWordChar(cp)) {
                std::size_t j = i;
                while (j < line.size()) {
                    std::size_t k = j;
                    if (!isWordChar(nextCp(line, k)))
                        break;
                    j = k;
                }
                i = j;
            } else if (isSpace(cp)) {
                std::size_t j = i;
                while (j < line.size()) {
                    std::size_t k = j;
                    if (!isSpace(nextCp(line, k)))
                        break;
                    j = k;
                }
                i = j;
            }
            std::string_view piece = line.substr(start, i - start);
            if (lowercase) {
                lowered.clear();
                for (std::size_t p = 0; p < piece.size();) {
                    const char32_t c = nextCp(piece, p);
                    utf8::append(lowered, static_cast<char32_t>(utf8proc_tolower(static_cast<utf8proc_int32_t>(c))));
                }
                fn(std::string_view(lowered));
            } else {
                fn(piece);
            }
        }
        if (newline)
            fn(std::string_view("\n"));
    });
}

class WordTok final : public Tokenizer {
public:
    WordTok(std::vector<std::string> pieces, bool lowercase, int minFrequency)
        : m_pieces(std::move(pieces)), m_lowercase(lowercase), m_minFrequency(minFrequency)
    {
        for (std::size_t i = 0; i < m_pieces.size(); ++i)
            m_index.emplace(m_pieces[i], static_cast<std::int32_t>(i));
    }
    std::string kind() const override { return "word"; }
    int vocabSize() const override { return static_cast<int>(m_pieces.size()); }
    int unkId() const override { return 0; }
    void encode(std::string_view text, std::vector<std::int32_t>& out) const override
    {
        splitWords(text, m_lowercase, [&](std::string_view piece) {
            const auto it = m_index.find(piece);
            out.push_back(it == m_index.end() ? 0 : it->second);
        });
    }
    std::string decode(const std::vector<std::int32_t>& ids) const override
    {
        std::string out;
        for (auto id : ids)
            out += (id >= 0 && id < vocabSize()) ? m_pieces[static_cast<std::size_t>(id)] : m_pieces[0];
        return out;
    }
    std::string pieceText(std::int32_t id) const override
    {
        return (id >= 0 && id < vocabSize()) ? visible(m_pieces[static_cast<std::size_t>(id)]) : "?";
    }
    std::string serialize() const override
    {
        nlohmann::json j{{"kind", "word"}, {"vocab_size", m_pieces.size()}, {"lowercase", m_lowercase},
                         {"min_frequency", m_minFrequency},
                         {"pattern", "\\w+|\\s+|[^\\w\\s] per line; \\n a token"}, {"tokens", m_pieces}};
        return j.dump();
    }

private:
    struct Hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };
    std::vector<std::string> m_pieces; // [0] is <unk>
    std::unordered_map<std::string, std::int32_t, Hash, std::equal_to<>> m_index;
    bool m_lowercase;
    int m_minFrequency;
};

// ---------------------------------------------------------------- SentencePiece
// SentencePiece lives in a module of its own, loaded on first use
// (data/spm_api.h).

void appendIds(void* ctx, const int* ids, size_t n)
{
    auto* out = static_cast<std::vector<std::int32_t>*>(ctx);
    out->insert(out->end(), ids, ids + n);
}

void appendBytes(void* ctx, const char* bytes, size_t n)
{
    static_cast<std::string*>(ctx)->append(bytes, n);
}

class SpmTok final : public Tokenizer {
public:
    explicit SpmTok(const std::string& model) : m_api(spm())
    {
        char err[512] = "";
        m_handle = m_api.load(model.data(), model.size(), err, sizeof err);
        if (!m_handle)
            throw InputError(std::string("tokenizer: not a SentencePiece model: ") + err);
        m_model = model;
        m_size = m_api.pieceSize(m_handle);
        m_unk = m_api.unkId(m_handle);
        m_newline = m_api.pieceToId(m_handle, "<0x0A>", 6);
        if (m_newline == m_unk)
            throw InputError("tokenizer: the SentencePiece model lacks byte fallback (no <0x0A> piece)");
    }
    ~SpmTok() override { m_api.free(m_handle); }
    void setKind(std::string k) { m_kind = std::move(k); }
    std::string kind() const override { return m_kind; }
    int vocabSize() const override { return m_size; }
    int unkId() const override { return m_unk; }
    void encode(std::string_view text, std::vector<std::int32_t>& out) const override
    {
        char err[512] = "";
        forEachLine(text, [&](std::string_view line, bool newline) {
            if (!line.empty() && m_api.encode(m_handle, line.data(), line.size(), appendIds, &out, err, sizeof err) != 0)
                throw RuntimeError(std::string("SentencePiece: ") + err);
            if (newline)
                out.push_back(m_newline);
        });
    }
    std::string decode(const std::vector<std::int32_t>& ids) const override
    {
        // Line by line, mirroring encode.
        std::string out;
        std::vector<int> line;
        char err[512] = "";
        auto flush = [&] {
            if (line.empty())
                return;
            if (m_api.decode(m_handle, line.data(), line.size(), appendBytes, &out, err, sizeof err) != 0)
                throw RuntimeError(std::string("SentencePiece: ") + err);
            line.clear();
        };
        for (auto id : ids) {
            if (id == m_newline) {
                flush();
                out.push_back('\n');
            } else if (id >= 0 && id < m_size) {
                line.push_back(id);
            }
        }
        flush();
        std::size_t replaced = 0;
        return utf8::replaceInvalid(out, replaced);
    }
    std::string pieceText(std::int32_t id) const override
    {
        std::string piece;
        if (m_api.idToPiece(m_handle, id, appendBytes, &piece) != 0)
            return "?";
        return visible(piece);
    }
    std::string serialize() const override { return m_model; }
    std::string fileExtension() const override { return ".model"; }

private:
    const SpmApi& m_api;
    void* m_handle = nullptr;
    std::string m_model;
    std::string m_kind = "bpe";
    int m_size = 0, m_unk = 0, m_newline = 0;
};

// SentencePiece's training lines: a deterministic, bounded sample. Reservoir
// sampling over a seeded generator keeps at most kSpmMaxLines (memory stays
// bounded); lines are cut to kSpmMaxLineBytes between characters.
constexpr std::size_t kSpmMaxLines = 300000;
constexpr std::size_t kSpmMaxLineBytes = 4096;

std::vector<std::string> sampleTrainingLines(const TextFeed& feed, std::uint64_t seed)
{
    std::vector<std::string> sample;
    std::uint64_t seen = 0;
    std::uint64_t state = seed * 0x9E3779B97F4A7C15ull + 1;
    auto rnd = [&] {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        return state;
    };
    feed([&](std::string_view chunk) {
        forEachLine(chunk, [&](std::string_view line, bool) {
            if (line.find_first_not_of(" \t\r") == std::string_view::npos)
                return;
            if (line.size() > kSpmMaxLineBytes) {
                std::size_t cut = kSpmMaxLineBytes;
                while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80)
                    --cut; // not inside a character
                line = line.substr(0, cut);
            }
            ++seen;
            if (sample.size() < kSpmMaxLines)
                sample.emplace_back(line);
            else if (const auto j = rnd() % seen; j < kSpmMaxLines)
                sample[j].assign(line);
        });
    });
    if (sample.empty())
        throw InputError("the training text has no lines to train a tokenizer on");
    return sample;
}

std::unique_ptr<Tokenizer> trainSpm(const TokenizerTrainOptions& o, const TextFeed& feed)
{
    const SpmApi& api = spm();
    const std::vector<std::string> sample = sampleTrainingLines(feed, o.seed);
    const int vocab = o.vocabSize > 0 ? o.vocabSize : 2000;
    if (vocab < 260)
        throw InputError("--vocab-size " + std::to_string(vocab) + ": a " + o.kind
                         + " tokenizer with byte fallback needs at least 260 (256 bytes and 4 more pieces)");
    const std::vector<std::pair<std::string, std::string>> args{
        {"model_type", o.kind},
        {"vocab_size", std::to_string(vocab)},
        {"byte_fallback", "true"},
        {"character_coverage", "0.9995"},
        {"normalization_rule_name", "identity"}, // text is NFC already; keeps decode(encode(x)) == x
        {"add_dummy_prefix", "false"},
        {"remove_extra_whitespaces", "false"},
        {"allow_whitespace_only_pieces", "true"},
        {"split_digits", "false"},
        {"max_sentence_length", std::to_string(kSpmMaxLineBytes)},
        {"input_sentence_size", std::to_string(kSpmMaxLines)},
        {"bos_id", "-1"},
        {"eos_id", "-1"},
        {"unk_id", "0"},
        {"num_threads", "2"},
        {"hard_vocab_limit", "true"},
        {"minloglevel", "2"},
    };
    std::vector<const char*> keys, values, sentences;
    std::vector<size_t> lengths;
    for (const auto& [k, v] : args) {
        keys.push_back(k.c_str());
        values.push_back(v.c_str());
    }
    for (const auto& line : sample) {
        sentences.push_back(line.data());
        lengths.push_back(line.size());
    }
    std::string model;
    char err[1024] = "";
    if (api.train(keys.data(), values.data(), keys.size(), sentences.data(), lengths.data(), sentences.size(),
                  appendBytes, &model, err, sizeof err) != 0) {
        const std::string msg = err;
        if (msg.find("smaller than required_chars") != std::string::npos)
            throw InputError("--vocab-size " + std::to_string(vocab) + " is too small for this text: a " + o.kind
                             + " tokenizer needs a piece for each of its characters besides the 256 byte pieces ("
                             + msg.substr(msg.find("required_chars.") + 16, msg.find(". Increase") - msg.find("required_chars.") - 16)
                             + ")");
        if (msg.find("too high") != std::string::npos)
            throw InputError("--vocab-size " + std::to_string(vocab) + " is larger than this text allows for a "
                             + o.kind + " tokenizer: " + msg);
        throw InputError("SentencePiece could not train a " + o.kind + " tokenizer: " + msg);
    }
    auto t = std::make_unique<SpmTok>(model);
    t->setKind(o.kind);
    return t;
}

std::unique_ptr<Tokenizer> trainWord(const TokenizerTrainOptions& o, const TextFeed& feed)
{
    if (o.minFrequency < 1)
        throw InputError("--min-frequency must be at least 1");
    std::unordered_map<std::string, std::int64_t> counts;
    feed([&](std::string_view chunk) {
        splitWords(chunk, o.lowercase, [&](std::string_view piece) {
            auto it = counts.find(std::string(piece));
            if (it == counts.end())
                counts.emplace(piece, 1);
            else
                ++it->second;
        });
    });
    std::vector<std::pair<std::string, std::int64_t>> kept;
    for (auto& [w, n] : counts)
        if (n >= o.minFrequency)
            kept.emplace_back(w, n);
    std::sort(kept.begin(), kept.end(), [](const auto& a, const auto& b) {
        return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
    const std::size_t allowed = kept.size() + 1; // + <unk>
    std::size_t vocab = o.vocabSize > 0 ? static_cast<std::size_t>(o.vocabSize) : std::min<std::size_t>(allowed, 20000);
    if (vocab > allowed)
        throw InputError("--vocab-size " + std::to_string(vocab) + " is larger than this text allows: it has "
                         + std::to_string(kept.size()) + " distinct words seen at least " + std::to_string(o.minFrequency)
                         + " times, so at most " + std::to_string(allowed) + " tokens with <unk>");
    if (vocab < 2)
        throw InputError("--vocab-size must be at least 2 for a word tokenizer");
    std::vector<std::string> pieces{"<unk>"};
    for (std::size_t i = 0; i + 1 < vocab; ++i)
        pieces.push_back(kept[i].first);
    return std::make_unique<WordTok>(std::move(pieces), o.lowercase, o.minFrequency);
}

} // namespace

std::string Tokenizer::pieceText(std::int32_t id) const
{
    return visible(decode({id}));
}

std::unique_ptr<Tokenizer> makeCharTokenizer(std::vector<char32_t> codePoints)
{
    return std::make_unique<CharTok>(CharTokenizer::fromCodePoints(std::move(codePoints), true));
}

std::unique_ptr<Tokenizer> loadTokenizer(const std::string& bytes, const std::string& kindHint)
{
    if (!bytes.empty() && bytes[0] == '{') {
        nlohmann::json j;
        try {
            j = nlohmann::json::parse(bytes);
        } catch (const nlohmann::json::exception& e) {
            throw InputError(std::string("tokenizer: not valid JSON: ") + e.what());
        }
        // A field of the wrong type ({"kind": 70}) is a damaged file, not a
        // crash (found by fuzzing).
        try {
            const std::string kind = j.value("kind", "");
            if (kind == "char")
                return std::make_unique<CharTok>(CharTokenizer::fromJson(bytes));
            if (kind == "byte")
                return std::make_unique<ByteTok>();
            if (kind == "word") {
                if (!j.contains("tokens") || !j["tokens"].is_array() || j["tokens"].empty())
                    throw InputError("tokenizer: a word tokenizer needs a non-empty \"tokens\" array");
                return std::make_unique<WordTok>(j["tokens"].get<std::vector<std::string>>(), j.value("lowercase", false),
                                                 j.value("min_frequency", 1));
            }
            throw InputError("tokenizer: unknown kind '" + kind + "'");
        } catch (const nlohmann::json::exception& e) {
            throw InputError(std::string("tokenizer: a field has the wrong type: ") + e.what());
        }
    }
    auto t = std::make_unique<SpmTok>(bytes);
    if (kindHint == "unigram" || kindHint == "bpe")
        t->setKind(kindHint);
    return t;
}

const std::vector<std::string>& tokenizerKinds()
{
    static const std::vector<std::string> kinds{"char", "byte", "word", "bpe", "unigram"};
    return kinds;
}

std::unique_ptr<Tokenizer> trainTokenizer(const TokenizerTrainOptions& o, const TextFeed& feed)
{
    if (o.vocabSize < 0)
        throw InputError("--vocab-size must not be negative");
    if (o.kind == "byte") {
        if (o.vocabSize != 0 && o.vocabSize != 256)
            throw InputError("--vocab-size: a byte tokenizer always has 256 tokens");
        return std::make_unique<ByteTok>();
    }
    if (o.kind == "char") {
        std::vector<bool> seen(0x110000, false);
        feed([&](std::string_view chunk) {
            for (std::size_t i = 0; i < chunk.size();)
                seen[nextCp(chunk, i)] = true;
        });
        std::vector<char32_t> cps;
        for (char32_t c = 0; c < 0x110000; ++c)
            if (seen[c])
                cps.push_back(c);
        if (o.vocabSize != 0 && static_cast<std::size_t>(o.vocabSize) != cps.size() + 1)
            throw InputError("--vocab-size: a char tokenizer on this text has " + std::to_string(cps.size() + 1)
                             + " tokens (its " + std::to_string(cps.size()) + " characters and <unk>); leave it out");
        if (cps.empty())
            throw InputError("the training text is empty");
        return makeCharTokenizer(std::move(cps));
    }
    if (o.kind == "word")
        return trainWord(o, feed);
    if (o.kind == "bpe" || o.kind == "unigram")
        return trainSpm(o, feed);
    throw InputError("--kind '" + o.kind + "': expected char, byte, word, bpe or unigram");
}

} // namespace wb
