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

// The module carries its own protobuf (SentencePiece bundles protobuf-lite
// 3.14), whose symbols collide with the libprotobuf 3.21 that LibTorch
// loads: bound to LibTorch's, training a tokenizer aborts in protobuf's
// version check. The module therefore binds to its own symbols first
// (RTLD_DEEPBIND). Sanitizer runtimes refuse deep binding, so sanitizer
// builds (LMWB_SANITIZED: fuzzing, packaging/sanitize.sh) load it into a
// link-map namespace of its own instead (dlmopen), with its own C and C++
// runtimes: its interface is plain C with callbacks, so nothing allocated
// on one side is freed on the other. The module is built without
// sanitizers there (engine/CMakeLists.txt): a second sanitizer runtime in
// that namespace would not work.
void* openModule(const char* path)
{
#ifdef LMWB_SANITIZED
    return ::dlmopen(LM_ID_NEWLM, path, RTLD_NOW | RTLD_LOCAL);
#else
    return ::dlopen(path, RTLD_NOW | RTLD_LOCAL | RTLD_DEEPBIND);
#endif
}

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
            lib = openModule(c.c_str());
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
