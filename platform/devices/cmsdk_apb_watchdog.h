// SPDX-License-Identifier: Apache-2.0
// ARM CMSDK APB watchdog: down-counter raising an interrupt on the first timeout and a reset
// request on the second, with a lock register (type cmsdk-apb-watchdog).
#pragma once

#include "platform/devices/down_counter.h"
#include "platform/devices/register_mapped_device.h"

namespace presil::platform::devices {

/// CMSDK APB watchdog. Registers: LOAD 0x00, VALUE 0x04, CONTROL 0x08, INTCLR 0x0C, RIS 0x10,
/// MIS 0x14, LOCK 0xC00, ITCR 0xF00, ITOP 0xF04, IDs. Outputs "" (interrupt) and "reset".
class CmsdkApbWatchdog : public RegisterMappedDevice {
public:
    /// CONTROL bits.
    static constexpr uint32_t kIntEnable = 1, kResetEnable = 2;
    /// Value written to LOCK to allow register writes.
    static constexpr uint32_t kUnlockKey = 0x1ACCE551;

    /// Watchdog counting at `clock_hz`.
    CmsdkApbWatchdog(sc_core::sc_module_name name, uint64_t clock_hz);

    /// "" (interrupt) or "reset".
    tlm::IrqOut* irq_out(std::string_view name) override;
    /// The output names.
    std::vector<std::string> irq_names() const override { return names({"", "reset"}); }
    /// Reset values (stopped, LOAD/VALUE all ones, unlocked, reset request lowered).
    void reset() override;

private:
    bool locked() const { return m_lock.value() != 0; }
    void on_timeout();
    void schedule();
    void update();

    tlm::Register& m_load;
    tlm::Register& m_control;
    tlm::Register& m_ris;
    tlm::Register& m_lock;
    DownCounter m_counter;
    sc_core::sc_event m_timeout;
    tlm::IrqOut m_irq, m_reset;
};

}  // namespace presil::platform::devices
