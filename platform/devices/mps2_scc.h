// SPDX-License-Identifier: Apache-2.0
// MPS2 serial communication controller (SCC): board configuration registers, the SYS_CFG
// oscillator channel and the ID registers (type mps2-scc).
#pragma once

#include <vector>

#include "platform/devices/register_mapped_device.h"

namespace presil::platform::devices {

/// MPS2 SCC as on the AN385 image. Registers: CFG0 0x00, CFG1 0x04, CFG3 0x0C, CFG4 0x10,
/// CFGDATA_RTN 0xA0, CFGDATA_OUT 0xA4, CFGCTRL 0xA8, CFGSTAT 0xAC, DLL 0x100, AID 0xFF8, ID 0xFFC.
class Mps2Scc : public RegisterMappedDevice {
public:
    /// Configuration from the board options.
    struct Config {
        uint32_t id = 0x41043850;   ///< SCC ID (`id`; AN385 by default)
        uint32_t aid = 0x00200008;  ///< SCC AID (`aid`)
        uint32_t cfg4 = 0x2;        ///< CFG4, board revision (`cfg4`)
        std::vector<uint32_t> oscclk{50'000'000, 24'576'000, 25'000'000};  ///< OSCCLK reset values
    };

    /// CFGCTRL fields.
    static constexpr uint32_t kCtrlStart = 1u << 31, kCtrlWrite = 1u << 30;
    /// CFGSTAT bits.
    static constexpr uint32_t kStatDone = 1, kStatError = 2;

    /// The SCC with configuration `cfg`.
    Mps2Scc(sc_core::sc_module_name name, const Config& cfg);

    /// No interrupt outputs.
    tlm::IrqOut* irq_out(std::string_view) override { return nullptr; }
    /// No interrupt outputs.
    std::vector<std::string> irq_names() const override { return {}; }
    /// Reset values (oscillators back to their reset frequencies).
    void reset() override;
    /// Current frequency of oscillator `n`.
    uint32_t oscclk(unsigned n) const { return m_oscclk.at(n); }

private:
    void on_cfgctrl(uint32_t value);

    Config m_cfg;
    std::vector<uint32_t> m_oscclk;
    tlm::Register& m_cfgdata_rtn;
    tlm::Register& m_cfgdata_out;
    tlm::Register& m_cfgctrl;
    tlm::Register& m_cfgstat;
};

}  // namespace presil::platform::devices
