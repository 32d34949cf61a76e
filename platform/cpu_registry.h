// SPDX-License-Identifier: Apache-2.0
// Base class of SystemC CPU modules and the registry that builds them by their YAML `isa`.
#pragma once

#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include <systemc>
#include <tlm>

#include "platform/options.h"
#include "platform/runtime.h"
#include "platform/stats.h"

namespace presil::tlm {
class IrqTarget;
}

namespace presil::platform {

/// A guest CPU as a SystemC module: one initiator socket, interrupt-controller inputs.
class CpuModule : public sc_core::sc_module {
public:
    /// Passes the module name to SystemC; derived classes take the sc_module_name as their own
    /// constructor parameter too (factories call make_unique<X>(c.name.c_str(), ...)).
    explicit CpuModule(sc_core::sc_module_name name) : sc_core::sc_module(name) {}
    /// The socket bound to the board's router.
    virtual ::tlm::tlm_initiator_socket<32>& bus_socket() = 0;
    /// Interrupt-controller inputs; board IRQ number n arrives as irq_changed(n, level).
    virtual tlm::IrqTarget& irq_input() = 0;
    /// The ELF entry point; called after the program is loaded, before reset() (only when a
    /// program was given). A core that takes its PC from a vector table may ignore it.
    virtual void set_entry(uint64_t entry) = 0;
    /// Puts the CPU in its reset state; called once after loading, before the simulation starts.
    virtual void reset() = 0;
    /// Number of interrupt-controller inputs (board IRQ numbers must be below it); 0 = unchecked.
    virtual unsigned num_irqs() const { return 0; }
    /// Prints execution statistics for `presil run --stats` (nothing by default).
    virtual void print_stats(std::ostream& out) const { (void)out; }
    /// Turns on the measurements of --stats (host-time split, interrupt lateness); before the run.
    virtual void enable_stats(const StatsSetup& setup) { (void)setup; }
    /// Fills `out` with the CPU's statistics; false when the CPU keeps none.
    virtual bool report_stats(CpuReport& out) const { (void)out; return false; }
    /// Writes a determinism checkpoint line to `sink` at every sync (--check-determinism); with
    /// `perturb_at` > 0, shifts the CPU's time by one cycle once that many instructions ran (tests).
    virtual void enable_checkpoints(std::FILE* sink, uint64_t perturb_at) { (void)sink; (void)perturb_at; }
};

/// What the board gives a CPU factory.
struct CpuConfig {
    std::string name;          ///< instance name (also the SystemC module name)
    std::string isa;           ///< registered isa name
    std::string model;         ///< `model:` (e.g. cortex-m3)
    std::string timing;        ///< `timing:` table name (defaults to the model)
    uint64_t clock_hz;         ///< `clock:` in Hz
    sc_core::sc_time quantum;  ///< global quantum (board `quantum:` or --quantum)
    OptionReader& options;     ///< the entry's `options:`; the builder calls finish() afterwards
    BoardRuntime& rt;          ///< exit requests, semihosting switch, symbols
};

/// Builds a CPU module (throw ConfigError via options.fail() for bad options).
using CpuFactory = std::function<std::unique_ptr<CpuModule>(const CpuConfig&)>;

/// Facts about an isa the loader and the validator need.
struct CpuTraits {
    unsigned address_bits = 32;  ///< width of the bus address space (memory map checks)
    uint16_t elf_machine = 0;    ///< e_machine of programs it runs (EM_ARM = 40)
    unsigned elf_class = 32;     ///< 32 or 64 (ELFCLASS32/64)
};

/// A registered CPU type.
struct CpuType {
    std::string isa;          ///< YAML `isa` name
    std::string description;  ///< one line
    CpuTraits traits;         ///< address width, ELF machine
    CpuFactory create;        ///< the factory
};

/// Registers a CPU type at static-initialisation time:
/// `static const CpuRegistrar reg{"armv7m", "ARMv7-M (Thumb-2)", {32, 40, 32}, factory};`
class CpuRegistrar {
public:
    /// Adds the type to the registry (a duplicate isa aborts with a message).
    CpuRegistrar(std::string isa, std::string description, CpuTraits traits, CpuFactory create);
};

/// The registered CPU type for `isa`, or nullptr.
const CpuType* find_cpu_type(std::string_view isa);
/// Every registered CPU type, sorted by isa.
std::vector<const CpuType*> cpu_types();

}  // namespace presil::platform
