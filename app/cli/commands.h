// SPDX-License-Identifier: GPL-3.0-or-later
// The lmwb commands. Each returns the process exit code: 0 ok, 1 runtime
// failure, 2 bad input or usage, 130 after a clean stop on Ctrl-C. Results
// go to stdout (one JSON value with --json), progress to stderr.
#pragma once

#include "cli/args.h"
#include "core/events.h"
#include "settings/run_config.h"

#include <atomic>
#include <filesystem>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace wb {
class TrainingJob;
}

namespace wb::cli {

struct Context {
    const Args& args;
    std::filesystem::path catalog;
    bool json = false;
    std::atomic<bool>& interrupted; // set by SIGINT
    std::vector<std::string> argv = {}; // the command line as given (for --nproc)
};

int run(int argc, char** argv);

int cmdVersion(Context& ctx);
int cmdCorpus(Context& ctx);
int cmdTokenizer(Context& ctx);
int cmdArch(Context& ctx);
int cmdTrain(Context& ctx);
int cmdSettings(Context& ctx);
int cmdBleu(Context& ctx);
int cmdEval(Context& ctx);
int cmdFinetune(Context& ctx);
int cmdDistill(Context& ctx);
int cmdResume(Context& ctx);
int cmdLrFind(Context& ctx);
int cmdBench(Context& ctx);
int cmdRuns(Context& ctx);
int cmdGenerate(Context& ctx);
int cmdGenerateCorpus(Context& ctx);
int cmdQueue(Context& ctx);
int cmdSweep(Context& ctx);
int cmdCompress(Context& ctx);
int cmdVariants(Context& ctx);
int cmdBenchInfer(Context& ctx);
int cmdCheck(Context& ctx);

// Starts `nproc` local ranks of this command line (without --nproc) and
// waits for them; the exit code.
int launchLocalRanks(Context& ctx, int nproc);

std::int64_t parseRunId(const std::string& text); // InputError unless a positive number

// The options train and queue add share, parsed into a run configuration.
// Every setting comes from the settings table (settings/settings.h); a bad
// value is reported with its flag ("--batch must be between 1 and 65536, got 0").
RunConfig parseRunOptions(const Args& args, const std::string& command);
// The same, taking only the settings `keys` from the command line.
RunConfig buildFromCommandLine(const Args& args, const std::string& command, const std::set<std::string>& keys);
const std::set<std::string>& runOptionNames();
std::set<std::string> flagOptionNames(); // settings that take no value (--nesterov)
std::string trainOptionsHelp();          // every training setting: flag, default, range, help

// Runs a job to its end with progress on stderr; prints the train JSON (or
// a line of text) on stdout, or appends the JSON to `collected`. Ctrl-C
// stops the run, or with `requeueOnInterrupt` puts it back in the queue.
// Returns the exit code.
int runAndReport(Context& ctx, const std::function<std::unique_ptr<TrainingJob>(EventListener)>& make,
                 bool requeueOnInterrupt = false, std::vector<std::string>* collected = nullptr);

// Progress lines on stderr: rewritten in place on a terminal, one line per
// update (throttled) otherwise.
void progressLine(const std::string& text, bool final = false);

} // namespace wb::cli
