// SPDX-License-Identifier: Apache-2.0
// MPS2 FPGA system control and I/O block: LEDs, buttons, 1 Hz/100 Hz counters and a prescaled
// cycle counter, all derived from simulated time (type mps2-fpgaio).
#pragma once

#include "platform/devices/register_mapped_device.h"

namespace presil::platform::devices {

/// MPS2 FPGAIO. Registers: LED0 0x00, BUTTON 0x08, CLK1HZ 0x10, CLK100HZ 0x14, COUNTER 0x18,
/// PRESCALE 0x1C, PSCNTR 0x20, SWITCH 0x28 (when present), MISC 0x4C. No interrupts.
class Mps2Fpgaio : public RegisterMappedDevice {
public:
    /// Configuration from the board options.
    struct Config {
        unsigned num_leds = 2;              ///< LED0 bits that exist (`leds`)
        uint32_t buttons = 0;               ///< BUTTON value (`buttons`)
        bool has_switches = false;          ///< SWITCH register present (`switches` given)
        uint32_t switches = 0;              ///< SWITCH value
        uint64_t prescale_hz = 25'000'000;  ///< clock of PSCNTR (`prescale-clock`)
    };

    /// The block with configuration `cfg`.
    Mps2Fpgaio(sc_core::sc_module_name name, const Config& cfg);

    /// No interrupt outputs.
    tlm::IrqOut* irq_out(std::string_view) override { return nullptr; }
    /// No interrupt outputs.
    std::vector<std::string> irq_names() const override { return {}; }
    /// Reset: counters restart from 0 at the current time.
    void reset() override;
    /// Current LED bits (for a front-end or a test).
    uint32_t leds() const { return m_led0.value(); }

private:
    /// Stores a bus write to COUNTER, PRESCALE or PSCNTR after syncing with the old value.
    void write_synced(tlm::Register& reg, uint32_t old_value, uint32_t new_value);
    /// Brings PSCNTR and COUNTER up to `now()`.
    void sync_counter();
    /// A free-running up-counter: the value written at a time plus the ticks since.
    struct SlowCounter {
        explicit SlowCounter(uint64_t hz) : clock(hz) {}
        uint32_t value(const sc_core::sc_time& now) const {
            return base_value + static_cast<uint32_t>(clock.ticks_between(base_time, now));
        }
        void set(uint32_t value, const sc_core::sc_time& now) {
            base_value = value;
            base_time = now;
        }
        TickClock clock;
        sc_core::sc_time base_time;
        uint32_t base_value = 0;
    };

    Config m_cfg;
    tlm::Register& m_led0;
    tlm::Register& m_counter;
    tlm::Register& m_prescale;
    tlm::Register& m_pscntr;
    SlowCounter m_clk1hz{1}, m_clk100hz{100};
    TickClock m_prescale_clock;
    sc_core::sc_time m_prescale_base;  // reference of the prescale clock's tick count
    uint64_t m_prescale_synced = 0;    // prescale ticks already applied to PSCNTR/COUNTER
};

}  // namespace presil::platform::devices
