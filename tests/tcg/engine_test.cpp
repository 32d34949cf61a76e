// SPDX-License-Identifier: Apache-2.0
// Engine tests on every back-end: exec loop, chaining, budget, exceptions, SMC, TLB, flushes.
#include <gtest/gtest.h>

#include <functional>

#include "tests/tcg/test_guest.h"

namespace presil::tcg::test {
namespace {

class EngineTest : public ::testing::TestWithParam<std::string> {
 protected:
  std::unique_ptr<Rig> make(EngineOptions opts = {}) { return std::make_unique<Rig>(GetParam(), opts); }
};

// A counting loop: r0 = 10; loop: r1 += 1; r0 -= 1; bnz r0, loop; halt.
void counting_loop(TestMemory& m, uint16_t n = 10) {
  m.program(0, {toy(kMovi, 0, 0, n), toy(kMovi, 1, 0, 0), toy(kAddi, 1, 0, 1), toy(kAddi, 0, 0, 0xffff),
                toy(kBnz, 0, 0, 0xfffe), toy(kHalt)});
}

TEST_P(EngineTest, RunsALoopToHalt) {
  auto r = make();
  counting_loop(r->mem);
  EXPECT_EQ(r->engine.run(1000), ExitReason::Halted);
  EXPECT_EQ(r->cpu.s.r[1], 10u);
  EXPECT_EQ(r->cpu.s.r[0], 0u);
  EXPECT_EQ(r->cpu.s.pc, 0x18u);
  // 2 + 10 * 3 + 1 instructions, one cycle each.
  EXPECT_EQ(r->engine.insns_executed(), 33u);
  EXPECT_EQ(r->engine.cycles_used(), 33);
}

TEST_P(EngineTest, ChainsBlocksAndHitsTheCaches) {
  auto r = make();
  counting_loop(r->mem, 100);
  EXPECT_EQ(r->engine.run(100000), ExitReason::Halted);
  EXPECT_EQ(r->cpu.s.r[1], 100u);
  const EngineStats& st = r->engine.stats();
  EXPECT_GE(st.chains_made, 1u);
  // With the loop chained to itself, the exec loop sees only a handful of blocks.
  EXPECT_LT(st.blocks_executed, 10u);
  EXPECT_EQ(st.blocks_translated, 3u);  // prologue + first iteration, loop, halt
}

TEST_P(EngineTest, NoChainReturnsToTheLoopEveryBlock) {
  EngineOptions o;
  o.no_chain = true;
  auto r = make(o);
  counting_loop(r->mem, 100);
  EXPECT_EQ(r->engine.run(100000), ExitReason::Halted);
  EXPECT_EQ(r->cpu.s.r[1], 100u);
  EXPECT_EQ(r->engine.stats().chains_made, 0u);
  EXPECT_GE(r->engine.stats().blocks_executed, 100u);
  EXPECT_GE(r->engine.stats().jump_cache_hits, 95u);
}

TEST_P(EngineTest, JumpCacheConflictsFallBackToTheHashTable) {
  EngineOptions o;
  o.no_chain = true;
  auto r = make(o);
  // Two blocks whose pcs share a jump-cache slot, calling each other.
  r->mem.program(0, {toy(kAddi, 1, 0, 1), toy(kMovi, 5, 0, 0x2002), toy(kJr, 5)});
  r->mem.program(0x2002, {toy(kAddi, 2, 0, 1), toy(kMovi, 5, 0, 0), toy(kJr, 5)});
  EXPECT_EQ(r->engine.run(60), ExitReason::BudgetExhausted);
  EXPECT_EQ(r->cpu.s.r[1], 10u);
  EXPECT_EQ(r->cpu.s.r[2], 10u);
  EXPECT_EQ(r->engine.stats().blocks_translated, 2u);
  EXPECT_GE(r->engine.stats().hash_hits, 15u);
}

TEST_P(EngineTest, ExceptionInAChainedSuccessorRestoresItsPc) {
  auto r = make();
  // Block A falls into block B through a chained branch; B's second instruction faults
  // on its fourth visit.
  r->mem.program(0, {toy(kMovi, 2, 0, 0xdead), toy(kMovi, 3, 0, 4)});
  r->mem.program(8, {toy(kAddi, 3, 0, 0xffff), toy(kB, 0, 0, 1)});  // -> 0x10
  r->mem.program(0x10, {toy(kAddi, 1, 0, 1), toy(kBnz, 3, 0, uint16_t(-3)), toy(kChk, 2)});  // loop to 8 while r3
  r->mem.program(0x800, {toy(kHalt)});
  EXPECT_EQ(r->engine.run(1000), ExitReason::Halted);
  EXPECT_EQ(r->cpu.s.r[1], 4u);
  EXPECT_EQ(r->cpu.s.last_exception, kExcHelper);
  EXPECT_EQ(r->cpu.s.exception_pc, 0x18u);
  EXPECT_GE(r->engine.stats().chains_made, 2u);
}

TEST_P(EngineTest, SingleStepRunsOneInstructionPerBlock) {
  EngineOptions o;
  o.single_step = true;
  auto r = make(o);
  counting_loop(r->mem, 5);
  EXPECT_EQ(r->engine.run(1000), ExitReason::Halted);
  EXPECT_EQ(r->cpu.s.r[1], 5u);
  EXPECT_EQ(r->engine.stats().guest_insns_translated, r->engine.stats().blocks_translated);
}

TEST_P(EngineTest, BudgetStopsAtTheExactInstruction) {
  for (int64_t budget = 1; budget <= 40; ++budget) {
    auto r = make();
    counting_loop(r->mem, 10);
    ExitReason why = r->engine.run(budget);
    if (budget < 33) {
      EXPECT_EQ(why, ExitReason::BudgetExhausted) << budget;
      EXPECT_EQ(r->engine.insns_executed(), uint64_t(budget)) << budget;
      EXPECT_EQ(r->engine.cycles_used(), budget);
    } else {
      EXPECT_EQ(why, ExitReason::Halted);
    }
  }
}

TEST_P(EngineTest, BudgetAcrossManyRunsMatchesOneRun) {
  auto r = make();
  counting_loop(r->mem, 50);
  uint64_t runs = 0;
  while (r->engine.run(7) == ExitReason::BudgetExhausted) {
    ++runs;
    EXPECT_EQ(r->engine.insns_executed(), runs * 7);
  }
  EXPECT_EQ(r->cpu.s.r[1], 50u);
  EXPECT_EQ(r->engine.insns_executed(), 2u + 50 * 3 + 1);
}

// A continuation that hands out `budget` cycles `times` times, recording what each part used.
struct CountingContinuation : RunContinuation {
  /// Installs itself on `e`: `parts` more parts of `cycles` cycles each.
  CountingContinuation(Engine& e, int64_t cycles, int parts) : engine(&e), budget(cycles), times(parts) {
    e.set_continuation(this);
  }
  Engine* engine = nullptr;
  int64_t budget = 7;
  int times = 0;
  bool exit_during = false;  ///< request_exit() from inside the call (as a wake-up during a sync)
  int64_t overshoot_given = 0;  ///< overshoot handed out with each budget
  std::function<void()> during;  ///< called inside each call (what other processes do during a sync)
  std::vector<int64_t> used;
  std::vector<uint64_t> insns;
  std::vector<bool> soft;
  int64_t budget_spent(int64_t u, bool soft_end, int64_t& overshoot) override {
    EXPECT_FALSE(engine->running());
    EXPECT_EQ(engine->cycles_in_run(), 0);
    used.push_back(u);
    insns.push_back(engine->insns_executed());
    soft.push_back(soft_end);
    overshoot = overshoot_given;
    if (exit_during) engine->request_exit();
    if (during) during();
    return times-- > 0 ? budget : 0;
  }
};

TEST_P(EngineTest, ContinuationGoesOnWithoutReturning) {
  auto r = make();
  counting_loop(r->mem, 50);
  CountingContinuation k(r->engine, 7, 1000);
  // One run() to the halt: 7-cycle parts, each continued; the exact ends of a
  // budget are kept.
  EXPECT_EQ(r->engine.run(7), ExitReason::Halted);
  EXPECT_EQ(r->cpu.s.r[1], 50u);
  EXPECT_EQ(r->engine.insns_executed(), 2u + 50 * 3 + 1);
  ASSERT_EQ(k.used.size(), (2u + 50 * 3 + 1) / 7);
  for (size_t i = 0; i < k.used.size(); ++i) {
    EXPECT_EQ(k.used[i], 7) << i;
    EXPECT_EQ(k.insns[i], 7 * (i + 1)) << i;
  }
  // The halt's part: what is left after the last continuation.
  EXPECT_EQ(r->engine.cycles_used(), int64_t((2 + 50 * 3 + 1) % 7));
}

TEST_P(EngineTest, ContinuationEndsTheRunWithZeroOrAnExitRequest) {
  auto r = make();
  counting_loop(r->mem, 50);
  CountingContinuation k(r->engine, 5, 2);
  EXPECT_EQ(r->engine.run(5), ExitReason::ExitRequested);
  EXPECT_EQ(k.used, (std::vector<int64_t>{5, 5, 5}));
  EXPECT_EQ(r->engine.insns_executed(), 15u);
  EXPECT_EQ(r->engine.cycles_used(), 0);  // all of it went to the continuation
  // A request during the call (a wake-up while synchronising) ends the run at once, without losing the budget.
  k.times = 5;
  k.exit_during = true;
  k.used.clear();
  EXPECT_EQ(r->engine.run(5), ExitReason::ExitRequested);
  EXPECT_EQ(k.used, (std::vector<int64_t>{5}));
  EXPECT_EQ(r->engine.insns_executed(), 20u);
  EXPECT_EQ(r->engine.cycles_used(), 0);
  // The next run starts clean: no bias left over from the request.
  k.exit_during = false;
  k.times = 0;
  k.used.clear();
  EXPECT_EQ(r->engine.run(4), ExitReason::ExitRequested);
  EXPECT_EQ(k.used, (std::vector<int64_t>{4}));
  EXPECT_EQ(r->engine.insns_executed(), 24u);
  // Without a continuation, run() returns at the budget again.
  r->engine.set_continuation(nullptr);
  EXPECT_EQ(r->engine.run(3), ExitReason::BudgetExhausted);
  EXPECT_EQ(r->engine.cycles_used(), 3);
  EXPECT_EQ(r->engine.insns_executed(), 27u);
}

// One instruction of `cycles` cycles per block, chained to itself: r1 counts the blocks run.
void counting_self_loop(Rig& r, uint32_t cycles) {
  r.cpu.ir = [cycles](TranslateContext& ctx) {
    Builder& b = ctx.b;
    b.insn_start(ctx.key.pc);
    b.mov(b.global64(1), b.add(b.global64(1), b.c64(1)));
    b.movi(b.global64(TestCpu::kPcGlobal), ctx.key.pc);
    b.goto_tb(0);
    b.exit_tb(0);
    ctx.num_insns = 1;
    ctx.cycles = cycles;
    ctx.end_pc = ctx.key.pc + 4;
  };
}

TEST_P(EngineTest, SoftEndRunsTheCrossingBlockWholeWithoutALookup) {
  auto r = make();
  counting_self_loop(*r, 5);
  // Exact end: two blocks fit 12 cycles, the third does not.
  EXPECT_EQ(r->engine.run(12), ExitReason::BudgetExhausted);
  EXPECT_EQ(r->cpu.s.r[1], 2u);
  EXPECT_EQ(r->engine.cycles_used(), 10);
  // Soft end: the block that crosses the budget runs whole, then the run stops.
  const uint64_t entries = r->engine.stats().blocks_executed;
  const uint64_t hits = r->engine.stats().jump_cache_hits;
  EXPECT_EQ(r->engine.run(12, 100), ExitReason::BudgetExhausted);
  EXPECT_EQ(r->cpu.s.r[1], 5u);
  EXPECT_EQ(r->engine.cycles_used(), 15);
  // Entered twice from the loop: at the start (one lookup) and as the soft end
  // (no lookup: the block whose entry check failed is run again).
  EXPECT_EQ(r->engine.stats().blocks_executed - entries, 2u);
  EXPECT_EQ(r->engine.stats().jump_cache_hits - hits, 1u);
  // An overshoot too small for the block: the end is exact again.
  EXPECT_EQ(r->engine.run(12, 2), ExitReason::BudgetExhausted);
  EXPECT_EQ(r->cpu.s.r[1], 7u);
  EXPECT_EQ(r->engine.cycles_used(), 10);
}

TEST_P(EngineTest, ContinuationTakesTheSoftEndBeforeTheCrossingBlock) {
  auto r = make();
  counting_self_loop(*r, 5);
  CountingContinuation k(r->engine, 12, 3);
  k.overshoot_given = 100;
  // Each 12-cycle part ends softly before the block that would cross it: 10
  // cycles used (two blocks), 2 left over, which the continuation is told of.
  EXPECT_EQ(r->engine.run(12, 100), ExitReason::ExitRequested);
  EXPECT_EQ(k.used, (std::vector<int64_t>{10, 10, 10, 10}));
  EXPECT_EQ(k.soft, (std::vector<bool>{true, true, true, true}));
  EXPECT_EQ(r->cpu.s.r[1], 8u);
  // A part that has used nothing yet runs the crossing block whole (progress).
  k.used.clear();
  k.soft.clear();
  k.budget = 3;
  k.times = 1;
  EXPECT_EQ(r->engine.run(3, 100), ExitReason::ExitRequested);
  EXPECT_EQ(k.used, (std::vector<int64_t>{5, 5}));
  EXPECT_EQ(k.soft, (std::vector<bool>{false, false}));
  EXPECT_EQ(r->cpu.s.r[1], 10u);
}

TEST_P(EngineTest, AfterASoftEndTheBlockRunsOnWithoutALookupUnlessAnInterruptCameUp) {
  auto r = make();
  counting_self_loop(*r, 5);
  CountingContinuation k(r->engine, 12, 3);
  k.overshoot_given = 100;
  const EngineStats& st = r->engine.stats();
  EXPECT_EQ(r->engine.run(12, 100), ExitReason::ExitRequested);
  EXPECT_EQ(k.used, (std::vector<int64_t>{10, 10, 10, 10}));
  EXPECT_EQ(r->cpu.s.r[1], 8u);
  // The block was translated once and looked up once more, to chain it to
  // itself; after each soft end the block whose entry check failed ran on.
  EXPECT_EQ(st.blocks_translated, 1u);
  EXPECT_EQ(st.jump_cache_hits + st.hash_hits, 1u);
  // An interrupt that comes up during the call is taken before the block.
  k.used.clear();
  k.times = 2;
  k.during = [&] {
    if (k.used.size() == 1) r->cpu.s.irq = 1;
  };
  EXPECT_EQ(r->engine.run(12, 100), ExitReason::ExitRequested);
  EXPECT_EQ(k.used, (std::vector<int64_t>{10, 10, 10}));
  EXPECT_EQ(r->cpu.s.r[15], 0u);    // interrupted at the loop
  EXPECT_EQ(r->cpu.s.pc, 0x900u);  // and ran on in the handler
  EXPECT_EQ(r->cpu.s.r[1], 14u);
}

// A device read that lets another CPU's generated code run (as a wait in
// SystemC time does) leaves the fault handler's current back-end at that CPU's:
// a fast-memory fault after it, in the same run, still reaches this CPU's slow path.
TEST(EngineFastMem, FaultAfterAnotherCpuRanDuringADeviceReadIsServed) {
  Rig a("x86_64"), b("x86_64");
  b.mem.program(0, {toy(kMovi, 1, 0, 7), toy(kHalt)});
  // One block, two fast sites (32-bit addresses): w1 = [w0]; w3 = [w2].
  a.cpu.ir = [](TranslateContext& ctx) {
    Builder& bb = ctx.b;
    for (unsigned i = 0; i < 2; ++i) {
      bb.insn_start(ctx.key.pc + 4 * i);
      bb.mov(bb.global32(TestCpu::kW0Global + 2 * i + 1),
             bb.ld32(bb.global32(TestCpu::kW0Global + 2 * i), MemOp::u(2)));
    }
    bb.movi(bb.global64(TestCpu::kPcGlobal), ctx.key.pc + 8);
    bb.exit_tb(ExitCode::NoChain);
    ctx.num_insns = 2;
    ctx.cycles = 2;
    ctx.end_pc = ctx.key.pc + 8;
  };
  a.cpu.s.w[0] = uint32_t(TestMemory::kMmioBase);
  a.cpu.s.w[2] = uint32_t(TestMemory::kMmioBase + 8);
  int reads = 0;
  a.mem.on_mmio_read = [&] {
    if (reads++ == 0) {
      EXPECT_EQ(b.engine.run(100), ExitReason::Halted);
    }
  };
  EXPECT_EQ(a.engine.run(2), ExitReason::BudgetExhausted);
  if (a.engine.stats().fast_faults == 0) GTEST_SKIP() << "no fast memory on this host";
  EXPECT_EQ(a.engine.stats().fast_faults, 2u) << "both loads faulted in fast memory first";
  EXPECT_EQ(a.cpu.s.w[1], 0x1000u);
  EXPECT_EQ(a.cpu.s.w[3], 0x1008u);
  EXPECT_EQ(b.cpu.s.r[1], 7u);
}

TEST_P(EngineTest, ExpensiveInstructionDoesNotFitPartialBudget) {
  auto r = make();
  r->mem.program(0, {toy(kMovi, 0, 0, 1), toy(kBusy, 0, 0, 10), toy(kMovi, 1, 0, 2), toy(kHalt)});
  EXPECT_EQ(r->engine.run(5), ExitReason::BudgetExhausted);
  EXPECT_EQ(r->cpu.s.pc, 4u);  // stopped before the 10-cycle instruction
  EXPECT_EQ(r->engine.cycles_used(), 1);
  EXPECT_EQ(r->engine.run(11), ExitReason::BudgetExhausted);
  EXPECT_EQ(r->cpu.s.pc, 12u);
  EXPECT_EQ(r->engine.run(100), ExitReason::Halted);
  EXPECT_EQ(r->cpu.s.r[1], 2u);
}

TEST_P(EngineTest, BudgetIsExactEvenIfTheFrontEndIgnoresMaxCycles) {
  for (int64_t budget = 1; budget <= 12; ++budget) {
    auto r = make();
    r->cpu.ir = [](TranslateContext& ctx) {
      Builder& b = ctx.b;
      const uint32_t n = std::min<uint32_t>(ctx.max_insns, 9);
      for (uint32_t i = 0; i < n; ++i) {
        b.insn_start(ctx.key.pc + 4 * i);
        b.mov(b.global64(1), b.add(b.global64(1), b.c64(1)));
      }
      b.movi(b.global64(TestCpu::kPcGlobal), ctx.key.pc + 4 * n);
      b.exit_tb(ExitCode::NoChain);
      ctx.num_insns = n;
      ctx.cycles = 2 * n;  // two cycles per instruction, max_cycles ignored
      ctx.end_pc = ctx.key.pc + 4 * n;
    };
    EXPECT_EQ(r->engine.run(budget), ExitReason::BudgetExhausted);
    EXPECT_EQ(r->cpu.s.r[1], uint64_t(std::min<int64_t>(budget / 2, 9))) << budget;
    EXPECT_EQ(r->engine.cycles_used(), 2 * (budget / 2));
  }
}

TEST_P(EngineTest, BlocksWithoutTimingCostOneCyclePerInstruction) {
  auto r = make();
  r->cpu.ir = [](TranslateContext& ctx) {
    Builder& b = ctx.b;
    b.insn_start(ctx.key.pc);
    b.mov(b.global64(1), b.add(b.global64(1), b.c64(1)));
    b.insn_start(ctx.key.pc + 4);
    b.movi(b.global64(TestCpu::kPcGlobal), ctx.key.pc);
    b.goto_tb(0);
    b.exit_tb(0);
    ctx.num_insns = 2;  // ctx.cycles left at 0
  };
  EXPECT_EQ(r->engine.run(10), ExitReason::BudgetExhausted);
  EXPECT_EQ(r->cpu.s.r[1], 5u);
  EXPECT_EQ(r->engine.insns_executed(), 10u);
}

TEST_P(EngineTest, RepeatedBudgetEndsReuseShortenedBlocks) {
  auto r = make();
  counting_loop(r->mem, 1000);
  for (int i = 0; i < 50; ++i) EXPECT_EQ(r->engine.run(5), ExitReason::BudgetExhausted);
  EXPECT_EQ(r->engine.insns_executed(), 250u);
  // The loop body is three instructions; only a few distinct shortened blocks exist.
  EXPECT_LT(r->engine.stats().blocks_translated, 12u);
}

TEST_P(EngineTest, HelperExceptionRestoresPc) {
  auto r = make();
  r->mem.program(0, {toy(kMovi, 2, 0, 0xdead), toy(kMovi, 3, 0, 7), toy(kChk, 3), toy(kChk, 2), toy(kMovi, 4, 0, 1),
                     toy(kHalt)});
  r->mem.program(0x800, {toy(kHalt)});
  EXPECT_EQ(r->engine.run(100), ExitReason::Halted);
  EXPECT_EQ(r->cpu.s.exceptions, 1u);
  EXPECT_EQ(r->cpu.s.last_exception, kExcHelper);
  EXPECT_EQ(r->cpu.s.exception_pc, 12u);          // the faulting CHK
  EXPECT_EQ(r->cpu.s.restored_data, 12u ^ 0x5a5a);  // data1 of its record
  EXPECT_EQ(r->cpu.s.r[14], 8u);                  // the first CHK ran
  EXPECT_EQ(r->cpu.s.r[4], 0u);                   // the instruction after did not
  EXPECT_EQ(r->engine.insns_executed(), 3u + 1);  // three retired + the handler's halt
  EXPECT_EQ(r->engine.cycles_used(), 4);
}

TEST_P(EngineTest, LoadFaultRestoresPc) {
  auto r = make();
  r->mem.program(0, {toy(kMovi, 1, 0, 0x10), toy(kMovi, 2, 0, 0), toy(kAddi, 2, 0, 0x7fff), toy(kAdd, 2, 2),
                     toy(kAdd, 2, 2), toy(kAdd, 2, 2), toy(kAdd, 2, 2), toy(kAdd, 2, 2),  // r2 = 0xfffe0 (unmapped)
                     toy(kLd32, 3, 1), toy(kLd32, 4, 2), toy(kMovi, 5, 0, 1), toy(kHalt)});
  r->mem.program(0x800, {toy(kHalt)});
  EXPECT_EQ(r->engine.run(100), ExitReason::Halted);
  EXPECT_EQ(r->cpu.s.last_exception, kExcData);
  EXPECT_EQ(r->cpu.s.exception_pc, 36u);
  EXPECT_EQ(r->cpu.s.common.fault_addr, 0xfffe0u);
  EXPECT_EQ(r->cpu.s.r[5], 0u);
  // Nine instructions retired before the fault, then the handler's halt: the
  // instructions after the fault are neither counted nor charged.
  EXPECT_EQ(r->engine.insns_executed(), 10u);
  EXPECT_EQ(r->engine.cycles_used(), 10);
}

TEST_P(EngineTest, AlignmentFault) {
  auto r = make();
  r->mem.program(0, {toy(kMovi, 1, 0, 0x102), toy(kLd32, 3, 1), toy(kLdA32, 4, 1), toy(kHalt)});
  r->mem.program(0x800, {toy(kHalt)});
  std::memcpy(r->mem.ram.data() + 0x100, "\x11\x22\x33\x44\x55\x66", 6);
  EXPECT_EQ(r->engine.run(100), ExitReason::Halted);
  EXPECT_EQ(r->cpu.s.r[3], 0x66554433u);  // unaligned access without a requirement works
  EXPECT_EQ(r->cpu.s.last_exception, kExcAlign);
  EXPECT_EQ(r->cpu.s.exception_pc, 8u);
}

TEST_P(EngineTest, BigEndianAndPageCrossingAccesses) {
  auto r = make();
  const uint64_t a = kPageSize * 3 - 2;  // crosses a page boundary
  r->mem.program(0, {toy(kMovi, 1, 0, uint16_t(a)), toy(kMovi, 2, 0, 0x1234), toy(kStBe32, 2, 1), toy(kLd32, 3, 1),
                     toy(kLdBe32, 4, 1), toy(kHalt)});
  EXPECT_EQ(r->engine.run(100), ExitReason::Halted);
  EXPECT_EQ(r->mem.ram[a], 0x00);
  EXPECT_EQ(r->mem.ram[a + 2], 0x12);
  EXPECT_EQ(r->mem.ram[a + 3], 0x34);
  EXPECT_EQ(r->cpu.s.r[3], 0x34120000u);
  EXPECT_EQ(r->cpu.s.r[4], 0x1234u);
}

TEST_P(EngineTest, MmioGoesThroughTheSlowPathWithDelay) {
  auto r = make();
  // r1 = 0x100000 + 8 (MMIO): r1 = 0x1000 << 8 via adds
  r->mem.program(0, {toy(kMovi, 1, 0, 0x1000), toy(kAdd, 1, 1), toy(kAdd, 1, 1), toy(kAdd, 1, 1), toy(kAdd, 1, 1),
                     toy(kAdd, 1, 1), toy(kAdd, 1, 1), toy(kAdd, 1, 1), toy(kAdd, 1, 1), toy(kAddi, 1, 0, 8),
                     toy(kMovi, 2, 0, 0x77), toy(kSt32, 2, 1), toy(kLd32, 3, 1), toy(kHalt)});
  EXPECT_EQ(r->engine.run(1000), ExitReason::Halted);
  EXPECT_EQ(r->mem.mmio[0x100008], 0x77u);
  EXPECT_EQ(r->cpu.s.r[3], 0x77u);
  EXPECT_EQ(r->engine.cycles_used(), 14 + 2 * int64_t(TestMemory::kMmioDelay));
  const TlbEntry& e = r->cpu.s.common.tlb[tlb_index(0x100008)];
  EXPECT_TRUE(e.addr_read & TlbFlag::Mmio);
}

TEST(TlbIndex, SeparatesCodeAndSramAndNeverGivesAdjacentPagesOneSlot) {
  // Flash at 0, SRAM at 0x20000000 and a stack at the top of a 4 MiB SRAM (M-profile boards)
  // must not share slots.
  for (uint64_t off = 0; off < 0x10000; off += kPageSize) {
    EXPECT_NE(tlb_index(off), tlb_index(0x20000000 + off));
    EXPECT_NE(tlb_index(0x20000000 + off), tlb_index(0x203ffc00 - off));
    EXPECT_NE(tlb_index(off), tlb_index(0x203ffc00 - off));
  }
  // A page-crossing access indexes by its first byte and compares its last byte's page:
  // adjacent pages in one slot would let it hit with the wrong page's addend.
  for (uint64_t page : {0x1ffffc00ull, 0x3ffffc00ull, 0x5ffffc00ull, 0xdffffc00ull, 0xfffffc00ull, 0xffc00ull}) {
    EXPECT_NE(tlb_index(page), tlb_index(page + kPageSize)) << std::hex << page;
  }
  EXPECT_NE(tlb_index(0xfffffc00ull), tlb_index(0));  // 32-bit wrap-around
  for (uint64_t page = 0; page < (uint64_t(1) << 32); page += kPageSize * 7919) {
    EXPECT_NE(tlb_index(page), tlb_index(page + kPageSize)) << std::hex << page;
  }
}

TEST_P(EngineTest, TlbFillsOnceAndFlushRangeDropsDmi) {
  auto r = make();
  r->mem.program(0, {toy(kMovi, 1, 0, 0x2000), toy(kLd32, 2, 1), toy(kLd32, 3, 1), toy(kLd32, 4, 1), toy(kHalt)});
  std::memcpy(r->mem.ram.data() + 0x2000, "\x01\x02\x03\x04", 4);
  EXPECT_EQ(r->engine.run(100), ExitReason::Halted);
  EXPECT_EQ(r->cpu.s.r[4], 0x04030201u);
  EXPECT_EQ(r->engine.stats().tlb_fills, 1u);
  const TlbEntry& e = r->cpu.s.common.tlb[tlb_index(0x2000)];
  EXPECT_EQ(e.addr_read, 0x2000u);
  // DMI goes away: the entry is dropped and the next access refills through the slow path.
  r->mem.dmi = false;
  r->engine.flush_tlb_range(0x2000, 0x2003);
  EXPECT_NE(e.addr_read & kPageMask, 0x2000u);
  r->cpu.s.pc = 4;
  r->cpu.s.halted = 0;
  r->cpu.s.r[2] = r->cpu.s.r[3] = r->cpu.s.r[4] = 0;
  EXPECT_EQ(r->engine.run(100), ExitReason::Halted);
  EXPECT_TRUE(e.addr_read & TlbFlag::Mmio);
  EXPECT_EQ(r->cpu.s.r[2], 0x04030201u);
  EXPECT_EQ(r->cpu.s.r[4], 0x04030201u);
}

TEST_P(EngineTest, MemoryLatencyIsCharged) {
  auto r = make();
  r->mem.read_latency = 3;
  r->mem.program(0, {toy(kMovi, 1, 0, 0x2000), toy(kLd32, 2, 1), toy(kLd32, 3, 1), toy(kHalt)});
  EXPECT_EQ(r->engine.run(100), ExitReason::Halted);
  EXPECT_EQ(r->engine.cycles_used(), 4 + 2 * 3);
}

TEST_P(EngineTest, StoreIntoAnotherBlockInvalidatesIt) {
  auto r = make();
  // Block B at 0x100 sets r3 = 1 and returns through r5. The code at 0x08
  // patches B's immediate to 2 and runs B again.
  r->mem.program(0x100, {toy(kMovi, 3, 0, 1), toy(kJr, 5)});
  r->mem.program(0, {toy(kMovi, 5, 0, 0x08), toy(kB, 0, 0, (0x100 - 0x04) / 4)});
  r->mem.program(0x08, {toy(kMovi, 6, 0, 2), toy(kMovi, 8, 0, 0x102), toy(kSt8, 6, 8), toy(kMovi, 5, 0, 0x20),
                        toy(kMovi, 9, 0, 0), toy(kB, 0, 0, (0x100 - 0x1c) / 4)});
  r->mem.program(0x20, {toy(kHalt)});
  EXPECT_EQ(r->engine.run(1000), ExitReason::Halted);
  EXPECT_EQ(r->cpu.s.r[3], 2u);
  EXPECT_GE(r->engine.stats().invalidations, 1u);
}

TEST_P(EngineTest, StoreIntoTheRunningBlockTakesEffectAtTheNextInstruction) {
  auto r = make();
  // One block: r1 = 0x10; r2 = 5; st8 r2 -> [0x10+... ] patches the imm of the movi at 0x10 itself.
  // 0x00 movi r1, 0x12      (address of the imm's low byte of the insn at 0x10)
  // 0x04 movi r2, 9
  // 0x08 st8 r2, [r1]        modifies 0x10: movi r3, 1 -> movi r3, 9
  // 0x0c addi r4, 1          runs once
  // 0x10 movi r3, 1
  // 0x14 halt
  r->mem.program(0, {toy(kMovi, 1, 0, 0x12), toy(kMovi, 2, 0, 9), toy(kSt8, 2, 1), toy(kAddi, 4, 0, 1),
                     toy(kMovi, 3, 0, 1), toy(kHalt)});
  EXPECT_EQ(r->engine.run(1000), ExitReason::Halted);
  EXPECT_EQ(r->cpu.s.r[3], 9u);
  EXPECT_EQ(r->cpu.s.r[4], 1u);
  EXPECT_EQ(r->mem.ram[0x12], 9u);
  EXPECT_GE(r->engine.stats().invalidations, 1u);
  EXPECT_EQ(r->engine.insns_executed(), 6u);  // the store is re-run, but counted and charged once
  EXPECT_EQ(r->engine.cycles_used(), 6);
}

TEST_P(EngineTest, RunsAndModifiesItsCodeWithoutDmi) {
  auto r = make();
  r->mem.dmi = false;  // code fetch, loads and stores all through read()/write()
  r->mem.program(0, {toy(kMovi, 1, 0, 0x12), toy(kMovi, 2, 0, 9), toy(kSt8, 2, 1), toy(kAddi, 4, 0, 1),
                     toy(kMovi, 3, 0, 1), toy(kHalt)});
  EXPECT_EQ(r->engine.run(1000), ExitReason::Halted);
  EXPECT_EQ(r->cpu.s.r[3], 9u);
  EXPECT_EQ(r->cpu.s.r[4], 1u);
  EXPECT_GE(r->engine.stats().invalidations, 1u);
  EXPECT_EQ(r->engine.insns_executed(), 6u);
}

TEST_P(EngineTest, StoreToDataOnACodePageKeepsUnrelatedBlocks) {
  auto r = make();
  r->mem.program(0, {toy(kMovi, 1, 0, 0x200), toy(kMovi, 2, 0, 3), toy(kSt32, 2, 1), toy(kHalt)});
  EXPECT_EQ(r->engine.run(1000), ExitReason::Halted);
  EXPECT_EQ(r->engine.stats().invalidations, 0u);
  EXPECT_EQ(r->mem.ram[0x200], 3u);
}

TEST_P(EngineTest, FullCodeBufferIsFlushedAndRetried) {
  EngineOptions o;
  o.code_buffer_size = 4096;
  auto r = make(o);
  // Many distinct blocks: a chain of "addi r1, 1; b next" over 200 blocks, then halt.
  for (unsigned i = 0; i < 200; ++i) r->mem.program(i * 8, {toy(kAddi, 1, 0, 1), toy(kB, 0, 0, 1)});
  r->mem.program(200 * 8, {toy(kHalt)});
  EXPECT_EQ(r->engine.run(100000), ExitReason::Halted);
  EXPECT_EQ(r->cpu.s.r[1], 200u);
  EXPECT_GE(r->engine.stats().flushes, 1u);
  // Run it again from the start: everything retranslates into the flushed buffer.
  r->cpu.s.pc = 0;
  r->cpu.s.halted = 0;
  EXPECT_EQ(r->engine.run(100000), ExitReason::Halted);
  EXPECT_EQ(r->cpu.s.r[1], 400u);
}

TEST_P(EngineTest, FlushCodeRetranslates) {
  auto r = make();
  counting_loop(r->mem, 3);
  EXPECT_EQ(r->engine.run(1000), ExitReason::Halted);
  uint64_t n = r->engine.stats().blocks_translated;
  r->engine.flush_code();
  r->cpu.s.pc = 0;
  r->cpu.s.halted = 0;
  EXPECT_EQ(r->engine.run(1000), ExitReason::Halted);
  EXPECT_EQ(r->engine.stats().blocks_translated, 2 * n);
  EXPECT_EQ(r->cpu.s.r[1], 3u);
}

TEST_P(EngineTest, InvalidateCodeOverTheWholeAddressSpace) {
  auto r = make();
  counting_loop(r->mem, 3);
  EXPECT_EQ(r->engine.run(1000), ExitReason::Halted);
  r->engine.invalidate_code(0, ~0ull);
  EXPECT_EQ(r->engine.stats().invalidations, r->engine.stats().blocks_translated);
  // Patch the loop count and run again: the new code is translated.
  r->mem.program(0, {toy(kMovi, 0, 0, 7)});
  r->cpu.s.pc = 0;
  r->cpu.s.halted = 0;
  EXPECT_EQ(r->engine.run(1000), ExitReason::Halted);
  EXPECT_EQ(r->cpu.s.r[1], 7u);
}

TEST_P(EngineTest, GotoPtrFindsTheNextBlock) {
  auto r = make();
  r->mem.program(0, {toy(kMovi, 5, 0, 0x40), toy(kJr, 5)});
  r->mem.program(0x40, {toy(kAddi, 1, 0, 1), toy(kMovi, 5, 0, 0x80), toy(kJr, 5)});
  r->mem.program(0x80, {toy(kAddi, 1, 0, 1), toy(kHalt)});
  EXPECT_EQ(r->engine.run(1000), ExitReason::Halted);
  EXPECT_EQ(r->cpu.s.r[1], 2u);
}

TEST_P(EngineTest, FetchFaultOnTheFirstInstruction) {
  auto r = make();
  r->cpu.s.pc = 0x200000;  // unmapped
  r->mem.program(0x800, {toy(kHalt)});
  EXPECT_EQ(r->engine.run(100), ExitReason::Halted);
  EXPECT_EQ(r->cpu.s.last_exception, kExcFetch);
  EXPECT_EQ(r->cpu.s.exception_pc, 0x200000u);
}

TEST_P(EngineTest, FetchFaultLaterEndsTheBlockFirst) {
  auto r = make();
  const uint64_t end = TestMemory::kRamSize - 8;
  r->cpu.s.pc = end;
  r->mem.program(end, {toy(kMovi, 1, 0, 1), toy(kMovi, 2, 0, 2)});  // then falls off RAM
  r->mem.program(0x800, {toy(kHalt)});
  EXPECT_EQ(r->engine.run(100), ExitReason::Halted);
  EXPECT_EQ(r->cpu.s.r[2], 2u);
  EXPECT_EQ(r->cpu.s.last_exception, kExcFetch);
  EXPECT_EQ(r->cpu.s.exception_pc, TestMemory::kRamSize);
}

TEST_P(EngineTest, RequestExitFromAHelperLeavesAtTheNextBlock) {
  auto r = make();
  r->cpu.ir = [](TranslateContext& ctx) {
    Builder& b = ctx.b;
    b.insn_start(ctx.key.pc);
    b.mov(b.global64(1), b.add(b.global64(1), b.c64(1)));
    b.call0(3, {});  // request_exit
    b.movi(b.global64(TestCpu::kPcGlobal), ctx.key.pc);
    b.goto_tb(0);
    b.exit_tb(0);
    ctx.num_insns = 1;
    ctx.cycles = 1;
    ctx.end_pc = ctx.key.pc + 4;
  };
  EXPECT_EQ(r->engine.run(100), ExitReason::ExitRequested);
  EXPECT_EQ(r->cpu.s.r[1], 1u);
  EXPECT_EQ(r->engine.cycles_used(), 1);
  EXPECT_EQ(r->engine.run(100), ExitReason::ExitRequested);
  EXPECT_EQ(r->cpu.s.r[1], 2u);
  // Without the request the block loops (chained to itself) until the budget ends.
  counting_self_loop(*r, 1);
  r->engine.flush_code();
  r->engine.request_exit();  // before run(): dropped
  EXPECT_EQ(r->engine.run(100), ExitReason::BudgetExhausted);
  EXPECT_EQ(r->cpu.s.r[1], 102u);
  EXPECT_EQ(r->engine.cycles_used(), 100);
}

TEST_P(EngineTest, InterruptsAreTakenBetweenBlocks) {
  auto r = make();
  r->mem.program(0, {toy(kHalt)});
  r->mem.program(0x900, {toy(kMovi, 7, 0, 0x42), toy(kHalt)});
  EXPECT_EQ(r->engine.run(100), ExitReason::Halted);
  EXPECT_EQ(r->engine.run(100), ExitReason::Halted);  // still asleep: returns at once
  EXPECT_EQ(r->engine.cycles_used(), 0);
  r->cpu.s.irq = 1;
  EXPECT_EQ(r->engine.run(100), ExitReason::Halted);
  EXPECT_EQ(r->cpu.s.r[7], 0x42u);
  EXPECT_EQ(r->cpu.s.r[15], 4u);
}

TEST_P(EngineTest, TwoEnginesInOneProcessAreIndependent) {
  auto a = make();
  auto b = make();
  counting_loop(a->mem, 30);
  counting_loop(b->mem, 40);
  // Interleave quanta of both CPUs.
  ExitReason ra = ExitReason::BudgetExhausted, rb = ExitReason::BudgetExhausted;
  while (ra != ExitReason::Halted || rb != ExitReason::Halted) {
    if (ra != ExitReason::Halted) ra = a->engine.run(13);
    if (rb != ExitReason::Halted) rb = b->engine.run(17);
  }
  EXPECT_EQ(a->cpu.s.r[1], 30u);
  EXPECT_EQ(b->cpu.s.r[1], 40u);
  EXPECT_EQ(a->engine.insns_executed(), 2u + 30 * 3 + 1);
  EXPECT_EQ(b->engine.insns_executed(), 2u + 40 * 3 + 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, EngineTest, ::testing::ValuesIn(host::backend_names()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace presil::tcg::test
