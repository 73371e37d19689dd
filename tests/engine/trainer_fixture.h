// SPDX-License-Identifier: GPL-3.0-or-later
// What the trainer and fine-tuning tests share: a two-block GPT on
// tests/data/small.txt and a helper that trains a run to its end.
#pragma once

#include "catalog/catalog.h"
#include "jobs/training_job.h"
#include "store/corpus_store.h"
#include "settings/run_config.h"

#include <filesystem>
#include <fstream>
#include <string>

namespace wb::test {

// A new catalog at `file` holding the corpus "small" (tests/data/small.txt).
inline std::filesystem::path catalogWithSmall(const std::filesystem::path& file)
{
    Catalog c(file);
    CorpusImportOptions opt;
    opt.name = "small";
    opt.paths = {LMWB_TEST_DATA "/small.txt"};
    importCorpus(c, opt);
    return file;
}

// A labeled corpus `name` of `documents` short documents in three topics
// (t0, t1, t2), each of `words` words from its topic's own vocabulary,
// written as JSONL in `dir` and imported with a 0.7/0.15/0.15 split.
inline void importTopicsCorpus(Catalog& catalog, const std::filesystem::path& dir, const std::string& name, int documents,
                               int words)
{
    const auto file = dir / (name + ".jsonl");
    std::ofstream out(file);
    const char* vocab[3][3] = {{"men", "equal", "rights"}, {"king", "laws", "tyranny"}, {"people", "earth", "powers"}};
    int stride = 3;
    for (int d = 0; d < documents; ++d) {
        out << "{\"text\":\"";
        stride = 3;
        for (int w = 0; w < words; ++w, stride *= 3)
            out << (w ? " " : "") << vocab[d % 3][(d / stride) % 3];
        out << "\",\"topic\":\"t" << d % 3 << "\"}\n";
    }
    out.close();
    CorpusImportOptions opt;
    opt.name = name;
    opt.paths = {file};
    opt.labelField = "topic";
    opt.split = {0.7, 0.15, 0.15};
    importCorpus(catalog, opt);
}

inline RunConfig nanoConfig(std::int64_t steps, std::uint64_t seed)
{
    RunConfig cfg;
    cfg.corpus = "small";
    cfg.arch = "test-nano";
    cfg.spec = ModelSpec::gpt({2, 2, 64, 64, 0.0});
    cfg.train.steps = steps;
    cfg.train.batch = 16;
    cfg.train.lr = 3e-3;
    cfg.train.minLr = 3e-4;
    cfg.train.warmup = 20;
    cfg.train.evalEvery = 100;
    cfg.train.sampleTokens = 40;
    cfg.train.seed = seed;
    cfg.train.threads = 1;
    return cfg;
}

inline RunSummary trainToEnd(const std::filesystem::path& catalog, const RunConfig& cfg)
{
    TrainingJob job(catalog, cfg);
    job.start();
    job.wait();
    return job.summary();
}

} // namespace wb::test
