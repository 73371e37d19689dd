// SPDX-License-Identifier: GPL-3.0-or-later
// Replays files through a fuzz harness without libFuzzer: the seed inputs
// and every crash the fuzzer once found (tests/fuzz/regressions). Arguments:
// files or folders (read recursively). The normal test suite runs this.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size);

int main(int argc, char** argv)
{
    namespace fs = std::filesystem;
    std::vector<fs::path> files;
    for (int i = 1; i < argc; ++i) {
        const fs::path p = argv[i];
        if (fs::is_directory(p)) {
            for (const auto& e : fs::recursive_directory_iterator(p))
                if (e.is_regular_file())
                    files.push_back(e.path());
        } else if (fs::is_regular_file(p)) {
            files.push_back(p);
        }
    }
    for (const auto& f : files) {
        std::ifstream in(f, std::ios::binary);
        std::ostringstream bytes;
        bytes << in.rdbuf();
        const std::string s = bytes.str();
        LLVMFuzzerTestOneInput(reinterpret_cast<const unsigned char*>(s.data()), s.size());
    }
    std::cout << "replayed " << files.size() << " inputs\n";
    return files.empty() ? 1 : 0; // no input at all means the seeds went missing
}
