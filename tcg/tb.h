// SPDX-License-Identifier: Apache-2.0
// Translation blocks: the unit the engine translates, caches, chains and invalidates.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

namespace presil::tcg {

/// Compile flags of a block (part of its cache key).
namespace CFlag {
inline constexpr uint32_t MaxInsnsMask = 0xffff;  ///< 0: no limit; else at most this many insns
inline constexpr uint32_t NoChain = 1u << 16;     ///< never chain out of this block
inline constexpr uint32_t SingleStep = 1u << 17;  ///< one guest instruction per block
inline constexpr uint32_t BudgetCap = 1u << 18;   ///< shortened to fit the rest of a budget (never chained)
inline constexpr uint32_t NoCache = 1u << 19;     ///< run once and dropped (re-executing a self-modifying store)
}  // namespace CFlag

/// Key under which a block is cached.
struct TbKey {
  uint64_t pc = 0;       ///< guest virtual pc of the first instruction
  uint32_t flags = 0;    ///< guest mode bits that change translation (Thumb, IT state, privilege...)
  uint32_t cflags = 0;   ///< CFlag bits
  bool operator==(const TbKey&) const = default;
};

/// Restore record of one guest instruction (from InsnStart).
struct InsnRecord {
  uint64_t pc;
  uint64_t data1;
  uint64_t data2;
};

/// Values an ExitTb op (and generated code in general) returns to the exec loop,
/// OR-ed into the low bits of the TranslationBlock pointer that exited. ExitTb's
/// constant is one of these; the back-end ORs in the block that executes it.
namespace ExitCode {
inline constexpr uintptr_t Slot0 = 0;      ///< left through chain slot 0: chain and continue
inline constexpr uintptr_t Slot1 = 1;      ///< left through chain slot 1
inline constexpr uintptr_t NoChain = 2;    ///< look the next block up; do not chain
inline constexpr uintptr_t Requested = 3;  ///< budget exhausted or exit requested before the block ran
inline constexpr uintptr_t Mask = 3;
}  // namespace ExitCode

/// One translated block. Allocated and owned by the engine's TB cache.
struct alignas(8) TranslationBlock {
  TbKey key;
  uint32_t guest_size = 0;   ///< bytes of guest code covered
  uint32_t num_insns = 0;    ///< guest instructions
  uint32_t cycles = 0;       ///< static cost charged on entry
  uint64_t page[2] = {~0ull, ~0ull};  ///< guest pages it was translated from (second: ~0 if none)

  const uint8_t* code = nullptr;  ///< host code (JIT) or bytecode (interpreter), in the code buffer
  uint32_t code_size = 0;

  /// Code offsets (from `code`) of each chain slot's patchable jump; ~0 if unused.
  std::array<uint32_t, 2> jmp_patch_offset{~0u, ~0u};
  /// Block each slot is currently chained to (nullptr: unchained).
  std::array<TranslationBlock*, 2> jmp_dest{nullptr, nullptr};
  /// Blocks whose slots jump here: (block, slot) pairs, for unchaining on invalidation.
  std::vector<std::pair<TranslationBlock*, unsigned>> jmp_incoming;

  /// Restore record per guest instruction.
  std::vector<InsnRecord> insns;
  /// For each instruction, the code offset where its code ends (search key for
  /// mapping a fault's host pc to the instruction).
  std::vector<uint32_t> insn_code_end;

  bool invalid = false;  ///< removed from the cache; never entered again
};

}  // namespace presil::tcg
