// SPDX-License-Identifier: Apache-2.0
// The engine: per-CPU exec loop over a TB cache, a back-end and guest memory.
#pragma once

#include <cstdint>
#include <limits>
#include <memory>

#include "tcg/backend.h"
#include "tcg/guest.h"
#include "tcg/memory.h"
#include "tcg/observer.h"

namespace presil::tcg {

/// Engine configuration.
struct EngineOptions {
  size_t code_buffer_size = 32u << 20;  ///< bytes of generated code before a full flush
  uint32_t max_block_insns = 512;       ///< longest block
  bool single_step = false;             ///< one guest instruction per block
  bool no_chain = false;                ///< never chain blocks
  bool optimize = true;                 ///< run the optimisation passes
  bool verify_ir = false;               ///< verify IR in release builds too (always on without NDEBUG)
  bool fastmem = true;                  ///< alias guest RAM into a FastMem space when the back-end can use it
};

/// Why run() returned.
enum class ExitReason : uint8_t {
  BudgetExhausted,  ///< the cycle budget is used up (exactly: the next insn did not fit)
  ExitRequested,    ///< request_exit() (interrupt for another CPU, sync, debugger)
  Halted,           ///< the guest sleeps (WFI/HLT) with nothing pending
  Debug,            ///< stopped for a debugger: breakpoint, watchpoint or single step (debug_stop() says which)
};

/// Lets Engine::run() go on past a spent budget without returning: the
/// caller's quantum sync is done from inside the run, so a sync costs no exit
/// from and re-entry into the exec loop (no unwind point to set up, no first
/// lookup of a new run).
class RunContinuation {
 public:
  virtual ~RunContinuation() = default;
  /// Called at a block boundary when the run's budget is spent, with the
  /// cycles `used` since the run (or the last continuation) began; the engine
  /// is not running() during the call (cycles_in_run() is 0: `used` is the
  /// caller's to account). `soft_end`: the budget is not spent, but the next
  /// block does not fit what is left and the end is soft (overshoot > 0): the
  /// part ends at this block boundary, before the block, rather than after it
  /// (only when `used` > 0, so every part makes progress); the caller may give
  /// the cycles left over to its next part. Returns the next budget (> 0) and
  /// sets `overshoot` as for run() to go on; returns 0 to end the run, which
  /// then returns ExitReason::ExitRequested with cycles_used() 0.
  virtual int64_t budget_spent(int64_t used, bool soft_end, int64_t& overshoot) = 0;
};

/// Accesses a watchpoint catches (bit mask: Access = Read | Write).
enum class WatchKind : uint8_t { Write = 1, Read = 2, Access = 3 };

/// What stopped the last run() that returned ExitReason::Debug.
struct DebugStop {
  enum class Kind : uint8_t {
    None,        ///< no debug stop
    Breakpoint,  ///< the next instruction (at pc) is a breakpoint; it has not run
    Watchpoint,  ///< the instruction at pc accessed a watched range; the access was not performed
    Step,        ///< single step: one instruction (or exception entry) completed
  };
  Kind kind = Kind::None;
  uint64_t pc = 0;                    ///< guest pc at the stop
  uint64_t addr = 0;                  ///< watchpoint: first watched byte the access touched
  WatchKind watch = WatchKind::Write; ///< watchpoint: kind of the watchpoint that matched
  bool write = false;                 ///< watchpoint: the access was a store
};

/// Counters readable by the platform's --stats.
struct EngineStats {
  uint64_t blocks_translated = 0;
  uint64_t guest_insns_translated = 0;
  uint64_t ir_ops_translated = 0;
  uint64_t blocks_executed = 0;        ///< entries from the exec loop (chained runs not counted)
  uint64_t chains_made = 0;
  uint64_t jump_cache_hits = 0;
  uint64_t lookup_calls = 0;           ///< Runtime::lookup calls from generated code (inline probes not counted)
  uint64_t hash_hits = 0;
  uint64_t flushes = 0;
  uint64_t invalidations = 0;
  uint64_t tlb_fills = 0;
  uint64_t fast_faults = 0;            ///< fast-memory accesses that faulted into their slow path
  uint64_t fast_sites_patched = 0;     ///< ... and whose site now always takes it (device, code page, hole)
  uint64_t exceptions = 0;
  uint64_t code_bytes = 0;             ///< currently used in the code buffer
  uint64_t translate_ns = 0;           ///< host time spent translating
};

/// Executes one guest CPU. Knows nothing of SystemC.
///
/// Block life cycle: the exec loop asks the GuestCpu for the next TbKey, looks
/// it up (per-engine direct-mapped jump cache, then the hash table), else
/// translates (front-end -> tcg/opt pipeline -> back-end into the code buffer;
/// a full buffer is flushed whole and the block retried). The block is
/// entered; it charges its cycles on entry and leaves through a chain slot,
/// ExitTb or GotoPtr. A slot exit links the two blocks (unless no_chain /
/// CFlag::NoChain), so hot paths never come back to the loop. When a block
/// does not fit the budget left, a shorter one is translated (CFlag::BudgetCap,
/// never chained) so run() stops at the exact instruction.
///
/// Self-modifying code: blocks are listed per guest page; pages holding code
/// carry TlbFlag::Code on their store tags, so stores to them take the slow
/// path, which invalidates (and unchains) every block overlapping the bytes
/// written. If the running block is among them, the store has not happened
/// yet: the guest is rolled back to the storing instruction, which is re-run
/// alone in an uncached one-instruction block (its own store therefore cannot
/// invalidate it), and execution continues with fresh translations at the
/// next instruction. Code written behind the engine's back (loader, DMA,
/// debugger) must be reported with invalidate_code().
class Engine {
 public:
  Engine(GuestCpu& cpu, GuestMemory& mem, std::unique_ptr<Backend> backend, EngineOptions opts = {});
  ~Engine();

  /// Runs until `budget` cycles are consumed, an exit is requested, or the guest
  /// halts. Returns why; cycles_used() says how much of the budget went.
  /// `overshoot` > 0 makes the end soft: the block that does not fit the rest
  /// of the budget runs whole if it fits within `overshoot` more cycles, and the
  /// run ends after it (instead of finishing the budget one instruction at a
  /// time). For budgets ended by a quantum rather than an event; cap_run()
  /// makes the end exact again.
  ExitReason run(int64_t budget, int64_t overshoot = 0);
  /// Cycles consumed by the last run() since its last continuation (may exceed
  /// the budget by memory delays).
  int64_t cycles_used() const { return m_cycles_used; }
  /// Cycles consumed so far by the run() in progress (callable from helpers and
  /// memory callbacks; blocks are charged in full on entry). 0 outside run().
  int64_t cycles_in_run() const {
    if (!m_running) return 0;
    return m_run_budget - budget_left() - m_unelapsed;
  }
  /// Cycles the run() in progress may still use before its budget ends (the
  /// soft end's overshoot not counted); meaningless outside run().
  int64_t budget_left() const { return m_common.budget() + (m_common.exit_request ? kExitBias : 0); }
  /// Cycles the run() in progress may still reach: budget_left() plus the overshoot a soft end allows.
  int64_t run_horizon() const {
    const int64_t left = budget_left();
    if (left > 0 && m_overshoot > std::numeric_limits<int64_t>::max() - left) return std::numeric_limits<int64_t>::max();
    return left + m_overshoot;
  }
  /// True while run() is executing (helpers and memory callbacks run inside it).
  bool running() const { return m_running; }
  /// Guest instructions retired in total.
  uint64_t insns_executed() const;

  /// Caps the rest of the run() in progress at `cycles` from the current
  /// instruction (a device just scheduled an event that soon). The cycles
  /// taken off are not counted as used. No effect outside run().
  void cap_run(int64_t cycles);
  /// Makes the running block's successor return to the loop (callable from helpers/devices).
  void request_exit();
  /// Adds delay cycles (e.g. a transport annotation) to the current run.
  void add_cycles(uint64_t cycles);

  /// Drops every soft-TLB entry (DMI invalidated, MPU changed). There is one
  /// TLB for all MemOp::mmu_idx values: flush it when the access regime changes.
  void flush_tlb();
  /// Drops TLB entries for guest range [start, end].
  void flush_tlb_range(uint64_t start, uint64_t end);
  /// Invalidates translated code overlapping guest range [start, end] (SMC, loader).
  void invalidate_code(uint64_t start, uint64_t end);
  /// Drops all translated code.
  void flush_code();

  /// Unwinds to the exec loop with exception `excp` pending; host_pc locates
  /// the faulting op (0: guest state already precise). Called from helpers.
  [[noreturn]] void raise(int32_t excp, uintptr_t host_pc);

  /// Reads guest code for translation (TranslateContext::fetch*): records the
  /// page as holding code; raises the guest's fetch fault when unmapped.
  void fetch_code(TranslateContext& ctx, uint64_t addr, void* out, unsigned size);
  /// Translated block whose host code contains host_pc (nullptr if none).
  const TranslationBlock* tb_for_host_pc(uintptr_t host_pc) const;

  /// Installs the continuation run() asks when its budget is spent (nullptr:
  /// none, run() returns). Not asked while debugging.
  void set_continuation(RunContinuation* c) { m_continuation = c; }

  /// Installs an observer of translate/exec events (nullptr: none); `events`
  /// are Observe:: bits. Call before the first run(): observing Exec turns
  /// chaining off so every block returns to the exec loop.
  void set_observer(EngineObserver* obs, unsigned events);

  // --- debugging (zero cost while no breakpoint, watchpoint or step is set) ---
  /// Stops run() (ExitReason::Debug) before executing the instruction at `pc`.
  /// Blocks never run past a breakpoint: translation ends before it and no
  /// chain or indirect jump enters a block starting at it. Counted: insert
  /// twice, remove twice.
  void insert_breakpoint(uint64_t pc);
  /// Removes one insertion of a breakpoint; false if none was there.
  bool remove_breakpoint(uint64_t pc);
  /// Stops run() at the instruction that accesses [addr, addr+len) (pc restored
  /// to it, the access not performed). Watched pages go to the memory slow
  /// path through TlbFlag::Watch.
  void insert_watchpoint(uint64_t addr, uint64_t len, WatchKind kind);
  /// Removes one matching watchpoint; false if none matched.
  bool remove_watchpoint(uint64_t addr, uint64_t len, WatchKind kind);
  /// Removes every breakpoint and watchpoint and cancels a pending step.
  void clear_debug();
  /// With `on`, the next run() executes exactly one instruction (interrupts
  /// are not taken while stepping) and returns ExitReason::Debug (Kind::Step).
  void set_single_step(bool on);
  /// Why the last ExitReason::Debug happened. After a breakpoint or watchpoint
  /// stop, the next run() executes the instruction at the stop pc once without
  /// that check (resuming steps over the stop), if pc was not changed.
  const DebugStop& debug_stop() const { return m_debug_stop; }

  GuestCpu& cpu() { return m_cpu; }
  GuestMemory& memory() { return m_mem; }
  Backend& backend() { return *m_backend; }
  const EngineStats& stats() const { return m_stats; }
  const EngineOptions& options() const { return m_opts; }

  /// Engine of a guest state (from CpuCommon::engine).
  static Engine& of(void* env) { return *static_cast<Engine*>(static_cast<CpuCommon*>(env)->engine); }

 private:
  struct Impl;
  TranslationBlock* translate(const TbKey& key, uint64_t max_cycles);
  static uint32_t insn_count(const Block& b);
  void restore_from_host_pc(uintptr_t host_pc);
  /// A debug single-instruction block finished (executed: it retired or raised).
  void debug_block_done(bool executed);
  uint64_t prefix_cycles(const TbKey& key, uint32_t n);
  bool chainable_pair(const TranslationBlock& from, const TranslationBlock& to) const;
  /// The budget is spent (or the soft end reached): asks m_continuation for the next one; false to end the run.
  bool continue_run(bool soft_end);
  /// True when block `tb` does not fit the rest of the budget but fits the overshoot: the soft end.
  bool at_soft_end(const TranslationBlock& tb) const {
    const int64_t left = m_common.budget(), need = int64_t(tb.cycles);
    return need > left && left > 0 && need <= left + m_overshoot;
  }
  enum class SoftEnd : uint8_t {
    None,       ///< not at a soft end
    Extended,   ///< the budget grew to run `tb` whole; the run ends after it
    Continued,  ///< the continuation took the end before `tb` and gave a new budget
    Ended,      ///< the continuation took the end and ended the run
  };
  /// Ends the run softly at block `tb` (at_soft_end(tb)).
  SoftEnd soft_end(const TranslationBlock& tb);
  /// No exit request, flush or debugger for the exec loop's top to see to.
  bool loop_top_clear() const;
  /// After a continuation before `tb`: true if `tb` is still the next block and fits the new budget.
  bool resume_after_continuation(const TranslationBlock& tb);

  std::unique_ptr<Impl> m_impl;
  GuestCpu& m_cpu;
  CpuCommon& m_common;  ///< m_cpu.common(), looked up once (hot in device accesses)
  GuestMemory& m_mem;
  std::unique_ptr<Backend> m_backend;
  EngineOptions m_opts;
  EngineStats m_stats;
  int64_t m_cycles_used = 0;
  int64_t m_run_budget = 0;  ///< budget given to the run() in progress
  int64_t m_overshoot = 0;   ///< cycles the run in progress may still go past its budget (run())
  bool m_running = false;    ///< inside run()
  /// During a device access: cycles the running block was charged on entry for
  /// instructions at and after the accessing one (not yet elapsed).
  int64_t m_unelapsed = 0;
  DebugStop m_debug_stop;  ///< last debug stop
  RunContinuation* m_continuation = nullptr;  ///< asked when a run's budget is spent (nullptr: none)
  EngineObserver* m_observer = nullptr;  ///< translate events (nullptr: none)
  EngineObserver* m_exec_observer = nullptr;  ///< exec events (nullptr unless Observe::Exec)
  unsigned m_observe = 0;                ///< Observe:: bits
  /// Block whose code contains host_pc and the index of the guest instruction
  /// there (nullptr if none).
  const TranslationBlock* insn_at(uintptr_t host_pc, size_t& index) const;
  /// Cycles not yet elapsed in the block containing host_pc at that point (from InsnStart's cycle word).
  int64_t unelapsed_at(uintptr_t host_pc) const;
};

}  // namespace presil::tcg
