// SPDX-License-Identifier: Apache-2.0
// ArmState: the guest register file of an ARM (M-profile) CPU as generated code sees it.
#pragma once

#include <cstddef>
#include <cstdint>

#include "tcg/cpu_state.h"

namespace presil::cpu::arm {

/// Engine-internal exception codes (CpuCommon::exception_index), above every
/// architectural exception number.
inline constexpr int32_t kExcpExceptionReturn = 0x1000;  ///< PC written with EXC_RETURN in handler mode
inline constexpr int32_t kExcpSemihost = 0x1001;         ///< BKPT 0xAB (semihosting call)
inline constexpr int32_t kExcpBkpt = 0x1002;             ///< other BKPT: debug event
inline constexpr int32_t kExcpHalt = 0x1003;             ///< WFI/WFE: sleep until an event
inline constexpr int32_t kExcpGuestExit = 0x1004;        ///< semihosting exit requested

/// ARMv7-M architectural exception numbers used by the instruction set side.
inline constexpr int32_t kExcpHardFault = 3;
inline constexpr int32_t kExcpMemManage = 4;
inline constexpr int32_t kExcpBusFault = 5;
inline constexpr int32_t kExcpUsageFault = 6;
inline constexpr int32_t kExcpSvc = 11;

/// CFSR bits (SCB 0xE000ED28 layout: MMFSR<7:0>, BFSR<15:8>, UFSR<31:16>) that
/// the instruction side records in ArmState::fault_cfsr when it raises a fault.
namespace Cfsr {
inline constexpr uint32_t Iaccviol = 1u << 0;     ///< MMFSR.IACCVIOL
inline constexpr uint32_t Daccviol = 1u << 1;     ///< MMFSR.DACCVIOL
inline constexpr uint32_t Mmarvalid = 1u << 7;    ///< MMFSR.MMARVALID
inline constexpr uint32_t Ibuserr = 1u << 8;      ///< BFSR.IBUSERR
inline constexpr uint32_t Preciserr = 1u << 9;    ///< BFSR.PRECISERR
inline constexpr uint32_t Bfarvalid = 1u << 15;   ///< BFSR.BFARVALID
inline constexpr uint32_t Undefinstr = 1u << 16;  ///< UFSR.UNDEFINSTR
inline constexpr uint32_t Invstate = 1u << 17;    ///< UFSR.INVSTATE (BX to an ARM-state address)
inline constexpr uint32_t Invpc = 1u << 18;       ///< UFSR.INVPC (bad EXC_RETURN)
inline constexpr uint32_t Nocp = 1u << 19;        ///< UFSR.NOCP (coprocessor instruction)
inline constexpr uint32_t Unaligned = 1u << 24;   ///< UFSR.UNALIGNED
inline constexpr uint32_t Divbyzero = 1u << 25;   ///< UFSR.DIVBYZERO
}  // namespace Cfsr

/// The guest state. `common` must stay first (generated code reaches it at offset 0).
struct ArmState {
  /// Engine part (budget, soft-TLB, unwind point).
  tcg::CpuCommon common;

  /// r0..r15. r13 is the active stack pointer; r15 is only exact at block exits.
  uint32_t r[16] = {};

  // Flags in lazy form (what translated code computes cheaply):
  uint32_t NF = 0;  ///< N is bit 31
  uint32_t ZF = 1;  ///< Z is set iff ZF == 0
  uint32_t CF = 0;  ///< C is 0 or 1
  uint32_t VF = 0;  ///< V is bit 31
  uint32_t QF = 0;  ///< sticky saturation flag, 0 or 1

  /// IT state ITSTATE<7:0> (firstcond:4 in <7:4>, mask in <3:0>); 0 outside IT blocks.
  uint32_t itstate = 0;

  /// Local exclusive monitor: address and size (bytes) of the open LDREX.
  uint32_t excl_addr = 0;
  /// Value loaded by the open LDREX (STREX succeeds only if memory still holds it).
  uint32_t excl_val = 0;
  /// Size in bytes of the open exclusive access (1, 2, 4).
  uint32_t excl_size = 0;
  /// True while the monitor is in the Exclusive Access state.
  bool excl_valid = false;

  /// Value of the written PC when kExcpExceptionReturn is raised (EXC_RETURN).
  uint32_t exc_return = 0;
  /// CFSR bits describing the last fault raised by the instruction side (Cfsr);
  /// the fault address (BFAR/MMFAR) is in common.fault_addr.
  uint32_t fault_cfsr = 0;
  /// Immediate of the last BKPT (kExcpBkpt / kExcpSemihost).
  uint32_t bkpt_imm = 0;

  // ----- M-profile system state (m_profile) --------------------------------
  // Filled in and owned by the M-profile system model (m_profile.h): special
  // registers read and written by MRS/MSR/CPS, exception state.
  uint32_t ipsr = 0;        ///< current exception number (0: thread mode)
  uint32_t other_sp = 0;    ///< the banked stack pointer not currently in r[13]
  uint32_t primask = 0;     ///< PRIMASK<0>
  uint32_t faultmask = 0;   ///< FAULTMASK<0>
  uint32_t basepri = 0;     ///< BASEPRI<7:0>
  uint32_t control = 0;     ///< CONTROL: bit0 nPRIV, bit1 SPSEL
  uint32_t ccr = 0x200;     ///< SCB.CCR (bit3 UNALIGN_TRP, bit4 DIV_0_TRP, bit9 STKALIGN)
  uint32_t thumb = 1;       ///< EPSR.T (0 after a vector or return address with bit 0 clear: next insn takes INVSTATE)
  void* m_profile = nullptr;  ///< the MProfile bound to this state (MProfile::of)
  // ----- end of M-profile system state --------------------------------------
};

/// Offset of an ArmState field (for IR globals and LdEnv/StEnv).
#define PRESIL_ARM_OFFSET(field) static_cast<int32_t>(offsetof(::presil::cpu::arm::ArmState, field))

/// Byte offset of r[n] in ArmState.
inline constexpr int32_t arm_reg_offset(unsigned n) {
  return static_cast<int32_t>(offsetof(ArmState, r) + 4 * n);
}

/// Condition flags as an APSR<31:27> value (N Z C V Q) from the lazy form.
inline uint32_t arm_apsr(const ArmState& s) {
  return (s.NF & 0x80000000u) | (s.ZF == 0 ? 1u << 30 : 0) | ((s.CF & 1) << 29) |
         ((s.VF >> 31) << 28) | ((s.QF & 1) << 27);
}

/// Sets the lazy flags from an APSR value (bits 31..27).
inline void arm_set_apsr(ArmState& s, uint32_t apsr) {
  s.NF = apsr & 0x80000000u;
  s.ZF = (apsr >> 30 & 1) ? 0 : 1;
  s.CF = apsr >> 29 & 1;
  s.VF = (apsr >> 28 & 1) << 31;
  s.QF = apsr >> 27 & 1;
}

/// EPSR IT bits (ITSTATE placed at xPSR<15:10> and <26:25>).
inline uint32_t arm_epsr_it(const ArmState& s) {
  return ((s.itstate & 0x3) << 25) | ((s.itstate >> 2 & 0x3f) << 10);
}

/// ITSTATE from xPSR's IT bits.
inline uint32_t arm_itstate_from_xpsr(uint32_t xpsr) {
  return (xpsr >> 25 & 0x3) | ((xpsr >> 10 & 0x3f) << 2);
}

}  // namespace presil::cpu::arm
