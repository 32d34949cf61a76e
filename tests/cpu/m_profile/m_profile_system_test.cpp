// SPDX-License-Identifier: Apache-2.0
// End-to-end tests: Thumb code on ArmCpu + Engine with the M-profile model (SVC, SysTick, PendSV, semihosting).
#include <algorithm>
#include <string>
#include <vector>

#include "cpu/arm/arm_cpu.h"
#include "host/backends.h"
#include "m_profile_fixture.h"
#include "tcg/engine.h"

namespace presil::cpu::arm::test {
namespace {

/// One way of running the engine.
struct Mode {
  std::string backend;
  bool single_step;
  bool no_chain;
};

std::vector<Mode> modes() {
  std::vector<Mode> out;
  for (const std::string& b : host::backend_names()) {
    out.push_back({b, true, true});
    out.push_back({b, false, false});
  }
  return out;
}

/// A Cortex-M core on FakeMemory driven the way the platform drives it: runs
/// bounded by the next SysTick event, cycles accounted after every run, a
/// cycle source for mid-run SCS accesses, and exits requested on interrupts.
class MachineTest : public ::testing::TestWithParam<Mode> {
 protected:
  FakeMemory mem;
  ArmCpu cpu;
  std::unique_ptr<tcg::Engine> engine;
  std::unique_ptr<MProfile> m;
  std::string console;
  int exit_status = -1;
  uint64_t base = 0;        // cycles before the current run
  int64_t run_budget = 0;
  bool in_run = false;
  std::vector<uint64_t> systick_pends;  // cycle at which SysTick became pending

  void SetUp() override {
    mem.use_map = true;
    tcg::EngineOptions opts;
    opts.single_step = GetParam().single_step;
    opts.no_chain = GetParam().no_chain;
    engine = std::make_unique<tcg::Engine>(cpu, mem, host::make_backend(GetParam().backend), opts);
    MProfileConfig cfg;
    cfg.semihosting = true;
    m = std::make_unique<MProfile>(cpu.state(), mem, cfg);
    mem.ppb = m.get();
    m->set_interrupt_callback([this] { engine->request_exit(); });
    m->set_cycle_source([this] {
      if (!in_run) return base;
      // Engine::request_exit() biases the budget by kExitBias until the exec loop
      // sees the request; undo it so mid-run reads stay exact.
      const tcg::CpuCommon& c = cpu.state().common;
      const int64_t budget = c.exit_request ? c.budget() + tcg::kExitBias : c.budget();
      return base + uint64_t(run_budget - budget);
    });
    SemihostIo io;
    io.write = [this](int, std::string_view b) { console.append(b); };
    io.exit = [this](int status) { exit_status = status; };
    m->set_semihost_io(io);
    // Vector table: SP, reset at 0x100, HardFault 0x500, SVC 0x200, PendSV 0x300, SysTick 0x400.
    mem.w32(0, 0x30000);
    mem.w32(4, 0x101);
    mem.w32(4 * 3, 0x501);
    mem.w32(4 * 11, 0x201);
    mem.w32(4 * 14, 0x301);
    mem.w32(4 * 15, 0x401);
    code(0x500, {0xE7FE});  // HardFault: b .
  }

  void code(uint32_t addr, std::initializer_list<uint16_t> halfwords) {
    for (uint16_t h : halfwords) {
      mem.ram[addr] = uint8_t(h);
      mem.ram[addr + 1] = uint8_t(h >> 8);
      addr += 2;
    }
  }

  /// Runs until the guest exits or `limit` cycles pass.
  void run(uint64_t limit) {
    m->reset();
    while (!m->exited() && base < limit) {
      run_budget = int64_t(std::min<uint64_t>({1000, m->cycles_to_next_event(), limit - base}));
      in_run = true;
      engine->run(run_budget);
      in_run = false;
      base += uint64_t(engine->cycles_used());
      const bool was = m->is_pending(15);
      m->sync();
      if (!was && m->is_pending(15)) systick_pends.push_back(base);
      if (m->sleeping() && !m->exited()) {
        const uint64_t next = m->cycles_to_next_event();
        if (next == UINT64_MAX) break;
        base += next;  // sleep until SysTick
        m->sync();
        systick_pends.push_back(base);
      }
    }
  }
};

// The exit sequence: r0 = SYS_EXIT, r1 = ADP_Stopped_ApplicationExit, BKPT 0xAB.
constexpr uint16_t kExit[] = {0x2018, 0xF240, 0x0126, 0xF2C0, 0x0102, 0xBEAB, 0xE7FE};

TEST_P(MachineTest, SvcHandlerModifiesStackedRegister) {
  code(0x100, {0x2005,    // movs r0, #5
               0xDF01,    // svc #1
               0x3001,    // adds r0, #1
               0x0004});  // movs r4, r0
  code(0x108, {kExit[0], kExit[1], kExit[2], kExit[3], kExit[4], kExit[5], kExit[6]});
  code(0x200, {0x2142,    // movs r1, #0x42
               0x9100,    // str r1, [sp]   (stacked r0)
               0x4770});  // bx lr          (EXC_RETURN)
  run(100000);
  ASSERT_TRUE(m->exited());
  EXPECT_EQ(exit_status, 0);
  const ArmState& s = cpu.state();
  EXPECT_EQ(s.r[4], 0x43u);
  EXPECT_EQ(s.ipsr, 0u);
  EXPECT_EQ(s.r[13], 0x30000u);
  EXPECT_EQ(mem.r32(0x30000 - 0x20 + 24), 0x104u);  // stacked return address
}

TEST_P(MachineTest, SysTickInterruptsAtExactCycles) {
  code(0x100, {0xF24E, 0x0210,  // movw r2, #0xE010
               0xF2CE, 0x0200,  // movt r2, #0xE000
               0x2163,          // movs r1, #99
               0x6051,          // str r1, [r2, #4]   SYST_RVR
               0x2100,          // movs r1, #0
               0x6091,          // str r1, [r2, #8]   SYST_CVR
               0x2107,          // movs r1, #7
               0x6011,          // str r1, [r2]       SYST_CSR: enable, tickint, core clock
               0x2380,          // movs r3, #0x80
               0x021B,          // lsls r3, r3, #8
               0x6818,          // loop: ldr r0, [r3]
               0x2803,          // cmp r0, #3
               0xD1FC});        // bne loop
  code(0x11E, {kExit[0], kExit[1], kExit[2], kExit[3], kExit[4], kExit[5], kExit[6]});
  code(0x400, {0x2380, 0x021B,  // r3 = 0x8000
               0x6818,          // ldr r0, [r3]
               0x3001,          // adds r0, #1
               0x6018,          // str r0, [r3]
               0x4770});        // bx lr
  run(100000);
  ASSERT_TRUE(m->exited());
  EXPECT_EQ(mem.r32(0x8000), 3u);
  ASSERT_GE(systick_pends.size(), 3u);
  EXPECT_EQ(systick_pends[1] - systick_pends[0], 100u);
  EXPECT_EQ(systick_pends[2] - systick_pends[1], 100u);
  if (GetParam().single_step) {
    // SYST_CSR is written by the 8th instruction (one cycle each): the counter
    // reloads on the next tick and reaches zero RVR ticks later.
    EXPECT_EQ(systick_pends[0], 108u);
  }
}

TEST_P(MachineTest, PendSvSwitchesToProcessStack) {
  code(0x100, {0xF242, 0x0200,   // movw r2, #0x2000
               0xF2C0, 0x0202,   // movt r2, #2        r2 = 0x22000
               0xF382, 0x8809,   // msr psp, r2
               0x2102,           // movs r1, #2
               0xF381, 0x8814,   // msr control, r1    thread mode on PSP
               0xF3BF, 0x8F6F,   // isb
               0xF64E, 0x5204,   // movw r2, #0xED04
               0xF2CE, 0x0200,   // movt r2, #0xE000   ICSR
               0xF04F, 0x5180,   // mov r1, #0x10000000 (PENDSVSET)
               0x6011,           // str r1, [r2]       0x122
               0xF3BF, 0x8F4F,   // dsb                0x124
               0xF3BF, 0x8F6F,   // isb                0x128: PendSV is taken by now
               0x466D,           // mov r5, sp         0x12C
               0xF3EF, 0x8614}); // mrs r6, control
  code(0x132, {kExit[0], kExit[1], kExit[2], kExit[3], kExit[4], kExit[5], kExit[6]});
  code(0x300, {0x4677,           // mov r7, lr        EXC_RETURN seen by the handler
               0xF3EF, 0x8809,   // mrs r8, psp
               0x4770});         // bx lr
  run(100000);
  ASSERT_TRUE(m->exited());
  const ArmState& s = cpu.state();
  EXPECT_EQ(s.r[7], 0xFFFFFFFDu);
  EXPECT_EQ(s.r[8], 0x22000u - 0x20);
  EXPECT_EQ(s.r[5], 0x22000u);
  EXPECT_EQ(s.r[6], 2u);
  const uint32_t stacked_pc = mem.r32(0x22000 - 0x20 + 24);
  EXPECT_GE(stacked_pc, 0x124u);  // after the store ...
  EXPECT_LE(stacked_pc, 0x12Cu);  // ... and no later than the ISB
  if (GetParam().single_step) {
    EXPECT_EQ(stacked_pc, 0x124u);
  }
}

TEST_P(MachineTest, UndefinedInstructionEscalatesToHardFault) {
  code(0x100, {0xDE00});  // udf #0
  run(2000);
  const ArmState& s = cpu.state();
  EXPECT_EQ(s.ipsr, 3u);
  uint32_t hfsr = 0, cfsr = 0;
  ASSERT_TRUE(m->scs_read(0xD2C, 4, hfsr));
  ASSERT_TRUE(m->scs_read(0xD28, 4, cfsr));
  EXPECT_EQ(hfsr, 1u << 30);
  EXPECT_EQ(cfsr, Cfsr::Undefinstr);
  EXPECT_EQ(mem.r32(0x30000 - 0x20 + 24), 0x100u);
}

// Calls and returns through registers (BLX r4, BX lr): on a JIT with inline jump-cache probes the
// returns do not call Runtime::lookup once their targets are cached, and a breakpoint on a target
// still stops there (the probe stands aside while debugging).
TEST_P(MachineTest, IndirectBranchesFindCachedBlocksAndHonourBreakpoints) {
  code(0x100, {0xF240, 0x1441,  // movw r4, #0x141    (func | 1)
               0x2032,          // movs r0, #50
               0x47A0,          // loop: blx r4
               0x3801,          // subs r0, #1
               0xD1FC,          // bne loop
               kExit[0], kExit[1], kExit[2], kExit[3], kExit[4], kExit[5], kExit[6]});
  code(0x140, {0x3501,    // func: adds r5, #1
               0x4770});  // bx lr
  run(100000);
  ASSERT_TRUE(m->exited());
  EXPECT_EQ(cpu.state().r[5], 50u);
  const tcg::EngineStats& st = engine->stats();
  if (GetParam().backend == "x86_64" && !GetParam().no_chain) {
    EXPECT_LT(st.lookup_calls, 10u) << "100 indirect branches, most must be found inline";
  }
  // Again with a breakpoint on func: the first call stops there.
  engine->insert_breakpoint(0x140);
  m->reset();
  tcg::ExitReason why = tcg::ExitReason::BudgetExhausted;
  for (int i = 0; i < 100 && why != tcg::ExitReason::Debug; ++i) why = engine->run(1000);
  ASSERT_EQ(why, tcg::ExitReason::Debug);
  EXPECT_EQ(cpu.state().r[15], 0x140u);
  EXPECT_EQ(cpu.state().r[0], 50u) << "stopped at the first call";
}

INSTANTIATE_TEST_SUITE_P(Modes, MachineTest, ::testing::ValuesIn(modes()),
                         [](const ::testing::TestParamInfo<Mode>& info) {
                           return info.param.backend + (info.param.single_step ? "_step" : "_blocks");
                         });

}  // namespace
}  // namespace presil::cpu::arm::test
