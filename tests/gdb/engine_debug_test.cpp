// SPDX-License-Identifier: Apache-2.0
// Engine debug features on every back-end: breakpoints, precise watchpoints, single step.
#include <gtest/gtest.h>

#include "tests/tcg/test_guest.h"

namespace presil::tcg::test {
namespace {

class EngineDebugTest : public ::testing::TestWithParam<std::string> {
 protected:
  std::unique_ptr<Rig> make(EngineOptions opts = {}) { return std::make_unique<Rig>(GetParam(), opts); }
};

// r0 = n; r1 = 0; loop (0x08): r1 += 1; r0 -= 1; bnz r0, loop; halt (0x14).
void counting_loop(TestMemory& m, uint16_t n = 10) {
  m.program(0, {toy(kMovi, 0, 0, n), toy(kMovi, 1, 0, 0), toy(kAddi, 1, 0, 1), toy(kAddi, 0, 0, 0xffff),
                toy(kBnz, 0, 0, 0xfffe), toy(kHalt)});
}

uint32_t ram32(const TestMemory& m, uint64_t addr) {
  uint32_t v;
  std::memcpy(&v, m.ram.data() + addr, 4);
  return v;
}

TEST_P(EngineDebugTest, BreakpointStopsBeforeTheInstructionEveryTime) {
  auto r = make();
  counting_loop(r->mem);
  r->engine.insert_breakpoint(0x0c);  // r0 -= 1, in the middle of the loop block
  for (uint64_t i = 1; i <= 3; ++i) {
    ASSERT_EQ(r->engine.run(1000), ExitReason::Debug);
    EXPECT_EQ(r->engine.debug_stop().kind, DebugStop::Kind::Breakpoint);
    EXPECT_EQ(r->engine.debug_stop().pc, 0x0cu);
    EXPECT_EQ(r->cpu.s.pc, 0x0cu);
    EXPECT_EQ(r->cpu.s.r[1], i);       // this iteration's r1 += 1 ran
    EXPECT_EQ(r->cpu.s.r[0], 11 - i);  // its r0 -= 1 did not
    EXPECT_EQ(r->engine.insns_executed(), 2 + 3 * (i - 1) + 1);
  }
  EXPECT_TRUE(r->engine.remove_breakpoint(0x0c));
  EXPECT_FALSE(r->engine.remove_breakpoint(0x0c));
  EXPECT_EQ(r->engine.run(1000), ExitReason::Halted);
  EXPECT_EQ(r->cpu.s.r[1], 10u);
  EXPECT_EQ(r->engine.insns_executed(), 33u);
}

TEST_P(EngineDebugTest, BreakpointInsertedIntoChainedCodeIsHit) {
  auto r = make();
  counting_loop(r->mem, 1000);
  EXPECT_EQ(r->engine.run(100), ExitReason::BudgetExhausted);  // the loop is translated and chained
  EXPECT_GE(r->engine.stats().chains_made, 1u);
  r->engine.insert_breakpoint(0x10);
  ASSERT_EQ(r->engine.run(100000), ExitReason::Debug);
  EXPECT_EQ(r->cpu.s.pc, 0x10u);
  EXPECT_EQ(r->cpu.s.r[0] + r->cpu.s.r[1], 1000u);  // stopped between two loop instructions
}

TEST_P(EngineDebugTest, IndirectJumpToABreakpointStops) {
  auto r = make();
  r->mem.program(0, {toy(kMovi, 5, 0, 0x40), toy(kJr, 5)});
  r->mem.program(0x40, {toy(kMovi, 1, 0, 7), toy(kHalt)});
  EXPECT_EQ(r->engine.run(1000), ExitReason::Halted);  // both blocks cached
  r->cpu.s.pc = 0;
  r->cpu.s.halted = 0;
  r->cpu.s.r[1] = 0;
  r->engine.insert_breakpoint(0x40);
  ASSERT_EQ(r->engine.run(1000), ExitReason::Debug);
  EXPECT_EQ(r->cpu.s.pc, 0x40u);
  EXPECT_EQ(r->cpu.s.r[1], 0u);
}

TEST_P(EngineDebugTest, SingleStepRunsOneInstruction) {
  auto r = make();
  counting_loop(r->mem);
  EXPECT_EQ(r->engine.run(4), ExitReason::BudgetExhausted);  // warm the caches with full blocks
  EXPECT_EQ(r->cpu.s.pc, 0x10u);
  for (uint64_t pc : {0x08u, 0x0cu, 0x10u, 0x08u}) {
    const uint64_t before = r->engine.insns_executed();
    r->engine.set_single_step(true);
    ASSERT_EQ(r->engine.run(1000), ExitReason::Debug);
    EXPECT_EQ(r->engine.debug_stop().kind, DebugStop::Kind::Step);
    EXPECT_EQ(r->cpu.s.pc, pc);
    EXPECT_EQ(r->engine.debug_stop().pc, pc);
    EXPECT_EQ(r->engine.insns_executed(), before + 1);
    EXPECT_EQ(r->engine.cycles_used(), 1);
  }
  // Not stepping any more: runs to the end.
  EXPECT_EQ(r->engine.run(1000), ExitReason::Halted);
  EXPECT_EQ(r->cpu.s.r[1], 10u);
}

TEST_P(EngineDebugTest, SingleStepDoesNotTakeInterrupts) {
  auto r = make();
  counting_loop(r->mem);
  r->cpu.s.irq = 1;
  r->engine.set_single_step(true);
  ASSERT_EQ(r->engine.run(1000), ExitReason::Debug);
  EXPECT_EQ(r->cpu.s.pc, 4u);
  EXPECT_EQ(r->cpu.s.irq, 1u);  // still pending
}

TEST_P(EngineDebugTest, SingleStepIntoAFaultStopsInTheHandler) {
  auto r = make();
  r->mem.program(0, {toy(kMovi, 2, 0, 0x2000), toy(kAdd, 2, 2), toy(kAdd, 2, 2), toy(kAdd, 2, 2),
                     toy(kAdd, 2, 2), toy(kLd32, 3, 2)});
  r->mem.program(0x800, {toy(kHalt)});
  // r2 = 0x2000 << 4 = 0x20000: outside the 64 KiB RAM, a bus error.
  ASSERT_EQ(r->engine.run(5), ExitReason::BudgetExhausted);
  EXPECT_EQ(r->cpu.s.r[2], 0x20000u);
  r->engine.set_single_step(true);
  ASSERT_EQ(r->engine.run(1000), ExitReason::Debug);
  EXPECT_EQ(r->engine.debug_stop().kind, DebugStop::Kind::Step);
  EXPECT_EQ(r->cpu.s.last_exception, kExcData);
  EXPECT_EQ(r->cpu.s.exception_pc, 0x14u);
  EXPECT_EQ(r->cpu.s.pc, 0x800u);
}

// r2 = 0x200; r3 = 7; [r2] = r3 (0x08); r4 = [r2] (0x0c); r5 = 1; halt.
void store_then_load(TestMemory& m) {
  m.program(0, {toy(kMovi, 2, 0, 0x200), toy(kMovi, 3, 0, 7), toy(kSt32, 3, 2), toy(kLd32, 4, 2),
                toy(kMovi, 5, 0, 1), toy(kHalt)});
}

TEST_P(EngineDebugTest, WriteWatchpointStopsAtTheStoreBeforeItWrites) {
  auto r = make();
  store_then_load(r->mem);
  r->engine.insert_watchpoint(0x200, 4, WatchKind::Write);
  ASSERT_EQ(r->engine.run(1000), ExitReason::Debug);
  const DebugStop& st = r->engine.debug_stop();
  EXPECT_EQ(st.kind, DebugStop::Kind::Watchpoint);
  EXPECT_EQ(st.pc, 0x08u);
  EXPECT_EQ(st.addr, 0x200u);
  EXPECT_TRUE(st.write);
  EXPECT_EQ(st.watch, WatchKind::Write);
  EXPECT_EQ(r->cpu.s.pc, 0x08u);
  EXPECT_EQ(ram32(r->mem, 0x200), 0u);  // not written yet
  EXPECT_EQ(r->engine.insns_executed(), 2u);
  EXPECT_EQ(r->engine.cycles_used(), 2);
  // Resuming performs the store (the watch that stopped it is stepped over); the load does not stop.
  EXPECT_EQ(r->engine.run(1000), ExitReason::Halted);
  EXPECT_EQ(ram32(r->mem, 0x200), 7u);
  EXPECT_EQ(r->cpu.s.r[4], 7u);
  EXPECT_EQ(r->engine.insns_executed(), 6u);
}

TEST_P(EngineDebugTest, AWatchedStoreRightAfterAStepStillStops) {
  auto r = make();
  store_then_load(r->mem);
  for (int i = 0; i < 2; ++i) {
    r->engine.set_single_step(true);
    ASSERT_EQ(r->engine.run(1000), ExitReason::Debug);
  }
  EXPECT_EQ(r->cpu.s.pc, 0x08u);  // at the store
  r->engine.insert_watchpoint(0x200, 4, WatchKind::Write);
  ASSERT_EQ(r->engine.run(1000), ExitReason::Debug);
  EXPECT_EQ(r->engine.debug_stop().kind, DebugStop::Kind::Watchpoint);
  EXPECT_EQ(r->cpu.s.pc, 0x08u);
  EXPECT_EQ(ram32(r->mem, 0x200), 0u);
}

TEST_P(EngineDebugTest, BreakpointOnAWatchedStoreStopsForEachInTurn) {
  auto r = make();
  store_then_load(r->mem);
  r->engine.insert_breakpoint(0x08);
  r->engine.insert_watchpoint(0x200, 4, WatchKind::Write);
  ASSERT_EQ(r->engine.run(1000), ExitReason::Debug);
  EXPECT_EQ(r->engine.debug_stop().kind, DebugStop::Kind::Breakpoint);
  ASSERT_EQ(r->engine.run(1000), ExitReason::Debug);
  EXPECT_EQ(r->engine.debug_stop().kind, DebugStop::Kind::Watchpoint);
  EXPECT_EQ(r->cpu.s.pc, 0x08u);
  EXPECT_EQ(r->engine.run(1000), ExitReason::Halted);
  EXPECT_EQ(ram32(r->mem, 0x200), 7u);
}

TEST_P(EngineDebugTest, ReadWatchpointIgnoresStoresAndCatchesTheLoad) {
  auto r = make();
  store_then_load(r->mem);
  r->engine.insert_watchpoint(0x202, 1, WatchKind::Read);  // overlaps the 4-byte load
  ASSERT_EQ(r->engine.run(1000), ExitReason::Debug);
  EXPECT_EQ(r->engine.debug_stop().pc, 0x0cu);
  EXPECT_EQ(r->engine.debug_stop().addr, 0x202u);
  EXPECT_FALSE(r->engine.debug_stop().write);
  EXPECT_EQ(ram32(r->mem, 0x200), 7u);
  EXPECT_EQ(r->cpu.s.r[4], 0u);
  EXPECT_TRUE(r->engine.remove_watchpoint(0x202, 1, WatchKind::Read));
  EXPECT_EQ(r->engine.run(1000), ExitReason::Halted);
  EXPECT_EQ(r->cpu.s.r[4], 7u);
}

TEST_P(EngineDebugTest, AccessWatchpointOnAPageAlreadyInTheTlb) {
  auto r = make();
  // A loop storing to 0x300 then reading 0x304: the TLB holds the page before the watch exists.
  r->mem.program(0, {toy(kMovi, 2, 0, 0x300), toy(kMovi, 6, 0, 0x304), toy(kMovi, 0, 0, 50), toy(kSt32, 0, 2),
                     toy(kLd32, 4, 6), toy(kAddi, 0, 0, 0xffff), toy(kBnz, 0, 0, 0xfffd), toy(kHalt)});
  EXPECT_EQ(r->engine.run(30), ExitReason::BudgetExhausted);
  r->engine.insert_watchpoint(0x304, 4, WatchKind::Access);
  ASSERT_EQ(r->engine.run(1000), ExitReason::Debug);
  EXPECT_EQ(r->cpu.s.pc, 0x10u);  // the load from 0x304; the stores to 0x300 do not stop
  r->engine.clear_debug();
  EXPECT_EQ(r->engine.run(1000), ExitReason::Halted);
  EXPECT_EQ(r->cpu.s.r[0], 0u);
}

TEST_P(EngineDebugTest, NothingSetMeansNoStop) {
  auto r = make();
  counting_loop(r->mem);
  r->engine.insert_breakpoint(0x0c);
  r->engine.insert_watchpoint(0x200, 4, WatchKind::Access);
  r->engine.clear_debug();
  EXPECT_EQ(r->engine.run(1000), ExitReason::Halted);
  EXPECT_EQ(r->engine.insns_executed(), 33u);
}

INSTANTIATE_TEST_SUITE_P(Backends, EngineDebugTest, ::testing::ValuesIn(host::backend_names()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace presil::tcg::test
