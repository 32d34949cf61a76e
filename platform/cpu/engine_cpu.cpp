// SPDX-License-Identifier: Apache-2.0
// EngineCpu: the quantum loop that maps engine cycles onto SystemC time.
//
// Owns: the initiator socket, the local-time offset of the CPU (in cycles),
// the decision of how long the engine may run before it must synchronise,
// sleeping while the guest is halted, and the CPU's statistics.
#include "platform/cpu/engine_cpu.h"

#include <fmt/format.h>

#include "platform/log/cpu_log.h"

#include <algorithm>
#include <iterator>
#include <limits>

namespace presil::platform {

namespace {
constexpr size_t kThreadStack = 16u << 20;  // translation + generated code + helpers

sc_core::sc_time period_of(uint64_t hz) {
  return sc_core::sc_time(1e12 / static_cast<double>(hz), sc_core::SC_PS);
}
}  // namespace

/// A primitive channel whose only job is to turn a thread-safe
/// async_request_update() into a notification of the CPU's wake event.
class EngineCpu::AsyncWake final : public sc_core::sc_prim_channel {
 public:
  AsyncWake(const char* name, sc_core::sc_event& wake) : sc_core::sc_prim_channel(name), m_wake(wake) {}
  using sc_core::sc_prim_channel::async_attach_suspending;
  using sc_core::sc_prim_channel::async_detach_suspending;

 private:
  void update() override { m_wake.notify(sc_core::SC_ZERO_TIME); }
  sc_core::sc_event& m_wake;
};

EngineCpu::EngineCpu(sc_core::sc_module_name name, const CpuConfig& cfg)
    : CpuModule(name),
      m_rt(cfg.rt),
      m_quantum(cfg.quantum),
      m_socket("bus"),
      m_period(period_of(cfg.clock_hz ? cfg.clock_hz : 1000000)),
      m_bus(m_socket, m_period, [this] { return cycles_to_time(std::max<int64_t>(0, m_local_cycles + consumed_in_run())); }) {
  m_socket.register_invalidate_direct_mem_ptr(this, &EngineCpu::invalidate_dmi);
  m_isa = cfg.isa;
  if (m_quantum == sc_core::SC_ZERO_TIME) m_quantum = m_period * 1000.0;
  m_quantum_cycles = quantum_in_cycles();
  SC_THREAD(run_thread);
  set_stack_size(kThreadStack);
  m_async_wake = std::make_unique<AsyncWake>(sc_core::sc_gen_unique_name("async_wake"), m_wake);
}

EngineCpu::~EngineCpu() = default;

void EngineCpu::async_wake() { m_async_wake->async_request_update(); }

void EngineCpu::hold_simulation(bool on) {
  if (on) m_async_wake->async_attach_suspending();
  else m_async_wake->async_detach_suspending();
}

void EngineCpu::start_engine(tcg::GuestCpu& guest, tcg::GuestMemory& mem, std::unique_ptr<tcg::Backend> backend,
                             tcg::EngineOptions opts) {
  m_guest = &guest;
  m_engine = std::make_unique<tcg::Engine>(guest, mem, std::move(backend), opts);
  m_engine->set_continuation(this);
  if (const log::Observability* o = m_rt.observability()) {
    log::CpuLog::Source src;
    src.cpu = name();
    src.isa = m_isa;
    src.now = [this] { return local_now(); };
    src.read = [this](uint64_t addr, void* data, unsigned size) { return m_bus.debug_read(addr, data, size); };
    m_log = std::make_unique<log::CpuLog>(m_rt, *o, std::move(src));
    m_log->attach(*m_engine);
    m_bus.set_log(m_log.get());
  }
}

sc_core::sc_time EngineCpu::local_now() const {
  return sc_core::sc_time_stamp() + cycles_to_time(std::max<int64_t>(0, m_local_cycles + consumed_in_run()));
}

uint64_t EngineCpu::cycle_now() const {
  return m_stats.cycles + static_cast<uint64_t>(std::max<int64_t>(0, consumed_in_run()));
}

void EngineCpu::invalidate_dmi(sc_dt::uint64 start, sc_dt::uint64 end) {
  m_bus.invalidate(start, end);
  if (m_engine) m_engine->flush_tlb_range(start, end);
}

void EngineCpu::wake() {
  m_wake.notify(sc_core::SC_ZERO_TIME);
  if (m_engine) m_engine->request_exit();
}

void EngineCpu::sync(SyncCause cause, int64_t credit) {
  ++m_stats.syncs[static_cast<size_t>(cause)];
  const int64_t ahead = m_local_cycles + consumed_in_run();
  if (m_log) [[unlikely]] {
    static constexpr const char* kCause[] = {"quantum", "event", "halt", "mmio", "exit"};
    const size_t i = static_cast<size_t>(cause);
    m_log->sync(i < std::size(kCause) ? kCause[i] : "other", local_now(), ahead, m_engine->insns_executed());
  }
  if (m_checkpoints) [[unlikely]] write_checkpoint();
  begin_wait();
  if (ahead > 0) {
    sc_core::wait(cycles_to_time(ahead));
    m_delta_yielded = false;
  } else {
    sc_core::wait(sc_core::SC_ZERO_TIME);
    m_delta_yielded = true;
  }
  end_wait();
  // Whatever the current run consumed so far is now in SystemC time.
  m_local_cycles = -consumed_in_run();
  m_quantum_credit = credit;
}

void EngineCpu::maybe_sync_for_mmio() {
  if (m_sync_on_mmio && m_engine->running()) sync(SyncCause::Mmio);
}

// Both inline in their callers here: one of them runs after every sync.
[[gnu::always_inline]] inline int64_t EngineCpu::cycles_to_systemc_event(int64_t horizon) const {
  // The kernel's own queries (sc_time_to_pending_activity() without its
  // subtraction and sc_max_time()): this runs after every device access.
  sc_core::sc_simcontext* simc = m_simc;
  const int64_t ahead = m_local_cycles + consumed_in_run();  // cycles ahead of SystemC time
  if (simc->pending_activity_at_current_time() && !(m_delta_yielded && ahead <= 0)) return -ahead;
  sc_core::sc_time next;
  if (!simc->next_time(next)) return std::numeric_limits<int64_t>::max();
  const uint64_t to_event = next.value() - simc->time_stamp().value();
  const uint64_t period = m_period.value();
  // Beyond the horizon: no division needed to know the event does not matter.
  if (static_cast<__int128>(to_event) >= (static_cast<__int128>(ahead) + horizon) * period)
    return std::numeric_limits<int64_t>::max();
  // Whole cycles that reach the event (not one cycle short).
  return static_cast<int64_t>((to_event + period - 1) / period) - ahead;
}

[[gnu::always_inline]] inline int64_t EngineCpu::cycles_to_next_event() const {
  int64_t until = cycles_to_systemc_event(std::numeric_limits<int64_t>::max());
  // The guest's own next event (SysTick).
  const uint64_t internal = cycles_to_internal_event();
  if (internal < uint64_t(std::numeric_limits<int64_t>::max())) {
    until = std::min(until, std::max<int64_t>(1, static_cast<int64_t>(internal)));
  }
  return until;
}

void EngineCpu::after_device_access() {
  // A device may have scheduled an event (a timer) before the end of the run.
  if (!m_engine->running()) return;
  const int64_t until = cycles_to_systemc_event(m_engine->run_horizon());
  if (until != std::numeric_limits<int64_t>::max()) m_engine->cap_run(until);
}

void EngineCpu::after_internal_access() {
  // The guest may have (re)programmed its own timer (SysTick).
  if (!m_engine->running()) return;
  const uint64_t internal = cycles_to_internal_event();
  if (internal < uint64_t(std::numeric_limits<int64_t>::max()))
    m_engine->cap_run(std::max<int64_t>(1, static_cast<int64_t>(internal)));
}

void EngineCpu::account_run(int64_t used) {
  ++m_stats.runs;
  m_local_cycles += used;
  m_stats.cycles += static_cast<uint64_t>(std::max<int64_t>(0, used));
  if (used > 0) {
    m_delta_yielded = false;
    advance_internal(static_cast<uint64_t>(used));
  }
}

tcg::ExitReason EngineCpu::run_engine(int64_t budget, int64_t overshoot) {
  const tcg::ExitReason why = m_engine->run(budget, overshoot);
  account_run(m_engine->cycles_used());
  return why;
}

std::pair<int64_t, int64_t> EngineCpu::next_budget() const {
  const int64_t left = quantum_left();
  const int64_t to_event = cycles_to_next_event();
  // The end of a quantum is soft (no instruction-by-instruction tail: it ends
  // at the block boundary before it, see budget_spent(), or after the block
  // that crosses it, up to the next event); an event's end is exact.
  return {std::min(left, to_event), left < to_event ? to_event - left : 0};
}

void EngineCpu::sync_if_due() {
  if (quantum_left() <= 0) {
    sync(SyncCause::Quantum);
  } else if (next_budget().first <= 0) {
    sync(SyncCause::Event);
  }
}

int64_t EngineCpu::budget_spent(int64_t used, bool soft_end, int64_t& overshoot) {
  // What run_thread() does after and before a run, for the common case (the
  // quantum or an event ended the budget); anything else returns to it.
  account_run(used);
  if (run_must_end()) return 0;
  if (soft_end) {
    // The quantum ends at this block boundary, before the block that crosses
    // its end: the cycles it did not use go to the next quantum, so quanta
    // still average the quantum, and the CPU is never more than one block
    // past a quantum ahead of SystemC time.
    sync(SyncCause::Quantum, std::clamp<int64_t>(quantum_left(), 0, m_quantum_cycles));
  } else {
    sync_if_due();
  }
  // A guest that sleeps now is the engine loop's to see (it returns Halted).
  if (run_must_end()) return 0;
  const auto [budget, over] = next_budget();
  overshoot = over;
  return std::max<int64_t>(0, budget);
}

void EngineCpu::run_thread() {
  m_stats.start = std::chrono::steady_clock::now();
  m_resumed = HostTicks::now();
  for (;;) {
    if (m_rt.exit_requested()) {
      begin_wait();
      sc_core::wait();  // sc_stop() is in effect at the end of this delta
      end_wait();
      continue;
    }
    if (m_debugger && m_debugger->stop_requested()) [[unlikely]] {
      // -S, Ctrl-C or a new GDB connection: serve the debugger (simulated time frozen).
      m_debugger->stopped(*this, tcg::ExitReason::ExitRequested);
      continue;
    }
    if (stopped()) {
      // Sleep (WFI/WFE/lock-up): time jumps to the next wake-up.
      sync(SyncCause::Halt);
      if (!stopped()) continue;  // woken while catching up with SystemC time
      const uint64_t internal = cycles_to_internal_event();
      const sc_core::sc_time before = sc_core::sc_time_stamp();
      if (internal != ~uint64_t(0)) {
        begin_wait();
        sc_core::wait(m_period * static_cast<double>(std::max<uint64_t>(1, internal)), m_wake);
      } else {
        begin_wait();
        sc_core::wait(m_wake);
      }
      end_wait();
      const uint64_t slept = static_cast<uint64_t>((sc_core::sc_time_stamp() - before) / m_period);
      m_stats.cycles += slept;
      m_stats.sleep_cycles += slept;
      advance_internal(slept);
      // Let the guest take what woke it (interrupt, SysTick) before it runs again.
      m_guest->process_interrupts();
      continue;
    }
    const auto [budget, overshoot] = next_budget();
    if (budget <= 0) {
      sync(SyncCause::Event);
      continue;
    }
    tcg::ExitReason why = run_engine(budget, overshoot);
    if (why == tcg::ExitReason::BudgetExhausted && m_engine->cycles_used() == 0) {
      // The next instruction costs more than what is left before the event:
      // let that one instruction overshoot the boundary (a real core finishes
      // the instruction it started) rather than stall.
      for (int64_t extra = budget + 1; extra <= budget + 64; ++extra) {
        why = run_engine(extra);
        if (m_engine->cycles_used() > 0 || why == tcg::ExitReason::Debug) break;
      }
    }
    if (why == tcg::ExitReason::Debug && m_debugger) [[unlikely]] {
      // Breakpoint, watchpoint or single step: serve the debugger (simulated time frozen).
      m_debugger->stopped(*this, why);
    }
    if (m_rt.exit_requested()) {
      sync(SyncCause::Exit);
    } else {
      sync_if_due();
    }
  }
}

// ----- Debugger access (gdb::DebugCpu) --------------------------------------------------------

namespace {
/// Runs a debug transport `access(addr, offset, chunk)` over [addr, addr+len) in chunks of at most
/// 4 KiB; stops at the first short transfer. Returns the bytes done.
template <class Access>
size_t in_debug_chunks(size_t len, Access access) {
  size_t done = 0;
  while (done < len) {
    const unsigned chunk = static_cast<unsigned>(std::min<size_t>(len - done, 4096));
    const unsigned n = access(done, chunk);
    done += std::min(n, chunk);
    if (n < chunk) break;
  }
  return done;
}
}  // namespace

size_t EngineCpu::read_memory(uint64_t addr, uint8_t* data, size_t len) {
  return in_debug_chunks(len, [&](size_t off, unsigned n) { return m_bus.debug_read(addr + off, data + off, n); });
}

size_t EngineCpu::write_memory(uint64_t addr, const uint8_t* data, size_t len) {
  const size_t done =
      in_debug_chunks(len, [&](size_t off, unsigned n) { return m_bus.debug_write(addr + off, data + off, n); });
  if (done && m_engine) m_engine->invalidate_code(addr, addr + done - 1);
  return done;
}

// ----- Statistics, interrupt observers, determinism checkpoints -----------------------------------

void EngineCpu::begin_wait() {
  m_wait_from = m_simc->time_stamp();
  m_wait_from_cycle = cycle_behind_local();
  m_waiting = true;
  if (m_host_timing) [[unlikely]] m_stats.thread_ticks += HostTicks::now() - m_resumed;
}

void EngineCpu::end_wait() {
  m_waiting = false;
  if (m_host_timing) [[unlikely]] m_resumed = HostTicks::now();
}

uint64_t EngineCpu::cycle_at_systemc_now() const {
  if (m_waiting) {
    // Other processes run while this CPU waits: SystemC time has moved on from where the wait began.
    const double since = (sc_core::sc_time_stamp() - m_wait_from) / m_period;
    return m_wait_from_cycle + static_cast<uint64_t>(since + 0.5);
  }
  // The run thread itself (a device reacting to this CPU's access).
  return cycle_behind_local();
}

size_t EngineCpu::add_interrupt_observer(InterruptObserver fn) {
  m_int_observers.emplace_back(m_next_observer_id, std::move(fn));
  if (m_int_observers.size() == 1) watch_interrupts(true);
  return m_next_observer_id++;
}

void EngineCpu::remove_interrupt_observer(size_t id) {
  const size_t before = m_int_observers.size();
  std::erase_if(m_int_observers, [id](const auto& o) { return o.first == id; });
  if (before != 0 && m_int_observers.empty()) watch_interrupts(false);
}

void EngineCpu::report_interrupt(const InterruptEntry& e) {
  for (const auto& o : m_int_observers) o.second(e);
}

void EngineCpu::enable_stats(const StatsSetup& setup) {
  if (m_host_timing) return;
  m_host_timing = true;
  m_calibration = HostTicks::Calibration::here();
  m_resumed = m_calibration.ticks;
  m_rtl_windows = setup.rtl_windows;
  add_interrupt_observer([this](const InterruptEntry& e) {
    ++m_stats.exception_entries;
    if (e.interrupt) m_stats.lateness.add(e.entry_cycle > e.due_cycle ? e.entry_cycle - e.due_cycle : 0);
  });
}

void EngineCpu::account_access(uint64_t addr, uint64_t ticks) {
  for (const auto& [base, size] : m_rtl_windows) {
    if (addr >= base && addr - base < size) {
      m_stats.rtl_ticks += ticks;
      return;
    }
  }
  m_stats.device_ticks += ticks;
}

bool EngineCpu::report_stats(CpuReport& r) const {
  if (!m_engine) return false;
  const tcg::EngineStats& e = m_engine->stats();
  r.name = name();
  r.period = m_period;
  r.clock_hz = static_cast<uint64_t>(1.0 / m_period.to_seconds() + 0.5);
  r.quantum = m_quantum;
  r.guest_insns = m_engine->insns_executed();
  r.cycles = m_stats.cycles;
  r.sleep_cycles = m_stats.sleep_cycles;
  r.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - m_stats.start).count();
  const double ns_per_tick = m_host_timing ? m_calibration.ns_per_tick() : 0.0;
  auto ns = [ns_per_tick](uint64_t ticks) { return static_cast<uint64_t>(double(ticks) * ns_per_tick); };
  uint64_t thread_ticks = m_stats.thread_ticks;
  // Still inside the thread (the simulation stopped while it ran).
  if (m_host_timing && !m_waiting) thread_ticks += HostTicks::now() - m_resumed;
  r.thread_ns = ns(thread_ticks);
  r.translate_ns = e.translate_ns;
  r.device_ns = ns(m_stats.device_ticks);
  r.rtl_ns = ns(m_stats.rtl_ticks);
  r.transports = m_bus.transports();
  r.blocks_translated = e.blocks_translated;
  r.guest_insns_translated = e.guest_insns_translated;
  r.loop_entries = e.blocks_executed;
  r.chains_made = e.chains_made;
  r.jump_cache_hits = e.jump_cache_hits;
  r.hash_hits = e.hash_hits;
  r.flushes = e.flushes;
  r.invalidations = e.invalidations;
  r.exceptions = e.exceptions;
  for (size_t i = 0; i < r.syncs.size() && i < static_cast<size_t>(SyncCause::Count); ++i) r.syncs[i] = m_stats.syncs[i];
  r.exception_entries = m_stats.exception_entries;
  r.lateness = m_stats.lateness;
  return true;
}

void EngineCpu::enable_checkpoints(std::FILE* sink, uint64_t perturb_at) {
  m_checkpoints = sink;
  m_perturb_at = perturb_at;
}

void EngineCpu::write_checkpoint() {
  // One line per sync: instructions, pc, cycle, SystemC time of that cycle, register hash.
  const uint64_t insns = m_engine->insns_executed();
  const uint64_t cycle = cycle_now();
  std::fprintf(m_checkpoints, "%llu %#llx %llu %llu %#018llx\n", static_cast<unsigned long long>(insns),
               static_cast<unsigned long long>(m_guest->current_key().pc), static_cast<unsigned long long>(cycle),
               static_cast<unsigned long long>((m_period * static_cast<double>(cycle)).value()),
               static_cast<unsigned long long>(state_hash()));
  if (m_perturb_at != 0 && insns >= m_perturb_at) {
    // Test hook: this CPU loses one cycle against SystemC time from here on.
    m_perturb_at = 0;
    ++m_local_cycles;
    ++m_stats.cycles;
    advance_internal(1);
  }
}

void EngineCpu::print_stats(std::ostream& out) const {
  const tcg::EngineStats& e = m_engine->stats();
  const uint64_t insns = m_engine->insns_executed();
  // Wall time since the CPU started (not per run: a clock read per run costs ~8 % at small quanta).
  const double wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - m_stats.start).count();
  const double sim_s = (m_period * static_cast<double>(m_stats.cycles)).to_seconds();
  uint64_t syncs = 0;
  for (uint64_t s : m_stats.syncs) syncs += s;
  out << fmt::format("{}: guest instructions {}\n", name(), insns);
  out << fmt::format("{}: cycles {} (sleeping {})\n", name(), m_stats.cycles, m_stats.sleep_cycles);
  out << fmt::format("{}: simulated time {:.6f} s\n", name(), sim_s);
  out << fmt::format("{}: wall time {:.6f} s\n", name(), wall_s);
  out << fmt::format("{}: MIPS {:.1f}\n", name(), wall_s > 0 ? double(insns) / wall_s / 1e6 : 0.0);
  out << fmt::format("{}: syncs {} (quantum {}, event {}, halt {}, mmio {}, exit {})\n", name(), syncs,
                     m_stats.syncs[0], m_stats.syncs[1], m_stats.syncs[2], m_stats.syncs[3], m_stats.syncs[4]);
  out << fmt::format("{}: blocks translated {}, chains {}, flushes {}, exceptions {}\n", name(),
                     e.blocks_translated, e.chains_made, e.flushes, e.exceptions);
  if (m_host_timing) {
    CpuReport r;
    report_stats(r);
    print_cpu_extra(out, r);
  }
}

}  // namespace presil::platform
