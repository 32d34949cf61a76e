// SPDX-License-Identifier: Apache-2.0
// Control-flow and system translators: branches, IT, hints, barriers, exceptions, MRS/MSR/CPS.
#include "cpu/arm/translate/helpers.h"
#include "cpu/arm/translate/translator.h"

namespace presil::cpu::arm {

using tcg::Cond;
using tcg::U32;

namespace {
int32_t sext(uint32_t v, unsigned bits) { return int32_t(v << (32 - bits)) >> (32 - bits); }
}  // namespace

bool ThumbTranslator::branch_rel(int32_t offset) {
  cost(m_t.branch + m_t.branch_taken);
  store_itstate(m_it_after);
  jump(m_pc + 4 + uint32_t(offset));
  return true;
}

// B<c> <label>
bool ThumbTranslator::thumb16_B_cond(uint32_t c_, uint32_t i) {
  if (in_it()) return false;  // UNPREDICTABLE
  cost(m_t.branch);
  tcg::Label taken = m_b.new_label();
  branch_if(c_, taken);
  store_itstate(0);
  jump(next_pc());
  m_b.set_label(taken);
  store_itstate(0);
  jump(m_pc + 4 + uint32_t(sext(i << 1, 9)));
  return true;
}
// B <label>
bool ThumbTranslator::thumb16_B(uint32_t i) {
  if (in_it() && !last_in_it()) return false;
  return branch_rel(sext(i << 1, 12));
}
// B<c>.W <label>
bool ThumbTranslator::thumb32_B_cond(uint32_t s, uint32_t c_, uint32_t i, uint32_t j, uint32_t k) {
  if (c_ >= 14) return false;
  if (in_it()) return false;  // UNPREDICTABLE
  cost(m_t.branch);
  const int32_t off = sext(s << 20 | k << 19 | j << 18 | i << 1, 21);
  tcg::Label taken = m_b.new_label();
  branch_if(c_, taken);
  store_itstate(0);
  jump(next_pc());
  m_b.set_label(taken);
  store_itstate(0);
  jump(m_pc + 4 + uint32_t(off));
  return true;
}
// B<c>.W <label>
bool ThumbTranslator::thumb32_B(uint32_t s, uint32_t i, uint32_t j, uint32_t k) {
  if (in_it() && !last_in_it()) return false;
  const uint32_t i1 = ~(j ^ s) & 1, i2 = ~(k ^ s) & 1;
  return branch_rel(sext(s << 24 | i1 << 23 | i2 << 22 | i << 1, 25));
}
// BL<c> <label>
bool ThumbTranslator::thumb32_BL(uint32_t s, uint32_t i, uint32_t j, uint32_t k) {
  if (in_it() && !last_in_it()) return false;
  const uint32_t i1 = ~(j ^ s) & 1, i2 = ~(k ^ s) & 1;
  set_reg(14, c(next_pc() | 1));
  return branch_rel(sext(s << 24 | i1 << 23 | i2 << 22 | i << 1, 25));
}
// CB{N}Z <Rn>, <label>
bool ThumbTranslator::thumb16_CBZ(uint32_t o, uint32_t i, uint32_t n) {
  if (in_it()) return false;  // UNPREDICTABLE
  cost(m_t.branch);
  tcg::Label taken = m_b.new_label();
  m_b.brcond(o ? Cond::Ne : Cond::Eq, reg(n), c(0), taken);
  store_itstate(0);
  jump(next_pc());
  m_b.set_label(taken);
  store_itstate(0);
  jump(m_pc + 4 + (i << 1));
  return true;
}
// BX <Rm>
bool ThumbTranslator::thumb16_BX(uint32_t m) {
  if (in_it() && !last_in_it()) return false;
  if (m == 15) return false;  // UNPREDICTABLE
  cost(m_t.branch + m_t.branch_taken);
  set_reg_bx(15, reg(m));
  return true;
}
// BLX <Rm>
bool ThumbTranslator::thumb16_BLX_reg(uint32_t m) {
  if (in_it() && !last_in_it()) return false;
  if (m == 15) return false;  // UNPREDICTABLE
  cost(m_t.branch + m_t.branch_taken);
  U32 target = m_b.local32();
  m_b.mov(target, reg(m));
  set_reg(14, c(next_pc() | 1));
  set_reg_bx(15, target);
  return true;
}
// TBB<c> [<Rn>, <Rm>]
bool ThumbTranslator::thumb32_TBB(uint32_t n, uint32_t m) {
  if (in_it() && !last_in_it()) return false;
  if (n == 13 || m == 13 || m == 15) return false;
  cost(m_t.load + m_t.branch + m_t.branch_taken);
  U32 off = load(m_b.add(reg(n), reg(m)), 0, false);
  m_b.mov(g(Global::R0 + 15), m_b.add(c(m_pc + 4), m_b.shl(off, c(1))));
  store_itstate(m_it_after);
  jump_dynamic(true);
  return true;
}
// TBH<c> [<Rn>, <Rm>, LSL #1]
bool ThumbTranslator::thumb32_TBH(uint32_t n, uint32_t m) {
  if (in_it() && !last_in_it()) return false;
  if (n == 13 || m == 13 || m == 15) return false;
  cost(m_t.load + m_t.branch + m_t.branch_taken);
  U32 off = load(m_b.add(reg(n), m_b.shl(reg(m), c(1))), 1, false);
  m_b.mov(g(Global::R0 + 15), m_b.add(c(m_pc + 4), m_b.shl(off, c(1))));
  store_itstate(m_it_after);
  jump_dynamic(true);
  return true;
}

// IT{<x>{<y>{<z>}}} <firstcond>
bool ThumbTranslator::thumb16_IT(uint32_t c_, uint32_t m) {
  if (in_it()) return false;  // UNPREDICTABLE
  if (c_ == 15 || (c_ == 14 && __builtin_popcount(m) != 1)) return false;
  m_it_after = c_ << 4 | m;
  return true;
}

// --- hints -----------------------------------------------------------------------------------------

bool ThumbTranslator::sleep(bool wfi) {
  cost(m_t.system);
  m_b.movi(g(Global::R0 + 15), next_pc());
  store_itstate(m_it_after);
  m_b.call0(wfi ? HelperId::Wfi : HelperId::Wfe, {});
  exit_to_loop(next_pc(), m_it_after);
  return true;
}
// NOP
bool ThumbTranslator::thumb16_NOP() { return hint(); }
// YIELD
bool ThumbTranslator::thumb16_YIELD() { return hint(); }
// WFE
bool ThumbTranslator::thumb16_WFE() { return sleep(false); }
// WFI
bool ThumbTranslator::thumb16_WFI() { return sleep(true); }
// SEV
bool ThumbTranslator::thumb16_SEV() { m_b.call0(HelperId::Sev, {}); return hint(); }
// unallocated hint
bool ThumbTranslator::thumb16_HINT(uint32_t h) { return hint(); }
// NOP<c>.W
bool ThumbTranslator::thumb32_NOP() { return hint(); }
// YIELD<c>.W
bool ThumbTranslator::thumb32_YIELD() { return hint(); }
// WFE<c>.W
bool ThumbTranslator::thumb32_WFE() { return sleep(false); }
// WFI<c>.W
bool ThumbTranslator::thumb32_WFI() { return sleep(true); }
// SEV<c>.W
bool ThumbTranslator::thumb32_SEV() { m_b.call0(HelperId::Sev, {}); return hint(); }
// DBG<c> #<option>
bool ThumbTranslator::thumb32_DBG(uint32_t o) { return hint(); }
// unallocated hint
bool ThumbTranslator::thumb32_HINT(uint32_t h) { return hint(); }

// --- barriers ----------------------------------------------------------------------------------------

// DSB<c> #<option>
bool ThumbTranslator::thumb32_DSB(uint32_t o) { cost(m_t.system); m_b.mb(); return true; }
// DMB<c> #<option>
bool ThumbTranslator::thumb32_DMB(uint32_t o) { cost(m_t.system); m_b.mb(); return true; }
// ISB<c> #<option>
bool ThumbTranslator::thumb32_ISB(uint32_t o) {
  // Instructions after the barrier are fetched again: end the block.
  cost(m_t.system);
  m_b.mb();
  store_itstate(m_it_after);
  jump(next_pc());
  return true;
}

// --- exceptions --------------------------------------------------------------------------------------

// SVC #<imm8>
bool ThumbTranslator::thumb16_SVC(uint32_t i) {
  cost(m_t.system);
  store_itstate(m_it_after);
  raise(kExcpSvc, next_pc());
  return true;
}
// BKPT #<imm8>
bool ThumbTranslator::thumb16_BKPT(uint32_t i) {
  cost(m_t.system);
  m_b.st_env(c(i), PRESIL_ARM_OFFSET(bkpt_imm));
  // r15 is the BKPT itself; a serviced semihosting call moves it past the BKPT.
  store_itstate(m_it);
  raise(i == 0xab ? kExcpSemihost : kExcpBkpt, m_pc);
  return true;
}
// UDF #<imm8>
bool ThumbTranslator::thumb16_UDF(uint32_t i) { return undefined(); }
// UDF<c>.W #<imm16>
bool ThumbTranslator::thumb32_UDF(uint32_t i) { return undefined(); }
// coprocessor instructions: no coprocessor present
bool ThumbTranslator::thumb32_COPROC() {
  store_itstate(m_it);
  raise(kExcpUsageFault, m_pc, Cfsr::Nocp);
  return true;
}

// --- special registers ---------------------------------------------------------------------------------

// MRS<c> <Rd>, <spec_reg>
bool ThumbTranslator::thumb32_MRS(uint32_t d, uint32_t s) {
  if (d == 13 || d == 15) return false;  // BadReg: UNPREDICTABLE
  cost(m_t.system);
  set_reg(d, m_b.call32(HelperId::Mrs, {c(s).t}));
  return true;
}
// MSR<c> <spec_reg>, <Rn>
bool ThumbTranslator::thumb32_MSR(uint32_t n, uint32_t k, uint32_t s) {
  if (n == 13 || n == 15) return false;  // BadReg: UNPREDICTABLE
  cost(m_t.system);
  m_b.call0(HelperId::Msr, {c(s).t, c(k).t, reg(n).t});
  // Masks, the stack pointer or privilege may have changed: back to the exec loop.
  exit_to_loop(next_pc(), m_it_after);
  return true;
}
// CPS<effect> <iflags>
bool ThumbTranslator::thumb16_CPS(uint32_t m, uint32_t i, uint32_t f) {
  if (in_it()) return false;  // UNPREDICTABLE
  cost(m_t.system);
  m_b.call0(HelperId::Cps, {c(m).t, c(i).t, c(f).t});
  exit_to_loop(next_pc(), m_it_after);
  return true;
}

}  // namespace presil::cpu::arm
