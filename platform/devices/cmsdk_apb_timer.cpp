// SPDX-License-Identifier: Apache-2.0
// ARM CMSDK APB timer model and its registration as `cmsdk-apb-timer`.
#include "platform/devices/cmsdk_apb_timer.h"

namespace presil::platform::devices {

namespace {
constexpr std::array<uint8_t, 12> kTimerId{0x04, 0x00, 0x00, 0x00, 0x22, 0xb8, 0x1b, 0x00, 0x0d, 0xf0, 0x05, 0xb1};
}

CmsdkApbTimer::CmsdkApbTimer(sc_core::sc_module_name name, uint64_t clock_hz)
    : RegisterMappedDevice(name),
      m_ctrl(regs().add({.name = "CTRL",
                         .offset = 0x00,
                         .on_write = [this](uint32_t o, uint32_t n) { on_ctrl(o, n); },
                         .write_mask = 0xf})),
      m_value(regs().add({.name = "VALUE",
                          .offset = 0x04,
                          .on_read = [this](uint32_t) { return m_counter.value(now()); },
                          .on_write =
                              [this](uint32_t, uint32_t n) {
                                  m_counter.load(n, now());
                                  schedule();
                              },
                          .read_is_pure = true})),
      m_reload(regs().add({.name = "RELOAD",
                           .offset = 0x08,
                           .on_write =
                               [this](uint32_t, uint32_t n) {
                                   // Writing RELOAD also sets the current value.
                                   m_counter.set_reload(n, now());
                                   m_counter.load(n, now());
                                   schedule();
                               }})),
      m_intstatus(regs().add({.name = "INTSTATUS",
                              .offset = 0x0C,
                              .access = tlm::Access::WriteOneToClear,
                              .on_write = [this](uint32_t, uint32_t) { update(); },
                              .write_mask = 0x1})),
      m_counter(clock_hz) {
    add_id_registers(kTimerId);
    SC_HAS_PROCESS(CmsdkApbTimer);
    SC_METHOD(on_underflow);
    sensitive << m_underflow;
    dont_initialize();
}

void CmsdkApbTimer::reset() {
    RegisterMappedDevice::reset();
    m_counter.stop(now());
    m_counter.set_reload(0, now());
    m_counter.load(0, now());
    m_underflow.cancel();
    update();
}

void CmsdkApbTimer::on_ctrl(uint32_t old_value, uint32_t new_value) {
    const bool was_on = old_value & kCtrlEnable;
    const bool on = new_value & kCtrlEnable;
    if (on && !was_on) m_counter.start(now());
    if (!on && was_on) m_counter.stop(now());
    schedule();
    update();
}

void CmsdkApbTimer::on_underflow() {
    if (m_ctrl.value() & kCtrlIrqEnable) m_intstatus.set(1);
    update();
    schedule();
}

void CmsdkApbTimer::schedule() {
    m_underflow.cancel();
    if (auto t = m_counter.next_zero(now())) m_underflow.notify(*t - sc_core::sc_time_stamp());
}

void CmsdkApbTimer::update() { m_irq.set(m_intstatus.value() & 1u); }

namespace {
const DeviceRegistrar kRegistrar{
    "cmsdk-apb-timer", "ARM CMSDK APB timer (32-bit down-counter, one interrupt)",
    [](const DeviceConfig& c) -> std::unique_ptr<Device> {
        const uint64_t hz = c.options.frequency_hz("clock", 25'000'000);
        if (hz == 0) c.options.fail("clock", "the timer clock must not be 0 Hz");
        return std::make_unique<CmsdkApbTimer>(c.name.c_str(), hz);
    }};
}  // namespace

}  // namespace presil::platform::devices
