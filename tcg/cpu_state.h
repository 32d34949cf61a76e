// SPDX-License-Identifier: Apache-2.0
// Engine-owned part of every guest state: budget, exit request, soft-TLB, unwind point.
#pragma once

#include <csetjmp>
#include <cstddef>
#include <cstdint>

namespace presil::tcg {

/// Guest page size used by the soft-TLB and code invalidation (1 KiB, as M-profile needs).
inline constexpr unsigned kPageBits = 10;
inline constexpr uint64_t kPageSize = uint64_t(1) << kPageBits;
inline constexpr uint64_t kPageMask = ~(kPageSize - 1);
/// Entries in the direct-mapped soft-TLB.
inline constexpr unsigned kTlbBits = 10;
inline constexpr unsigned kTlbSize = 1u << kTlbBits;
/// Soft-TLB slot of a guest address: the page number, plus a quarter of the
/// TLB per 512 MiB region (address bits 29-30), so that the first pages of the
/// code region (0) and of SRAM (0x20000000) land in different slots, and a
/// stack at the top of SRAM below both. Adjacent pages never share a slot
/// (their slots differ by 1 or 257): the fast path indexes by an access's
/// first byte and compares the tag with its last byte's page, so a
/// page-crossing access must miss. Generated code computes the same with two
/// shifts, an add and two masks.
inline constexpr size_t tlb_index(uint64_t addr) {
  return size_t((addr >> kPageBits) + ((addr >> 29) << (kTlbBits - 2))) & (kTlbSize - 1);
}

/// Low bits of a TLB tag that force the slow path on an otherwise matching page.
namespace TlbFlag {
inline constexpr uint64_t Invalid = 1u << 0;  ///< entry unused
inline constexpr uint64_t Mmio = 1u << 1;     ///< no host pointer: go through GuestMemory::read/write
inline constexpr uint64_t Code = 1u << 2;     ///< page holds translated code: writes invalidate it
inline constexpr uint64_t Watch = 1u << 3;    ///< debug watchpoint on the page
inline constexpr uint64_t Slow = 1u << 4;     ///< host pointer valid, but accesses cost latency cycles (slow path)
}  // namespace TlbFlag

/// One soft-TLB entry. A fast-path hit compares the page-aligned address of the
/// access's last byte with the tag for its kind; host address = guest + addend.
struct TlbEntry {
  uint64_t addr_read = ~uint64_t(0);   ///< tag for loads (page | TlbFlag bits)
  uint64_t addr_write = ~uint64_t(0);  ///< tag for stores
  uint64_t addr_code = ~uint64_t(0);   ///< tag for instruction fetch
  uintptr_t addend = 0;                ///< host pointer minus guest address
};
static_assert(sizeof(TlbEntry) == 32, "generated code indexes TLB entries by shifting by 5");

/// Cycles request_exit() takes from the budget, so the next block entry fails.
inline constexpr int64_t kExitBias = int64_t(1) << 30;
/// Longest budget of one Engine::run(): the run's instruction count must fit
/// the counter's 24-bit half (every instruction costs at least a cycle, most
/// far more), and the cycle half must stay negative after kExitBias.
inline constexpr int64_t kMaxRunBudget = (int64_t(1) << 22) - 1;

/// The engine's fields, placed first in every guest state struct (composition:
/// `struct ArmState { tcg::CpuCommon common; ... }`) so that generated code
/// reaches them at fixed offsets from the env pointer.
struct CpuCommon {
  /// The run's one counter: cycles left in the current run() in the high 40
  /// bits (signed), instructions retired in this run in the low 24 bits. A
  /// block enters with one subtraction of (cycles << 24) - instructions (an
  /// immediate operand for blocks of up to 127 cycles) and exits (without
  /// executing) when the cycle part went negative: "budget < cycles".
  /// request_exit() takes kExitBias cycles, so the next block boundary leaves
  /// generated code.
  int64_t counter = 0;
  /// Cycles left in the run.
  int64_t budget() const { return counter >> kCounterShift; }
  /// Sets the cycles left, keeping the instruction count.
  void set_budget(int64_t cycles) { counter = cycles * kCounterCycle + run_insns(); }
  /// Takes `cycles` from the budget (negative: gives them back).
  void charge(int64_t cycles) { counter -= cycles * kCounterCycle; }
  /// What a block of `cycles` cycles and `insns` instructions subtracts on entry.
  static constexpr int64_t entry_charge(uint64_t cycles, uint64_t insns) {
    return int64_t(cycles) * kCounterCycle - int64_t(insns);
  }
  /// Instructions retired in total (icount plus this run's count).
  uint64_t insns() const { return icount + uint64_t(run_insns()); }
  /// Instructions retired in this run.
  int64_t run_insns() const { return counter & (kCounterCycle - 1); }
  /// Moves this run's instruction count into icount (the run's half becomes 0).
  void fold_insns() {
    icount = insns();
    counter -= run_insns();
  }
  static constexpr int kCounterShift = 24;
  static constexpr int64_t kCounterCycle = int64_t(1) << kCounterShift;
  /// Nonzero when an exit was requested (interrupt, debug, sync).
  uint32_t exit_request = 0;
  /// Guest exception number pending delivery after an unwind (guest-defined; -1 none).
  int32_t exception_index = -1;
  /// Host code address (JIT return address, or interpreter op address) of the
  /// op that raised, used to restore the guest pc from insn_start records.
  uintptr_t fault_host_pc = 0;
  /// Opaque pointer back to the owning Engine (for helpers).
  void* engine = nullptr;
  /// Guest address of the last memory fault (for BFAR/CR2-style registers).
  uint64_t fault_addr = 0;
  /// Soft-TLB, direct-mapped by tlb_index() of the guest address.
  TlbEntry tlb[kTlbSize];
  /// Unwind point of the exec loop (longjmp from helpers; never a C++ exception).
  std::jmp_buf unwind;
  /// Host address of guest address 0 in the FastMem alias space (0: no fast
  /// memory). The x86-64 back-end keeps it in r15 while generated code runs.
  uintptr_t fastmem_base = 0;
  /// Set by the fault handler when a fast-memory access faulted and was sent to
  /// its slow path: the access site and its slow path (host code addresses).
  /// The slow path clears them and decides whether the site stays fast.
  uintptr_t fast_fault_site = 0;
  uintptr_t fast_fault_stub = 0;
  /// Guest instructions retired before the current run (the run's own count is
  /// in `counter`; insns() is the sum). The engine corrects it after an unwind.
  uint64_t icount = 0;
};

/// Offset of a CpuCommon field from the env pointer.
#define PRESIL_COMMON_OFFSET(field) static_cast<int32_t>(offsetof(::presil::tcg::CpuCommon, field))

}  // namespace presil::tcg
