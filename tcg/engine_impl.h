// SPDX-License-Identifier: Apache-2.0
// Private state of the Engine (TB cache, code pages, translation scratch); engine.cpp only.
#pragma once

#include <array>
#include <csetjmp>
#include <memory>
#include <set>
#include <unordered_map>
#include <utility>
#include <vector>

#include "tcg/code_buffer.h"
#include "tcg/engine.h"
#include "tcg/fastmem.h"

namespace presil::tcg {

/// Hash of a TB key for the global hash table.
struct TbKeyHash {
  size_t operator()(const TbKey& k) const {
    uint64_t h = k.pc * 0x9e3779b97f4a7c15ull ^ (uint64_t(k.flags) << 32 | k.cflags);
    return size_t(h ^ (h >> 29));
  }
};

struct Engine::Impl {
  explicit Impl(size_t code_size) : buffer(code_size) { jump_cache.fill(nullptr); }

  static constexpr unsigned kJumpCacheBits = 12;
  /// Jump-cache slot of a key: the pc, mixed with the instruction limit so a
  /// block and the single-instruction block at the same pc (budget tails) do
  /// not evict each other.
  static size_t jc_index(const TbKey& key) {
    const uint64_t pc = key.pc ^ (uint64_t(key.cflags & CFlag::MaxInsnsMask) << 7);
    return size_t((pc >> 1) ^ (pc >> (kJumpCacheBits + 1))) & ((1u << kJumpCacheBits) - 1);
  }
  static size_t tlb_index(uint64_t addr) { return tcg::tlb_index(addr); }

  CodeBuffer buffer;
  /// Every block in the code buffer, in code-address order (for host pc lookups).
  std::vector<std::unique_ptr<TranslationBlock>> tbs;
  /// Global TB table.
  std::unordered_map<TbKey, TranslationBlock*, TbKeyHash> hash;
  /// Direct-mapped per-CPU cache in front of the hash table.
  std::array<TranslationBlock*, (1u << kJumpCacheBits)> jump_cache;
  /// Guest page -> blocks translated from it.
  std::unordered_map<uint64_t, std::vector<TranslationBlock*>> pages;
  /// Recent unelapsed_at() answers: (host pc, cycles); host pc 0: empty.
  std::array<std::pair<uintptr_t, int64_t>, 64> unelapsed_cache{};
  /// Guest RAM aliased for the back-end's fast accesses (nullptr: not used).
  std::unique_ptr<FastMem> fastmem;
  /// Load/store latency (cycles) of each TLB slot with TlbFlag::Slow.
  std::array<std::array<uint32_t, 2>, kTlbSize> latency{};

  // Translation scratch.
  Block block;
  std::jmp_buf translate_abort;
  uint32_t retry_insns = 0;
  uint32_t fit_lo = 0, fit_hi = ~0u;  ///< prefix search for front-ends that ignore max_cycles
  bool translating = false;
  bool measuring = false;  ///< prefix_cycles() is running the front-end
  uint64_t fetch_page[2] = {~0ull, ~0ull};
  uint64_t fetch_lo = ~0ull, fetch_hi = 0;
  HostRegion fetch_region;

  /// What budget-capped translations of a block start taught us: with n
  /// instructions the block costs `cycles`, and translations with budgets up to
  /// `max_budget` stopped at n. A budget B with cycles <= B <= max_budget
  /// therefore needs exactly the cached n-instruction block: no front-end run.
  struct CapFact {
    uint32_t n;
    uint64_t cycles;
    uint64_t max_budget;
  };
  std::unordered_map<TbKey, std::vector<CapFact>, TbKeyHash> cap_facts;

  // Exec loop state (members, not locals: they survive longjmp).
  uint32_t base_cflags = 0;
  uint32_t next_cflags = 0;
  TranslationBlock* chain_from = nullptr;
  /// The block whose entry check failed in a run with an overshoot left: the
  /// next loop iteration runs it whole without a lookup if it is the soft end.
  TranslationBlock* soft_end_next = nullptr;
  unsigned chain_slot = 0;
  bool flush_pending = false;
  bool unwind_exception = false;
  ExitReason result = ExitReason::BudgetExhausted;

  // Debugging (breakpoints, watchpoints, single step).
  /// A watched range [start, last].
  struct Watch {
    uint64_t start, last;
    WatchKind kind;
  };
  std::multiset<uint64_t> breakpoints;
  std::vector<Watch> watches;
  bool stepping = false;         ///< set_single_step(true): stop after one instruction
  bool resume_over = false;      ///< the next block at resume_pc runs once without debug checks
  uint64_t resume_pc = 0;
  bool resume_skip_watch = false;  ///< ... and without watchpoint checks (it stopped at one)
  bool debug_block = false;      ///< the block running is a debug single-instruction block
  bool watch_suppress = false;   ///< that block steps over the watchpoint that stopped it
  bool debug_stop_pending = false;  ///< leave the loop with ExitReason::Debug (m_debug_stop filled)
  /// Any of the above (or a pending stop) set: the exec loop takes its
  /// otherwise skipped debug path. The only debug test of a loop iteration.
  bool debug_on = false;
  bool debug_active() const { return debug_on; }
  /// Nonzero while generated code must not look blocks up inline (Runtime::lookup_guard):
  /// debugging, or lookups that rt_lookup answers otherwise (no chaining, extra cflags).
  bool lookup_guard = false;
  bool lookup_inline_off = false;
  /// Recomputes debug_on (and the lookup guard) after a change to the fields above.
  void update_debug() {
    debug_on = stepping || resume_over || debug_stop_pending || !breakpoints.empty();
    lookup_guard = debug_on || lookup_inline_off;
  }
  bool is_breakpoint(uint64_t pc) const { return !breakpoints.empty() && breakpoints.count(pc) != 0; }
  /// Stops at the accessing instruction when [addr, addr+size) meets a watchpoint of that kind.
  void check_watch(Engine& eng, uint64_t addr, unsigned size, bool write, uintptr_t host_pc);
  /// Adds TlbFlag::Watch to the tags of a freshly filled entry for watched pages.
  void mark_watch(TlbEntry& e, uint64_t page) const;

  TranslationBlock* find(const TbKey& key, EngineStats& stats);
  void unlink(TranslationBlock& tb, Backend& backend);
  void drop(TranslationBlock& tb, Backend& backend, EngineStats& stats);
  void mark_code_page(CpuCommon& c, uint64_t page, bool code);
  void flush_now(CpuCommon& c, CodeBuffer& buffer, EngineStats& stats);
  bool invalidate_range(uint64_t start, uint64_t end, const TranslationBlock* current, CpuCommon& c,
                        Backend& backend, EngineStats& stats);
  bool chainable(const TranslationBlock& tb) const;
  TlbEntry& fill(Engine& eng, uint64_t addr, Access kind);
  /// A fast access faulted into its slow path: alias the memory it reaches if
  /// that is RAM, else patch the site so it always takes the slow path.
  void fast_fault(Engine& eng, uint64_t addr, unsigned size, Access kind);
  /// Fast memory follows the watchpoints: none while any is set.
  void update_fastmem() {
    if (fastmem) fastmem->set_enabled(watches.empty());
  }
  uint64_t load_page(Engine& eng, uint64_t addr, unsigned size, uintptr_t host_pc);
  void store_page(Engine& eng, uint64_t addr, uint64_t v, unsigned size, uintptr_t host_pc);
  static unsigned insns_started(const Block& b, uint64_t pc);
  [[noreturn]] void abort_translation(TranslateContext& ctx);

  static uint64_t rt_load(void* env, uint64_t addr, uint32_t memop, uintptr_t host_pc);
  static void rt_store(void* env, uint64_t addr, uint64_t value, uint32_t memop, uintptr_t host_pc);
  static const uint8_t* rt_lookup(void* env);
  static uintptr_t rt_budget_end(void* env, uintptr_t exit);
};

}  // namespace presil::tcg
