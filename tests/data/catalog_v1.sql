-- A catalog as schema version 1 wrote it (the first schema), with a corpus,
-- a finished run, metrics and an artifact row. test_catalog migrates it.
PRAGMA application_id = 1280137026; -- "LMWB"
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
INSERT INTO corpora VALUES (1, 'old-corpus', '2026-01-01T00:00:00.000Z', 3, 120, 118, '["/data/old.txt"]');
INSERT INTO runs VALUES (1, 1, 'tiny-gpt', '{"corpus":"old-corpus"}', 'finished', 'cpu', 42,
                         '2026-01-01T00:01:00.000Z', '2026-01-01T00:02:00.000Z', NULL);
INSERT INTO metrics VALUES (1, 'train_loss', 1, 4.5, 0.1), (1, 'train_loss', 2, 4.1, 0.2), (1, 'val_loss', 2, 4.2, 0.3);
INSERT INTO artifacts VALUES (1, 1, NULL, 'checkpoint', 'runs/1/checkpoint-2.pt', 1000, '2026-01-01T00:02:00.000Z');
PRAGMA user_version = 1;
