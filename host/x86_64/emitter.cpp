// SPDX-License-Identifier: Apache-2.0
// x86-64 lowering of IR ops: register allocator, op handlers, soft-TLB fast path, slow paths.
#include "host/x86_64/emitter.h"

#include <fmt/format.h>

#include <algorithm>
#include <climits>
#include <cstddef>
#include <iterator>
#include <stdexcept>

namespace presil::host::x86_64 {

using tcg::Cond;
using tcg::MemOp;
using tcg::Op;
using tcg::Opcode;
using tcg::TempIdx;
using tcg::Type;
namespace OpFlag = tcg::OpFlag;
using Xbyak::CodeGenerator;

namespace {

enum : int { RAX = 0, RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8, R9, R10, R11, R12, R13, R14, R15 };

constexpr RegMask bit(int r) { return RegMask(1) << r; }
/// Registers the allocator hands out: all but rsp, rbp (env), r11 (emitter's own
/// temporary), r14 (CpuCommon::counter while generated code runs) and r15
/// (CpuCommon::fastmem_base); the entry trampoline loads r14 and r15, the
/// epilogue stores r14 back.
constexpr RegMask kAllocatable = 0xffffu & ~(bit(RSP) | bit(RBP) | bit(R11) | bit(R14) | bit(R15));
/// Registers a call clobbers (System V).
constexpr RegMask kCallerSaved = bit(RAX) | bit(RCX) | bit(RDX) | bit(RSI) | bit(RDI) | bit(R8) |
                                 bit(R9) | bit(R10) | bit(R11);
/// Allocation order for block-local values: registers without fixed roles first.
constexpr int kOrderLocal[] = {R8, R9, R10, RSI, RDI, RAX, RCX, RDX, RBX, R12, R13};
/// Allocation order for globals: callee-saved first so they survive helper calls.
constexpr int kOrderGlobal[] = {RBX, R12, R13, R8, R9, R10, RSI, RDI, RAX, RCX, RDX};
constexpr int kNumOrder = int(std::size(kOrderLocal));
static_assert(std::size(kOrderGlobal) == std::size(kOrderLocal));
/// Helper argument registers after env (rdi).
constexpr int kArgRegs[] = {RSI, RDX, RCX, R8};

using SetFn = void (CodeGenerator::*)(const Xbyak::Operand&);
using CmovFn = void (CodeGenerator::*)(const Xbyak::Reg&, const Xbyak::Operand&);
using JccFn = void (CodeGenerator::*)(const Xbyak::Label&, Xbyak::CodeGenerator::LabelType);

/// x86 lowering of each IR condition (indexed by Cond): compare with cmp or test, then cc.
struct CondRow {
  bool test;
  SetFn set;
  CmovFn cmov;
  JccFn jcc;
};
const CondRow kCond[] = {
    /* Never  */ {false, nullptr, nullptr, nullptr},
    /* Always */ {false, nullptr, nullptr, nullptr},
    /* Eq     */ {false, &CodeGenerator::sete, &CodeGenerator::cmove, &CodeGenerator::je},
    /* Ne     */ {false, &CodeGenerator::setne, &CodeGenerator::cmovne, &CodeGenerator::jne},
    /* Lt     */ {false, &CodeGenerator::setl, &CodeGenerator::cmovl, &CodeGenerator::jl},
    /* Ge     */ {false, &CodeGenerator::setge, &CodeGenerator::cmovge, &CodeGenerator::jge},
    /* Le     */ {false, &CodeGenerator::setle, &CodeGenerator::cmovle, &CodeGenerator::jle},
    /* Gt     */ {false, &CodeGenerator::setg, &CodeGenerator::cmovg, &CodeGenerator::jg},
    /* Ltu    */ {false, &CodeGenerator::setb, &CodeGenerator::cmovb, &CodeGenerator::jb},
    /* Geu    */ {false, &CodeGenerator::setae, &CodeGenerator::cmovae, &CodeGenerator::jae},
    /* Leu    */ {false, &CodeGenerator::setbe, &CodeGenerator::cmovbe, &CodeGenerator::jbe},
    /* Gtu    */ {false, &CodeGenerator::seta, &CodeGenerator::cmova, &CodeGenerator::ja},
    /* TstEq  */ {true, &CodeGenerator::sete, &CodeGenerator::cmove, &CodeGenerator::je},
    /* TstNe  */ {true, &CodeGenerator::setne, &CodeGenerator::cmovne, &CodeGenerator::jne},
};

Xbyak::Reg64 q(int r) { return Xbyak::Reg64(r); }
Xbyak::Reg32 d(int r) { return Xbyak::Reg32(r); }
Xbyak::Reg rw(int r, bool w64) { return w64 ? Xbyak::Reg(Xbyak::Reg64(r)) : Xbyak::Reg(Xbyak::Reg32(r)); }
Xbyak::Reg8 b8(int r) { return Xbyak::Reg64(r).cvt8(); }
Xbyak::Reg16 h16(int r) { return Xbyak::Reg64(r).cvt16(); }
bool fits_i32(uint64_t v) { return int64_t(v) == int64_t(int32_t(v)); }
bool is64(const Op& op) { return op.info().type == Type::I64; }

constexpr int32_t kCounterOff = PRESIL_COMMON_OFFSET(counter);
constexpr int32_t kTlbOff = PRESIL_COMMON_OFFSET(tlb);
constexpr int32_t kFaultPcOff = PRESIL_COMMON_OFFSET(fault_host_pc);

}  // namespace

Emitter::Emitter(uint8_t* code, size_t capacity, const tcg::Runtime& rt, const HostFeatures& features,
                 const uint8_t* epilogue, const uint8_t* budget_stub)
    : Xbyak::CodeGenerator(capacity, code),
      m_rt(rt),
      m_features(features),
      m_epilogue(epilogue),
      m_budget_stub(budget_stub) {
  std::fill(std::begin(m_owner), std::end(m_owner), -1);
}

// ---------------------------------------------------------------------------
// Liveness: per op, which operands are dead afterwards. Regions are the spans
// between labels; a local seen in two regions lives in a stack slot across
// labels ("cross"), every other local dies at its region's end. Globals and
// cross locals are live at every branch, label and block exit; calls and ops
// that may raise read all globals.
// ---------------------------------------------------------------------------
void Emitter::analyse(const tcg::Block& block) {
  const size_t nt = block.temps().size();
  m_ts.assign(nt, TempState{});
  m_globals.clear();
  m_cross.clear();
  for (TempIdx t = 0; t < nt; ++t) {
    const tcg::TempInfo& ti = block.temp(t);
    TempState& s = m_ts[t];
    s.w64 = ti.type == tcg::Type::I64;
    s.global = ti.kind == tcg::TempKind::Global;
    s.env_offset = ti.env_offset;
    if (s.global) {
      s.mem_ok = true;
      m_globals.push_back(t);
    }
  }
  const auto& ops = block.ops();
  for (const Op& op : ops) {
    if ((op.opc == Opcode::Movi_i32 || op.opc == Opcode::Movi_i64) &&
        block.temp(op.out(0)).kind == tcg::TempKind::Const) {
      TempState& s = m_ts[op.out(0)];
      s.perm_const = s.is_const = true;
      s.cval = s.w64 ? op.con(0) : uint32_t(op.con(0));
    }
  }
  // A local is "cross" when it appears in two regions, or is read in a region
  // after a label before that region writes it (its value arrives through a branch).
  std::vector<int32_t> region(nt, -1), written(nt, -1);
  int32_t cur = 0;
  auto make_cross = [&](TempIdx t) {
    TempState& s = m_ts[t];
    s.cross = true;
    s.slot = alloc_slot();  // its home at every label, whichever path reaches it
    m_cross.push_back(t);
  };
  for (const Op& op : ops) {
    if (op.opc == Opcode::SetLabel) ++cur;
    const unsigned n = op.nout + op.nin;
    for (unsigned k = 0; k < n; ++k) {
      const unsigned i = (k + op.nout) % n;  // inputs first, then outputs
      const bool is_out = i < op.nout;
      TempIdx t = TempIdx(op.args[i]);
      TempState& s = m_ts[t];
      if (s.global || s.perm_const) continue;
      if (!s.cross) {
        if (region[t] < 0) region[t] = cur;
        if (region[t] != cur || (!is_out && cur > 0 && written[t] != cur)) make_cross(t);
      }
      if (is_out) written[t] = cur;
    }
  }

  std::vector<uint8_t> live(nt, 0);
  auto add_boundary = [&] {
    for (TempIdx g : m_globals) live[g] = 1;
    for (TempIdx x : m_cross) live[x] = 1;
  };
  auto reset = [&] {
    std::fill(live.begin(), live.end(), 0);
    add_boundary();
  };
  auto read_env = [&](int32_t off, unsigned size) {
    for (TempIdx g : m_globals) {
      int32_t go = m_ts[g].env_offset, ge = go + (m_ts[g].w64 ? 8 : 4);
      if (go < off + int32_t(size) && off < ge) live[g] = 1;
    }
  };
  // A Mov into a global that no later op of the block reads explicitly is a
  // store to the guest state (write-through): no register copy of a value
  // that is only written back at the exit. Conservative over branches: any
  // later read in code order keeps the global in a register.
  m_store_through.assign(ops.size(), 0);
  {
    std::vector<uint8_t> read_later(nt, 0);
    for (size_t i = ops.size(); i-- > 0;) {
      const Op& op = ops[i];
      if ((op.opc == Opcode::Mov_i32 || op.opc == Opcode::Mov_i64) && m_ts[op.out(0)].global &&
          !read_later[op.out(0)]) {
        m_store_through[i] = 1;
      }
      for (unsigned k = 0; k < op.nin; ++k) read_later[op.in(k)] = 1;
    }
  }
  reset();
  m_op_dead.assign(ops.size(), 0);
  for (size_t i = ops.size(); i-- > 0;) {
    const Op& op = ops[i];
    const uint32_t f = op.info().flags;
    if (f & (OpFlag::CondBranch | OpFlag::TbExit)) {
      if ((f & OpFlag::BlockEnd) && !(f & OpFlag::CondBranch)) reset();  // no fall-through
      add_boundary();
    } else if (f & OpFlag::BlockEnd) {
      reset();
    }
    uint8_t bits = 0;
    for (unsigned o = 0; o < op.nout; ++o) {
      if (!live[op.out(o)]) bits |= uint8_t(1u << o);
      live[op.out(o)] = 0;
    }
    bool reads_globals = (f & OpFlag::MayRaise) || op.opc == Opcode::GotoPtr;
    if (op.opc == Opcode::Call) {
      const auto* helpers = block.helpers();
      uint32_t hf = helpers && op.con(0) < helpers->size() ? (*helpers)[op.con(0)].flags : 0;
      reads_globals = !(hf & tcg::HelperFlag::NoReadGlobals) || (hf & tcg::HelperFlag::MayRaise) ||
                      !(hf & tcg::HelperFlag::NoWriteGlobals);
    }
    if (reads_globals) {
      for (TempIdx g : m_globals) live[g] = 1;
    }
    if (op.opc == Opcode::LdEnv_i32 || op.opc == Opcode::LdEnv_i64 || op.opc == Opcode::StEnv_i32 ||
        op.opc == Opcode::StEnv_i64) {
      read_env(int32_t(op.con(0)), MemOp::unpack(op.con(1)).bytes());
    }
    for (unsigned in = 0; in < op.nin; ++in) {
      if (!live[op.in(in)]) bits |= uint8_t(1u << (op.nout + in));
      live[op.in(in)] = 1;
    }
    if (op.opc == Opcode::SetLabel) reset();
    m_op_dead[i] = bits;
  }
}

// ---------------------------------------------------------------------------
// Register allocator.
// ---------------------------------------------------------------------------
RegMask Emitter::owned() const {
  RegMask m = 0;
  for (int r = 0; r < 16; ++r) {
    if (m_owner[r] >= 0) m |= bit(r);
  }
  return m;
}

int32_t Emitter::alloc_slot() {
  if (!m_free_slots.empty()) {
    int32_t s = m_free_slots.back();
    m_free_slots.pop_back();
    return s;
  }
  if (m_next_slot >= int32_t(X64Backend::kSpillSlots)) {
    throw std::runtime_error(
        fmt::format("x86_64 back-end: block needs more than {} spill slots", X64Backend::kSpillSlots));
  }
  return m_next_slot++;
}

Xbyak::Address Emitter::home(TempIdx t) {
  const TempState& s = m_ts[t];
  const Xbyak::AddressFrame& frame = s.w64 ? qword : dword;
  if (s.global) return frame[rbp + s.env_offset];
  return frame[rsp + s.slot * 8];
}

void Emitter::bind(TempIdx t, int r) {
  m_owner[r] = int(t);
  m_ts[t].reg = int8_t(r);
}

void Emitter::unbind(TempIdx t) {
  TempState& s = m_ts[t];
  if (s.reg >= 0) {
    m_owner[s.reg] = -1;
    s.reg = -1;
  }
}

void Emitter::mov_imm(int r, uint64_t v, bool w64) {
  if (!w64 || v <= 0xffffffffu) {
    mov(d(r), uint32_t(v));
  } else {
    mov(q(r), v);
  }
}

void Emitter::store_imm(const Xbyak::Address& a, unsigned size_log2, uint64_t v) {
  static constexpr uint64_t kMask[] = {0xff, 0xffff, 0xffffffff, ~uint64_t(0)};
  if (size_log2 == 3 && !fits_i32(v)) {
    mov(r11, v);
    mov(a, r11);
  } else {
    mov(a, v & kMask[size_log2]);
  }
}

void Emitter::sync(TempIdx t) {
  TempState& s = m_ts[t];
  if (s.mem_ok || s.perm_const) return;
  if (!s.global && s.slot < 0) {
    if (s.reg < 0 && !s.is_const) return;  // no value to keep
    s.slot = alloc_slot();
  }
  if (s.reg < 0 && !s.is_const) {  // nothing newer than memory (or no value at all)
    s.mem_ok = true;
    return;
  }
  if (s.reg >= 0) {
    mov(home(t), rw(s.reg, s.w64));
  } else if (s.is_const) {
    store_imm(home(t), s.w64 ? 3 : 2, s.cval);
  }
  s.mem_ok = true;
}

void Emitter::evict(int r) {
  int t = m_owner[r];
  if (t < 0) return;
  sync(TempIdx(t));
  unbind(TempIdx(t));
}

void Emitter::vacate(int r) {
  int t = m_owner[r];
  if (t < 0) return;
  RegMask free = kAllocatable & ~m_locked & ~owned() & ~bit(r);
  if (!free) {
    evict(r);
    return;
  }
  const int* order = m_ts[t].global ? kOrderGlobal : kOrderLocal;
  for (int k = 0; k < kNumOrder; ++k) {
    int r2 = order[k];
    if (free & bit(r2)) {
      mov(q(r2), q(r));
      unbind(TempIdx(t));
      bind(TempIdx(t), r2);
      return;
    }
  }
}

int Emitter::alloc(RegMask allowed, bool prefer_callee) {
  const RegMask ok = allowed & kAllocatable & ~m_locked;
  const int* order = prefer_callee ? kOrderGlobal : kOrderLocal;
  for (int k = 0; k < kNumOrder; ++k) {
    int r = order[k];
    if ((ok & bit(r)) && m_owner[r] < 0) return r;
  }
  int victim = -1;
  for (int k = 0; k < kNumOrder; ++k) {
    int r = order[k];
    if (!(ok & bit(r))) continue;
    const TempState& s = m_ts[m_owner[r]];
    if (s.mem_ok || s.is_const) {
      victim = r;
      break;
    }
    if (victim < 0) victim = r;
  }
  if (victim < 0) throw std::logic_error("x86_64 back-end: no register left for an op");
  vacate(victim);
  return victim;
}

void Emitter::load_value(int r, TempIdx t) {
  const TempState& s = m_ts[t];
  if (s.reg >= 0) {
    if (s.reg != r) mov(q(r), q(s.reg));
  } else if (s.is_const) {
    mov_imm(r, s.cval, s.w64);
  } else if (s.mem_ok && (s.global || s.slot >= 0)) {
    mov(rw(r, s.w64), home(t));
  }
  // else: a local read before it was written; its value is undefined
}

int Emitter::use(TempIdx t, RegMask allowed) {
  TempState& s = m_ts[t];
  allowed &= kAllocatable;
  if (s.reg >= 0) {
    if (allowed & bit(s.reg)) {
      lock_reg(s.reg);
      return s.reg;
    }
    const int old = s.reg;
    const int r = alloc(allowed, s.global);
    mov(q(r), q(old));
    if (!(m_locked & bit(old))) {
      unbind(t);
      bind(t, r);
    }
    lock_reg(r);
    return r;
  }
  const int r = alloc(allowed, s.global);
  load_value(r, t);
  bind(t, r);
  lock_reg(r);
  return r;
}

int Emitter::scratch(RegMask allowed) {
  const int r = alloc(allowed);
  lock_reg(r);
  return r;
}

void Emitter::clobber(int r) {
  vacate(r);
  lock_reg(r);
}

bool Emitter::is_input(const Op& op, TempIdx t, int except) const {
  for (unsigned i = 0; i < op.nin; ++i) {
    if (int(i) != except && op.in(i) == t) return true;
  }
  return false;
}

int Emitter::use_fixed(const Op& op, unsigned in, int r) {
  const TempIdx t = op.in(in);
  if (m_ts[t].reg == r) {
    if (dead_in(op, in) && !is_input(op, t, int(in))) {
      unbind(t);
    } else {
      vacate(r);
    }
    lock_reg(r);
    return r;
  }
  clobber(r);
  load_value(r, t);
  return r;
}

int Emitter::define(const Op& op, unsigned out, int from, int rf, RegMask allowed, bool copy) {
  const TempIdx t = op.out(out);
  TempState& s = m_ts[t];
  allowed &= kAllocatable;
  if (from >= 0 && rf >= 0) {
    const TempIdx f = op.in(unsigned(from));
    if (dead_in(op, unsigned(from)) && m_ts[f].reg == rf && !is_input(op, f, from) &&
        (allowed & bit(rf))) {
      unbind(f);
      if (s.reg >= 0) unbind(t);
      bind(t, rf);
      lock_reg(rf);
      s.mem_ok = false;
      s.is_const = false;
      return rf;
    }
  }
  int rd = -1;
  if (s.reg >= 0) {
    if (!is_input(op, t) && (allowed & bit(s.reg)) && !(m_locked & bit(s.reg))) {
      rd = s.reg;
    } else {
      unbind(t);
    }
  }
  if (rd < 0) {
    rd = alloc(allowed, s.global);
    bind(t, rd);
  }
  lock_reg(rd);
  if (copy && rf >= 0 && rf != rd) mov(q(rd), q(rf));
  s.mem_ok = false;
  s.is_const = false;
  return rd;
}

void Emitter::define_fixed(const Op& op, unsigned out, int r) {
  const TempIdx t = op.out(out);
  TempState& s = m_ts[t];
  if (s.reg >= 0 && s.reg != r) unbind(t);
  if (m_owner[r] >= 0 && m_owner[r] != int(t)) unbind(TempIdx(m_owner[r]));
  bind(t, r);
  lock_reg(r);
  s.mem_ok = false;
  s.is_const = false;
}

bool Emitter::imm_of(TempIdx t, bool w64, int32_t& imm) const {
  const TempState& s = m_ts[t];
  if (!s.is_const || (w64 && !fits_i32(s.cval))) return false;
  imm = int32_t(uint32_t(s.cval));
  return true;
}

void Emitter::set_const(TempIdx t, uint64_t v) {
  TempState& s = m_ts[t];
  unbind(t);
  s.is_const = true;
  s.cval = s.w64 ? v : uint32_t(v);
  s.mem_ok = false;
}

void Emitter::release_dead(TempIdx t) {
  TempState& s = m_ts[t];
  unbind(t);
  if (s.perm_const) return;
  s.is_const = false;
  if (s.global) {
    s.mem_ok = true;  // overwritten before it is read again: nothing to write back
    return;
  }
  s.mem_ok = false;
  if (!s.cross && s.slot >= 0) {
    m_free_slots.push_back(s.slot);
    s.slot = -1;
  }
}

void Emitter::sync_globals() {
  for (TempIdx g : m_globals) sync(g);
}

void Emitter::sync_boundary() {
  sync_globals();
  for (TempIdx x : m_cross) sync(x);
}

void Emitter::drop_all() {
  for (TempIdx t = 0; t < m_ts.size(); ++t) {
    TempState& s = m_ts[t];
    unbind(t);
    if (s.perm_const || s.global || s.cross) continue;
    s.is_const = false;
    s.mem_ok = false;
    if (s.slot >= 0) {
      m_free_slots.push_back(s.slot);
      s.slot = -1;
    }
  }
  for (TempIdx t : m_cross) {
    m_ts[t].is_const = false;
    m_ts[t].mem_ok = true;  // a label's incoming paths left it in its slot
  }
  for (TempIdx g : m_globals) m_ts[g].is_const = false;
}

void Emitter::cleanup(const Op& op) {
  for (unsigned i = 0; i < op.nin; ++i) {
    if (!dead_in(op, i)) continue;
    const TempIdx t = op.in(i);
    bool is_out = false;
    for (unsigned o = 0; o < op.nout; ++o) is_out |= op.out(o) == t;
    if (!is_out) release_dead(t);
  }
  for (unsigned o = 0; o < op.nout; ++o) {
    if (dead(op, o)) release_dead(op.out(o));
  }
}

void Emitter::parallel_move(std::vector<std::pair<int, int>> moves) {
  std::erase_if(moves, [](const auto& m) { return m.first == m.second; });
  while (!moves.empty()) {
    bool progress = false;
    for (size_t k = 0; k < moves.size(); ++k) {
      const int dst = moves[k].first;
      bool is_src = false;
      for (size_t j = 0; j < moves.size(); ++j) is_src |= j != k && moves[j].second == dst;
      if (!is_src) {
        mov(q(dst), q(moves[k].second));
        moves.erase(moves.begin() + std::ptrdiff_t(k));
        progress = true;
        break;
      }
    }
    if (!progress) {  // a cycle: park one destination's value in r11
      const int d0 = moves[0].first;
      mov(r11, q(d0));
      for (auto& m : moves) {
        if (m.second == d0) m.second = R11;
      }
    }
  }
}

// ---------------------------------------------------------------------------
// Emission helpers.
// ---------------------------------------------------------------------------
void Emitter::alu(Alu k, const Xbyak::Reg& dst, const Xbyak::Operand& s) {
  switch (k) {
    case Alu::Add: add(dst, s); break;
    case Alu::Sub: sub(dst, s); break;
    case Alu::And: and_(dst, s); break;
    case Alu::Or: or_(dst, s); break;
    case Alu::Xor: xor_(dst, s); break;
    case Alu::Adc: adc(dst, s); break;
    case Alu::Sbb: sbb(dst, s); break;
  }
}

void Emitter::alu(Alu k, const Xbyak::Reg& dst, uint32_t imm) {
  switch (k) {
    case Alu::Add: add(dst, imm); break;
    case Alu::Sub: sub(dst, imm); break;
    case Alu::And: and_(dst, imm); break;
    case Alu::Or: or_(dst, imm); break;
    case Alu::Xor: xor_(dst, imm); break;
    case Alu::Adc: adc(dst, imm); break;
    case Alu::Sbb: sbb(dst, imm); break;
  }
}

void Emitter::call_out(Xbyak::Label* after_call) {
  // C++ sees (and may change) the run counter in the guest state during the call.
  mov(qword[rbp + kCounterOff], r14);
  call(rax);
  if (after_call) L(*after_call);
  mov(r14, qword[rbp + kCounterOff]);
}

void Emitter::exit_with(uintptr_t value) {
  mov(rax, uint64_t(value));
  jmp(m_epilogue, T_NEAR);
}

bool Emitter::fold_into_access(const Op& op) {
  // `a = x + c` used only as the address of the next op, a fast guest access:
  // the access addresses [r15 + x + c] itself (no lea). c stays inside the
  // fast-memory guard, so x + c beyond 4 GiB faults into the slow path, which
  // then computes the 32-bit address.
  if (!m_rt.fastmem || is64(op) || m_op_index + 1 >= m_block->ops().size()) return false;
  const Op& next = m_block->ops()[m_op_index + 1];
  const bool load = next.opc == Opcode::GuestLd_i32 || next.opc == Opcode::GuestLd_i64;
  const bool store = next.opc == Opcode::GuestSt_i32 || next.opc == Opcode::GuestSt_i64;
  const unsigned addr_in = store ? 1 : 0;
  const TempIdx a = op.out(0);
  if (!(load || store) || next.in(addr_in) != a || (store && next.in(0) == a) || m_ts[a].global ||
      !((m_op_dead[m_op_index + 1] >> (next.nout + addr_in)) & 1) || MemOp::unpack(next.con(0)).align_log2) {
    return false;
  }
  int32_t c = 0;
  const unsigned ic = imm_of(op.in(1), false, c) ? 1 : imm_of(op.in(0), false, c) ? 0 : 2;
  if (ic == 2 || c < 0 || c > kMaxFoldDisp) return false;
  const unsigned ix = 1 - ic;
  if (dead_in(op, ix) || m_ts[op.in(ix)].is_const) return false;
  m_fold = {a, op.in(ix), c, m_op_index};
  return true;
}

bool Emitter::fold_scaled_index(const Op& op, int32_t shift) {
  if (is64(op) || shift < 1 || shift > 3 || m_op_index + 1 >= m_block->ops().size()) return false;
  const Op& next = m_block->ops()[m_op_index + 1];
  const TempIdx t = op.out(0);
  if (next.opc != Opcode::Add_i32 || m_ts[t].global || (next.in(0) == t) == (next.in(1) == t)) return false;
  const unsigned at = next.in(0) == t ? 0 : 1;
  const TempIdx other = next.in(1 - at);
  // The shift's result dies at the add; what was shifted and the other addend are registers
  // there (not constants: an add of a constant is folded into a following access instead).
  if (!((m_op_dead[m_op_index + 1] >> (next.nout + at)) & 1) || dead_in(op, 0) || m_ts[op.in(0)].is_const ||
      m_ts[other].is_const || other == op.in(0)) {
    return false;
  }
  m_scaled = {t, op.in(0), uint8_t(shift), m_op_index};
  return true;
}

void Emitter::binary(const Op& op, Alu k, bool commutative, bool invert_result) {
  if (m_scaled.out != kNoTemp && (op.in(0) == m_scaled.out || op.in(1) == m_scaled.out)) {
    // x + (y << k), the shift left to this add (fold_scaled_index): 32-bit lea wraps like the add.
    const unsigned is = op.in(0) == m_scaled.out ? 0 : 1;
    const int rx = use(op.in(1 - is));
    const int ry = use(m_scaled.index);
    const int rd = define(op, 0, int(1 - is), rx, ~0u, false);
    lea(d(rd), ptr[q(rx) + q(ry) * (1 << m_scaled.shift)]);
    m_scaled = {};
    return;
  }
  if (k == Alu::Add && !invert_result && fold_into_access(op)) return;
  const bool w = is64(op);
  int ia = 0, ib = 1;
  int32_t imm = 0;
  if (commutative && imm_of(op.in(0), w, imm) && !imm_of(op.in(1), w, imm)) std::swap(ia, ib);
  const bool bimm = imm_of(op.in(unsigned(ib)), w, imm);
  int ra = use(op.in(unsigned(ia)));
  int rb = bimm ? -1 : use(op.in(unsigned(ib)));
  if (commutative && !bimm && !dead_in(op, unsigned(ia)) && dead_in(op, unsigned(ib))) {
    std::swap(ia, ib);
    std::swap(ra, rb);
  }
  const bool three_op = (k == Alu::Add || (k == Alu::Sub && bimm && imm != INT32_MIN)) && !invert_result;
  const int rd = define(op, 0, ia, ra, ~0u, !three_op);
  if (three_op && rd != ra) {
    // three-operand add: lea instead of mov + add when the input register lives on
    const int32_t disp = k == Alu::Sub ? -imm : imm;
    const Xbyak::RegExp e = bimm ? q(ra) + disp : q(ra) + q(rb);
    w ? lea(q(rd), ptr[e]) : lea(d(rd), ptr[e]);
    return;
  }
  if (bimm) {
    alu(k, rw(rd, w), uint32_t(imm));
  } else {
    alu(k, rw(rd, w), rw(rb, w));
  }
  if (invert_result) not_(rw(rd, w));
}

void Emitter::move(const Op& op) {
  const TempIdx t = op.out(0), s = op.in(0);
  if (t == s) return;
  if (m_ts[s].is_const && m_ts[s].reg < 0) {
    set_const(t, m_ts[s].cval);
    return;
  }
  const int rs = use(s);
  if (m_store_through[m_op_index]) {
    TempState& ts = m_ts[t];
    unbind(t);
    mov(home(t), rw(rs, ts.w64));
    ts.mem_ok = true;
    ts.is_const = false;
    return;
  }
  define(op, 0, 0, rs);
}

// a & ~b, a | ~b: andn when the host has it, else invert a copy of b (or the immediate).
void Emitter::andc_orc(const Op& op, bool is_or) {
  const bool w = is64(op);
  int32_t imm = 0;
  const int ra = use(op.in(0));
  if (imm_of(op.in(1), w, imm)) {
    const int rd = define(op, 0, 0, ra);
    alu(is_or ? Alu::Or : Alu::And, rw(rd, w), ~uint32_t(imm));
    return;
  }
  const int rb = use(op.in(1));
  if (!is_or && m_features.bmi1) {
    const int rd = define(op, 0, 0, ra, ~0u, false);
    w ? andn(q(rd), q(rb), q(ra)) : andn(d(rd), d(rb), d(ra));
    return;
  }
  const int rt = scratch();
  mov(q(rt), q(rb));
  not_(rw(rt, w));
  const int rd = define(op, 0, 0, ra);
  alu(is_or ? Alu::Or : Alu::And, rw(rd, w), rw(rt, w));
}

void Emitter::mul_op(const Op& op) {
  const bool w = is64(op);
  int32_t imm = 0;
  int ia = 0, ib = 1;
  if (imm_of(op.in(0), w, imm) && !imm_of(op.in(1), w, imm)) std::swap(ia, ib);
  if (imm_of(op.in(unsigned(ib)), w, imm)) {
    const int ra = use(op.in(unsigned(ia)));
    const int rd = define(op, 0, ia, ra, ~0u, false);
    imul(rw(rd, w), rw(ra, w), imm);
    return;
  }
  int ra = use(op.in(0));
  int rb = use(op.in(1));
  if (!dead_in(op, 0) && dead_in(op, 1)) {
    std::swap(ia, ib);
    std::swap(ra, rb);
  }
  const int rd = define(op, 0, ia, ra);
  imul(rw(rd, w), rw(rb, w));
}

void Emitter::unary(const Op& op, int kind) {
  const bool w = is64(op);
  const int ra = use(op.in(0));
  const int rd = define(op, 0, 0, ra);
  if (kind == 0) {
    neg(rw(rd, w));
  } else {
    not_(rw(rd, w));
  }
}

void Emitter::shift(const Op& op, int kind) {
  const bool w = is64(op);
  int32_t imm = 0;
  const unsigned mask = w ? 63 : 31;
  int rd;
  const bool cimm = imm_of(op.in(1), w, imm);
  if (cimm && kind == 0 && fold_scaled_index(op, int32_t(unsigned(imm) & mask))) return;
  if (cimm) {
    const int ra = use(op.in(0));
    rd = define(op, 0, 0, ra);
    imm = int32_t(unsigned(imm) & mask);
    if (imm == 0) return;
  } else {
    use(op.in(1), bit(RCX));
    const int ra = use(op.in(0), ~bit(RCX));
    rd = define(op, 0, 0, ra, ~bit(RCX));
  }
  const Xbyak::Reg r = rw(rd, w);
  switch (kind) {
    case 0: cimm ? shl(r, imm) : shl(r, cl); break;
    case 1: cimm ? shr(r, imm) : shr(r, cl); break;
    case 2: cimm ? sar(r, imm) : sar(r, cl); break;
    case 3: cimm ? rol(r, imm) : rol(r, cl); break;
    default: cimm ? ror(r, imm) : ror(r, cl); break;
  }
}

void Emitter::extend(const Op& op, unsigned bits, bool sign, bool w64_dst) {
  const int rs = use(op.in(0));
  const int rd = define(op, 0, 0, rs, ~0u, false);
  if (bits == 8) {
    sign ? movsx(rw(rd, w64_dst), b8(rs)) : movzx(d(rd), b8(rs));
  } else if (bits == 16) {
    sign ? movsx(rw(rd, w64_dst), h16(rs)) : movzx(d(rd), h16(rs));
  } else if (sign) {
    movsxd(q(rd), d(rs));
  } else {
    mov(d(rd), d(rs));
  }
}

void Emitter::cmp_emit(int ra, int rb, int32_t imm, Cond c, bool w) {
  const CondRow& row = kCond[unsigned(c)];
  if (row.test) {
    rb >= 0 ? test(rw(ra, w), rw(rb, w)) : test(rw(ra, w), uint32_t(imm));
  } else {
    rb >= 0 ? cmp(rw(ra, w), rw(rb, w)) : cmp(rw(ra, w), uint32_t(imm));
  }
}

void Emitter::setcond(const Op& op, bool negate) {
  const bool w = is64(op);
  const Cond c = Cond(op.con(0));
  if (c == Cond::Never || c == Cond::Always) {
    const int rd = define(op, 0);
    uint64_t v = c == Cond::Always ? (negate ? ~uint64_t(0) : 1) : 0;
    mov_imm(rd, w ? v : uint32_t(v), w);
    return;
  }
  int32_t imm = 0;
  const bool bimm = imm_of(op.in(1), w, imm);
  const int ra = use(op.in(0));
  const int rb = bimm ? -1 : use(op.in(1));
  const int rd = define(op, 0, 0, ra, ~0u, false);
  cmp_emit(ra, rb, imm, c, w);
  (this->*kCond[unsigned(c)].set)(b8(rd));
  movzx(d(rd), b8(rd));
  if (negate) neg(rw(rd, w));
}

void Emitter::movcond(const Op& op) {
  const bool w = is64(op);
  const Cond c = Cond(op.con(0));
  if (c == Cond::Never || c == Cond::Always) {
    const unsigned from = c == Cond::Always ? 2 : 3;
    const int rs = use(op.in(from));
    define(op, 0, int(from), rs);
    return;
  }
  int32_t imm = 0;
  const bool bimm = imm_of(op.in(1), w, imm);
  const int rc1 = use(op.in(0));
  const int rc2 = bimm ? -1 : use(op.in(1));
  const int rv1 = use(op.in(2));
  const int rv2 = use(op.in(3));
  const int rd = define(op, 0, 3, rv2);
  cmp_emit(rc1, rc2, imm, c, w);
  (this->*kCond[unsigned(c)].cmov)(rw(rd, w), rw(rv1, w));
}

void Emitter::brcond(const Op& op) {
  const bool w = is64(op);
  const Cond c = Cond(op.con(0));
  Xbyak::Label& target = m_labels.at(op.con(1));
  if (c == Cond::Never || c == Cond::Always) {
    sync_boundary();
    if (c == Cond::Always) jmp(target, T_NEAR);
    return;
  }
  int32_t imm = 0;
  const bool bimm = imm_of(op.in(1), w, imm);
  const int ra = use(op.in(0));
  const int rb = bimm ? -1 : use(op.in(1));
  sync_boundary();
  cmp_emit(ra, rb, imm, c, w);
  (this->*kCond[unsigned(c)].jcc)(target, T_NEAR);
}

void Emitter::muldiv2(const Op& op, bool sign) {
  const bool w = is64(op);
  use_fixed(op, 0, RAX);
  clobber(RDX);
  const int rb = use(op.in(1), ~(bit(RAX) | bit(RDX)));
  sign ? imul(rw(rb, w)) : mul(rw(rb, w));
  define_fixed(op, 0, RAX);
  define_fixed(op, 1, RDX);
}

void Emitter::addsub2(const Op& op, bool sub) {
  const bool w = is64(op);
  int32_t il = 0, ih = 0;
  const bool bli = imm_of(op.in(2), w, il), bhi = imm_of(op.in(3), w, ih);
  const int ral = use(op.in(0));
  const int rah = use(op.in(1));
  const int rbl = bli ? -1 : use(op.in(2));
  const int rbh = bhi ? -1 : use(op.in(3));
  const int rlo = define(op, 0, 0, ral);
  const int rhi = define(op, 1, 1, rah);
  bli ? alu(sub ? Alu::Sub : Alu::Add, rw(rlo, w), uint32_t(il))
      : alu(sub ? Alu::Sub : Alu::Add, rw(rlo, w), rw(rbl, w));
  bhi ? alu(sub ? Alu::Sbb : Alu::Adc, rw(rhi, w), uint32_t(ih))
      : alu(sub ? Alu::Sbb : Alu::Adc, rw(rhi, w), rw(rbh, w));
}

void Emitter::divide(const Op& op, bool sign, bool rem) {
  const bool w = is64(op);
  use_fixed(op, 0, RAX);
  clobber(RDX);
  const int rb = use(op.in(1), ~(bit(RAX) | bit(RDX)));
  Xbyak::Label zero, minus1, done;
  test(rw(rb, w), rw(rb, w));
  jz(zero, T_NEAR);
  if (sign) {
    cmp(rw(rb, w), -1);
    je(minus1, T_NEAR);
    w ? cqo() : cdq();
    idiv(rw(rb, w));
  } else {
    xor_(edx, edx);
    div(rw(rb, w));
  }
  jmp(done, T_NEAR);
  L(zero);  // x / 0 == 0, x % 0 == x
  rem ? mov(rw(RDX, w), rw(RAX, w)) : xor_(eax, eax);
  if (sign) {
    jmp(done, T_NEAR);
    L(minus1);  // x / -1 == -x (MIN stays MIN), x % -1 == 0
    rem ? xor_(edx, edx) : neg(rw(RAX, w));
  }
  L(done);
  define_fixed(op, 0, rem ? RDX : RAX);
}

void Emitter::extract(const Op& op, bool sign) {
  const bool w = is64(op);
  const unsigned W = w ? 64 : 32;
  const unsigned pos = unsigned(op.con(0)), len = unsigned(op.con(1));
  const int rs = use(op.in(0));
  if (pos == 0 && (len == 8 || len == 16 || (len == 32 && w))) {
    const int rd = define(op, 0, 0, rs, ~0u, false);
    if (len == 8) {
      sign ? movsx(rw(rd, w), b8(rs)) : movzx(d(rd), b8(rs));
    } else if (len == 16) {
      sign ? movsx(rw(rd, w), h16(rs)) : movzx(d(rd), h16(rs));
    } else {
      sign ? movsxd(q(rd), d(rs)) : mov(d(rd), d(rs));
    }
    return;
  }
  const int rd = define(op, 0, 0, rs);
  const Xbyak::Reg r = rw(rd, w);
  if (len >= W) return;
  if (!sign) {
    if (pos + len == W) {
      shr(r, int(pos));
    } else if (len < 32) {
      if (pos) shr(r, int(pos));
      and_(r, uint32_t((1u << len) - 1));
    } else {
      shl(r, int(W - pos - len));
      shr(r, int(W - len));
    }
  } else {
    if (W - pos - len) shl(r, int(W - pos - len));
    sar(r, int(W - len));
  }
}

void Emitter::deposit(const Op& op) {
  const bool w = is64(op);
  const unsigned W = w ? 64 : 32;
  const unsigned pos = unsigned(op.con(0)), len = unsigned(op.con(1));
  if (len >= W) {
    const int rb = use(op.in(1));
    define(op, 0, 1, rb);
    return;
  }
  const int ra = use(op.in(0));
  const int rb = use(op.in(1));
  const int rt = scratch();
  mov(q(rt), q(rb));
  shl(rw(rt, w), int(W - len));
  if (W - len - pos) shr(rw(rt, w), int(W - len - pos));
  const int rd = define(op, 0, 0, ra);
  uint64_t clear = ~(((uint64_t(1) << len) - 1) << pos);
  if (!w) {
    and_(d(rd), uint32_t(clear));
  } else if (fits_i32(clear)) {
    and_(q(rd), uint32_t(clear));
  } else {
    mov(r11, clear);
    and_(q(rd), r11);
  }
  or_(rw(rd, w), rw(rt, w));
}

void Emitter::bitcount(const Op& op, int kind) {
  const bool w = is64(op);
  const unsigned W = w ? 64 : 32;
  const int rx = use(op.in(0));
  if (kind == 2) {
    const int rd = define(op, 0, 0, rx, ~0u, false);
    popcnt(rw(rd, w), rw(rx, w));
    return;
  }
  const bool hw = kind == 0 ? m_features.lzcnt : m_features.bmi1;
  const TempState& z = m_ts[op.in(1)];
  if (hw && z.is_const && z.cval == W) {
    const int rd = define(op, 0, 0, rx, ~0u, false);
    kind == 0 ? lzcnt(rw(rd, w), rw(rx, w)) : tzcnt(rw(rd, w), rw(rx, w));
    return;
  }
  const int rz = use(op.in(1));
  const int rd = define(op, 0);
  const Xbyak::Reg R = rw(rd, w);
  if (hw) {
    kind == 0 ? lzcnt(R, rw(rx, w)) : tzcnt(R, rw(rx, w));
    cmovb(R, rw(rz, w));  // CF: the source was zero
  } else if (kind == 0) {
    bsr(R, rw(rx, w));
    xor_(R, W - 1);
    test(rw(rx, w), rw(rx, w));
    cmovz(R, rw(rz, w));
  } else {
    bsf(R, rw(rx, w));
    cmovz(R, rw(rz, w));
  }
}

void Emitter::bswap_op(const Op& op, unsigned bits) {
  const bool w = is64(op);
  const int rs = use(op.in(0));
  if (bits == 16) {
    const int rd = define(op, 0, 0, rs, ~0u, false);
    movzx(d(rd), h16(rs));
    rol(h16(rd), 8);
  } else if (bits == 32 && w) {
    const int rd = define(op, 0, 0, rs, ~0u, false);
    mov(d(rd), d(rs));
    bswap(d(rd));
  } else {
    const int rd = define(op, 0, 0, rs);
    w ? bswap(q(rd)) : bswap(d(rd));
  }
}

// Guest-state accesses that overlap a cached global: write the global back
// first; after a store, the env copy is the only valid one.
void Emitter::env_overlap(int32_t off, unsigned size, bool store_after) {
  for (TempIdx g : m_globals) {
    TempState& s = m_ts[g];
    const int32_t go = s.env_offset, ge = go + (s.w64 ? 8 : 4);
    if (!(go < off + int32_t(size) && off < ge)) continue;
    if (!store_after) {
      sync(g);
    } else {
      unbind(g);
      s.is_const = false;
      s.mem_ok = true;
    }
  }
}

void Emitter::ld_env(const Op& op) {
  const bool w = is64(op);
  const int32_t off = int32_t(op.con(0));
  const MemOp mop = MemOp::unpack(op.con(1));
  env_overlap(off, mop.bytes(), false);
  const int rd = define(op, 0);
  const Xbyak::RegExp e = rbp + off;
  switch (mop.size_log2) {
    case 0: mop.sign ? movsx(rw(rd, w), byte[e]) : movzx(d(rd), byte[e]); break;
    case 1: mop.sign ? movsx(rw(rd, w), word[e]) : movzx(d(rd), word[e]); break;
    case 2: mop.sign && w ? movsxd(q(rd), dword[e]) : mov(d(rd), dword[e]); break;
    default: w ? mov(q(rd), qword[e]) : mov(d(rd), dword[e]); break;
  }
}

void Emitter::st_env(const Op& op) {
  const int32_t off = int32_t(op.con(0));
  const MemOp mop = MemOp::unpack(op.con(1));
  env_overlap(off, mop.bytes(), false);
  const Xbyak::RegExp e = rbp + off;
  const TempState& vs = m_ts[op.in(0)];
  if (vs.is_const && (mop.size_log2 < 3 || fits_i32(vs.cval))) {
    const Xbyak::AddressFrame* frames[] = {&byte, &word, &dword, &qword};
    store_imm((*frames[mop.size_log2])[e], mop.size_log2, vs.cval);
  } else {
    const int rv = use(op.in(0));
    switch (mop.size_log2) {
      case 0: mov(byte[e], b8(rv)); break;
      case 1: mov(word[e], h16(rv)); break;
      case 2: mov(dword[e], d(rv)); break;
      default: mov(qword[e], q(rv)); break;
    }
  }
  env_overlap(off, mop.bytes(), true);
}

// ---------------------------------------------------------------------------
// Guest memory: inline soft-TLB lookup, out-of-line slow path.
// ---------------------------------------------------------------------------
void Emitter::capture_saves(SlowPath& sp) {
  for (TempIdx g : m_globals) {
    const TempState& s = m_ts[g];
    if (s.mem_ok) continue;
    if (s.reg >= 0) {
      sp.saves.push_back({s.env_offset, s.w64, s.reg, 0});
    } else if (s.is_const) {
      sp.saves.push_back({s.env_offset, s.w64, -1, s.cval});
    }
  }
}

void Emitter::tlb_lookup(SlowPath& sp, int ra, MemOp mop, int t1, int t2) {
  sp.host_pc = reinterpret_cast<uintptr_t>(getCurr()) + 1;  // inside this instruction's code
  const bool a64 = sp.addr64;
  if (mop.align_log2) {
    test(d(ra), (1u << mop.align_log2) - 1);
    jnz(sp.entry, T_NEAR);
  }
  // t2 = tcg::tlb_index(addr) * sizeof(TlbEntry) = (page * 32 + bits 29-30 of addr at
  // (kTlbBits - 2 + 5)) masked. rorx copies and shifts in one instruction; t1 keeps only the two
  // region bits (no carry from t2's low garbage bits, which the final mask drops).
  constexpr int kSh1 = int(tcg::kPageBits) - 5, kSh2 = 29 - int(tcg::kTlbBits - 2 + 5);
  constexpr uint32_t kIndexMask = (tcg::kTlbSize - 1) << 5;
  constexpr uint32_t kRegionMask = 3u << (tcg::kTlbBits - 2 + 5);
  if (m_features.bmi2) {
    a64 ? rorx(q(t2), q(ra), kSh1) : rorx(d(t2), d(ra), kSh1);
    a64 ? rorx(q(t1), q(ra), kSh2) : rorx(d(t1), d(ra), kSh2);
  } else {
    a64 ? mov(q(t2), q(ra)) : mov(d(t2), d(ra));
    shr(q(t2), kSh1);
    a64 ? mov(q(t1), q(ra)) : mov(d(t1), d(ra));
    shr(q(t1), kSh2);
  }
  and_(d(t1), kRegionMask);
  add(d(t2), d(t1));
  and_(d(t2), kIndexMask);
  if (mop.size_log2 > 0 && mop.align_log2 < mop.size_log2) {
    const int last = int(mop.bytes() - 1);
    a64 ? lea(q(t1), ptr[q(ra) + last]) : lea(d(t1), ptr[q(ra) + last]);
  } else {
    a64 ? mov(q(t1), q(ra)) : mov(d(t1), d(ra));
  }
  a64 ? and_(q(t1), uint32_t(int32_t(tcg::kPageMask))) : and_(d(t1), uint32_t(tcg::kPageMask));
  const int32_t tag = kTlbOff + int32_t(sp.store ? offsetof(tcg::TlbEntry, addr_write)
                                                 : offsetof(tcg::TlbEntry, addr_read));
  cmp(q(t1), qword[rbp + q(t2) + tag]);
  jne(sp.entry, T_NEAR);
  mov(q(t1), qword[rbp + q(t2) + int32_t(kTlbOff + offsetof(tcg::TlbEntry, addend))]);
}

bool Emitter::fast_access(const SlowPath& sp) const { return m_rt.fastmem && !sp.addr64; }

int Emitter::address(SlowPath& sp, TempIdx addr, MemOp mop) {
  if (m_fold.addr == addr) {
    sp.addr_disp = m_fold.disp;
    const TempIdx base = m_fold.base;
    m_fold = {};
    return use(base);
  }
  return const_address(sp, addr, mop) ? -1 : use(addr);
}

bool Emitter::const_address(SlowPath& sp, TempIdx addr, MemOp mop) {
  int32_t imm = 0;
  if (!fast_access(sp) || !imm_of(addr, false, imm) || imm < 0 ||
      (mop.align_log2 && (imm & ((1 << mop.align_log2) - 1)))) {
    return false;
  }
  sp.addr_imm = uint32_t(imm);  // [r15 + disp32]: no register for the address (literal pools)
  return true;
}

Xbyak::RegExp Emitter::begin_access(SlowPath& sp, int ra, MemOp mop, int t1, int t2) {
  if (!fast_access(sp)) {
    tlb_lookup(sp, ra, mop, t1, t2);
    return q(t1) + q(ra);
  }
  // Fast memory: one host access at fastmem_base (r15) + the zero-extended
  // 32-bit address. An alignment fault is still checked inline.
  if (mop.align_log2 && ra >= 0) {
    test(d(ra), (1u << mop.align_log2) - 1);
    jnz(sp.entry, T_NEAR);
  }
  sp.site = getCurr();
  sp.host_pc = reinterpret_cast<uintptr_t>(sp.site) + 1;
  if (ra < 0) return r15 + int32_t(sp.addr_imm);
  return sp.addr_disp ? r15 + q(ra) + sp.addr_disp : r15 + q(ra);
}

void Emitter::end_access(SlowPath& sp) {
  // A site is patched into `jmp rel32` to its slow path: at least 5 bytes.
  while (sp.site && getCurr() < sp.site + 5) nop();
  sp.site_end = getCurr();
  L(sp.ret);
  m_slow_pending = true;
}

void Emitter::guest_ld(const Op& op) {
  if (!m_rt.load) throw std::logic_error("x86_64 back-end: guest load without Runtime::load");
  const bool w = is64(op);
  const MemOp mop = MemOp::unpack(op.con(0));
  SlowPath& sp = m_slow.emplace_back();
  sp.memop = uint32_t(op.con(0));
  sp.addr64 = m_ts[op.in(0)].w64;
  sp.dst64 = w;
  const int ra = address(sp, op.in(0), mop);
  const bool fast = fast_access(sp);
  const int t1 = fast ? -1 : scratch(), t2 = fast ? -1 : scratch();
  capture_saves(sp);
  const int rd = define(op, 0, 0, ra, ~0u, false);
  sp.addr_reg = ra;
  sp.dst_reg = rd;
  const Xbyak::RegExp e = begin_access(sp, ra, mop, t1, t2);
  switch (mop.size_log2) {
    case 0:
      mop.sign ? movsx(rw(rd, w), byte[e]) : movzx(d(rd), byte[e]);
      break;
    case 1:
      if (mop.big_endian) {
        movzx(d(rd), word[e]);
        rol(h16(rd), 8);
        if (mop.sign) movsx(rw(rd, w), h16(rd));
      } else {
        mop.sign ? movsx(rw(rd, w), word[e]) : movzx(d(rd), word[e]);
      }
      break;
    case 2:
      mov(d(rd), dword[e]);
      if (mop.big_endian) bswap(d(rd));
      if (mop.sign && w) movsxd(q(rd), d(rd));
      break;
    default:
      mov(q(rd), qword[e]);
      if (mop.big_endian) bswap(q(rd));
      if (!w) mov(d(rd), d(rd));
      break;
  }
  end_access(sp);
}

void Emitter::guest_st(const Op& op) {
  if (!m_rt.store) throw std::logic_error("x86_64 back-end: guest store without Runtime::store");
  const MemOp mop = MemOp::unpack(op.con(0));
  const TempIdx v = op.in(0);
  SlowPath& sp = m_slow.emplace_back();
  sp.store = true;
  sp.memop = uint32_t(op.con(0));
  sp.addr64 = m_ts[op.in(1)].w64;
  // A constant value is stored as an immediate (byte-swapped at translation time).
  const TempState& vs = m_ts[v];
  const unsigned bits = mop.bytes() * 8;
  uint64_t imm = vs.cval;
  if (bits < 64) imm &= (uint64_t(1) << bits) - 1;
  if (mop.big_endian && vs.is_const) {
    imm = bits == 8 ? imm : bits == 16 ? __builtin_bswap16(uint16_t(imm))
                          : bits == 32 ? __builtin_bswap32(uint32_t(imm)) : __builtin_bswap64(imm);
  }
  const bool vimm = vs.is_const && (bits < 64 || fits_i32(imm));
  const int rv = vimm ? -1 : use(v);
  const int ra = address(sp, op.in(1), mop);
  const bool swap = !vimm && mop.big_endian && bits > 8;
  const bool fast = fast_access(sp);
  const int t1 = fast ? -1 : scratch(), t2 = fast && !swap ? -1 : scratch();
  capture_saves(sp);
  sp.addr_reg = ra;
  sp.val_reg = rv;
  sp.val_imm = vs.cval;
  const Xbyak::RegExp e = begin_access(sp, ra, mop, t1, t2);
  int src = rv;
  if (swap) {
    mov(q(t2), q(rv));
    bits == 16 ? rol(h16(t2), 8) : bits == 32 ? bswap(d(t2)) : bswap(q(t2));
    src = t2;
  }
  const Xbyak::AddressFrame* frames[] = {&byte, &word, &dword, &qword};
  const Xbyak::Address dst = (*frames[mop.size_log2])[e];
  if (vimm) {
    store_imm(dst, mop.size_log2, imm);
  } else {
    switch (mop.size_log2) {
      case 0: mov(dst, b8(src)); break;
      case 1: mov(dst, h16(src)); break;
      case 2: mov(dst, d(src)); break;
      default: mov(dst, q(src)); break;
    }
  }
  end_access(sp);
}

void Emitter::emit_slow_path(SlowPath& sp) {
  L(sp.entry);
  for (const auto& s : sp.saves) {
    const Xbyak::Address a = (s.w64 ? qword : dword)[rbp + s.offset];
    if (s.reg >= 0) {
      mov(a, rw(s.reg, s.w64));
    } else {
      store_imm(a, s.w64 ? 3 : 2, s.imm);
    }
  }
  int pushed[16];
  int npushed = 0;
  for (int r = 0; r < 16; ++r) {
    if ((sp.live & bit(r)) && r != R11) pushed[npushed++] = r;
  }
  for (int i = 0; i < npushed; ++i) push(q(pushed[i]));
  const bool pad = npushed % 2 != 0;
  if (pad) sub(rsp, 8);
  mov(r11, uint64_t(sp.host_pc));
  mov(qword[rbp + kFaultPcOff], r11);
  if (sp.addr_reg < 0) {
    mov(r11d, sp.addr_imm);
  } else if (sp.addr_disp) {
    lea(r11d, ptr[q(sp.addr_reg) + sp.addr_disp]);  // 32-bit: wraps like the guest address
  } else {
    sp.addr64 ? mov(r11, q(sp.addr_reg)) : mov(r11d, d(sp.addr_reg));
  }
  if (sp.store) {
    if (sp.val_reg >= 0) {
      mov(rdx, q(sp.val_reg));
    } else {
      mov(rdx, sp.val_imm);
    }
    mov(rsi, r11);
    mov(rdi, rbp);
    mov(ecx, sp.memop);
    mov(r8, uint64_t(sp.host_pc));
    mov(rax, reinterpret_cast<uint64_t>(m_rt.store));
  } else {
    mov(rsi, r11);
    mov(rdi, rbp);
    mov(edx, sp.memop);
    mov(rcx, uint64_t(sp.host_pc));
    mov(rax, reinterpret_cast<uint64_t>(m_rt.load));
  }
  call_out();
  if (!sp.store) mov(r11, rax);
  if (pad) add(rsp, 8);
  for (int i = npushed; i-- > 0;) pop(q(pushed[i]));
  if (!sp.store) sp.dst64 ? mov(q(sp.dst_reg), r11) : mov(d(sp.dst_reg), r11d);
  jmp(sp.ret, T_NEAR);
}

// ---------------------------------------------------------------------------
// The block.
// ---------------------------------------------------------------------------
namespace {
using Handler = void (Emitter::*)(const Op&);
constexpr Handler kHandlers[] = {
#define PRESIL_OP(name, type, nout, nin, ncon, flags) &Emitter::op_##name,
#include "tcg/ir/opcodes.inc"
#undef PRESIL_OP
};
static_assert(std::size(kHandlers) == size_t(Opcode::Count));
}  // namespace

void Emitter::emit_block(const tcg::Block& block, tcg::TranslationBlock& tb) {
  m_block = &block;
  m_tb = &tb;
  analyse(block);
  m_labels.clear();
  m_labels.resize(block.num_labels());
  tb.insn_code_end.clear();
  m_insn_count = 0;
  tb.jmp_patch_offset = {~0u, ~0u};

  // Entry: charge the block's cycles and count its instructions in one
  // subtraction from the run counter (CpuCommon::counter, in r14), or leave
  // without running it: `sub` sets the flags of the 64-bit result, whose sign
  // is the sign of the cycle half, so jl is exactly "budget < cycles".
  Xbyak::Label requested;
  const int64_t charge = tcg::CpuCommon::entry_charge(tb.cycles, tb.num_insns);
  if (fits_i32(uint64_t(charge))) {
    sub(r14, int32_t(charge));
  } else {
    mov(r11, charge);
    sub(r14, r11);
  }
  jl(requested, T_NEAR);

  const auto& ops = block.ops();
  for (size_t i = 0; i < ops.size(); ++i) {
    const Op& op = ops[i];
    m_locked = 0;
    m_dead = m_op_dead[i];
    m_op_index = i;
    if (m_fold.addr != kNoTemp && i > m_fold.op + 1) {
      throw std::logic_error("x86_64 back-end: folded address not consumed by its access");
    }
    if (m_scaled.out != kNoTemp && i > m_scaled.op + 1) {
      throw std::logic_error("x86_64 back-end: folded scaled index not consumed by its add");
    }
    bool skip = op.nout > 0 && !(op.info().flags & OpFlag::SideEffects);
    for (unsigned o = 0; o < op.nout && skip; ++o) skip = dead(op, o);
    if (!skip) (this->*kHandlers[size_t(op.opc)])(op);
    cleanup(op);
    if (m_slow_pending) {
      SlowPath& sp = m_slow.back();
      sp.live = owned() & kCallerSaved & ~(sp.dst_reg >= 0 ? bit(sp.dst_reg) : 0);
      m_slow_pending = false;
    }
  }
  if (m_insn_count) tb.insn_code_end.push_back(uint32_t(getSize()));
  // Falling off the end (the front-end ends every path; this is a safety net).
  sync_globals();
  exit_with(reinterpret_cast<uintptr_t>(&tb) | tcg::ExitCode::NoChain);
  L(requested);  // give the charge back: the block did not run
  if (fits_i32(uint64_t(charge))) {
    add(r14, int32_t(charge));
  } else {
    mov(r11, charge);
    add(r14, r11);
  }
  mov(rax, uint64_t(reinterpret_cast<uintptr_t>(&tb) | tcg::ExitCode::Requested));
  jmp(m_budget_stub ? m_budget_stub : m_epilogue, T_NEAR);  // the stub may go on instead of exiting
  for (SlowPath& sp : m_slow) emit_slow_path(sp);
  for (const SlowPath& sp : m_slow) {
    if (sp.site) {
      fast_sites.push_back({reinterpret_cast<uintptr_t>(sp.site), reinterpret_cast<uintptr_t>(sp.site_end),
                            reinterpret_cast<uintptr_t>(sp.entry.getAddress())});
    }
  }
}

// ---------------------------------------------------------------------------
// Op handlers (one per row of opcodes.inc).
// ---------------------------------------------------------------------------
void Emitter::op_Mov_i32(const Op& op) { move(op); }
void Emitter::op_Mov_i64(const Op& op) { move(op); }
void Emitter::op_Movi_i32(const Op& op) { set_const(op.out(0), op.con(0)); }
void Emitter::op_Movi_i64(const Op& op) { set_const(op.out(0), op.con(0)); }
void Emitter::op_Add_i32(const Op& op) { binary(op, Alu::Add, true); }
void Emitter::op_Add_i64(const Op& op) { binary(op, Alu::Add, true); }
void Emitter::op_Sub_i32(const Op& op) { binary(op, Alu::Sub, false); }
void Emitter::op_Sub_i64(const Op& op) { binary(op, Alu::Sub, false); }
void Emitter::op_And_i32(const Op& op) { binary(op, Alu::And, true); }
void Emitter::op_And_i64(const Op& op) { binary(op, Alu::And, true); }
void Emitter::op_Or_i32(const Op& op) { binary(op, Alu::Or, true); }
void Emitter::op_Or_i64(const Op& op) { binary(op, Alu::Or, true); }
void Emitter::op_Xor_i32(const Op& op) { binary(op, Alu::Xor, true); }
void Emitter::op_Xor_i64(const Op& op) { binary(op, Alu::Xor, true); }
void Emitter::op_Eqv_i32(const Op& op) { binary(op, Alu::Xor, true, true); }
void Emitter::op_Eqv_i64(const Op& op) { binary(op, Alu::Xor, true, true); }
void Emitter::op_Nand_i32(const Op& op) { binary(op, Alu::And, true, true); }
void Emitter::op_Nand_i64(const Op& op) { binary(op, Alu::And, true, true); }
void Emitter::op_Nor_i32(const Op& op) { binary(op, Alu::Or, true, true); }
void Emitter::op_Nor_i64(const Op& op) { binary(op, Alu::Or, true, true); }

void Emitter::op_Andc_i32(const Op& op) { andc_orc(op, false); }
void Emitter::op_Andc_i64(const Op& op) { andc_orc(op, false); }
void Emitter::op_Orc_i32(const Op& op) { andc_orc(op, true); }
void Emitter::op_Orc_i64(const Op& op) { andc_orc(op, true); }

void Emitter::op_Neg_i32(const Op& op) { unary(op, 0); }
void Emitter::op_Neg_i64(const Op& op) { unary(op, 0); }
void Emitter::op_Not_i32(const Op& op) { unary(op, 1); }
void Emitter::op_Not_i64(const Op& op) { unary(op, 1); }
void Emitter::op_Shl_i32(const Op& op) { shift(op, 0); }
void Emitter::op_Shl_i64(const Op& op) { shift(op, 0); }
void Emitter::op_Shr_i32(const Op& op) { shift(op, 1); }
void Emitter::op_Shr_i64(const Op& op) { shift(op, 1); }
void Emitter::op_Sar_i32(const Op& op) { shift(op, 2); }
void Emitter::op_Sar_i64(const Op& op) { shift(op, 2); }
void Emitter::op_Rotl_i32(const Op& op) { shift(op, 3); }
void Emitter::op_Rotl_i64(const Op& op) { shift(op, 3); }
void Emitter::op_Rotr_i32(const Op& op) { shift(op, 4); }
void Emitter::op_Rotr_i64(const Op& op) { shift(op, 4); }

void Emitter::op_Mul_i32(const Op& op) { mul_op(op); }
void Emitter::op_Mul_i64(const Op& op) { mul_op(op); }
void Emitter::op_Mulu2_i32(const Op& op) { muldiv2(op, false); }
void Emitter::op_Mulu2_i64(const Op& op) { muldiv2(op, false); }
void Emitter::op_Muls2_i32(const Op& op) { muldiv2(op, true); }
void Emitter::op_Muls2_i64(const Op& op) { muldiv2(op, true); }
void Emitter::op_Add2_i32(const Op& op) { addsub2(op, false); }
void Emitter::op_Add2_i64(const Op& op) { addsub2(op, false); }
void Emitter::op_Sub2_i32(const Op& op) { addsub2(op, true); }
void Emitter::op_Sub2_i64(const Op& op) { addsub2(op, true); }
void Emitter::op_Div_i32(const Op& op) { divide(op, true, false); }
void Emitter::op_Div_i64(const Op& op) { divide(op, true, false); }
void Emitter::op_Divu_i32(const Op& op) { divide(op, false, false); }
void Emitter::op_Divu_i64(const Op& op) { divide(op, false, false); }
void Emitter::op_Rem_i32(const Op& op) { divide(op, true, true); }
void Emitter::op_Rem_i64(const Op& op) { divide(op, true, true); }
void Emitter::op_Remu_i32(const Op& op) { divide(op, false, true); }
void Emitter::op_Remu_i64(const Op& op) { divide(op, false, true); }

void Emitter::op_Setcond_i32(const Op& op) { setcond(op, false); }
void Emitter::op_Setcond_i64(const Op& op) { setcond(op, false); }
void Emitter::op_Negsetcond_i32(const Op& op) { setcond(op, true); }
void Emitter::op_Negsetcond_i64(const Op& op) { setcond(op, true); }
void Emitter::op_Movcond_i32(const Op& op) { movcond(op); }
void Emitter::op_Movcond_i64(const Op& op) { movcond(op); }

void Emitter::op_Ext8s_i32(const Op& op) { extend(op, 8, true, false); }
void Emitter::op_Ext8s_i64(const Op& op) { extend(op, 8, true, true); }
void Emitter::op_Ext8u_i32(const Op& op) { extend(op, 8, false, false); }
void Emitter::op_Ext8u_i64(const Op& op) { extend(op, 8, false, true); }
void Emitter::op_Ext16s_i32(const Op& op) { extend(op, 16, true, false); }
void Emitter::op_Ext16s_i64(const Op& op) { extend(op, 16, true, true); }
void Emitter::op_Ext16u_i32(const Op& op) { extend(op, 16, false, false); }
void Emitter::op_Ext16u_i64(const Op& op) { extend(op, 16, false, true); }
void Emitter::op_Ext32s_i64(const Op& op) { extend(op, 32, true, true); }
void Emitter::op_Ext32u_i64(const Op& op) { extend(op, 32, false, true); }
void Emitter::op_ExtI32_i64(const Op& op) { extend(op, 32, true, true); }
void Emitter::op_ExtuI32_i64(const Op& op) { extend(op, 32, false, true); }
void Emitter::op_ExtrlI64_i32(const Op& op) { extend(op, 32, false, false); }
void Emitter::op_ExtrhI64_i32(const Op& op) {
  const int rs = use(op.in(0));
  const int rd = define(op, 0, 0, rs);
  shr(q(rd), 32);
}

void Emitter::op_Extract_i32(const Op& op) { extract(op, false); }
void Emitter::op_Extract_i64(const Op& op) { extract(op, false); }
void Emitter::op_Sextract_i32(const Op& op) { extract(op, true); }
void Emitter::op_Sextract_i64(const Op& op) { extract(op, true); }
void Emitter::op_Deposit_i32(const Op& op) { deposit(op); }
void Emitter::op_Deposit_i64(const Op& op) { deposit(op); }
void Emitter::op_Bswap16_i32(const Op& op) { bswap_op(op, 16); }
void Emitter::op_Bswap16_i64(const Op& op) { bswap_op(op, 16); }
void Emitter::op_Bswap32_i32(const Op& op) { bswap_op(op, 32); }
void Emitter::op_Bswap32_i64(const Op& op) { bswap_op(op, 32); }
void Emitter::op_Bswap64_i64(const Op& op) { bswap_op(op, 64); }
void Emitter::op_Clz_i32(const Op& op) { bitcount(op, 0); }
void Emitter::op_Clz_i64(const Op& op) { bitcount(op, 0); }
void Emitter::op_Ctz_i32(const Op& op) { bitcount(op, 1); }
void Emitter::op_Ctz_i64(const Op& op) { bitcount(op, 1); }
void Emitter::op_Ctpop_i32(const Op& op) { bitcount(op, 2); }
void Emitter::op_Ctpop_i64(const Op& op) { bitcount(op, 2); }

void Emitter::op_LdEnv_i32(const Op& op) { ld_env(op); }
void Emitter::op_LdEnv_i64(const Op& op) { ld_env(op); }
void Emitter::op_StEnv_i32(const Op& op) { st_env(op); }
void Emitter::op_StEnv_i64(const Op& op) { st_env(op); }
void Emitter::op_GuestLd_i32(const Op& op) { guest_ld(op); }
void Emitter::op_GuestLd_i64(const Op& op) { guest_ld(op); }
void Emitter::op_GuestSt_i32(const Op& op) { guest_st(op); }
void Emitter::op_GuestSt_i64(const Op& op) { guest_st(op); }

void Emitter::op_Call(const Op& op) {
  const auto* helpers = m_block->helpers();
  if (!helpers || op.con(0) >= helpers->size()) {
    throw std::logic_error(fmt::format("x86_64 back-end: call of unknown helper {}", op.con(0)));
  }
  const tcg::HelperInfo& h = (*helpers)[op.con(0)];
  if (op.nin > 4) throw std::logic_error("x86_64 back-end: helper call with more than 4 arguments");
  const bool writes = !(h.flags & tcg::HelperFlag::NoWriteGlobals);
  const bool reads = !(h.flags & tcg::HelperFlag::NoReadGlobals) || (h.flags & tcg::HelperFlag::MayRaise);
  if (reads || writes) sync_globals();
  // Values that outlive the call leave the caller-saved registers.
  for (int r = 0; r < 16; ++r) {
    const int t = m_owner[r];
    if (t < 0 || !(kCallerSaved & bit(r))) continue;
    bool dies = false;
    for (unsigned i = 0; i < op.nin; ++i) dies |= op.in(i) == TempIdx(t) && dead_in(op, i);
    if (dies) continue;
    if (m_ts[t].global && writes) {
      unbind(TempIdx(t));
      continue;
    }
    const RegMask free = kAllocatable & ~kCallerSaved & ~owned() & ~m_locked;
    if (free) {
      const int r2 = __builtin_ctz(free);
      mov(q(r2), q(r));
      unbind(TempIdx(t));
      bind(TempIdx(t), r2);
    } else {
      evict(r);
    }
  }
  // Helpers raise with CpuCommon::fault_host_pc: the return address, inside this insn's code.
  Xbyak::Label after_call;
  lea(r11, ptr[rip + after_call]);
  mov(qword[rbp + kFaultPcOff], r11);
  std::vector<std::pair<int, int>> moves;
  for (unsigned i = 0; i < op.nin; ++i) {
    if (m_ts[op.in(i)].reg >= 0) moves.emplace_back(kArgRegs[i], m_ts[op.in(i)].reg);
  }
  parallel_move(std::move(moves));
  for (unsigned i = 0; i < op.nin; ++i) {
    if (m_ts[op.in(i)].reg < 0) load_value(kArgRegs[i], op.in(i));
  }
  mov(rdi, rbp);
  mov(rax, reinterpret_cast<uint64_t>(h.fn));
  call_out(&after_call);  // the helper may read or charge the run counter
  for (int r = 0; r < 16; ++r) {
    if ((kCallerSaved & bit(r)) && m_owner[r] >= 0) unbind(TempIdx(m_owner[r]));
  }
  if (writes) {
    for (TempIdx g : m_globals) {
      unbind(g);
      m_ts[g].is_const = false;
      m_ts[g].mem_ok = true;
    }
  }
  if (op.nout) {
    define_fixed(op, 0, RAX);
    if (!m_ts[op.out(0)].w64) mov(eax, eax);
  }
}

void Emitter::op_InsnStart(const Op& op) {
  // tb.insns (the restore records) are the engine's; the code offsets are ours.
  if (m_insn_count++) m_tb->insn_code_end.push_back(uint32_t(getSize()));
}

void Emitter::op_SetLabel(const Op& op) {
  sync_boundary();
  drop_all();
  L(m_labels.at(op.con(0)));
}

void Emitter::op_Br(const Op& op) {
  sync_boundary();
  jmp(m_labels.at(op.con(0)), T_NEAR);
}

void Emitter::op_Brcond_i32(const Op& op) { brcond(op); }
void Emitter::op_Brcond_i64(const Op& op) { brcond(op); }

void Emitter::op_GotoTb(const Op& op) {
  const unsigned slot = unsigned(op.con(0));
  if (slot > 1) throw std::logic_error("x86_64 back-end: goto_tb slot must be 0 or 1");
  sync_globals();
  // jmp rel32 with a 4-byte aligned displacement, so chain() patches it atomically.
  while ((reinterpret_cast<uintptr_t>(getCurr()) + 1) % 4 != 0) db(0x90);
  m_tb->jmp_patch_offset[slot] = uint32_t(getSize());
  db(0xe9);
  dd(0);  // initially falls through to the exit that follows
}

void Emitter::op_ExitTb(const Op& op) {
  sync_globals();
  const uint64_t v = op.con(0);
  exit_with(v <= tcg::ExitCode::Mask ? reinterpret_cast<uintptr_t>(m_tb) | v : uintptr_t(v));
}

void Emitter::op_GotoPtr(const Op& op) {
  if (!m_rt.lookup) throw std::logic_error("x86_64 back-end: goto_ptr without Runtime::lookup");
  sync_globals();
  Xbyak::Label call_lookup, miss;
  const uint64_t hint = op.con(0);
  if (hint != tcg::kGotoPtrNoHint && m_rt.jump_cache && m_rt.pc32_offset >= 0 && m_rt.lookup_guard) {
    // Inline probe of the engine's jump cache with the key (pc, hint, cflags 0),
    // slot as Engine::Impl::jc_index: ((pc >> 1) ^ (pc >> (bits + 1))) & mask.
    // Everything else (a miss, a guarded engine) calls Runtime::lookup.
    mov(r11, reinterpret_cast<uint64_t>(m_rt.lookup_guard));
    cmp(byte[r11], 0);
    jne(call_lookup, T_NEAR);
    mov(eax, dword[rbp + m_rt.pc32_offset]);
    mov(ecx, eax);
    shr(ecx, 1);
    mov(edx, eax);
    shr(edx, int(m_rt.jump_cache_bits + 1));
    xor_(ecx, edx);
    and_(ecx, (1u << m_rt.jump_cache_bits) - 1);
    mov(r11, reinterpret_cast<uint64_t>(m_rt.jump_cache));
    mov(rdx, qword[r11 + rcx * 8]);
    test(rdx, rdx);
    jz(call_lookup, T_NEAR);
    cmp(qword[rdx + int32_t(offsetof(tcg::TranslationBlock, key.pc))], rax);
    jne(call_lookup, T_NEAR);
    cmp(dword[rdx + int32_t(offsetof(tcg::TranslationBlock, key.flags))], uint32_t(hint));
    jne(call_lookup, T_NEAR);
    cmp(dword[rdx + int32_t(offsetof(tcg::TranslationBlock, key.cflags))], 0);
    jne(call_lookup, T_NEAR);
    jmp(qword[rdx + int32_t(offsetof(tcg::TranslationBlock, code))]);
  }
  L(call_lookup);
  mov(rdi, rbp);
  mov(rax, reinterpret_cast<uint64_t>(m_rt.lookup));
  call_out();
  test(rax, rax);
  jz(miss, T_NEAR);
  jmp(rax);
  L(miss);
  exit_with(reinterpret_cast<uintptr_t>(m_tb) | tcg::ExitCode::NoChain);
}

void Emitter::op_Mb(const Op& op) {}

}  // namespace presil::host::x86_64
