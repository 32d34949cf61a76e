// SPDX-License-Identifier: Apache-2.0
// Unit tests of the x86-64 back-end: IR blocks compiled and entered directly with a fake env and runtime.
#include <gtest/gtest.h>

#include <unistd.h>

#include <csetjmp>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <cstring>
#include <deque>
#include <random>
#include <string>
#include <vector>

#include "host/interp/interp.h"
#include "host/x86_64/x64_backend.h"
#include "tcg/cpu_state.h"
#include "tcg/ir/builder.h"

namespace presil::host::x86_64 {
namespace {

using namespace presil::tcg;

/// Guest state of the tests: the engine part, 16 32-bit and 8 64-bit registers, spare bytes.
struct Env {
  CpuCommon common;
  uint32_t r[16];
  uint64_t x[8];
  uint8_t bytes[32];
};

constexpr unsigned kX = 16;  // temp index of x0

const std::vector<GlobalDef>& globals() {
  static const std::vector<GlobalDef> g = [] {
    static const char* names[24] = {"r0", "r1", "r2",  "r3",  "r4",  "r5",  "r6",  "r7",
                                    "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
                                    "x0", "x1", "x2",  "x3",  "x4",  "x5",  "x6",  "x7"};
    std::vector<GlobalDef> v;
    for (unsigned i = 0; i < 16; ++i) v.push_back({names[i], Type::I32, int32_t(offsetof(Env, r) + 4 * i)});
    for (unsigned i = 0; i < 8; ++i) v.push_back({names[16 + i], Type::I64, int32_t(offsetof(Env, x) + 8 * i)});
    return v;
  }();
  return g;
}

// --- fake runtime: 64 KiB of guest RAM at address 0 -------------------------
constexpr uint64_t kMemSize = 64 * 1024;
std::vector<uint8_t> g_mem(kMemSize);
unsigned g_slow_loads = 0, g_slow_stores = 0;
const uint8_t* g_lookup_target = nullptr;
uintptr_t g_last_host_pc = 0;

[[noreturn]] void fault(void* env, uint64_t addr, uintptr_t host_pc) {
  auto* c = static_cast<CpuCommon*>(env);
  c->fault_addr = addr;
  c->fault_host_pc = host_pc;
  std::longjmp(c->unwind, 1);
}

uint64_t swap_bytes(uint64_t v, unsigned size) {
  uint64_t r = 0;
  for (unsigned i = 0; i < size; ++i) r |= (v >> (8 * i) & 0xff) << (8 * (size - 1 - i));
  return r;
}

uint64_t rt_load(void* env, uint64_t addr, uint32_t memop, uintptr_t host_pc) {
  ++g_slow_loads;
  g_last_host_pc = host_pc;
  const MemOp m = MemOp::unpack(memop);
  const unsigned size = m.bytes();
  if ((addr & ((uint64_t(1) << m.align_log2) - 1)) || addr + size > kMemSize) fault(env, addr, host_pc);
  uint64_t v = 0;
  std::memcpy(&v, g_mem.data() + addr, size);
  if (m.big_endian) v = swap_bytes(v, size);
  if (m.sign && size < 8) v = uint64_t(int64_t(v << (64 - 8 * size)) >> (64 - 8 * size));
  return v;
}

void rt_store(void* env, uint64_t addr, uint64_t value, uint32_t memop, uintptr_t host_pc) {
  ++g_slow_stores;
  g_last_host_pc = host_pc;
  const MemOp m = MemOp::unpack(memop);
  const unsigned size = m.bytes();
  if ((addr & ((uint64_t(1) << m.align_log2) - 1)) || addr + size > kMemSize) fault(env, addr, host_pc);
  if (m.big_endian) value = swap_bytes(value, size);
  std::memcpy(g_mem.data() + addr, &value, size);
}

const uint8_t* rt_lookup(void*) { return g_lookup_target; }

Runtime runtime() { return Runtime{&rt_load, &rt_store, &rt_lookup}; }

// --- helpers callable from blocks -------------------------------------------
uint64_t h_mix(void*, uint64_t a, uint64_t b, uint64_t c, uint64_t d) { return a * 3 + b * 5 + c * 7 + d * 11; }
uint64_t h_bump_r5(void* env, uint64_t a, uint64_t, uint64_t, uint64_t) {
  auto* e = static_cast<Env*>(env);
  uint64_t old = e->r[5];
  e->r[5] += uint32_t(a);
  return old;
}
uint64_t h_raise(void* env, uint64_t a, uint64_t, uint64_t, uint64_t) {
  auto* c = static_cast<CpuCommon*>(env);
  if (a == 0xdead) std::longjmp(c->unwind, 2);
  return a;
}

const std::vector<HelperInfo>& helpers() {
  static const std::vector<HelperInfo> h = {
      {"mix", &h_mix, 4, true, HelperFlag::NoSideEffects | HelperFlag::NoReadGlobals | HelperFlag::NoWriteGlobals},
      {"bump_r5", &h_bump_r5, 1, true, 0},
      {"raise", &h_raise, 1, true, HelperFlag::MayRaise | HelperFlag::NoWriteGlobals},
  };
  return h;
}

/// Compiles blocks with one back-end and runs them on one Env.
struct Harness {
  CodeBuffer buf{4u << 20};
  std::unique_ptr<Backend> be;
  std::deque<TranslationBlock> tbs;
  Env env{};

  explicit Harness(std::unique_ptr<Backend> b) : be(std::move(b)) {
    be->set_runtime(runtime());
    env.common.set_budget(1000000);
  }
  TranslationBlock& compile(const Block& block, uint32_t cycles = 1) {
    TranslationBlock& tb = tbs.emplace_back();
    tb.cycles = cycles;
    for (const Op& op : block.ops()) {
      if (op.opc == Opcode::InsnStart) tb.insns.push_back({op.con(0), op.con(1), op.con(2)});
    }
    tb.num_insns = uint32_t(tb.insns.size());
    EXPECT_TRUE(be->compile(block, tb, buf));
    return tb;
  }
  uintptr_t run(const TranslationBlock& tb) { return be->execute(&env, tb); }
  /// Runs tb; returns the setjmp value (0: no unwind) and the exit in *exit.
  int run_catching(const TranslationBlock& tb, uintptr_t* exit) {
    if (int v = setjmp(env.common.unwind)) return v;
    *exit = run(tb);
    return 0;
  }
};

std::unique_ptr<Backend> jit() { return std::make_unique<X64Backend>(runtime()); }

void fill_tlb(Env& env, uint64_t page, bool read, bool write) {
  TlbEntry& e = env.common.tlb[tlb_index(page)];
  e.addr_read = read ? page : ~uint64_t(0);
  e.addr_write = write ? page : ~uint64_t(0);
  e.addend = reinterpret_cast<uintptr_t>(g_mem.data());
}

// ---------------------------------------------------------------------------

TEST(X64Backend, ComputesWithGlobalsAndReportsExit) {
  Harness h(jit());
  Block b(globals());
  Builder bb(b);
  bb.insn_start(0x100);
  U32 r0 = bb.global32(0), r1 = bb.global32(1), r2 = bb.global32(2);
  bb.mov(r2, bb.add(r0, r1));
  bb.mov(r0, bb.sub(r0, bb.c32(7)));
  U64 x0 = bb.global64(kX);
  bb.mov(x0, bb.mul(bb.zext(r1), bb.c64(0x100000000ull)));
  bb.exit_tb(ExitCode::NoChain);
  TranslationBlock& tb = h.compile(b, 3);
  h.env.r[0] = 40;
  h.env.r[1] = 2;
  const int64_t budget = h.env.common.budget();
  EXPECT_EQ(h.run(tb), reinterpret_cast<uintptr_t>(&tb) | ExitCode::NoChain);
  EXPECT_EQ(h.env.r[2], 42u);
  EXPECT_EQ(h.env.r[0], 33u);
  EXPECT_EQ(h.env.x[0], 0x200000000ull);
  EXPECT_EQ(h.env.common.budget(), budget - 3);
  EXPECT_EQ(h.env.common.insns(), 1u);
  EXPECT_NE(h.be->disassemble(tb).find("sub r14"), std::string::npos);  // the run counter charge
}

TEST(X64Backend, ShiftedIndexAddIsOneLeaThatWrapsAt32Bits) {
  Harness h(jit());
  Block b(globals());
  Builder bb(b);
  bb.insn_start(0x100);
  U32 r0 = bb.global32(0), r1 = bb.global32(1);
  // base + (index << k) for k = 1..3 (an ARM `ldr r, [base, index, lsl #k]` address), and a
  // shift by 4, which x86 addressing cannot scale.
  for (unsigned k = 1; k <= 4; ++k) bb.mov(bb.global32(1 + k), bb.add(r0, bb.shl(r1, bb.c32(k))));
  bb.exit_tb(ExitCode::NoChain);
  TranslationBlock& tb = h.compile(b, 1);
  EXPECT_NE(h.be->disassemble(tb).find("*8]"), std::string::npos);  // folded into an lea
  h.env.r[0] = 0xfffffff0u;
  h.env.r[1] = 0x40000005u;  // the shifted index overflows 32 bits
  h.run(tb);
  for (unsigned k = 1; k <= 4; ++k) EXPECT_EQ(h.env.r[1 + k], uint32_t(0xfffffff0u + (0x40000005u << k))) << k;
  EXPECT_EQ(h.env.r[1], 0x40000005u);  // the index itself is kept
}

TEST(X64Backend, BudgetTooSmallExitsWithoutRunning) {
  Harness h(jit());
  Block b(globals());
  Builder bb(b);
  bb.insn_start(0);
  bb.mov(bb.global32(0), bb.c32(99));
  bb.exit_tb(ExitCode::NoChain);
  TranslationBlock& tb = h.compile(b, 10);
  h.env.common.set_budget(9);
  EXPECT_EQ(h.run(tb), reinterpret_cast<uintptr_t>(&tb) | ExitCode::Requested);
  EXPECT_EQ(h.env.r[0], 0u);
  EXPECT_EQ(h.env.common.budget(), 9);
  EXPECT_EQ(h.env.common.insns(), 0u) << "a block that did not run counts no instruction";
  h.env.common.set_budget(10);
  EXPECT_EQ(h.run(tb), reinterpret_cast<uintptr_t>(&tb) | ExitCode::NoChain);
  EXPECT_EQ(h.env.r[0], 99u);
  EXPECT_EQ(h.env.common.budget(), 0);
  EXPECT_EQ(h.env.common.insns(), 1u);
  h.env.common.set_budget(-1);  // request_exit() style
  h.env.r[0] = 0;
  EXPECT_EQ(h.run(tb) & ExitCode::Mask, ExitCode::Requested);
  EXPECT_EQ(h.env.r[0], 0u);
}

// Runtime::budget_end of the next test: records its calls, then raises the
// budget and re-enters the block (g_budget_answer 0) or returns g_budget_answer.
std::vector<uintptr_t> g_budget_calls;
uintptr_t g_budget_answer = 0;
uintptr_t rt_budget_end(void* env, uintptr_t exit) {
  g_budget_calls.push_back(exit);
  auto* c = static_cast<CpuCommon*>(env);
  EXPECT_EQ(c->budget(), 9) << "the block's charge is given back before the call";
  if (g_budget_answer) return g_budget_answer;
  c->set_budget(100);  // a sync: a new quantum
  return reinterpret_cast<uintptr_t>(reinterpret_cast<const TranslationBlock*>(exit & ~ExitCode::Mask)->code);
}

TEST(X64Backend, FailedEntryCheckAsksBudgetEndAndEntersWhatItReturns) {
  Runtime rt = runtime();
  rt.budget_end = &rt_budget_end;
  Harness h(std::make_unique<X64Backend>(rt));
  h.be->set_runtime(rt);
  Block b(globals());
  Builder bb(b);
  bb.insn_start(0);
  bb.mov(bb.global32(0), bb.add(bb.global32(0), bb.c32(1)));
  bb.exit_tb(ExitCode::NoChain);
  TranslationBlock& tb = h.compile(b, 10);
  const uintptr_t requested = reinterpret_cast<uintptr_t>(&tb) | ExitCode::Requested;
  // Re-entered: the block runs on the new budget and exits as usual.
  g_budget_calls.clear();
  g_budget_answer = 0;
  h.env.common.set_budget(9);
  EXPECT_EQ(h.run(tb), reinterpret_cast<uintptr_t>(&tb) | ExitCode::NoChain);
  EXPECT_EQ(g_budget_calls, std::vector<uintptr_t>{requested});
  EXPECT_EQ(h.env.r[0], 1u);
  EXPECT_EQ(h.env.common.budget(), 90);
  EXPECT_EQ(h.env.common.insns(), 1u);
  // An exit value: returned as it is, the block not run.
  g_budget_calls.clear();
  g_budget_answer = reinterpret_cast<uintptr_t>(&tb) | ExitCode::NoChain;
  h.env.common.set_budget(9);
  EXPECT_EQ(h.run(tb), g_budget_answer);
  EXPECT_EQ(g_budget_calls.size(), 1u);
  EXPECT_EQ(h.env.r[0], 1u);
  EXPECT_EQ(h.env.common.budget(), 9);
  g_budget_answer = requested;
  EXPECT_EQ(h.run(tb), requested);
  EXPECT_EQ(h.env.r[0], 1u);
}

TEST(X64Backend, RegisterPressureSpillsAndReloads) {
  Harness h(jit());
  Block b(globals());
  Builder bb(b);
  bb.insn_start(0);
  // 40 values live at once (more than the 13 allocatable registers), then summed.
  std::vector<U64> vals;
  for (unsigned i = 0; i < 40; ++i) {
    vals.push_back(bb.add(bb.global64(kX + i % 8), bb.c64(i * 0x100000001ull)));
  }
  U64 acc = bb.c64(0);
  for (unsigned i = 0; i < 40; ++i) acc = bb.add(acc, bb.mul(vals[i], bb.c64(i + 1)));
  bb.mov(bb.global64(kX), acc);
  bb.exit_tb(ExitCode::NoChain);
  TranslationBlock& tb = h.compile(b);
  uint64_t x[8];
  for (unsigned i = 0; i < 8; ++i) x[i] = h.env.x[i] = 0x1234567890ull * (i + 3);
  uint64_t expect = 0;
  for (unsigned i = 0; i < 40; ++i) expect += (x[i % 8] + i * 0x100000001ull) * (i + 1);
  h.run(tb);
  EXPECT_EQ(h.env.x[0], expect);
  EXPECT_NE(h.be->disassemble(tb).find("rsp"), std::string::npos);  // spill slots were used
}

TEST(X64Backend, CallsKeepLiveGlobalsAndLocals) {
  Harness h(jit());
  Block b(globals(), &helpers());
  Builder bb(b);
  bb.insn_start(0);
  U32 r0 = bb.global32(0), r5 = bb.global32(5);
  // r5 is dirty in a register when bump_r5 (which reads and writes globals) runs.
  bb.mov(r5, bb.add(r5, bb.c32(1)));
  U32 keep = bb.mul(r0, bb.c32(3));  // a local live across both calls
  U64 mixed = bb.call(0, {bb.zext(r0).t, bb.c64(1).t, bb.c64(2).t, bb.zext(keep).t}, true);
  U32 old = bb.call32(1, {bb.c32(10).t});
  bb.mov(bb.global32(1), old);
  bb.mov(bb.global32(2), keep);
  bb.mov(bb.global64(kX), mixed);
  bb.mov(r5, bb.add(r5, bb.c32(100)));  // must see the helper's write
  bb.exit_tb(ExitCode::NoChain);
  TranslationBlock& tb = h.compile(b);
  h.env.r[0] = 7;
  h.env.r[5] = 1000;
  h.run(tb);
  EXPECT_EQ(h.env.r[1], 1001u);
  EXPECT_EQ(h.env.r[2], 21u);
  EXPECT_EQ(h.env.x[0], 7u * 3 + 5 + 14 + 21 * 11);
  EXPECT_EQ(h.env.r[5], 1111u);
}

TEST(X64Backend, HelperRaiseSeesSyncedGlobalsAndFaultPc) {
  Harness h(jit());
  Block b(globals(), &helpers());
  Builder bb(b);
  bb.insn_start(0x10);
  bb.mov(bb.global32(3), bb.c32(0x33));
  bb.insn_start(0x14);
  U32 v = bb.call32(2, {bb.global32(4).t});
  bb.insn_start(0x18);
  bb.mov(bb.global32(6), v);
  bb.exit_tb(ExitCode::NoChain);
  TranslationBlock& tb = h.compile(b, 3);
  ASSERT_EQ(tb.insn_code_end.size(), 3u);
  h.env.r[4] = 0xdead;
  uintptr_t exit = 0;
  EXPECT_EQ(h.run_catching(tb, &exit), 2);
  EXPECT_EQ(h.env.r[3], 0x33u);  // synced before the call
  EXPECT_EQ(h.env.r[6], 0u);
  const uintptr_t off = h.env.common.fault_host_pc - reinterpret_cast<uintptr_t>(tb.code);
  auto it = std::lower_bound(tb.insn_code_end.begin(), tb.insn_code_end.end(), off);
  EXPECT_EQ(it - tb.insn_code_end.begin(), 1);  // the second instruction
  h.env.r[4] = 5;
  EXPECT_EQ(h.run_catching(tb, &exit), 0);
  EXPECT_EQ(h.env.r[6], 5u);
}

TEST(X64Backend, LoopWithValuesLiveAcrossLabels) {
  Harness h(jit());
  Block b(globals());
  Builder bb(b);
  bb.insn_start(0);
  // sum = 0; i = r0; do { sum += i * i; i -= 1; } while (i != 0); r1 = sum; r2 = i + base
  U32 sum = bb.local32(), i = bb.local32();
  U32 base = bb.add(bb.global32(3), bb.c32(1000));  // defined before the loop, used after it
  bb.movi(sum, 0);
  bb.mov(i, bb.global32(0));
  Label top = bb.new_label();
  bb.set_label(top);
  bb.mov(sum, bb.add(sum, bb.mul(i, i)));
  bb.mov(i, bb.sub(i, bb.c32(1)));
  bb.mov(bb.global32(4), bb.add(bb.global32(4), bb.c32(1)));  // a global changed in the loop
  bb.brcond(Cond::Ne, i, bb.c32(0), top);
  bb.mov(bb.global32(1), sum);
  bb.mov(bb.global32(2), bb.add(i, base));
  bb.exit_tb(ExitCode::NoChain);
  TranslationBlock& tb = h.compile(b);
  h.env.r[0] = 10;
  h.env.r[3] = 5;
  if (std::getenv("PRESIL_TEST_DUMP")) std::printf("%s%s", b.to_string().c_str(), h.be->disassemble(tb).c_str());
  h.run(tb);
  EXPECT_EQ(h.env.r[1], 385u);
  EXPECT_EQ(h.env.r[2], 1005u);
  EXPECT_EQ(h.env.r[4], 10u);
}

TEST(X64Backend, LocalWrittenLateInALoopIsReadFromItsSlotNextIteration) {
  Harness h(jit());
  Block b(globals());
  Builder bb(b);
  bb.insn_start(0);
  U32 i = bb.local32(), prev = bb.local32();
  bb.movi(i, 3);
  Label top = bb.new_label();
  bb.set_label(top);
  bb.mov(bb.global32(1), prev);  // the previous iteration's value (undefined the first time)
  bb.mov(prev, bb.mul(i, bb.c32(10)));
  bb.mov(i, bb.sub(i, bb.c32(1)));
  bb.brcond(Cond::Ne, i, bb.c32(0), top);
  bb.exit_tb(ExitCode::NoChain);
  TranslationBlock& tb = h.compile(b);
  h.run(tb);
  EXPECT_EQ(h.env.r[1], 20u);
}

TEST(X64Backend, ChainingPatchesAndUnpatches) {
  Harness h(jit());
  Block a(globals());
  {
    Builder bb(a);
    bb.insn_start(0);
    bb.mov(bb.global32(0), bb.add(bb.global32(0), bb.c32(1)));
    bb.goto_tb(0);
    bb.exit_tb(0);
  }
  Block b(globals());
  {
    Builder bb(b);
    bb.insn_start(4);
    bb.mov(bb.global32(1), bb.add(bb.global32(1), bb.c32(10)));
    bb.exit_tb(ExitCode::NoChain);
  }
  TranslationBlock& ta = h.compile(a, 2);
  TranslationBlock& tbb = h.compile(b, 5);
  ASSERT_NE(ta.jmp_patch_offset[0], ~0u);
  EXPECT_EQ((reinterpret_cast<uintptr_t>(ta.code) + ta.jmp_patch_offset[0] + 1) % 4, 0u);
  EXPECT_EQ(ta.jmp_patch_offset[1], ~0u);
  h.env.common.set_budget(100);
  EXPECT_EQ(h.run(ta), reinterpret_cast<uintptr_t>(&ta) | ExitCode::Slot0);
  EXPECT_EQ(h.env.r[0], 1u);
  EXPECT_EQ(h.env.r[1], 0u);
  h.be->chain(ta, 0, tbb);
  EXPECT_EQ(h.run(ta), reinterpret_cast<uintptr_t>(&tbb) | ExitCode::NoChain);
  EXPECT_EQ(h.env.r[0], 2u);
  EXPECT_EQ(h.env.r[1], 10u);
  EXPECT_EQ(h.env.common.budget(), 100 - 2 - 2 - 5);
  // The chained block's budget check still runs.
  h.env.common.set_budget(3);
  EXPECT_EQ(h.run(ta), reinterpret_cast<uintptr_t>(&tbb) | ExitCode::Requested);
  EXPECT_EQ(h.env.r[0], 3u);
  EXPECT_EQ(h.env.r[1], 10u);
  h.be->unchain(ta, 0);
  h.env.common.set_budget(100);
  EXPECT_EQ(h.run(ta), reinterpret_cast<uintptr_t>(&ta) | ExitCode::Slot0);
  EXPECT_EQ(h.env.r[1], 10u);
}

TEST(X64Backend, GotoPtrJumpsToLookedUpCodeOrExits) {
  Harness h(jit());
  Block a(globals());
  {
    Builder bb(a);
    bb.insn_start(0);
    bb.mov(bb.global32(0), bb.c32(5));
    bb.goto_ptr();
  }
  Block b(globals());
  {
    Builder bb(b);
    bb.insn_start(4);
    bb.mov(bb.global32(1), bb.global32(0));
    bb.exit_tb(ExitCode::NoChain);
  }
  TranslationBlock& ta = h.compile(a);
  TranslationBlock& tbb = h.compile(b);
  g_lookup_target = nullptr;
  EXPECT_EQ(h.run(ta), reinterpret_cast<uintptr_t>(&ta) | ExitCode::NoChain);
  EXPECT_EQ(h.env.r[1], 0u);
  g_lookup_target = tbb.code;
  EXPECT_EQ(h.run(ta), reinterpret_cast<uintptr_t>(&tbb) | ExitCode::NoChain);
  EXPECT_EQ(h.env.r[1], 5u);
  g_lookup_target = nullptr;
}

/// One guest memory access kind.
struct MemCase {
  MemOp mop;
  bool wide;  // I64 value
};

TEST(X64Backend, EveryMemOpThroughFastAndSlowPaths) {
  std::vector<MemCase> cases;
  for (unsigned size = 0; size < 4; ++size)
    for (bool sign : {false, true})
      for (bool be : {false, true})
        for (bool wide : {false, true}) {
          if (size == 3 && !wide) continue;
          cases.push_back({MemOp{uint8_t(size), sign, be, 0, 0}, wide});
        }
  for (bool addr64 : {false, true}) {
    for (const MemCase& mc : cases) {
      SCOPED_TRACE(testing::Message() << "size " << mc.mop.bytes() << " sign " << mc.mop.sign << " be "
                                      << mc.mop.big_endian << " wide " << mc.wide << " addr64 " << addr64);
      Harness h(jit());
      Block b(globals());
      Builder bb(b);
      bb.insn_start(0);
      // load from [r0 / x0], store the loaded value to [r1 / x1]
      if (mc.wide) {
        U64 v = addr64 ? bb.ld64(bb.global64(kX), mc.mop) : bb.ld64(bb.global32(0), mc.mop);
        bb.mov(bb.global64(kX + 2), v);
        addr64 ? bb.st(v, bb.global64(kX + 1), mc.mop) : bb.st(v, bb.global32(1), mc.mop);
      } else {
        U32 v = addr64 ? bb.ld32(bb.global64(kX), mc.mop) : bb.ld32(bb.global32(0), mc.mop);
        bb.mov(bb.global32(2), v);
        addr64 ? bb.st(v, bb.global64(kX + 1), mc.mop) : bb.st(v, bb.global32(1), mc.mop);
      }
      bb.exit_tb(ExitCode::NoChain);
      TranslationBlock& tb = h.compile(b);
      const unsigned n = mc.mop.bytes();
      // addresses: inside a page (fast when the TLB has it), and crossing a page (always slow)
      for (uint64_t src : {uint64_t(0x2010), uint64_t(0x2400 - n / 2 - (n == 1 ? 1 : 0) + (n == 1))}) {
        const bool crosses = (src & (kPageSize - 1)) + n > kPageSize;
        for (bool tlb : {false, true}) {
          std::fill(g_mem.begin(), g_mem.end(), 0);
          for (unsigned i = 0; i < 8; ++i) g_mem[src + i] = uint8_t(0xf1 + 0x11 * i);
          for (auto& e : h.env.common.tlb) e = TlbEntry{};
          if (tlb) {
            fill_tlb(h.env, 0x2000, true, true);
            fill_tlb(h.env, 0x2400, true, true);
            fill_tlb(h.env, 0x3000, true, true);
          }
          const uint64_t dst = 0x3008;
          h.env.r[0] = uint32_t(src);
          h.env.r[1] = uint32_t(dst);
          h.env.x[0] = src;
          h.env.x[1] = dst;
          g_slow_loads = g_slow_stores = 0;
          h.run(tb);
          uint64_t raw = 0;
          std::memcpy(&raw, g_mem.data() + src, n);
          uint64_t v = mc.mop.big_endian ? swap_bytes(raw, n) : raw;
          if (mc.mop.sign && n < 8) v = uint64_t(int64_t(v << (64 - 8 * n)) >> (64 - 8 * n));
          if (mc.wide) {
            EXPECT_EQ(h.env.x[2], v);
          } else {
            EXPECT_EQ(h.env.r[2], uint32_t(v));
          }
          EXPECT_EQ(std::memcmp(g_mem.data() + dst, g_mem.data() + src, n), 0);
          EXPECT_EQ(g_slow_loads, tlb && !crosses ? 0u : 1u);
          EXPECT_EQ(g_slow_stores, tlb ? 0u : 1u);
        }
      }
    }
  }
}

TEST(X64Backend, AlignmentAndTlbFlagsForceTheSlowPath) {
  Harness h(jit());
  Block b(globals());
  Builder bb(b);
  bb.insn_start(0x40);
  bb.mov(bb.global32(5), bb.c32(0x55));  // dirty global, must be in env when the fault unwinds
  bb.insn_start(0x44);
  U32 v = bb.ld32(bb.global32(0), MemOp{2, false, false, 2, 0});
  bb.mov(bb.global32(2), v);
  bb.exit_tb(ExitCode::NoChain);
  TranslationBlock& tb = h.compile(b, 2);
  fill_tlb(h.env, 0x1000, true, true);
  std::memcpy(g_mem.data() + 0x1008, "\x78\x56\x34\x12", 4);
  h.env.r[0] = 0x1008;
  g_slow_loads = 0;
  uintptr_t exit = 0;
  EXPECT_EQ(h.run_catching(tb, &exit), 0);
  EXPECT_EQ(h.env.r[2], 0x12345678u);
  EXPECT_EQ(g_slow_loads, 0u);
  // misaligned: slow path, which faults
  h.env.r[0] = 0x1009;
  h.env.r[5] = 0;
  EXPECT_EQ(h.run_catching(tb, &exit), 1);
  EXPECT_EQ(h.env.common.fault_addr, 0x1009u);
  EXPECT_EQ(h.env.r[5], 0x55u);
  const uintptr_t off = g_last_host_pc - reinterpret_cast<uintptr_t>(tb.code);
  auto it = std::lower_bound(tb.insn_code_end.begin(), tb.insn_code_end.end(), off);
  EXPECT_EQ(it - tb.insn_code_end.begin(), 1);
  // an MMIO-flagged page: slow path, no fault
  h.env.common.tlb[tlb_index(0x1000)].addr_read = 0x1000 | TlbFlag::Mmio;
  h.env.r[0] = 0x1008;
  h.env.r[2] = 0;
  g_slow_loads = 0;
  EXPECT_EQ(h.run_catching(tb, &exit), 0);
  EXPECT_EQ(h.env.r[2], 0x12345678u);
  EXPECT_EQ(g_slow_loads, 1u);
}

TEST(X64Backend, SlowPathPreservesLiveCallerSavedRegisters) {
  Harness h(jit());
  Block b(globals());
  Builder bb(b);
  bb.insn_start(0);
  std::vector<U32> vals;
  for (unsigned i = 0; i < 12; ++i) vals.push_back(bb.mul(bb.global32(i), bb.c32(i + 2)));
  U32 v = bb.ld32(bb.global32(15), MemOp::u(2));
  U32 acc = v;
  for (unsigned i = 0; i < 12; ++i) acc = bb.add(acc, vals[i]);
  bb.mov(bb.global32(14), acc);
  bb.exit_tb(ExitCode::NoChain);
  TranslationBlock& tb = h.compile(b);
  for (auto& e : h.env.common.tlb) e = TlbEntry{};
  uint32_t expect = 0x01020304;
  std::memcpy(g_mem.data() + 0x100, &expect, 4);
  for (unsigned i = 0; i < 12; ++i) {
    h.env.r[i] = 1000 + i;
    expect += (1000 + i) * (i + 2);
  }
  h.env.r[15] = 0x100;
  h.run(tb);
  EXPECT_EQ(h.env.r[14], expect);
}

TEST(X64Backend, EnvLoadsAndStoresSeeCachedGlobals) {
  Harness h(jit());
  Block b(globals());
  Builder bb(b);
  bb.insn_start(0);
  U32 r0 = bb.global32(0);
  bb.mov(r0, bb.add(r0, bb.c32(1)));  // dirty in a register
  U32 raw = bb.ld_env32(int32_t(offsetof(Env, r)), MemOp::u(2));  // must see r0 + 1
  bb.mov(bb.global32(1), raw);
  bb.st_env(bb.c32(0xab), int32_t(offsetof(Env, r) + 8), MemOp::u(0));  // low byte of r2
  bb.mov(bb.global32(3), bb.global32(2));  // must see the byte store
  U32 sb = bb.ld_env32(int32_t(offsetof(Env, bytes)), MemOp::s(0));
  bb.mov(bb.global32(4), sb);
  bb.exit_tb(ExitCode::NoChain);
  TranslationBlock& tb = h.compile(b);
  h.env.r[0] = 41;
  h.env.r[2] = 0x1200;
  h.env.bytes[0] = 0x80;
  h.run(tb);
  EXPECT_EQ(h.env.r[1], 42u);
  EXPECT_EQ(h.env.r[3], 0x12abu);
  EXPECT_EQ(h.env.r[4], 0xffffff80u);
}

TEST(X64Backend, CodeBufferFullReturnsFalseAndTrampolineIsRegenerated) {
  CodeBuffer small(4096);
  X64Backend be(runtime());
  Block b(globals());
  Builder bb(b);
  bb.insn_start(0);
  for (unsigned i = 0; i < 8; ++i) bb.mov(bb.global32(i), bb.add(bb.global32(i), bb.c32(i + 1)));
  bb.exit_tb(ExitCode::NoChain);
  std::deque<TranslationBlock> tbs;
  unsigned fitted = 0;
  for (;;) {
    TranslationBlock& tb = tbs.emplace_back();
    if (!be.compile(b, tb, small)) break;
    ++fitted;
  }
  EXPECT_GT(fitted, 3u);
  small.reset();
  TranslationBlock& tb = tbs.emplace_back();
  ASSERT_TRUE(be.compile(b, tb, small));
  Env env{};
  env.common.set_budget(10);
  env.r[7] = 1;
  be.execute(&env, tb);
  EXPECT_EQ(env.r[7], 9u);
  EXPECT_EQ(env.r[0], 1u);
}

TEST(X64Backend, PerfMapListsCompiledBlocksWhenAsked) {
  const std::string path = "/tmp/perf-" + std::to_string(::getpid()) + ".map";
  std::remove(path.c_str());
  ::setenv("PRESIL_PERF_MAP", "1", 1);
  {
    Harness h(jit());
    ::unsetenv("PRESIL_PERF_MAP");
    Block b(globals());
    Builder bb(b);
    bb.insn_start(0x4000);
    bb.exit_tb(ExitCode::NoChain);
    TranslationBlock& tb = h.compile(b);
    std::ifstream in(path);
    std::string line;
    ASSERT_TRUE(std::getline(in, line));
    char expect[64];
    std::snprintf(expect, sizeof expect, "%lx %x ", static_cast<unsigned long>(reinterpret_cast<uintptr_t>(tb.code)),
                  tb.code_size);
    EXPECT_EQ(line.rfind(expect, 0), 0u) << line;
  }
  std::remove(path.c_str());
}

// ---------------------------------------------------------------------------
// Random blocks, compared with the interpreter (the oracle).
// ---------------------------------------------------------------------------
class RandomBlock {
 public:
  RandomBlock(uint32_t seed, Block& b, bool loops = false) : m_rng(seed), m_bb(b), m_loops(loops) {}

  void build(unsigned nops, bool branches, bool calls, bool memory = false) {
    m_bb.insn_start(0);
    for (unsigned i = 0; i < 16; ++i) m_v32.push_back(m_bb.global32(i));
    for (unsigned i = 0; i < 8; ++i) m_v64.push_back(m_bb.global64(kX + i));
    std::vector<std::pair<Label, std::pair<size_t, size_t>>> open;
    for (unsigned n = 0; n < nops; ++n) {
      unsigned k = pick(100);
      if (branches && k < 6 && open.size() < 3) {
        Label l = m_bb.new_label();
        Cond c = Cond(pick(14));
        if (pick(2)) {
          m_bb.brcond(c, v32(), v32(), l);
        } else {
          m_bb.brcond(c, v64(), v64(), l);
        }
        open.push_back({l, {m_v32.size(), m_v64.size()}});
      } else if (k < 10 && !open.empty()) {
        auto [l, sizes] = open.back();
        open.pop_back();
        m_bb.set_label(l);
        m_v32.resize(sizes.first);  // values defined in the skipped region are undefined here
        m_v64.resize(sizes.second);
      } else if (m_loops && k < 13 && open.empty()) {
        loop(memory);
      } else if (memory && k < 16) {
        mem_op();
      } else if (calls && k < 19) {
        U64 r = m_bb.call(0, {v64().t, v32().t, v64().t, v32().t}, true);
        m_v64.push_back(r);
      } else if (k < 24) {
        // write a global
        if (pick(2)) {
          m_bb.mov(m_bb.global32(pick(16)), v32());
        } else {
          m_bb.mov(m_bb.global64(kX + pick(8)), v64());
        }
      } else if (pick(2)) {
        op32();
      } else {
        op64();
      }
    }
    while (!open.empty()) {
      auto [l, sizes] = open.back();
      open.pop_back();
      m_bb.set_label(l);
      m_v32.resize(sizes.first);
      m_v64.resize(sizes.second);
    }
    // publish some locals
    for (unsigned i = 0; i < 8; ++i) m_bb.mov(m_bb.global32(i), m_v32[m_v32.size() - 1 - i % m_v32.size()]);
    for (unsigned i = 0; i < 4; ++i) m_bb.mov(m_bb.global64(kX + i), m_v64[m_v64.size() - 1 - i % m_v64.size()]);
    m_bb.exit_tb(ExitCode::NoChain);
  }

 private:
  unsigned pick(unsigned n) { return unsigned(m_rng() % n); }
  uint64_t interesting() {
    static const uint64_t vals[] = {0, 1, 2, 31, 32, 63, 64, 0x7f, 0x80, 0xff, 0x8000, 0x7fffffff, 0x80000000,
                                    0xffffffff, 0x100000000ull, 0x7fffffffffffffffull, 0x8000000000000000ull,
                                    ~0ull, ~1ull};
    return pick(3) ? vals[pick(std::size(vals))] : (uint64_t(m_rng()) << 32 | m_rng());
  }
  U32 v32() {
    if (pick(6) == 0) return m_bb.c32(uint32_t(interesting()));
    // favour recent values but keep old ones alive
    size_t n = m_v32.size();
    return pick(2) ? m_v32[n - 1 - pick(std::min<size_t>(n, 6))] : m_v32[pick(unsigned(n))];
  }
  U64 v64() {
    if (pick(6) == 0) return m_bb.c64(interesting());
    size_t n = m_v64.size();
    return pick(2) ? m_v64[n - 1 - pick(std::min<size_t>(n, 6))] : m_v64[pick(unsigned(n))];
  }
  /// A counted loop (1-4 iterations) whose body updates locals defined before it
  /// (values carried around the back edge) and globals.
  void loop(bool memory) {
    Builder& b = m_bb;
    const size_t n32 = m_v32.size(), n64 = m_v64.size();
    U32 carried32 = b.local32();
    U64 carried64 = b.local64();
    b.mov(carried32, v32());
    b.mov(carried64, v64());
    U32 count = b.local32();
    b.movi(count, 1 + pick(4));
    m_v32.push_back(carried32);
    m_v64.push_back(carried64);
    Label top = b.new_label();
    b.set_label(top);
    for (unsigned i = 0, n = 3 + pick(12); i < n; ++i) {
      unsigned k = pick(10);
      if (k == 0) {
        b.mov(carried32, b.add(carried32, v32()));
      } else if (k == 1) {
        b.mov(carried64, b.xor_(carried64, b.rotl(v64(), b.c64(7))));
      } else if (k == 2) {
        b.mov(b.global32(pick(16)), b.add(v32(), carried32));
      } else if (k == 3 && memory) {
        mem_op();
      } else if (pick(2)) {
        op32();
      } else {
        op64();
      }
    }
    b.mov(count, b.sub(count, b.c32(1)));
    b.brcond(Cond::Ne, count, b.c32(0), top);
    m_v32.resize(n32);
    m_v64.resize(n64);
    m_v32.push_back(carried32);
    m_v64.push_back(carried64);
  }

  /// A guest load or store at a random address in [0, 16 KiB + 8), any size/sign/order.
  void mem_op() {
    Builder& b = m_bb;
    MemOp m{uint8_t(pick(4)), pick(2) == 0, pick(3) == 0, 0, 0};
    U32 a32 = b.and_(v32(), b.c32(0x3fff));
    const bool a64 = pick(2);
    U64 a = a64 ? b.zext(a32) : U64{};
    const bool wide = m.size_log2 == 3 || pick(2);
    if (pick(2)) {
      if (wide) {
        m_v64.push_back(a64 ? b.ld64(a, m) : b.ld64(a32, m));
      } else {
        m_v32.push_back(a64 ? b.ld32(a, m) : b.ld32(a32, m));
      }
    } else if (wide) {
      a64 ? b.st(v64(), a, m) : b.st(v64(), a32, m);
    } else {
      a64 ? b.st(v32(), a, m) : b.st(v32(), a32, m);
    }
  }
  void op32() {
    Builder& b = m_bb;
    unsigned k = pick(30);
    U32 a = v32(), c = v32();
    U32 r{};
    switch (k) {
      case 0: r = b.add(a, c); break;
      case 1: r = b.sub(a, c); break;
      case 2: r = b.and_(a, c); break;
      case 3: r = b.or_(a, c); break;
      case 4: r = b.xor_(a, c); break;
      case 5: r = b.andc(a, c); break;
      case 6: r = b.orc(a, c); break;
      case 7: r = b.eqv(a, c); break;
      case 8: r = b.nand(a, c); break;
      case 9: r = b.nor(a, c); break;
      case 10: r = b.shl(a, c); break;
      case 11: r = b.shr(a, c); break;
      case 12: r = b.sar(a, c); break;
      case 13: r = b.rotl(a, c); break;
      case 14: r = b.rotr(a, c); break;
      case 15: r = b.mul(a, c); break;
      case 16: r = pick(2) ? b.div(a, c) : b.divu(a, c); break;
      case 17: r = pick(2) ? b.rem(a, c) : b.remu(a, c); break;
      case 18: r = pick(2) ? b.clz(a, c) : b.ctz(a, c); break;
      case 19: r = b.ctpop(a); break;
      case 20: r = pick(2) ? b.setcond(Cond(pick(14)), a, c) : b.negsetcond(Cond(pick(14)), a, c); break;
      case 21: r = b.movcond(Cond(pick(14)), a, c, v32(), v32()); break;
      case 22: {
        unsigned pos = pick(32), len = 1 + pick(32 - pos);
        r = pick(2) ? b.extract(a, pos, len) : b.sextract(a, pos, len);
        break;
      }
      case 23: {
        unsigned pos = pick(32), len = 1 + pick(32 - pos);
        r = b.deposit(a, c, pos, len);
        break;
      }
      case 24: {
        unsigned e = pick(6);
        r = e == 0 ? b.ext8s(a) : e == 1 ? b.ext8u(a) : e == 2 ? b.ext16s(a) : e == 3 ? b.ext16u(a)
            : e == 4 ? b.bswap16(a) : b.bswap32(a);
        break;
      }
      case 25: {
        auto [lo, hi] = pick(2) ? b.mulu2(a, c) : b.muls2(a, c);
        m_v32.push_back(lo);
        r = hi;
        break;
      }
      case 26: {
        auto [lo, hi] = pick(2) ? b.add2(a, c, v32(), v32()) : b.sub2(a, c, v32(), v32());
        m_v32.push_back(lo);
        r = hi;
        break;
      }
      case 27: r = pick(2) ? b.lo(v64()) : b.hi(v64()); break;
      case 28: r = b.neg(a); break;
      default: r = b.not_(a); break;
    }
    m_v32.push_back(r);
  }
  void op64() {
    Builder& b = m_bb;
    unsigned k = pick(30);
    U64 a = v64(), c = v64();
    U64 r{};
    switch (k) {
      case 0: r = b.add(a, c); break;
      case 1: r = b.sub(a, c); break;
      case 2: r = b.and_(a, c); break;
      case 3: r = b.or_(a, c); break;
      case 4: r = b.xor_(a, c); break;
      case 5: r = b.andc(a, c); break;
      case 6: r = b.orc(a, c); break;
      case 7: r = b.eqv(a, c); break;
      case 8: r = b.nand(a, c); break;
      case 9: r = b.nor(a, c); break;
      case 10: r = b.shl(a, c); break;
      case 11: r = b.shr(a, c); break;
      case 12: r = b.sar(a, c); break;
      case 13: r = b.rotl(a, c); break;
      case 14: r = b.rotr(a, c); break;
      case 15: r = b.mul(a, c); break;
      case 16: r = pick(2) ? b.div(a, c) : b.divu(a, c); break;
      case 17: r = pick(2) ? b.rem(a, c) : b.remu(a, c); break;
      case 18: r = pick(2) ? b.clz(a, c) : b.ctz(a, c); break;
      case 19: r = b.ctpop(a); break;
      case 20: r = pick(2) ? b.setcond(Cond(pick(14)), a, c) : b.negsetcond(Cond(pick(14)), a, c); break;
      case 21: r = b.movcond(Cond(pick(14)), a, c, v64(), v64()); break;
      case 22: {
        unsigned pos = pick(64), len = 1 + pick(64 - pos);
        r = pick(2) ? b.extract(a, pos, len) : b.sextract(a, pos, len);
        break;
      }
      case 23: {
        unsigned pos = pick(64), len = 1 + pick(64 - pos);
        r = b.deposit(a, c, pos, len);
        break;
      }
      case 24: {
        unsigned e = pick(9);
        r = e == 0 ? b.ext8s(a) : e == 1 ? b.ext8u(a) : e == 2 ? b.ext16s(a) : e == 3 ? b.ext16u(a)
            : e == 4 ? b.ext32s(a) : e == 5 ? b.ext32u(a) : e == 6 ? b.bswap16(a) : e == 7 ? b.bswap32(a)
            : b.bswap64(a);
        break;
      }
      case 25: {
        auto [lo, hi] = pick(2) ? b.mulu2(a, c) : b.muls2(a, c);
        m_v64.push_back(lo);
        r = hi;
        break;
      }
      case 26: {
        auto [lo, hi] = pick(2) ? b.add2(a, c, v64(), v64()) : b.sub2(a, c, v64(), v64());
        m_v64.push_back(lo);
        r = hi;
        break;
      }
      case 27: r = pick(2) ? b.sext(v32()) : b.zext(v32()); break;
      case 28: r = b.neg(a); break;
      default: r = b.not_(a); break;
    }
    m_v64.push_back(r);
  }

  std::mt19937 m_rng;
  Builder m_bb;
  bool m_loops;
  std::vector<U32> m_v32;
  std::vector<U64> m_v64;
};

void random_env(std::mt19937& rng, Env& e) {
  for (auto& r : e.r) r = rng() % 4 == 0 ? rng() % 70 : rng();
  for (auto& x : e.x) x = rng() % 4 == 0 ? rng() % 70 : (uint64_t(rng()) << 32 | rng());
}

/// Runs a block on the interpreter and on the JIT from the same random state; true if they agree.
bool same_result(const Block& b, uint32_t seed, HostFeatures f, std::string* detail = nullptr) {
  Harness ref(interp::make_interpreter());
  Harness jit(std::make_unique<X64Backend>(runtime(), f));
  std::mt19937 rng(seed * 7919);
  random_env(rng, ref.env);
  std::memcpy(jit.env.r, ref.env.r, sizeof ref.env.r);
  std::memcpy(jit.env.x, ref.env.x, sizeof ref.env.x);
  // guest RAM: a pattern; the TLB maps a random subset of the first 16 KiB (read, write or both)
  std::vector<uint8_t> initial(kMemSize);
  for (auto& byte : initial) byte = uint8_t(rng());
  for (uint64_t page = 0; page < 0x4400; page += kPageSize) {
    unsigned kind = rng() % 4;
    fill_tlb(ref.env, page, kind & 1, kind & 2);
    fill_tlb(jit.env, page, kind & 1, kind & 2);
  }
  g_mem = initial;
  ref.run(ref.compile(b));
  const std::vector<uint8_t> ref_mem = g_mem;
  g_mem = initial;
  TranslationBlock& tb = jit.compile(b);
  jit.run(tb);
  bool same = std::memcmp(jit.env.r, ref.env.r, sizeof ref.env.r) == 0 &&
              std::memcmp(jit.env.x, ref.env.x, sizeof ref.env.x) == 0 && g_mem == ref_mem;
  if (!same && detail) {
    *detail = jit.be->disassemble(tb);
    for (unsigned i = 0; i < 16; ++i)
      if (jit.env.r[i] != ref.env.r[i])
        *detail += "r" + std::to_string(i) + " jit " + std::to_string(jit.env.r[i]) + " interp " + std::to_string(ref.env.r[i]) + "\n";
    for (unsigned i = 0; i < 8; ++i)
      if (jit.env.x[i] != ref.env.x[i])
        *detail += "x" + std::to_string(i) + " jit " + std::to_string(jit.env.x[i]) + " interp " + std::to_string(ref.env.x[i]) + "\n";
    for (size_t i = 0; i < kMemSize; ++i)
      if (g_mem[i] != ref_mem[i]) *detail += "mem " + std::to_string(i) + " differs\n";
  }
  return same;
}

/// For a failing block: the first op whose result differs (its output published to x7/r15).
std::string first_divergence(const Block& b, uint32_t seed, HostFeatures f) {
  const auto& ops = b.ops();
  for (size_t k = 1; k <= ops.size(); ++k) {
    const Op& last = ops[k - 1];
    if (last.nout == 0) continue;
    Block t(globals(), &helpers());
    t.temps() = b.temps();
    std::vector<bool> set(b.num_labels() + 1, false), used(b.num_labels() + 1, false);
    for (size_t i = 0; i < k; ++i) {
      t.ops().push_back(ops[i]);
      if (ops[i].opc == Opcode::SetLabel) set[ops[i].con(0)] = true;
      if (ops[i].opc == Opcode::Brcond_i32 || ops[i].opc == Opcode::Brcond_i64) used[ops[i].con(1)] = true;
    }
    while (t.num_labels() < b.num_labels()) t.new_label();
    for (unsigned l = 0; l < b.num_labels(); ++l)
      if (used[l] && !set[l]) t.emit(Opcode::SetLabel, {l});
    const TempIdx o = last.out(0);
    if (t.temp(o).type == Type::I64) {
      t.emit(Opcode::Mov_i64, {kX + 7, o});
    } else {
      t.emit(Opcode::Mov_i32, {15, o});
    }
    t.emit(Opcode::ExitTb, {ExitCode::NoChain});
    std::string detail;
    if (!same_result(t, seed, f, &detail)) {
      return "first divergence at op " + std::to_string(k - 1) + ":\n" + t.to_string() + detail;
    }
  }
  return "no single-op divergence found";
}

void compare_with_interpreter(unsigned seeds, unsigned nops, bool branches, bool calls, HostFeatures f,
                              bool memory = false, bool loops = false) {
  for (uint32_t seed = 1; seed <= seeds; ++seed) {
    Block b(globals(), &helpers());
    RandomBlock(seed, b, loops).build(nops, branches, calls, memory);
    if (!same_result(b, seed, f)) {
      ADD_FAILURE() << "seed " << seed << " differs\n" << b.to_string() << first_divergence(b, seed, f);
      return;
    }
  }
}

TEST(X64BackendRandom, StraightLineBlocksMatchTheInterpreter) {
  compare_with_interpreter(300, 40, false, false, HostFeatures::detect());
}

TEST(X64BackendRandom, LongBlocksUnderRegisterPressureMatchTheInterpreter) {
  compare_with_interpreter(60, 400, false, true, HostFeatures::detect());
}

TEST(X64BackendRandom, BlocksWithBranchesAndCallsMatchTheInterpreter) {
  compare_with_interpreter(300, 80, true, true, HostFeatures::detect());
}

TEST(X64BackendRandom, BlocksWithGuestMemoryMatchTheInterpreter) {
  compare_with_interpreter(300, 80, true, true, HostFeatures::detect(), true);
}

TEST(X64BackendRandom, LongBlocksWithGuestMemoryMatchTheInterpreter) {
  compare_with_interpreter(40, 400, true, true, HostFeatures::detect(), true);
}

TEST(X64BackendRandom, BlocksWithLoopsMatchTheInterpreter) {
  compare_with_interpreter(300, 80, true, true, HostFeatures::detect(), true, true);
}

TEST(X64BackendRandom, FallbackSequencesWithoutLzcntBmiMatchTheInterpreter) {
  HostFeatures f = HostFeatures::detect();
  f.lzcnt = f.bmi1 = f.bmi2 = false;
  compare_with_interpreter(200, 60, true, false, f);
}

}  // namespace
}  // namespace presil::host::x86_64
