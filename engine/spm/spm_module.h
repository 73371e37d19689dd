// SPDX-License-Identifier: GPL-3.0-or-later
// The C interface of liblmwb_spm, a small module around SentencePiece.
//
// Why a module: Debian's libsentencepiece carries its own copy of protobuf
// and exports its symbols; linked into a program that also loads LibTorch's
// libprotobuf, the two copies bind to each other's symbols and the program
// crashes before main(). The engine therefore loads this module with
// dlopen(RTLD_LOCAL | RTLD_DEEPBIND), so SentencePiece and its protobuf stay
// private to it. Only plain C types cross the boundary; no exceptions do.
#pragma once

#include <stddef.h>

extern "C" {

typedef void (*lmwb_spm_ids_sink)(void* ctx, const int* ids, size_t count);
typedef void (*lmwb_spm_bytes_sink)(void* ctx, const char* bytes, size_t count);

// Each returns NULL / a negative value on failure with a message in `err`.
void* lmwb_spm_load(const char* model, size_t length, char* err, size_t errlen);
void lmwb_spm_free(void* handle);
int lmwb_spm_piece_size(void* handle);
int lmwb_spm_unk_id(void* handle);
int lmwb_spm_piece_to_id(void* handle, const char* piece, size_t length);
int lmwb_spm_id_to_piece(void* handle, int id, lmwb_spm_bytes_sink sink, void* ctx);
int lmwb_spm_encode(void* handle, const char* text, size_t length, lmwb_spm_ids_sink sink, void* ctx, char* err,
                    size_t errlen);
int lmwb_spm_decode(void* handle, const int* ids, size_t count, lmwb_spm_bytes_sink sink, void* ctx, char* err,
                    size_t errlen);
// Trains on `count` sentences with the trainer's key=value arguments; the
// serialized model goes to `sink`.
int lmwb_spm_train(const char* const* keys, const char* const* values, size_t nargs, const char* const* sentences,
                   const size_t* lengths, size_t count, lmwb_spm_bytes_sink sink, void* ctx, char* err, size_t errlen);
}
