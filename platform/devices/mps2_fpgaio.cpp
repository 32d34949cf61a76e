// SPDX-License-Identifier: Apache-2.0
// MPS2 FPGAIO model and its registration as `mps2-fpgaio`.
//
// CLK1HZ/CLK100HZ count from the value last written (0 at reset) at 1 Hz and 100 Hz. PSCNTR counts down at the
// prescale clock; one tick after it reaches zero it reloads from PRESCALE and COUNTER increments.
#include "platform/devices/mps2_fpgaio.h"

namespace presil::platform::devices {

Mps2Fpgaio::Mps2Fpgaio(sc_core::sc_module_name name, const Config& cfg)
    : RegisterMappedDevice(name),
      m_cfg(cfg),
      m_led0(regs().add({.name = "LED0",
                         .offset = 0x00,
                         .write_mask = cfg.num_leds >= 32 ? 0xffffffffu : (1u << cfg.num_leds) - 1})),
      m_counter(regs().add({.name = "COUNTER",
                            .offset = 0x18,
                            .on_read =
                                [this](uint32_t) {
                                    sync_counter();
                                    return m_counter.value();
                                },
                            .on_write = [this](uint32_t o, uint32_t n) { write_synced(m_counter, o, n); }})),
      m_prescale(regs().add({.name = "PRESCALE",
                             .offset = 0x1C,
                             .on_write = [this](uint32_t o, uint32_t n) { write_synced(m_prescale, o, n); }})),
      m_pscntr(regs().add({.name = "PSCNTR",
                           .offset = 0x20,
                           .on_read =
                               [this](uint32_t) {
                                   sync_counter();
                                   return m_pscntr.value();
                               },
                           .on_write = [this](uint32_t o, uint32_t n) { write_synced(m_pscntr, o, n); }})),
      m_prescale_clock(cfg.prescale_hz) {
    regs().add({.name = "BUTTON", .offset = 0x08, .reset = cfg.buttons, .access = tlm::Access::ReadOnly});
    regs().add({.name = "CLK1HZ",
                .offset = 0x10,
                .on_read = [this](uint32_t) { return m_clk1hz.value(now()); },
                .on_write = [this](uint32_t, uint32_t v) { m_clk1hz.set(v, now()); },
                .read_is_pure = true});
    regs().add({.name = "CLK100HZ",
                .offset = 0x14,
                .on_read = [this](uint32_t) { return m_clk100hz.value(now()); },
                .on_write = [this](uint32_t, uint32_t v) { m_clk100hz.set(v, now()); },
                .read_is_pure = true});
    if (cfg.has_switches)
        regs().add({.name = "SWITCH", .offset = 0x28, .reset = cfg.switches, .access = tlm::Access::ReadOnly});
    regs().add({.name = "MISC", .offset = 0x4C});
    reset();
}

void Mps2Fpgaio::reset() {
    RegisterMappedDevice::reset();
    const sc_core::sc_time t = now();
    m_clk1hz.set(0, t);
    m_clk100hz.set(0, t);
    m_prescale_base = t;
    m_prescale_synced = 0;
}

void Mps2Fpgaio::write_synced(tlm::Register& reg, uint32_t old_value, uint32_t new_value) {
    // Bring the counters up to the write's time with the old values, then store the new one.
    reg.set(old_value);
    sync_counter();
    reg.set(new_value);
}

void Mps2Fpgaio::sync_counter() {
    const uint64_t total = m_prescale_clock.ticks_between(m_prescale_base, now());
    if (total <= m_prescale_synced) return;
    const uint64_t ticks = total - m_prescale_synced;
    m_prescale_synced = total;
    const uint64_t pscntr = m_pscntr.value();
    if (ticks <= pscntr) {
        m_pscntr.set(static_cast<uint32_t>(pscntr - ticks));
        return;
    }
    // r ticks after PSCNTR reached zero: reloads every PRESCALE + 1 ticks, the first one tick
    // after reaching zero.
    const uint64_t r = ticks - pscntr;
    const uint64_t p = uint64_t{m_prescale.value()} + 1;
    const uint64_t reloads = (r + p - 1) / p;
    m_counter.set(m_counter.value() + static_cast<uint32_t>(reloads));
    m_pscntr.set(static_cast<uint32_t>((p - 1) - ((r + p - 1) % p)));
}

namespace {
const DeviceRegistrar kRegistrar{
    "mps2-fpgaio", "MPS2 FPGA I/O: LEDs, buttons, switches, 1 Hz/100 Hz and prescaled counters",
    [](const DeviceConfig& c) -> std::unique_ptr<Device> {
        Mps2Fpgaio::Config cfg;
        cfg.num_leds = c.options.get<unsigned>("leds", 2);
        if (cfg.num_leds > 32) c.options.fail("leds", "at most 32 LEDs");
        cfg.buttons = c.options.get<uint32_t>("buttons", 0);
        cfg.has_switches = c.options.has("switches");
        cfg.switches = c.options.get<uint32_t>("switches", 0);
        cfg.prescale_hz = c.options.frequency_hz("prescale-clock", 25'000'000);
        if (cfg.prescale_hz == 0) c.options.fail("prescale-clock", "the prescale clock must not be 0 Hz");
        return std::make_unique<Mps2Fpgaio>(c.name.c_str(), cfg);
    }};
}  // namespace

}  // namespace presil::platform::devices
