// SPDX-License-Identifier: GPL-3.0-or-later
#include "data/char_tokenizer.h"

#include "core/errors.h"
#include "data/utf8.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace wb {

CharTokenizer CharTokenizer::fromCodePoints(std::vector<char32_t> cps)
{
    std::sort(cps.begin(), cps.end());
    cps.erase(std::unique(cps.begin(), cps.end()), cps.end());
    CharTokenizer t;
    t.m_vocab = std::move(cps);
    for (std::size_t i = 0; i < t.m_vocab.size(); ++i)
        t.m_index.emplace(t.m_vocab[i], static_cast<std::int32_t>(i));
    return t;
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
    return fromCodePoints(std::move(cps));
}

std::string CharTokenizer::toJson() const
{
    nlohmann::json j;
    j["kind"] = "char";
    j["vocab_size"] = m_vocab.size();
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
    std::size_t offset = 0;
    for (char32_t cp : utf8::decode(text)) {
        auto it = m_index.find(cp);
        if (it == m_index.end())
            throw InputError("character " + utf8::describe(cp) + " at byte offset " + std::to_string(offset)
                             + " is not in the tokenizer's vocabulary");
        ids.push_back(it->second);
        offset += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    }
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
    utf8::append(out, m_vocab[static_cast<std::size_t>(id)]);
    return out;
}

} // namespace wb
