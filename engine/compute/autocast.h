// SPDX-License-Identifier: GPL-3.0-or-later
// bf16 mixed precision: a scope in which matmuls and convolutions run in
// bfloat16 under LibTorch's autocast while weights, gradients and optimizer
// state stay fp32 (no loss scaling needed: bf16 keeps fp32's exponent range).
// Autocast state is thread-local; the scope belongs on the training thread.
// Engine sources only (ATen comes from their precompiled header).
#pragma once

#include <ATen/autocast_mode.h>
#include <c10/core/Device.h>

namespace wb {

class AutocastScope {
public:
    AutocastScope(bool enabled, c10::DeviceType device) : m_enabled(enabled), m_cpu(device == c10::DeviceType::CPU)
    {
        if (!m_enabled)
            return;
        if (m_cpu) {
            m_was = at::autocast::is_cpu_enabled();
            at::autocast::set_autocast_cpu_dtype(at::kBFloat16);
            at::autocast::set_cpu_enabled(true);
        } else {
            m_was = at::autocast::is_enabled();
            at::autocast::set_autocast_gpu_dtype(at::kBFloat16);
            at::autocast::set_enabled(true);
        }
        at::autocast::increment_nesting();
    }
    ~AutocastScope()
    {
        if (!m_enabled)
            return;
        if (at::autocast::decrement_nesting() == 0)
            at::autocast::clear_cache(); // the bf16 copies of weights made in this step
        if (m_cpu)
            at::autocast::set_cpu_enabled(m_was);
        else
            at::autocast::set_enabled(m_was);
    }
    AutocastScope(const AutocastScope&) = delete;
    AutocastScope& operator=(const AutocastScope&) = delete;

private:
    bool m_enabled;
    bool m_cpu;
    bool m_was = false;
};

} // namespace wb
