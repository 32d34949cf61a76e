// SPDX-License-Identifier: Apache-2.0
// Static per-instruction cycle costs of an ARM core, filled in by the platform.
#pragma once

#include <cstdint>
#include <string_view>

namespace presil::cpu::arm {

/// Cycle cost of each instruction class; a block's cost is the sum over its instructions.
struct TimingTable {
  uint32_t alu = 1;           ///< data processing, moves, extends, bit fields, hints
  uint32_t load = 1;          ///< single load (LDR/LDRB/LDRH...)
  uint32_t store = 1;         ///< single store
  uint32_t multiple_base = 1; ///< LDM/STM/PUSH/POP: base cost, plus `per_register` each
  uint32_t per_register = 0;  ///< LDM/STM per transferred register
  uint32_t dual = 1;          ///< LDRD/STRD
  uint32_t mul = 1;           ///< MUL/MLA/MLS
  uint32_t mul_long = 1;      ///< UMULL/SMULL/UMLAL/SMLAL
  uint32_t div = 1;           ///< SDIV/UDIV (fixed cost)
  uint32_t branch = 1;        ///< branch instruction itself
  uint32_t branch_taken = 0;  ///< extra for unconditional/indirect branches (pipeline refill)
  uint32_t system = 1;        ///< MRS/MSR/CPS/barriers/exceptions

  /// One cycle per instruction (the default).
  static constexpr TimingTable flat() { return TimingTable{}; }
  /// Cortex-M3 approximations from its technical reference manual.
  static constexpr TimingTable cortex_m3() {
    TimingTable t;
    t.alu = 1; t.load = 2; t.store = 1; t.multiple_base = 1; t.per_register = 1;
    t.dual = 3; t.mul = 1; t.mul_long = 4; t.div = 7; t.branch = 1; t.branch_taken = 2;
    t.system = 2;
    return t;
  }
  /// Table by name ("flat", "cortex-m3"); false if unknown.
  static bool by_name(std::string_view name, TimingTable& out) {
    if (name == "flat" || name.empty()) { out = flat(); return true; }
    if (name == "cortex-m3") { out = cortex_m3(); return true; }
    return false;
  }
};

}  // namespace presil::cpu::arm
