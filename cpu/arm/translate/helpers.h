// SPDX-License-Identifier: Apache-2.0
// Host helpers that translated ARM code calls (exceptions, interworking, saturation, divide).
#pragma once

#include <cstdint>
#include <vector>

#include "tcg/ir/ir.h"

namespace presil::cpu::arm {

/// Index of each helper in arm_helpers() (the Call op's constant).
namespace HelperId {
enum : uint32_t {
  Raise,     ///< (excp, cfsr): raises excp with precise state; never returns
  BxWrite,   ///< (value) -> 1 if it was an exception return: BXWritePC/LoadWritePC
  Ssat,      ///< (value, bits) -> result | saturated << 32
  Usat,      ///< (value, bits) -> result | saturated << 32
  Sdiv,      ///< (n, m) -> n / m; divide by zero: 0 or UsageFault (CCR.DIV_0_TRP)
  Udiv,      ///< (n, m) -> n / m, likewise
  Rbit,      ///< (x) -> bit-reversed x
  Mrs,       ///< (sysm) -> special register value
  Msr,       ///< (sysm, mask, value)
  Cps,       ///< (disable, i, f)
  Wfi,       ///< () sleep until an interrupt (r15 = next insn)
  Wfe,       ///< () sleep until an event (r15 = next insn)
  Sev,       ///< () send event
  Count
};
}  // namespace HelperId

/// The helper table every ARM block uses.
const std::vector<tcg::HelperInfo>& arm_helpers();

}  // namespace presil::cpu::arm
