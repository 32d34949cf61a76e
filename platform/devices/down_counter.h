// SPDX-License-Identifier: Apache-2.0
// A clocked down-counter computed lazily from simulated time: no event per tick, only the time
// of the next decrement into zero (for the device to schedule one sc_event).
#pragma once

#include <cstdint>
#include <optional>

#include <systemc>

#include "platform/devices/register_mapped_device.h"

namespace presil::platform::devices {

/// Down-counter shared by the CMSDK timers: counts from a start value at `hz`, and on reaching
/// zero reloads, wraps to its maximum, or stops.
class DownCounter {
public:
    /// What follows zero.
    enum class AtZero : uint8_t {
        Reload,  ///< next tick loads the reload value (no further zeros if it is 0)
        Wrap,    ///< next tick wraps to the maximum (free-running)
        Stop,    ///< stays at zero (one-shot)
    };

    /// A stopped counter at value 0, clocked at `hz`, 32 bits wide, reloading.
    explicit DownCounter(uint64_t hz);

    /// Current value at time `now`.
    uint32_t value(const sc_core::sc_time& now) const;
    /// Loads `value` at `now` (counting restarts from it if running).
    void load(uint32_t value, const sc_core::sc_time& now);
    /// Starts counting at `now` from the current value (no-op when running).
    void start(const sc_core::sc_time& now);
    /// Stops at `now`, keeping the value reached.
    void stop(const sc_core::sc_time& now);
    /// True while counting.
    bool running() const { return m_running; }
    /// Sets the value loaded after zero in Reload mode (applies from `now` on).
    void set_reload(uint32_t reload, const sc_core::sc_time& now);
    /// Sets what follows zero and the counter width mask (0xffff or 0xffffffff), from `now` on.
    void set_mode(AtZero mode, uint32_t mask, const sc_core::sc_time& now);
    /// Changes the clock to `hz` / `divisor` from `now` on.
    void set_clock(uint64_t hz, uint64_t divisor, const sc_core::sc_time& now);
    /// Time of the first decrement into zero strictly after `now`, if the counter reaches one.
    std::optional<sc_core::sc_time> next_zero(const sc_core::sc_time& now) const;

private:
    /// Moves the reference point to the last tick at or before `now` (keeps the phase).
    void rebase(const sc_core::sc_time& now);
    /// Value `n` ticks after the reference point.
    uint32_t value_after(uint64_t n) const;
    /// Ticks between two zeros in periodic operation, 0 when there is no further zero.
    uint64_t period() const;

    TickClock m_clock;
    sc_core::sc_time m_origin;   // reference point (valid while running)
    uint32_t m_start = 0;        // value at the reference point
    uint32_t m_reload = 0;
    uint32_t m_mask = 0xffffffffu;
    AtZero m_mode = AtZero::Reload;
    bool m_running = false;
};

}  // namespace presil::platform::devices
