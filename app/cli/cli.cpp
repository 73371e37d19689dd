// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/commands.h"
#include "settings/compression_settings.h"

#include "core/errors.h"
#include "compute/runtime.h"
#include "core/paths.h"
#include "settings/settings.h"


#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <iostream>

namespace wb::cli {

namespace {

std::atomic<bool> g_interrupted{false};

extern "C" void onSigint(int sig)
{
    g_interrupted.store(true);
    if (sig != SIGPIPE)
        std::signal(sig, SIG_DFL); // a second Ctrl-C (or SIGTERM) ends the process at once
}

constexpr const char* kUsage = R"(usage: lmwb [--catalog PATH] [--json] COMMAND ...

commands:
  --version                          program, LibTorch and BLAS versions
  corpus add NAME PATH... [--format auto|text|blocks|lines|jsonl|csv|tsv|folders|man|qa|python-docstrings]
        [--text-field F] [--label-field F] [--prompt-field F --target-field F]
        [--glob G]... [--exclude G]...
        [--on-bad-utf8 fail|replace|skip] [--on-bad-record fail|skip]
        [--min-chars N] [--max-chars N] [--no-nfc]
        [--split 0.9,0.05,0.05] [--seed S]
                                     import UTF-8 text files or folders (.gz too)
  corpus list | show NAME | remove NAME
                                     corpora in the catalog, statistics, removal
  corpus system [NAME [--as CORPUS]] system corpora found on this machine; add one
  tokenizer train NAME --corpus C --kind char|byte|word|bpe|unigram [--vocab-size N]
        [--lowercase] [--min-frequency N]
  tokenizer list | show NAME [--corpus C]
  tokenizer encode NAME FILE... [--output IDS.txt]
                                     encode text line by line (ids as spm_encode writes them)
  train --corpus NAME --arch PRESET_OR_JSON_FILE [--tokenizer NAME] [--context T]
        [TRAINING SETTINGS: --steps N --batch B --lr X --optimizer O --schedule S ...;
         `lmwb train --help` lists them all] [--nproc N]
                                     --batch is the global batch; --nproc N trains on N local
                                     ranks (c10d Gloo); under torchrun or Slurm the launcher's
                                     RANK, WORLD_SIZE, MASTER_ADDR, MASTER_PORT are used
  settings [--markdown]              every training setting: key, option, default, range, help
  finetune RUN --corpus C [--task lm|classify|pairs] [--method full|ulmfit|l-eo|l-ldb|mtl|smart|prefix] [TRAINING SETTINGS]
                                     adapt a trained run to a target corpus; a new run that records its parent
  distill --teacher RUN --student SPEC --corpus C [--alpha A] [--temperature T] [--baseline] [TRAINING SETTINGS]
                                     train a student on the teacher's softened outputs and the labels (methods.md B6);
                                     --baseline also trains the same student without the teacher
  resume RUN [--steps N]             continue a stopped or interrupted run from its last checkpoint
  queue list | add TRAIN-OPTIONS | cancel RUN | pause RUN | resume RUN | move RUN --to N
        | slots [--device D] [--set N] | run [--device D] [--wait]
                                     the run queue (kept in the catalog; GUI and CLI share it)
  sweep FILE.json [--queue-only] | sweep list | sweep show ID
                                     grid or random search, queued as a group, best first
  lr-find --corpus C --arch SPEC [--min-lr X] [--max-lr X] [--steps N] [--optimizer O]
                                     learning-rate range test with a suggested rate
  arch list | show SPEC [--vocab V] [--batch B] | validate FILE
                                     model families, presets, sizes and costs
  runs list | show RUN               runs in the catalog, with their metrics
  runs delete RUN [--with-children]  a run, its rows and its files
  generate RUN --prompt TEXT [--max-tokens N] [--temperature T] [--top-k K] [--top-p P] [--seed S] [--no-cache]
  generate-corpus RUN --name NAME --documents N [--max-tokens M] [--temperature T] [--top-k K] [--prompt-tokens P]
                                     a corpus of text sampled from a run (sequence-level distillation)
  eval RUN [--split validation|test] [--limit N]
                                     a run's task metrics recomputed (pairs: answers generated for N examples)
  bleu HYP_FILE REF_FILE...          corpus BLEU of text files (one segment a line) as sacreBLEU 2.x scores it
  bench train --arch SPEC [--batch B] [--steps N] [--threads N] [--vocab V] [--precision P] [--kernels fused|reference]
  bench infer RUN [--batch B] [--threads N] [--runs N]
                                     a run's quality, file size, next-token latency and throughput
  compress RUN --method prune|quantize|lowrank [--sparsity S] [--scope layer|global]
        [--structured heads|ffn|units|channels] [--schedule oneshot|gradual] [--bits 8 [--calibrate N]]
        [--energy E | --rank R | --budget F] [--finetune-steps N]
                                     a smaller variant of a run, measured; a new run that records its parent
  variants RUN                       the run and every variant descended from it, measured alike
  check [--repair]                   verify the catalog: SQLite integrity, every artifact present and
                                     matching its SHA-256, orphan files; --repair moves damaged files aside

global options:
  --catalog PATH   the catalog file (default: $LMWB_CATALOG or
                   $XDG_DATA_HOME/lm-workbench/catalog.sqlite)
  --json           print one JSON value on stdout
exit codes: 0 ok, 1 runtime failure, 2 bad input or usage, 130 stopped by Ctrl-C
)";

} // namespace

void progressLine(const std::string& text, bool final)
{
    static const bool tty = ::isatty(STDERR_FILENO);
    static auto last = std::chrono::steady_clock::time_point{};
    const auto now = std::chrono::steady_clock::now();
    if (tty) {
        std::cerr << "\r\033[K" << text << (final ? "\n" : "") << std::flush;
    } else if (final || now - last >= std::chrono::seconds(2)) {
        std::cerr << text << '\n' << std::flush;
        last = now;
    }
}

int run(int argc, char** argv)
{
    // Ctrl-C, SIGTERM (a service manager, `kill`) and a closed pipe
    // (`lmwb ... | head`) all stop the command the same way: at the next
    // point where it can stop cleanly, leaving a complete result or nothing.
    std::signal(SIGINT, onSigint);
    std::signal(SIGTERM, onSigint);
    std::signal(SIGPIPE, onSigint);
    // A write past a file-size limit (ulimit -f, a quota) fails with EFBIG
    // and is reported like a full disk, instead of killing the process.
    std::signal(SIGXFSZ, SIG_IGN);
    try {
        std::set<std::string> flags{"--json", "--help", "--version", "--no-nfc", "--lowercase", "--wait", "--queue-only", "--markdown", "--baseline", "--no-cache", "--repair", "--with-children"};
        flags.merge(flagOptionNames());
        Args args(argc, argv, flags);
        const auto& pos = args.positional();
        const auto given = args.value("--catalog");
        if (given && given->empty())
            throw InputError("--catalog needs a path");
        // The default is looked up only when no catalog is given (HOME unset
        // is then said, or refused, by defaultCatalogPath).
        Context ctx{args, given ? std::filesystem::path(*given) : defaultCatalogPath(), args.has("--json"), g_interrupted,
                    std::vector<std::string>(argv, argv + argc)};
        if (args.has("--version"))
            return cmdVersion(ctx);
        if (pos.empty() || args.has("--help")) {
            (pos.empty() && !args.has("--help") ? std::cerr : std::cout) << kUsage;
            if (!pos.empty() && (pos[0] == "train" || pos[0] == "queue" || pos[0] == "sweep"))
                std::cout << '\n' << trainOptionsHelp();
            return pos.empty() && !args.has("--help") ? 2 : 0;
        }
        const std::string& cmd = pos[0];
        if (cmd == "corpus") return cmdCorpus(ctx);
        if (cmd == "tokenizer") return cmdTokenizer(ctx);
        if (cmd == "arch") return cmdArch(ctx);
        if (cmd == "train") return cmdTrain(ctx);
        if (cmd == "settings") return cmdSettings(ctx);
        if (cmd == "bleu") return cmdBleu(ctx);
        if (cmd == "eval") return cmdEval(ctx);
        if (cmd == "finetune") return cmdFinetune(ctx);
        if (cmd == "distill") return cmdDistill(ctx);
        if (cmd == "resume") return cmdResume(ctx);
        if (cmd == "lr-find") return cmdLrFind(ctx);
        if (cmd == "runs") return cmdRuns(ctx);
        if (cmd == "generate") return cmdGenerate(ctx);
        if (cmd == "generate-corpus") return cmdGenerateCorpus(ctx);
        if (cmd == "bench") return cmdBench(ctx);
        if (cmd == "queue") return cmdQueue(ctx);
        if (cmd == "sweep") return cmdSweep(ctx);
        if (cmd == "compress") return cmdCompress(ctx);
        if (cmd == "variants") return cmdVariants(ctx);
        if (cmd == "version") return cmdVersion(ctx);
        if (cmd == "check") return cmdCheck(ctx);
        throw InputError("unknown command '" + cmd + "' (see lmwb --help)");
    } catch (const SettingError& e) {
        // The engine names the setting by key; on the command line it is the flag.
        const Setting* s = findSettingInAnyTable(e.key());
        std::cerr << "lmwb: " << (s ? s->cliFlag() : "--" + e.key()) << " " << e.detail() << '\n';
        return 2;
    } catch (const InputError& e) {
        std::cerr << "lmwb: " << e.what() << '\n';
        return 2;
    } catch (const CatalogError& e) {
        std::cerr << "lmwb: " << e.what() << '\n';
        if (const char* debug = std::getenv("LMWB_DEBUG"); debug && *debug && std::string(debug) != "0")
            std::cerr << "lmwb: (SQL: " << e.detail() << ")\n";
        return 1;
    } catch (const Cancelled&) {
        std::cerr << "lmwb: stopped\n";
        return 130;
    } catch (const std::exception& e) {
        std::cerr << "lmwb: " << errorMessage(e) << '\n';
        return 1;
    }
}

} // namespace wb::cli
