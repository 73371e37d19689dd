// SPDX-License-Identifier: GPL-3.0-or-later
// Collects a run's events on the worker thread and sends them on in batches:
// to the listener about every 100 ms and to the catalog about once a second,
// one transaction per flush.
#pragma once

#include "catalog/records.h"
#include "core/events.h"

#include <chrono>
#include <functional>
#include <vector>

namespace wb {

class Catalog;

class RunReporter {
public:
    RunReporter(Catalog& catalog, std::int64_t runId, EventListener listener);
    void post(Event event);
    void flush(bool force = false);
    // Called after each catalog write (about once a second) on the worker
    // thread: where the job looks for pause/cancel requests from elsewhere.
    void setAfterWrite(std::function<void()> fn) { m_afterWrite = std::move(fn); }

private:
    void writeCatalog();

    Catalog& m_catalog;
    std::int64_t m_runId;
    EventListener m_listener;
    std::function<void()> m_afterWrite;
    std::vector<Event> m_pendingEvents;
    std::vector<MetricPoint> m_pendingMetrics;
    std::vector<SampleRecord> m_pendingSamples;
    std::chrono::steady_clock::time_point m_lastDelivery;
    std::chrono::steady_clock::time_point m_lastWrite;
};

} // namespace wb
