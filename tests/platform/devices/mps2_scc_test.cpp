// SPDX-License-Identifier: Apache-2.0
// Test bench of the MPS2 SCC: AN385 reset/ID values, the SYS_CFG oscillator channel, DLL, options.
#include "platform/devices/mps2_scc.h"
#include "tests/platform/devices/device_bench.h"

namespace presil::platform::devices::test {
namespace {

constexpr uint64_t CFG0 = 0x00, CFG1 = 0x04, CFG2 = 0x08, CFG3 = 0x0C, CFG4 = 0x10, CFGDATA_RTN = 0xA0,
                   CFGDATA_OUT = 0xA4, CFGCTRL = 0xA8, CFGSTAT = 0xAC, DLL = 0x100, AID = 0xFF8, ID = 0xFFC;
constexpr uint32_t START = 1u << 31, WRITE = 1u << 30, OSCCLK = 1u << 20;

TEST(Mps2Scc, An385ResetValues) {
    auto dev = make_device("mps2-scc", "scc");
    Bench bench("bench", *dev, [](Bench& b) {
        EXPECT_EQ(b.read(CFG0), 0u);
        EXPECT_EQ(b.read(CFG1), 0u);
        EXPECT_EQ(b.read(CFG3), 0u);
        EXPECT_EQ(b.read(CFG4), 2u);
        EXPECT_EQ(b.read(CFGCTRL), 0x100000u);
        EXPECT_EQ(b.read(CFGSTAT), 0u);
        EXPECT_EQ(b.read(DLL), 0xffff0001u);
        EXPECT_EQ(b.read(AID), 0x00200008u);
        EXPECT_EQ(b.read(ID), 0x41043850u);
        uint32_t v = 0;
        EXPECT_EQ(b.access(::tlm::TLM_READ_COMMAND, CFG2, &v, 4), ::tlm::TLM_ADDRESS_ERROR_RESPONSE);
        b.write(ID, 0);
        EXPECT_EQ(b.read(ID), 0x41043850u) << "read-only";
        b.write(DLL, 0x12345678);
        EXPECT_EQ(b.read(DLL), 0x12ff0001u) << "only the lock mask is writable";
        b.write(CFG1, 0x3);
        EXPECT_EQ(b.read(CFG1), 0x3u);
    });
    sc_core::sc_start();
}

TEST(Mps2Scc, OscillatorChannel) {
    auto dev = make_device("mps2-scc", "scc");
    auto& scc = dynamic_cast<Mps2Scc&>(*dev);
    Bench bench("bench", *dev, [](Bench& b) {
        b.write(CFGCTRL, START | OSCCLK | 2);
        EXPECT_EQ(b.read(CFGSTAT), 1u);
        EXPECT_EQ(b.read(CFGDATA_RTN), 25000000u);
        EXPECT_EQ(b.read(CFGCTRL), OSCCLK | 2u) << "START reads as zero";
        b.write(CFGDATA_OUT, 40000000);
        b.write(CFGCTRL, START | WRITE | OSCCLK | 0);
        EXPECT_EQ(b.read(CFGSTAT), 1u);
        b.write(CFGCTRL, START | OSCCLK | 0);
        EXPECT_EQ(b.read(CFGDATA_RTN), 40000000u);
        b.write(CFGCTRL, START | OSCCLK | 7);  // no such oscillator
        EXPECT_EQ(b.read(CFGSTAT), 3u);
        b.write(CFGCTRL, START | (2u << 20) | 0);  // no such function
        EXPECT_EQ(b.read(CFGSTAT), 3u);
        b.write(CFGCTRL, OSCCLK);
        EXPECT_EQ(b.read(CFGSTAT), 0u) << "any write clears CFGSTAT";
    });
    sc_core::sc_start();
    EXPECT_EQ(scc.oscclk(0), 40000000u);
    EXPECT_EQ(scc.oscclk(1), 24576000u);
}

TEST(Mps2Scc, IdOptions) {
    auto dev = make_device("mps2-scc", "scc", "{id: 0x41045110, aid: 0x00100004, cfg4: 1}");
    Bench bench("bench", *dev, [](Bench& b) {
        EXPECT_EQ(b.read(ID), 0x41045110u);
        EXPECT_EQ(b.read(AID), 0x00100004u);
        EXPECT_EQ(b.read(CFG4), 1u);
    });
    sc_core::sc_start();
    EXPECT_THROW(make_device("mps2-scc", "s2", "{id: an385}"), ConfigError);
}

}  // namespace
}  // namespace presil::platform::devices::test
