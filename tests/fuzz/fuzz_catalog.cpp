// SPDX-License-Identifier: GPL-3.0-or-later
// Catalog opening: any file given with --catalog either opens (and passes
// SQLite's integrity check) or is refused with InputError / CatalogError;
// a refused file is left byte for byte as it was.
#include "catalog/catalog.h"
#include "core/errors.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size)
{
    namespace fs = std::filesystem;
    static const fs::path dir = fs::temp_directory_path() / ("lmwb-fuzz-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    const fs::path file = dir / "catalog.sqlite";
    const std::string bytes(reinterpret_cast<const char*>(data), size);
    std::ofstream(file, std::ios::binary) << bytes;
    try {
        wb::Catalog c(file);
        (void)c.runs();
        (void)c.corpora();
        (void)c.checkIntegrity();
    } catch (const wb::InputError&) {
        std::ifstream in(file, std::ios::binary);
        std::ostringstream now;
        now << in.rdbuf();
        if (now.str() != bytes)
            __builtin_trap(); // refused, yet changed
    } catch (const wb::RuntimeError&) { // a damaged database found past its header
    }
    return 0;
}
