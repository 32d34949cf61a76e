// SPDX-License-Identifier: Apache-2.0
// Tests of the ARMv7-M exception model: reset, stacking, return, priorities, escalation.
#include <stdexcept>

#include "m_profile_fixture.h"

namespace presil::cpu::arm::test {
namespace {

TEST_F(MProfileTest, ResetLoadsSpAndPcFromVectorTable) {
  EXPECT_EQ(s.r[13], kInitialSp);
  EXPECT_EQ(s.r[15], kResetPc);
  EXPECT_EQ(s.thumb, 1u);
  EXPECT_EQ(s.r[14], 0xFFFFFFFFu);
  EXPECT_EQ(s.ipsr, 0u);
  EXPECT_EQ(s.control, 0u);
  EXPECT_EQ(s.primask, 0u);
  EXPECT_EQ(s.ccr, 0x200u);  // STKALIGN
  EXPECT_EQ(m->msp(), kInitialSp);
  EXPECT_TRUE(m->privileged());
}

TEST_F(MProfileTest, BadConfigurationIsRejected) {
  ArmState st;
  MProfileConfig bad;
  bad.num_irq = 0;
  EXPECT_THROW(MProfile(st, mem, bad), std::invalid_argument);
  bad.num_irq = 497;
  EXPECT_THROW(MProfile(st, mem, bad), std::invalid_argument);
  bad.num_irq = 32;
  bad.priority_bits = 1;
  try {
    MProfile model(st, mem, bad);
    FAIL() << "priority-bits 1 accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "M-profile: priority-bits must be 2..8, got 1");
  }
}

TEST_F(MProfileTest, EightPriorityBitsKeepFullBytes) {
  cfg.priority_bits = 8;
  build();
  ASSERT_TRUE(m->scs_write(0x400, 1, 0x5B));
  EXPECT_EQ(scs(0x400), 0x5Bu);
  m->msr(17, 0, 0x5B);
  EXPECT_EQ(m->mrs(17), 0x5Bu);
}

TEST_F(MProfileTest, ResetVectorWithoutThumbBitClearsEpsrT) {
  mem.w32(0, 0x1237);  // SP low bits are ignored
  mem.w32(4, 0x1000);
  m->reset();
  EXPECT_EQ(s.r[13], 0x1234u);
  EXPECT_EQ(s.thumb, 0u);
  EXPECT_EQ(s.r[15], 0x1000u);
}

TEST_F(MProfileTest, ResetHonoursConfiguredVtor) {
  cfg.vtor_reset = 0x8000;
  mem.w32(0x8000, 0x20000);
  mem.w32(0x8004, 0x3001);
  build();
  EXPECT_EQ(s.r[13], 0x20000u);
  EXPECT_EQ(s.r[15], 0x3000u);
  EXPECT_EQ(scs(0xD08), 0x8000u);
}

TEST_F(MProfileTest, IrqEntryStacksExactFrameOnMsp) {
  set_context(0x1234);
  s.itstate = 0x1C;  // IT bits 7:2 = 0b000111, 1:0 = 0b00
  enable_irq(3, 0x40);
  m->set_irq(3, true);
  ASSERT_TRUE(m->process_interrupts());
  EXPECT_EQ(m->last_transition(), MTransition::Entry);
  const uint32_t frame = kInitialSp - 0x20;
  EXPECT_EQ(s.r[13], frame);
  EXPECT_EQ(mem.r32(frame + 0), 0x100u);
  EXPECT_EQ(mem.r32(frame + 4), 0x101u);
  EXPECT_EQ(mem.r32(frame + 8), 0x102u);
  EXPECT_EQ(mem.r32(frame + 12), 0x103u);
  EXPECT_EQ(mem.r32(frame + 16), 0x10Cu);
  EXPECT_EQ(mem.r32(frame + 20), 0x0BADC0DEu);
  EXPECT_EQ(mem.r32(frame + 24), 0x1234u);
  EXPECT_EQ(mem.r32(frame + 28), 0xA0000000u | (1u << 24) | (0x7u << 10));  // NC, T, IT; IPSR 0; no pad
  EXPECT_EQ(s.r[14], 0xFFFFFFF9u);
  EXPECT_EQ(s.ipsr, 19u);
  EXPECT_EQ(s.r[15], handler(19));
  EXPECT_EQ(s.itstate, 0u);
  EXPECT_TRUE(m->is_active(19));
  EXPECT_FALSE(m->is_pending(19));
}

TEST_F(MProfileTest, EntryPadsMisalignedStackAndReturnRemovesPadding) {
  s.r[13] = kInitialSp - 4;  // 8-byte misaligned
  set_context(0x1000);
  enable_irq(0, 0);
  m->set_irq(0, true);
  ASSERT_TRUE(m->process_interrupts());
  const uint32_t frame = kInitialSp - 0x28;  // (sp - 0x20) & ~7... with bit 2 cleared
  EXPECT_EQ(s.r[13], frame);
  EXPECT_EQ(mem.r32(frame + 28) & (1u << 9), 1u << 9);
  m->set_irq(0, false);
  m->exception_return(0xFFFFFFF9);
  EXPECT_EQ(m->last_transition(), MTransition::Return);
  EXPECT_EQ(s.r[13], kInitialSp - 4);
  EXPECT_EQ(s.r[15], 0x1000u);
  EXPECT_EQ(s.ipsr, 0u);
}

TEST_F(MProfileTest, PspThreadEntryAndReturnSwitchStacks) {
  m->set_psp(0x10000);
  m->msr(20, 0, 2);  // CONTROL.SPSEL = 1 in thread mode
  EXPECT_EQ(s.r[13], 0x10000u);
  EXPECT_EQ(s.other_sp, kInitialSp);
  set_context(0x1100);
  s.r[13] = 0x10000;
  s.itstate = 0x06;  // IT<1:0> = 2 -> xPSR<26:25>
  m->set_pending(14);  // PendSV via software
  ASSERT_TRUE(m->process_interrupts());
  EXPECT_EQ(s.r[14], 0xFFFFFFFDu);
  EXPECT_EQ(s.r[13], kInitialSp);          // handler runs on MSP
  EXPECT_EQ(s.other_sp, 0x10000u - 0x20);  // frame on PSP
  EXPECT_EQ(m->psp(), 0x10000u - 0x20);
  EXPECT_EQ(s.control & 2, 0u);
  EXPECT_EQ(mem.r32(0x10000 - 0x20 + 24), 0x1100u);
  EXPECT_EQ(mem.r32(0x10000 - 0x20 + 28), 0xA0000000u | (1u << 24) | (2u << 25) | (1u << 10));

  // The handler clobbers registers; return restores everything.
  for (unsigned i = 0; i < 4; ++i) s.r[i] = 0xDEAD;
  arm_set_apsr(s, 0);
  m->exception_return(0xFFFFFFFD);
  EXPECT_EQ(s.r[13], 0x10000u);
  EXPECT_EQ(s.other_sp, kInitialSp);
  EXPECT_EQ(s.control & 2, 2u);
  EXPECT_EQ(s.r[0], 0x100u);
  EXPECT_EQ(s.r[3], 0x103u);
  EXPECT_EQ(s.r[12], 0x10Cu);
  EXPECT_EQ(s.r[14], 0x0BADC0DEu);
  EXPECT_EQ(s.r[15], 0x1100u);
  EXPECT_EQ(arm_apsr(s), 0xA0000000u);
  EXPECT_EQ(s.itstate, 0x06u);
  EXPECT_EQ(s.ipsr, 0u);
  EXPECT_FALSE(m->is_active(14));
}

TEST_F(MProfileTest, HigherPriorityPreemptsLowerDoesNot) {
  enable_irq(0, 0x40);
  enable_irq(1, 0x20);
  enable_irq(2, 0x60);
  m->set_irq(0, true);
  ASSERT_TRUE(m->process_interrupts());
  EXPECT_EQ(s.ipsr, 16u);
  EXPECT_EQ(m->execution_priority(), 0x40);
  m->set_irq(2, true);
  EXPECT_FALSE(m->process_interrupts());  // 0x60 is lower priority
  m->set_irq(1, true);
  ASSERT_TRUE(m->process_interrupts());
  EXPECT_EQ(s.ipsr, 17u);
  EXPECT_EQ(s.r[14], 0xFFFFFFF1u);  // preempted a handler
  EXPECT_EQ(m->execution_priority(), 0x20);
}

TEST_F(MProfileTest, PendingDisabledIrqIsTakenOnceEnabled) {
  m->set_irq(7, true);  // latched while disabled
  EXPECT_FALSE(m->process_interrupts());
  EXPECT_FALSE(m->process_interrupts());
  EXPECT_TRUE(m->is_pending(23));
  scs_w(0x100, 1u << 7);
  ASSERT_TRUE(m->process_interrupts());
  EXPECT_EQ(s.ipsr, 23u);
  // A disabled configurable fault left pending is taken once SHCSR enables it.
  m->set_irq(7, false);
  m->exception_return(0xFFFFFFF9);
  EXPECT_EQ(s.ipsr, 0u);
  scs_w(0xD24, 1u << 14);  // BUSFAULTPENDED while BusFault is disabled
  EXPECT_FALSE(m->process_interrupts());
  scs_w(0xD24, (1u << 14) | (1u << 17));
  ASSERT_TRUE(m->process_interrupts());
  EXPECT_EQ(s.ipsr, 5u);
}

TEST_F(MProfileTest, EqualPriorityDoesNotPreemptAndLowestNumberWinsTies) {
  enable_irq(0, 0x40);
  enable_irq(1, 0x40);
  enable_irq(2, 0x40);
  m->set_irq(2, true);
  m->set_irq(1, true);
  EXPECT_EQ(m->pending_exception(), 17u);
  ASSERT_TRUE(m->process_interrupts());
  EXPECT_EQ(s.ipsr, 17u);
  EXPECT_FALSE(m->process_interrupts());
}

TEST_F(MProfileTest, PrigroupSubpriorityDoesNotPreempt) {
  scs_w(0xD0C, 0x05FA0000 | (5u << 8));  // PRIGROUP 5: group = prio<7:6>
  enable_irq(0, 0x60);
  enable_irq(1, 0x40);  // same group (0x40) as 0x60, better subpriority
  m->set_irq(0, true);
  ASSERT_TRUE(m->process_interrupts());
  m->set_irq(1, true);
  EXPECT_FALSE(m->process_interrupts());
  EXPECT_EQ(m->execution_priority(), 0x40);
}

TEST_F(MProfileTest, BasepriMasksAndBasepriMaxOnlyRaises) {
  enable_irq(0, 0x40);
  enable_irq(1, 0x20);
  m->msr(17, 0, 0x40);
  EXPECT_EQ(m->mrs(17), 0x40u);
  m->set_irq(0, true);
  EXPECT_FALSE(m->process_interrupts());
  m->msr(18, 0, 0x60);  // BASEPRI_MAX: lower priority than current -> ignored
  EXPECT_EQ(s.basepri, 0x40u);
  m->msr(18, 0, 0x20);
  EXPECT_EQ(s.basepri, 0x20u);
  m->msr(17, 0, 0x3F);  // BASEPRI bits below the 3 implemented priority bits read as zero
  EXPECT_EQ(s.basepri, 0x20u);
  m->msr(17, 0, 0);
  ASSERT_TRUE(m->process_interrupts());
  EXPECT_EQ(s.ipsr, 16u);
}

TEST_F(MProfileTest, PrimaskBlocksIrqsButNotNmi) {
  enable_irq(0, 0);
  m->cps(true, true, false);
  EXPECT_EQ(m->mrs(16), 1u);
  m->set_irq(0, true);
  EXPECT_FALSE(m->process_interrupts());
  m->set_nmi(true);
  ASSERT_TRUE(m->process_interrupts());
  EXPECT_EQ(s.ipsr, 2u);
  EXPECT_EQ(m->execution_priority(), -2);
}

TEST_F(MProfileTest, FaultmaskCannotBeSetInHardFaultAndClearsOnReturn) {
  m->cps(true, false, true);
  EXPECT_EQ(s.faultmask, 1u);
  EXPECT_EQ(m->execution_priority(), -1);
  m->cps(false, false, true);
  EXPECT_EQ(s.faultmask, 0u);

  m->set_pending(3);
  ASSERT_TRUE(m->process_interrupts());
  m->msr(19, 0, 1);
  EXPECT_EQ(s.faultmask, 0u);  // execution priority is already -1

  m->exception_return(0xFFFFFFF9);
  enable_irq(0, 0x20);
  m->msr(19, 0, 1);
  EXPECT_EQ(s.faultmask, 1u);
  m->set_irq(0, true);
  EXPECT_FALSE(m->process_interrupts());
  m->set_pending(15);  // can't preempt either; FAULTMASK cleared by the return from an exception
  m->msr(19, 0, 0);
  ASSERT_TRUE(m->process_interrupts());
  m->msr(19, 0, 1);
  EXPECT_EQ(s.faultmask, 1u);
  m->exception_return(0xFFFFFFF9);
  EXPECT_EQ(s.faultmask, 0u);
}

TEST_F(MProfileTest, TailChainSkipsUnstacking) {
  enable_irq(0, 0x20);
  enable_irq(1, 0x40);
  set_context(0x1500);
  m->set_irq(0, true);
  ASSERT_TRUE(m->process_interrupts());
  m->set_irq(0, false);
  const uint32_t sp = s.r[13];
  m->set_irq(1, true);
  EXPECT_FALSE(m->process_interrupts());  // lower priority: waits
  s.r[0] = 0x5555;                         // handler state that unstacking would overwrite
  m->exception_return(0xFFFFFFF9);
  EXPECT_EQ(m->last_transition(), MTransition::TailChain);
  EXPECT_EQ(s.ipsr, 17u);
  EXPECT_EQ(s.r[13], sp);
  EXPECT_EQ(s.r[0], 0x5555u);
  EXPECT_EQ(s.r[14], 0xFFFFFFF9u);
  EXPECT_EQ(s.r[15], handler(17));
  EXPECT_FALSE(m->is_active(16));
  m->set_irq(1, false);
  m->exception_return(0xFFFFFFF9);
  EXPECT_EQ(m->last_transition(), MTransition::Return);
  EXPECT_EQ(s.r[15], 0x1500u);
  EXPECT_EQ(s.r[13], kInitialSp);
}

TEST_F(MProfileTest, TransitionsOweConfiguredCycles) {
  cfg.entry_cycles = 12;
  cfg.tail_chain_cycles = 6;
  cfg.return_cycles = 10;
  build();
  EXPECT_EQ(m->take_owed_cycles(), 0u);
  enable_irq(0, 0x20);
  enable_irq(1, 0x40);
  m->set_irq(0, true);
  ASSERT_TRUE(m->process_interrupts());
  EXPECT_EQ(m->take_owed_cycles(), 12u);
  EXPECT_EQ(m->take_owed_cycles(), 0u);
  m->set_irq(0, false);
  m->set_irq(1, true);
  m->exception_return(0xFFFFFFF9);
  m->set_irq(1, false);
  m->exception_return(0xFFFFFFF9);
  EXPECT_EQ(m->take_owed_cycles(), 16u);  // tail-chain + return
}

TEST_F(MProfileTest, StackingBusDelaysAreOwed) {
  cfg.entry_cycles = 12;
  build();
  mem.delay = 2;
  m->set_pending(14);
  ASSERT_TRUE(m->process_interrupts());
  EXPECT_EQ(m->take_owed_cycles(), 12u + 2 * 9);  // 8 stacked words and the vector
  m->exception_return(0xFFFFFFF9);
  EXPECT_EQ(m->take_owed_cycles(), 2u * 8);  // unstacking (return cost 0)
}

TEST_F(MProfileTest, HigherPriorityArrivingWithEntryIsTakenFirst) {
  // Instruction-level late arrival: both are pending when entry happens; the
  // higher priority one uses the frame, the other follows by tail-chaining.
  enable_irq(0, 0x60);
  enable_irq(1, 0x20);
  set_context(0x1600);
  m->set_irq(0, true);
  m->set_irq(1, true);
  ASSERT_TRUE(m->process_interrupts());
  EXPECT_EQ(s.ipsr, 17u);
  EXPECT_TRUE(m->is_pending(16));
  m->set_irq(0, false);
  m->set_irq(1, false);
  m->exception_return(0xFFFFFFF9);
  EXPECT_EQ(m->last_transition(), MTransition::TailChain);
  EXPECT_EQ(s.ipsr, 16u);
  m->exception_return(0xFFFFFFF9);
  EXPECT_EQ(s.r[15], 0x1600u);
  EXPECT_EQ(s.r[13], kInitialSp);
}

TEST_F(MProfileTest, LevelInterruptRependsWhileAsserted) {
  enable_irq(4, 0x80);
  m->set_irq(4, true);
  ASSERT_TRUE(m->process_interrupts());
  EXPECT_FALSE(m->is_pending(20));
  m->exception_return(0xFFFFFFF9);  // line still high: pending again, tail-chained
  EXPECT_EQ(m->last_transition(), MTransition::TailChain);
  EXPECT_EQ(s.ipsr, 20u);
  m->set_irq(4, false);
  m->exception_return(0xFFFFFFF9);
  EXPECT_EQ(s.ipsr, 0u);
  EXPECT_FALSE(m->is_pending(20));
}

TEST_F(MProfileTest, PulseWhileActiveIsLatched) {
  enable_irq(6, 0x40);
  m->set_irq(6, true);
  ASSERT_TRUE(m->process_interrupts());
  m->set_irq(6, false);
  m->set_irq(6, true);  // a second pulse while the handler runs
  m->set_irq(6, false);
  EXPECT_TRUE(m->is_pending(22));
  EXPECT_TRUE(m->is_active(22));
  EXPECT_EQ(scs(0x200), 1u << 6);
  m->exception_return(0xFFFFFFF9);
  EXPECT_EQ(m->last_transition(), MTransition::TailChain);
  EXPECT_EQ(s.ipsr, 22u);
}

TEST_F(MProfileTest, SvcStacksNextInstructionAddress) {
  set_context(0x1802);  // r15 = instruction after the SVC
  m->take_exception(kExcpSvc);
  EXPECT_EQ(s.ipsr, 11u);
  EXPECT_EQ(s.r[15], handler(11));
  EXPECT_EQ(mem.r32(s.r[13] + 24), 0x1802u);
  EXPECT_EQ(scs(0xD24) & (1u << 7), 1u << 7);  // SHCSR.SVCALLACT
}

TEST_F(MProfileTest, SvcWithPrimaskEscalatesToHardFault) {
  m->cps(true, true, false);
  m->take_exception(kExcpSvc);
  EXPECT_EQ(s.ipsr, 3u);
  EXPECT_EQ(scs(0xD2C), 1u << 30);  // HFSR.FORCED
}

TEST_F(MProfileTest, PendSvBelowSvcRunsAfterIt) {
  ASSERT_TRUE(m->scs_write(0xD22, 1, 0xE0));  // PendSV lowest
  set_context(0x1000);
  m->take_exception(kExcpSvc);
  scs_w(0xD04, 1u << 28);  // PENDSVSET inside the SVC handler
  EXPECT_FALSE(m->process_interrupts());
  m->exception_return(0xFFFFFFF9);
  EXPECT_EQ(s.ipsr, 14u);
  EXPECT_EQ(m->last_transition(), MTransition::TailChain);
}

TEST_F(MProfileTest, DisabledUsageFaultEscalates) {
  set_context(0x1400);
  s.fault_cfsr = Cfsr::Undefinstr;
  m->take_exception(kExcpUsageFault);
  EXPECT_EQ(s.ipsr, 3u);
  EXPECT_EQ(scs(0xD28), Cfsr::Undefinstr);
  EXPECT_EQ(scs(0xD2C), 1u << 30);
  EXPECT_EQ(mem.r32(s.r[13] + 24), 0x1400u);  // faulting instruction
}

TEST_F(MProfileTest, EnabledUsageFaultIsTaken) {
  scs_w(0xD24, 1u << 18);  // USGFAULTENA
  s.fault_cfsr = Cfsr::Divbyzero;
  m->take_exception(kExcpUsageFault);
  EXPECT_EQ(s.ipsr, 6u);
  EXPECT_EQ(scs(0xD28), Cfsr::Divbyzero);
  EXPECT_EQ(scs(0xD2C), 0u);
  // CFSR is write-one-to-clear, also by byte lanes (UFSR is the top half).
  EXPECT_TRUE(m->scs_write(0xD2A, 2, 0x0200));
  EXPECT_EQ(scs(0xD28), 0u);
}

TEST_F(MProfileTest, UsageFaultAtInsufficientPriorityEscalates) {
  scs_w(0xD24, 1u << 18);
  ASSERT_TRUE(m->scs_write(0xD1A, 1, 0x80));  // UsageFault priority 0x80
  enable_irq(0, 0x40);
  m->set_irq(0, true);
  ASSERT_TRUE(m->process_interrupts());
  s.fault_cfsr = Cfsr::Undefinstr;
  m->take_exception(kExcpUsageFault);
  EXPECT_EQ(s.ipsr, 3u);
  EXPECT_EQ(scs(0xD2C), 1u << 30);
}

TEST_F(MProfileTest, PreciseBusFaultRecordsBfar) {
  scs_w(0xD24, 1u << 17);  // BUSFAULTENA
  s.fault_cfsr = Cfsr::Preciserr | Cfsr::Bfarvalid;
  s.common.fault_addr = 0x40001234;
  m->take_exception(kExcpBusFault);
  EXPECT_EQ(s.ipsr, 5u);
  EXPECT_EQ(scs(0xD28), Cfsr::Preciserr | Cfsr::Bfarvalid);
  EXPECT_EQ(scs(0xD38), 0x40001234u);
}

TEST_F(MProfileTest, BfhfnmignAppliesOnlyAtNegativePriority) {
  EXPECT_FALSE(m->ignores_data_bus_faults());
  scs_w(0xD14, 0x300);  // STKALIGN | BFHFNMIGN
  EXPECT_FALSE(m->ignores_data_bus_faults());
  m->cps(true, false, true);  // FAULTMASK: priority -1
  EXPECT_TRUE(m->ignores_data_bus_faults());
  m->cps(false, false, true);
  m->set_pending(3);
  ASSERT_TRUE(m->process_interrupts());
  EXPECT_TRUE(m->ignores_data_bus_faults());
}

TEST_F(MProfileTest, FaultInHardFaultLocksUp) {
  bool locked = false;
  m->set_lockup_callback([&] { locked = true; });
  m->set_pending(3);
  ASSERT_TRUE(m->process_interrupts());
  s.fault_cfsr = Cfsr::Undefinstr;
  m->take_exception(kExcpUsageFault);
  EXPECT_TRUE(locked);
  EXPECT_TRUE(m->locked_up());
  EXPECT_TRUE(m->sleeping());
  EXPECT_FALSE(m->process_interrupts());
}

TEST_F(MProfileTest, BadExcReturnValueIsInvpcHardFault) {
  enable_irq(0, 0);
  m->set_irq(0, true);
  ASSERT_TRUE(m->process_interrupts());
  const uint32_t sp = s.r[13];
  m->exception_return(0xFFFFFFF5);  // reserved low nibble
  EXPECT_EQ(s.ipsr, 3u);
  EXPECT_EQ(scs(0xD28), Cfsr::Invpc);
  EXPECT_EQ(scs(0xD2C), 1u << 30);
  EXPECT_EQ(s.r[13], sp - 0x20);  // new frame on the current (main) stack
  EXPECT_EQ(mem.r32(s.r[13] + 24), 0xFFFFFFF4u);
  EXPECT_EQ(s.r[14], 0xFFFFFFF1u);
  EXPECT_TRUE(m->is_active(16));  // not deactivated
}

TEST_F(MProfileTest, ReturnToThreadWithNestedActiveIsInvpc) {
  scs_w(0xD24, 1u << 18);
  enable_irq(0, 0x40);
  enable_irq(1, 0x20);
  m->set_irq(0, true);
  ASSERT_TRUE(m->process_interrupts());
  m->set_irq(1, true);
  ASSERT_TRUE(m->process_interrupts());
  m->exception_return(0xFFFFFFF9);  // should have been F1
  EXPECT_EQ(s.ipsr, 6u);           // UsageFault (priority 0) preempts
  EXPECT_EQ(scs(0xD28), Cfsr::Invpc);
}

TEST_F(MProfileTest, ReturnToHandlerWithNothingNestedIsInvpc) {
  enable_irq(0, 0x40);
  m->set_irq(0, true);
  ASSERT_TRUE(m->process_interrupts());
  m->exception_return(0xFFFFFFF1);
  EXPECT_EQ(s.ipsr, 3u);
  EXPECT_EQ(scs(0xD28), Cfsr::Invpc);
}

TEST_F(MProfileTest, StackedIpsrMismatchIsInvpc) {
  scs_w(0xD24, 1u << 18);
  enable_irq(0, 0x40);
  m->set_irq(0, true);
  ASSERT_TRUE(m->process_interrupts());
  m->set_irq(0, false);
  const uint32_t frame = s.r[13];
  mem.w32(frame + 28, mem.r32(frame + 28) | 5);  // stacked IPSR 5 for a thread return
  m->exception_return(0xFFFFFFF9);
  EXPECT_EQ(s.ipsr, 6u);
  EXPECT_EQ(scs(0xD28), Cfsr::Invpc);
  EXPECT_EQ(s.r[13], frame);  // frame pushed back where it was
  EXPECT_EQ(mem.r32(frame + 28) & 0x1FF, 5u);
}

TEST_F(MProfileTest, StackingErrorIsStkerrDerivedFault) {
  mem.fail_from = 0x20000;
  s.r[13] = 0x20010;  // frame would straddle the failing region
  enable_irq(0, 0x40);
  m->set_irq(0, true);
  ASSERT_TRUE(m->process_interrupts());
  EXPECT_EQ(s.ipsr, 3u);  // BusFault disabled: escalated, taken first
  EXPECT_EQ(scs(0xD28) & (1u << 12), 1u << 12);
  EXPECT_EQ(scs(0xD2C), 1u << 30);
  EXPECT_TRUE(m->is_pending(16));  // the IRQ still waits
  EXPECT_EQ(s.r[13], 0x1FFF0u);
}

TEST_F(MProfileTest, VectorFetchErrorIsHardFaultVecttbl) {
  enable_irq(0, 0x40);
  scs_w(0xD08, 0x3FF80);  // VTOR: HardFault vector readable, IRQ 0 vector (0x3FFC0) not
  mem.w32(0x3FF80 + 4 * 3, handler(3) | 1);
  mem.fail_from = 0x3FFC0;
  m->set_irq(0, true);
  ASSERT_TRUE(m->process_interrupts());
  EXPECT_EQ(s.ipsr, 3u);
  EXPECT_EQ(scs(0xD2C), 1u << 1);
  EXPECT_EQ(s.r[15], handler(3));
}

TEST_F(MProfileTest, UnstackingErrorTailChainsBusFault) {
  enable_irq(0, 0x40);
  m->set_psp(0x3FFF8);
  m->msr(20, 0, 2);
  set_context(0x1000);
  s.r[13] = 0x10000;
  m->set_irq(0, true);
  ASSERT_TRUE(m->process_interrupts());
  m->set_irq(0, false);
  m->set_psp(0x3FFF0);  // the handler points PSP at a frame running off the end of RAM
  m->exception_return(0xFFFFFFFD);
  EXPECT_EQ(s.ipsr, 3u);
  EXPECT_EQ(scs(0xD28) & (1u << 11), 1u << 11);  // UNSTKERR
  EXPECT_EQ(s.r[14], 0xFFFFFFFDu);
  EXPECT_EQ(m->last_transition(), MTransition::TailChain);
  EXPECT_EQ(m->psp(), 0x3FFF0u);
}

TEST_F(MProfileTest, WfiSleepsUntilInterruptEvenWithPrimask) {
  enable_irq(0, 0x40);
  m->cps(true, true, false);
  m->wfi();
  EXPECT_TRUE(m->sleeping());
  EXPECT_FALSE(m->process_interrupts());
  m->set_irq(0, true);
  EXPECT_FALSE(m->sleeping());             // wakes ...
  EXPECT_FALSE(m->process_interrupts());   // ... but PRIMASK keeps it from being taken
  EXPECT_FALSE(m->sleeping());
  m->cps(false, true, false);
  EXPECT_TRUE(m->process_interrupts());
}

TEST_F(MProfileTest, SleepOnExitSleepsAfterReturnToThread) {
  scs_w(0xD10, 2);  // SLEEPONEXIT
  m->set_pending(14);
  ASSERT_TRUE(m->process_interrupts());
  m->exception_return(0xFFFFFFF9);
  EXPECT_TRUE(m->sleeping());
  m->set_pending(14);
  EXPECT_FALSE(m->sleeping());
}

TEST_F(MProfileTest, WfeConsumesEvent) {
  m->sev();
  m->wfe();
  EXPECT_FALSE(m->sleeping());
  m->wfe();
  EXPECT_TRUE(m->sleeping());
}

TEST_F(MProfileTest, BkptWithoutDebuggerIsHardFaultDebugevt) {
  s.bkpt_imm = 0x12;
  m->take_exception(kExcpBkpt);
  EXPECT_EQ(s.ipsr, 3u);
  EXPECT_EQ(scs(0xD2C), 1u << 31);
  EXPECT_EQ(scs(0xD30) & 2, 2u);
}

TEST_F(MProfileTest, BkptWithMonitorEnabledIsDebugMonitor) {
  scs_w(0xDFC, 1u << 16);  // DEMCR.MON_EN
  s.r[15] = 0x1300;
  m->take_exception(kExcpBkpt);
  EXPECT_EQ(s.ipsr, 12u);
  EXPECT_EQ(scs(0xD2C), 0u);
  EXPECT_EQ(mem.r32(s.r[13] + 24), 0x1300u);
}

TEST_F(MProfileTest, ExceptionReturnCodeDispatches) {
  m->set_pending(14);
  ASSERT_TRUE(m->process_interrupts());
  s.exc_return = 0xFFFFFFF9;
  m->take_exception(kExcpExceptionReturn);
  EXPECT_EQ(s.ipsr, 0u);
  EXPECT_EQ(m->last_transition(), MTransition::Return);
}

TEST_F(MProfileTest, HelpersReachTheModelThroughEnv) {
  void* env = &s;
  EXPECT_EQ(&MProfile::of(env), m.get());
  helper_msr(env, 16, 0, 1, 0);
  EXPECT_EQ(helper_mrs(env, 16, 0, 0, 0), 1u);
  helper_cps(env, 0, 1, 0, 0);
  EXPECT_EQ(s.primask, 0u);
  s.r[15] = 0x1002;
  helper_take_exception(env, kExcpSvc, 0, 0, 0);
  EXPECT_EQ(s.ipsr, 11u);
  helper_exception_return(env, 0xFFFFFFF9, 0, 0, 0);
  EXPECT_EQ(s.r[15], 0x1002u);
  const auto& table = m_profile_helpers();
  ASSERT_EQ(table.size(), static_cast<size_t>(MHelper::Count));
  EXPECT_EQ(table[static_cast<size_t>(MHelper::Mrs)].fn, &helper_mrs);
  EXPECT_TRUE(table[static_cast<size_t>(MHelper::Mrs)].has_result);
}

}  // namespace
}  // namespace presil::cpu::arm::test
