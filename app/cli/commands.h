// SPDX-License-Identifier: GPL-3.0-or-later
// The lmwb commands. Each returns the process exit code: 0 ok, 1 runtime
// failure, 2 bad input or usage, 130 after a clean stop on Ctrl-C. Results
// go to stdout (one JSON value with --json), progress to stderr.
#pragma once

#include "cli/args.h"

#include <atomic>
#include <filesystem>

namespace wb::cli {

struct Context {
    const Args& args;
    std::filesystem::path catalog;
    bool json = false;
    std::atomic<bool>& interrupted; // set by SIGINT
};

int run(int argc, char** argv);

int cmdVersion(Context& ctx);
int cmdCorpus(Context& ctx);
int cmdTokenizer(Context& ctx);
int cmdArch(Context& ctx);
int cmdTrain(Context& ctx);
int cmdResume(Context& ctx);
int cmdLrFind(Context& ctx);
int cmdBench(Context& ctx);
int cmdRuns(Context& ctx);
int cmdGenerate(Context& ctx);

// Progress lines on stderr: rewritten in place on a terminal, one line per
// update (throttled) otherwise.
void progressLine(const std::string& text, bool final = false);

} // namespace wb::cli
