// SPDX-License-Identifier: Apache-2.0
// Data-processing translators: immediate, modified immediate, shifted and register forms.
#include "cpu/arm/translate/helpers.h"
#include "cpu/arm/translate/translator.h"

namespace presil::cpu::arm {

using tcg::Builder;
using tcg::Cond;
using tcg::U32;

namespace {
/// ThumbExpandImm_C: the 32-bit constant and whether it defines the carry-out (and its value).
struct ExpandedImm {
  uint32_t value;
  bool has_carry;
  uint32_t carry;
};
ExpandedImm thumb_expand_imm(uint32_t imm12) {
  const uint32_t b = imm12 & 0xff;
  if ((imm12 >> 10) == 0) {
    switch (imm12 >> 8 & 3) {
      case 0: return {b, false, 0};
      case 1: return {b << 16 | b, false, 0};
      case 2: return {b << 24 | b << 8, false, 0};
      default: return {b << 24 | b << 16 | b << 8 | b, false, 0};
    }
  }
  const uint32_t unrot = 0x80 | (imm12 & 0x7f);
  const uint32_t rot = imm12 >> 7;
  const uint32_t v = unrot >> rot | unrot << (32 - rot);
  return {v, true, v >> 31};
}
}  // namespace

// --- shared bodies ---------------------------------------------------------------------------

bool ThumbTranslator::logic_imm(uint32_t d, uint32_t n, uint32_t i, uint32_t s, LogicFn fn,
                                bool invert, bool write) {
  const ExpandedImm imm = thumb_expand_imm(i);
  U32 k = c(invert ? ~imm.value : imm.value);
  U32 r = fn ? (m_b.*fn)(reg(n), k) : k;
  if (s) {
    set_nz(r);
    if (imm.has_carry) m_b.movi(g(Global::CF), imm.carry);
  }
  if (write) set_reg(d, r);
  return true;
}

bool ThumbTranslator::logic_reg(uint32_t d, uint32_t n, uint32_t m, uint32_t i, uint32_t t,
                                uint32_t s, LogicFn fn, bool invert, bool write) {
  std::optional<U32> carry;
  U32 sh = shift_imm(reg(m), t, i, s ? &carry : nullptr);
  if (invert) sh = m_b.not_(sh);
  U32 r = fn ? (m_b.*fn)(reg(n), sh) : sh;
  if (s) {
    if (carry) m_b.mov(g(Global::CF), *carry);
    set_nz(r);
  }
  if (write) set_reg(d, r);
  return true;
}

U32 ThumbTranslator::arith(Arith op, U32 a, U32 b, bool setflags) {
  switch (op) {
    case Arith::Add: return setflags ? add_cc(a, b) : m_b.add(a, b);
    case Arith::Adc: return setflags ? adc_cc(a, b) : adc(a, b);
    case Arith::Sub: return setflags ? sub_cc(a, b) : m_b.sub(a, b);
    case Arith::Sbc: return setflags ? adc_cc(a, m_b.not_(b)) : adc(a, m_b.not_(b));
    default: return setflags ? sub_cc(b, a) : m_b.sub(b, a);  // Rsb
  }
}

bool ThumbTranslator::arith_imm(Arith op, uint32_t d, uint32_t n, uint32_t imm, uint32_t s,
                                bool write) {
  U32 r = arith(op, reg(n), c(imm), s != 0);
  if (write) set_reg(d, r);
  return true;
}

bool ThumbTranslator::arith_reg(Arith op, uint32_t d, uint32_t n, uint32_t m, uint32_t i,
                                uint32_t t, uint32_t s, bool write) {
  U32 sh = shift_imm(reg(m), t, i, nullptr);
  U32 r = arith(op, reg(n), sh, s != 0);
  if (write) set_reg(d, r);
  return true;
}

bool ThumbTranslator::shift16_imm(uint32_t type, uint32_t imm, uint32_t m, uint32_t d) {
  const bool s = !in_it();
  std::optional<U32> carry;
  U32 r = shift_imm(reg(m), type, imm, s ? &carry : nullptr);
  if (s) {
    if (carry) m_b.mov(g(Global::CF), *carry);
    set_nz(r);
  }
  set_reg(d, r);
  return true;
}

bool ThumbTranslator::shift_by_reg(uint32_t type, uint32_t d, uint32_t n, uint32_t m,
                                   bool setflags) {
  U32 carry{};
  U32 r = shift_reg(reg(n), type, m_b.ext8u(reg(m)), setflags ? &carry : nullptr);
  if (setflags) {
    m_b.mov(g(Global::CF), carry);
    set_nz(r);
  }
  set_reg(d, r);
  return true;
}

// --- 16-bit: shift (immediate), add, subtract, move, compare ------------------------------------

// MOVS <Rd>, <Rm>
bool ThumbTranslator::thumb16_MOV_reg_T2(uint32_t m, uint32_t d) { return shift16_imm(0, 0, m, d); }
// LSLS <Rd>, <Rm>, #<imm5>
bool ThumbTranslator::thumb16_LSL_imm(uint32_t i, uint32_t m, uint32_t d) { return shift16_imm(0, i, m, d); }
// LSRS <Rd>, <Rm>, #<imm5>
bool ThumbTranslator::thumb16_LSR_imm(uint32_t i, uint32_t m, uint32_t d) { return shift16_imm(1, i, m, d); }
// ASRS <Rd>, <Rm>, #<imm5>
bool ThumbTranslator::thumb16_ASR_imm(uint32_t i, uint32_t m, uint32_t d) { return shift16_imm(2, i, m, d); }
// ADDS <Rd>, <Rn>, <Rm>
bool ThumbTranslator::thumb16_ADD_reg_T1(uint32_t m, uint32_t n, uint32_t d) {
  set_reg(d, arith(Arith::Add, reg(n), reg(m), !in_it()));
  return true;
}
// SUBS <Rd>, <Rn>, <Rm>
bool ThumbTranslator::thumb16_SUB_reg(uint32_t m, uint32_t n, uint32_t d) {
  set_reg(d, arith(Arith::Sub, reg(n), reg(m), !in_it()));
  return true;
}
// ADDS <Rd>, <Rn>, #<imm3>
bool ThumbTranslator::thumb16_ADD_imm_T1(uint32_t i, uint32_t n, uint32_t d) { return arith_imm(Arith::Add, d, n, i, !in_it(), true); }
// SUBS <Rd>, <Rn>, #<imm3>
bool ThumbTranslator::thumb16_SUB_imm_T1(uint32_t i, uint32_t n, uint32_t d) { return arith_imm(Arith::Sub, d, n, i, !in_it(), true); }
// MOVS <Rd>, #<imm8>
bool ThumbTranslator::thumb16_MOV_imm(uint32_t d, uint32_t i) {
  U32 k = c(i);
  if (!in_it()) set_nz(k);
  set_reg(d, k);
  return true;
}
// CMP <Rn>, #<imm8>
bool ThumbTranslator::thumb16_CMP_imm(uint32_t n, uint32_t i) { return arith_imm(Arith::Sub, 0, n, i, 1, false); }
// ADDS <Rdn>, #<imm8>
bool ThumbTranslator::thumb16_ADD_imm_T2(uint32_t d, uint32_t i) { return arith_imm(Arith::Add, d, d, i, !in_it(), true); }
// SUBS <Rdn>, #<imm8>
bool ThumbTranslator::thumb16_SUB_imm_T2(uint32_t d, uint32_t i) { return arith_imm(Arith::Sub, d, d, i, !in_it(), true); }

// --- 16-bit: data processing (register) --------------------------------------------------------

// ANDS <Rdn>, <Rm>
bool ThumbTranslator::thumb16_AND_reg(uint32_t m, uint32_t d) { return logic_reg(d, d, m, 0, 0, !in_it(), &Builder::and_, false, true); }
// EORS <Rdn>, <Rm>
bool ThumbTranslator::thumb16_EOR_reg(uint32_t m, uint32_t d) { return logic_reg(d, d, m, 0, 0, !in_it(), &Builder::xor_, false, true); }
// LSLS <Rdn>, <Rm>
bool ThumbTranslator::thumb16_LSL_reg(uint32_t m, uint32_t d) { return shift_by_reg(0, d, d, m, !in_it()); }
// LSRS <Rdn>, <Rm>
bool ThumbTranslator::thumb16_LSR_reg(uint32_t m, uint32_t d) { return shift_by_reg(1, d, d, m, !in_it()); }
// ASRS <Rdn>, <Rm>
bool ThumbTranslator::thumb16_ASR_reg(uint32_t m, uint32_t d) { return shift_by_reg(2, d, d, m, !in_it()); }
// ADCS <Rdn>, <Rm>
bool ThumbTranslator::thumb16_ADC_reg(uint32_t m, uint32_t d) { return arith_reg(Arith::Adc, d, d, m, 0, 0, !in_it(), true); }
// SBCS <Rdn>, <Rm>
bool ThumbTranslator::thumb16_SBC_reg(uint32_t m, uint32_t d) { return arith_reg(Arith::Sbc, d, d, m, 0, 0, !in_it(), true); }
// RORS <Rdn>, <Rm>
bool ThumbTranslator::thumb16_ROR_reg(uint32_t m, uint32_t d) { return shift_by_reg(3, d, d, m, !in_it()); }
// TST <Rn>, <Rm>
bool ThumbTranslator::thumb16_TST_reg(uint32_t m, uint32_t n) { return logic_reg(0, n, m, 0, 0, 1, &Builder::and_, false, false); }
// RSBS <Rd>, <Rn>, #0
bool ThumbTranslator::thumb16_RSB_imm(uint32_t n, uint32_t d) { return arith_imm(Arith::Rsb, d, n, 0, !in_it(), true); }
// CMP <Rn>, <Rm>
bool ThumbTranslator::thumb16_CMP_reg_T1(uint32_t m, uint32_t n) { return arith_reg(Arith::Sub, 0, n, m, 0, 0, 1, false); }
// CMN <Rn>, <Rm>
bool ThumbTranslator::thumb16_CMN_reg(uint32_t m, uint32_t n) { return arith_reg(Arith::Add, 0, n, m, 0, 0, 1, false); }
// ORRS <Rdn>, <Rm>
bool ThumbTranslator::thumb16_ORR_reg(uint32_t m, uint32_t d) { return logic_reg(d, d, m, 0, 0, !in_it(), &Builder::or_, false, true); }
// MULS <Rdm>, <Rn>, <Rdm>
bool ThumbTranslator::thumb16_MUL_reg(uint32_t n, uint32_t d) {
  cost(m_t.mul);
  U32 r = m_b.mul(reg(n), reg(d));
  if (!in_it()) set_nz(r);
  set_reg(d, r);
  return true;
}
// BICS <Rdn>, <Rm>
bool ThumbTranslator::thumb16_BIC_reg(uint32_t m, uint32_t d) { return logic_reg(d, d, m, 0, 0, !in_it(), &Builder::and_, true, true); }
// MVNS <Rd>, <Rm>
bool ThumbTranslator::thumb16_MVN_reg(uint32_t m, uint32_t d) { return logic_reg(d, 0, m, 0, 0, !in_it(), nullptr, true, true); }

// --- 16-bit: special data ------------------------------------------------------------------------

// ADD <Rdn>, <Rm>
bool ThumbTranslator::thumb16_ADD_reg_T2(uint32_t d, uint32_t m) {
  if (d == 15 && m == 15) return false;  // UNPREDICTABLE
  if (d == 15) cost(m_t.branch + m_t.branch_taken);
  set_reg(d, m_b.add(reg(d), reg(m)));
  return true;
}
// CMP <Rn>, <Rm>
bool ThumbTranslator::thumb16_CMP_reg_T2(uint32_t n, uint32_t m) { return arith_reg(Arith::Sub, 0, n, m, 0, 0, 1, false); }
// MOV <Rd>, <Rm>
bool ThumbTranslator::thumb16_MOV_reg_T1(uint32_t d, uint32_t m) {
  if (d == 15) cost(m_t.branch + m_t.branch_taken);
  set_reg(d, reg(m));
  return true;
}

// --- 16-bit: PC/SP relative -------------------------------------------------------------------------

// ADR <Rd>, <label>
bool ThumbTranslator::thumb16_ADR(uint32_t d, uint32_t i) { set_reg(d, c(((m_pc + 4) & ~3u) + i * 4)); return true; }
// ADD <Rd>, SP, #<imm8*4>
bool ThumbTranslator::thumb16_ADD_sp_T1(uint32_t d, uint32_t i) { set_reg(d, m_b.add(reg(13), c(i * 4))); return true; }
// ADD SP, SP, #<imm7*4>
bool ThumbTranslator::thumb16_ADD_sp_T2(uint32_t i) { set_reg(13, m_b.add(reg(13), c(i * 4))); return true; }
// SUB SP, SP, #<imm7*4>
bool ThumbTranslator::thumb16_SUB_sp(uint32_t i) { set_reg(13, m_b.sub(reg(13), c(i * 4))); return true; }

// --- 16-bit: extend and reverse --------------------------------------------------------------------

// SXTH <Rd>, <Rm>
bool ThumbTranslator::thumb16_SXTH(uint32_t m, uint32_t d) { return extend(d, m, 0, 16, true); }
// SXTB <Rd>, <Rm>
bool ThumbTranslator::thumb16_SXTB(uint32_t m, uint32_t d) { return extend(d, m, 0, 8, true); }
// UXTH <Rd>, <Rm>
bool ThumbTranslator::thumb16_UXTH(uint32_t m, uint32_t d) { return extend(d, m, 0, 16, false); }
// UXTB <Rd>, <Rm>
bool ThumbTranslator::thumb16_UXTB(uint32_t m, uint32_t d) { return extend(d, m, 0, 8, false); }
// REV <Rd>, <Rm>
bool ThumbTranslator::thumb16_REV(uint32_t m, uint32_t d) { set_reg(d, m_b.bswap32(reg(m))); return true; }
// REV16 <Rd>, <Rm>
bool ThumbTranslator::thumb16_REV16(uint32_t m, uint32_t d) { return thumb32_REV16(m, d, m); }
// REVSH <Rd>, <Rm>
bool ThumbTranslator::thumb16_REVSH(uint32_t m, uint32_t d) { return thumb32_REVSH(m, d, m); }

bool ThumbTranslator::extend(uint32_t d, uint32_t m, uint32_t rot, unsigned bits, bool sign) {
  U32 x = rot ? m_b.rotr(reg(m), c(rot * 8)) : reg(m);
  U32 r = bits == 8 ? (sign ? m_b.ext8s(x) : m_b.ext8u(x)) : (sign ? m_b.ext16s(x) : m_b.ext16u(x));
  set_reg(d, r);
  return true;
}

// --- 32-bit: data processing (shifted register) ---------------------------------------------------

// TST<c>.W <Rn>, <Rm>{, <shift>}
bool ThumbTranslator::thumb32_TST_reg(uint32_t n, uint32_t i, uint32_t t, uint32_t m) { return logic_reg(0, n, m, i, t, 1, &Builder::and_, false, false); }
// AND{S}<c>.W <Rd>, <Rn>, <Rm>{, <shift>}
bool ThumbTranslator::thumb32_AND_reg(uint32_t s, uint32_t n, uint32_t i, uint32_t d, uint32_t t, uint32_t m) { return logic_reg(d, n, m, i, t, s, &Builder::and_, false, true); }
// BIC{S}<c>.W <Rd>, <Rn>, <Rm>{, <shift>}
bool ThumbTranslator::thumb32_BIC_reg(uint32_t s, uint32_t n, uint32_t i, uint32_t d, uint32_t t, uint32_t m) { return logic_reg(d, n, m, i, t, s, &Builder::and_, true, true); }
// MOV{S}<c>.W <Rd>, <Rm>{, <shift>}
bool ThumbTranslator::thumb32_MOV_reg(uint32_t s, uint32_t i, uint32_t d, uint32_t t, uint32_t m) { return logic_reg(d, 0, m, i, t, s, nullptr, false, true); }
// ORR{S}<c>.W <Rd>, <Rn>, <Rm>{, <shift>}
bool ThumbTranslator::thumb32_ORR_reg(uint32_t s, uint32_t n, uint32_t i, uint32_t d, uint32_t t, uint32_t m) { return logic_reg(d, n, m, i, t, s, &Builder::or_, false, true); }
// MVN{S}<c>.W <Rd>, <Rm>{, <shift>}
bool ThumbTranslator::thumb32_MVN_reg(uint32_t s, uint32_t i, uint32_t d, uint32_t t, uint32_t m) { return logic_reg(d, 0, m, i, t, s, nullptr, true, true); }
// ORN{S}<c> <Rd>, <Rn>, <Rm>{, <shift>}
bool ThumbTranslator::thumb32_ORN_reg(uint32_t s, uint32_t n, uint32_t i, uint32_t d, uint32_t t, uint32_t m) { return logic_reg(d, n, m, i, t, s, &Builder::or_, true, true); }
// TEQ<c> <Rn>, <Rm>{, <shift>}
bool ThumbTranslator::thumb32_TEQ_reg(uint32_t n, uint32_t i, uint32_t t, uint32_t m) { return logic_reg(0, n, m, i, t, 1, &Builder::xor_, false, false); }
// EOR{S}<c>.W <Rd>, <Rn>, <Rm>{, <shift>}
bool ThumbTranslator::thumb32_EOR_reg(uint32_t s, uint32_t n, uint32_t i, uint32_t d, uint32_t t, uint32_t m) { return logic_reg(d, n, m, i, t, s, &Builder::xor_, false, true); }
// CMN<c>.W <Rn>, <Rm>{, <shift>}
bool ThumbTranslator::thumb32_CMN_reg(uint32_t n, uint32_t i, uint32_t t, uint32_t m) { return arith_reg(Arith::Add, 0, n, m, i, t, 1, false); }
// ADD{S}<c>.W <Rd>, <Rn>, <Rm>{, <shift>}
bool ThumbTranslator::thumb32_ADD_reg(uint32_t s, uint32_t n, uint32_t i, uint32_t d, uint32_t t, uint32_t m) { return arith_reg(Arith::Add, d, n, m, i, t, s, true); }
// ADC{S}<c>.W <Rd>, <Rn>, <Rm>{, <shift>}
bool ThumbTranslator::thumb32_ADC_reg(uint32_t s, uint32_t n, uint32_t i, uint32_t d, uint32_t t, uint32_t m) { return arith_reg(Arith::Adc, d, n, m, i, t, s, true); }
// SBC{S}<c>.W <Rd>, <Rn>, <Rm>{, <shift>}
bool ThumbTranslator::thumb32_SBC_reg(uint32_t s, uint32_t n, uint32_t i, uint32_t d, uint32_t t, uint32_t m) { return arith_reg(Arith::Sbc, d, n, m, i, t, s, true); }
// CMP<c>.W <Rn>, <Rm>{, <shift>}
bool ThumbTranslator::thumb32_CMP_reg(uint32_t n, uint32_t i, uint32_t t, uint32_t m) { return arith_reg(Arith::Sub, 0, n, m, i, t, 1, false); }
// SUB{S}<c>.W <Rd>, <Rn>, <Rm>{, <shift>}
bool ThumbTranslator::thumb32_SUB_reg(uint32_t s, uint32_t n, uint32_t i, uint32_t d, uint32_t t, uint32_t m) { return arith_reg(Arith::Sub, d, n, m, i, t, s, true); }
// RSB{S}<c> <Rd>, <Rn>, <Rm>{, <shift>}
bool ThumbTranslator::thumb32_RSB_reg(uint32_t s, uint32_t n, uint32_t i, uint32_t d, uint32_t t, uint32_t m) { return arith_reg(Arith::Rsb, d, n, m, i, t, s, true); }

// --- 32-bit: data processing (modified immediate) --------------------------------------------------

// TST<c> <Rn>, #<const>
bool ThumbTranslator::thumb32_TST_imm(uint32_t i, uint32_t n) { return logic_imm(0, n, i, 1, &Builder::and_, false, false); }
// AND{S}<c> <Rd>, <Rn>, #<const>
bool ThumbTranslator::thumb32_AND_imm(uint32_t i, uint32_t s, uint32_t n, uint32_t d) { return logic_imm(d, n, i, s, &Builder::and_, false, true); }
// BIC{S}<c> <Rd>, <Rn>, #<const>
bool ThumbTranslator::thumb32_BIC_imm(uint32_t i, uint32_t s, uint32_t n, uint32_t d) { return logic_imm(d, n, i, s, &Builder::and_, true, true); }
// MOV{S}<c>.W <Rd>, #<const>
bool ThumbTranslator::thumb32_MOV_imm(uint32_t i, uint32_t s, uint32_t d) { return logic_imm(d, 0, i, s, nullptr, false, true); }
// ORR{S}<c> <Rd>, <Rn>, #<const>
bool ThumbTranslator::thumb32_ORR_imm(uint32_t i, uint32_t s, uint32_t n, uint32_t d) { return logic_imm(d, n, i, s, &Builder::or_, false, true); }
// MVN{S}<c> <Rd>, #<const>
bool ThumbTranslator::thumb32_MVN_imm(uint32_t i, uint32_t s, uint32_t d) { return logic_imm(d, 0, i, s, nullptr, true, true); }
// ORN{S}<c> <Rd>, <Rn>, #<const>
bool ThumbTranslator::thumb32_ORN_imm(uint32_t i, uint32_t s, uint32_t n, uint32_t d) { return logic_imm(d, n, i, s, &Builder::or_, true, true); }
// TEQ<c> <Rn>, #<const>
bool ThumbTranslator::thumb32_TEQ_imm(uint32_t i, uint32_t n) { return logic_imm(0, n, i, 1, &Builder::xor_, false, false); }
// EOR{S}<c> <Rd>, <Rn>, #<const>
bool ThumbTranslator::thumb32_EOR_imm(uint32_t i, uint32_t s, uint32_t n, uint32_t d) { return logic_imm(d, n, i, s, &Builder::xor_, false, true); }
// CMN<c> <Rn>, #<const>
bool ThumbTranslator::thumb32_CMN_imm(uint32_t i, uint32_t n) { return arith_imm(Arith::Add, 0, n, thumb_expand_imm(i).value, 1, false); }
// ADD{S}<c>.W <Rd>, <Rn>, #<const>
bool ThumbTranslator::thumb32_ADD_imm(uint32_t i, uint32_t s, uint32_t n, uint32_t d) { return arith_imm(Arith::Add, d, n, thumb_expand_imm(i).value, s, true); }
// ADC{S}<c> <Rd>, <Rn>, #<const>
bool ThumbTranslator::thumb32_ADC_imm(uint32_t i, uint32_t s, uint32_t n, uint32_t d) { return arith_imm(Arith::Adc, d, n, thumb_expand_imm(i).value, s, true); }
// SBC{S}<c> <Rd>, <Rn>, #<const>
bool ThumbTranslator::thumb32_SBC_imm(uint32_t i, uint32_t s, uint32_t n, uint32_t d) { return arith_imm(Arith::Sbc, d, n, thumb_expand_imm(i).value, s, true); }
// CMP<c>.W <Rn>, #<const>
bool ThumbTranslator::thumb32_CMP_imm(uint32_t i, uint32_t n) { return arith_imm(Arith::Sub, 0, n, thumb_expand_imm(i).value, 1, false); }
// SUB{S}<c>.W <Rd>, <Rn>, #<const>
bool ThumbTranslator::thumb32_SUB_imm(uint32_t i, uint32_t s, uint32_t n, uint32_t d) { return arith_imm(Arith::Sub, d, n, thumb_expand_imm(i).value, s, true); }
// RSB{S}<c>.W <Rd>, <Rn>, #<const>
bool ThumbTranslator::thumb32_RSB_imm(uint32_t i, uint32_t s, uint32_t n, uint32_t d) { return arith_imm(Arith::Rsb, d, n, thumb_expand_imm(i).value, s, true); }

// --- 32-bit: data processing (plain binary immediate) ----------------------------------------------

// ADR<c>.W <Rd>, <label>
bool ThumbTranslator::thumb32_ADR_add(uint32_t i, uint32_t d) { set_reg(d, c(((m_pc + 4) & ~3u) + i)); return true; }
// ADDW<c> <Rd>, <Rn>, #<imm12>
bool ThumbTranslator::thumb32_ADDW(uint32_t i, uint32_t n, uint32_t d) { set_reg(d, m_b.add(reg(n), c(i))); return true; }
// MOVW<c> <Rd>, #<imm16>
bool ThumbTranslator::thumb32_MOVW(uint32_t i, uint32_t j, uint32_t d) { set_reg(d, c(j << 12 | i)); return true; }
// ADR<c>.W <Rd>, <label>
bool ThumbTranslator::thumb32_ADR_sub(uint32_t i, uint32_t d) { set_reg(d, c(((m_pc + 4) & ~3u) - i)); return true; }
// SUBW<c> <Rd>, <Rn>, #<imm12>
bool ThumbTranslator::thumb32_SUBW(uint32_t i, uint32_t n, uint32_t d) { set_reg(d, m_b.sub(reg(n), c(i))); return true; }
// MOVT<c> <Rd>, #<imm16>
bool ThumbTranslator::thumb32_MOVT(uint32_t i, uint32_t j, uint32_t d) {
  set_reg(d, m_b.deposit(reg(d), c(j << 12 | i), 16, 16));
  return true;
}

bool ThumbTranslator::saturate(bool is_signed, uint32_t h, uint32_t n, uint32_t i, uint32_t d, uint32_t k) {
  if (h && i == 0) return false;  // SSAT16/USAT16: ARMv7E-M only
  U32 x = shift_imm(reg(n), h ? 2 : 0, i, nullptr);
  const uint32_t bits = is_signed ? k + 1 : k;
  tcg::U64 r = m_b.call(is_signed ? HelperId::Ssat : HelperId::Usat, {x.t, c(bits).t}, true);
  m_b.mov(g(Global::QF), m_b.or_(g(Global::QF), m_b.hi(r)));
  set_reg(d, m_b.lo(r));
  return true;
}
// SSAT<c> <Rd>, #<imm>, <Rn>{, <shift>}
bool ThumbTranslator::thumb32_SSAT(uint32_t h, uint32_t n, uint32_t i, uint32_t d, uint32_t k) { return saturate(true, h, n, i, d, k); }
// USAT<c> <Rd>, #<imm>, <Rn>{, <shift>}
bool ThumbTranslator::thumb32_USAT(uint32_t h, uint32_t n, uint32_t i, uint32_t d, uint32_t k) { return saturate(false, h, n, i, d, k); }
// SBFX<c> <Rd>, <Rn>, #<lsb>, #<width>
bool ThumbTranslator::thumb32_SBFX(uint32_t n, uint32_t i, uint32_t d, uint32_t w) {
  if (i + w + 1 > 32) return false;  // UNPREDICTABLE
  set_reg(d, m_b.sextract(reg(n), i, w + 1));
  return true;
}
// UBFX<c> <Rd>, <Rn>, #<lsb>, #<width>
bool ThumbTranslator::thumb32_UBFX(uint32_t n, uint32_t i, uint32_t d, uint32_t w) {
  if (i + w + 1 > 32) return false;  // UNPREDICTABLE
  set_reg(d, m_b.extract(reg(n), i, w + 1));
  return true;
}
// BFC<c> <Rd>, #<lsb>, #<width>
bool ThumbTranslator::thumb32_BFC(uint32_t i, uint32_t d, uint32_t k) {
  if (k < i) return false;  // UNPREDICTABLE
  set_reg(d, m_b.deposit(reg(d), c(0), i, k - i + 1));
  return true;
}
// BFI<c> <Rd>, <Rn>, #<lsb>, #<width>
bool ThumbTranslator::thumb32_BFI(uint32_t n, uint32_t i, uint32_t d, uint32_t k) {
  if (k < i) return false;  // UNPREDICTABLE
  set_reg(d, m_b.deposit(reg(d), reg(n), i, k - i + 1));
  return true;
}

// --- 32-bit: data processing (register) -------------------------------------------------------------

// LSL{S}<c>.W <Rd>, <Rn>, <Rm>
bool ThumbTranslator::thumb32_LSL_reg(uint32_t s, uint32_t n, uint32_t d, uint32_t m) { return shift_by_reg(0, d, n, m, s); }
// LSR{S}<c>.W <Rd>, <Rn>, <Rm>
bool ThumbTranslator::thumb32_LSR_reg(uint32_t s, uint32_t n, uint32_t d, uint32_t m) { return shift_by_reg(1, d, n, m, s); }
// ASR{S}<c>.W <Rd>, <Rn>, <Rm>
bool ThumbTranslator::thumb32_ASR_reg(uint32_t s, uint32_t n, uint32_t d, uint32_t m) { return shift_by_reg(2, d, n, m, s); }
// ROR{S}<c>.W <Rd>, <Rn>, <Rm>
bool ThumbTranslator::thumb32_ROR_reg(uint32_t s, uint32_t n, uint32_t d, uint32_t m) { return shift_by_reg(3, d, n, m, s); }
// SXTH<c>.W <Rd>, <Rm>{, <rotation>}
bool ThumbTranslator::thumb32_SXTH(uint32_t d, uint32_t r, uint32_t m) { return extend(d, m, r, 16, true); }
// UXTH<c>.W <Rd>, <Rm>{, <rotation>}
bool ThumbTranslator::thumb32_UXTH(uint32_t d, uint32_t r, uint32_t m) { return extend(d, m, r, 16, false); }
// SXTB<c>.W <Rd>, <Rm>{, <rotation>}
bool ThumbTranslator::thumb32_SXTB(uint32_t d, uint32_t r, uint32_t m) { return extend(d, m, r, 8, true); }
// UXTB<c>.W <Rd>, <Rm>{, <rotation>}
bool ThumbTranslator::thumb32_UXTB(uint32_t d, uint32_t r, uint32_t m) { return extend(d, m, r, 8, false); }
// REV<c>.W <Rd>, <Rm>
bool ThumbTranslator::thumb32_REV(uint32_t n, uint32_t d, uint32_t m) { set_reg(d, m_b.bswap32(reg(m))); return true; }
// REV16<c>.W <Rd>, <Rm>
bool ThumbTranslator::thumb32_REV16(uint32_t n, uint32_t d, uint32_t m) {
  U32 x = reg(m);
  U32 hi = m_b.and_(m_b.shr(x, c(8)), c(0x00ff00ffu));
  U32 lo = m_b.and_(m_b.shl(x, c(8)), c(0xff00ff00u));
  set_reg(d, m_b.or_(hi, lo));
  return true;
}
// RBIT<c> <Rd>, <Rm>
bool ThumbTranslator::thumb32_RBIT(uint32_t n, uint32_t d, uint32_t m) { set_reg(d, m_b.call32(HelperId::Rbit, {reg(m).t})); return true; }
// REVSH<c>.W <Rd>, <Rm>
bool ThumbTranslator::thumb32_REVSH(uint32_t n, uint32_t d, uint32_t m) { set_reg(d, m_b.ext16s(m_b.bswap16(reg(m)))); return true; }
// CLZ<c> <Rd>, <Rm>
bool ThumbTranslator::thumb32_CLZ(uint32_t n, uint32_t d, uint32_t m) { set_reg(d, m_b.clz(reg(m), c(32))); return true; }

// --- multiply and divide -----------------------------------------------------------------------------

// MUL<c> <Rd>, <Rn>, <Rm>
bool ThumbTranslator::thumb32_MUL(uint32_t n, uint32_t d, uint32_t m) { cost(m_t.mul); set_reg(d, m_b.mul(reg(n), reg(m))); return true; }
// MLA<c> <Rd>, <Rn>, <Rm>, <Ra>
bool ThumbTranslator::thumb32_MLA(uint32_t n, uint32_t a, uint32_t d, uint32_t m) { cost(m_t.mul); set_reg(d, m_b.add(m_b.mul(reg(n), reg(m)), reg(a))); return true; }
// MLS<c> <Rd>, <Rn>, <Rm>, <Ra>
bool ThumbTranslator::thumb32_MLS(uint32_t n, uint32_t a, uint32_t d, uint32_t m) { cost(m_t.mul); set_reg(d, m_b.sub(reg(a), m_b.mul(reg(n), reg(m)))); return true; }

bool ThumbTranslator::long_mul(uint32_t l, uint32_t h, uint32_t n, uint32_t m, bool is_signed, bool accumulate) {
  if (l == h || l == 13 || l == 15 || h == 13 || h == 15) return false;  // UNPREDICTABLE
  cost(m_t.mul_long);
  auto [lo, hi] = is_signed ? m_b.muls2(reg(n), reg(m)) : m_b.mulu2(reg(n), reg(m));
  if (accumulate) {
    auto [slo, shi] = m_b.add2(lo, hi, reg(l), reg(h));
    lo = slo;
    hi = shi;
  }
  set_reg(l, lo);
  set_reg(h, hi);
  return true;
}
// SMULL<c> <RdLo>, <RdHi>, <Rn>, <Rm>
bool ThumbTranslator::thumb32_SMULL(uint32_t n, uint32_t l, uint32_t h, uint32_t m) { return long_mul(l, h, n, m, true, false); }
// UMULL<c> <RdLo>, <RdHi>, <Rn>, <Rm>
bool ThumbTranslator::thumb32_UMULL(uint32_t n, uint32_t l, uint32_t h, uint32_t m) { return long_mul(l, h, n, m, false, false); }
// SMLAL<c> <RdLo>, <RdHi>, <Rn>, <Rm>
bool ThumbTranslator::thumb32_SMLAL(uint32_t n, uint32_t l, uint32_t h, uint32_t m) { return long_mul(l, h, n, m, true, true); }
// UMLAL<c> <RdLo>, <RdHi>, <Rn>, <Rm>
bool ThumbTranslator::thumb32_UMLAL(uint32_t n, uint32_t l, uint32_t h, uint32_t m) { return long_mul(l, h, n, m, false, true); }

bool ThumbTranslator::divide(uint32_t n, uint32_t d, uint32_t m, bool is_signed) {
  cost(m_t.div);
  // The IR ops have the architecture's results (x / 0 == 0, INT_MIN / -1 == INT_MIN); only a
  // zero divisor calls the helper, which raises UsageFault DIVBYZERO if CCR.DIV_0_TRP is set
  // now (a store to CCR earlier in this block counts).
  tcg::Label nonzero = m_b.new_label();
  m_b.brcond(Cond::Ne, reg(m), c(0), nonzero);
  sync_state(m_pc);
  m_b.call32(is_signed ? HelperId::Sdiv : HelperId::Udiv, {reg(n).t, reg(m).t});
  m_b.set_label(nonzero);
  set_reg(d, is_signed ? m_b.div(reg(n), reg(m)) : m_b.divu(reg(n), reg(m)));
  return true;
}
// SDIV<c> <Rd>, <Rn>, <Rm>
bool ThumbTranslator::thumb32_SDIV(uint32_t n, uint32_t d, uint32_t m) { return divide(n, d, m, true); }
// UDIV<c> <Rd>, <Rn>, <Rm>
bool ThumbTranslator::thumb32_UDIV(uint32_t n, uint32_t d, uint32_t m) { return divide(n, d, m, false); }

}  // namespace presil::cpu::arm
