// SPDX-License-Identifier: Apache-2.0
// ThumbTranslator core: block loop, IT state, register/flag access, block endings.
#include "cpu/arm/translate/translator.h"

#include "cpu/arm/decoder/thumb.h"
#include "cpu/arm/translate/helpers.h"
#include "tcg/tb.h"

namespace presil::cpu::arm {

using tcg::Cond;
using tcg::U32;

const std::vector<tcg::GlobalDef>& arm_globals() {
  static const std::vector<tcg::GlobalDef> globals = [] {
    static const char* const names[16] = {"r0", "r1", "r2",  "r3",  "r4",  "r5", "r6", "r7",
                                          "r8", "r9", "r10", "r11", "r12", "sp", "lr", "pc"};
    std::vector<tcg::GlobalDef> g;
    for (unsigned i = 0; i < 16; ++i) g.push_back({names[i], tcg::Type::I32, arm_reg_offset(i)});
    g.push_back({"NF", tcg::Type::I32, PRESIL_ARM_OFFSET(NF)});
    g.push_back({"ZF", tcg::Type::I32, PRESIL_ARM_OFFSET(ZF)});
    g.push_back({"CF", tcg::Type::I32, PRESIL_ARM_OFFSET(CF)});
    g.push_back({"VF", tcg::Type::I32, PRESIL_ARM_OFFSET(VF)});
    g.push_back({"QF", tcg::Type::I32, PRESIL_ARM_OFFSET(QF)});
    return g;
  }();
  return globals;
}

ThumbTranslator::ThumbTranslator(tcg::Builder& b, const tcg::TbKey& key, const TimingTable& timing,
                                 FetchFn fetch, uint32_t max_insns, uint64_t max_cycles)
    : m_b(b), m_key(key), m_t(timing), m_fetch(std::move(fetch)), m_max_insns(max_insns),
      m_max_cycles(max_cycles) {}

bool ThumbTranslator::dispatch(uint32_t insn, bool wide) {
  if (wide) {
    const auto* row = decoder::find(thumb32_table<ThumbTranslator>(), insn);
    return row && row->call(*this, insn);
  }
  const auto* row = decoder::find(thumb16_table<ThumbTranslator>(), insn);
  return row && row->call(*this, insn);
}

bool ThumbTranslator::decode_only(uint32_t insn, bool wide, uint32_t pc) {
  m_pc = pc;
  m_len = wide ? 4 : 2;
  m_it = m_key.flags & TbFlag::ItMask;
  m_it_after = next_itstate();
  m_start_page = pc & tcg::kPageMask;
  return dispatch(insn, wide);
}

uint32_t ThumbTranslator::next_itstate() const {
  if ((m_it & 0x7) == 0) return 0;
  return (m_it & 0xe0) | ((m_it << 1) & 0x1f);
}

BlockInfo ThumbTranslator::translate_block() {
  m_pc = static_cast<uint32_t>(m_key.pc);
  m_it = m_key.flags & TbFlag::ItMask;
  m_it_env_other = false;
  m_it_scanned = 0;
  m_start_page = m_key.pc & tcg::kPageMask;
  const uint32_t max_from_flags = m_key.cflags & tcg::CFlag::MaxInsnsMask;
  uint32_t max_insns = m_max_insns ? m_max_insns : 1;
  if (max_from_flags && max_from_flags < max_insns) max_insns = max_from_flags;
  if (m_key.cflags & tcg::CFlag::SingleStep) max_insns = 1;
  m_info = {};
  if (m_key.flags & TbFlag::NotThumb) {
    // EPSR.T is clear: the first instruction takes a UsageFault (INVSTATE).
    m_b.insn_start(m_pc, m_it, m_info.cycles);
    undefined_state();
    m_info.num_insns = 1;
    m_info.cycles = m_t.alu;
    m_info.end_pc = m_pc + 2;
    return m_info;
  }
  while (true) {
    if (!translate_insn()) {
      // The instruction did not fit in the cycle cap: end before it.
      exit_to_loop(m_pc, m_it);
      break;
    }
    if (m_block_done) break;
    if (m_info.num_insns >= max_insns || (m_pc & tcg::kPageMask) != m_start_page) {
      store_itstate(m_it);
      jump(m_pc);
      break;
    }
  }
  m_info.end_pc = m_pc;
  return m_info;
}

bool ThumbTranslator::translate_insn() {
  auto& ops = m_b.block().ops();
  auto& temps = m_b.block().temps();
  const size_t ops_mark = ops.size(), temps_mark = temps.size();
  const unsigned slots_mark = m_slots_used;

  const uint16_t hw1 = m_fetch(m_pc);
  uint32_t insn = hw1;
  const bool wide = thumb_is_wide(hw1);
  if (wide) insn = uint32_t(hw1) << 16 | m_fetch(m_pc + 2);
  m_len = wide ? 4 : 2;
  m_cost = m_t.alu;
  m_end = End::None;
  m_it_after = next_itstate();

  m_b.insn_start(m_pc, m_it, m_info.cycles);
  const uint32_t cond = m_it >> 4;
  const bool conditional = in_it() && cond != 14;
  tcg::Label skip{};
  if (conditional) {
    skip = m_b.new_label();
    branch_if(cond ^ 1, skip);
  }
  const bool ok = dispatch(insn, wide);
  if (!ok) {
    // UNDEFINED: drop whatever the handler emitted and raise instead.
    ops.resize(ops_mark);
    temps.resize(temps_mark);
    m_slots_used = slots_mark;
    m_b.insn_start(m_pc, m_it, m_info.cycles);
    if (conditional) {
      skip = m_b.new_label();
      branch_if(cond ^ 1, skip);
    }
    m_cost = m_t.alu;
    m_end = End::None;
    m_it_after = next_itstate();
    undefined();
  }

  if (m_info.num_insns > 0 && uint64_t(m_info.cycles) + m_cost > m_max_cycles) {
    ops.resize(ops_mark);
    temps.resize(temps_mark);
    m_slots_used = slots_mark;
    return false;
  }
  m_info.cycles += m_cost;
  ++m_info.num_insns;

  const uint32_t pc = m_pc;
  m_pc += m_len;
  const bool ended = m_end == End::Exited;
  if (conditional) {
    m_b.set_label(skip);
    if (ended) {
      // Condition failed: continue at the next instruction in a new block.
      m_it = m_it_after;
      store_itstate(m_it);
      jump(m_pc);
      m_block_done = true;
      return true;
    }
  }
  (void)pc;
  m_it = m_it_after;
  if (ended) m_block_done = true;
  return true;
}

// --- registers and flags -------------------------------------------------------------------

U32 ThumbTranslator::reg(unsigned n) {
  if (n == 15) return c(m_pc + 4);
  return g(Global::R0 + n);
}

U32 ThumbTranslator::pc_aligned() { return c((m_pc + 4) & ~3u); }

void ThumbTranslator::set_reg(unsigned n, U32 v) {
  if (n != 15) {
    m_b.mov(g(Global::R0 + n), v);
    return;
  }
  // BranchWritePC: bit 0 ignored.
  m_b.mov(g(Global::R0 + 15), m_b.and_(v, c(~1u)));
  store_itstate(m_it_after);
  jump_dynamic(true);
}

void ThumbTranslator::set_reg_bx(unsigned n, U32 v) {
  if (n != 15) {
    m_b.mov(g(Global::R0 + n), v);
    return;
  }
  // The common case inline: a Thumb address (bit 0 set) outside the EXC_RETURN
  // range is a plain branch (EPSR.T stays 1). The rest goes to the helper.
  store_itstate(m_it_after);
  tcg::Label slow = m_b.new_label();
  m_b.brcond(Cond::TstEq, v, c(1), slow);
  m_b.brcond(Cond::Geu, v, c(0xF0000000u), slow);
  m_b.mov(g(Global::R0 + 15), m_b.and_(v, c(~1u)));
  jump_dynamic(true);
  m_b.set_label(slow);
  sync_state(m_pc);
  store_itstate(m_it_after);
  U32 exc_return = m_b.call32(HelperId::BxWrite, {v.t});
  // An exception return changed mode and stack: back to the exec loop; else look the target up.
  tcg::Label plain = m_b.new_label();
  m_b.brcond(Cond::Eq, exc_return, c(0), plain);
  m_b.exit_tb(tcg::ExitCode::NoChain);
  m_b.set_label(plain);
  jump_dynamic();
}

void ThumbTranslator::set_nz(U32 r) {
  m_b.mov(g(Global::NF), r);
  m_b.mov(g(Global::ZF), r);
}

U32 ThumbTranslator::add_cc(U32 a, U32 b) {
  U32 r = m_b.add(a, b);
  U32 cf = m_b.setcond(Cond::Ltu, r, a);
  U32 vf = m_b.andc(m_b.xor_(r, a), m_b.xor_(a, b));
  m_b.mov(g(Global::CF), cf);
  m_b.mov(g(Global::VF), vf);
  set_nz(r);
  return r;
}

U32 ThumbTranslator::adc(U32 a, U32 b) { return m_b.add(m_b.add(a, b), g(Global::CF)); }

U32 ThumbTranslator::adc_cc(U32 a, U32 b) {
  U32 zero = c(0);
  auto [t, c1] = m_b.add2(a, zero, g(Global::CF), zero);
  auto [r, c2] = m_b.add2(t, c1, b, zero);
  U32 vf = m_b.andc(m_b.xor_(r, a), m_b.xor_(a, b));
  m_b.mov(g(Global::CF), c2);
  m_b.mov(g(Global::VF), vf);
  set_nz(r);
  return r;
}

U32 ThumbTranslator::sub_cc(U32 a, U32 b) {
  U32 r = m_b.sub(a, b);
  U32 cf = m_b.setcond(Cond::Geu, a, b);
  U32 vf = m_b.and_(m_b.xor_(r, a), m_b.xor_(a, b));
  m_b.mov(g(Global::CF), cf);
  m_b.mov(g(Global::VF), vf);
  set_nz(r);
  return r;
}

U32 ThumbTranslator::shift_imm(U32 x, uint32_t type, uint32_t imm5, std::optional<U32>* carry) {
  U32 r = x;
  std::optional<U32> co;
  switch (type & 3) {
    case 0:  // LSL
      if (imm5 != 0) {
        r = m_b.shl(x, c(imm5));
        co = m_b.extract(x, 32 - imm5, 1);
      }
      break;
    case 1:  // LSR (#0 means #32)
      if (imm5 == 0) {
        r = c(0);
        co = m_b.extract(x, 31, 1);
      } else {
        r = m_b.shr(x, c(imm5));
        co = m_b.extract(x, imm5 - 1, 1);
      }
      break;
    case 2:  // ASR (#0 means #32)
      if (imm5 == 0) {
        r = m_b.sar(x, c(31));
        co = m_b.extract(x, 31, 1);
      } else {
        r = m_b.sar(x, c(imm5));
        co = m_b.extract(x, imm5 - 1, 1);
      }
      break;
    default:  // ROR (#0 is RRX)
      if (imm5 == 0) {
        r = m_b.or_(m_b.shl(g(Global::CF), c(31)), m_b.shr(x, c(1)));
        co = m_b.extract(x, 0, 1);
      } else {
        r = m_b.rotr(x, c(imm5));
        co = m_b.extract(x, imm5 - 1, 1);
      }
      break;
  }
  if (carry) *carry = co;
  return r;
}

U32 ThumbTranslator::shift_reg(U32 x, uint32_t type, U32 amount, U32* carry) {
  // `amount` is 0..255 and IR shift counts are taken modulo 32, so counts of 32
  // and more are chosen explicitly. A count of 0 keeps the carry.
  const U32 k32 = c(32), zero = c(0), one = c(1);
  U32 r, co;
  switch (type & 3) {
    case 0:  // LSL: carry out is bit 32 - n (bit 0 for n = 32), 0 beyond
      r = m_b.movcond(Cond::Ltu, amount, k32, m_b.shl(x, amount), zero);
      if (carry) co = m_b.movcond(Cond::Leu, amount, k32, m_b.and_(m_b.shr(x, m_b.sub(k32, amount)), one), zero);
      break;
    case 1:  // LSR: carry out is bit n - 1, 0 beyond 32
      r = m_b.movcond(Cond::Ltu, amount, k32, m_b.shr(x, amount), zero);
      if (carry) co = m_b.movcond(Cond::Leu, amount, k32, m_b.and_(m_b.shr(x, m_b.sub(amount, one)), one), zero);
      break;
    case 2: {  // ASR: counts of 32 and more shift in the sign (result and carry)
      const U32 n = m_b.movcond(Cond::Ltu, amount, k32, amount, k32);
      r = m_b.sar(x, m_b.movcond(Cond::Ltu, amount, k32, amount, c(31)));
      if (carry) co = m_b.and_(m_b.sar(x, m_b.sub(n, one)), one);
      break;
    }
    default:  // ROR by n rotates by n mod 32; the carry is the result's top bit
      r = m_b.rotr(x, amount);
      if (carry) co = m_b.shr(r, c(31));
      break;
  }
  if (carry) *carry = m_b.movcond(Cond::Eq, amount, zero, g(Global::CF), co);
  return r;
}

void ThumbTranslator::branch_if(uint32_t cond, tcg::Label l) {
  U32 zero = c(0);
  switch (cond) {
    case 0: m_b.brcond(Cond::Eq, g(Global::ZF), zero, l); break;
    case 1: m_b.brcond(Cond::Ne, g(Global::ZF), zero, l); break;
    case 2: m_b.brcond(Cond::Ne, g(Global::CF), zero, l); break;
    case 3: m_b.brcond(Cond::Eq, g(Global::CF), zero, l); break;
    case 4: m_b.brcond(Cond::Lt, g(Global::NF), zero, l); break;
    case 5: m_b.brcond(Cond::Ge, g(Global::NF), zero, l); break;
    case 6: m_b.brcond(Cond::Lt, g(Global::VF), zero, l); break;
    case 7: m_b.brcond(Cond::Ge, g(Global::VF), zero, l); break;
    case 8:
    case 9: {  // HI: C && !Z ; LS: !C || Z
      U32 t = m_b.and_(m_b.neg(g(Global::CF)), g(Global::ZF));
      m_b.brcond(cond == 8 ? Cond::Ne : Cond::Eq, t, zero, l);
      break;
    }
    case 10:
    case 11: {  // GE: N == V ; LT: N != V
      U32 t = m_b.xor_(g(Global::NF), g(Global::VF));
      m_b.brcond(cond == 10 ? Cond::Ge : Cond::Lt, t, zero, l);
      break;
    }
    case 12:
    case 13: {  // GT: !Z && N == V ; LE: Z || N != V
      U32 nz = m_b.setcond(Cond::Ne, g(Global::ZF), zero);
      U32 lt = m_b.sar(m_b.xor_(g(Global::NF), g(Global::VF)), c(31));
      U32 t = m_b.andc(nz, lt);
      m_b.brcond(cond == 12 ? Cond::Ne : Cond::Eq, t, zero, l);
      break;
    }
    case 14: m_b.br(l); break;
    default: break;  // 15 (inverted AL): never
  }
}

// --- block endings ----------------------------------------------------------------------------

void ThumbTranslator::store_itstate(uint32_t it) {
  // The guest state holds the block's entry ITSTATE (its key was made from it)
  // until a store of another value or a helper (which may change it): storing
  // the entry value before either is redundant.
  const uint32_t entry = m_key.flags & TbFlag::ItMask;
  const auto& ops = m_b.block().ops();
  m_it_scanned = std::min(m_it_scanned, ops.size());  // an instruction's ops may have been dropped
  for (; m_it_scanned < ops.size() && !m_it_env_other; ++m_it_scanned) {
    m_it_env_other = ops[m_it_scanned].opc == tcg::Opcode::Call;  // ops since the last store (each looked at once)
  }
  if (it == entry && !m_it_env_other) return;
  if (it != entry) m_it_env_other = true;
  m_b.st_env(c(it), PRESIL_ARM_OFFSET(itstate));
}

void ThumbTranslator::sync_state(uint32_t pc) {
  m_b.movi(g(Global::R0 + 15), pc);
  store_itstate(m_it);
}

void ThumbTranslator::jump(uint32_t target) {
  m_b.movi(g(Global::R0 + 15), target);
  // Direct branches chain whatever page the target is on: guest addresses map
  // to code one-to-one (no MMU), and invalidating the target's page unchains
  // every jump into it (Engine: jmp_incoming).
  if (!(m_key.cflags & tcg::CFlag::NoChain)) {
    // One chain slot per direct exit: slot 0 for the first, slot 1 for the second.
    const unsigned slot = m_slots_used < 2 ? m_slots_used++ : 2;
    if (slot < 2) {
      m_b.goto_tb(slot);
      m_b.exit_tb(slot == 0 ? tcg::ExitCode::Slot0 : tcg::ExitCode::Slot1);
      m_end = End::Exited;
      return;
    }
  }
  m_b.goto_ptr();
  m_end = End::Exited;
}

void ThumbTranslator::jump_dynamic(bool same_mode) {
  // Same mode: still Thumb, the mode bits of this block's key, the IT state
  // just stored; the back-end may then find the target without a lookup call.
  m_b.goto_ptr(same_mode ? (m_key.flags & ~TbFlag::ItMask) | m_it_after : tcg::kGotoPtrNoHint);
  m_end = End::Exited;
}

void ThumbTranslator::exit_to_loop(uint32_t next, uint32_t it) {
  m_b.movi(g(Global::R0 + 15), next);
  store_itstate(it);
  m_b.exit_tb(tcg::ExitCode::NoChain);
  m_end = End::Exited;
}

void ThumbTranslator::raise(int32_t excp, uint32_t pc, uint32_t cfsr) {
  m_b.movi(g(Global::R0 + 15), pc);
  m_b.call0(HelperId::Raise, {c(uint32_t(excp)).t, c(cfsr).t});
  m_b.exit_tb(tcg::ExitCode::NoChain);
  m_end = End::Exited;
}

void ThumbTranslator::undefined_state() {
  store_itstate(m_it);
  raise(kExcpUsageFault, m_pc, Cfsr::Invstate);
}

bool ThumbTranslator::undefined() {
  store_itstate(m_it);
  raise(kExcpUsageFault, m_pc, Cfsr::Undefinstr);
  return true;
}

}  // namespace presil::cpu::arm
