// SPDX-License-Identifier: Apache-2.0
// ARM CMSDK APB dual timer: two down-counters with free-running, periodic and one-shot modes,
// 16/32-bit size and prescaler (type cmsdk-apb-dualtimer).
#pragma once

#include <array>

#include "platform/devices/down_counter.h"
#include "platform/devices/register_mapped_device.h"

namespace presil::platform::devices {

/// CMSDK APB dual timer. Per counter n (0/1) at 0x20*n: LOAD, VALUE, CONTROL, INTCLR, RIS, MIS,
/// BGLOAD; ITCR 0xF00, ITOP 0xF04; IDs. Outputs "timer1", "timer2" and "combined" (also "").
class CmsdkApbDualTimer : public RegisterMappedDevice {
public:
    /// CONTROL bits.
    static constexpr uint32_t kOneShot = 1, kSize32 = 2, kPrescaleShift = 2, kIntEnable = 0x20, kPeriodic = 0x40,
                              kEnable = 0x80;

    /// Dual timer whose counters run at `clock_hz` before the prescaler.
    CmsdkApbDualTimer(sc_core::sc_module_name name, uint64_t clock_hz);

    /// "timer1", "timer2", "combined" ("" = "combined").
    tlm::IrqOut* irq_out(std::string_view name) override;
    /// The output names.
    std::vector<std::string> irq_names() const override;
    /// Reset values.
    void reset() override;

private:
    struct Channel {
        explicit Channel(uint64_t hz) : counter(hz) {}
        DownCounter counter;
        tlm::Register* load = nullptr;
        tlm::Register* control = nullptr;
        tlm::Register* ris = nullptr;
        sc_core::sc_event zero;
        tlm::IrqOut irq;
    };

    void add_channel(unsigned n);
    void configure(unsigned n);
    void on_zero(unsigned n);
    void schedule(unsigned n);
    uint32_t masked(unsigned n) const;
    void update();

    uint64_t m_clock_hz;
    std::array<Channel, 2> m_channels;
    tlm::IrqOut m_combined;
};

}  // namespace presil::platform::devices
