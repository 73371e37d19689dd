// SPDX-License-Identifier: GPL-3.0-or-later
#include "jobs/run_reporter.h"

#include "catalog/catalog.h"

#include <cmath>

namespace wb {

namespace {
constexpr auto kDeliveryInterval = std::chrono::milliseconds(100);
constexpr auto kWriteInterval = std::chrono::milliseconds(1000);
} // namespace

RunReporter::RunReporter(Catalog& catalog, std::int64_t runId, EventListener listener)
    : m_catalog(catalog), m_runId(runId), m_listener(std::move(listener)),
      m_lastDelivery(std::chrono::steady_clock::now()), m_lastWrite(m_lastDelivery)
{
}

void RunReporter::post(Event event)
{
    if (const auto* s = std::get_if<StepEvent>(&event)) {
        m_pendingMetrics.push_back({s->step, "train_loss", s->trainLoss, s->wallTime});
        m_pendingMetrics.push_back({s->step, "lr", s->lr, s->wallTime});
        m_pendingMetrics.push_back({s->step, "tokens_per_s", s->tokensPerSec, s->wallTime});
        m_pendingMetrics.push_back({s->step, "time_data_ms", s->dataMs, s->wallTime});
        m_pendingMetrics.push_back({s->step, "time_forward_ms", s->forwardMs, s->wallTime});
        m_pendingMetrics.push_back({s->step, "time_backward_ms", s->backwardMs, s->wallTime});
        m_pendingMetrics.push_back({s->step, "time_optimizer_ms", s->optimizerMs, s->wallTime});
        m_pendingMetrics.push_back({s->step, "model_gflops", s->modelGflops, s->wallTime});
        if (s->utilisation > 0)
            m_pendingMetrics.push_back({s->step, "utilisation", s->utilisation, s->wallTime});
        m_pendingMetrics.push_back({s->step, "rss_mb", s->rssMb, s->wallTime});
        for (const auto& [name, value] : s->lossTerms)
            if (std::isfinite(value))
                m_pendingMetrics.push_back({s->step, "loss_" + name, value, s->wallTime});
    } else if (const auto* e = std::get_if<EvalEvent>(&event)) {
        auto add = [&](const std::string& name, double value) {
            if (std::isfinite(value)) // a metric a task does not have is not stored
                m_pendingMetrics.push_back({e->step, name, value, e->wallTime});
        };
        add("val_loss", e->valLoss);
        add("val_ppl", e->valPpl);
        add("val_bpc", e->valBpc);
        add("val_bpb", e->valBpb);
        for (const auto& [name, value] : e->taskMetrics)
            add("val_" + name, value);
    } else if (const auto* s = std::get_if<SampleEvent>(&event)) {
        m_pendingSamples.push_back({s->step, s->prompt, s->text});
    }
    const bool urgent = std::holds_alternative<StateEvent>(event);
    m_pendingEvents.push_back(std::move(event));
    flush(urgent);
}

void RunReporter::flush(bool force)
{
    const auto now = std::chrono::steady_clock::now();
    if (force || now - m_lastWrite >= kWriteInterval) {
        writeCatalog();
        m_lastWrite = now;
        if (m_afterWrite)
            m_afterWrite();
    }
    if (force || now - m_lastDelivery >= kDeliveryInterval) {
        if (m_listener && !m_pendingEvents.empty())
            m_listener(EventBatch{m_runId, m_pendingEvents});
        m_pendingEvents.clear();
        m_lastDelivery = now;
    }
}

void RunReporter::writeCatalog()
{
    if (m_pendingMetrics.empty() && m_pendingSamples.empty())
        return;
    m_catalog.transaction([&] {
        m_catalog.appendMetrics(m_runId, m_pendingMetrics);
        for (const auto& s : m_pendingSamples)
            m_catalog.addSample(m_runId, s);
    });
    m_pendingMetrics.clear();
    m_pendingSamples.clear();
}

} // namespace wb
