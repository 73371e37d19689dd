// SPDX-License-Identifier: GPL-3.0-or-later
#include "spm/spm_module.h"

#include <sentencepiece_processor.h>
#include <sentencepiece_trainer.h>

#include <cstring>
#include <string>
#include <unordered_map>
#include <vector>

namespace {

void setError(char* err, size_t errlen, const std::string& message)
{
    if (!err || errlen == 0)
        return;
    const size_t n = std::min(errlen - 1, message.size());
    std::memcpy(err, message.data(), n);
    err[n] = '\0';
}

class Sentences final : public sentencepiece::SentenceIterator {
public:
    Sentences(const char* const* s, const size_t* l, size_t n) : m_s(s), m_l(l), m_n(n) { load(); }
    bool done() const override { return m_i >= m_n; }
    void Next() override
    {
        ++m_i;
        load();
    }
    const std::string& value() const override { return m_value; }
    sentencepiece::util::Status status() const override { return {}; }

private:
    void load()
    {
        if (m_i < m_n)
            m_value.assign(m_s[m_i], m_l[m_i]);
    }
    const char* const* m_s;
    const size_t* m_l;
    size_t m_n;
    size_t m_i = 0;
    std::string m_value;
};

} // namespace

extern "C" {

__attribute__((visibility("default"))) void* lmwb_spm_load(const char* model, size_t length, char* err, size_t errlen)
{
    try {
        auto* sp = new sentencepiece::SentencePieceProcessor();
        const auto status = sp->LoadFromSerializedProto(absl::string_view(model, length));
        if (!status.ok()) {
            setError(err, errlen, status.ToString());
            delete sp;
            return nullptr;
        }
        return sp;
    } catch (const std::exception& e) {
        setError(err, errlen, e.what());
        return nullptr;
    }
}

__attribute__((visibility("default"))) void lmwb_spm_free(void* handle)
{
    delete static_cast<sentencepiece::SentencePieceProcessor*>(handle);
}

__attribute__((visibility("default"))) int lmwb_spm_piece_size(void* handle)
{
    return static_cast<sentencepiece::SentencePieceProcessor*>(handle)->GetPieceSize();
}

__attribute__((visibility("default"))) int lmwb_spm_unk_id(void* handle)
{
    return static_cast<sentencepiece::SentencePieceProcessor*>(handle)->unk_id();
}

__attribute__((visibility("default"))) int lmwb_spm_piece_to_id(void* handle, const char* piece, size_t length)
{
    return static_cast<sentencepiece::SentencePieceProcessor*>(handle)->PieceToId(absl::string_view(piece, length));
}

__attribute__((visibility("default"))) int lmwb_spm_id_to_piece(void* handle, int id, lmwb_spm_bytes_sink sink, void* ctx)
{
    auto* sp = static_cast<sentencepiece::SentencePieceProcessor*>(handle);
    if (id < 0 || id >= sp->GetPieceSize())
        return -1;
    const std::string& p = sp->IdToPiece(id);
    sink(ctx, p.data(), p.size());
    return 0;
}

__attribute__((visibility("default"))) int lmwb_spm_encode(void* handle, const char* text, size_t length,
                                                           lmwb_spm_ids_sink sink, void* ctx, char* err, size_t errlen)
{
    thread_local std::vector<int> ids;
    try {
        const auto status =
            static_cast<sentencepiece::SentencePieceProcessor*>(handle)->Encode(absl::string_view(text, length), &ids);
        if (!status.ok()) {
            setError(err, errlen, status.ToString());
            return -1;
        }
        sink(ctx, ids.data(), ids.size());
        return 0;
    } catch (const std::exception& e) {
        setError(err, errlen, e.what());
        return -1;
    }
}

__attribute__((visibility("default"))) int lmwb_spm_decode(void* handle, const int* ids, size_t count,
                                                           lmwb_spm_bytes_sink sink, void* ctx, char* err, size_t errlen)
{
    try {
        std::string out;
        const auto status =
            static_cast<sentencepiece::SentencePieceProcessor*>(handle)->Decode(std::vector<int>(ids, ids + count), &out);
        if (!status.ok()) {
            setError(err, errlen, status.ToString());
            return -1;
        }
        sink(ctx, out.data(), out.size());
        return 0;
    } catch (const std::exception& e) {
        setError(err, errlen, e.what());
        return -1;
    }
}

__attribute__((visibility("default"))) int lmwb_spm_train(const char* const* keys, const char* const* values,
                                                          size_t nargs, const char* const* sentences,
                                                          const size_t* lengths, size_t count,
                                                          lmwb_spm_bytes_sink sink, void* ctx, char* err, size_t errlen)
{
    try {
        std::unordered_map<std::string, std::string> args;
        for (size_t i = 0; i < nargs; ++i)
            args[keys[i]] = values[i];
        Sentences it(sentences, lengths, count);
        std::string model;
        const auto status = sentencepiece::SentencePieceTrainer::Train(args, &it, &model);
        if (!status.ok()) {
            setError(err, errlen, status.message());
            return -1;
        }
        sink(ctx, model.data(), model.size());
        return 0;
    } catch (const std::exception& e) {
        setError(err, errlen, e.what());
        return -1;
    }
}

} // extern "C"
