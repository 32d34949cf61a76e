// SPDX-License-Identifier: Apache-2.0
// The back-end interface: compile IR into the code buffer, enter it, patch chains.
#pragma once

#include <cstdint>
#include <string>

#include "tcg/code_buffer.h"
#include "tcg/ir/ir.h"
#include "tcg/tb.h"

namespace presil::tcg {

/// Runtime services the engine gives generated code (memory slow paths,
/// next-block lookup). Back-ends call these; the engine implements them.
struct Runtime {
  /// Slow-path guest load: returns the (extended) value; raises on fault.
  /// host_pc identifies the faulting op (see CpuCommon::fault_host_pc).
  uint64_t (*load)(void* env, uint64_t addr, uint32_t memop, uintptr_t host_pc) = nullptr;
  /// Slow-path guest store; raises on fault.
  void (*store)(void* env, uint64_t addr, uint64_t value, uint32_t memop, uintptr_t host_pc) = nullptr;
  /// GotoPtr: code address of the next block for the current guest state, or
  /// nullptr to return to the exec loop (which then returns ExitCode::NoChain).
  const uint8_t* (*lookup)(void* env) = nullptr;
  /// Inline jump-cache probe for GotoPtr ops with a flags hint: the engine's
  /// jump cache (jc_index() slots), the env offset of the 32-bit guest pc, and
  /// a flag that is nonzero while every lookup must go through `lookup`
  /// (debugging, no chaining). jump_cache nullptr: no inline probe.
  TranslationBlock* const* jump_cache = nullptr;
  unsigned jump_cache_bits = 0;
  int32_t pc32_offset = -1;
  const bool* lookup_guard = nullptr;
  /// A block's entry check failed: `exit` is (tb | ExitCode::Requested). The
  /// engine may synchronise here (its continuation) without leaving generated
  /// code. Returns the code address of the block to enter next (its low
  /// ExitCode bits are 0) or the exit value to return with. nullptr: blocks
  /// return `exit` as it is.
  uintptr_t (*budget_end)(void* env, uintptr_t exit) = nullptr;
  /// Guest loads and stores may go straight to CpuCommon::fastmem_base + address
  /// (a FastMem space) when the back-end supports it; see Backend::patch_fast_site.
  bool fastmem = false;
};

/// A host back-end (host/x86_64, host/interp).
///
/// Contract of generated code (the interpreter is the reference):
/// - Entry into a block (from execute(), a chained GotoTb, or GotoPtr): if
///   `budget < tb.cycles` (signed) return (tb | ExitCode::Requested) without
///   running it (a back-end may first ask Runtime::budget_end, and enter or
///   return what it answers); else `budget -= tb.cycles`, `icount +=
///   tb.num_insns`, run.
/// - ExitTb(v) returns (the executing block | v); GotoTb(slot) jumps to the
///   block chained at that slot (after chain()) or falls through to its ExitTb.
/// - GotoPtr calls Runtime::lookup; nullptr returns (block | ExitCode::NoChain).
/// - Globals are in the guest state (not in host registers) at every exit,
///   call and op that may raise, so helpers and unwinding see precise state.
/// - Before a MayRaise op or a Call, CpuCommon::fault_host_pc is set to a
///   "return address" inside the block's code: an address A with
///   insn_code_end[i-1] < A - code <= insn_code_end[i] for the op's guest
///   instruction i (the interpreter uses the end of the op's record; a JIT the
///   return address of the call). Runtime::load/store receive the same value.
/// - A helper or slow path may longjmp out of generated code (no C++
///   exception ever crosses it): keep nothing on the host stack that needs
///   unwinding.
class Backend {
 public:
  virtual ~Backend() = default;
  /// Short name ("x86_64", "interp").
  virtual const char* name() const = 0;
  /// Compiles an optimised block into buf for tb. Fills tb.code, code_size,
  /// jmp_patch_offset, insn_code_end. Returns false if buf is full (the engine
  /// flushes and retries).
  virtual bool compile(const Block& block, TranslationBlock& tb, CodeBuffer& buf) = 0;
  /// Enters generated code at tb; returns (TranslationBlock* | ExitCode) of the
  /// block that left.
  virtual uintptr_t execute(void* env, const TranslationBlock& tb) = 0;
  /// Makes tb's exit slot jump directly to dest.
  virtual void chain(TranslationBlock& tb, unsigned slot, const TranslationBlock& dest) = 0;
  /// Restores tb's exit slot to return to the exec loop.
  virtual void unchain(TranslationBlock& tb, unsigned slot) = 0;
  /// True if generated code can access guest memory through a FastMem space.
  /// Such a back-end catches the host fault of an access the space does not
  /// serve, records it in CpuCommon::fast_fault_site/stub and continues in the
  /// access's slow path (Runtime::load/store).
  virtual bool supports_fastmem() const { return false; }
  /// Sends every later execution of a fast access site straight to its slow path
  /// (the engine found the address is not plain RAM: a device, code, a hole).
  virtual void patch_fast_site(uintptr_t site, uintptr_t stub) {}
  /// Disassembly of tb's host code for logs (empty if not supported).
  virtual std::string disassemble(const TranslationBlock& tb) const { return {}; }

  /// Installs the engine's runtime services (called by the Engine before any compile).
  void set_runtime(const Runtime& rt) { m_runtime = rt; }
  /// The runtime services generated code calls.
  const Runtime& runtime() const { return m_runtime; }

 protected:
  Runtime m_runtime;  ///< set by the engine
};

}  // namespace presil::tcg
