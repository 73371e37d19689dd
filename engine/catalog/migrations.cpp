// SPDX-License-Identifier: GPL-3.0-or-later
#include "catalog/migrations.h"

namespace wb::catalog {

namespace {

// v0 -> v1: the first catalog: corpora, runs, metric series, artifacts.
constexpr const char* kV1 = R"SQL(
CREATE TABLE corpora (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL,
    documents   INTEGER NOT NULL,
    bytes       INTEGER NOT NULL,
    chars       INTEGER NOT NULL,
    sources     TEXT NOT NULL
);
CREATE TABLE runs (
    id          INTEGER PRIMARY KEY,
    corpus_id   INTEGER NOT NULL REFERENCES corpora(id),
    arch        TEXT NOT NULL,
    config      TEXT NOT NULL,
    status      TEXT NOT NULL,
    device      TEXT NOT NULL,
    seed        INTEGER NOT NULL,
    created_at  TEXT NOT NULL,
    finished_at TEXT,
    error       TEXT
);
CREATE TABLE metrics (
    run_id      INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    step        INTEGER NOT NULL,
    value       REAL NOT NULL,
    wall_time   REAL NOT NULL,
    PRIMARY KEY (run_id, name, step)
) WITHOUT ROWID;
CREATE TABLE artifacts (
    id          INTEGER PRIMARY KEY,
    run_id      INTEGER REFERENCES runs(id) ON DELETE CASCADE,
    corpus_id   INTEGER REFERENCES corpora(id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    path        TEXT NOT NULL UNIQUE,
    bytes       INTEGER NOT NULL,
    created_at  TEXT NOT NULL
);
)SQL";

// v1 -> v2: split sizes, seed and vocabulary size on corpora; lineage, timing
// and the owning process (to detect runs whose process died) on runs;
// checkpoint steps; generated samples.
constexpr const char* kV2 = R"SQL(
ALTER TABLE corpora ADD COLUMN train_chars INTEGER NOT NULL DEFAULT 0;
ALTER TABLE corpora ADD COLUMN validation_chars INTEGER NOT NULL DEFAULT 0;
ALTER TABLE corpora ADD COLUMN split_seed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE corpora ADD COLUMN vocab_size INTEGER NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN started_at TEXT;
ALTER TABLE runs ADD COLUMN params INTEGER;
ALTER TABLE runs ADD COLUMN parent_run INTEGER REFERENCES runs(id);
ALTER TABLE runs ADD COLUMN code_version TEXT NOT NULL DEFAULT '';
ALTER TABLE runs ADD COLUMN pid INTEGER;
ALTER TABLE runs ADD COLUMN host TEXT;
ALTER TABLE artifacts ADD COLUMN step INTEGER;
CREATE INDEX runs_by_corpus ON runs(corpus_id);
CREATE INDEX artifacts_by_run ON artifacts(run_id);
CREATE INDEX artifacts_by_corpus ON artifacts(corpus_id);
CREATE TABLE samples (
    run_id      INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    step        INTEGER NOT NULL,
    prompt      TEXT NOT NULL,
    text        TEXT NOT NULL,
    PRIMARY KEY (run_id, step)
) WITHOUT ROWID;
)SQL";

// v2 -> v3: what an import left out (duplicates, skipped files), as JSON.
constexpr const char* kV3 = R"SQL(
ALTER TABLE corpora ADD COLUMN report TEXT NOT NULL DEFAULT '{}';
)SQL";

// v3 -> v4: three-way splits (test), labels and statistics on corpora;
// tokenizers as reusable catalog entries (a corpus gets its character
// tokenizer at import; others are trained on a corpus and usable on any);
// token caches per (tokenizer, corpus, split); the tokenizer each run used.
constexpr const char* kV4 = R"SQL(
ALTER TABLE corpora ADD COLUMN test_chars INTEGER NOT NULL DEFAULT 0;
ALTER TABLE corpora ADD COLUMN split TEXT NOT NULL DEFAULT '';
ALTER TABLE corpora ADD COLUMN labels TEXT NOT NULL DEFAULT '{}';
ALTER TABLE corpora ADD COLUMN stats TEXT NOT NULL DEFAULT '{}';
CREATE TABLE tokenizers (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL,
    vocab_size  INTEGER NOT NULL,
    corpus_id   INTEGER REFERENCES corpora(id) ON DELETE SET NULL,
    config      TEXT NOT NULL,
    path        TEXT NOT NULL,
    bytes       INTEGER NOT NULL,
    created_at  TEXT NOT NULL
);
ALTER TABLE corpora ADD COLUMN tokenizer_id INTEGER REFERENCES tokenizers(id);
CREATE TABLE token_caches (
    tokenizer_id INTEGER NOT NULL REFERENCES tokenizers(id) ON DELETE CASCADE,
    corpus_id    INTEGER NOT NULL REFERENCES corpora(id) ON DELETE CASCADE,
    split        TEXT NOT NULL,
    path         TEXT NOT NULL,
    tokens       INTEGER NOT NULL,
    bytes        INTEGER NOT NULL,
    chars        INTEGER NOT NULL,
    unk          INTEGER NOT NULL,
    PRIMARY KEY (tokenizer_id, corpus_id, split)
) WITHOUT ROWID;
CREATE INDEX token_caches_by_corpus ON token_caches(corpus_id);
ALTER TABLE runs ADD COLUMN tokenizer_id INTEGER REFERENCES tokenizers(id);
)SQL";

// v4 -> v5: the run queue and sweeps. A queued run has a position
// (queue_pos, NULL for runs started directly); `control` carries a pause or
// cancel request from another process to the one training the run; a sweep
// groups the runs it queued; settings hold the queue's slots per device.
constexpr const char* kV5 = R"SQL(
CREATE TABLE sweeps (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    spec        TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
ALTER TABLE runs ADD COLUMN queue_pos REAL;
ALTER TABLE runs ADD COLUMN control TEXT;
ALTER TABLE runs ADD COLUMN sweep_id INTEGER REFERENCES sweeps(id) ON DELETE SET NULL;
CREATE INDEX runs_by_status ON runs(status);
CREATE INDEX runs_by_sweep ON runs(sweep_id);
CREATE TABLE settings (
    key         TEXT PRIMARY KEY,
    value       TEXT NOT NULL
) WITHOUT ROWID;
)SQL";

// v5 -> v6: what a fine-tuning run trains and stores: its trainable
// parameters and the bytes of its checkpoint (a delta on the parent's for
// lightweight methods).
constexpr const char* kV6 = R"SQL(
ALTER TABLE runs ADD COLUMN trainable_params INTEGER;
ALTER TABLE runs ADD COLUMN stored_bytes INTEGER;
CREATE INDEX runs_by_parent ON runs(parent_run);
)SQL";

// v6 -> v7: a fine-tuning task's final report (classification metrics and
// confusion matrix; pairs' exact match, BLEU and generations), as JSON.
constexpr const char* kV7 = R"SQL(
ALTER TABLE runs ADD COLUMN task_report TEXT;
)SQL";

// v7 -> v8: a distilled run's teacher (its lineage beside parent_run,
// which is the run whose weights a fine-tuned run starts from).
constexpr const char* kV8 = R"SQL(
ALTER TABLE runs ADD COLUMN teacher_run INTEGER REFERENCES runs(id);
CREATE INDEX runs_by_teacher ON runs(teacher_run);
)SQL";

// v8 -> v9: the run a generated corpus was sampled from (sequence-level
// distillation).
constexpr const char* kV9 = R"SQL(
ALTER TABLE corpora ADD COLUMN source_run INTEGER REFERENCES runs(id);
)SQL";

// v9 -> v10: compression variants' measurements (methods.md B11), one report
// per run as JSON (quality, size, speed and the machine they were taken on).
constexpr const char* kV10 = R"SQL(
CREATE TABLE measurements (
    run_id      INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
    step        INTEGER NOT NULL,
    measured_at TEXT NOT NULL,
    report      TEXT NOT NULL
);
)SQL";

// v10 -> v11: a SHA-256 per artifact file (checkpoints, tokenizers, corpus
// splits), verified before the file is loaded; NULL for files written before.
constexpr const char* kV11 = R"SQL(
ALTER TABLE artifacts ADD COLUMN sha256 TEXT;
)SQL";

// v11 -> v12: the same for token caches, verified before a run maps them.
constexpr const char* kV12 = R"SQL(
ALTER TABLE token_caches ADD COLUMN sha256 TEXT;
)SQL";

constexpr const char* kAll[] = {kV1, kV2, kV3, kV4, kV5, kV6, kV7, kV8, kV9, kV10, kV11, kV12};

} // namespace

std::span<const char* const> migrations()
{
    return kAll;
}

} // namespace wb::catalog
