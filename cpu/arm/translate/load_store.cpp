// SPDX-License-Identifier: Apache-2.0
// Load/store translators: single, literal, register offset, multiple, dual, exclusive.
#include "cpu/arm/translate/helpers.h"
#include "cpu/arm/translate/translator.h"

namespace presil::cpu::arm {

using tcg::Cond;
using tcg::MemOp;
using tcg::U32;

MemOp ThumbTranslator::mop(unsigned log2, bool sign, bool aligned, bool unpriv) const {
  MemOp m = sign ? MemOp::s(log2) : MemOp::u(log2);
  if (aligned || (log2 > 0 && (m_key.flags & TbFlag::UnalignTrap))) m.align_log2 = uint8_t(log2);
  if (unpriv) m.mmu_idx = 1;
  return m;
}

U32 ThumbTranslator::load(U32 addr, unsigned log2, bool sign, bool aligned, bool unpriv) {
  return m_b.ld32(addr, mop(log2, sign, aligned, unpriv));
}

void ThumbTranslator::store(U32 v, U32 addr, unsigned log2, bool aligned, bool unpriv) {
  m_b.st(v, addr, mop(log2, false, aligned, unpriv));
}

bool ThumbTranslator::load_imm(unsigned log2, bool sign, uint32_t t, uint32_t n, int32_t off,
                               bool index, bool wback, bool unpriv) {
  if (wback && n == t) return false;  // UNPREDICTABLE
  if (t == 15 && (log2 != 2 || unpriv)) return false;
  cost(t == 15 ? m_t.load + m_t.branch_taken : m_t.load);
  U32 base = reg(n);
  U32 offset_addr = m_b.add(base, c(uint32_t(off)));
  U32 v = load(index ? offset_addr : base, log2, sign, false, unpriv);
  if (wback) set_reg(n, offset_addr);
  set_reg_bx(t, v);
  return true;
}

bool ThumbTranslator::store_imm(unsigned log2, uint32_t t, uint32_t n, int32_t off, bool index,
                                bool wback, bool unpriv) {
  if (n == 15 || t == 15) return false;
  if (wback && n == t) return false;  // UNPREDICTABLE
  cost(m_t.store);
  U32 base = reg(n);
  U32 offset_addr = m_b.add(base, c(uint32_t(off)));
  store(reg(t), index ? offset_addr : base, log2, false, unpriv);
  if (wback) set_reg(n, offset_addr);
  return true;
}

bool ThumbTranslator::load_reg(unsigned log2, bool sign, uint32_t t, uint32_t n, uint32_t m,
                               uint32_t shift) {
  if (m == 13 || m == 15) return false;
  if (t == 15 && log2 != 2) return false;
  cost(t == 15 ? m_t.load + m_t.branch_taken : m_t.load);
  U32 addr = m_b.add(reg(n), shift ? m_b.shl(reg(m), c(shift)) : reg(m));
  set_reg_bx(t, load(addr, log2, sign));
  return true;
}

bool ThumbTranslator::store_reg(unsigned log2, uint32_t t, uint32_t n, uint32_t m, uint32_t shift) {
  if (n == 15 || t == 15 || m == 13 || m == 15) return false;
  cost(m_t.store);
  U32 addr = m_b.add(reg(n), shift ? m_b.shl(reg(m), c(shift)) : reg(m));
  store(reg(t), addr, log2);
  return true;
}

bool ThumbTranslator::load_lit(unsigned log2, bool sign, uint32_t t, int32_t off) {
  if (t == 15 && log2 != 2) return false;
  cost(t == 15 ? m_t.load + m_t.branch_taken : m_t.load);
  set_reg_bx(t, load(c(((m_pc + 4) & ~3u) + uint32_t(off)), log2, sign));
  return true;
}

bool ThumbTranslator::load_imm8(unsigned log2, bool sign, uint32_t n, uint32_t t, uint32_t p,
                                uint32_t u, uint32_t w, uint32_t i) {
  if (!p && !w) return false;
  return load_imm(log2, sign, t, n, u ? int32_t(i) : -int32_t(i), p, w);
}

bool ThumbTranslator::store_imm8(unsigned log2, uint32_t n, uint32_t t, uint32_t p, uint32_t u,
                                 uint32_t w, uint32_t i) {
  if (!p && !w) return false;
  return store_imm(log2, t, n, u ? int32_t(i) : -int32_t(i), p, w);
}

// --- 16-bit forms -------------------------------------------------------------------------------

// LDR <Rt>, <label>
bool ThumbTranslator::thumb16_LDR_lit(uint32_t t, uint32_t i) { return load_lit(2, false, t, int32_t(i * 4)); }
// STR <Rt>, [<Rn>, <Rm>]
bool ThumbTranslator::thumb16_STR_reg(uint32_t m, uint32_t n, uint32_t t) { return store_reg(2, t, n, m, 0); }
// STRH <Rt>, [<Rn>, <Rm>]
bool ThumbTranslator::thumb16_STRH_reg(uint32_t m, uint32_t n, uint32_t t) { return store_reg(1, t, n, m, 0); }
// STRB <Rt>, [<Rn>, <Rm>]
bool ThumbTranslator::thumb16_STRB_reg(uint32_t m, uint32_t n, uint32_t t) { return store_reg(0, t, n, m, 0); }
// LDRSB <Rt>, [<Rn>, <Rm>]
bool ThumbTranslator::thumb16_LDRSB_reg(uint32_t m, uint32_t n, uint32_t t) { return load_reg(0, true, t, n, m, 0); }
// LDR <Rt>, [<Rn>, <Rm>]
bool ThumbTranslator::thumb16_LDR_reg(uint32_t m, uint32_t n, uint32_t t) { return load_reg(2, false, t, n, m, 0); }
// LDRH <Rt>, [<Rn>, <Rm>]
bool ThumbTranslator::thumb16_LDRH_reg(uint32_t m, uint32_t n, uint32_t t) { return load_reg(1, false, t, n, m, 0); }
// LDRB <Rt>, [<Rn>, <Rm>]
bool ThumbTranslator::thumb16_LDRB_reg(uint32_t m, uint32_t n, uint32_t t) { return load_reg(0, false, t, n, m, 0); }
// LDRSH <Rt>, [<Rn>, <Rm>]
bool ThumbTranslator::thumb16_LDRSH_reg(uint32_t m, uint32_t n, uint32_t t) { return load_reg(1, true, t, n, m, 0); }
// STR <Rt>, [<Rn>, #<imm5*4>]
bool ThumbTranslator::thumb16_STR_imm_T1(uint32_t i, uint32_t n, uint32_t t) { return store_imm(2, t, n, int32_t(i * 4), true, false); }
// LDR <Rt>, [<Rn>, #<imm5*4>]
bool ThumbTranslator::thumb16_LDR_imm_T1(uint32_t i, uint32_t n, uint32_t t) { return load_imm(2, false, t, n, int32_t(i * 4), true, false); }
// STRB <Rt>, [<Rn>, #<imm5>]
bool ThumbTranslator::thumb16_STRB_imm(uint32_t i, uint32_t n, uint32_t t) { return store_imm(0, t, n, int32_t(i), true, false); }
// LDRB <Rt>, [<Rn>, #<imm5>]
bool ThumbTranslator::thumb16_LDRB_imm(uint32_t i, uint32_t n, uint32_t t) { return load_imm(0, false, t, n, int32_t(i), true, false); }
// STRH <Rt>, [<Rn>, #<imm5*2>]
bool ThumbTranslator::thumb16_STRH_imm(uint32_t i, uint32_t n, uint32_t t) { return store_imm(1, t, n, int32_t(i * 2), true, false); }
// LDRH <Rt>, [<Rn>, #<imm5*2>]
bool ThumbTranslator::thumb16_LDRH_imm(uint32_t i, uint32_t n, uint32_t t) { return load_imm(1, false, t, n, int32_t(i * 2), true, false); }
// STR <Rt>, [SP, #<imm8*4>]
bool ThumbTranslator::thumb16_STR_imm_T2(uint32_t t, uint32_t i) { return store_imm(2, t, 13, int32_t(i * 4), true, false); }
// LDR <Rt>, [SP, #<imm8*4>]
bool ThumbTranslator::thumb16_LDR_imm_T2(uint32_t t, uint32_t i) { return load_imm(2, false, t, 13, int32_t(i * 4), true, false); }
// PUSH <registers>
bool ThumbTranslator::thumb16_PUSH(uint32_t m, uint32_t r) { return store_multiple(13, r | m << 14, false, true); }
// POP <registers>
bool ThumbTranslator::thumb16_POP(uint32_t p, uint32_t r) { return load_multiple(13, r | p << 15, true, true); }
// STM <Rn>!, <registers>
bool ThumbTranslator::thumb16_STM(uint32_t n, uint32_t r) { return store_multiple(n, r, true, true); }
// LDM <Rn>{!}, <registers>
bool ThumbTranslator::thumb16_LDM(uint32_t n, uint32_t r) { return load_multiple(n, r, true, !(r >> n & 1)); }

// --- load/store multiple ---------------------------------------------------------------------------

bool ThumbTranslator::load_multiple(uint32_t n, uint32_t list, bool increment, bool wback) {
  const unsigned count = unsigned(__builtin_popcount(list));
  if (n == 15 || count == 0 || (list & (1u << 13)) || (list >> 14) == 3) return false;
  if (wback && (list >> n & 1)) return false;  // UNPREDICTABLE
  cost(m_t.multiple_base + m_t.per_register * count + ((list >> 15) ? m_t.branch_taken : 0));
  U32 base = reg(n);
  U32 start = increment ? base : m_b.sub(base, c(4 * count));
  U32 values[16];
  unsigned k = 0;
  for (unsigned r = 0; r < 16; ++r)
    if (list >> r & 1) values[r] = load(m_b.add(start, c(4 * k++)), 2, false, true);
  for (unsigned r = 0; r < 15; ++r)
    if (list >> r & 1) set_reg(r, values[r]);
  if (wback) set_reg(n, increment ? m_b.add(base, c(4 * count)) : start);
  if (list >> 15) set_reg_bx(15, values[15]);
  return true;
}

bool ThumbTranslator::store_multiple(uint32_t n, uint32_t list, bool increment, bool wback) {
  const unsigned count = unsigned(__builtin_popcount(list));
  if (n == 15 || count == 0 || (list & (1u << 13)) || (list & (1u << 15))) return false;
  if (wback && (list >> n & 1) && (list & ((1u << n) - 1))) return false;  // UNPREDICTABLE
  cost(m_t.multiple_base + m_t.per_register * count);
  U32 base = reg(n);
  U32 start = increment ? base : m_b.sub(base, c(4 * count));
  unsigned k = 0;
  for (unsigned r = 0; r < 15; ++r)
    if (list >> r & 1) store(reg(r), m_b.add(start, c(4 * k++)), 2, true);
  if (wback) set_reg(n, increment ? m_b.add(base, c(4 * count)) : start);
  return true;
}

// STM<c>.W <Rn>{!}, <registers>
bool ThumbTranslator::thumb32_STM(uint32_t w, uint32_t n, uint32_t r) {
  if ((w && (r >> n & 1)) || __builtin_popcount(r) < 2) return false;  // UNPREDICTABLE
  return store_multiple(n, r, true, w);
}
// LDM<c>.W <Rn>{!}, <registers>
bool ThumbTranslator::thumb32_LDM(uint32_t w, uint32_t n, uint32_t r) {
  if (__builtin_popcount(r) < 2) return false;  // UNPREDICTABLE
  return load_multiple(n, r, true, w);
}
// STMDB<c> <Rn>{!}, <registers>
bool ThumbTranslator::thumb32_STMDB(uint32_t w, uint32_t n, uint32_t r) {
  if ((w && (r >> n & 1)) || __builtin_popcount(r) < 2) return false;  // UNPREDICTABLE
  return store_multiple(n, r, false, w);
}
// LDMDB<c> <Rn>{!}, <registers>
bool ThumbTranslator::thumb32_LDMDB(uint32_t w, uint32_t n, uint32_t r) {
  if (__builtin_popcount(r) < 2) return false;  // UNPREDICTABLE
  return load_multiple(n, r, false, w);
}

// --- dual and exclusive --------------------------------------------------------------------------

// STRD<c> <Rt>, <Rt2>, [<Rn>{, #+/-<imm>}]{!}
bool ThumbTranslator::thumb32_STRD_imm(uint32_t p, uint32_t u, uint32_t w, uint32_t n, uint32_t t, uint32_t a, uint32_t i) {
  if (!p && !w) return false;
  // BadReg (r13, r15) is UNPREDICTABLE; r14 is a valid transfer register.
  if (n == 15 || t == 13 || t == 15 || a == 13 || a == 15 || (w && (n == t || n == a))) return false;
  cost(m_t.dual);
  U32 base = reg(n);
  U32 offset_addr = m_b.add(base, c(u ? i * 4 : uint32_t(-int32_t(i * 4))));
  U32 addr = p ? offset_addr : base;
  store(reg(t), addr, 2, true);
  store(reg(a), m_b.add(addr, c(4)), 2, true);
  if (w) set_reg(n, offset_addr);
  return true;
}

bool ThumbTranslator::ldrd(uint32_t p, uint32_t u, uint32_t w, uint32_t n, uint32_t t, uint32_t a,
                           uint32_t i, U32 base) {
  if (t == 13 || t == 15 || a == 13 || a == 15 || t == a || (w && (n == t || n == a))) return false;
  cost(m_t.dual);
  U32 offset_addr = m_b.add(base, c(u ? i * 4 : uint32_t(-int32_t(i * 4))));
  U32 addr = p ? offset_addr : base;
  U32 v1 = load(addr, 2, false, true);
  U32 v2 = load(m_b.add(addr, c(4)), 2, false, true);
  set_reg(t, v1);
  set_reg(a, v2);
  if (w) set_reg(n, offset_addr);
  return true;
}
// LDRD<c> <Rt>, <Rt2>, <label>
bool ThumbTranslator::thumb32_LDRD_lit(uint32_t p, uint32_t u, uint32_t w, uint32_t t, uint32_t a, uint32_t i) {
  if (!p || w) return false;
  return ldrd(p, u, 0, 15, t, a, i, pc_aligned());
}
// LDRD<c> <Rt>, <Rt2>, [<Rn>{, #+/-<imm>}]{!}
bool ThumbTranslator::thumb32_LDRD_imm(uint32_t p, uint32_t u, uint32_t w, uint32_t n, uint32_t t, uint32_t a, uint32_t i) {
  if (!p && !w) return false;
  return ldrd(p, u, w, n, t, a, i, reg(n));
}

bool ThumbTranslator::ldrex(uint32_t n, uint32_t t, uint32_t off, unsigned log2) {
  if (n == 15 || t == 13 || t == 15) return false;  // BadReg(t) or n == PC: UNPREDICTABLE
  cost(m_t.load);
  U32 addr = m_b.add(reg(n), c(off));
  U32 v = load(addr, log2, false, true);
  m_b.st_env(addr, PRESIL_ARM_OFFSET(excl_addr));
  m_b.st_env(v, PRESIL_ARM_OFFSET(excl_val));
  m_b.st_env(c(1u << log2), PRESIL_ARM_OFFSET(excl_size));
  m_b.st_env(c(1), PRESIL_ARM_OFFSET(excl_valid), MemOp::u(0));
  set_reg(t, v);
  return true;
}

bool ThumbTranslator::strex(uint32_t n, uint32_t t, uint32_t d, uint32_t off, unsigned log2) {
  if (n == 15 || t == 13 || t == 15 || d == 13 || d == 15 || d == n || d == t) return false;
  cost(m_t.store);
  U32 addr = m_b.add(reg(n), c(off));
  U32 status = m_b.local32();
  tcg::Label fail = m_b.new_label(), done = m_b.new_label();
  U32 valid = m_b.ld_env32(PRESIL_ARM_OFFSET(excl_valid), MemOp::u(0));
  m_b.brcond(Cond::Eq, valid, c(0), fail);
  m_b.brcond(Cond::Ne, m_b.ld_env32(PRESIL_ARM_OFFSET(excl_addr)), addr, fail);
  m_b.brcond(Cond::Ne, m_b.ld_env32(PRESIL_ARM_OFFSET(excl_size)), c(1u << log2), fail);
  // The local monitor passes; the value check gives compare-and-swap semantics
  // (a plain store of a different value in between makes STREX fail).
  U32 cur = load(addr, log2, false, true);
  m_b.brcond(Cond::Ne, cur, m_b.ld_env32(PRESIL_ARM_OFFSET(excl_val)), fail);
  store(reg(t), addr, log2, true);
  m_b.movi(status, 0);
  m_b.br(done);
  m_b.set_label(fail);
  m_b.movi(status, 1);
  m_b.set_label(done);
  m_b.st_env(c(0), PRESIL_ARM_OFFSET(excl_valid), MemOp::u(0));
  set_reg(d, status);
  return true;
}

// STREX<c> <Rd>, <Rt>, [<Rn>{, #<imm>}]
bool ThumbTranslator::thumb32_STREX(uint32_t n, uint32_t t, uint32_t d, uint32_t i) { return strex(n, t, d, i * 4, 2); }
// LDREX<c> <Rt>, [<Rn>{, #<imm>}]
bool ThumbTranslator::thumb32_LDREX(uint32_t n, uint32_t t, uint32_t i) { return ldrex(n, t, i * 4, 2); }
// STREXB<c> <Rd>, <Rt>, [<Rn>]
bool ThumbTranslator::thumb32_STREXB(uint32_t n, uint32_t t, uint32_t d) { return strex(n, t, d, 0, 0); }
// STREXH<c> <Rd>, <Rt>, [<Rn>]
bool ThumbTranslator::thumb32_STREXH(uint32_t n, uint32_t t, uint32_t d) { return strex(n, t, d, 0, 1); }
// LDREXB<c> <Rt>, [<Rn>]
bool ThumbTranslator::thumb32_LDREXB(uint32_t n, uint32_t t) { return ldrex(n, t, 0, 0); }
// LDREXH<c> <Rt>, [<Rn>]
bool ThumbTranslator::thumb32_LDREXH(uint32_t n, uint32_t t) { return ldrex(n, t, 0, 1); }
// CLREX<c>
bool ThumbTranslator::thumb32_CLREX() {
  m_b.st_env(c(0), PRESIL_ARM_OFFSET(excl_valid), MemOp::u(0));
  return true;
}

// --- 32-bit single loads and stores ------------------------------------------------------------

// STRB<c>.W <Rt>, [<Rn>, #<imm12>]
bool ThumbTranslator::thumb32_STRB_imm12(uint32_t n, uint32_t t, uint32_t i) { return store_imm(0, t, n, int32_t(i), true, false); }
// STRBT<c> <Rt>, [<Rn>, #<imm8>]
bool ThumbTranslator::thumb32_STRBT(uint32_t n, uint32_t t, uint32_t i) { return store_imm(0, t, n, int32_t(i), true, false, true); }
// STRB<c> <Rt>, [<Rn>, #+/-<imm8>]{!}
bool ThumbTranslator::thumb32_STRB_imm8(uint32_t n, uint32_t t, uint32_t p, uint32_t u, uint32_t w, uint32_t i) { return store_imm8(0, n, t, p, u, w, i); }
// STRB<c>.W <Rt>, [<Rn>, <Rm>{, LSL #<imm2>}]
bool ThumbTranslator::thumb32_STRB_reg(uint32_t n, uint32_t t, uint32_t i, uint32_t m) { return store_reg(0, t, n, m, i); }
// STRH<c>.W <Rt>, [<Rn>, #<imm12>]
bool ThumbTranslator::thumb32_STRH_imm12(uint32_t n, uint32_t t, uint32_t i) { return store_imm(1, t, n, int32_t(i), true, false); }
// STRHT<c> <Rt>, [<Rn>, #<imm8>]
bool ThumbTranslator::thumb32_STRHT(uint32_t n, uint32_t t, uint32_t i) { return store_imm(1, t, n, int32_t(i), true, false, true); }
// STRH<c> <Rt>, [<Rn>, #+/-<imm8>]{!}
bool ThumbTranslator::thumb32_STRH_imm8(uint32_t n, uint32_t t, uint32_t p, uint32_t u, uint32_t w, uint32_t i) { return store_imm8(1, n, t, p, u, w, i); }
// STRH<c>.W <Rt>, [<Rn>, <Rm>{, LSL #<imm2>}]
bool ThumbTranslator::thumb32_STRH_reg(uint32_t n, uint32_t t, uint32_t i, uint32_t m) { return store_reg(1, t, n, m, i); }
// STR<c>.W <Rt>, [<Rn>, #<imm12>]
bool ThumbTranslator::thumb32_STR_imm12(uint32_t n, uint32_t t, uint32_t i) { return store_imm(2, t, n, int32_t(i), true, false); }
// STRT<c> <Rt>, [<Rn>, #<imm8>]
bool ThumbTranslator::thumb32_STRT(uint32_t n, uint32_t t, uint32_t i) { return store_imm(2, t, n, int32_t(i), true, false, true); }
// STR<c> <Rt>, [<Rn>, #+/-<imm8>]{!}
bool ThumbTranslator::thumb32_STR_imm8(uint32_t n, uint32_t t, uint32_t p, uint32_t u, uint32_t w, uint32_t i) { return store_imm8(2, n, t, p, u, w, i); }
// STR<c>.W <Rt>, [<Rn>, <Rm>{, LSL #<imm2>}]
bool ThumbTranslator::thumb32_STR_reg(uint32_t n, uint32_t t, uint32_t i, uint32_t m) { return store_reg(2, t, n, m, i); }

// PLD<c> <label>
bool ThumbTranslator::thumb32_PLD_lit(uint32_t u, uint32_t i) { return hint(); }
// PLD<c> [<Rn>, #<imm12>]
bool ThumbTranslator::thumb32_PLD_imm12(uint32_t n, uint32_t i) { return hint(); }
// PLD<c> [<Rn>, #-<imm8>]
bool ThumbTranslator::thumb32_PLD_imm8(uint32_t n, uint32_t i) { return hint(); }
// PLD<c> [<Rn>, <Rm>{, LSL #<imm2>}]
bool ThumbTranslator::thumb32_PLD_reg(uint32_t n, uint32_t i, uint32_t m) { return hint(); }
// PLI<c> <label>
bool ThumbTranslator::thumb32_PLI_lit(uint32_t u, uint32_t i) { return hint(); }
// PLI<c> [<Rn>, #<imm12>]
bool ThumbTranslator::thumb32_PLI_imm12(uint32_t n, uint32_t i) { return hint(); }
// PLI<c> [<Rn>, #-<imm8>]
bool ThumbTranslator::thumb32_PLI_imm8(uint32_t n, uint32_t i) { return hint(); }
// PLI<c> [<Rn>, <Rm>{, LSL #<imm2>}]
bool ThumbTranslator::thumb32_PLI_reg(uint32_t n, uint32_t i, uint32_t m) { return hint(); }
// unallocated memory hints (execute as NOP)
bool ThumbTranslator::thumb32_HINT_ldrh() { return hint(); }
bool ThumbTranslator::thumb32_HINT_ldrh2(uint32_t n) { return hint(); }
bool ThumbTranslator::thumb32_HINT_ldrh3(uint32_t n) { return hint(); }
bool ThumbTranslator::thumb32_HINT_ldrh4(uint32_t n) { return hint(); }
bool ThumbTranslator::thumb32_HINT_ldrsh() { return hint(); }
bool ThumbTranslator::thumb32_HINT_ldrsh2(uint32_t n) { return hint(); }
bool ThumbTranslator::thumb32_HINT_ldrsh3(uint32_t n) { return hint(); }
bool ThumbTranslator::thumb32_HINT_ldrsh4(uint32_t n) { return hint(); }

// LDRB<c> <Rt>, <label>
bool ThumbTranslator::thumb32_LDRB_lit(uint32_t u, uint32_t t, uint32_t i) { return load_lit(0, false, t, u ? int32_t(i) : -int32_t(i)); }
// LDRB<c>.W <Rt>, [<Rn>, #<imm12>]
bool ThumbTranslator::thumb32_LDRB_imm12(uint32_t n, uint32_t t, uint32_t i) { return load_imm(0, false, t, n, int32_t(i), true, false); }
// LDRBT<c> <Rt>, [<Rn>, #<imm8>]
bool ThumbTranslator::thumb32_LDRBT(uint32_t n, uint32_t t, uint32_t i) { return load_imm(0, false, t, n, int32_t(i), true, false, true); }
// LDRB<c> <Rt>, [<Rn>, #+/-<imm8>]{!} / [<Rn>], #+/-<imm8>
bool ThumbTranslator::thumb32_LDRB_imm8(uint32_t n, uint32_t t, uint32_t p, uint32_t u, uint32_t w, uint32_t i) { return load_imm8(0, false, n, t, p, u, w, i); }
// LDRB<c>.W <Rt>, [<Rn>, <Rm>{, LSL #<imm2>}]
bool ThumbTranslator::thumb32_LDRB_reg(uint32_t n, uint32_t t, uint32_t i, uint32_t m) { return load_reg(0, false, t, n, m, i); }

// LDRSB<c> <Rt>, <label>
bool ThumbTranslator::thumb32_LDRSB_lit(uint32_t u, uint32_t t, uint32_t i) { return load_lit(0, true, t, u ? int32_t(i) : -int32_t(i)); }
// LDRSB<c> <Rt>, [<Rn>, #<imm12>]
bool ThumbTranslator::thumb32_LDRSB_imm12(uint32_t n, uint32_t t, uint32_t i) { return load_imm(0, true, t, n, int32_t(i), true, false); }
// LDRSBT<c> <Rt>, [<Rn>, #<imm8>]
bool ThumbTranslator::thumb32_LDRSBT(uint32_t n, uint32_t t, uint32_t i) { return load_imm(0, true, t, n, int32_t(i), true, false, true); }
// LDRSB<c> <Rt>, [<Rn>, #+/-<imm8>]{!} / [<Rn>], #+/-<imm8>
bool ThumbTranslator::thumb32_LDRSB_imm8(uint32_t n, uint32_t t, uint32_t p, uint32_t u, uint32_t w, uint32_t i) { return load_imm8(0, true, n, t, p, u, w, i); }
// LDRSB<c> <Rt>, [<Rn>, <Rm>{, LSL #<imm2>}]
bool ThumbTranslator::thumb32_LDRSB_reg(uint32_t n, uint32_t t, uint32_t i, uint32_t m) { return load_reg(0, true, t, n, m, i); }

// LDRH<c> <Rt>, <label>
bool ThumbTranslator::thumb32_LDRH_lit(uint32_t u, uint32_t t, uint32_t i) { return load_lit(1, false, t, u ? int32_t(i) : -int32_t(i)); }
// LDRH<c>.W <Rt>, [<Rn>, #<imm12>]
bool ThumbTranslator::thumb32_LDRH_imm12(uint32_t n, uint32_t t, uint32_t i) { return load_imm(1, false, t, n, int32_t(i), true, false); }
// LDRHT<c> <Rt>, [<Rn>, #<imm8>]
bool ThumbTranslator::thumb32_LDRHT(uint32_t n, uint32_t t, uint32_t i) { return load_imm(1, false, t, n, int32_t(i), true, false, true); }
// LDRH<c> <Rt>, [<Rn>, #+/-<imm8>]{!} / [<Rn>], #+/-<imm8>
bool ThumbTranslator::thumb32_LDRH_imm8(uint32_t n, uint32_t t, uint32_t p, uint32_t u, uint32_t w, uint32_t i) { return load_imm8(1, false, n, t, p, u, w, i); }
// LDRH<c>.W <Rt>, [<Rn>, <Rm>{, LSL #<imm2>}]
bool ThumbTranslator::thumb32_LDRH_reg(uint32_t n, uint32_t t, uint32_t i, uint32_t m) { return load_reg(1, false, t, n, m, i); }

// LDRSH<c> <Rt>, <label>
bool ThumbTranslator::thumb32_LDRSH_lit(uint32_t u, uint32_t t, uint32_t i) { return load_lit(1, true, t, u ? int32_t(i) : -int32_t(i)); }
// LDRSH<c> <Rt>, [<Rn>, #<imm12>]
bool ThumbTranslator::thumb32_LDRSH_imm12(uint32_t n, uint32_t t, uint32_t i) { return load_imm(1, true, t, n, int32_t(i), true, false); }
// LDRSHT<c> <Rt>, [<Rn>, #<imm8>]
bool ThumbTranslator::thumb32_LDRSHT(uint32_t n, uint32_t t, uint32_t i) { return load_imm(1, true, t, n, int32_t(i), true, false, true); }
// LDRSH<c> <Rt>, [<Rn>, #+/-<imm8>]{!} / [<Rn>], #+/-<imm8>
bool ThumbTranslator::thumb32_LDRSH_imm8(uint32_t n, uint32_t t, uint32_t p, uint32_t u, uint32_t w, uint32_t i) { return load_imm8(1, true, n, t, p, u, w, i); }
// LDRSH<c> <Rt>, [<Rn>, <Rm>{, LSL #<imm2>}]
bool ThumbTranslator::thumb32_LDRSH_reg(uint32_t n, uint32_t t, uint32_t i, uint32_t m) { return load_reg(1, true, t, n, m, i); }

// LDR<c> <Rt>, <label>
bool ThumbTranslator::thumb32_LDR_lit(uint32_t u, uint32_t t, uint32_t i) { return load_lit(2, false, t, u ? int32_t(i) : -int32_t(i)); }
// LDR<c>.W <Rt>, [<Rn>, #<imm12>]
bool ThumbTranslator::thumb32_LDR_imm12(uint32_t n, uint32_t t, uint32_t i) { return load_imm(2, false, t, n, int32_t(i), true, false); }
// LDRT<c> <Rt>, [<Rn>, #<imm8>]
bool ThumbTranslator::thumb32_LDRT(uint32_t n, uint32_t t, uint32_t i) { return load_imm(2, false, t, n, int32_t(i), true, false, true); }
// LDR<c> <Rt>, [<Rn>, #+/-<imm8>]{!} / [<Rn>], #+/-<imm8>
bool ThumbTranslator::thumb32_LDR_imm8(uint32_t n, uint32_t t, uint32_t p, uint32_t u, uint32_t w, uint32_t i) { return load_imm8(2, false, n, t, p, u, w, i); }
// LDR<c>.W <Rt>, [<Rn>, <Rm>{, LSL #<imm2>}]
bool ThumbTranslator::thumb32_LDR_reg(uint32_t n, uint32_t t, uint32_t i, uint32_t m) { return load_reg(2, false, t, n, m, i); }

}  // namespace presil::cpu::arm
