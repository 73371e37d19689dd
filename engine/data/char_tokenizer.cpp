// SPDX-License-Identifier: GPL-3.0-or-later
#include "data/char_tokenizer.h"

#include "core/errors.h"
#include "data/utf8.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace wb {

CharTokenizer CharTokenizer::fromCodePoints(std::vector<char32_t> cps, bool unknown)
{
    std::sort(cps.begin(), cps.end());
    cps.erase(std::unique(cps.begin(), cps.end()), cps.end());
    CharTokenizer t;
    t.m_vocab = std::move(cps);
    t.m_unknown = unknown;
    t.m_bmp.assign(0x10000, -1);
    for (std::size_t i = 0; i < t.m_vocab.size(); ++i) {
        t.m_index.emplace(t.m_vocab[i], static_cast<std::int32_t>(i));
        if (t.m_vocab[i] < 0x10000)
            t.m_bmp[t.m_vocab[i]] = static_cast<std::int32_t>(i);
    }
    return t;
}

std::int32_t CharTokenizer::lookup(char32_t cp, std::size_t offset) const
{
    std::int32_t id = -1;
    if (cp < 0x10000) {
        id = m_bmp[cp];
    } else if (auto it = m_index.find(cp); it != m_index.end()) {
        id = it->second;
    }
    if (id >= 0)
        return id;
    if (m_unknown)
        return static_cast<std::int32_t>(m_vocab.size());
    throw InputError("character " + utf8::describe(cp) + " at byte offset " + std::to_string(offset)
                     + " is not in the tokenizer's vocabulary");
}

void CharTokenizer::encodeInto(std::string_view text, std::vector<std::int32_t>& out) const
{
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    const std::size_t n = text.size();
    std::size_t i = 0;
    while (i < n) {
        const unsigned c = p[i];
        char32_t cp;
        std::size_t len;
        if (c < 0x80) { cp = c; len = 1; }
        else if (c < 0xE0) { cp = ((c & 0x1Fu) << 6) | (p[i + 1] & 0x3Fu); len = 2; }
        else if (c < 0xF0) { cp = ((c & 0x0Fu) << 12) | ((p[i + 1] & 0x3Fu) << 6) | (p[i + 2] & 0x3Fu); len = 3; }
        else { cp = ((c & 0x07u) << 18) | ((p[i + 1] & 0x3Fu) << 12) | ((p[i + 2] & 0x3Fu) << 6) | (p[i + 3] & 0x3Fu); len = 4; }
        const std::int32_t id = cp < 0x10000 ? m_bmp[cp] : -1;
        out.push_back(id >= 0 ? id : lookup(cp, i));
        i += len;
    }
}

CharTokenizer CharTokenizer::fromJson(const std::string& json)
{
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(json);
    } catch (const nlohmann::json::exception& e) {
        throw InputError(std::string("tokenizer: not valid JSON: ") + e.what());
    }
    if (!j.is_object() || j.value("kind", "") != "char" || !j.contains("code_points")
        || !j["code_points"].is_array())
        throw InputError("tokenizer: expected {\"kind\":\"char\",\"code_points\":[...]}");
    std::vector<char32_t> cps;
    for (const auto& v : j["code_points"]) {
        if (!v.is_number_unsigned() || v.get<std::uint64_t>() > 0x10FFFF)
            throw InputError("tokenizer: code_points must be integers in 0..0x10FFFF");
        cps.push_back(static_cast<char32_t>(v.get<std::uint32_t>()));
    }
    const bool unknown = j.value("unknown", false);
    if (cps.empty() && !unknown) // found by fuzzing: a model over no tokens at all
        throw InputError("tokenizer: the vocabulary is empty (no code_points)");
    return fromCodePoints(std::move(cps), unknown);
}

std::string CharTokenizer::toJson() const
{
    nlohmann::json j;
    j["kind"] = "char";
    j["vocab_size"] = vocabSize();
    if (m_unknown)
        j["unknown"] = true; // the last id stands for any character not listed
    auto& arr = j["code_points"] = nlohmann::json::array();
    for (char32_t cp : m_vocab)
        arr.push_back(static_cast<std::uint32_t>(cp));
    return j.dump();
}

std::vector<std::int32_t> CharTokenizer::encode(std::string_view text) const
{
    if (auto problem = utf8::validate(text))
        throw InputError("text is not valid UTF-8 at byte offset " + std::to_string(problem->byteOffset)
                         + ": " + problem->what);
    std::vector<std::int32_t> ids;
    ids.reserve(text.size());
    encodeInto(text, ids);
    return ids;
}

std::string CharTokenizer::decode(const std::vector<std::int32_t>& ids) const
{
    std::string out;
    out.reserve(ids.size());
    for (auto id : ids)
        out += decodeOne(id);
    return out;
}

std::string CharTokenizer::decodeOne(std::int32_t id) const
{
    if (id < 0 || id >= vocabSize())
        throw RuntimeError("token id " + std::to_string(id) + " outside the vocabulary of "
                           + std::to_string(vocabSize()));
    std::string out;
    utf8::append(out, id == unkId() ? char32_t(0xFFFD) : m_vocab[static_cast<std::size_t>(id)]);
    return out;
}

} // namespace wb
