// SPDX-License-Identifier: GPL-3.0-or-later
// The run queue and sweeps: queue order, claiming the next run for a device,
// pause/resume/cancel requests across processes, and sweep groups.
#include "catalog/catalog.h"

#include "catalog/catalog_rows.h"
#include "catalog/sqlite.h"
#include "core/errors.h"

#include <algorithm>

namespace wb {

using catalog_rows::hostName;
using catalog_rows::readRun;

#define WB_QUEUE_FROM "FROM runs r JOIN corpora c ON c.id = r.corpus_id "

std::int64_t Catalog::enqueueRun(RunRecord run)
{
    std::int64_t id = 0;
    transaction([&] {
        sql::Statement st = m_db->prepare("SELECT COALESCE(MAX(queue_pos), 0) + 1 FROM runs");
        st.step();
        run.queuePos = st.real(0);
        run.status = status::kQueued;
        id = createRun(run);
    });
    return id;
}

std::vector<RunRecord> Catalog::queue()
{
    std::vector<RunRecord> out;
    sql::Statement st = m_db->prepare("SELECT " WB_RUN_COLUMNS WB_QUEUE_FROM
                                      "WHERE r.queue_pos IS NOT NULL AND r.status IN ('queued', 'paused', 'running') "
                                      "ORDER BY r.queue_pos");
    while (st.step())
        out.push_back(readRun(st));
    return out;
}

int Catalog::queueSlots(const std::string& device)
{
    sql::Statement st = m_db->prepare("SELECT value FROM settings WHERE key = ?1");
    if (st.bind(1, "queue.slots." + device).step()) {
        try {
            return std::max(1, std::stoi(st.text(0)));
        } catch (const std::exception&) {
        }
    }
    return 1;
}

void Catalog::setQueueSlots(const std::string& device, int slots)
{
    if (slots < 1)
        throw InputError("queue slots for " + device + " must be at least 1");
    m_db->prepare("INSERT OR REPLACE INTO settings (key, value) VALUES (?1, ?2)")
        .bind(1, "queue.slots." + device).bind(2, std::to_string(slots)).run();
}

std::optional<RunRecord> Catalog::claimNextQueued(const std::string& device)
{
    {
        // Polled about once a second by idle windows and workers: a plain
        // read first, so an empty queue never takes the write lock.
        sql::Statement any = m_db->prepare("SELECT 1 FROM runs WHERE status = 'queued' AND queue_pos IS NOT NULL "
                                           "AND device = ?1 LIMIT 1");
        if (!any.bind(1, device).step())
            return std::nullopt;
    }
    markDeadRunsInterrupted(); // a dead process's run no longer holds a slot
    std::optional<RunRecord> claimed;
    transaction([&] {
        // A device belongs to a machine: runs on other hosts sharing this
        // catalog do not take this machine's slots.
        sql::Statement running = m_db->prepare(
            "SELECT count(*) FROM runs WHERE status = 'running' AND device = ?1 AND (host IS NULL OR host = ?2)");
        running.bind(1, device).bind(2, hostName()).step();
        if (running.int64(0) >= queueSlots(device))
            return;
        sql::Statement next = m_db->prepare("SELECT " WB_RUN_COLUMNS WB_QUEUE_FROM
                                            "WHERE r.status = 'queued' AND r.queue_pos IS NOT NULL AND r.device = ?1 "
                                            "ORDER BY r.queue_pos LIMIT 1");
        if (!next.bind(1, device).step())
            return;
        claimed = readRun(next);
        m_db->prepare("UPDATE runs SET status = 'running', control = NULL, pid = ?2, host = ?3, finished_at = NULL, "
                      "error = NULL WHERE id = ?1")
            .bind(1, claimed->id).bind(2, static_cast<std::int64_t>(::getpid())).bind(3, hostName()).run();
        claimed->status = status::kRunning;
    });
    return claimed;
}

std::string Catalog::controlRun(std::int64_t runId, const std::string& action)
{
    if (action != "pause" && action != "resume" && action != "cancel")
        throw InputError("queue: unknown action '" + action + "' (expected pause, resume or cancel)");
    std::string result;
    transaction([&] {
        const auto r = run(runId);
        if (!r)
            throw InputError("no run " + std::to_string(runId) + " in the catalog");
        const RunStatus s = r->status;
        auto set = [&](RunStatus to, bool keepInQueue) {
            if (keepInQueue && !r->queuePos) {
                sql::Statement pos = m_db->prepare("SELECT COALESCE(MAX(queue_pos), 0) + 1 FROM runs");
                pos.step();
                m_db->prepare("UPDATE runs SET status = ?2, queue_pos = ?3, finished_at = NULL, error = NULL WHERE id = ?1")
                    .bind(1, runId).bind(2, to).bind(3, pos.real(0)).run();
            } else if (keepInQueue) {
                m_db->prepare("UPDATE runs SET status = ?2, finished_at = NULL, error = NULL WHERE id = ?1")
                    .bind(1, runId).bind(2, to).run();
            } else {
                m_db->prepare("UPDATE runs SET status = ?2, finished_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') "
                              "WHERE id = ?1")
                    .bind(1, runId).bind(2, to).run();
            }
            result = enumName(to);
        };
        const std::string what = "run " + std::to_string(runId) + " is " + enumName(s);
        if (s == status::kRunning) {
            if (action == "resume")
                throw InputError(what + "; only paused or ended runs can be resumed");
            if (!r->queuePos && action == "pause")
                throw InputError(what + " outside the queue; stop it where it was started (its checkpoint is kept) "
                                        "and resume it with `lmwb queue resume`");
            m_db->prepare("UPDATE runs SET control = ?2 WHERE id = ?1").bind(1, runId).bind(2, action).run();
            result = action == "pause" ? "pausing" : "cancelling";
        } else if (s == status::kQueued) {
            if (action == "resume")
                throw InputError(what + " already");
            set(action == "pause" ? status::kPaused : status::kCancelled, action == "pause");
        } else if (s == status::kPaused) {
            if (action == "pause")
                throw InputError(what + " already");
            set(action == "resume" ? status::kQueued : status::kCancelled, action == "resume");
        } else if (s == status::kStopped || s == status::kInterrupted || s == status::kDiverged) {
            if (action != "resume")
                throw InputError(what + "; it is not in the queue");
            set(status::kQueued, true);
        } else {
            throw InputError(what + "; a " + enumName(s) + " run cannot be " + (action == "pause" ? "paused" : action + "d"));
        }
    });
    return result;
}

std::optional<std::string> Catalog::pendingControl(std::int64_t runId)
{
    sql::Statement st = m_db->prepare("SELECT control FROM runs WHERE id = ?1");
    if (st.bind(1, runId).step())
        return st.optText(0);
    return std::nullopt;
}

void Catalog::clearControl(std::int64_t runId)
{
    m_db->prepare("UPDATE runs SET control = NULL WHERE id = ?1").bind(1, runId).run();
}

void Catalog::moveInQueue(std::int64_t runId, int position)
{
    transaction([&] {
        std::vector<std::int64_t> order;
        bool found = false;
        sql::Statement st = m_db->prepare("SELECT id FROM runs WHERE queue_pos IS NOT NULL "
                                          "AND status IN ('queued', 'paused') ORDER BY queue_pos");
        while (st.step()) {
            if (st.int64(0) == runId)
                found = true;
            else
                order.push_back(st.int64(0));
        }
        if (!found)
            throw InputError("run " + std::to_string(runId) + " is not waiting in the queue");
        const auto at = static_cast<std::size_t>(std::clamp<std::int64_t>(position, 0, static_cast<std::int64_t>(order.size())));
        order.insert(order.begin() + static_cast<std::ptrdiff_t>(at), runId);
        // Waiting runs take the positions after every running one.
        sql::Statement top = m_db->prepare("SELECT COALESCE(MAX(queue_pos), 0) FROM runs WHERE status = 'running'");
        top.step();
        const double base = top.real(0);
        sql::Statement upd = m_db->prepare("UPDATE runs SET queue_pos = ?2 WHERE id = ?1");
        for (std::size_t i = 0; i < order.size(); ++i) {
            upd.bind(1, order[i]).bind(2, base + 1.0 + static_cast<double>(i)).run();
        }
    });
}

std::int64_t Catalog::addSweep(const std::string& name, const std::string& spec)
{
    m_db->prepare("INSERT INTO sweeps (name, spec, created_at) VALUES (?1, ?2, strftime('%Y-%m-%dT%H:%M:%fZ','now'))")
        .bind(1, name).bind(2, spec).run();
    return m_db->lastInsertId();
}

std::optional<SweepRecord> Catalog::sweep(std::int64_t sweepId)
{
    sql::Statement st = m_db->prepare("SELECT id, name, spec, created_at FROM sweeps WHERE id = ?1");
    if (!st.bind(1, sweepId).step())
        return std::nullopt;
    return SweepRecord{st.int64(0), st.text(1), st.text(2), st.text(3)};
}

std::vector<SweepRecord> Catalog::sweeps()
{
    std::vector<SweepRecord> out;
    sql::Statement st = m_db->prepare("SELECT id, name, spec, created_at FROM sweeps ORDER BY id DESC");
    while (st.step())
        out.push_back({st.int64(0), st.text(1), st.text(2), st.text(3)});
    return out;
}

std::vector<RunRecord> Catalog::sweepRuns(std::int64_t sweepId)
{
    std::vector<RunRecord> out;
    sql::Statement st = m_db->prepare("SELECT " WB_RUN_COLUMNS WB_QUEUE_FROM "WHERE r.sweep_id = ?1 ORDER BY r.id");
    st.bind(1, sweepId);
    while (st.step())
        out.push_back(readRun(st));
    return out;
}

} // namespace wb
