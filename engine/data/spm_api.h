// SPDX-License-Identifier: GPL-3.0-or-later
// The SentencePiece module's functions (spm/spm_module.h says why it is a
// module of its own), found with dlopen on first use: next to the program,
// in its lib folder, at $LMWB_SPM_MODULE, or in the build tree. Internal to
// the data module.
#pragma once

#include "spm/spm_module.h"

namespace wb {

struct SpmApi {
    decltype(&lmwb_spm_load) load = nullptr;
    decltype(&lmwb_spm_free) free = nullptr;
    decltype(&lmwb_spm_piece_size) pieceSize = nullptr;
    decltype(&lmwb_spm_unk_id) unkId = nullptr;
    decltype(&lmwb_spm_piece_to_id) pieceToId = nullptr;
    decltype(&lmwb_spm_id_to_piece) idToPiece = nullptr;
    decltype(&lmwb_spm_encode) encode = nullptr;
    decltype(&lmwb_spm_decode) decode = nullptr;
    decltype(&lmwb_spm_train) train = nullptr;
};

// The loaded module's functions; RuntimeError naming what is missing.
const SpmApi& spm();

} // namespace wb
