// SPDX-License-Identifier: Apache-2.0
// Test-only CPU and device types registered for the platform tests (never in the shipped presil).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include "platform/cpu_registry.h"
#include "platform/device.h"
#include "tlm/irq.h"

namespace presil::platform::testing {

/// CPU isa "test-initiator": records reset/entry and IRQ levels; with option `exit-from: ADDR`
/// it reads the 32-bit word at ADDR after `exit-after` (default 1us) and exits with it; with
/// `hang: true` its thread never yields (a model stuck in a loop).
class TestCpu : public CpuModule, public tlm::IrqTarget {
public:
    /// Bus port.
    tlm_utils::simple_initiator_socket<TestCpu, 32> socket;
    /// Built by the registry from `c`.
    TestCpu(sc_core::sc_module_name name, const CpuConfig& c);
    ::tlm::tlm_initiator_socket<32>& bus_socket() override { return socket; }
    tlm::IrqTarget& irq_input() override { return *this; }
    void set_entry(uint64_t entry) override { m_entry = entry; }
    void reset() override { ++m_resets; }
    unsigned num_irqs() const override { return m_num_irqs; }
    void print_stats(std::ostream& out) const override { out << "test-cpu " << name() << ": " << m_resets << " reset(s)\n"; }
    void irq_changed(unsigned line, bool level) override { m_irq_levels[line] = level; }

    uint64_t entry() const { return m_entry; }                              ///< last set_entry()
    unsigned resets() const { return m_resets; }                            ///< reset() calls
    const std::map<unsigned, bool>& irq_levels() const { return m_irq_levels; }  ///< line → level
    uint64_t clock_hz() const { return m_clock_hz; }                        ///< from the board
    sc_core::sc_time quantum() const { return m_quantum; }                  ///< from the board

private:
    void run();

    BoardRuntime& m_rt;
    uint64_t m_entry = 0;
    unsigned m_resets = 0;
    unsigned m_num_irqs;
    uint64_t m_clock_hz;
    sc_core::sc_time m_quantum;
    std::map<unsigned, bool> m_irq_levels;
    bool m_exit = false;
    bool m_hang = false;
    uint64_t m_exit_from = 0;
    sc_core::sc_time m_exit_after;
};

/// Device type "test-dev": 16 words of registers; option `outputs` = comma-separated IRQ output
/// names ("" → one unnamed output), option `reset-value` = initial register contents.
class TestDevice : public Device {
public:
    /// Bus port.
    tlm_utils::simple_target_socket<TestDevice, 32> socket;
    /// Built by the registry from `c`.
    TestDevice(sc_core::sc_module_name name, const DeviceConfig& c);
    ::tlm::tlm_target_socket<32>& bus_socket() override { return socket; }
    tlm::IrqOut* irq_out(std::string_view name) override;
    std::vector<std::string> irq_names() const override { return m_names; }

    uint32_t reg(unsigned i) const { return m_regs[i]; }  ///< register i

private:
    void b_transport(::tlm::tlm_generic_payload& p, sc_core::sc_time& delay);
    unsigned transport_dbg(::tlm::tlm_generic_payload& p);

    std::vector<std::string> m_names;
    std::vector<tlm::IrqOut> m_outs;
    uint32_t m_regs[16];
};

}  // namespace presil::platform::testing
