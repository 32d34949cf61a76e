// SPDX-License-Identifier: Apache-2.0
// Lazily computed down-counter: value and next zero from the ticks elapsed since a reference point.
//
// Starting from value v0 at tick 0 the counter reads v0 - n until it reaches zero at tick v0; the
// following tick loads `top` (the reload value, or the maximum when wrapping) and every period of
// top + 1 ticks it reaches zero again.
#include "platform/devices/down_counter.h"

namespace presil::platform::devices {

DownCounter::DownCounter(uint64_t hz) : m_clock(hz) {}

uint64_t DownCounter::period() const {
    switch (m_mode) {
    case AtZero::Reload: return (m_reload & m_mask) == 0 ? 0 : uint64_t{m_reload & m_mask} + 1;
    case AtZero::Wrap: return uint64_t{m_mask} + 1;
    case AtZero::Stop: return 0;
    }
    return 0;
}

uint32_t DownCounter::value_after(uint64_t n) const {
    if (n <= m_start) return static_cast<uint32_t>(m_start - n);
    const uint64_t p = period();
    if (p == 0) return 0;
    const uint64_t top = p - 1;
    return static_cast<uint32_t>(top - (n - m_start - 1) % p);
}

uint32_t DownCounter::value(const sc_core::sc_time& now) const {
    if (!m_running) return m_start;
    return value_after(m_clock.ticks_between(m_origin, now));
}

void DownCounter::rebase(const sc_core::sc_time& now) {
    if (!m_running) return;
    const uint64_t n = m_clock.ticks_between(m_origin, now);
    m_start = value_after(n);
    m_origin += m_clock.time_of(n);
}

void DownCounter::load(uint32_t value, const sc_core::sc_time& now) {
    m_start = value & m_mask;
    m_origin = now;
}

void DownCounter::start(const sc_core::sc_time& now) {
    if (m_running) return;
    m_running = true;
    m_origin = now;
}

void DownCounter::stop(const sc_core::sc_time& now) {
    rebase(now);
    m_running = false;
}

void DownCounter::set_reload(uint32_t reload, const sc_core::sc_time& now) {
    rebase(now);
    m_reload = reload;
}

void DownCounter::set_mode(AtZero mode, uint32_t mask, const sc_core::sc_time& now) {
    rebase(now);
    m_mode = mode;
    m_mask = mask;
    m_start &= mask;
    m_reload &= 0xffffffffu;
}

void DownCounter::set_clock(uint64_t hz, uint64_t divisor, const sc_core::sc_time& now) {
    if (hz == m_clock.hz() && divisor == m_clock.divisor()) return;
    rebase(now);
    m_clock = TickClock(hz, divisor);
}

std::optional<sc_core::sc_time> DownCounter::next_zero(const sc_core::sc_time& now) const {
    if (!m_running) return std::nullopt;
    const uint64_t n = m_clock.ticks_between(m_origin, now);
    uint64_t hit;
    if (m_start > n) {
        hit = m_start;
    } else {
        const uint64_t p = period();
        if (p == 0) return std::nullopt;
        hit = m_start + ((n - m_start) / p + 1) * p;
    }
    return m_origin + m_clock.time_of(hit);
}

}  // namespace presil::platform::devices
