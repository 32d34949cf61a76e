// SPDX-License-Identifier: Apache-2.0
// ARM CMSDK APB dual timer model and its registration as `cmsdk-apb-dualtimer`.
#include "platform/devices/cmsdk_apb_dualtimer.h"

#include <string>

namespace presil::platform::devices {

namespace {
constexpr std::array<uint8_t, 12> kDualTimerId{0x04, 0x00, 0x00, 0x00, 0x23, 0xb8, 0x1b, 0x00, 0x0d, 0xf0, 0x05, 0xb1};
/// Prescaler divisors by CONTROL[3:2] (the reserved value 3 divides like 2).
constexpr std::array<uint64_t, 4> kPrescale{1, 16, 256, 256};
}  // namespace

CmsdkApbDualTimer::CmsdkApbDualTimer(sc_core::sc_module_name name, uint64_t clock_hz)
    : RegisterMappedDevice(name), m_clock_hz(clock_hz), m_channels{Channel(clock_hz), Channel(clock_hz)} {
    add_channel(0);
    add_channel(1);
    regs().add({.name = "ITCR", .offset = 0xF00, .write_mask = 1});
    regs().add({.name = "ITOP", .offset = 0xF04, .access = tlm::Access::WriteOnly, .write_mask = 3});
    add_id_registers(kDualTimerId);
    for (unsigned n = 0; n < 2; ++n) {
        sc_core::sc_spawn_options opts;
        opts.spawn_method();
        opts.set_sensitivity(&m_channels[n].zero);
        opts.dont_initialize();
        sc_core::sc_spawn([this, n] { on_zero(n); }, sc_core::sc_gen_unique_name("zero"), &opts);
    }
    reset();
}

void CmsdkApbDualTimer::add_channel(unsigned n) {
    Channel& ch = m_channels[n];
    const uint32_t base = 0x20 * n;
    const std::string prefix = "TIMER" + std::to_string(n + 1);
    ch.load = &regs().add({.name = prefix + "LOAD",
                           .offset = base + 0x00,
                           .on_write =
                               [this, n](uint32_t, uint32_t v) {
                                   // LOAD restarts the count from the new value.
                                   Channel& c = m_channels[n];
                                   c.counter.set_reload(v, now());
                                   c.counter.load(v, now());
                                   schedule(n);
                               }});
    regs().add({.name = prefix + "VALUE",
                .offset = base + 0x04,
                .reset = 0xffffffffu,
                .access = tlm::Access::ReadOnly,
                .on_read = [this, n](uint32_t) { return m_channels[n].counter.value(now()); },
                .read_is_pure = true});
    ch.control = &regs().add({.name = prefix + "CONTROL",
                              .offset = base + 0x08,
                              .reset = kIntEnable,
                              .on_write = [this, n](uint32_t, uint32_t) { configure(n); },
                              .write_mask = 0xef});
    regs().add({.name = prefix + "INTCLR",
                .offset = base + 0x0C,
                .access = tlm::Access::WriteOnly,
                .on_write =
                    [this, n](uint32_t, uint32_t) {
                        m_channels[n].ris->set(0);
                        update();
                    }});
    ch.ris = &regs().add({.name = prefix + "RIS", .offset = base + 0x10, .access = tlm::Access::ReadOnly});
    regs().add({.name = prefix + "MIS",
                .offset = base + 0x14,
                .access = tlm::Access::ReadOnly,
                .on_read = [this, n](uint32_t) { return masked(n); },
                .read_is_pure = true});
    regs().add({.name = prefix + "BGLOAD",
                .offset = base + 0x18,
                .on_read = [this, n](uint32_t) { return m_channels[n].load->value(); },
                .on_write =
                    [this, n](uint32_t, uint32_t v) {
                        // BGLOAD changes the reload value without restarting the count.
                        Channel& c = m_channels[n];
                        c.load->set(v);
                        c.counter.set_reload(v, now());
                        schedule(n);
                    },
                .read_is_pure = true});
}

tlm::IrqOut* CmsdkApbDualTimer::irq_out(std::string_view name) {
    if (name == "timer1") return &m_channels[0].irq;
    if (name == "timer2") return &m_channels[1].irq;
    if (name.empty() || name == "combined") return &m_combined;
    return nullptr;
}

std::vector<std::string> CmsdkApbDualTimer::irq_names() const { return names({"timer1", "timer2", "combined"}); }

void CmsdkApbDualTimer::reset() {
    RegisterMappedDevice::reset();
    for (unsigned n = 0; n < 2; ++n) {
        Channel& c = m_channels[n];
        c.counter.stop(now());
        c.counter.set_clock(m_clock_hz, 1, now());
        c.counter.set_mode(DownCounter::AtZero::Wrap, 0xffffffffu, now());
        c.counter.set_reload(0, now());
        c.counter.load(0xffffffffu, now());
        c.zero.cancel();
    }
    update();
}

void CmsdkApbDualTimer::configure(unsigned n) {
    Channel& c = m_channels[n];
    const uint32_t ctrl = c.control->value();
    const sc_core::sc_time t = now();
    c.counter.set_clock(m_clock_hz, kPrescale[(ctrl >> kPrescaleShift) & 3], t);
    const auto mode = (ctrl & kOneShot)    ? DownCounter::AtZero::Stop
                      : (ctrl & kPeriodic) ? DownCounter::AtZero::Reload
                                           : DownCounter::AtZero::Wrap;
    c.counter.set_mode(mode, (ctrl & kSize32) ? 0xffffffffu : 0xffffu, t);
    if (ctrl & kEnable)
        c.counter.start(t);
    else
        c.counter.stop(t);
    schedule(n);
    update();
}

void CmsdkApbDualTimer::on_zero(unsigned n) {
    m_channels[n].ris->set(1);
    update();
    schedule(n);
}

void CmsdkApbDualTimer::schedule(unsigned n) {
    Channel& c = m_channels[n];
    c.zero.cancel();
    if (auto t = c.counter.next_zero(now())) c.zero.notify(*t - sc_core::sc_time_stamp());
}

uint32_t CmsdkApbDualTimer::masked(unsigned n) const {
    const Channel& c = m_channels[n];
    return (c.ris->value() & 1u) && (c.control->value() & kIntEnable) ? 1u : 0u;
}

void CmsdkApbDualTimer::update() {
    m_channels[0].irq.set(masked(0));
    m_channels[1].irq.set(masked(1));
    m_combined.set(masked(0) || masked(1));
}

namespace {
const DeviceRegistrar kRegistrar{
    "cmsdk-apb-dualtimer", "ARM CMSDK APB dual timer (two down-counters, combined interrupt)",
    [](const DeviceConfig& c) -> std::unique_ptr<Device> {
        const uint64_t hz = c.options.frequency_hz("clock", 25'000'000);
        if (hz == 0) c.options.fail("clock", "the timer clock must not be 0 Hz");
        return std::make_unique<CmsdkApbDualTimer>(c.name.c_str(), hz);
    }};
}  // namespace

}  // namespace presil::platform::devices
