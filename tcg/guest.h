// SPDX-License-Identifier: Apache-2.0
// The guest front-end interface: what a cpu/<isa> implementation gives the engine.
#pragma once

#include <cstdint>
#include <vector>

#include "tcg/cpu_state.h"
#include "tcg/ir/builder.h"
#include "tcg/memory.h"
#include "tcg/tb.h"

namespace presil::tcg {

class Engine;

/// What a front-end gets to translate one block, and what it reports back.
struct TranslateContext {
  Builder& b;                  ///< emits into the block's IR
  TbKey key;                   ///< pc, mode flags and compile flags of the block
  uint32_t max_insns = 512;    ///< translate at most this many guest instructions
  uint64_t max_cycles = ~0ull; ///< and at most this static cost
  Engine& engine;              ///< for code fetch (fetch16/fetch32 below)

  // Filled in by the front-end:
  uint32_t num_insns = 0;      ///< instructions translated
  uint32_t cycles = 0;         ///< static cost of the whole block (charged on entry)
  uint64_t end_pc = 0;         ///< first byte after the block's guest code

  /// Fetches guest code through the engine (records the page as holding code).
  /// Raises the guest's prefetch fault (via the front-end's fetch_fault) when unmapped.
  uint16_t fetch16(uint64_t addr);
  uint32_t fetch32(uint64_t addr);
  uint8_t fetch8(uint64_t addr);
};

/// A guest CPU as the engine sees it. Implemented in cpu/<isa>/.
class GuestCpu {
 public:
  virtual ~GuestCpu() = default;

  /// Engine part of the guest state (first member of the guest's state struct).
  virtual CpuCommon& common() = 0;
  /// Pointer handed to generated code and helpers (== &common()).
  void* env() { return &common(); }

  /// Guest-state fields exposed to the IR as globals, in temp order.
  virtual const std::vector<GlobalDef>& globals() const = 0;
  /// Helpers the translator's Call ops index.
  virtual const std::vector<HelperInfo>& helpers() const = 0;

  /// Key of the block to run next (pc and mode flags from the current state).
  virtual TbKey current_key() const = 0;
  /// Env offset of a 32-bit guest pc that current_key() returns as TbKey::pc,
  /// or -1. With it, a back-end may look the target of a GotoPtr carrying a
  /// flags hint up inline (see GotoPtr in tcg/ir/opcodes.inc).
  virtual int32_t pc32_env_offset() const { return -1; }
  /// Emits IR for one block starting at ctx.key.pc. Must end every path with
  /// goto_tb+exit_tb, exit_tb or goto_ptr.
  virtual void translate(TranslateContext& ctx) = 0;
  /// Restores pc (and mode data) of the instruction that faulted mid-block.
  virtual void restore_state(const InsnRecord& insn) = 0;

  /// Called by the exec loop between blocks: takes a pending interrupt if one
  /// may be taken now (changing pc/mode). Returns true if it did.
  virtual bool process_interrupts() = 0;
  /// Delivers common().exception_index after an unwind (enters the handler).
  virtual void deliver_exception() = 0;
  /// True while the CPU sleeps (WFI/WFE/HLT) and nothing can wake it.
  virtual bool halted() const = 0;
  /// Raises the guest's fault for an instruction fetch that failed at addr.
  /// Called from translation; must not return (uses Engine::raise).
  [[noreturn]] virtual void fetch_fault(uint64_t addr) = 0;
  /// Raises the guest's fault for a data access that failed (bus error,
  /// alignment). Called from the memory slow path; must not return.
  [[noreturn]] virtual void data_fault(uint64_t addr, Access kind, bool alignment,
                                       uintptr_t host_pc) = 0;
};

}  // namespace presil::tcg
