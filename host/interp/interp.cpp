// SPDX-License-Identifier: Apache-2.0
// The interpreter back-end: bytecode layout and one handler per op, generated from opcodes.inc.
#include "host/interp/interp.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

#include "tcg/cpu_state.h"
#include "tcg/ir/semantics.h"

namespace presil::host::interp {

using namespace presil::tcg;

namespace {

/// Words before the first op: {TranslationBlock*, frame size}.
constexpr unsigned kHeaderWords = 2;
/// Operand word flags: a global accessed in the guest state (offset in the low
/// 32 bits), 64 bits wide or 32.
constexpr uint64_t kGlobal = uint64_t(1) << 63;
constexpr uint64_t kWide = uint64_t(1) << 62;

// Static arity per opcode, from the table.
constexpr uint8_t kNout[] = {
#define PRESIL_OP(name, type, nout, nin, ncon, flags) nout,
#include "tcg/ir/opcodes.inc"
#undef PRESIL_OP
};
constexpr uint8_t kNin[] = {
#define PRESIL_OP(name, type, nout, nin, ncon, flags) nin,
#include "tcg/ir/opcodes.inc"
#undef PRESIL_OP
};
constexpr uint8_t kNcon[] = {
#define PRESIL_OP(name, type, nout, nin, ncon, flags) ncon,
#include "tcg/ir/opcodes.inc"
#undef PRESIL_OP
};
constexpr unsigned idx(Opcode o) { return static_cast<unsigned>(o); }

/// State of one execute() call.
struct Ctx {
  uint8_t* env;
  CpuCommon* common;
  uint64_t* frame;
  const TranslationBlock* tb;
  const Runtime* rt;
  uintptr_t ret;
};

/// Per-op meta word: opcode, arity and length in words.
struct Meta {
  static uint64_t pack(Opcode o, unsigned nout, unsigned nin, unsigned ncon) {
    return uint64_t(idx(o)) | uint64_t(nout) << 16 | uint64_t(nin) << 24 | uint64_t(ncon) << 32;
  }
  static Opcode opc(uint64_t m) { return Opcode(m & 0xffff); }
  static unsigned nout(uint64_t m) { return unsigned(m >> 16 & 0xff); }
  static unsigned nin(uint64_t m) { return unsigned(m >> 24 & 0xff); }
  static unsigned ncon(uint64_t m) { return unsigned(m >> 32 & 0xff); }
  static unsigned words(uint64_t m) { return 2 + nout(m) + nin(m) + ncon(m); }
};

inline uint64_t rd(const Ctx& c, uint64_t e) {
  if (!(e & kGlobal)) return c.frame[e];
  const uint8_t* p = c.env + uint32_t(e);
  if (e & kWide) {
    uint64_t v;
    std::memcpy(&v, p, 8);
    return v;
  }
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

inline void wr(Ctx& c, uint64_t e, uint64_t v) {
  if (!(e & kGlobal)) {
    c.frame[e] = v;
    return;
  }
  uint8_t* p = c.env + uint32_t(e);
  if (e & kWide) {
    std::memcpy(p, &v, 8);
  } else {
    uint32_t w = uint32_t(v);
    std::memcpy(p, &w, 4);
  }
}

inline uint64_t extend(uint64_t v, unsigned size, bool sign) {
  if (size == 8) return v;
  unsigned sh = 64 - 8 * size;
  return sign ? uint64_t(int64_t(v << sh) >> sh) : (v << sh) >> sh;
}

inline uint64_t swap(uint64_t v, unsigned size) {
  switch (size) {
    case 2: return __builtin_bswap16(uint16_t(v));
    case 4: return __builtin_bswap32(uint32_t(v));
    case 8: return __builtin_bswap64(v);
    default: return v;
  }
}

/// Budget check and entry into a block (the contract of backend.h).
inline const uint64_t* enter(Ctx& c, const TranslationBlock* d) {
  if (c.common->budget() < int64_t(d->cycles)) {
    c.ret = reinterpret_cast<uintptr_t>(d) | ExitCode::Requested;
    return nullptr;
  }
  c.common->counter -= CpuCommon::entry_charge(d->cycles, d->num_insns);
  c.tb = d;
  return reinterpret_cast<const uint64_t*>(d->code) + kHeaderWords;
}

using Handler = const uint64_t* (*)(Ctx&, const uint64_t*);

/// Pure ops: semantics from tcg/ir/semantics.h. Every other op specialises
/// Exec below; an op with neither fails to compile.
template <Opcode O>
struct Exec {
  static_assert(sem::kHasSem<O>, "interpreter: op without a handler");
  static const uint64_t* run(Ctx& c, const uint64_t* ip) {
    constexpr unsigned no = kNout[idx(O)], ni = kNin[idx(O)], nc = kNcon[idx(O)];
    uint64_t in[ni ? ni : 1] = {}, out[2] = {};
    for (unsigned i = 0; i < ni; ++i) in[i] = rd(c, ip[2 + no + i]);
    sem::kSem<O>(out, in, ip + 2 + no + ni);
    for (unsigned i = 0; i < no; ++i) wr(c, ip[2 + i], out[i]);
    return ip + 2 + no + ni + nc;
  }
};

template <bool Wide>
const uint64_t* ld_env(Ctx& c, const uint64_t* ip) {
  MemOp m = MemOp::unpack(ip[4]);
  uint64_t v = 0;
  std::memcpy(&v, c.env + ip[3], m.bytes());
  v = extend(v, m.bytes(), m.sign);
  wr(c, ip[2], Wide ? v : uint32_t(v));
  return ip + 5;
}
template <> struct Exec<Opcode::LdEnv_i32> { static constexpr Handler run = ld_env<false>; };
template <> struct Exec<Opcode::LdEnv_i64> { static constexpr Handler run = ld_env<true>; };

const uint64_t* st_env(Ctx& c, const uint64_t* ip) {
  MemOp m = MemOp::unpack(ip[4]);
  uint64_t v = rd(c, ip[2]);
  std::memcpy(c.env + ip[3], &v, m.bytes());
  return ip + 5;
}
template <> struct Exec<Opcode::StEnv_i32> { static constexpr Handler run = st_env; };
template <> struct Exec<Opcode::StEnv_i64> { static constexpr Handler run = st_env; };

template <bool Wide>
const uint64_t* guest_ld(Ctx& c, const uint64_t* ip) {
  const uint64_t addr = rd(c, ip[3]);
  const uint64_t memop = ip[4];
  const unsigned size = 1u << (memop & 3);
  const uintptr_t host_pc = reinterpret_cast<uintptr_t>(ip + 5);
  c.common->fault_host_pc = host_pc;
  const TlbEntry& e = c.common->tlb[tlb_index(addr)];
  uint64_t v;
  const uint64_t amask = (uint64_t(1) << std::max<unsigned>(memop & 3, memop >> 4 & 15)) - 1;
  if ((addr & amask) == 0 && e.addr_read == (addr & kPageMask)) {
    MemOp m = MemOp::unpack(memop);
    v = 0;
    std::memcpy(&v, reinterpret_cast<const void*>(uintptr_t(addr) + e.addend), size);
    if (m.big_endian) v = swap(v, size);
    v = extend(v, size, m.sign);
  } else {
    v = c.rt->load(c.env, addr, uint32_t(memop), host_pc);
  }
  wr(c, ip[2], Wide ? v : uint32_t(v));
  return ip + 5;
}
template <> struct Exec<Opcode::GuestLd_i32> { static constexpr Handler run = guest_ld<false>; };
template <> struct Exec<Opcode::GuestLd_i64> { static constexpr Handler run = guest_ld<true>; };

const uint64_t* guest_st(Ctx& c, const uint64_t* ip) {
  uint64_t v = rd(c, ip[2]);
  const uint64_t addr = rd(c, ip[3]);
  const uint64_t memop = ip[4];
  const unsigned size = 1u << (memop & 3);
  const uintptr_t host_pc = reinterpret_cast<uintptr_t>(ip + 5);
  c.common->fault_host_pc = host_pc;
  const TlbEntry& e = c.common->tlb[tlb_index(addr)];
  const uint64_t amask = (uint64_t(1) << std::max<unsigned>(memop & 3, memop >> 4 & 15)) - 1;
  if ((addr & amask) == 0 && e.addr_write == (addr & kPageMask)) {
    if (MemOp::unpack(memop).big_endian) v = swap(v, size);
    std::memcpy(reinterpret_cast<void*>(uintptr_t(addr) + e.addend), &v, size);
  } else {
    c.rt->store(c.env, addr, v, uint32_t(memop), host_pc);
  }
  return ip + 5;
}
template <> struct Exec<Opcode::GuestSt_i32> { static constexpr Handler run = guest_st; };
template <> struct Exec<Opcode::GuestSt_i64> { static constexpr Handler run = guest_st; };

template <> struct Exec<Opcode::Call> {
  static const uint64_t* run(Ctx& c, const uint64_t* ip) {
    const uint64_t meta = ip[1];
    const unsigned no = Meta::nout(meta), ni = Meta::nin(meta);
    const uint64_t* args = ip + 2;
    c.common->fault_host_pc = reinterpret_cast<uintptr_t>(ip + Meta::words(meta));
    uint64_t a[4] = {0, 0, 0, 0};
    for (unsigned i = 0; i < ni; ++i) a[i] = rd(c, args[no + i]);
    auto fn = reinterpret_cast<HelperFn>(args[no + ni]);
    uint64_t r = fn(c.env, a[0], a[1], a[2], a[3]);
    if (no) wr(c, args[0], r);
    return ip + Meta::words(meta);
  }
};

// Not laid out (they only mark positions), but part of the table.
template <> struct Exec<Opcode::InsnStart> {
  static const uint64_t* run(Ctx&, const uint64_t* ip) { return ip + Meta::words(ip[1]); }
};
template <> struct Exec<Opcode::SetLabel> {
  static const uint64_t* run(Ctx&, const uint64_t* ip) { return ip + Meta::words(ip[1]); }
};
template <> struct Exec<Opcode::Mb> {
  static const uint64_t* run(Ctx&, const uint64_t* ip) { return ip + 3; }
};

template <> struct Exec<Opcode::Br> {
  static const uint64_t* run(Ctx& c, const uint64_t* ip) {
    return reinterpret_cast<const uint64_t*>(c.tb->code) + ip[2];
  }
};

template <Type T>
const uint64_t* brcond(Ctx& c, const uint64_t* ip) {
  if (eval_cond(Cond(ip[4]), rd(c, ip[2]), rd(c, ip[3]), T))
    return reinterpret_cast<const uint64_t*>(c.tb->code) + ip[5];
  return ip + 6;
}
template <> struct Exec<Opcode::Brcond_i32> { static constexpr Handler run = brcond<Type::I32>; };
template <> struct Exec<Opcode::Brcond_i64> { static constexpr Handler run = brcond<Type::I64>; };

template <> struct Exec<Opcode::GotoTb> {
  static const uint64_t* run(Ctx& c, const uint64_t* ip) {
    const TranslationBlock* d = c.tb->jmp_dest[ip[2] & 1];
    if (d && !d->invalid) return enter(c, d);
    return ip + 3;
  }
};

template <> struct Exec<Opcode::ExitTb> {
  static const uint64_t* run(Ctx& c, const uint64_t* ip) {
    c.ret = reinterpret_cast<uintptr_t>(c.tb) | (ip[2] & ExitCode::Mask);
    return nullptr;
  }
};

template <> struct Exec<Opcode::GotoPtr> {
  static const uint64_t* run(Ctx& c, const uint64_t* ip) {
    const uint8_t* code = c.rt->lookup(c.env);
    if (!code) {
      c.ret = reinterpret_cast<uintptr_t>(c.tb) | ExitCode::NoChain;
      return nullptr;
    }
    return enter(c, *reinterpret_cast<const TranslationBlock* const*>(code));
  }
};

/// The dispatch table, indexed by Opcode.
constexpr Handler kHandlers[] = {
#define PRESIL_OP(name, type, nout, nin, ncon, flags) Exec<Opcode::name>::run,
#include "tcg/ir/opcodes.inc"
#undef PRESIL_OP
};

}  // namespace

bool Interpreter::compile(const Block& block, TranslationBlock& tb, CodeBuffer& buf) {
  const auto& ops = block.ops();
  const auto& temps = block.temps();
  buf.align(8);
  size_t words = kHeaderWords;
  for (const Op& op : ops)
    if (op.opc != Opcode::InsnStart && op.opc != Opcode::SetLabel) words += 2 + op.nout + op.nin + op.ncon;
  if (words * 8 > buf.free_bytes()) return false;

  auto* w = reinterpret_cast<uint64_t*>(buf.cur());
  w[0] = reinterpret_cast<uint64_t>(&tb);
  w[1] = temps.size();
  size_t pos = kHeaderWords;
  std::vector<size_t> label_pos(block.num_labels(), 0);
  std::vector<std::pair<size_t, uint64_t>> fixups;
  tb.insn_code_end.clear();
  tb.jmp_patch_offset = {~0u, ~0u};
  bool in_insn = false;
  auto encode = [&](TempIdx t) -> uint64_t {
    const TempInfo& ti = temps[t];
    if (ti.kind != TempKind::Global) return t;
    return kGlobal | (ti.type == Type::I64 ? kWide : 0) | uint32_t(ti.env_offset);
  };
  for (const Op& op : ops) {
    if (op.opc == Opcode::InsnStart) {
      if (in_insn) tb.insn_code_end.push_back(uint32_t(pos * 8));
      in_insn = true;
      continue;
    }
    if (op.opc == Opcode::SetLabel) {
      label_pos[op.con(0)] = pos;
      continue;
    }
    w[pos] = reinterpret_cast<uint64_t>(kHandlers[idx(op.opc)]);
    w[pos + 1] = Meta::pack(op.opc, op.nout, op.nin, op.ncon);
    uint64_t* a = w + pos + 2;
    for (unsigned i = 0; i < unsigned(op.nout) + op.nin; ++i) a[i] = encode(TempIdx(op.args[i]));
    for (unsigned i = 0; i < op.ncon; ++i) a[op.nout + op.nin + i] = op.con(i);
    switch (op.opc) {
      case Opcode::Br: fixups.emplace_back(pos + 2, op.con(0)); break;
      case Opcode::Brcond_i32:
      case Opcode::Brcond_i64: fixups.emplace_back(pos + 5, op.con(1)); break;
      case Opcode::GotoTb: tb.jmp_patch_offset[op.con(0) & 1] = uint32_t(pos * 8); break;
      case Opcode::Call: {
        const auto* helpers = block.helpers();
        if (!helpers || op.con(0) >= helpers->size())
          throw std::logic_error(fmt::format("interp: call to unknown helper {}", op.con(0)));
        a[op.nout + op.nin] = reinterpret_cast<uint64_t>((*helpers)[op.con(0)].fn);
        break;
      }
      default: break;
    }
    pos += 2 + op.nout + op.nin + op.ncon;
  }
  if (in_insn) tb.insn_code_end.push_back(uint32_t(pos * 8));
  for (auto [at, label] : fixups) w[at] = label_pos[label];
  tb.code = buf.cur();
  tb.code_size = uint32_t(pos * 8);
  buf.commit(pos * 8);
  if (m_frame.size() < temps.size()) m_frame.resize(temps.size());
  return true;
}

uintptr_t Interpreter::execute(void* env, const TranslationBlock& tb) {
  Ctx c{static_cast<uint8_t*>(env), static_cast<CpuCommon*>(env), m_frame.data(), &tb, &m_runtime, 0};
  const uint64_t* ip = enter(c, &tb);
  while (ip) ip = reinterpret_cast<Handler>(ip[0])(c, ip);
  return c.ret;
}

void Interpreter::chain(TranslationBlock&, unsigned, const TranslationBlock&) {
  // GotoTb reads TranslationBlock::jmp_dest, which the engine has set.
}

void Interpreter::unchain(TranslationBlock&, unsigned) {}

std::string Interpreter::disassemble(const TranslationBlock& tb) const {
  std::string s;
  const auto* w = reinterpret_cast<const uint64_t*>(tb.code);
  for (size_t pos = kHeaderWords; pos * 8 < tb.code_size;) {
    uint64_t meta = w[pos + 1];
    s += fmt::format("{:5}: {}", pos, op_info(Meta::opc(meta)).name);
    for (unsigned i = 2; i < Meta::words(meta); ++i) s += fmt::format(" {:#x}", w[pos + i]);
    s += "\n";
    pos += Meta::words(meta);
  }
  return s;
}

std::unique_ptr<tcg::Backend> make_interpreter() { return std::make_unique<Interpreter>(); }

}  // namespace presil::host::interp
