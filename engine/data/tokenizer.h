// SPDX-License-Identifier: GPL-3.0-or-later
// Tokenizers: character, byte, word (regex split) and SentencePiece BPE and
// unigram with byte fallback. All encode text line by line, the line break
// being a token of its own, so that any text can be encoded as a stream in
// pieces cut at line breaks. Each serializes to one file stored in the
// catalog (JSON for char/byte/word, the SentencePiece model otherwise).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace wb {

class Tokenizer {
public:
    virtual ~Tokenizer() = default;
    virtual std::string kind() const = 0;
    virtual int vocabSize() const = 0;
    // Id of the unknown token, -1 when every text can be encoded.
    virtual int unkId() const { return -1; }
    // Appends the ids of `text` (valid UTF-8) to `out`.
    virtual void encode(std::string_view text, std::vector<std::int32_t>& out) const = 0;
    std::vector<std::int32_t> encode(std::string_view text) const
    {
        std::vector<std::int32_t> ids;
        encode(text, ids);
        return ids;
    }
    // Text of the ids; invalid UTF-8 (a byte tokenizer's sample cut inside a
    // character) comes out as U+FFFD.
    virtual std::string decode(const std::vector<std::int32_t>& ids) const = 0;
    // How the token reads, for tables ("\n" shown as "\\n").
    virtual std::string pieceText(std::int32_t id) const;
    // The file content and the extension it is stored under.
    virtual std::string serialize() const = 0;
    virtual std::string fileExtension() const { return ".json"; }
};

// Reads a serialized tokenizer (any kind); InputError when it is none.
// `kind` (as the catalog records it) names a SentencePiece model's type.
std::unique_ptr<Tokenizer> loadTokenizer(const std::string& bytes, const std::string& kind = {});

const std::vector<std::string>& tokenizerKinds(); // char, byte, word, bpe, unigram

struct TokenizerTrainOptions {
    std::string kind = "char";
    int vocabSize = 0;       // 0: the kind's default (char/byte: everything)
    bool lowercase = false;  // word
    int minFrequency = 1;    // word: rarer words become the unknown token
    std::uint64_t seed = 1;
};

// A source of training text, fed in pieces cut at line breaks; returns
// false when done. Called repeatedly from the start by kinds needing two passes.
using TextFeed = std::function<void(const std::function<void(std::string_view chunk)>& sink)>;

// Trains a tokenizer on the text. InputError for an unknown kind, or a
// vocabulary larger than the text allows (with the largest that it does).
std::unique_ptr<Tokenizer> trainTokenizer(const TokenizerTrainOptions& options, const TextFeed& text);

// Character tokenizer over the code points given, plus an unknown token.
std::unique_ptr<Tokenizer> makeCharTokenizer(std::vector<char32_t> codePoints);

} // namespace wb
