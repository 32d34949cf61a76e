// SPDX-License-Identifier: Apache-2.0
// Test bench of the MPS2 FPGAIO block: reset values, LEDs, 1 Hz/100 Hz counters and the
// prescaled counter against simulated time, options.
#include "platform/devices/mps2_fpgaio.h"
#include "tests/platform/devices/device_bench.h"

namespace presil::platform::devices::test {
namespace {

constexpr uint64_t LED0 = 0x00, BUTTON = 0x08, CLK1HZ = 0x10, CLK100HZ = 0x14, COUNTER = 0x18, PRESCALE = 0x1C,
                   PSCNTR = 0x20, SWITCH = 0x28, MISC = 0x4C;

TEST(Mps2Fpgaio, ResetValuesAndLeds) {
    auto dev = make_device("mps2-fpgaio", "fpgaio");
    Bench bench("bench", *dev, [&](Bench& b) {
        for (uint64_t reg : {LED0, BUTTON, CLK1HZ, CLK100HZ, COUNTER, PRESCALE, PSCNTR, MISC})
            EXPECT_EQ(b.read(reg), 0u) << reg;
        uint32_t v = 0;
        EXPECT_EQ(b.access(::tlm::TLM_READ_COMMAND, SWITCH, &v, 4), ::tlm::TLM_ADDRESS_ERROR_RESPONSE)
            << "no SWITCH register unless configured";
        b.write(LED0, 0xff);
        EXPECT_EQ(b.read(LED0), 3u) << "two LEDs";
        EXPECT_EQ(dynamic_cast<Mps2Fpgaio&>(*dev).leds(), 3u);
        b.write(MISC, 0x1234);
        EXPECT_EQ(b.read(MISC), 0x1234u);
    });
    sc_core::sc_start();
}

TEST(Mps2Fpgaio, SlowCountersFollowSimulatedTime) {
    auto dev = make_device("mps2-fpgaio", "fpgaio");
    Bench bench("bench", *dev, [](Bench& b) {
        b.wait_for(sc_core::sc_time(2.5, sc_core::SC_SEC));
        EXPECT_EQ(b.read(CLK1HZ), 2u);
        EXPECT_EQ(b.read(CLK100HZ), 250u);
        EXPECT_EQ(b.read(CLK100HZ, sc_core::sc_time(10, sc_core::SC_MS)), 251u) << "annotated delay counts";
        b.write(CLK100HZ, 1000);
        b.write(CLK1HZ, 7);
        b.wait_for(sc_core::sc_time(1010, sc_core::SC_MS));
        EXPECT_EQ(b.read(CLK100HZ), 1101u);
        EXPECT_EQ(b.read(CLK1HZ), 8u);
    });
    sc_core::sc_start();
}

TEST(Mps2Fpgaio, PrescaledCounter) {
    auto dev = make_device("mps2-fpgaio", "fpgaio", "{prescale-clock: 25MHz}");
    Bench bench("bench", *dev, [](Bench& b) {
        b.wait_for(us(10));
        EXPECT_EQ(b.read(COUNTER), 250u) << "PRESCALE 0: one count per tick";
        b.write(PRESCALE, 24);  // 1 MHz
        b.write(COUNTER, 0);
        b.wait_for(ns(40));
        EXPECT_EQ(b.read(PSCNTR), 24u) << "reloads one tick after zero";
        EXPECT_EQ(b.read(COUNTER), 1u);
        b.wait_for(ns(40) * 24);
        EXPECT_EQ(b.read(PSCNTR), 0u);
        EXPECT_EQ(b.read(COUNTER), 1u);
        b.wait_for(us(100) - ns(40) * 25);
        EXPECT_EQ(b.read(COUNTER), 100u);
        EXPECT_EQ(b.read(PSCNTR), 0u);
        b.write(PSCNTR, 10);
        b.wait_for(ns(40) * 11);
        EXPECT_EQ(b.read(COUNTER), 101u);
        EXPECT_EQ(b.read(PSCNTR), 24u);
    });
    sc_core::sc_start();
}

TEST(Mps2Fpgaio, Options) {
    auto dev = make_device("mps2-fpgaio", "fpgaio", "{leds: 8, buttons: 3, switches: 0x5a}");
    Bench bench("bench", *dev, [](Bench& b) {
        EXPECT_EQ(b.read(BUTTON), 3u);
        EXPECT_EQ(b.read(SWITCH), 0x5au);
        b.write(LED0, 0xfff);
        EXPECT_EQ(b.read(LED0), 0xffu);
    });
    sc_core::sc_start();
    EXPECT_THROW(make_device("mps2-fpgaio", "f2", "{leds: 40}"), ConfigError);
    EXPECT_THROW(make_device("mps2-fpgaio", "f3", "{prescale-clock: 0Hz}"), ConfigError);
}

}  // namespace
}  // namespace presil::platform::devices::test
