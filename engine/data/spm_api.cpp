// SPDX-License-Identifier: GPL-3.0-or-later
#include "data/spm_api.h"

#include "core/errors.h"

#include <dlfcn.h>

#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <string>
#include <type_traits>
#include <vector>

namespace wb {

namespace {

// The module binds to its own protobuf first (RTLD_DEEPBIND), except in
// sanitizer builds (LMWB_SANITIZED: fuzzing, packaging/sanitize.sh), whose
// runtime refuses deep binding.
#ifdef LMWB_SANITIZED
constexpr int kDeepBind = 0;
#else
constexpr int kDeepBind = RTLD_DEEPBIND;
#endif

} // namespace

const SpmApi& spm()
{
    static SpmApi api;
    static std::string failure;
    static std::once_flag once;
    std::call_once(once, [] {
        namespace fs = std::filesystem;
        std::vector<fs::path> candidates;
        if (const char* env = std::getenv("LMWB_SPM_MODULE"); env && *env)
            candidates.emplace_back(env);
        std::error_code ec;
        const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
        if (!ec) {
            candidates.push_back(exe.parent_path() / "liblmwb_spm.so");
            candidates.push_back(exe.parent_path().parent_path() / "lib" / "lm-workbench" / "liblmwb_spm.so");
        }
#ifdef LMWB_SPM_MODULE_INSTALLED
        candidates.emplace_back(LMWB_SPM_MODULE_INSTALLED);
#endif
#ifdef LMWB_SPM_MODULE_BUILT
        candidates.emplace_back(LMWB_SPM_MODULE_BUILT);
#endif
        void* lib = nullptr;
        std::string tried;
        for (const auto& c : candidates) {
            if (!fs::exists(c, ec))
                continue;
            lib = ::dlopen(c.c_str(), RTLD_NOW | RTLD_LOCAL | kDeepBind);
            if (lib)
                break;
            tried += std::string(" ") + ::dlerror();
        }
        if (!lib) {
            failure = "the SentencePiece module liblmwb_spm.so was not found next to the program or in its lib folder"
                      + tried;
            return;
        }
        auto get = [&](auto& fn, const char* name) {
            fn = reinterpret_cast<std::remove_reference_t<decltype(fn)>>(::dlsym(lib, name));
            if (!fn)
                failure = std::string("liblmwb_spm.so lacks ") + name;
        };
        get(api.load, "lmwb_spm_load");
        get(api.free, "lmwb_spm_free");
        get(api.pieceSize, "lmwb_spm_piece_size");
        get(api.unkId, "lmwb_spm_unk_id");
        get(api.pieceToId, "lmwb_spm_piece_to_id");
        get(api.idToPiece, "lmwb_spm_id_to_piece");
        get(api.encode, "lmwb_spm_encode");
        get(api.decode, "lmwb_spm_decode");
        get(api.train, "lmwb_spm_train");
    });
    if (!failure.empty())
        throw RuntimeError(failure);
    return api;
}

} // namespace wb
