// SPDX-License-Identifier: Apache-2.0
// ThumbTranslator: turns Thumb/Thumb-2 instructions into IR, one handler per decoder row.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "cpu/arm/state.h"
#include "cpu/arm/timing.h"
#include "tcg/guest.h"
#include "tcg/ir/builder.h"

namespace presil::cpu::arm {

/// Index of each IR global (in ArmCpu::globals() order).
namespace Global {
inline constexpr uint32_t R0 = 0;   ///< r0..r15 are 0..15
inline constexpr uint32_t NF = 16;  ///< N flag (bit 31)
inline constexpr uint32_t ZF = 17;  ///< Z flag (zero iff Z)
inline constexpr uint32_t CF = 18;  ///< C flag (0/1)
inline constexpr uint32_t VF = 19;  ///< V flag (bit 31)
inline constexpr uint32_t QF = 20;  ///< Q flag (0/1)
inline constexpr uint32_t Count = 21;
}  // namespace Global

/// The IR globals of ArmState.
const std::vector<tcg::GlobalDef>& arm_globals();
/// Bits of TbKey::flags.
namespace TbFlag {
inline constexpr uint32_t ItMask = 0xff;         ///< ITSTATE<7:0>
inline constexpr uint32_t UnalignTrap = 1u << 8; ///< CCR.UNALIGN_TRP: halfword/word accesses must be aligned
inline constexpr uint32_t NotThumb = 1u << 9;    ///< EPSR.T clear: the block raises INVSTATE
}  // namespace TbFlag

/// Fetches one halfword of guest code.
using FetchFn = std::function<uint16_t(uint32_t addr)>;

/// What translate_block() produced.
struct BlockInfo {
  uint32_t num_insns = 0;  ///< guest instructions
  uint32_t cycles = 0;     ///< static cost (sum of instruction costs)
  uint32_t end_pc = 0;     ///< first byte after the block's code
};

/// Translates one block of Thumb code. Every decoder row has a handler of the
/// same name; a handler returns false when the encoding is UNDEFINED (or
/// UNPREDICTABLE and treated as undefined).
class ThumbTranslator {
 public:
  ThumbTranslator(tcg::Builder& b, const tcg::TbKey& key, const TimingTable& timing, FetchFn fetch,
                  uint32_t max_insns = 512, uint64_t max_cycles = ~0ull);

  /// Translates from key.pc until a branch, a page boundary or a limit.
  BlockInfo translate_block();
  /// Runs the handler of one instruction at `pc` (no fetch, no InsnStart);
  /// returns false if it is UNDEFINED. For tests and tools.
  bool decode_only(uint32_t insn, bool wide, uint32_t pc);

  // --- thumb16.inc ---
  /// MOVS <Rd>, <Rm>
  bool thumb16_MOV_reg_T2(uint32_t m, uint32_t d);
  /// LSLS <Rd>, <Rm>, #<imm5>
  bool thumb16_LSL_imm(uint32_t i, uint32_t m, uint32_t d);
  /// LSRS <Rd>, <Rm>, #<imm5>
  bool thumb16_LSR_imm(uint32_t i, uint32_t m, uint32_t d);
  /// ASRS <Rd>, <Rm>, #<imm5>
  bool thumb16_ASR_imm(uint32_t i, uint32_t m, uint32_t d);
  /// ADDS <Rd>, <Rn>, <Rm>
  bool thumb16_ADD_reg_T1(uint32_t m, uint32_t n, uint32_t d);
  /// SUBS <Rd>, <Rn>, <Rm>
  bool thumb16_SUB_reg(uint32_t m, uint32_t n, uint32_t d);
  /// ADDS <Rd>, <Rn>, #<imm3>
  bool thumb16_ADD_imm_T1(uint32_t i, uint32_t n, uint32_t d);
  /// SUBS <Rd>, <Rn>, #<imm3>
  bool thumb16_SUB_imm_T1(uint32_t i, uint32_t n, uint32_t d);
  /// MOVS <Rd>, #<imm8>
  bool thumb16_MOV_imm(uint32_t d, uint32_t i);
  /// CMP <Rn>, #<imm8>
  bool thumb16_CMP_imm(uint32_t n, uint32_t i);
  /// ADDS <Rdn>, #<imm8>
  bool thumb16_ADD_imm_T2(uint32_t d, uint32_t i);
  /// SUBS <Rdn>, #<imm8>
  bool thumb16_SUB_imm_T2(uint32_t d, uint32_t i);
  /// ANDS <Rdn>, <Rm>
  bool thumb16_AND_reg(uint32_t m, uint32_t d);
  /// EORS <Rdn>, <Rm>
  bool thumb16_EOR_reg(uint32_t m, uint32_t d);
  /// LSLS <Rdn>, <Rm>
  bool thumb16_LSL_reg(uint32_t m, uint32_t d);
  /// LSRS <Rdn>, <Rm>
  bool thumb16_LSR_reg(uint32_t m, uint32_t d);
  /// ASRS <Rdn>, <Rm>
  bool thumb16_ASR_reg(uint32_t m, uint32_t d);
  /// ADCS <Rdn>, <Rm>
  bool thumb16_ADC_reg(uint32_t m, uint32_t d);
  /// SBCS <Rdn>, <Rm>
  bool thumb16_SBC_reg(uint32_t m, uint32_t d);
  /// RORS <Rdn>, <Rm>
  bool thumb16_ROR_reg(uint32_t m, uint32_t d);
  /// TST <Rn>, <Rm>
  bool thumb16_TST_reg(uint32_t m, uint32_t n);
  /// RSBS <Rd>, <Rn>, #0
  bool thumb16_RSB_imm(uint32_t n, uint32_t d);
  /// CMP <Rn>, <Rm>
  bool thumb16_CMP_reg_T1(uint32_t m, uint32_t n);
  /// CMN <Rn>, <Rm>
  bool thumb16_CMN_reg(uint32_t m, uint32_t n);
  /// ORRS <Rdn>, <Rm>
  bool thumb16_ORR_reg(uint32_t m, uint32_t d);
  /// MULS <Rdm>, <Rn>, <Rdm>
  bool thumb16_MUL_reg(uint32_t n, uint32_t d);
  /// BICS <Rdn>, <Rm>
  bool thumb16_BIC_reg(uint32_t m, uint32_t d);
  /// MVNS <Rd>, <Rm>
  bool thumb16_MVN_reg(uint32_t m, uint32_t d);
  /// ADD <Rdn>, <Rm>
  bool thumb16_ADD_reg_T2(uint32_t d, uint32_t m);
  /// CMP <Rn>, <Rm>
  bool thumb16_CMP_reg_T2(uint32_t n, uint32_t m);
  /// MOV <Rd>, <Rm>
  bool thumb16_MOV_reg_T1(uint32_t d, uint32_t m);
  /// BX <Rm>
  bool thumb16_BX(uint32_t m);
  /// BLX <Rm>
  bool thumb16_BLX_reg(uint32_t m);
  /// LDR <Rt>, <label>
  bool thumb16_LDR_lit(uint32_t t, uint32_t i);
  /// STR <Rt>, [<Rn>, <Rm>]
  bool thumb16_STR_reg(uint32_t m, uint32_t n, uint32_t t);
  /// STRH <Rt>, [<Rn>, <Rm>]
  bool thumb16_STRH_reg(uint32_t m, uint32_t n, uint32_t t);
  /// STRB <Rt>, [<Rn>, <Rm>]
  bool thumb16_STRB_reg(uint32_t m, uint32_t n, uint32_t t);
  /// LDRSB <Rt>, [<Rn>, <Rm>]
  bool thumb16_LDRSB_reg(uint32_t m, uint32_t n, uint32_t t);
  /// LDR <Rt>, [<Rn>, <Rm>]
  bool thumb16_LDR_reg(uint32_t m, uint32_t n, uint32_t t);
  /// LDRH <Rt>, [<Rn>, <Rm>]
  bool thumb16_LDRH_reg(uint32_t m, uint32_t n, uint32_t t);
  /// LDRB <Rt>, [<Rn>, <Rm>]
  bool thumb16_LDRB_reg(uint32_t m, uint32_t n, uint32_t t);
  /// LDRSH <Rt>, [<Rn>, <Rm>]
  bool thumb16_LDRSH_reg(uint32_t m, uint32_t n, uint32_t t);
  /// STR <Rt>, [<Rn>, #<imm5*4>]
  bool thumb16_STR_imm_T1(uint32_t i, uint32_t n, uint32_t t);
  /// LDR <Rt>, [<Rn>, #<imm5*4>]
  bool thumb16_LDR_imm_T1(uint32_t i, uint32_t n, uint32_t t);
  /// STRB <Rt>, [<Rn>, #<imm5>]
  bool thumb16_STRB_imm(uint32_t i, uint32_t n, uint32_t t);
  /// LDRB <Rt>, [<Rn>, #<imm5>]
  bool thumb16_LDRB_imm(uint32_t i, uint32_t n, uint32_t t);
  /// STRH <Rt>, [<Rn>, #<imm5*2>]
  bool thumb16_STRH_imm(uint32_t i, uint32_t n, uint32_t t);
  /// LDRH <Rt>, [<Rn>, #<imm5*2>]
  bool thumb16_LDRH_imm(uint32_t i, uint32_t n, uint32_t t);
  /// STR <Rt>, [SP, #<imm8*4>]
  bool thumb16_STR_imm_T2(uint32_t t, uint32_t i);
  /// LDR <Rt>, [SP, #<imm8*4>]
  bool thumb16_LDR_imm_T2(uint32_t t, uint32_t i);
  /// ADR <Rd>, <label>
  bool thumb16_ADR(uint32_t d, uint32_t i);
  /// ADD <Rd>, SP, #<imm8*4>
  bool thumb16_ADD_sp_T1(uint32_t d, uint32_t i);
  /// ADD SP, SP, #<imm7*4>
  bool thumb16_ADD_sp_T2(uint32_t i);
  /// SUB SP, SP, #<imm7*4>
  bool thumb16_SUB_sp(uint32_t i);
  /// CB{N}Z <Rn>, <label>
  bool thumb16_CBZ(uint32_t o, uint32_t i, uint32_t n);
  /// SXTH <Rd>, <Rm>
  bool thumb16_SXTH(uint32_t m, uint32_t d);
  /// SXTB <Rd>, <Rm>
  bool thumb16_SXTB(uint32_t m, uint32_t d);
  /// UXTH <Rd>, <Rm>
  bool thumb16_UXTH(uint32_t m, uint32_t d);
  /// UXTB <Rd>, <Rm>
  bool thumb16_UXTB(uint32_t m, uint32_t d);
  /// PUSH <registers>
  bool thumb16_PUSH(uint32_t m, uint32_t r);
  /// CPS<effect> <iflags>
  bool thumb16_CPS(uint32_t m, uint32_t i, uint32_t f);
  /// REV <Rd>, <Rm>
  bool thumb16_REV(uint32_t m, uint32_t d);
  /// REV16 <Rd>, <Rm>
  bool thumb16_REV16(uint32_t m, uint32_t d);
  /// REVSH <Rd>, <Rm>
  bool thumb16_REVSH(uint32_t m, uint32_t d);
  /// POP <registers>
  bool thumb16_POP(uint32_t p, uint32_t r);
  /// BKPT #<imm8>
  bool thumb16_BKPT(uint32_t i);
  /// NOP
  bool thumb16_NOP();
  /// YIELD
  bool thumb16_YIELD();
  /// WFE
  bool thumb16_WFE();
  /// WFI
  bool thumb16_WFI();
  /// SEV
  bool thumb16_SEV();
  /// unallocated hint (executes as NOP)
  bool thumb16_HINT(uint32_t h);
  /// IT{<x>{<y>{<z>}}} <firstcond>
  bool thumb16_IT(uint32_t c, uint32_t m);
  /// STM <Rn>!, <registers>
  bool thumb16_STM(uint32_t n, uint32_t r);
  /// LDM <Rn>{!}, <registers>
  bool thumb16_LDM(uint32_t n, uint32_t r);
  /// UDF #<imm8>
  bool thumb16_UDF(uint32_t i);
  /// SVC #<imm8>
  bool thumb16_SVC(uint32_t i);
  /// B<c> <label>
  bool thumb16_B_cond(uint32_t c, uint32_t i);
  /// B <label>
  bool thumb16_B(uint32_t i);
  // --- thumb32.inc ---
  /// STM<c>.W <Rn>{!}, <registers>
  bool thumb32_STM(uint32_t w, uint32_t n, uint32_t r);
  /// LDM<c>.W <Rn>{!}, <registers>
  bool thumb32_LDM(uint32_t w, uint32_t n, uint32_t r);
  /// STMDB<c> <Rn>{!}, <registers>
  bool thumb32_STMDB(uint32_t w, uint32_t n, uint32_t r);
  /// LDMDB<c> <Rn>{!}, <registers>
  bool thumb32_LDMDB(uint32_t w, uint32_t n, uint32_t r);
  /// STREX<c> <Rd>, <Rt>, [<Rn>{, #<imm>}]
  bool thumb32_STREX(uint32_t n, uint32_t t, uint32_t d, uint32_t i);
  /// LDREX<c> <Rt>, [<Rn>{, #<imm>}]
  bool thumb32_LDREX(uint32_t n, uint32_t t, uint32_t i);
  /// STREXB<c> <Rd>, <Rt>, [<Rn>]
  bool thumb32_STREXB(uint32_t n, uint32_t t, uint32_t d);
  /// STREXH<c> <Rd>, <Rt>, [<Rn>]
  bool thumb32_STREXH(uint32_t n, uint32_t t, uint32_t d);
  /// TBB<c> [<Rn>, <Rm>]
  bool thumb32_TBB(uint32_t n, uint32_t m);
  /// TBH<c> [<Rn>, <Rm>, LSL #1]
  bool thumb32_TBH(uint32_t n, uint32_t m);
  /// LDREXB<c> <Rt>, [<Rn>]
  bool thumb32_LDREXB(uint32_t n, uint32_t t);
  /// LDREXH<c> <Rt>, [<Rn>]
  bool thumb32_LDREXH(uint32_t n, uint32_t t);
  /// STRD<c> <Rt>, <Rt2>, [<Rn>{, #+/-<imm>}]{!}
  bool thumb32_STRD_imm(uint32_t p, uint32_t u, uint32_t w, uint32_t n, uint32_t t, uint32_t a, uint32_t i);
  /// LDRD<c> <Rt>, <Rt2>, <label>
  bool thumb32_LDRD_lit(uint32_t p, uint32_t u, uint32_t w, uint32_t t, uint32_t a, uint32_t i);
  /// LDRD<c> <Rt>, <Rt2>, [<Rn>{, #+/-<imm>}]{!}
  bool thumb32_LDRD_imm(uint32_t p, uint32_t u, uint32_t w, uint32_t n, uint32_t t, uint32_t a, uint32_t i);
  /// TST<c>.W <Rn>, <Rm>{, <shift>}
  bool thumb32_TST_reg(uint32_t n, uint32_t i, uint32_t t, uint32_t m);
  /// AND{S}<c>.W <Rd>, <Rn>, <Rm>{, <shift>}
  bool thumb32_AND_reg(uint32_t s, uint32_t n, uint32_t i, uint32_t d, uint32_t t, uint32_t m);
  /// BIC{S}<c>.W <Rd>, <Rn>, <Rm>{, <shift>}
  bool thumb32_BIC_reg(uint32_t s, uint32_t n, uint32_t i, uint32_t d, uint32_t t, uint32_t m);
  /// MOV{S}<c>.W <Rd>, <Rm>{, <shift>} (and LSL/LSR/ASR/ROR/RRX #imm)
  bool thumb32_MOV_reg(uint32_t s, uint32_t i, uint32_t d, uint32_t t, uint32_t m);
  /// ORR{S}<c>.W <Rd>, <Rn>, <Rm>{, <shift>}
  bool thumb32_ORR_reg(uint32_t s, uint32_t n, uint32_t i, uint32_t d, uint32_t t, uint32_t m);
  /// MVN{S}<c>.W <Rd>, <Rm>{, <shift>}
  bool thumb32_MVN_reg(uint32_t s, uint32_t i, uint32_t d, uint32_t t, uint32_t m);
  /// ORN{S}<c> <Rd>, <Rn>, <Rm>{, <shift>}
  bool thumb32_ORN_reg(uint32_t s, uint32_t n, uint32_t i, uint32_t d, uint32_t t, uint32_t m);
  /// TEQ<c> <Rn>, <Rm>{, <shift>}
  bool thumb32_TEQ_reg(uint32_t n, uint32_t i, uint32_t t, uint32_t m);
  /// EOR{S}<c>.W <Rd>, <Rn>, <Rm>{, <shift>}
  bool thumb32_EOR_reg(uint32_t s, uint32_t n, uint32_t i, uint32_t d, uint32_t t, uint32_t m);
  /// CMN<c>.W <Rn>, <Rm>{, <shift>}
  bool thumb32_CMN_reg(uint32_t n, uint32_t i, uint32_t t, uint32_t m);
  /// ADD{S}<c>.W <Rd>, <Rn>, <Rm>{, <shift>}
  bool thumb32_ADD_reg(uint32_t s, uint32_t n, uint32_t i, uint32_t d, uint32_t t, uint32_t m);
  /// ADC{S}<c>.W <Rd>, <Rn>, <Rm>{, <shift>}
  bool thumb32_ADC_reg(uint32_t s, uint32_t n, uint32_t i, uint32_t d, uint32_t t, uint32_t m);
  /// SBC{S}<c>.W <Rd>, <Rn>, <Rm>{, <shift>}
  bool thumb32_SBC_reg(uint32_t s, uint32_t n, uint32_t i, uint32_t d, uint32_t t, uint32_t m);
  /// CMP<c>.W <Rn>, <Rm>{, <shift>}
  bool thumb32_CMP_reg(uint32_t n, uint32_t i, uint32_t t, uint32_t m);
  /// SUB{S}<c>.W <Rd>, <Rn>, <Rm>{, <shift>}
  bool thumb32_SUB_reg(uint32_t s, uint32_t n, uint32_t i, uint32_t d, uint32_t t, uint32_t m);
  /// RSB{S}<c> <Rd>, <Rn>, <Rm>{, <shift>}
  bool thumb32_RSB_reg(uint32_t s, uint32_t n, uint32_t i, uint32_t d, uint32_t t, uint32_t m);
  /// STC/LDC/MCRR/MRRC/CDP/MCR/MRC{2}
  bool thumb32_COPROC();
  /// TST<c> <Rn>, #<const>
  bool thumb32_TST_imm(uint32_t i, uint32_t n);
  /// AND{S}<c> <Rd>, <Rn>, #<const>
  bool thumb32_AND_imm(uint32_t i, uint32_t s, uint32_t n, uint32_t d);
  /// BIC{S}<c> <Rd>, <Rn>, #<const>
  bool thumb32_BIC_imm(uint32_t i, uint32_t s, uint32_t n, uint32_t d);
  /// MOV{S}<c>.W <Rd>, #<const>
  bool thumb32_MOV_imm(uint32_t i, uint32_t s, uint32_t d);
  /// ORR{S}<c> <Rd>, <Rn>, #<const>
  bool thumb32_ORR_imm(uint32_t i, uint32_t s, uint32_t n, uint32_t d);
  /// MVN{S}<c> <Rd>, #<const>
  bool thumb32_MVN_imm(uint32_t i, uint32_t s, uint32_t d);
  /// ORN{S}<c> <Rd>, <Rn>, #<const>
  bool thumb32_ORN_imm(uint32_t i, uint32_t s, uint32_t n, uint32_t d);
  /// TEQ<c> <Rn>, #<const>
  bool thumb32_TEQ_imm(uint32_t i, uint32_t n);
  /// EOR{S}<c> <Rd>, <Rn>, #<const>
  bool thumb32_EOR_imm(uint32_t i, uint32_t s, uint32_t n, uint32_t d);
  /// CMN<c> <Rn>, #<const>
  bool thumb32_CMN_imm(uint32_t i, uint32_t n);
  /// ADD{S}<c>.W <Rd>, <Rn>, #<const>
  bool thumb32_ADD_imm(uint32_t i, uint32_t s, uint32_t n, uint32_t d);
  /// ADC{S}<c> <Rd>, <Rn>, #<const>
  bool thumb32_ADC_imm(uint32_t i, uint32_t s, uint32_t n, uint32_t d);
  /// SBC{S}<c> <Rd>, <Rn>, #<const>
  bool thumb32_SBC_imm(uint32_t i, uint32_t s, uint32_t n, uint32_t d);
  /// CMP<c>.W <Rn>, #<const>
  bool thumb32_CMP_imm(uint32_t i, uint32_t n);
  /// SUB{S}<c>.W <Rd>, <Rn>, #<const>
  bool thumb32_SUB_imm(uint32_t i, uint32_t s, uint32_t n, uint32_t d);
  /// RSB{S}<c>.W <Rd>, <Rn>, #<const>
  bool thumb32_RSB_imm(uint32_t i, uint32_t s, uint32_t n, uint32_t d);
  /// ADR<c>.W <Rd>, <label> (after)
  bool thumb32_ADR_add(uint32_t i, uint32_t d);
  /// ADDW<c> <Rd>, <Rn>, #<imm12>
  bool thumb32_ADDW(uint32_t i, uint32_t n, uint32_t d);
  /// MOVW<c> <Rd>, #<imm16>
  bool thumb32_MOVW(uint32_t i, uint32_t j, uint32_t d);
  /// ADR<c>.W <Rd>, <label> (before)
  bool thumb32_ADR_sub(uint32_t i, uint32_t d);
  /// SUBW<c> <Rd>, <Rn>, #<imm12>
  bool thumb32_SUBW(uint32_t i, uint32_t n, uint32_t d);
  /// MOVT<c> <Rd>, #<imm16>
  bool thumb32_MOVT(uint32_t i, uint32_t j, uint32_t d);
  /// SSAT<c> <Rd>, #<imm>, <Rn>{, <shift>}
  bool thumb32_SSAT(uint32_t h, uint32_t n, uint32_t i, uint32_t d, uint32_t k);
  /// SBFX<c> <Rd>, <Rn>, #<lsb>, #<width>
  bool thumb32_SBFX(uint32_t n, uint32_t i, uint32_t d, uint32_t w);
  /// BFC<c> <Rd>, #<lsb>, #<width>
  bool thumb32_BFC(uint32_t i, uint32_t d, uint32_t k);
  /// BFI<c> <Rd>, <Rn>, #<lsb>, #<width>
  bool thumb32_BFI(uint32_t n, uint32_t i, uint32_t d, uint32_t k);
  /// USAT<c> <Rd>, #<imm>, <Rn>{, <shift>}
  bool thumb32_USAT(uint32_t h, uint32_t n, uint32_t i, uint32_t d, uint32_t k);
  /// UBFX<c> <Rd>, <Rn>, #<lsb>, #<width>
  bool thumb32_UBFX(uint32_t n, uint32_t i, uint32_t d, uint32_t w);
  /// MSR<c> <spec_reg>, <Rn>
  bool thumb32_MSR(uint32_t n, uint32_t k, uint32_t s);
  /// NOP<c>.W
  bool thumb32_NOP();
  /// YIELD<c>.W
  bool thumb32_YIELD();
  /// WFE<c>.W
  bool thumb32_WFE();
  /// WFI<c>.W
  bool thumb32_WFI();
  /// SEV<c>.W
  bool thumb32_SEV();
  /// DBG<c> #<option>
  bool thumb32_DBG(uint32_t o);
  /// unallocated hint (executes as NOP)
  bool thumb32_HINT(uint32_t h);
  /// CLREX<c>
  bool thumb32_CLREX();
  /// DSB<c> #<option>
  bool thumb32_DSB(uint32_t o);
  /// DMB<c> #<option>
  bool thumb32_DMB(uint32_t o);
  /// ISB<c> #<option>
  bool thumb32_ISB(uint32_t o);
  /// MRS<c> <Rd>, <spec_reg>
  bool thumb32_MRS(uint32_t d, uint32_t s);
  /// UDF<c>.W #<imm16>
  bool thumb32_UDF(uint32_t i);
  /// B<c>.W <label>
  bool thumb32_B_cond(uint32_t s, uint32_t c, uint32_t i, uint32_t j, uint32_t k);
  /// B<c>.W <label>
  bool thumb32_B(uint32_t s, uint32_t i, uint32_t j, uint32_t k);
  /// BL<c> <label>
  bool thumb32_BL(uint32_t s, uint32_t i, uint32_t j, uint32_t k);
  /// STRB<c>.W <Rt>, [<Rn>, #<imm12>]
  bool thumb32_STRB_imm12(uint32_t n, uint32_t t, uint32_t i);
  /// STRBT<c> <Rt>, [<Rn>, #<imm8>]
  bool thumb32_STRBT(uint32_t n, uint32_t t, uint32_t i);
  /// STRB<c> <Rt>, [<Rn>, #+/-<imm8>]{!} / [<Rn>], #+/-<imm8>
  bool thumb32_STRB_imm8(uint32_t n, uint32_t t, uint32_t p, uint32_t u, uint32_t w, uint32_t i);
  /// STRB<c>.W <Rt>, [<Rn>, <Rm>{, LSL #<imm2>}]
  bool thumb32_STRB_reg(uint32_t n, uint32_t t, uint32_t i, uint32_t m);
  /// STRH<c>.W <Rt>, [<Rn>, #<imm12>]
  bool thumb32_STRH_imm12(uint32_t n, uint32_t t, uint32_t i);
  /// STRHT<c> <Rt>, [<Rn>, #<imm8>]
  bool thumb32_STRHT(uint32_t n, uint32_t t, uint32_t i);
  /// STRH<c> <Rt>, [<Rn>, #+/-<imm8>]{!} / [<Rn>], #+/-<imm8>
  bool thumb32_STRH_imm8(uint32_t n, uint32_t t, uint32_t p, uint32_t u, uint32_t w, uint32_t i);
  /// STRH<c>.W <Rt>, [<Rn>, <Rm>{, LSL #<imm2>}]
  bool thumb32_STRH_reg(uint32_t n, uint32_t t, uint32_t i, uint32_t m);
  /// STR<c>.W <Rt>, [<Rn>, #<imm12>]
  bool thumb32_STR_imm12(uint32_t n, uint32_t t, uint32_t i);
  /// STRT<c> <Rt>, [<Rn>, #<imm8>]
  bool thumb32_STRT(uint32_t n, uint32_t t, uint32_t i);
  /// STR<c> <Rt>, [<Rn>, #+/-<imm8>]{!} / [<Rn>], #+/-<imm8>
  bool thumb32_STR_imm8(uint32_t n, uint32_t t, uint32_t p, uint32_t u, uint32_t w, uint32_t i);
  /// STR<c>.W <Rt>, [<Rn>, <Rm>{, LSL #<imm2>}]
  bool thumb32_STR_reg(uint32_t n, uint32_t t, uint32_t i, uint32_t m);
  /// PLD<c> <label>
  bool thumb32_PLD_lit(uint32_t u, uint32_t i);
  /// PLD<c> [<Rn>, #<imm12>]
  bool thumb32_PLD_imm12(uint32_t n, uint32_t i);
  /// PLD<c> [<Rn>, #-<imm8>]
  bool thumb32_PLD_imm8(uint32_t n, uint32_t i);
  /// PLD<c> [<Rn>, <Rm>{, LSL #<imm2>}]
  bool thumb32_PLD_reg(uint32_t n, uint32_t i, uint32_t m);
  /// PLI<c> <label>
  bool thumb32_PLI_lit(uint32_t u, uint32_t i);
  /// PLI<c> [<Rn>, #<imm12>]
  bool thumb32_PLI_imm12(uint32_t n, uint32_t i);
  /// PLI<c> [<Rn>, #-<imm8>]
  bool thumb32_PLI_imm8(uint32_t n, uint32_t i);
  /// PLI<c> [<Rn>, <Rm>{, LSL #<imm2>}]
  bool thumb32_PLI_reg(uint32_t n, uint32_t i, uint32_t m);
  /// LDRB<c> <Rt>, <label>
  bool thumb32_LDRB_lit(uint32_t u, uint32_t t, uint32_t i);
  /// LDRB<c>.W <Rt>, [<Rn>, #<imm12>]
  bool thumb32_LDRB_imm12(uint32_t n, uint32_t t, uint32_t i);
  /// LDRBT<c> <Rt>, [<Rn>, #<imm8>]
  bool thumb32_LDRBT(uint32_t n, uint32_t t, uint32_t i);
  /// LDRB<c> <Rt>, [<Rn>, #+/-<imm8>]{!} / [<Rn>], #+/-<imm8>
  bool thumb32_LDRB_imm8(uint32_t n, uint32_t t, uint32_t p, uint32_t u, uint32_t w, uint32_t i);
  /// LDRB<c>.W <Rt>, [<Rn>, <Rm>{, LSL #<imm2>}]
  bool thumb32_LDRB_reg(uint32_t n, uint32_t t, uint32_t i, uint32_t m);
  /// LDRSB<c> <Rt>, <label>
  bool thumb32_LDRSB_lit(uint32_t u, uint32_t t, uint32_t i);
  /// LDRSB<c> <Rt>, [<Rn>, #<imm12>]
  bool thumb32_LDRSB_imm12(uint32_t n, uint32_t t, uint32_t i);
  /// LDRSBT<c> <Rt>, [<Rn>, #<imm8>]
  bool thumb32_LDRSBT(uint32_t n, uint32_t t, uint32_t i);
  /// LDRSB<c> <Rt>, [<Rn>, #+/-<imm8>]{!} / [<Rn>], #+/-<imm8>
  bool thumb32_LDRSB_imm8(uint32_t n, uint32_t t, uint32_t p, uint32_t u, uint32_t w, uint32_t i);
  /// LDRSB<c>.W <Rt>, [<Rn>, <Rm>{, LSL #<imm2>}]
  bool thumb32_LDRSB_reg(uint32_t n, uint32_t t, uint32_t i, uint32_t m);
  /// unallocated memory hint (NOP): LDRH Rt=PC
  bool thumb32_HINT_ldrh();
  /// unallocated memory hint (NOP)
  bool thumb32_HINT_ldrh2(uint32_t n);
  /// unallocated memory hint (NOP)
  bool thumb32_HINT_ldrh3(uint32_t n);
  /// unallocated memory hint (NOP)
  bool thumb32_HINT_ldrh4(uint32_t n);
  /// unallocated memory hint (NOP): LDRSH Rt=PC
  bool thumb32_HINT_ldrsh();
  /// unallocated memory hint (NOP)
  bool thumb32_HINT_ldrsh2(uint32_t n);
  /// unallocated memory hint (NOP)
  bool thumb32_HINT_ldrsh3(uint32_t n);
  /// unallocated memory hint (NOP)
  bool thumb32_HINT_ldrsh4(uint32_t n);
  /// LDRH<c> <Rt>, <label>
  bool thumb32_LDRH_lit(uint32_t u, uint32_t t, uint32_t i);
  /// LDRH<c>.W <Rt>, [<Rn>, #<imm12>]
  bool thumb32_LDRH_imm12(uint32_t n, uint32_t t, uint32_t i);
  /// LDRHT<c> <Rt>, [<Rn>, #<imm8>]
  bool thumb32_LDRHT(uint32_t n, uint32_t t, uint32_t i);
  /// LDRH<c> <Rt>, [<Rn>, #+/-<imm8>]{!} / [<Rn>], #+/-<imm8>
  bool thumb32_LDRH_imm8(uint32_t n, uint32_t t, uint32_t p, uint32_t u, uint32_t w, uint32_t i);
  /// LDRH<c>.W <Rt>, [<Rn>, <Rm>{, LSL #<imm2>}]
  bool thumb32_LDRH_reg(uint32_t n, uint32_t t, uint32_t i, uint32_t m);
  /// LDRSH<c> <Rt>, <label>
  bool thumb32_LDRSH_lit(uint32_t u, uint32_t t, uint32_t i);
  /// LDRSH<c> <Rt>, [<Rn>, #<imm12>]
  bool thumb32_LDRSH_imm12(uint32_t n, uint32_t t, uint32_t i);
  /// LDRSHT<c> <Rt>, [<Rn>, #<imm8>]
  bool thumb32_LDRSHT(uint32_t n, uint32_t t, uint32_t i);
  /// LDRSH<c> <Rt>, [<Rn>, #+/-<imm8>]{!} / [<Rn>], #+/-<imm8>
  bool thumb32_LDRSH_imm8(uint32_t n, uint32_t t, uint32_t p, uint32_t u, uint32_t w, uint32_t i);
  /// LDRSH<c>.W <Rt>, [<Rn>, <Rm>{, LSL #<imm2>}]
  bool thumb32_LDRSH_reg(uint32_t n, uint32_t t, uint32_t i, uint32_t m);
  /// LDR<c>.W <Rt>, <label>
  bool thumb32_LDR_lit(uint32_t u, uint32_t t, uint32_t i);
  /// LDR<c>.W <Rt>, [<Rn>, #<imm12>]
  bool thumb32_LDR_imm12(uint32_t n, uint32_t t, uint32_t i);
  /// LDRT<c> <Rt>, [<Rn>, #<imm8>]
  bool thumb32_LDRT(uint32_t n, uint32_t t, uint32_t i);
  /// LDR<c> <Rt>, [<Rn>, #+/-<imm8>]{!} / [<Rn>], #+/-<imm8>
  bool thumb32_LDR_imm8(uint32_t n, uint32_t t, uint32_t p, uint32_t u, uint32_t w, uint32_t i);
  /// LDR<c>.W <Rt>, [<Rn>, <Rm>{, LSL #<imm2>}]
  bool thumb32_LDR_reg(uint32_t n, uint32_t t, uint32_t i, uint32_t m);
  /// LSL{S}<c>.W <Rd>, <Rn>, <Rm>
  bool thumb32_LSL_reg(uint32_t s, uint32_t n, uint32_t d, uint32_t m);
  /// LSR{S}<c>.W <Rd>, <Rn>, <Rm>
  bool thumb32_LSR_reg(uint32_t s, uint32_t n, uint32_t d, uint32_t m);
  /// ASR{S}<c>.W <Rd>, <Rn>, <Rm>
  bool thumb32_ASR_reg(uint32_t s, uint32_t n, uint32_t d, uint32_t m);
  /// ROR{S}<c>.W <Rd>, <Rn>, <Rm>
  bool thumb32_ROR_reg(uint32_t s, uint32_t n, uint32_t d, uint32_t m);
  /// SXTH<c>.W <Rd>, <Rm>{, <rotation>}
  bool thumb32_SXTH(uint32_t d, uint32_t r, uint32_t m);
  /// UXTH<c>.W <Rd>, <Rm>{, <rotation>}
  bool thumb32_UXTH(uint32_t d, uint32_t r, uint32_t m);
  /// SXTB<c>.W <Rd>, <Rm>{, <rotation>}
  bool thumb32_SXTB(uint32_t d, uint32_t r, uint32_t m);
  /// UXTB<c>.W <Rd>, <Rm>{, <rotation>}
  bool thumb32_UXTB(uint32_t d, uint32_t r, uint32_t m);
  /// REV<c>.W <Rd>, <Rm>
  bool thumb32_REV(uint32_t n, uint32_t d, uint32_t m);
  /// REV16<c>.W <Rd>, <Rm>
  bool thumb32_REV16(uint32_t n, uint32_t d, uint32_t m);
  /// RBIT<c> <Rd>, <Rm>
  bool thumb32_RBIT(uint32_t n, uint32_t d, uint32_t m);
  /// REVSH<c>.W <Rd>, <Rm>
  bool thumb32_REVSH(uint32_t n, uint32_t d, uint32_t m);
  /// CLZ<c> <Rd>, <Rm>
  bool thumb32_CLZ(uint32_t n, uint32_t d, uint32_t m);
  /// MUL<c> <Rd>, <Rn>, <Rm>
  bool thumb32_MUL(uint32_t n, uint32_t d, uint32_t m);
  /// MLA<c> <Rd>, <Rn>, <Rm>, <Ra>
  bool thumb32_MLA(uint32_t n, uint32_t a, uint32_t d, uint32_t m);
  /// MLS<c> <Rd>, <Rn>, <Rm>, <Ra>
  bool thumb32_MLS(uint32_t n, uint32_t a, uint32_t d, uint32_t m);
  /// SMULL<c> <RdLo>, <RdHi>, <Rn>, <Rm>
  bool thumb32_SMULL(uint32_t n, uint32_t l, uint32_t h, uint32_t m);
  /// SDIV<c> <Rd>, <Rn>, <Rm>
  bool thumb32_SDIV(uint32_t n, uint32_t d, uint32_t m);
  /// UMULL<c> <RdLo>, <RdHi>, <Rn>, <Rm>
  bool thumb32_UMULL(uint32_t n, uint32_t l, uint32_t h, uint32_t m);
  /// UDIV<c> <Rd>, <Rn>, <Rm>
  bool thumb32_UDIV(uint32_t n, uint32_t d, uint32_t m);
  /// SMLAL<c> <RdLo>, <RdHi>, <Rn>, <Rm>
  bool thumb32_SMLAL(uint32_t n, uint32_t l, uint32_t h, uint32_t m);
  /// UMLAL<c> <RdLo>, <RdHi>, <Rn>, <Rm>
  bool thumb32_UMLAL(uint32_t n, uint32_t l, uint32_t h, uint32_t m);

 private:
  /// How the current instruction left the block.
  enum class End : uint8_t { None, Exited };

  // --- registers and flags (translator.cpp) ---
  tcg::U32 reg(unsigned n);                  ///< Rn as read by this insn (PC reads as pc+4)
  void set_reg(unsigned n, tcg::U32 v);      ///< Rn <- v; PC: BranchWritePC
  void set_reg_bx(unsigned n, tcg::U32 v);   ///< Rn <- v; PC: interworking (LoadWritePC)
  tcg::U32 pc_aligned();                     ///< Align(PC, 4)
  tcg::U32 g(uint32_t idx) { return m_b.global32(idx); }
  tcg::U32 c(uint32_t v) { return m_b.c32(v); }
  void set_nz(tcg::U32 r);
  tcg::U32 add_cc(tcg::U32 a, tcg::U32 b);
  tcg::U32 adc_cc(tcg::U32 a, tcg::U32 b);
  tcg::U32 sub_cc(tcg::U32 a, tcg::U32 b);
  tcg::U32 adc(tcg::U32 a, tcg::U32 b);
  /// Shift by immediate (DecodeImmShift + Shift_C): value and carry-out (nullopt: C unchanged).
  tcg::U32 shift_imm(tcg::U32 x, uint32_t type, uint32_t imm5, std::optional<tcg::U32>* carry);
  /// Shift by register (amount = Rs<7:0>); carry-out 0/1 always returned.
  tcg::U32 shift_reg(tcg::U32 x, uint32_t type, tcg::U32 amount, tcg::U32* carry);
  bool in_it() const { return (m_it & 0xf) != 0; }
  bool last_in_it() const { return (m_it & 0xf) == 8; }
  void branch_if(uint32_t cond, tcg::Label l);

  // --- block endings ---
  void sync_state(uint32_t pc);                   ///< r15 <- pc, itstate <- current
  void store_itstate(uint32_t it);
  void jump(uint32_t target);                     ///< direct branch (chains when possible)
  /// r15 already written: look the next block up; same_mode: the next key has this block's mode
  /// flags and the IT state just stored (a hint for an inline lookup).
  void jump_dynamic(bool same_mode = false);
  void exit_to_loop(uint32_t next_pc, uint32_t it); ///< end of block, back to the exec loop
  void raise(int32_t excp, uint32_t pc, uint32_t cfsr = 0);  ///< exception at this insn
  bool undefined();                               ///< UDF: UsageFault UNDEFINSTR
  void undefined_state();                         ///< EPSR.T clear: UsageFault INVSTATE
  void cost(uint32_t cycles) { m_cost = cycles; }
  uint32_t next_pc() const { return m_pc + m_len; }
  uint32_t next_itstate() const;

  // --- shared bodies ---
  using LogicFn = tcg::U32 (tcg::Builder::*)(tcg::U32, tcg::U32);
  bool logic_imm(uint32_t d, uint32_t n, uint32_t i, uint32_t s, LogicFn fn, bool invert, bool write);
  bool logic_reg(uint32_t d, uint32_t n, uint32_t m, uint32_t i, uint32_t t, uint32_t s, LogicFn fn, bool invert, bool write);
  enum class Arith : uint8_t { Add, Adc, Sub, Sbc, Rsb };
  tcg::U32 arith(Arith op, tcg::U32 a, tcg::U32 b, bool setflags);
  bool arith_imm(Arith op, uint32_t d, uint32_t n, uint32_t imm, uint32_t s, bool write);
  bool arith_reg(Arith op, uint32_t d, uint32_t n, uint32_t m, uint32_t i, uint32_t t, uint32_t s, bool write);
  bool shift16_imm(uint32_t type, uint32_t imm, uint32_t m, uint32_t d);
  bool shift_by_reg(uint32_t type, uint32_t d, uint32_t n, uint32_t m, bool setflags);
  tcg::MemOp mop(unsigned log2, bool sign, bool aligned = false, bool unpriv = false) const;
  tcg::U32 load(tcg::U32 addr, unsigned log2, bool sign, bool aligned = false, bool unpriv = false);
  void store(tcg::U32 v, tcg::U32 addr, unsigned log2, bool aligned = false, bool unpriv = false);
  bool load_imm(unsigned log2, bool sign, uint32_t t, uint32_t n, int32_t off, bool index, bool wback, bool unpriv = false);
  bool store_imm(unsigned log2, uint32_t t, uint32_t n, int32_t off, bool index, bool wback, bool unpriv = false);
  bool load_reg(unsigned log2, bool sign, uint32_t t, uint32_t n, uint32_t m, uint32_t shift);
  bool store_reg(unsigned log2, uint32_t t, uint32_t n, uint32_t m, uint32_t shift);
  bool load_lit(unsigned log2, bool sign, uint32_t t, int32_t off);
  bool load_imm8(unsigned log2, bool sign, uint32_t n, uint32_t t, uint32_t p, uint32_t u, uint32_t w, uint32_t i);
  bool store_imm8(unsigned log2, uint32_t n, uint32_t t, uint32_t p, uint32_t u, uint32_t w, uint32_t i);
  bool load_multiple(uint32_t n, uint32_t list, bool increment, bool wback);
  bool store_multiple(uint32_t n, uint32_t list, bool increment, bool wback);
  bool ldrd(uint32_t p, uint32_t u, uint32_t w, uint32_t n, uint32_t t, uint32_t a, uint32_t i, tcg::U32 base);
  bool ldrex(uint32_t n, uint32_t t, uint32_t off, unsigned log2);
  bool strex(uint32_t n, uint32_t t, uint32_t d, uint32_t off, unsigned log2);
  bool extend(uint32_t d, uint32_t m, uint32_t rot, unsigned bits, bool sign);
  bool saturate(bool is_signed, uint32_t h, uint32_t n, uint32_t i, uint32_t d, uint32_t k);
  bool long_mul(uint32_t l, uint32_t h, uint32_t n, uint32_t m, bool is_signed, bool accumulate);
  bool divide(uint32_t n, uint32_t d, uint32_t m, bool is_signed);
  bool branch_rel(int32_t offset);
  bool hint() { cost(m_t.alu); return true; }
  bool sleep(bool wfi);

  bool translate_insn();
  bool dispatch(uint32_t insn, bool wide);

  tcg::Builder& m_b;
  tcg::TbKey m_key;
  const TimingTable m_t;  // a copy: callers may pass a temporary (TimingTable::flat())
  FetchFn m_fetch;
  uint32_t m_max_insns;
  uint64_t m_max_cycles;
  BlockInfo m_info;
  uint32_t m_pc = 0;        ///< address of the current instruction
  uint32_t m_len = 2;       ///< its length in bytes
  uint32_t m_it = 0;        ///< ITSTATE before it
  uint32_t m_it_after = 0;  ///< ITSTATE after it (IT sets this; otherwise advanced)
  bool m_it_env_other = false;  ///< ITSTATE in the state may differ from the entry value (other store, or a helper)
  size_t m_it_scanned = 0;      ///< ops already checked for helper calls by store_itstate()
  uint32_t m_cost = 1;      ///< its cycle cost
  End m_end = End::None;    ///< whether it ended the block
  bool m_block_done = false;
  unsigned m_slots_used = 0;  ///< chain slots taken by direct exits
  uint64_t m_start_page = 0;
};

}  // namespace presil::cpu::arm
