// SPDX-License-Identifier: Apache-2.0
// Resource limits of the engine and the M-profile model: a code buffer far too small for the
// program (flushed again and again, results exact), blocks that are one huge IT chain or one
// long chain of branches, exceptions nested at every priority level, and an interrupt storm
// (a SysTick firing every few cycles: time still advances to the limit). Every back-end.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "tests/robust/machine.h"
#include "tests/robust/thumb.h"

namespace presil::robust {
namespace {

constexpr uint32_t kCode = 0x100;

class Limits : public ::testing::TestWithParam<EngineMode> {
protected:
    /// A machine with RAM at 0 (size bytes): vectors, code and the stack at the top.
    std::unique_ptr<Machine> make(uint32_t ram, size_t code_buffer = 1u << 20, cpu::arm::MProfileConfig cfg = {}) {
        auto m = std::make_unique<Machine>(GetParam(), cfg, code_buffer);
        m->bus.add_ram(0, ram);
        m->bus.w32(0, ram);
        m->bus.w32(4, kCode | 1);
        return m;
    }
};

TEST_P(Limits, CodeBufferMuchSmallerThanTheProgram) {
    // 6000 one-instruction blocks (adds r0, #1; b next), run three times, with a 16 KiB code buffer.
    constexpr unsigned kBlocks = 6000;
    auto m = make(0x10000, 16u << 10);
    const uint32_t start = kCode + 10;
    std::vector<uint16_t> prog = thumb::concat({thumb::mov32(2, start | 1), {0x2103}});  // movs r1, #3
    for (unsigned i = 0; i < kBlocks; ++i) {
        prog.push_back(0x3001);  // adds r0, #1
        prog.push_back(0xE7FF);  // b next
    }
    prog.insert(prog.end(), {0x3901, 0xD000, 0x4710, 0x2701, 0xE7FE});  // subs r1,#1; beq +2; bx r2; movs r7,#1; b .
    ASSERT_EQ(kCode + 10, start);
    m->code(kCode, prog);
    m->run(200000);
    const auto& s = m->cpu.state();
    EXPECT_EQ(s.r[7], 1u);
    EXPECT_EQ(s.r[0], 3 * kBlocks);
    EXPECT_GT(m->engine->stats().flushes, 3u) << "the code buffer never filled";
    EXPECT_LE(m->engine->stats().code_bytes, 16u << 10);
}

TEST_P(Limits, OneHugeItChainAndOneLongBranchChain) {
    auto m = make(0x10000);
    std::vector<uint16_t> prog = {0x4280};  // cmp r0, r0 (Z set)
    for (unsigned i = 0; i < 700; ++i) prog.insert(prog.end(), {0xBF0C, 0x3101, 0x3201});  // ite eq; adds r1; adds r2
    for (unsigned i = 0; i < 700; ++i) prog.insert(prog.end(), {0xD0FF, 0x3301});  // beq next; adds r3, #1
    prog.insert(prog.end(), {0x2701, 0xE7FE});
    m->code(kCode, prog);
    m->run(100000);
    const auto& s = m->cpu.state();
    EXPECT_EQ(s.r[7], 1u);
    EXPECT_EQ(s.r[1], 700u);
    EXPECT_EQ(s.r[2], 0u);
    EXPECT_EQ(s.r[3], 700u);
}

TEST_P(Limits, ExceptionsNestedAtEveryPriorityLevel) {
    // IRQ k has priority 7 - k (3 priority bits): each handler logs its entry, pends IRQ k + 1
    // (which preempts at once), then logs its exit. Expect 0 1 ... 7 entries, then 7 ... 0 exits.
    constexpr uint32_t kLogPtr = 0x3000, kLog = 0x3004, kHandlers = 0x1000;
    constexpr unsigned kLevels = 8;
    auto m = make(0x10000);
    for (unsigned k = 0; k < kLevels; ++k) {
        m->bus.w32(4 * (16 + k), (kHandlers + 0x80 * k) | 1);
        auto log = [&](uint8_t marker) {
            return thumb::concat({thumb::mov32(0, kLogPtr),
                                  {0x6801, uint16_t(0x2200 | marker), 0x600A, 0x3104, 0x6001}});
        };
        std::vector<uint16_t> h = log(uint8_t(0x10 + k));
        if (k + 1 < kLevels)
            h = thumb::concat({h, thumb::mov32(3, 0xE000E200), {uint16_t(0x2200 | (1u << (k + 1))), 0x601A},
                               {0xF3BF, 0x8F4F, 0xF3BF, 0x8F6F}});  // str to ISPR0; dsb; isb
        h = thumb::concat({h, log(uint8_t(0x20 + k)), {0x4770}});
        m->code(kHandlers + 0x80 * k, h);
    }
    m->bus.w32(kLogPtr, kLog);
    std::vector<uint16_t> prog = thumb::concat({thumb::mov32(3, 0xE000E400)});
    for (unsigned k = 0; k < kLevels; ++k)  // IPR byte k = (7 - k) << 5
        prog = thumb::concat({prog, {uint16_t(0x2200 | ((7 - k) << 5)), uint16_t(0x701A | (k << 6))}});
    prog = thumb::concat({prog, thumb::mov32(3, 0xE000E100), {0x22FF, 0x601A},  // ISER0 = 0xFF
                          thumb::mov32(3, 0xE000E200), {0x2201, 0x601A},        // ISPR0 = 1
                          {0xF3BF, 0x8F6F, 0x2701, 0xE7FE}});
    m->code(kCode, prog);
    m->run(20000);
    const auto& s = m->cpu.state();
    EXPECT_EQ(s.r[7], 1u);
    EXPECT_EQ(s.ipsr, 0u);
    EXPECT_EQ(s.r[13], 0x10000u) << "the stack is not balanced after the nesting";
    ASSERT_EQ(m->bus.r32(kLogPtr), kLog + 4 * 2 * kLevels);
    for (unsigned k = 0; k < kLevels; ++k) {
        EXPECT_EQ(m->bus.r32(kLog + 4 * k), 0x10 + k) << "entry " << k;
        EXPECT_EQ(m->bus.r32(kLog + 4 * (kLevels + k)), 0x20 + (kLevels - 1 - k)) << "exit " << k;
    }
    EXPECT_FALSE(m->sys->locked_up());
}

TEST_P(Limits, InterruptStormStillAdvancesTime) {
    // SysTick reloads every 2 cycles with its interrupt enabled; the handler just returns.
    auto m = make(0x10000);
    m->bus.w32(4 * 15, 0x801);
    m->code(0x800, {0x3401, 0x4770});  // adds r4, #1; bx lr
    const auto prog = thumb::concat({thumb::mov32(2, 0xE000E010), {0x2101, 0x6051, 0x2100, 0x6091, 0x2107, 0x6011},
                                     {0x3501, 0xE7FD}});  // loop: adds r5, #1; b loop
    m->code(kCode, prog);
    const uint64_t ran = m->run(200000);
    EXPECT_GE(ran, 200000u) << "simulated time stopped advancing";
    EXPECT_GT(m->cpu.state().r[4], 1000u) << "the handler did not run";
    EXPECT_FALSE(m->sys->locked_up());
    EXPECT_TRUE(m->bus.canaries_intact());
}

INSTANTIATE_TEST_SUITE_P(Modes, Limits, ::testing::ValuesIn(engine_modes()),
                         [](const auto& info) { return info.param.name(); });

}  // namespace
}  // namespace presil::robust
