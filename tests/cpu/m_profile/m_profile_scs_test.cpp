// SPDX-License-Identifier: Apache-2.0
// Tests of the M-profile system registers: NVIC, SCB, SysTick, DWT and MRS/MSR/CPS.
#include "m_profile_fixture.h"

namespace presil::cpu::arm::test {
namespace {

TEST_F(MProfileTest, IdentificationRegisters) {
  EXPECT_EQ(scs(0xD00), 0x410fc231u);  // CPUID
  EXPECT_EQ(scs(0x004), 0u);           // ICTR: 32 IRQs
  EXPECT_EQ(scs(0xD0C), 0xFA050000u);  // AIRCR: VECTKEYSTAT, PRIGROUP 0
  EXPECT_EQ(scs(0xD14), 0x200u);       // CCR.STKALIGN
  EXPECT_EQ(scs(0xD40), 0x30u);        // ID_PFR0
}

TEST_F(MProfileTest, IctrFollowsNumberOfIrqs) {
  cfg.num_irq = 70;
  build();
  EXPECT_EQ(scs(0x004), 2u);
}

TEST_F(MProfileTest, NvicSetClearEnablePendingActive) {
  scs_w(0x100, 0x0000000Au);
  EXPECT_EQ(scs(0x100), 0x0Au);
  EXPECT_EQ(scs(0x180), 0x0Au);
  scs_w(0x180, 0x02);
  EXPECT_EQ(scs(0x100), 0x08u);
  scs_w(0x200, 0x30);
  EXPECT_EQ(scs(0x200), 0x30u);
  EXPECT_EQ(scs(0x280), 0x30u);
  scs_w(0x280, 0x10);
  EXPECT_EQ(scs(0x200), 0x20u);
  EXPECT_EQ(scs(0x104), 0u);  // IRQs 32.. do not exist: RAZ/WI
  scs_w(0x104, ~0u);
  EXPECT_EQ(scs(0x104), 0u);
  scs_w(0x100, 0x20);  // enable IRQ 5 (pending)
  ASSERT_TRUE(m->process_interrupts());
  EXPECT_EQ(scs(0x300), 0x20u);  // IABR
  scs_w(0x300, 0);               // read-only
  EXPECT_EQ(scs(0x300), 0x20u);
}

TEST_F(MProfileTest, PriorityRegistersKeepImplementedBitsOnly) {
  EXPECT_TRUE(m->scs_write(0x401, 1, 0xFF));
  EXPECT_EQ(scs(0x400), 0x0000E000u);
  scs_w(0x404, 0x12345678u);
  EXPECT_EQ(scs(0x404), 0x00204060u);
  uint32_t v = 0;
  EXPECT_TRUE(m->scs_read(0x406, 2, v));
  EXPECT_EQ(v, 0x0020u);
  EXPECT_TRUE(m->scs_read(0x407, 1, v));
  EXPECT_EQ(v, 0x00u);
}

TEST_F(MProfileTest, ShprBytesMapToSystemExceptions) {
  scs_w(0xD18, 0xFFFFFFFFu);  // MemManage, BusFault, UsageFault, reserved
  EXPECT_EQ(scs(0xD18), 0x00E0E0E0u);
  scs_w(0xD1C, 0xFFFFFFFFu);  // only SVCall (byte 3)
  EXPECT_EQ(scs(0xD1C), 0xE0000000u);
  EXPECT_TRUE(m->scs_write(0xD23, 1, 0x40));  // SysTick
  EXPECT_TRUE(m->scs_write(0xD22, 1, 0xC0));  // PendSV
  EXPECT_EQ(scs(0xD20), 0x40C00000u);
}

TEST_F(MProfileTest, IcsrReportsAndControlsPending) {
  scs_w(0xD04, 1u << 28);  // PENDSVSET
  scs_w(0xD04, 1u << 26);  // PENDSTSET
  uint32_t icsr = scs(0xD04);
  EXPECT_EQ(icsr & (1u << 28), 1u << 28);
  EXPECT_EQ(icsr & (1u << 26), 1u << 26);
  EXPECT_EQ(icsr >> 12 & 0x1FF, 14u);  // both priority 0: lowest number wins
  EXPECT_EQ(icsr & (1u << 22), 0u);    // no external IRQ pending
  scs_w(0xD04, 1u << 27);              // PENDSVCLR
  scs_w(0xD04, 1u << 25);              // PENDSTCLR
  EXPECT_EQ(scs(0xD04), 0u);
  enable_irq(2, 0x20);
  m->set_irq(2, true);
  icsr = scs(0xD04);
  EXPECT_EQ(icsr >> 12 & 0x1FF, 18u);
  EXPECT_EQ(icsr & (1u << 22), 1u << 22);
  ASSERT_TRUE(m->process_interrupts());
  icsr = scs(0xD04);
  EXPECT_EQ(icsr & 0x1FF, 18u);         // VECTACTIVE
  EXPECT_EQ(icsr & (1u << 11), 1u << 11);  // RETTOBASE
  scs_w(0xD04, 1u << 31);               // NMIPENDSET
  EXPECT_EQ(scs(0xD04) >> 31, 1u);
  ASSERT_TRUE(m->process_interrupts());
  EXPECT_EQ(s.ipsr, 2u);
  EXPECT_EQ(scs(0xD04) & (1u << 11), 0u);  // another exception is active
}

TEST_F(MProfileTest, AircrNeedsVectkey) {
  int resets = 0;
  m->set_reset_request_callback([&] { ++resets; });
  scs_w(0xD0C, 0x00000704u);  // no key: ignored
  EXPECT_EQ(scs(0xD0C), 0xFA050000u);
  EXPECT_EQ(resets, 0);
  scs_w(0xD0C, 0x05FA0300u);
  EXPECT_EQ(scs(0xD0C), 0xFA050300u);
  scs_w(0xD0C, 0x05FA0304u);
  EXPECT_EQ(resets, 1);
  EXPECT_TRUE(m->reset_requested());
  m->reset();
  EXPECT_FALSE(m->reset_requested());
}

TEST_F(MProfileTest, VtorScrCcrShcsrAndFaultAddressRegisters) {
  scs_w(0xD08, 0x12345FFFu);
  EXPECT_EQ(scs(0xD08), 0x12345F80u);
  scs_w(0xD10, 0xFFFFFFFFu);
  EXPECT_EQ(scs(0xD10), 0x16u);
  scs_w(0xD14, 0xFFFFFFFFu);
  EXPECT_EQ(scs(0xD14), 0x31Bu);
  EXPECT_EQ(s.ccr, 0x31Bu);  // the instruction side reads UNALIGN_TRP / DIV_0_TRP here
  scs_w(0xD24, 0x70000u);
  EXPECT_EQ(scs(0xD24), 0x70000u);
  scs_w(0xD34, 0x1111);
  scs_w(0xD38, 0x2222);
  EXPECT_EQ(scs(0xD34), 0x1111u);
  EXPECT_EQ(scs(0xD38), 0x2222u);
  EXPECT_EQ(scs(0xD3C), 0u);
}

TEST_F(MProfileTest, StirPendsAndUnprivilegedAccessIsBusError) {
  scs_w(0xF00, 7);
  EXPECT_TRUE(m->is_pending(23));
  m->msr(20, 0, 1);  // CONTROL.nPRIV
  EXPECT_FALSE(m->privileged());
  uint32_t v;
  EXPECT_FALSE(m->scs_read(0xD00, 4, v));
  EXPECT_FALSE(m->scs_write(0xF00, 4, 8));
  s.ccr |= 2;  // USERSETMPEND
  EXPECT_TRUE(m->scs_write(0xF00, 4, 8));
  EXPECT_TRUE(m->is_pending(24));
  // Through the memory path: the unprivileged load sees a bus error.
  uint8_t b[4];
  EXPECT_FALSE(mem.read(0xE000ED00, b, 4, tcg::Access::Read).ok);
}

TEST_F(MProfileTest, UnimplementedPpbReadsZeroAndSubwordOfWordRegisterIsIgnored) {
  uint32_t v = 1;
  EXPECT_TRUE(m->ppb_read(0x0000, 4, v));  // ITM
  EXPECT_EQ(v, 0u);
  EXPECT_TRUE(m->ppb_write(0x2000, 4, 5));  // FPB
  EXPECT_TRUE(m->scs_read(0xD0C, 1, v));
  EXPECT_EQ(v, 0u);
  EXPECT_TRUE(m->scs_write(0xD09, 1, 0xFF));
  EXPECT_EQ(scs(0xD08), 0u);
}

TEST_F(MProfileTest, SysTickCoreClockFiresAtExactCycle) {
  scs_w(0x014, 99);   // RVR
  scs_w(0x018, 123);  // CVR write clears to 0
  EXPECT_EQ(scs(0x018), 0u);
  scs_w(0x010, 7);  // ENABLE | TICKINT | CLKSOURCE
  EXPECT_EQ(m->cycles_to_next_event(), 100u);
  m->advance(99);
  EXPECT_FALSE(m->is_pending(15));
  EXPECT_EQ(scs(0x018), 1u);
  EXPECT_EQ(m->cycles_to_next_event(), 1u);
  m->advance(1);
  EXPECT_TRUE(m->is_pending(15));
  EXPECT_EQ(scs(0x018), 0u);
  EXPECT_EQ(scs(0x010), 0x10007u);  // COUNTFLAG ...
  EXPECT_EQ(scs(0x010), 0x00007u);  // ... cleared by the read
  EXPECT_EQ(m->cycles_to_next_event(), 100u);
  ASSERT_TRUE(m->process_interrupts());
  EXPECT_EQ(s.ipsr, 15u);
  m->exception_return(0xFFFFFFF9);
  m->advance(250);  // two more periods and half
  EXPECT_TRUE(m->is_pending(15));
  EXPECT_EQ(scs(0x018), 50u);
  EXPECT_EQ(m->cycles_to_next_event(), 50u);
}

TEST_F(MProfileTest, SysTickWithoutTickintOnlySetsCountflag) {
  scs_w(0x014, 9);
  scs_w(0x010, 5);
  EXPECT_EQ(m->cycles_to_next_event(), UINT64_MAX);
  m->advance(10);
  EXPECT_FALSE(m->is_pending(15));
  EXPECT_EQ(scs(0x010) >> 16, 1u);
}

TEST_F(MProfileTest, SysTickReferenceClockDividesCoreCycles) {
  cfg.systick_ref_divisor = 25;
  build();
  scs_w(0x014, 3);
  scs_w(0x010, 3);  // external reference clock, TICKINT
  EXPECT_EQ(m->cycles_to_next_event(), 100u);
  m->advance(30);  // 1 tick + 5 cycles
  EXPECT_EQ(scs(0x018), 3u);
  EXPECT_EQ(m->cycles_to_next_event(), 70u);
  m->advance(69);
  EXPECT_FALSE(m->is_pending(15));
  m->advance(1);
  EXPECT_TRUE(m->is_pending(15));
  EXPECT_EQ(scs(0x01C), 9999u);  // CALIB: 1 MHz reference, exact 10 ms, NOREF clear
}

TEST_F(MProfileTest, SysTickCalibFlagsSkewAndHonoursOverride) {
  cfg.clock_hz = 25'000'000;
  cfg.systick_ref_divisor = 3;  // 8.333 MHz reference: not exact
  build();
  EXPECT_EQ(scs(0x01C), (1u << 30) | 83332u);
  cfg.systick_calib = 0x12345;
  build();
  EXPECT_EQ(scs(0x01C), 0x12345u);
  EXPECT_EQ(scs(0xFE4), 0xB0u);  // SCS PID1
  EXPECT_EQ(scs(0xFFC), 0xB1u);  // CID3
}

TEST_F(MProfileTest, SysTickWithoutReferenceClockForcesClksource) {
  cfg.systick_ref_divisor = 0;
  build();
  EXPECT_EQ(scs(0x010), 4u);
  scs_w(0x010, 0);
  EXPECT_EQ(scs(0x010), 4u);
  EXPECT_EQ(scs(0x01C) >> 31, 1u);  // NOREF
}

TEST_F(MProfileTest, SysTickCatchesUpWithCycleSource) {
  uint64_t now = 0;
  m->set_cycle_source([&] { return now; });
  scs_w(0x014, 999);
  scs_w(0x010, 5);  // enable, core clock, no interrupt
  now = 10;          // first tick reloads, then 9 decrements
  EXPECT_EQ(scs(0x018), 990u);
  now = 11;
  EXPECT_EQ(scs(0x018), 989u);
  EXPECT_EQ(m->cycles(), 11u);
  m->advance_to(5);  // the past: nothing happens
  EXPECT_EQ(m->cycles(), 11u);
  m->advance_to(20);
  EXPECT_EQ(m->cycles(), 20u);
  now = 20;
  EXPECT_EQ(scs(0x018), 980u);  // the source is not ahead: no double counting
}

TEST_F(MProfileTest, DwtCyccntCountsWhenTraceAndCounterEnabled) {
  m->advance(100);
  uint32_t v = 1;
  ASSERT_TRUE(m->ppb_read(0x1004, 4, v));
  EXPECT_EQ(v, 0u);
  ASSERT_TRUE(m->ppb_read(0x1000, 4, v));
  EXPECT_EQ(v, 0x40000000u);  // NUMCOMP = 4, counter off
  ASSERT_TRUE(m->ppb_write(0x1000, 4, 1));
  m->advance(100);
  ASSERT_TRUE(m->ppb_read(0x1004, 4, v));
  EXPECT_EQ(v, 0u);  // DEMCR.TRCENA still 0
  scs_w(0xDFC, 1u << 24);
  m->advance(123);
  ASSERT_TRUE(m->ppb_read(0x1004, 4, v));
  EXPECT_EQ(v, 123u);
  ASSERT_TRUE(m->ppb_write(0x1004, 4, 0xFFFFFFF0u));
  m->advance(0x20);
  ASSERT_TRUE(m->ppb_read(0x1004, 4, v));
  EXPECT_EQ(v, 0x10u);  // wraps
}

TEST_F(MProfileTest, MrsXpsrViews) {
  arm_set_apsr(s, 0xF8000000u);
  s.itstate = 0xFF;
  m->set_pending(14);
  ASSERT_TRUE(m->process_interrupts());
  arm_set_apsr(s, 0x90000000u);
  EXPECT_EQ(m->mrs(0), 0x90000000u);         // APSR
  EXPECT_EQ(m->mrs(1), 0x9000000Eu);         // IAPSR
  EXPECT_EQ(m->mrs(3), 0x9000000Eu);         // xPSR: EPSR reads as zero
  EXPECT_EQ(m->mrs(5), 14u);                 // IPSR
  EXPECT_EQ(m->mrs(6), 0u);                  // EPSR
  EXPECT_EQ(m->mrs(8), kInitialSp - 0x20);   // MSP
  m->msr(0, 2, 0x60000000u);                 // APSR_nzcvq
  EXPECT_EQ(arm_apsr(s), 0x60000000u);
  m->msr(0, 1, 0xF0000000u);                 // mask without nzcvq: flags untouched
  EXPECT_EQ(arm_apsr(s), 0x60000000u);
  m->msr(5, 2, 0xF0000007u);                 // IPSR is not writable
  EXPECT_EQ(s.ipsr, 14u);
}

TEST_F(MProfileTest, UnprivilegedMsrIsIgnoredAndMrsReadsZero) {
  m->msr(16, 0, 1);
  m->msr(20, 0, 1);  // drop privilege
  m->msr(16, 0, 0);
  EXPECT_EQ(s.primask, 1u);
  EXPECT_EQ(m->mrs(16), 0u);
  EXPECT_EQ(m->mrs(8), 0u);
  EXPECT_EQ(m->mrs(20), 1u);
  m->msr(20, 0, 0);
  EXPECT_EQ(s.control, 1u);
  m->cps(false, true, false);
  EXPECT_EQ(s.primask, 1u);
  m->msr(0, 2, 0x80000000u);  // APSR stays writable
  EXPECT_EQ(arm_apsr(s), 0x80000000u);
}

TEST_F(MProfileTest, ControlSpselOnlyChangesInThreadMode) {
  m->set_psp(0x8000);
  m->msr(20, 0, 2);
  EXPECT_EQ(s.r[13], 0x8000u);
  EXPECT_EQ(m->mrs(9), 0x8000u);
  EXPECT_EQ(m->mrs(8), kInitialSp);
  m->msr(9, 0, 0x7FF3);  // PSP low bits forced to zero
  EXPECT_EQ(s.r[13], 0x7FF0u);
  m->msr(20, 0, 0);
  EXPECT_EQ(s.r[13], kInitialSp);
  EXPECT_EQ(s.other_sp, 0x7FF0u);

  m->set_pending(14);
  ASSERT_TRUE(m->process_interrupts());
  const uint32_t msp = s.r[13];
  m->msr(20, 0, 2);  // handler mode: SPSEL write ignored
  EXPECT_EQ(s.control, 0u);
  EXPECT_EQ(s.r[13], msp);
}

TEST_F(MProfileTest, InterruptCallbackFiresOnUnmasking) {
  int calls = 0;
  m->set_interrupt_callback([&] { ++calls; });
  m->cps(false, true, false);
  EXPECT_EQ(calls, 1);
  m->set_irq(0, true);
  EXPECT_EQ(calls, 2);
  m->msr(17, 0, 0);
  EXPECT_EQ(calls, 3);
}

TEST(PpbMemoryTest, RoutesPpbToModelAndRestToNextMemory) {
  FakeMemory ram;  // its own PPB routing stays off
  ram.use_map = true;
  ram.w32(0, 0x20000);
  ram.w32(4, 0x101);
  PpbMemory bus(ram);
  ArmState st;
  MProfile model(st, bus, MProfileConfig{});
  bus.bind(&model);
  model.reset();
  EXPECT_EQ(st.r[13], 0x20000u);
  uint8_t b[4];
  ASSERT_TRUE(bus.read(0xE000ED00, b, 4, tcg::Access::Read).ok);
  EXPECT_EQ(b[0] | b[1] << 8 | b[2] << 16 | uint32_t(b[3]) << 24, 0x410fc231u);
  const uint8_t pend[4] = {0, 0, 0, 0x10};  // ICSR.PENDSVSET
  ASSERT_TRUE(bus.write(0xE000ED04, pend, 4).ok);
  EXPECT_TRUE(model.is_pending(14));
  tcg::HostRegion r;
  EXPECT_FALSE(bus.map(0xE000E000, tcg::Access::Read, r));
  EXPECT_TRUE(bus.map(0x100, tcg::Access::Read, r));
  EXPECT_EQ(r.host, ram.ram.data());
  EXPECT_FALSE(bus.read(0x10000000, b, 4, tcg::Access::Read).ok);
}

}  // namespace
}  // namespace presil::cpu::arm::test
