// SPDX-License-Identifier: Apache-2.0
// Host helpers of the ARM front-end; system-register work is forwarded to the M-profile model.
#include "cpu/arm/translate/helpers.h"

#include "cpu/arm/m_profile.h"
#include "cpu/arm/state.h"
#include "tcg/engine.h"

namespace presil::cpu::arm {
namespace {

ArmState& st(void* env) { return *static_cast<ArmState*>(env); }

[[noreturn]] void raise_now(void* env, int32_t excp, uint32_t cfsr) {
  st(env).fault_cfsr = cfsr;
  tcg::Engine::of(env).raise(excp, 0);
}

uint64_t h_raise(void* env, uint64_t excp, uint64_t cfsr, uint64_t, uint64_t) {
  raise_now(env, int32_t(excp), uint32_t(cfsr));
}

uint64_t h_bx_write(void* env, uint64_t value, uint64_t, uint64_t, uint64_t) {
  ArmState& s = st(env);
  const uint32_t v = uint32_t(value);
  if (s.ipsr != 0 && (v >> 28) == 0xf) {
    s.exc_return = v;
    if (s.m_profile) {
      MProfile::of(env).exception_return(v);
      return 1;
    }
    tcg::Engine::of(env).raise(kExcpExceptionReturn, 0);
  }
  s.r[15] = v & ~1u;
  // EPSR.T <- bit 0: the next instruction takes INVSTATE when it is clear.
  s.thumb = v & 1;
  return 0;
}

uint64_t h_ssat(void*, uint64_t v, uint64_t bits, uint64_t, uint64_t) {
  const int64_t x = int32_t(uint32_t(v));
  const int64_t hi = (int64_t(1) << (bits - 1)) - 1, lo = -(int64_t(1) << (bits - 1));
  if (x > hi) return uint64_t(1) << 32 | uint32_t(hi);
  if (x < lo) return uint64_t(1) << 32 | uint32_t(lo);
  return uint32_t(x);
}

uint64_t h_usat(void*, uint64_t v, uint64_t bits, uint64_t, uint64_t) {
  const int64_t x = int32_t(uint32_t(v));
  const int64_t hi = (int64_t(1) << bits) - 1;
  if (x > hi) return uint64_t(1) << 32 | uint32_t(hi);
  if (x < 0) return uint64_t(1) << 32;
  return uint32_t(x);
}

constexpr uint32_t kCcrDiv0Trp = 1u << 4;

uint64_t h_sdiv(void* env, uint64_t nv, uint64_t mv, uint64_t, uint64_t) {
  const int32_t n = int32_t(uint32_t(nv)), m = int32_t(uint32_t(mv));
  if (m == 0) {
    if (st(env).ccr & kCcrDiv0Trp) raise_now(env, kExcpUsageFault, Cfsr::Divbyzero);
    return 0;
  }
  if (n == INT32_MIN && m == -1) return uint32_t(INT32_MIN);
  return uint32_t(n / m);
}

uint64_t h_udiv(void* env, uint64_t nv, uint64_t mv, uint64_t, uint64_t) {
  const uint32_t n = uint32_t(nv), m = uint32_t(mv);
  if (m == 0) {
    if (st(env).ccr & kCcrDiv0Trp) raise_now(env, kExcpUsageFault, Cfsr::Divbyzero);
    return 0;
  }
  return n / m;
}

uint64_t h_rbit(void*, uint64_t v, uint64_t, uint64_t, uint64_t) {
  uint32_t x = uint32_t(v), r = 0;
  for (int i = 0; i < 32; ++i, x >>= 1) r = r << 1 | (x & 1);
  return r;
}

/// True when an M-profile system model is bound to the state (tests may run without one).
bool bound(void* env) { return st(env).m_profile != nullptr; }

// Without an M-profile model bound, MRS/MSR see only the APSR (flags) and the rest reads as zero.
uint64_t h_mrs(void* env, uint64_t sysm, uint64_t, uint64_t, uint64_t) {
  if (bound(env)) return MProfile::of(env).mrs(uint32_t(sysm));
  return sysm <= 3 ? arm_apsr(st(env)) : 0;
}

uint64_t h_msr(void* env, uint64_t sysm, uint64_t mask, uint64_t value, uint64_t) {
  if (bound(env)) {
    MProfile::of(env).msr(uint32_t(sysm), uint32_t(mask), uint32_t(value));
    return 0;
  }
  if (sysm <= 3 && (mask & 2)) arm_set_apsr(st(env), uint32_t(value));
  return 0;
}

uint64_t h_cps(void* env, uint64_t disable, uint64_t i, uint64_t f, uint64_t) {
  if (bound(env)) {
    MProfile::of(env).cps(disable != 0, i != 0, f != 0);
    return 0;
  }
  if (i) st(env).primask = disable ? 1 : 0;
  if (f) st(env).faultmask = disable ? 1 : 0;
  return 0;
}

uint64_t h_wfi(void* env, uint64_t, uint64_t, uint64_t, uint64_t) {
  if (bound(env)) {
    MProfile::of(env).wfi();
    return 0;
  }
  tcg::Engine::of(env).raise(kExcpHalt, 0);
}

uint64_t h_wfe(void* env, uint64_t, uint64_t, uint64_t, uint64_t) {
  if (bound(env)) {
    MProfile::of(env).wfe();
    return 0;
  }
  tcg::Engine::of(env).raise(kExcpHalt, 0);
}

uint64_t h_sev(void* env, uint64_t, uint64_t, uint64_t, uint64_t) {
  if (bound(env)) MProfile::of(env).sev();
  return 0;
}

constexpr uint32_t kPure =
    tcg::HelperFlag::NoSideEffects | tcg::HelperFlag::NoReadGlobals | tcg::HelperFlag::NoWriteGlobals;

}  // namespace

const std::vector<tcg::HelperInfo>& arm_helpers() {
  using tcg::HelperFlag::MayRaise;
  using tcg::HelperFlag::NoReturn;
  using tcg::HelperFlag::NoWriteGlobals;
  static const std::vector<tcg::HelperInfo> table = {
      {"arm_raise", h_raise, 2, false, MayRaise | NoReturn},
      {"arm_bx_write", h_bx_write, 1, true, MayRaise},
      {"arm_ssat", h_ssat, 2, true, kPure},
      {"arm_usat", h_usat, 2, true, kPure},
      {"arm_sdiv", h_sdiv, 2, true, MayRaise | NoWriteGlobals},
      {"arm_udiv", h_udiv, 2, true, MayRaise | NoWriteGlobals},
      {"arm_rbit", h_rbit, 1, true, kPure},
      {"arm_mrs", h_mrs, 1, true, NoWriteGlobals},
      {"arm_msr", h_msr, 3, false, 0},
      {"arm_cps", h_cps, 3, false, 0},
      {"arm_wfi", h_wfi, 0, false, MayRaise},
      {"arm_wfe", h_wfe, 0, false, MayRaise},
      {"arm_sev", h_sev, 0, false, 0},
  };
  return table;
}

}  // namespace presil::cpu::arm
