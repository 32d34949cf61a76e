// SPDX-License-Identifier: Apache-2.0
// Every pure IR op, edge-case and random operands (fixed seeds), on every back-end, against a
// reference computed here and against the interpreter.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <functional>
#include <map>
#include <random>
#include <string>

#include "tests/tcg/test_guest.h"

namespace presil::tcg::test {
namespace {

// --- reference semantics, written independently of tcg/ir/semantics.h -------------

uint64_t mask(unsigned bits) { return bits == 64 ? ~0ull : (1ull << bits) - 1; }
int64_t sx(uint64_t v, unsigned bits) {
  v &= mask(bits);
  if (bits < 64 && (v >> (bits - 1) & 1)) v |= ~mask(bits);
  return int64_t(v);
}

bool ref_cond(unsigned c, uint64_t a, uint64_t b, unsigned bits) {
  a &= mask(bits), b &= mask(bits);
  int64_t x = sx(a, bits), y = sx(b, bits);
  const bool table[] = {false, true, a == b, a != b, x < y, x >= y, x <= y, x > y,
                        a < b, a >= b, a <= b, a > b, (a & b) == 0, (a & b) != 0};
  return table[c];
}

unsigned count_bits(uint64_t v) {
  unsigned n = 0;
  for (; v; v >>= 1) n += v & 1;
  return n;
}

using Ref = std::function<void(unsigned bits, const uint64_t* in, const uint64_t* con, uint64_t* out)>;

const std::map<std::string, Ref>& references() {
  static const std::map<std::string, Ref> t = [] {
    std::map<std::string, Ref> m;
    auto bin = [&](const char* name, std::function<uint64_t(uint64_t, uint64_t, unsigned)> f) {
      m[name] = [f](unsigned bits, const uint64_t* in, const uint64_t*, uint64_t* out) {
        out[0] = f(in[0] & mask(bits), in[1] & mask(bits), bits) & mask(bits);
      };
    };
    auto un = [&](const char* name, std::function<uint64_t(uint64_t, unsigned)> f) {
      m[name] = [f](unsigned bits, const uint64_t* in, const uint64_t*, uint64_t* out) {
        out[0] = f(in[0] & mask(bits), bits) & mask(bits);
      };
    };
    un("Mov", [](uint64_t a, unsigned) { return a; });
    m["Movi"] = [](unsigned bits, const uint64_t*, const uint64_t* con, uint64_t* out) { out[0] = con[0] & mask(bits); };
    bin("Add", [](uint64_t a, uint64_t b, unsigned) { return a + b; });
    bin("Sub", [](uint64_t a, uint64_t b, unsigned) { return a - b; });
    bin("And", [](uint64_t a, uint64_t b, unsigned) { return a & b; });
    bin("Or", [](uint64_t a, uint64_t b, unsigned) { return a | b; });
    bin("Xor", [](uint64_t a, uint64_t b, unsigned) { return a ^ b; });
    bin("Andc", [](uint64_t a, uint64_t b, unsigned) { return a & ~b; });
    bin("Orc", [](uint64_t a, uint64_t b, unsigned) { return a | ~b; });
    bin("Eqv", [](uint64_t a, uint64_t b, unsigned) { return ~(a ^ b); });
    bin("Nand", [](uint64_t a, uint64_t b, unsigned) { return ~(a & b); });
    bin("Nor", [](uint64_t a, uint64_t b, unsigned) { return ~(a | b); });
    un("Neg", [](uint64_t a, unsigned) { return 0 - a; });
    un("Not", [](uint64_t a, unsigned) { return ~a; });
    bin("Shl", [](uint64_t a, uint64_t b, unsigned w) { return a << (b % w); });
    bin("Shr", [](uint64_t a, uint64_t b, unsigned w) { return a >> (b % w); });
    bin("Sar", [](uint64_t a, uint64_t b, unsigned w) { return uint64_t(sx(a, w) >> (b % w)); });
    bin("Rotl", [](uint64_t a, uint64_t b, unsigned w) {
      unsigned s = unsigned(b % w);
      return s ? (a << s | a >> (w - s)) : a;
    });
    bin("Rotr", [](uint64_t a, uint64_t b, unsigned w) {
      unsigned s = unsigned(b % w);
      return s ? (a >> s | a << (w - s)) : a;
    });
    bin("Mul", [](uint64_t a, uint64_t b, unsigned) { return a * b; });
    bin("Div", [](uint64_t a, uint64_t b, unsigned w) -> uint64_t {
      if (b == 0) return 0;
      if (sx(b, w) == -1) return 0 - a;
      return uint64_t(sx(a, w) / sx(b, w));
    });
    bin("Divu", [](uint64_t a, uint64_t b, unsigned) -> uint64_t { return b ? a / b : 0; });
    bin("Rem", [](uint64_t a, uint64_t b, unsigned w) -> uint64_t {
      if (b == 0) return a;
      if (sx(b, w) == -1) return 0;
      return uint64_t(sx(a, w) % sx(b, w));
    });
    bin("Remu", [](uint64_t a, uint64_t b, unsigned) -> uint64_t { return b ? a % b : a; });
    bin("Clz", [](uint64_t a, uint64_t z, unsigned w) -> uint64_t {
      if (!a) return z;
      unsigned n = 0;
      for (unsigned i = w; i-- > 0 && !(a >> i & 1);) ++n;
      return n;
    });
    bin("Ctz", [](uint64_t a, uint64_t z, unsigned w) -> uint64_t {
      if (!a) return z;
      unsigned n = 0;
      for (unsigned i = 0; i < w && !(a >> i & 1); ++i) ++n;
      return n;
    });
    un("Ctpop", [](uint64_t a, unsigned) -> uint64_t { return count_bits(a); });
    un("Ext8s", [](uint64_t a, unsigned) { return uint64_t(sx(a, 8)); });
    un("Ext8u", [](uint64_t a, unsigned) { return a & 0xff; });
    un("Ext16s", [](uint64_t a, unsigned) { return uint64_t(sx(a, 16)); });
    un("Ext16u", [](uint64_t a, unsigned) { return a & 0xffff; });
    un("Ext32s", [](uint64_t a, unsigned) { return uint64_t(sx(a, 32)); });
    un("Ext32u", [](uint64_t a, unsigned) { return a & 0xffffffff; });
    m["ExtI32"] = [](unsigned, const uint64_t* in, const uint64_t*, uint64_t* out) { out[0] = uint64_t(sx(in[0], 32)); };
    m["ExtuI32"] = [](unsigned, const uint64_t* in, const uint64_t*, uint64_t* out) { out[0] = in[0] & 0xffffffff; };
    m["ExtrlI64"] = [](unsigned, const uint64_t* in, const uint64_t*, uint64_t* out) { out[0] = in[0] & 0xffffffff; };
    m["ExtrhI64"] = [](unsigned, const uint64_t* in, const uint64_t*, uint64_t* out) { out[0] = in[0] >> 32; };
    auto swap = [](uint64_t a, unsigned bytes) {
      uint64_t r = 0;
      for (unsigned i = 0; i < bytes; ++i) r |= (a >> (8 * i) & 0xff) << (8 * (bytes - 1 - i));
      return r;
    };
    un("Bswap16", [swap](uint64_t a, unsigned) { return swap(a, 2); });
    un("Bswap32", [swap](uint64_t a, unsigned) { return swap(a, 4); });
    un("Bswap64", [swap](uint64_t a, unsigned) { return swap(a, 8); });
    m["Setcond"] = [](unsigned w, const uint64_t* in, const uint64_t* con, uint64_t* out) {
      out[0] = ref_cond(unsigned(con[0]), in[0], in[1], w) ? 1 : 0;
    };
    m["Negsetcond"] = [](unsigned w, const uint64_t* in, const uint64_t* con, uint64_t* out) {
      out[0] = ref_cond(unsigned(con[0]), in[0], in[1], w) ? mask(w) : 0;
    };
    m["Movcond"] = [](unsigned w, const uint64_t* in, const uint64_t* con, uint64_t* out) {
      out[0] = (ref_cond(unsigned(con[0]), in[0], in[1], w) ? in[2] : in[3]) & mask(w);
    };
    m["Extract"] = [](unsigned w, const uint64_t* in, const uint64_t* con, uint64_t* out) {
      out[0] = ((in[0] & mask(w)) >> con[0]) & mask(unsigned(con[1]));
    };
    m["Sextract"] = [](unsigned w, const uint64_t* in, const uint64_t* con, uint64_t* out) {
      out[0] = uint64_t(sx((in[0] & mask(w)) >> con[0], unsigned(con[1]))) & mask(w);
    };
    m["Deposit"] = [](unsigned w, const uint64_t* in, const uint64_t* con, uint64_t* out) {
      uint64_t field = mask(unsigned(con[1])) << con[0];
      out[0] = ((in[0] & ~field) | ((in[1] << con[0]) & field)) & mask(w);
    };
    auto wide = [](bool sign) {
      return [sign](unsigned w, const uint64_t* in, const uint64_t*, uint64_t* out) {
        unsigned __int128 p;
        if (sign) p = (unsigned __int128)((__int128)sx(in[0], w) * (__int128)sx(in[1], w));
        else p = (unsigned __int128)(in[0] & mask(w)) * (in[1] & mask(w));
        out[0] = uint64_t(p) & mask(w);
        out[1] = uint64_t(p >> w) & mask(w);
      };
    };
    m["Mulu2"] = wide(false);
    m["Muls2"] = wide(true);
    auto dbl = [](bool sub) {
      return [sub](unsigned w, const uint64_t* in, const uint64_t*, uint64_t* out) {
        unsigned __int128 a = (unsigned __int128)(in[1] & mask(w)) << w | (in[0] & mask(w));
        unsigned __int128 b = (unsigned __int128)(in[3] & mask(w)) << w | (in[2] & mask(w));
        unsigned __int128 r = sub ? a - b : a + b;
        out[0] = uint64_t(r) & mask(w);
        out[1] = uint64_t(r >> w) & mask(w);
      };
    };
    m["Add2"] = dbl(false);
    m["Sub2"] = dbl(true);
    return m;
  }();
  return t;
}

// --- op shapes -------------------------------------------------------------------------

std::string base_name(Opcode o) {
  std::string n(op_info(o).name);
  return n.substr(0, n.rfind('_'));
}
bool is_pure(Opcode o) {
  const OpInfo& i = op_info(o);
  return !(i.flags & (OpFlag::SideEffects | OpFlag::ReadsEnv)) && i.nout > 0;
}
Type in_type(Opcode o) {
  std::string b = base_name(o);
  if (b == "ExtI32" || b == "ExtuI32") return Type::I32;
  if (b == "ExtrlI64" || b == "ExtrhI64") return Type::I64;
  return op_info(o).type;
}
unsigned bits_of(Type t) { return t == Type::I32 ? 32 : 64; }

/// Constant operand sets to try for an op.
std::vector<std::vector<uint64_t>> constant_sets(Opcode o, std::mt19937_64& rng) {
  std::string b = base_name(o);
  unsigned w = bits_of(op_info(o).type);
  std::vector<std::vector<uint64_t>> sets;
  if (b == "Setcond" || b == "Negsetcond" || b == "Movcond") {
    for (uint64_t c = 0; c < 14; ++c) sets.push_back({c});
  } else if (b == "Extract" || b == "Sextract" || b == "Deposit") {
    sets = {{0, 1}, {0, w}, {w - 1, 1}, {0, 8}, {8, 8}, {w - 16, 16}, {1, w - 1}};
    for (int i = 0; i < 4; ++i) {
      uint64_t pos = rng() % w;
      sets.push_back({pos, 1 + rng() % (w - pos)});
    }
  } else if (b == "Movi") {
    sets = {{0}, {1}, {~0ull}, {0x8000000000000000ull}, {0x7fffffff}, {rng()}};
  } else {
    sets.push_back({});
  }
  return sets;
}

std::vector<uint64_t> edge_values() {
  return {0, 1, 2, 3, 7, 31, 32, 33, 63, 64, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x7fffffff, 0x80000000,
          0xffffffff, 0x100000000ull, 0x7fffffffffffffffull, 0x8000000000000000ull, ~0ull, ~0ull - 1,
          0x5555555555555555ull, 0xaaaaaaaa00000001ull, 0xffffffff80000000ull};
}

/// Input vectors: the full cross product of edge values for the first two
/// inputs (others random), then random vectors mixing edges and noise.
std::vector<std::array<uint64_t, 4>> input_sets(unsigned nin, std::mt19937_64& rng, unsigned nrandom) {
  auto edges = edge_values();
  std::vector<std::array<uint64_t, 4>> v;
  auto pick = [&] { return rng() % 3 == 0 ? edges[rng() % edges.size()] : rng() >> (rng() % 64); };
  if (nin <= 2) {
    for (uint64_t a : edges)
      for (uint64_t b : (nin == 2 ? edges : std::vector<uint64_t>{0})) v.push_back({a, b, 0, 0});
  }
  for (unsigned i = 0; i < nrandom; ++i) v.push_back({pick(), pick(), pick(), pick()});
  return v;
}

// --- running one op on a back-end ------------------------------------------------------------

/// Emits `op(in...)` into the block, inputs from globals (or constants), outputs to locals
/// then to the result globals (r8/r9 or w4/w5).
void emit_op(TranslateContext& ctx, Opcode o, const std::vector<uint64_t>& cons, const std::array<uint64_t, 4>* const_in) {
  Builder& b = ctx.b;
  Block& blk = b.block();
  const OpInfo& info = op_info(o);
  b.insn_start(ctx.key.pc);
  Type it = in_type(o), ot = info.type;
  Op op;
  op.opc = o;
  op.nout = info.nout;
  op.nin = info.nin;
  op.ncon = info.ncon;
  std::vector<TempIdx> outs;
  for (unsigned i = 0; i < info.nout; ++i) {
    TempIdx t = blk.new_temp(ot);
    outs.push_back(t);
    op.args[i] = t;
  }
  for (unsigned i = 0; i < info.nin; ++i) {
    TempIdx t;
    if (const_in) {
      t = it == Type::I32 ? b.c32(uint32_t((*const_in)[i])).t : b.c64((*const_in)[i]).t;
    } else {
      t = it == Type::I32 ? TestCpu::kW0Global + i : i;
    }
    op.args[info.nout + i] = t;
  }
  for (unsigned i = 0; i < info.ncon; ++i) op.args[info.nout + info.nin + i] = cons[i];
  blk.ops().push_back(op);
  for (unsigned i = 0; i < info.nout; ++i) {
    if (ot == Type::I32) b.mov(b.global32(TestCpu::kW0Global + 4 + i), U32{outs[i]});
    else b.mov(b.global64(8 + i), U64{outs[i]});
  }
  b.exit_tb(ExitCode::NoChain);
  ctx.num_insns = 1;
  ctx.cycles = 1;
  ctx.end_pc = ctx.key.pc + 4;
}

/// Runs one op once on a rig; returns its outputs.
std::array<uint64_t, 2> run_once(Rig& r, uint64_t pc, const std::array<uint64_t, 4>& in, Type it, Type ot) {
  for (unsigned i = 0; i < 4; ++i) {
    r.cpu.s.r[i] = in[i];
    r.cpu.s.w[i] = uint32_t(in[i]);
  }
  r.cpu.s.r[8] = r.cpu.s.r[9] = 0xdeadbeefdeadbeefull;
  r.cpu.s.w[4] = r.cpu.s.w[5] = 0xdeadbeef;
  r.cpu.s.pc = pc;
  EXPECT_EQ(r.engine.run(1), ExitReason::BudgetExhausted);
  if (ot == Type::I32) return {r.cpu.s.w[4], r.cpu.s.w[5]};
  return {r.cpu.s.r[8], r.cpu.s.r[9]};
}

class OpsTest : public ::testing::TestWithParam<std::string> {};

TEST_P(OpsTest, EveryPureOpMatchesTheReferenceAndTheInterpreter) {
  const std::string backend = GetParam();
  Rig rig(backend), oracle("interp");
  std::mt19937_64 rng(0x5eed1234);
  unsigned ops_tested = 0;
  uint64_t pc = 0x1000;
  for (size_t oi = 0; oi < size_t(Opcode::Count); ++oi) {
    const Opcode o = Opcode(oi);
    if (!is_pure(o)) continue;
    const OpInfo& info = op_info(o);
    auto ref_it = references().find(base_name(o));
    ASSERT_NE(ref_it, references().end()) << "no reference for " << info.name;
    const Type it = in_type(o), ot = info.type;
    for (const auto& cons : constant_sets(o, rng)) {
      ASSERT_EQ(cons.size(), info.ncon) << info.name;
      // Inputs from registers: one translation, many runs.
      pc += 4;
      for (Rig* r : {&rig, &oracle})
        r->cpu.ir = [&](TranslateContext& ctx) { emit_op(ctx, o, cons, nullptr); };
      for (const auto& in : input_sets(info.nin, rng, 200)) {
        uint64_t expect[2] = {0, 0};
        std::array<uint64_t, 4> masked = in;
        for (auto& v : masked) v &= mask(bits_of(it));
        ref_it->second(bits_of(ot), masked.data(), cons.data(), expect);
        auto got = run_once(rig, pc, in, it, ot);
        auto want = run_once(oracle, pc, in, it, ot);
        for (unsigned k = 0; k < info.nout; ++k) {
          ASSERT_EQ(got[k], expect[k]) << fmt::format("{} out{} in={:#x},{:#x},{:#x},{:#x} con={} on {}", info.name, k,
                                                      in[0], in[1], in[2], in[3], fmt::join(cons, ","), backend);
          ASSERT_EQ(got[k], want[k]) << info.name << " differs from the interpreter";
        }
      }
      // Constant inputs: exercises constant folding in the optimizer.
      for (const auto& in : input_sets(info.nin, rng, 8)) {
        if (rng() % 8 != 0 && info.nin <= 2) continue;  // a sample of the cross product
        pc += 4;
        for (Rig* r : {&rig, &oracle})
          r->cpu.ir = [&](TranslateContext& ctx) { emit_op(ctx, o, cons, &in); };
        uint64_t expect[2] = {0, 0};
        std::array<uint64_t, 4> masked = in;
        for (auto& v : masked) v &= mask(bits_of(it));
        ref_it->second(bits_of(ot), masked.data(), cons.data(), expect);
        auto got = run_once(rig, pc, in, it, ot);
        auto want = run_once(oracle, pc, in, it, ot);
        for (unsigned k = 0; k < info.nout; ++k) {
          ASSERT_EQ(got[k], expect[k]) << fmt::format("{} (constant inputs) out{} in={:#x},{:#x},{:#x},{:#x} on {}",
                                                      info.name, k, in[0], in[1], in[2], in[3], backend);
          ASSERT_EQ(got[k], want[k]);
        }
      }
    }
    ++ops_tested;
  }
  EXPECT_GT(ops_tested, 90u);
}

TEST_P(OpsTest, EnvLoadsAndStoresAllSizes) {
  Rig rig(GetParam());
  const int32_t off = int32_t(offsetof(TestState, scratch));
  std::mt19937_64 rng(77);
  for (unsigned size_log2 = 0; size_log2 < 4; ++size_log2) {
    for (bool sign : {false, true}) {
      rig.cpu.ir = [&](TranslateContext& ctx) {
        Builder& b = ctx.b;
        b.insn_start(ctx.key.pc);
        b.st_env(b.global64(0), off + 8, MemOp::u(3));  // clear-ish: whole second word from r1
        b.st_env(b.global64(1), off, MemOp::u(3));
        b.st_env(b.global64(0), off, MemOp{uint8_t(size_log2), false, false, 0, 0});
        b.mov(b.global64(8), b.ld_env64(off, MemOp{uint8_t(size_log2), sign, false, 0, 0}));
        if (size_log2 < 3) b.mov(b.global32(TestCpu::kW0Global + 4), b.ld_env32(off, MemOp{uint8_t(size_log2), sign, false, 0, 0}));
        b.exit_tb(ExitCode::NoChain);
        ctx.num_insns = 1;
        ctx.cycles = 1;
      };
      rig.engine.flush_code();
      for (uint64_t v : edge_values()) {
        uint64_t fill = rng();
        rig.cpu.s.r[0] = v;
        rig.cpu.s.r[1] = fill;
        rig.cpu.s.pc = 0;
        EXPECT_EQ(rig.engine.run(1), ExitReason::BudgetExhausted);
        unsigned bits = 8u << size_log2;
        uint64_t expect = sign ? uint64_t(sx(v, bits)) : v & mask(bits);
        EXPECT_EQ(rig.cpu.s.r[8], expect) << size_log2 << sign;
        if (size_log2 < 3) {
          EXPECT_EQ(rig.cpu.s.w[4], uint32_t(expect));
        }
        // Bytes beyond the store are untouched.
        uint64_t keep = bits == 64 ? 0 : fill & ~mask(bits);
        EXPECT_EQ(rig.cpu.s.scratch[0] & ~mask(bits), keep);
      }
    }
  }
}

TEST_P(OpsTest, GuestLoadsAndStoresAllSizesSignsAndByteOrders) {
  Rig rig(GetParam());
  std::mt19937_64 rng(99);
  for (unsigned size_log2 = 0; size_log2 < 4; ++size_log2) {
    for (bool sign : {false, true}) {
      for (bool be : {false, true}) {
        MemOp m{uint8_t(size_log2), sign, be, 0, 0};
        rig.cpu.ir = [&](TranslateContext& ctx) {
          Builder& b = ctx.b;
          b.insn_start(ctx.key.pc);
          b.st(b.global64(0), b.global64(1), MemOp{uint8_t(size_log2), false, be, 0, 0});
          b.mov(b.global64(8), b.ld64(b.global64(1), m));
          if (size_log2 < 3) b.mov(b.global32(TestCpu::kW0Global + 4), b.ld32(b.global32(TestCpu::kW0Global + 1), m));
          b.exit_tb(ExitCode::NoChain);
          ctx.num_insns = 1;
          ctx.cycles = 1;
        };
        rig.engine.flush_code();
        for (int i = 0; i < 64; ++i) {
          uint64_t v = i < 27 ? edge_values()[size_t(i)] : rng();
          uint64_t addr = 0x1000 + rng() % 0x3000;  // unaligned and page-crossing too
          rig.cpu.s.r[0] = v;
          rig.cpu.s.r[1] = addr;
          rig.cpu.s.w[1] = uint32_t(addr);
          rig.cpu.s.pc = 0;
          EXPECT_EQ(rig.engine.run(1), ExitReason::BudgetExhausted);
          const unsigned n = 1u << size_log2, bits = 8 * n;
          for (unsigned k = 0; k < n; ++k) {
            unsigned shift = be ? 8 * (n - 1 - k) : 8 * k;
            ASSERT_EQ(rig.mem.ram[addr + k], uint8_t(v >> shift)) << "byte " << k << " size " << n << " be " << be;
          }
          uint64_t expect = sign ? uint64_t(sx(v, bits)) : v & mask(bits);
          ASSERT_EQ(rig.cpu.s.r[8], expect) << "size " << n << " sign " << sign << " be " << be << " addr " << addr;
          if (size_log2 < 3) {
            ASSERT_EQ(rig.cpu.s.w[4], uint32_t(expect));
          }
        }
      }
    }
  }
}

TEST_P(OpsTest, HelperCallsPassArgumentsAndResults) {
  Rig rig(GetParam());
  rig.cpu.ir = [&](TranslateContext& ctx) {
    Builder& b = ctx.b;
    b.insn_start(ctx.key.pc);
    b.mov(b.global64(8), b.call(1, {b.global64(0).t, b.global64(1).t, b.global32(TestCpu::kW0Global + 2).t}, true));
    b.exit_tb(ExitCode::NoChain);
    ctx.num_insns = 1;
    ctx.cycles = 1;
  };
  std::mt19937_64 rng(5);
  for (int i = 0; i < 100; ++i) {
    uint64_t a = rng(), c = rng();
    uint32_t w = uint32_t(rng());
    rig.cpu.s.r[0] = a;
    rig.cpu.s.r[1] = c;
    rig.cpu.s.w[2] = w;
    rig.cpu.s.pc = 0;
    EXPECT_EQ(rig.engine.run(1), ExitReason::BudgetExhausted);
    EXPECT_EQ(rig.cpu.s.r[8], a + c + w);  // the 32-bit argument arrives zero-extended
  }
}

TEST_P(OpsTest, BrcondEveryConditionBothWidths) {
  Rig rig(GetParam()), oracle("interp");
  std::mt19937_64 rng(31337);
  auto edges = edge_values();
  uint64_t pc = 0;
  for (Type t : {Type::I32, Type::I64}) {
    for (unsigned c = 0; c < 14; ++c) {
      pc += 4;
      for (Rig* r : {&rig, &oracle}) {
        r->cpu.ir = [t, c](TranslateContext& ctx) {
          Builder& b = ctx.b;
          b.insn_start(ctx.key.pc);
          Label taken = b.new_label(), done = b.new_label();
          if (t == Type::I32) b.brcond(Cond(c), b.global32(TestCpu::kW0Global), b.global32(TestCpu::kW0Global + 1), taken);
          else b.brcond(Cond(c), b.global64(0), b.global64(1), taken);
          b.movi(b.global64(8), 0);
          b.br(done);
          b.set_label(taken);
          b.movi(b.global64(8), 1);
          b.set_label(done);
          b.mb();
          b.exit_tb(ExitCode::NoChain);
          ctx.num_insns = 1;
          ctx.cycles = 1;
        };
      }
      for (int i = 0; i < 400; ++i) {
        std::array<uint64_t, 4> in{edges[rng() % edges.size()], edges[rng() % edges.size()], 0, 0};
        if (i % 4 == 0) in[1] = in[0];
        if (i % 4 == 1) in[0] = rng(), in[1] = rng();
        uint64_t want = ref_cond(c, in[0], in[1], bits_of(t)) ? 1 : 0;
        EXPECT_EQ(run_once(rig, pc, in, t, Type::I64)[0], want)
            << "cond " << c << " bits " << bits_of(t) << std::hex << " a=" << in[0] << " b=" << in[1];
        EXPECT_EQ(run_once(oracle, pc, in, t, Type::I64)[0], want);
      }
    }
  }
}

TEST_P(OpsTest, BranchesAndLabelsInsideABlock) {
  Rig rig(GetParam());
  // r8 = sum of 1..r0 with a backward branch inside one block.
  rig.cpu.ir = [&](TranslateContext& ctx) {
    Builder& b = ctx.b;
    b.insn_start(ctx.key.pc);
    U64 i = b.local64(), acc = b.local64();
    b.mov(i, b.global64(0));
    b.movi(acc, 0);
    Label top = b.new_label(), done = b.new_label();
    b.set_label(top);
    b.brcond(Cond::Eq, i, b.c64(0), done);
    b.mov(acc, b.add(acc, i));
    b.mov(i, b.sub(i, b.c64(1)));
    b.br(top);
    b.set_label(done);
    b.mov(b.global64(8), acc);
    b.exit_tb(ExitCode::NoChain);
    ctx.num_insns = 1;
    ctx.cycles = 1;
  };
  for (uint64_t n : {0ull, 1ull, 2ull, 10ull, 1000ull}) {
    rig.cpu.s.r[0] = n;
    rig.cpu.s.pc = 0;
    EXPECT_EQ(rig.engine.run(1), ExitReason::BudgetExhausted);
    EXPECT_EQ(rig.cpu.s.r[8], n * (n + 1) / 2);
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, OpsTest, ::testing::ValuesIn(host::backend_names()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace presil::tcg::test
