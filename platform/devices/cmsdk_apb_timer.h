// SPDX-License-Identifier: Apache-2.0
// ARM CMSDK APB timer: 32-bit down-counter with reload and one interrupt (type cmsdk-apb-timer).
#pragma once

#include "platform/devices/down_counter.h"
#include "platform/devices/register_mapped_device.h"

namespace presil::platform::devices {

/// CMSDK APB timer. Registers: CTRL 0x00, VALUE 0x04, RELOAD 0x08, INTSTATUS/INTCLEAR 0x0C, IDs.
/// The counter is computed from simulated time; one sc_event is scheduled for the next underflow.
class CmsdkApbTimer : public RegisterMappedDevice {
public:
    /// CTRL bits.
    static constexpr uint32_t kCtrlEnable = 1u << 0, kCtrlExtEnable = 1u << 1, kCtrlExtClock = 1u << 2,
                              kCtrlIrqEnable = 1u << 3;

    /// Timer counting at `clock_hz`.
    CmsdkApbTimer(sc_core::sc_module_name name, uint64_t clock_hz);

    /// The interrupt output "" (INTSTATUS).
    tlm::IrqOut* irq_out(std::string_view name) override { return name.empty() ? &m_irq : nullptr; }
    /// One output.
    std::vector<std::string> irq_names() const override { return {""}; }
    /// Reset values (all registers 0, stopped).
    void reset() override;

private:
    void on_ctrl(uint32_t old_value, uint32_t new_value);
    void on_underflow();
    void schedule();
    void update();

    tlm::Register& m_ctrl;
    tlm::Register& m_value;
    tlm::Register& m_reload;
    tlm::Register& m_intstatus;
    DownCounter m_counter;
    sc_core::sc_event m_underflow;
    tlm::IrqOut m_irq;
};

}  // namespace presil::platform::devices
