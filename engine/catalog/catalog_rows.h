// SPDX-License-Identifier: GPL-3.0-or-later
// Row helpers shared by the catalog's source files (catalog.cpp,
// catalog_queue.cpp); not part of the catalog's interface.
#pragma once

#include "catalog/records.h"
#include "core/errors.h"
#include "core/files.h"
#include "catalog/sqlite.h"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <string>

namespace wb::catalog_rows {

// Timestamps are ISO 8601 UTC, formatted by SQLite itself.
#define WB_NOW "strftime('%Y-%m-%dT%H:%M:%fZ','now')"

#define WB_RUN_COLUMNS \
    "r.id, r.corpus_id, c.name, r.arch, r.config, r.status, r.device, r.seed, r.created_at, " \
    "r.started_at, r.finished_at, r.error, r.params, r.parent_run, r.code_version, r.tokenizer_id, " \
    "r.queue_pos, r.control, r.sweep_id, r.trainable_params, r.stored_bytes, r.task_report, r.teacher_run "

// A stored status; a name this program does not know (a newer program
// wrote it) is an error naming the run.
inline RunStatus parseRunStatus(const std::string& text, std::int64_t run)
{
    if (const auto s = parseEnum<RunStatus>(text))
        return *s;
    throw RuntimeError("run " + std::to_string(run) + " has a status this program does not know: '" + text + "'");
}

inline RunRecord readRun(const sql::Statement& st)
{
    RunRecord r;
    r.id = st.int64(0);
    r.corpusId = st.int64(1);
    r.corpusName = st.text(2);
    r.arch = st.text(3);
    r.config = st.text(4);
    r.status = parseRunStatus(st.text(5), r.id);
    r.device = st.text(6);
    r.seed = st.int64(7);
    r.createdAt = st.text(8);
    r.startedAt = st.optText(9);
    r.finishedAt = st.optText(10);
    r.error = st.optText(11);
    r.params = st.optInt64(12);
    r.parentRun = st.optInt64(13);
    r.codeVersion = st.text(14);
    r.tokenizerId = st.optInt64(15);
    r.queuePos = st.optDouble(16);
    r.control = st.optText(17);
    r.sweepId = st.optInt64(18);
    r.trainableParams = st.optInt64(19);
    r.storedBytes = st.optInt64(20);
    r.taskReport = st.optText(21);
    r.teacherRun = st.optInt64(22);
    return r;
}

inline std::string hostName()
{
    char buf[256] = {};
    if (::gethostname(buf, sizeof buf - 1) != 0)
        return "unknown";
    return buf;
}

using wb::processAlive; // core/files.h


inline ArtifactRecord readArtifact(const sql::Statement& st)
{
    ArtifactRecord a;
    a.id = st.int64(0);
    a.runId = st.optInt64(1);
    a.corpusId = st.optInt64(2);
    a.kind = st.text(3);
    a.path = st.text(4);
    a.bytes = st.int64(5);
    a.step = st.optInt64(6);
    a.sha256 = st.optText(7);
    return a;
}

} // namespace wb::catalog_rows
