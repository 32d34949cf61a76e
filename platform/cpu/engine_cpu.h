// SPDX-License-Identifier: Apache-2.0
// EngineCpu: a CPU module that runs a translation engine in quanta against SystemC time.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <ostream>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

#include "platform/cpu/tlm_guest_memory.h"
#include "platform/cpu_registry.h"
#include "platform/gdb/debug_cpu.h"
#include "tcg/engine.h"
#include "tlm/irq.h"

namespace presil::platform {

namespace log {
class CpuLog;
}

/// Why the CPU synchronised with SystemC time (counted for --stats).
enum class SyncCause : uint8_t { Quantum, Event, Halt, Mmio, Exit, Count };

/// Counters of one CPU module.
struct CpuStats {
  uint64_t cycles = 0;                 ///< simulated cycles (running and sleeping)
  uint64_t sleep_cycles = 0;           ///< cycles spent in WFI/WFE
  uint64_t runs = 0;                   ///< Engine::run calls
  uint64_t syncs[static_cast<size_t>(SyncCause::Count)] = {};  ///< syncs by cause
  std::chrono::steady_clock::time_point start;  ///< host time when the run thread started
};

/// The guest-independent part of a CPU module: TLM socket, quantum loop,
/// sleeping on WFI, wake-up on interrupts. A guest-specific subclass creates
/// the GuestCpu and calls start_engine().
///
/// The loop: run the engine for as many cycles as fit before the end of the
/// quantum, the next pending SystemC event (so timers are seen at the exact
/// cycle they fire), and the guest's next internal event (SysTick); add the
/// cycles used to the local time; synchronise (wait) when the quantum is used
/// up or an event is due. A halted CPU synchronises and sleeps on an event, so
/// simulated time jumps to the next interrupt and idling costs no host time.
class EngineCpu : public CpuModule, public tlm::IrqTarget, public gdb::DebugCpu {
 public:
  SC_HAS_PROCESS(EngineCpu);
  /// Creates the socket and the run thread; clock and quantum from `cfg`.
  EngineCpu(sc_core::sc_module_name name, const CpuConfig& cfg);
  ~EngineCpu() override;

  ::tlm::tlm_initiator_socket<32>& bus_socket() override { return m_socket; }
  tlm::IrqTarget& irq_input() override { return *this; }
  void print_stats(std::ostream& out) const override;

  // gdb::DebugCpu (registers come from the guest-specific module; none by default).
  std::string debug_name() const override { return name(); }
  std::string target_xml() const override { return {}; }
  unsigned register_count() const override { return 0; }
  unsigned register_size(unsigned) const override { return 4; }
  unsigned pc_register() const override { return 0; }
  bool read_register(unsigned, uint64_t&) override { return false; }
  bool write_register(unsigned, uint64_t) override { return false; }
  size_t read_memory(uint64_t addr, uint8_t* data, size_t len) override;
  size_t write_memory(uint64_t addr, const uint8_t* data, size_t len) override;
  void insert_breakpoint(uint64_t pc) override { m_engine->insert_breakpoint(pc); }
  bool remove_breakpoint(uint64_t pc) override { return m_engine->remove_breakpoint(pc); }
  void insert_watchpoint(uint64_t addr, uint64_t len, tcg::WatchKind kind) override {
    m_engine->insert_watchpoint(addr, len, kind);
  }
  bool remove_watchpoint(uint64_t addr, uint64_t len, tcg::WatchKind kind) override {
    return m_engine->remove_watchpoint(addr, len, kind);
  }
  void set_single_step(bool on) override { m_engine->set_single_step(on); }
  tcg::DebugStop debug_stop() const override { return m_engine->debug_stop(); }
  void set_debugger(gdb::Debugger* debugger) override { m_debugger = debugger; }
  void debug_reset() override { reset(); }
  uint64_t quantum_ps() const override { return static_cast<uint64_t>(m_quantum.to_seconds() * 1e12 + 0.5); }
  void set_quantum_ps(uint64_t ps) override { m_quantum = sc_core::sc_time(static_cast<double>(ps), sc_core::SC_PS); }

  /// The engine (after start_engine()).
  tcg::Engine& engine() { return *m_engine; }
  /// One clock period.
  sc_core::sc_time period() const { return m_period; }
  /// Current simulated time as this CPU sees it (SystemC time + local offset).
  sc_core::sc_time local_now() const;
  /// Cycles since start (running and sleeping), as this CPU sees it.
  uint64_t cycle_now() const;
  /// Statistics so far.
  const CpuStats& stats() const { return m_stats; }
  /// Synchronise before every transport to a device (exact device ordering, slower).
  void set_sync_on_mmio(bool on) { m_sync_on_mmio = on; }
  /// This CPU's logs and timeline (nullptr when the run observes nothing).
  log::CpuLog* cpu_log() { return m_log.get(); }

 protected:
  /// Creates the engine over `mem` for `guest` (called by the subclass constructor).
  void start_engine(tcg::GuestCpu& guest, tcg::GuestMemory& mem, std::unique_ptr<tcg::Backend> backend,
                    tcg::EngineOptions opts);
  /// Cycles until the guest's next internal timed event (SysTick); ~0 if none.
  virtual uint64_t cycles_to_internal_event() const { return ~uint64_t(0); }
  /// Tells the guest that `cycles` passed (timers, cycle counters).
  virtual void advance_internal(uint64_t cycles) { (void)cycles; }
  /// True if the guest must not run (sleeping, locked, exited).
  virtual bool stopped() const { return false; }
  /// Called when an interrupt input changed: request an exit and wake the CPU.
  void wake();
  /// Bus access for the engine's memory (owned here).
  TlmGuestMemory& bus() { return m_bus; }
  /// Synchronises before an MMIO access when set_sync_on_mmio(true).
  void maybe_sync_for_mmio();
  /// After a device access: if it scheduled an event (a timer, SysTick) before
  /// the end of the current run, end the run there so the event is seen on time.
  void after_device_access();

  BoardRuntime& m_rt;            ///< exit requests, semihosting switch
  sc_core::sc_time m_quantum;    ///< global quantum

 private:
  void run_thread();
  /// One Engine::run with the local-time bookkeeping around it.
  tcg::ExitReason run_engine(int64_t budget);
  void invalidate_dmi(sc_dt::uint64 start, sc_dt::uint64 end);
  int64_t consumed_in_run() const;
  void sync(SyncCause cause);
  int64_t budget_now() const;
  /// Cycles from this CPU's local time to the next SystemC event or guest event (INT64_MAX: none).
  int64_t cycles_to_next_event() const;

  tlm_utils::simple_initiator_socket<EngineCpu, 32> m_socket;
  sc_core::sc_time m_period;
  TlmGuestMemory m_bus;
  std::unique_ptr<tcg::Engine> m_engine;
  tcg::GuestCpu* m_guest = nullptr;
  sc_core::sc_event m_wake;
  int64_t m_local_cycles = 0;    ///< cycles ahead of SystemC time, before the current run
  bool m_sync_on_mmio = false;
  CpuStats m_stats;
  gdb::Debugger* m_debugger = nullptr;  ///< GDB stub (nullptr: none; polled once per engine run)
  std::string m_isa;                 ///< registered isa (disassembly in logs)
  std::unique_ptr<log::CpuLog> m_log;  ///< -d / --trace of this CPU (nullptr: off)
};

}  // namespace presil::platform
