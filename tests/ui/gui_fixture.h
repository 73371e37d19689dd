// SPDX-License-Identifier: GPL-3.0-or-later
// What the GUI tests share: stored runs to show and screenshots for docs.
#pragma once

#include "../engine/trainer_fixture.h"

#include "catalog/catalog.h"
#include "data/corpus_import.h"
#include "jobs/training_job.h"
#include "settings/settings.h"
#include "store/corpus_store.h"

#include <QString>
#include <QWidget>

#include <filesystem>
#include <string>

namespace wb::test {

// A finished nano-gpt run of `steps` steps on tests/data/small.txt, in
// the catalog `db` (the corpus is imported once).
inline std::int64_t trainStored(const std::filesystem::path& db, std::int64_t steps)
{
    Catalog c(db);
    if (!c.corpusByName("small")) {
        CorpusImportOptions opt;
        opt.name = "small";
        opt.paths = {LMWB_TEST_DATA "/small.txt"};
        importCorpus(c, opt);
    }
    RunRequest r;
    r.corpus = "small";
    r.arch = "nano-gpt";
    r.values = {{"steps", std::to_string(steps)}, {"threads", "1"}, {"sample_tokens", "20"}, {"eval_every", "10"}};
    TrainingJob job(db, buildRunConfig(r));
    job.start();
    job.wait();
    if (job.summary().status != RunStatus::Finished)
        qFatal("stored run: %s", job.summary().error.c_str());
    return job.runId();
}


// With LMWB_SCREENSHOT_DIR set, saves what the widget shows (for docs
// and for looking at a dialog no screenshot tool reaches).
inline void saveShot(QWidget* w, const char* name)
{
    const QByteArray dir = qgetenv("LMWB_SCREENSHOT_DIR");
    if (!dir.isEmpty())
        w->grab().save(QString::fromLocal8Bit(dir) + QLatin1Char('/') + QLatin1String(name) + QStringLiteral(".png"));
}

} // namespace wb::test
