// SPDX-License-Identifier: Apache-2.0
// EngineCpu: a CPU module that runs a translation engine in quanta against SystemC time.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <ostream>
#include <utility>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

#include "platform/cpu/tlm_guest_memory.h"
#include "platform/cpu_registry.h"
#include "platform/gdb/debug_cpu.h"
#include "platform/stats.h"
#include "tcg/engine.h"
#include "tlm/irq.h"

namespace presil::platform {

namespace log {
class CpuLog;
}

/// Why the CPU synchronised with SystemC time (counted for --stats).
enum class SyncCause : uint8_t { Quantum, Event, Halt, Mmio, Exit, Count };

/// One exception entry of a CPU module. Cycles count this CPU's cycles since the start of the
/// simulation (running and sleeping): the SystemC time of cycle c is c * period().
struct InterruptEntry {
  unsigned number = 0;        ///< guest exception number (ARMv7-M: 16 + n = external IRQ n, 15 SysTick, 2 NMI...)
  uint64_t due_cycle = 0;     ///< became pending: external line = SystemC time of the raise; else the CPU's own cycle
  uint64_t entry_cycle = 0;   ///< the handler's first instruction runs (entry cost included)
  uint64_t pc = 0;            ///< interrupted pc (tail-chained entry: the EXC_RETURN value)
  bool interrupt = false;     ///< asynchronous (IRQ, NMI, SysTick, PendSV, software-pended), not a fault/SVC
  bool tail_chained = false;  ///< entered by tail-chaining from another handler's return
};
/// Called in the CPU's thread at each exception entry.
using InterruptObserver = std::function<void(const InterruptEntry&)>;

/// Counters of one CPU module.
struct CpuStats {
  uint64_t cycles = 0;                 ///< simulated cycles (running and sleeping)
  uint64_t sleep_cycles = 0;           ///< cycles spent in WFI/WFE
  uint64_t runs = 0;                   ///< Engine::run calls
  uint64_t syncs[static_cast<size_t>(SyncCause::Count)] = {};  ///< syncs by cause
  std::chrono::steady_clock::time_point start;  ///< host time when the run thread started
  // Host time, measured only after enable_stats() (clock reads at waits and device accesses).
  uint64_t thread_ticks = 0;           ///< in the run thread between waits (HostTicks)
  uint64_t device_ticks = 0;           ///< in b_transport to devices
  uint64_t rtl_ticks = 0;              ///< in b_transport to RTL windows
  uint64_t exception_entries = 0;      ///< exception entries seen (after enable_stats())
  LatenessStats lateness;              ///< entry - due of asynchronous entries (after enable_stats())
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
class EngineCpu : public CpuModule, public tlm::IrqTarget, public gdb::DebugCpu, private tcg::RunContinuation {
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
  void async_wake() override;
  void hold_simulation(bool on) override;
  void debug_reset() override { reset(); }
  uint64_t quantum_ps() const override { return static_cast<uint64_t>(m_quantum.to_seconds() * 1e12 + 0.5); }
  void set_quantum_ps(uint64_t ps) override {
    m_quantum = sc_core::sc_time(static_cast<double>(ps), sc_core::SC_PS);
    m_quantum_cycles = quantum_in_cycles();
  }
  void enable_stats(const StatsSetup& setup) override;
  bool report_stats(CpuReport& out) const override;
  void enable_checkpoints(std::FILE* sink, uint64_t perturb_at) override;

  /// Adds an observer of exception entries (any number); returns an id for remove_interrupt_observer().
  size_t add_interrupt_observer(InterruptObserver fn);
  /// Removes an observer added by add_interrupt_observer().
  void remove_interrupt_observer(size_t id);
  /// This CPU's cycle at the current SystemC time (behind cycle_now() while the CPU runs ahead).
  uint64_t cycle_at_systemc_now() const;
  /// Runs a device access `f` (returning tcg::MemResult) at `addr`, timing it when statistics are on.
  template <class F>
  auto timed_access(uint64_t addr, F&& f) {
    if (!m_host_timing) return f();
    const uint64_t t0 = HostTicks::now();
    auto r = f();
    account_access(addr, HostTicks::now() - t0);
    return r;
  }

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
  /// Subscribes (true) or unsubscribes the guest's exception-entry source; called when the first
  /// observer is added and the last removed.
  virtual void watch_interrupts(bool on) { (void)on; }
  /// Hands an exception entry to the observers.
  void report_interrupt(const InterruptEntry& e);
  /// A hash of the guest's registers for determinism checkpoints (0: not provided).
  virtual uint64_t state_hash() const { return 0; }
  /// Synchronises before an MMIO access when set_sync_on_mmio(true).
  void maybe_sync_for_mmio();
  /// After a device access: if it scheduled an event (a timer) before the end
  /// of the current run, end the run there so the event is seen on time.
  void after_device_access();
  /// After an access to the guest's own registers: the same for its internal
  /// event (SysTick reprogrammed).
  void after_internal_access();

  BoardRuntime& m_rt;            ///< exit requests, semihosting switch
  sc_core::sc_time m_quantum;    ///< global quantum
  int64_t m_quantum_cycles = 1;  ///< the quantum in whole cycles (at least 1)
  int64_t quantum_in_cycles() const { return std::max<int64_t>(1, static_cast<int64_t>(m_quantum / m_period)); }

 private:
  void run_thread();
  /// One Engine::run with the local-time bookkeeping around it.
  tcg::ExitReason run_engine(int64_t budget, int64_t overshoot = 0);
  /// Adds `used` cycles of a run (or part of one) to the local time.
  void account_run(int64_t used);
  /// Budget and overshoot for the next run from the local time: up to the end
  /// of the quantum or the next event, whichever is first (budget <= 0: an
  /// event is due now).
  std::pair<int64_t, int64_t> next_budget() const;
  /// tcg::RunContinuation: the quantum sync from inside Engine::run.
  int64_t budget_spent(int64_t used, bool soft_end, int64_t& overshoot) override;
  void invalidate_dmi(sc_dt::uint64 start, sc_dt::uint64 end);
  int64_t consumed_in_run() const { return m_engine ? m_engine->cycles_in_run() : 0; }
  /// `cycles` CPU cycles as simulated time (exact: integer multiple of the period).
  sc_core::sc_time cycles_to_time(int64_t cycles) const {
    // Inline in the common case: sc_time's double multiply is exact while the
    // product stays below 2^52 time units (where its +0.5 is exact too, so the
    // truncation gives the product).
    if (static_cast<uint64_t>(cycles) < m_exact_double_cycles) {
      sc_core::sc_time t = m_period;
      return t *= static_cast<double>(cycles);
    }
    return sc_core::sc_time::from_value(m_period.value() * static_cast<uint64_t>(cycles));
  }
  /// Waits until SystemC time reaches this CPU's local time; `credit` cycles
  /// (left over by a quantum that ended early, at a block boundary) are added
  /// to the next quantum.
  void sync(SyncCause cause, int64_t credit = 0);
  /// Synchronises if the quantum is used up or an event is due (after a run or part of one).
  void sync_if_due();
  /// The simulation is ending or the debugger wants the CPU: no further run.
  bool run_must_end() const { return m_rt.exit_requested() || (m_debugger && m_debugger->stop_requested()); }
  /// Cycles left in the current quantum (with the credit carried into it).
  int64_t quantum_left() const { return m_quantum_cycles + m_quantum_credit - m_local_cycles; }
  /// Cycles from this CPU's local time to the next SystemC event or guest event (INT64_MAX: none).
  int64_t cycles_to_next_event() const;
  /// Cycles from this CPU's local time to the next SystemC event (INT64_MAX:
  /// none, or none within `horizon` cycles).
  int64_t cycles_to_systemc_event(int64_t horizon) const;
  /// Bookkeeping around every wait of the run thread (SystemC time of the wait, host time with stats).
  void begin_wait();
  /// The run thread's cycle at SystemC's now: this CPU's time before its local offset.
  uint64_t cycle_behind_local() const {
    return static_cast<uint64_t>(std::max<int64_t>(0, static_cast<int64_t>(m_stats.cycles) - m_local_cycles));
  }
  void end_wait();
  void account_access(uint64_t addr, uint64_t ticks);
  void write_checkpoint();

  tlm_utils::simple_initiator_socket<EngineCpu, 32> m_socket;
  sc_core::sc_time m_period;
  uint64_t m_exact_double_cycles = (uint64_t(1) << 52) / std::max<uint64_t>(1, m_period.value());  ///< see cycles_to_time()
  sc_core::sc_simcontext* m_simc = sc_core::sc_get_curr_simcontext();
  TlmGuestMemory m_bus;
  std::unique_ptr<tcg::Engine> m_engine;
  tcg::GuestCpu* m_guest = nullptr;
  sc_core::sc_event m_wake;
  class AsyncWake;
  std::unique_ptr<AsyncWake> m_async_wake;  ///< notifies m_wake from another host thread (debugger)
  int64_t m_local_cycles = 0;    ///< cycles ahead of SystemC time, before the current run
  int64_t m_quantum_credit = 0;  ///< cycles the last quantum left over, added to this one
  /// A zero-time wait let the activity of the current delta run, and this CPU
  /// has not moved since: activity still pending at this time (another CPU
  /// doing the same) does not stop it again (no delta-cycle livelock).
  bool m_delta_yielded = false;
  bool m_sync_on_mmio = false;
  CpuStats m_stats;
  gdb::Debugger* m_debugger = nullptr;  ///< GDB stub (nullptr: none; polled once per engine run)
  std::string m_isa;                 ///< registered isa (disassembly in logs)
  std::unique_ptr<log::CpuLog> m_log;  ///< -d / --trace of this CPU (nullptr: off)
  // Statistics and determinism checkpoints.
  std::vector<std::pair<size_t, InterruptObserver>> m_int_observers;
  size_t m_next_observer_id = 1;
  bool m_waiting = false;                  ///< the run thread is in a wait
  sc_core::sc_time m_wait_from;            ///< SystemC time the wait began
  uint64_t m_wait_from_cycle = 0;          ///< this CPU's cycle at m_wait_from
  bool m_host_timing = false;              ///< statistics on: measure host time
  uint64_t m_resumed = 0;                  ///< HostTicks when the run thread last resumed
  HostTicks::Calibration m_calibration;    ///< tick rate reference (from enable_stats())
  std::vector<std::pair<uint64_t, uint64_t>> m_rtl_windows;
  std::FILE* m_checkpoints = nullptr;      ///< determinism checkpoints (one line per sync)
  uint64_t m_perturb_at = 0;               ///< shift time by a cycle once this many instructions ran (0: never)
};

}  // namespace presil::platform
