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

EngineCpu::EngineCpu(sc_core::sc_module_name name, const CpuConfig& cfg)
    : CpuModule(name),
      m_rt(cfg.rt),
      m_quantum(cfg.quantum),
      m_socket("bus"),
      m_period(period_of(cfg.clock_hz ? cfg.clock_hz : 1000000)),
      m_bus(m_socket, m_period, [this] { return m_period * static_cast<double>(std::max<int64_t>(0, m_local_cycles + consumed_in_run())); }) {
  m_socket.register_invalidate_direct_mem_ptr(this, &EngineCpu::invalidate_dmi);
  m_isa = cfg.isa;
  if (m_quantum == sc_core::SC_ZERO_TIME) m_quantum = m_period * 1000.0;
  SC_THREAD(run_thread);
  set_stack_size(kThreadStack);
}

EngineCpu::~EngineCpu() = default;

void EngineCpu::start_engine(tcg::GuestCpu& guest, tcg::GuestMemory& mem, std::unique_ptr<tcg::Backend> backend,
                             tcg::EngineOptions opts) {
  m_guest = &guest;
  m_engine = std::make_unique<tcg::Engine>(guest, mem, std::move(backend), opts);
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

int64_t EngineCpu::consumed_in_run() const { return m_engine ? m_engine->cycles_in_run() : 0; }

sc_core::sc_time EngineCpu::local_now() const {
  return sc_core::sc_time_stamp() + m_period * static_cast<double>(std::max<int64_t>(0, m_local_cycles + consumed_in_run()));
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

void EngineCpu::sync(SyncCause cause) {
  ++m_stats.syncs[static_cast<size_t>(cause)];
  const int64_t ahead = m_local_cycles + consumed_in_run();
  if (m_log) [[unlikely]] {
    static constexpr const char* kCause[] = {"quantum", "event", "halt", "mmio", "exit"};
    const size_t i = static_cast<size_t>(cause);
    m_log->sync(i < std::size(kCause) ? kCause[i] : "other", local_now(), ahead, m_engine->insns_executed());
  }
  if (ahead > 0) {
    sc_core::wait(m_period * static_cast<double>(ahead));
  } else {
    sc_core::wait(sc_core::SC_ZERO_TIME);
  }
  // Whatever the current run consumed so far is now in SystemC time.
  m_local_cycles = -consumed_in_run();
}

void EngineCpu::maybe_sync_for_mmio() {
  if (m_sync_on_mmio && m_engine->running()) sync(SyncCause::Mmio);
}

int64_t EngineCpu::cycles_to_next_event() const {
  int64_t until = std::numeric_limits<int64_t>::max();
  // The next SystemC event (a timer firing, an RTL edge...), from this CPU's local time.
  const sc_core::sc_time to_event = sc_core::sc_time_to_pending_activity();
  if (to_event != sc_core::sc_max_time()) {
    const double ev = to_event / m_period;
    int64_t ev_cycles = static_cast<int64_t>(ev);
    if (double(ev_cycles) < ev) ++ev_cycles;  // reach the event, not one cycle short
    until = ev_cycles - (m_local_cycles + consumed_in_run());
  }
  // The guest's own next event (SysTick).
  const uint64_t internal = cycles_to_internal_event();
  if (internal < uint64_t(std::numeric_limits<int64_t>::max())) {
    until = std::min(until, std::max<int64_t>(1, static_cast<int64_t>(internal)));
  }
  return until;
}

void EngineCpu::after_device_access() {
  if (!m_engine->running()) return;
  const int64_t until = cycles_to_next_event();
  if (until != std::numeric_limits<int64_t>::max()) m_engine->cap_run(until);
}

int64_t EngineCpu::budget_now() const {
  const int64_t quantum_cycles = std::max<int64_t>(1, static_cast<int64_t>(m_quantum / m_period));
  return std::min(quantum_cycles - m_local_cycles, cycles_to_next_event());
}

tcg::ExitReason EngineCpu::run_engine(int64_t budget) {
  const tcg::ExitReason why = m_engine->run(budget);
  const int64_t used = m_engine->cycles_used();
  ++m_stats.runs;
  m_local_cycles += used;
  m_stats.cycles += static_cast<uint64_t>(std::max<int64_t>(0, used));
  if (used > 0) advance_internal(static_cast<uint64_t>(used));
  return why;
}

void EngineCpu::run_thread() {
  m_stats.start = std::chrono::steady_clock::now();
  for (;;) {
    if (m_rt.exit_requested()) {
      sc_core::wait();  // sc_stop() is in effect at the end of this delta
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
        sc_core::wait(m_period * static_cast<double>(std::max<uint64_t>(1, internal)), m_wake);
      } else {
        sc_core::wait(m_wake);
      }
      const uint64_t slept = static_cast<uint64_t>((sc_core::sc_time_stamp() - before) / m_period);
      m_stats.cycles += slept;
      m_stats.sleep_cycles += slept;
      advance_internal(slept);
      // Let the guest take what woke it (interrupt, SysTick) before it runs again.
      m_guest->process_interrupts();
      continue;
    }
    const int64_t budget = budget_now();
    if (budget <= 0) {
      sync(SyncCause::Event);
      continue;
    }
    tcg::ExitReason why = run_engine(budget);
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
    const int64_t quantum_cycles = std::max<int64_t>(1, static_cast<int64_t>(m_quantum / m_period));
    if (m_rt.exit_requested()) {
      sync(SyncCause::Exit);
    } else if (m_local_cycles >= quantum_cycles) {
      sync(SyncCause::Quantum);
    } else if (budget_now() <= 0) {
      sync(SyncCause::Event);
    }
  }
}

// ----- Debugger access (gdb::DebugCpu) --------------------------------------------------------

size_t EngineCpu::read_memory(uint64_t addr, uint8_t* data, size_t len) {
  size_t done = 0;
  while (done < len) {
    const unsigned chunk = static_cast<unsigned>(std::min<size_t>(len - done, 4096));
    const unsigned n = m_bus.debug_read(addr + done, data + done, chunk);
    done += std::min(n, chunk);
    if (n < chunk) break;
  }
  return done;
}

size_t EngineCpu::write_memory(uint64_t addr, const uint8_t* data, size_t len) {
  size_t done = 0;
  while (done < len) {
    const unsigned chunk = static_cast<unsigned>(std::min<size_t>(len - done, 4096));
    const unsigned n = m_bus.debug_write(addr + done, data + done, chunk);
    done += std::min(n, chunk);
    if (n < chunk) break;
  }
  if (done && m_engine) m_engine->invalidate_code(addr, addr + done - 1);
  return done;
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
}

}  // namespace presil::platform
