// SPDX-License-Identifier: Apache-2.0
// The contract between CPU modules and the GDB stub: per-CPU debug access, and the stop hand-over.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>

#include "tcg/engine.h"

namespace presil::gdb {

class DebugCpu;

/// The debugger as CPU modules see it (implemented by gdb::Server).
///
/// Threading: stop_requested() is an atomic flag set by the server's socket
/// thread (Ctrl-C, a new connection) and polled by each CPU's SystemC thread
/// between engine runs; the socket thread also wakes sleeping CPUs
/// (DebugCpu::async_wake) so that a CPU in WFI polls it too. stopped() runs
/// in the SystemC thread of the CPU that stopped and blocks there serving
/// packets, so no SystemC process runs and simulated time stands still until
/// the debugger resumes.
class Debugger {
 public:
  virtual ~Debugger() = default;
  /// True when the debugger wants the simulation stopped (one relaxed atomic load).
  bool stop_requested() const { return m_stop_request.load(std::memory_order_relaxed); }
  /// `cpu` stopped: `why` is ExitReason::Debug for a breakpoint, watchpoint or
  /// step (cpu.debug_stop() says which), anything else for a requested stop.
  /// Returns when the debugger resumes (continue, step, detach) or kills.
  virtual void stopped(DebugCpu& cpu, tcg::ExitReason why) = 0;

 protected:
  std::atomic<bool> m_stop_request{false};
};

/// One CPU as the debugger sees it (implemented by platform::EngineCpu, with
/// the register file supplied by the guest-specific module).
class DebugCpu {
 public:
  virtual ~DebugCpu() = default;
  /// Instance name (thread name in GDB).
  virtual std::string debug_name() const = 0;
  /// Target description XML; empty when the guest offers no registers.
  virtual std::string target_xml() const = 0;
  /// Registers, numbered as in target_xml().
  virtual unsigned register_count() const = 0;
  /// Size of a register in bytes.
  virtual unsigned register_size(unsigned reg) const = 0;
  /// Number of the program counter.
  virtual unsigned pc_register() const = 0;
  /// Reads a register; false if it cannot be read.
  virtual bool read_register(unsigned reg, uint64_t& value) = 0;
  /// Writes a register; false if it cannot be written.
  virtual bool write_register(unsigned reg, uint64_t value) = 0;
  /// Debug read (transport_dbg: no side effects where the device allows); bytes read.
  virtual size_t read_memory(uint64_t addr, uint8_t* data, size_t len) = 0;
  /// Debug write; translated code over the range is invalidated; bytes written.
  virtual size_t write_memory(uint64_t addr, const uint8_t* data, size_t len) = 0;
  /// Engine breakpoint at `pc` (tcg::Engine::insert_breakpoint).
  virtual void insert_breakpoint(uint64_t pc) = 0;
  /// Removes one; false if none.
  virtual bool remove_breakpoint(uint64_t pc) = 0;
  /// Engine watchpoint (tcg::Engine::insert_watchpoint).
  virtual void insert_watchpoint(uint64_t addr, uint64_t len, tcg::WatchKind kind) = 0;
  /// Removes one; false if none matched.
  virtual bool remove_watchpoint(uint64_t addr, uint64_t len, tcg::WatchKind kind) = 0;
  /// The next engine run executes one instruction and stops (tcg::Engine::set_single_step).
  virtual void set_single_step(bool on) = 0;
  /// What the last ExitReason::Debug stop was.
  virtual tcg::DebugStop debug_stop() const = 0;
  /// Attaches the debugger the CPU loop reports to (nullptr: none).
  virtual void set_debugger(Debugger* debugger) = 0;
  /// Puts the CPU in its reset state (`monitor reset`).
  virtual void debug_reset() = 0;
  /// The CPU's quantum in picoseconds (`monitor quantum`).
  virtual uint64_t quantum_ps() const = 0;
  /// Sets the CPU's quantum (ps, > 0), effective from its next synchronisation.
  virtual void set_quantum_ps(uint64_t ps) = 0;
  /// Thread-safe (any thread, e.g. the server's socket thread): wakes the CPU
  /// if it sleeps (WFI) so that it polls the stop request; nothing else.
  virtual void async_wake() {}
  /// While held (true), the SystemC kernel waits for async_wake() instead of
  /// ending the simulation when nothing else is left to do (a debugger is
  /// connected). Called in the simulation's thread.
  virtual void hold_simulation(bool on) { (void)on; }
};

}  // namespace presil::gdb
