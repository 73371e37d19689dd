// SPDX-License-Identifier: GPL-3.0-or-later
// Collects a run's events on the worker thread and sends them on in batches:
// to the listener about every 100 ms and to the catalog about once a second,
// one transaction per flush.
#pragma once

#include "catalog/records.h"
#include "jobs/events.h"

#include <chrono>
#include <vector>

namespace wb {

class Catalog;

class RunReporter {
public:
    RunReporter(Catalog& catalog, std::int64_t runId, EventListener listener);
    void post(Event event);
    void flush(bool force = false);

private:
    void writeCatalog();

    Catalog& m_catalog;
    std::int64_t m_runId;
    EventListener m_listener;
    std::vector<Event> m_pendingEvents;
    std::vector<MetricPoint> m_pendingMetrics;
    std::vector<SampleRecord> m_pendingSamples;
    std::chrono::steady_clock::time_point m_lastDelivery;
    std::chrono::steady_clock::time_point m_lastWrite;
};

} // namespace wb
