// SPDX-License-Identifier: Apache-2.0
// Typed IR builder: U32/U64 handles make mixing widths a compile error.
#pragma once

#include "tcg/ir/ir.h"

namespace presil::tcg {

/// A 32-bit IR value.
struct U32 { TempIdx t; };
/// A 64-bit IR value.
struct U64 { TempIdx t; };
/// A branch target within the block.
struct Label { uint32_t id; };

/// Emits ops into a Block. Every value-producing method returns a fresh temp;
/// `mov` writes an existing temp (a global or a local).
class Builder {
 public:
  explicit Builder(Block& b) : m_b(b) {}

  Block& block() { return m_b; }

  /// The global temp with index i (in GlobalDef order), as 32 bits.
  U32 global32(uint32_t i) const { return U32{i}; }
  /// The global temp with index i (in GlobalDef order), as 64 bits.
  U64 global64(uint32_t i) const { return U64{i}; }
  /// A new uninitialised local.
  U32 local32() { return U32{m_b.new_temp(Type::I32)}; }
  /// A new uninitialised local.
  U64 local64() { return U64{m_b.new_temp(Type::I64)}; }
  /// A constant.
  U32 c32(uint32_t v) { U32 r{m_b.new_temp(Type::I32, TempKind::Const)}; m_b.emit(Opcode::Movi_i32, {r.t, v}); return r; }
  /// A constant.
  U64 c64(uint64_t v) { U64 r{m_b.new_temp(Type::I64, TempKind::Const)}; m_b.emit(Opcode::Movi_i64, {r.t, v}); return r; }

  void mov(U32 d, U32 s) { m_b.emit(Opcode::Mov_i32, {d.t, s.t}); }
  void mov(U64 d, U64 s) { m_b.emit(Opcode::Mov_i64, {d.t, s.t}); }
  void movi(U32 d, uint32_t v) { m_b.emit(Opcode::Movi_i32, {d.t, v}); }
  void movi(U64 d, uint64_t v) { m_b.emit(Opcode::Movi_i64, {d.t, v}); }

#define PRESIL_BIN(fn, op)                                                             \
  U32 fn(U32 a, U32 b) { U32 r = local32(); m_b.emit(Opcode::op##_i32, {r.t, a.t, b.t}); return r; } \
  U64 fn(U64 a, U64 b) { U64 r = local64(); m_b.emit(Opcode::op##_i64, {r.t, a.t, b.t}); return r; }
  PRESIL_BIN(add, Add) PRESIL_BIN(sub, Sub) PRESIL_BIN(and_, And) PRESIL_BIN(or_, Or)
  PRESIL_BIN(xor_, Xor) PRESIL_BIN(andc, Andc) PRESIL_BIN(orc, Orc) PRESIL_BIN(eqv, Eqv)
  PRESIL_BIN(nand, Nand) PRESIL_BIN(nor, Nor) PRESIL_BIN(shl, Shl) PRESIL_BIN(shr, Shr)
  PRESIL_BIN(sar, Sar) PRESIL_BIN(rotl, Rotl) PRESIL_BIN(rotr, Rotr) PRESIL_BIN(mul, Mul)
  PRESIL_BIN(div, Div) PRESIL_BIN(divu, Divu) PRESIL_BIN(rem, Rem) PRESIL_BIN(remu, Remu)
  PRESIL_BIN(clz, Clz) PRESIL_BIN(ctz, Ctz)
#undef PRESIL_BIN

#define PRESIL_UN(fn, op)                                                              \
  U32 fn(U32 a) { U32 r = local32(); m_b.emit(Opcode::op##_i32, {r.t, a.t}); return r; } \
  U64 fn(U64 a) { U64 r = local64(); m_b.emit(Opcode::op##_i64, {r.t, a.t}); return r; }
  PRESIL_UN(neg, Neg) PRESIL_UN(not_, Not) PRESIL_UN(ext8s, Ext8s) PRESIL_UN(ext8u, Ext8u)
  PRESIL_UN(ext16s, Ext16s) PRESIL_UN(ext16u, Ext16u) PRESIL_UN(bswap16, Bswap16)
  PRESIL_UN(bswap32, Bswap32) PRESIL_UN(ctpop, Ctpop)
#undef PRESIL_UN

  U64 ext32s(U64 a) { U64 r = local64(); m_b.emit(Opcode::Ext32s_i64, {r.t, a.t}); return r; }
  U64 ext32u(U64 a) { U64 r = local64(); m_b.emit(Opcode::Ext32u_i64, {r.t, a.t}); return r; }
  U64 bswap64(U64 a) { U64 r = local64(); m_b.emit(Opcode::Bswap64_i64, {r.t, a.t}); return r; }
  /// Sign-extends a 32-bit value to 64 bits.
  U64 sext(U32 a) { U64 r = local64(); m_b.emit(Opcode::ExtI32_i64, {r.t, a.t}); return r; }
  /// Zero-extends a 32-bit value to 64 bits.
  U64 zext(U32 a) { U64 r = local64(); m_b.emit(Opcode::ExtuI32_i64, {r.t, a.t}); return r; }
  /// Low 32 bits of a 64-bit value.
  U32 lo(U64 a) { U32 r = local32(); m_b.emit(Opcode::ExtrlI64_i32, {r.t, a.t}); return r; }
  /// High 32 bits of a 64-bit value.
  U32 hi(U64 a) { U32 r = local32(); m_b.emit(Opcode::ExtrhI64_i32, {r.t, a.t}); return r; }

  /// Full 64-bit unsigned product of two 32-bit values: {lo, hi}.
  std::pair<U32, U32> mulu2(U32 a, U32 b) { U32 l = local32(), h = local32(); m_b.emit(Opcode::Mulu2_i32, {l.t, h.t, a.t, b.t}); return {l, h}; }
  /// Full 64-bit signed product of two 32-bit values: {lo, hi}.
  std::pair<U32, U32> muls2(U32 a, U32 b) { U32 l = local32(), h = local32(); m_b.emit(Opcode::Muls2_i32, {l.t, h.t, a.t, b.t}); return {l, h}; }
  std::pair<U64, U64> mulu2(U64 a, U64 b) { U64 l = local64(), h = local64(); m_b.emit(Opcode::Mulu2_i64, {l.t, h.t, a.t, b.t}); return {l, h}; }
  std::pair<U64, U64> muls2(U64 a, U64 b) { U64 l = local64(), h = local64(); m_b.emit(Opcode::Muls2_i64, {l.t, h.t, a.t, b.t}); return {l, h}; }
  /// Double-width add {al,ah} + {bl,bh}: {lo, hi}.
  std::pair<U32, U32> add2(U32 al, U32 ah, U32 bl, U32 bh) { U32 l = local32(), h = local32(); m_b.emit(Opcode::Add2_i32, {l.t, h.t, al.t, ah.t, bl.t, bh.t}); return {l, h}; }
  /// Double-width subtract {al,ah} - {bl,bh}: {lo, hi}.
  std::pair<U32, U32> sub2(U32 al, U32 ah, U32 bl, U32 bh) { U32 l = local32(), h = local32(); m_b.emit(Opcode::Sub2_i32, {l.t, h.t, al.t, ah.t, bl.t, bh.t}); return {l, h}; }
  std::pair<U64, U64> add2(U64 al, U64 ah, U64 bl, U64 bh) { U64 l = local64(), h = local64(); m_b.emit(Opcode::Add2_i64, {l.t, h.t, al.t, ah.t, bl.t, bh.t}); return {l, h}; }
  std::pair<U64, U64> sub2(U64 al, U64 ah, U64 bl, U64 bh) { U64 l = local64(), h = local64(); m_b.emit(Opcode::Sub2_i64, {l.t, h.t, al.t, ah.t, bl.t, bh.t}); return {l, h}; }

  U32 setcond(Cond c, U32 a, U32 b) { U32 r = local32(); m_b.emit(Opcode::Setcond_i32, {r.t, a.t, b.t, uint64_t(c)}); return r; }
  U64 setcond(Cond c, U64 a, U64 b) { U64 r = local64(); m_b.emit(Opcode::Setcond_i64, {r.t, a.t, b.t, uint64_t(c)}); return r; }
  U32 negsetcond(Cond c, U32 a, U32 b) { U32 r = local32(); m_b.emit(Opcode::Negsetcond_i32, {r.t, a.t, b.t, uint64_t(c)}); return r; }
  U64 negsetcond(Cond c, U64 a, U64 b) { U64 r = local64(); m_b.emit(Opcode::Negsetcond_i64, {r.t, a.t, b.t, uint64_t(c)}); return r; }
  /// cond(c1, c2) ? v1 : v2
  U32 movcond(Cond c, U32 c1, U32 c2, U32 v1, U32 v2) { U32 r = local32(); m_b.emit(Opcode::Movcond_i32, {r.t, c1.t, c2.t, v1.t, v2.t, uint64_t(c)}); return r; }
  U64 movcond(Cond c, U64 c1, U64 c2, U64 v1, U64 v2) { U64 r = local64(); m_b.emit(Opcode::Movcond_i64, {r.t, c1.t, c2.t, v1.t, v2.t, uint64_t(c)}); return r; }

  U32 extract(U32 a, unsigned pos, unsigned len) { U32 r = local32(); m_b.emit(Opcode::Extract_i32, {r.t, a.t, pos, len}); return r; }
  U64 extract(U64 a, unsigned pos, unsigned len) { U64 r = local64(); m_b.emit(Opcode::Extract_i64, {r.t, a.t, pos, len}); return r; }
  U32 sextract(U32 a, unsigned pos, unsigned len) { U32 r = local32(); m_b.emit(Opcode::Sextract_i32, {r.t, a.t, pos, len}); return r; }
  U64 sextract(U64 a, unsigned pos, unsigned len) { U64 r = local64(); m_b.emit(Opcode::Sextract_i64, {r.t, a.t, pos, len}); return r; }
  U32 deposit(U32 a, U32 b, unsigned pos, unsigned len) { U32 r = local32(); m_b.emit(Opcode::Deposit_i32, {r.t, a.t, b.t, pos, len}); return r; }
  U64 deposit(U64 a, U64 b, unsigned pos, unsigned len) { U64 r = local64(); m_b.emit(Opcode::Deposit_i64, {r.t, a.t, b.t, pos, len}); return r; }

  /// Loads a guest-state field (offset in bytes, size/sign from mop).
  U32 ld_env32(int32_t off, MemOp mop = MemOp::u(2)) { U32 r = local32(); m_b.emit(Opcode::LdEnv_i32, {r.t, uint64_t(off), mop.pack()}); return r; }
  U64 ld_env64(int32_t off, MemOp mop = MemOp::u(3)) { U64 r = local64(); m_b.emit(Opcode::LdEnv_i64, {r.t, uint64_t(off), mop.pack()}); return r; }
  /// Stores to a guest-state field.
  void st_env(U32 v, int32_t off, MemOp mop = MemOp::u(2)) { m_b.emit(Opcode::StEnv_i32, {v.t, uint64_t(off), mop.pack()}); }
  void st_env(U64 v, int32_t off, MemOp mop = MemOp::u(3)) { m_b.emit(Opcode::StEnv_i64, {v.t, uint64_t(off), mop.pack()}); }

  /// Guest memory load at a 32-bit guest address.
  U32 ld32(U32 addr, MemOp mop) { U32 r = local32(); m_b.emit(Opcode::GuestLd_i32, {r.t, addr.t, mop.pack()}); return r; }
  /// Guest memory load at a 64-bit guest address.
  U32 ld32(U64 addr, MemOp mop) { U32 r = local32(); m_b.emit(Opcode::GuestLd_i32, {r.t, addr.t, mop.pack()}); return r; }
  U64 ld64(U32 addr, MemOp mop) { U64 r = local64(); m_b.emit(Opcode::GuestLd_i64, {r.t, addr.t, mop.pack()}); return r; }
  U64 ld64(U64 addr, MemOp mop) { U64 r = local64(); m_b.emit(Opcode::GuestLd_i64, {r.t, addr.t, mop.pack()}); return r; }
  /// Guest memory store.
  void st(U32 v, U32 addr, MemOp mop) { m_b.emit(Opcode::GuestSt_i32, {v.t, addr.t, mop.pack()}); }
  void st(U32 v, U64 addr, MemOp mop) { m_b.emit(Opcode::GuestSt_i32, {v.t, addr.t, mop.pack()}); }
  void st(U64 v, U32 addr, MemOp mop) { m_b.emit(Opcode::GuestSt_i64, {v.t, addr.t, mop.pack()}); }
  void st(U64 v, U64 addr, MemOp mop) { m_b.emit(Opcode::GuestSt_i64, {v.t, addr.t, mop.pack()}); }

  /// Calls helper `id` (index in the block's helper table) with 32/64-bit
  /// arguments; returns its result as a 64-bit temp (or an invalid handle).
  U64 call(uint32_t id, std::initializer_list<TempIdx> args, bool has_result);
  /// Calls a helper returning a 32-bit value.
  U32 call32(uint32_t id, std::initializer_list<TempIdx> args);
  /// Calls a helper returning nothing.
  void call0(uint32_t id, std::initializer_list<TempIdx> args);

  Label new_label() { return Label{m_b.new_label()}; }
  void set_label(Label l) { m_b.emit(Opcode::SetLabel, {l.id}); }
  void br(Label l) { m_b.emit(Opcode::Br, {l.id}); }
  void brcond(Cond c, U32 a, U32 b, Label l) { m_b.emit(Opcode::Brcond_i32, {a.t, b.t, uint64_t(c), l.id}); }
  void brcond(Cond c, U64 a, U64 b, Label l) { m_b.emit(Opcode::Brcond_i64, {a.t, b.t, uint64_t(c), l.id}); }

  /// Marks the start of a guest instruction at pc with two restore words.
  void insn_start(uint64_t pc, uint64_t d1 = 0, uint64_t d2 = 0) { m_b.emit(Opcode::InsnStart, {pc, d1, d2}); }
  /// Direct jump through chain slot 0 or 1 (must be followed by exit_tb).
  void goto_tb(unsigned slot) { m_b.emit(Opcode::GotoTb, {slot}); }
  /// Leaves generated code with a value for the exec loop (see tb.h ExitCode).
  void exit_tb(uint64_t v) { m_b.emit(Opcode::ExitTb, {v}); }
  /// Looks up the next block from guest state and jumps to it.
  void goto_ptr(uint64_t flags_hint = kGotoPtrNoHint) { m_b.emit(Opcode::GotoPtr, {flags_hint}); }
  void mb(unsigned kind = 0) { m_b.emit(Opcode::Mb, {kind}); }

 private:
  Block& m_b;
};

}  // namespace presil::tcg
