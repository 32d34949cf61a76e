// SPDX-License-Identifier: Apache-2.0
// Board builder: turns a BoardDesc into SystemC modules (router, memories, devices, RTL, CPUs, IRQs).
#pragma once

#include <cstdint>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

#include "platform/board.h"
#include "platform/cpu_registry.h"
#include "platform/device.h"
#include "platform/runtime.h"
#include "rtl-bridge/bridge.h"
#include "tlm/memory.h"
#include "tlm/router.h"

namespace presil::platform {

/// An initiator for debug accesses (program loading, inspection) bound to the router.
class DebugPort : public sc_core::sc_module {
public:
    /// Bound to the router's target socket.
    tlm_utils::simple_initiator_socket<DebugPort, 32> socket;
    /// Creates the port.
    explicit DebugPort(sc_core::sc_module_name name);
    /// Debug-writes `n` bytes at `addr`; returns the bytes the bus accepted.
    unsigned write(uint64_t addr, const uint8_t* data, unsigned n);
    /// Debug-reads `n` bytes at `addr`; returns the bytes the bus delivered.
    unsigned read(uint64_t addr, uint8_t* data, unsigned n);
};

/// The elaborated board: owns every module it built.
class Board {
public:
    /// An interrupt route from a device output to a CPU input.
    struct IrqRoute {
        std::string device;  ///< device name
        std::string output;  ///< output name ("" = the single one)
        std::string cpu;     ///< receiving CPU
        unsigned line;       ///< interrupt-controller input
    };

    /// Builds every module of `desc`; `quantum` overrides the board's quantum when non-zero.
    /// Throws ConfigError for bad options, unknown IRQ outputs and unreadable images.
    Board(const BoardDesc& desc, BoardRuntime& rt, sc_core::sc_time quantum = sc_core::SC_ZERO_TIME);
    ~Board();
    Board(const Board&) = delete;
    Board& operator=(const Board&) = delete;

    /// Completes SystemC elaboration (socket binding, end_of_elaboration) without running any
    /// process, so debug accesses work; no module may be added afterwards. Throws ConfigError.
    void elaborate();
    /// True once elaborate() succeeded.
    bool elaborated() const { return m_elaborated; }

    /// The description it was built from.
    const BoardDesc& desc() const { return m_desc; }
    /// The bus.
    tlm::Router& router() { return *m_router; }
    /// Debug access to the whole bus (used by the ELF loader); works once elaborated.
    DebugPort& debug_port() { return *m_debug; }
    /// CPU modules in board order.
    const std::vector<CpuModule*>& cpus() const { return m_cpu_list; }
    /// Traits of the first CPU's isa (32-bit, no ELF machine when the board has no CPU).
    const CpuTraits& cpu_traits() const { return m_traits; }
    /// The device called `name`, or nullptr.
    Device* device(std::string_view name) const;
    /// The RTL peripheral called `name`, or nullptr.
    presil::rtl::RtlBridge* rtl(std::string_view name) const;
    /// The memory called `name`, or nullptr.
    tlm::Memory* memory(std::string_view name) const;
    /// The memory description whose range contains [addr, addr+size), or nullptr.
    const MemoryDesc* memory_at(uint64_t addr, uint64_t size) const;
    /// Interrupt routes in board order.
    const std::vector<IrqRoute>& irq_routes() const { return m_irq_routes; }
    /// The quantum in use.
    sc_core::sc_time quantum() const { return m_quantum; }
    /// Prints CPUs, the memory map (name, base, end, size, type) and the IRQ routing.
    void print(std::ostream& out) const;

private:
    BoardDesc m_desc;
    CpuTraits m_traits;
    sc_core::sc_time m_quantum;
    std::unique_ptr<tlm::Router> m_router;
    std::unique_ptr<DebugPort> m_debug;
    std::vector<std::unique_ptr<tlm::Memory>> m_memories;
    std::vector<std::unique_ptr<Device>> m_devices;
    std::vector<std::unique_ptr<presil::rtl::RtlBridge>> m_rtl;
    std::vector<std::unique_ptr<CpuModule>> m_cpus;
    std::vector<CpuModule*> m_cpu_list;
    std::vector<IrqRoute> m_irq_routes;
    bool m_elaborated = false;
};

}  // namespace presil::platform
