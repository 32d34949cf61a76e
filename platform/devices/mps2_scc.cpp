// SPDX-License-Identifier: Apache-2.0
// MPS2 SCC model and its registration as `mps2-scc`.
#include "platform/devices/mps2_scc.h"

namespace presil::platform::devices {

namespace {
constexpr uint32_t kFunctionOscclk = 1;
}

Mps2Scc::Mps2Scc(sc_core::sc_module_name name, const Config& cfg)
    : RegisterMappedDevice(name),
      m_cfg(cfg),
      m_oscclk(cfg.oscclk),
      m_cfgdata_rtn(regs().add({.name = "CFGDATA_RTN", .offset = 0xA0})),
      m_cfgdata_out(regs().add({.name = "CFGDATA_OUT", .offset = 0xA4})),
      m_cfgctrl(regs().add({.name = "CFGCTRL",
                            .offset = 0xA8,
                            .reset = 0x100000,
                            .on_write = [this](uint32_t, uint32_t n) { on_cfgctrl(n); }})),
      m_cfgstat(regs().add({.name = "CFGSTAT", .offset = 0xAC, .access = tlm::Access::ReadOnly})) {
    regs().add({.name = "CFG0", .offset = 0x00});
    regs().add({.name = "CFG1", .offset = 0x04});  // user LEDs
    regs().add({.name = "CFG3", .offset = 0x0C, .access = tlm::Access::ReadOnly});  // DIP switches: off
    regs().add({.name = "CFG4", .offset = 0x10, .reset = cfg.cfg4, .access = tlm::Access::ReadOnly});
    // DLL: all DLLs locked; only the lock mask bits [31:24] are writable.
    regs().add({.name = "DLL", .offset = 0x100, .reset = 0xffff0001u, .write_mask = 0xff000000u});
    regs().add({.name = "AID", .offset = 0xFF8, .reset = cfg.aid, .access = tlm::Access::ReadOnly});
    regs().add({.name = "ID", .offset = 0xFFC, .reset = cfg.id, .access = tlm::Access::ReadOnly});
}

void Mps2Scc::reset() {
    RegisterMappedDevice::reset();
    m_oscclk = m_cfg.oscclk;
}

void Mps2Scc::on_cfgctrl(uint32_t value) {
    // Reserved fields [19:12], [29:26] and START read as zero; any write clears CFGSTAT.
    m_cfgctrl.set(value & ~(0x000ff000u | 0x3c000000u | kCtrlStart));
    m_cfgstat.set(0);
    if ((value & kCtrlStart) == 0) return;
    const uint32_t device = value & 0xfff;
    const uint32_t function = (value >> 20) & 0x3f;
    const bool ok = function == kFunctionOscclk && device < m_oscclk.size();
    uint32_t stat = kStatDone;
    if (!ok)
        stat |= kStatError;
    else if (value & kCtrlWrite)
        m_oscclk[device] = m_cfgdata_out.value();
    else
        m_cfgdata_rtn.set(m_oscclk[device]);
    m_cfgstat.set(stat);
}

namespace {
const DeviceRegistrar kRegistrar{
    "mps2-scc", "MPS2 serial communication controller (board configuration and ID registers)",
    [](const DeviceConfig& c) -> std::unique_ptr<Device> {
        Mps2Scc::Config cfg;
        cfg.id = c.options.get<uint32_t>("id", cfg.id);
        cfg.aid = c.options.get<uint32_t>("aid", cfg.aid);
        cfg.cfg4 = c.options.get<uint32_t>("cfg4", cfg.cfg4);
        return std::make_unique<Mps2Scc>(c.name.c_str(), cfg);
    }};
}  // namespace

}  // namespace presil::platform::devices
