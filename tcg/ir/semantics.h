// SPDX-License-Identifier: Apache-2.0
// Reference semantics of the pure IR ops, shared by the interpreter and constant folding.
#pragma once

#include <bit>
#include <cstdint>

#include "tcg/ir/ir.h"

namespace presil::tcg::sem {

/// Evaluates a pure op: outputs from inputs and constants. Values are held in
/// 64 bits; I32 values are zero-extended and results are truncated to 32 bits.
using PureFn = void (*)(uint64_t* out, const uint64_t* in, const uint64_t* con);

namespace detail {
inline uint64_t mask32(uint64_t v) { return uint32_t(v); }
inline uint64_t field_mask(unsigned len) { return len >= 64 ? ~uint64_t(0) : (uint64_t(1) << len) - 1; }
inline uint64_t sext_field(uint64_t v, unsigned len) {
  if (len == 0 || len >= 64) return v;
  unsigned sh = 64 - len;
  return uint64_t(int64_t(v << sh) >> sh);
}
}  // namespace detail

// Width-generic helpers: W is uint32_t or uint64_t.
template <class W> struct Ops {
  using S = std::make_signed_t<W>;
  static constexpr unsigned kBits = sizeof(W) * 8;
  static W shl(W a, W b) { return W(a << (b % kBits)); }
  static W shr(W a, W b) { return W(a >> (b % kBits)); }
  static W sar(W a, W b) { return W(S(a) >> (b % kBits)); }
  static W rotl(W a, W b) { return std::rotl(a, int(b % kBits)); }
  static W rotr(W a, W b) { return std::rotr(a, int(b % kBits)); }
  static W div(W a, W b) {
    if (b == 0) return 0;
    if (S(b) == -1) return W(W(0) - a);  // MIN / -1 == MIN (wraps)
    return W(S(a) / S(b));
  }
  static W divu(W a, W b) { return b == 0 ? 0 : W(a / b); }
  static W rem(W a, W b) {
    if (b == 0) return a;
    if (S(b) == -1) return 0;
    return W(S(a) % S(b));
  }
  static W remu(W a, W b) { return b == 0 ? a : W(a % b); }
  static W clz(W a, W z) { return a == 0 ? z : W(std::countl_zero(a)); }
  static W ctz(W a, W z) { return a == 0 ? z : W(std::countr_zero(a)); }
  static W ctpop(W a) { return W(std::popcount(a)); }
};

/// Full-width product {lo, hi} of two W values.
template <class W, bool Signed> inline void mul2(W a, W b, W& lo, W& hi) {
  if constexpr (sizeof(W) == 4) {
    uint64_t p = Signed ? uint64_t(int64_t(int32_t(a)) * int64_t(int32_t(b))) : uint64_t(a) * uint64_t(b);
    lo = W(p), hi = W(p >> 32);
  } else {
    unsigned __int128 p = Signed ? (unsigned __int128)((__int128)int64_t(a) * (__int128)int64_t(b))
                                 : (unsigned __int128)a * b;
    lo = W(p), hi = W(p >> 64);
  }
}

/// Semantics of one opcode; nullptr for ops that are not pure value computations.
template <Opcode O> inline constexpr PureFn kSem = nullptr;
/// True when kSem<O> is defined (a compile-time fact even under sanitizers).
template <Opcode O> inline constexpr bool kHasSem = false;

#define PRESIL_SEM(op, ...)                                                                   \
  template <> inline constexpr bool kHasSem<Opcode::op> = true;                             \
  template <> inline constexpr PureFn kSem<Opcode::op> =                                    \
      [](uint64_t* out, const uint64_t* in, const uint64_t* con) { (void)in; (void)con; __VA_ARGS__; };
#define PRESIL_SEM_W(op, expr)                                                               \
  PRESIL_SEM(op##_i32, { using W = uint32_t; using O = Ops<W>; (void)sizeof(O); W a = W(in[0]); (void)a; out[0] = W(expr); }) \
  PRESIL_SEM(op##_i64, { using W = uint64_t; using O = Ops<W>; (void)sizeof(O); W a = W(in[0]); (void)a; out[0] = W(expr); })
#define B W(in[1])

PRESIL_SEM_W(Mov, a)
PRESIL_SEM(Movi_i32, out[0] = uint32_t(con[0]))
PRESIL_SEM(Movi_i64, out[0] = con[0])
PRESIL_SEM_W(Add, a + B)
PRESIL_SEM_W(Sub, a - B)
PRESIL_SEM_W(And, a & B)
PRESIL_SEM_W(Or, a | B)
PRESIL_SEM_W(Xor, a ^ B)
PRESIL_SEM_W(Andc, a & ~B)
PRESIL_SEM_W(Orc, a | ~B)
PRESIL_SEM_W(Eqv, ~(a ^ B))
PRESIL_SEM_W(Nand, ~(a & B))
PRESIL_SEM_W(Nor, ~(a | B))
PRESIL_SEM_W(Neg, W(0) - a)
PRESIL_SEM_W(Not, ~a)
PRESIL_SEM_W(Shl, O::shl(a, B))
PRESIL_SEM_W(Shr, O::shr(a, B))
PRESIL_SEM_W(Sar, O::sar(a, B))
PRESIL_SEM_W(Rotl, O::rotl(a, B))
PRESIL_SEM_W(Rotr, O::rotr(a, B))
PRESIL_SEM_W(Mul, a * B)
PRESIL_SEM_W(Div, O::div(a, B))
PRESIL_SEM_W(Divu, O::divu(a, B))
PRESIL_SEM_W(Rem, O::rem(a, B))
PRESIL_SEM_W(Remu, O::remu(a, B))
PRESIL_SEM_W(Clz, O::clz(a, B))
PRESIL_SEM_W(Ctz, O::ctz(a, B))
PRESIL_SEM_W(Ctpop, O::ctpop(a))
PRESIL_SEM_W(Ext8s, int8_t(a))
PRESIL_SEM_W(Ext8u, uint8_t(a))
PRESIL_SEM_W(Ext16s, int16_t(a))
PRESIL_SEM_W(Ext16u, uint16_t(a))
PRESIL_SEM_W(Bswap16, __builtin_bswap16(uint16_t(a)))
PRESIL_SEM_W(Bswap32, __builtin_bswap32(uint32_t(a)))
PRESIL_SEM(Bswap64_i64, out[0] = __builtin_bswap64(in[0]))
PRESIL_SEM(Ext32s_i64, out[0] = uint64_t(int64_t(int32_t(in[0]))))
PRESIL_SEM(Ext32u_i64, out[0] = uint32_t(in[0]))
PRESIL_SEM(ExtI32_i64, out[0] = uint64_t(int64_t(int32_t(in[0]))))
PRESIL_SEM(ExtuI32_i64, out[0] = uint32_t(in[0]))
PRESIL_SEM(ExtrlI64_i32, out[0] = uint32_t(in[0]))
PRESIL_SEM(ExtrhI64_i32, out[0] = uint32_t(in[0] >> 32))

#define PRESIL_SEM_MUL2(op, W, sg) \
  PRESIL_SEM(op, { W lo, hi; mul2<W, sg>(W(in[0]), W(in[1]), lo, hi); out[0] = lo; out[1] = hi; })
PRESIL_SEM_MUL2(Mulu2_i32, uint32_t, false)
PRESIL_SEM_MUL2(Mulu2_i64, uint64_t, false)
PRESIL_SEM_MUL2(Muls2_i32, uint32_t, true)
PRESIL_SEM_MUL2(Muls2_i64, uint64_t, true)
#undef PRESIL_SEM_MUL2

PRESIL_SEM(Add2_i32, {
  uint64_t a = uint64_t(uint32_t(in[1])) << 32 | uint32_t(in[0]);
  uint64_t b = uint64_t(uint32_t(in[3])) << 32 | uint32_t(in[2]);
  uint64_t r = a + b; out[0] = uint32_t(r); out[1] = uint32_t(r >> 32); })
PRESIL_SEM(Sub2_i32, {
  uint64_t a = uint64_t(uint32_t(in[1])) << 32 | uint32_t(in[0]);
  uint64_t b = uint64_t(uint32_t(in[3])) << 32 | uint32_t(in[2]);
  uint64_t r = a - b; out[0] = uint32_t(r); out[1] = uint32_t(r >> 32); })
PRESIL_SEM(Add2_i64, {
  unsigned __int128 a = (unsigned __int128)in[1] << 64 | in[0];
  unsigned __int128 b = (unsigned __int128)in[3] << 64 | in[2];
  unsigned __int128 r = a + b; out[0] = uint64_t(r); out[1] = uint64_t(r >> 64); })
PRESIL_SEM(Sub2_i64, {
  unsigned __int128 a = (unsigned __int128)in[1] << 64 | in[0];
  unsigned __int128 b = (unsigned __int128)in[3] << 64 | in[2];
  unsigned __int128 r = a - b; out[0] = uint64_t(r); out[1] = uint64_t(r >> 64); })

PRESIL_SEM(Setcond_i32, out[0] = eval_cond(Cond(con[0]), in[0], in[1], Type::I32) ? 1 : 0)
PRESIL_SEM(Setcond_i64, out[0] = eval_cond(Cond(con[0]), in[0], in[1], Type::I64) ? 1 : 0)
PRESIL_SEM(Negsetcond_i32, out[0] = eval_cond(Cond(con[0]), in[0], in[1], Type::I32) ? 0xffffffffu : 0)
PRESIL_SEM(Negsetcond_i64, out[0] = eval_cond(Cond(con[0]), in[0], in[1], Type::I64) ? ~uint64_t(0) : 0)
PRESIL_SEM(Movcond_i32, out[0] = uint32_t(eval_cond(Cond(con[0]), in[0], in[1], Type::I32) ? in[2] : in[3]))
PRESIL_SEM(Movcond_i64, out[0] = eval_cond(Cond(con[0]), in[0], in[1], Type::I64) ? in[2] : in[3])

PRESIL_SEM(Extract_i32, out[0] = uint32_t((in[0] >> con[0]) & detail::field_mask(unsigned(con[1]))))
PRESIL_SEM(Extract_i64, out[0] = (in[0] >> con[0]) & detail::field_mask(unsigned(con[1])))
PRESIL_SEM(Sextract_i32, out[0] = uint32_t(detail::sext_field((uint32_t(in[0]) >> con[0]) & detail::field_mask(unsigned(con[1])), unsigned(con[1]))))
PRESIL_SEM(Sextract_i64, out[0] = detail::sext_field((in[0] >> con[0]) & detail::field_mask(unsigned(con[1])), unsigned(con[1])))
PRESIL_SEM(Deposit_i32, {
  uint64_t m = detail::field_mask(unsigned(con[1])) << con[0];
  out[0] = uint32_t((in[0] & ~m) | ((in[1] << con[0]) & m)); })
PRESIL_SEM(Deposit_i64, {
  uint64_t m = detail::field_mask(unsigned(con[1])) << con[0];
  out[0] = (in[0] & ~m) | ((in[1] << con[0]) & m); })

#undef B
#undef PRESIL_SEM_W
#undef PRESIL_SEM

/// Semantics table indexed by Opcode (nullptr for non-pure ops).
inline constexpr PureFn kSemTable[] = {
#define PRESIL_OP(name, type, nout, nin, ncon, flags) kSem<Opcode::name>,
#include "tcg/ir/opcodes.inc"
#undef PRESIL_OP
};

// Every op flagged Pure must have semantics here.
#define PRESIL_OP(name, type, nout, nin, ncon, flags)                                         \
  static_assert(((flags) & (OpFlag::SideEffects | OpFlag::ReadsEnv)) != 0 || kHasSem<Opcode::name>, \
                "pure op without semantics: " #name);
namespace check {
using namespace OpFlag;
#include "tcg/ir/opcodes.inc"
}  // namespace check
#undef PRESIL_OP

/// The semantics of opc, or nullptr.
inline PureFn pure_fn(Opcode opc) { return kSemTable[static_cast<size_t>(opc)]; }

}  // namespace presil::tcg::sem
