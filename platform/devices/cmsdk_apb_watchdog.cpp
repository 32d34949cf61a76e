// SPDX-License-Identifier: Apache-2.0
// ARM CMSDK APB watchdog model and its registration as `cmsdk-apb-watchdog`.
#include "platform/devices/cmsdk_apb_watchdog.h"

namespace presil::platform::devices {

namespace {
constexpr std::array<uint8_t, 12> kWatchdogId{0x04, 0x00, 0x00, 0x00, 0x24, 0xb8, 0x1b, 0x00, 0x0d, 0xf0, 0x05, 0xb1};
}

CmsdkApbWatchdog::CmsdkApbWatchdog(sc_core::sc_module_name name, uint64_t clock_hz)
    : RegisterMappedDevice(name),
      m_load(regs().add({.name = "LOAD",
                         .offset = 0x00,
                         .reset = 0xffffffffu,
                         .on_write =
                             [this](uint32_t o, uint32_t n) {
                                 if (locked()) return m_load.set(o);
                                 m_counter.set_reload(n, now());
                                 m_counter.load(n, now());
                                 schedule();
                             }})),
      m_control(regs().add({.name = "CONTROL",
                            .offset = 0x08,
                            .on_write =
                                [this](uint32_t o, uint32_t n) {
                                    if (locked()) return m_control.set(o);
                                    const bool was_on = o & kIntEnable, on = n & kIntEnable;
                                    if (on && !was_on) {
                                        // Enabling restarts the count from LOAD.
                                        m_counter.load(m_load.value(), now());
                                        m_counter.start(now());
                                    }
                                    if (!on && was_on) m_counter.stop(now());
                                    schedule();
                                    update();
                                },
                            .write_mask = 0x3})),
      m_ris(regs().add({.name = "RIS", .offset = 0x10, .access = tlm::Access::ReadOnly})),
      m_lock(regs().add({.name = "LOCK",
                         .offset = 0xC00,
                         .on_write = [this](uint32_t, uint32_t n) { m_lock.set(n == kUnlockKey ? 0 : 1); }})),
      m_counter(clock_hz) {
    regs().add({.name = "VALUE",
                .offset = 0x04,
                .reset = 0xffffffffu,
                .access = tlm::Access::ReadOnly,
                .on_read = [this](uint32_t) { return m_counter.value(now()); },
                .read_is_pure = true});
    regs().add({.name = "INTCLR",
                .offset = 0x0C,
                .access = tlm::Access::WriteOnly,
                .on_write =
                    [this](uint32_t, uint32_t) {
                        if (locked()) return;
                        // Clearing the interrupt also restarts the count.
                        m_ris.set(0);
                        m_counter.load(m_load.value(), now());
                        schedule();
                        update();
                    }});
    regs().add({.name = "MIS",
                .offset = 0x14,
                .access = tlm::Access::ReadOnly,
                .on_read = [this](uint32_t) { return m_ris.value() & m_control.value() & kIntEnable; },
                .read_is_pure = true});
    regs().add({.name = "ITCR", .offset = 0xF00, .write_mask = 1});
    regs().add({.name = "ITOP", .offset = 0xF04, .access = tlm::Access::WriteOnly, .write_mask = 3});
    add_id_registers(kWatchdogId);
    SC_HAS_PROCESS(CmsdkApbWatchdog);
    SC_METHOD(on_timeout);
    sensitive << m_timeout;
    dont_initialize();
    reset();
}

tlm::IrqOut* CmsdkApbWatchdog::irq_out(std::string_view name) {
    if (name.empty()) return &m_irq;
    if (name == "reset") return &m_reset;
    return nullptr;
}

void CmsdkApbWatchdog::reset() {
    RegisterMappedDevice::reset();
    m_counter.stop(now());
    m_counter.set_reload(0xffffffffu, now());
    m_counter.load(0xffffffffu, now());
    m_timeout.cancel();
    m_reset.set(false);
    update();
}

void CmsdkApbWatchdog::on_timeout() {
    if (m_ris.value() & 1u) {
        // Second timeout with the interrupt still pending: request a reset.
        if (m_control.value() & kResetEnable) m_reset.set(true);
    } else {
        m_ris.set(1);
    }
    update();
    schedule();
}

void CmsdkApbWatchdog::schedule() {
    m_timeout.cancel();
    if (auto t = m_counter.next_zero(now())) m_timeout.notify(*t - sc_core::sc_time_stamp());
}

void CmsdkApbWatchdog::update() { m_irq.set((m_ris.value() & m_control.value() & kIntEnable) != 0); }

namespace {
const DeviceRegistrar kRegistrar{
    "cmsdk-apb-watchdog", "ARM CMSDK APB watchdog (interrupt, then reset request)",
    [](const DeviceConfig& c) -> std::unique_ptr<Device> {
        const uint64_t hz = c.options.frequency_hz("clock", 25'000'000);
        if (hz == 0) c.options.fail("clock", "the watchdog clock must not be 0 Hz");
        return std::make_unique<CmsdkApbWatchdog>(c.name.c_str(), hz);
    }};
}  // namespace

}  // namespace presil::platform::devices
