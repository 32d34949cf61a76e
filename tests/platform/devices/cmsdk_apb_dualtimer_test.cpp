// SPDX-License-Identifier: Apache-2.0
// Test bench of the CMSDK APB dual timer: reset values, periodic/one-shot/free-running modes,
// 16-bit size, prescaler, background load, masked and combined interrupts.
#include "tests/platform/devices/device_bench.h"

namespace presil::platform::devices::test {
namespace {

constexpr uint64_t LOAD = 0x00, VALUE = 0x04, CONTROL = 0x08, INTCLR = 0x0C, RIS = 0x10, MIS = 0x14, BGLOAD = 0x18;
constexpr uint64_t T2 = 0x20;
constexpr uint32_t ONESHOT = 1, SIZE32 = 2, PRESCALE16 = 4, INTEN = 0x20, PERIODIC = 0x40, EN = 0x80;

TEST(CmsdkApbDualTimer, ResetValuesAndIds) {
    auto dev = make_device("cmsdk-apb-dualtimer", "dual");
    Bench bench("bench", *dev, [](Bench& b) {
        for (uint64_t base : {uint64_t{0}, T2}) {
            EXPECT_EQ(b.read(base + LOAD), 0u);
            EXPECT_EQ(b.read(base + VALUE), 0xffffffffu);
            EXPECT_EQ(b.read(base + CONTROL), 0x20u);
            EXPECT_EQ(b.read(base + RIS), 0u);
            EXPECT_EQ(b.read(base + MIS), 0u);
            EXPECT_EQ(b.read(base + BGLOAD), 0u);
        }
        EXPECT_EQ(b.read(0xFE0), 0x23u);
        EXPECT_EQ(b.read(0xFFC), 0xb1u);
    });
    sc_core::sc_start();
}

TEST(CmsdkApbDualTimer, PeriodicInterruptsAtExactTimes) {
    auto dev = make_device("cmsdk-apb-dualtimer", "dual");
    IrqProbe probe(*dev);
    Bench bench("bench", *dev, [](Bench& b) {
        b.write(LOAD, 100);
        b.write(CONTROL, EN | PERIODIC | INTEN | SIZE32);
        b.wait_for(us(2));
        EXPECT_EQ(b.read(VALUE), 50u);
        b.wait_for(us(3));
        EXPECT_EQ(b.read(RIS), 1u);
        EXPECT_EQ(b.read(MIS), 1u);
        b.write(INTCLR, 1);
        EXPECT_EQ(b.read(RIS), 0u);
        b.wait_for(us(4));
        b.write(CONTROL, 0);
    });
    sc_core::sc_start();
    std::vector<sc_core::sc_time> want{us(4), ns(8040)};
    EXPECT_EQ(probe.rises("timer1"), want);
    EXPECT_EQ(probe.rises("combined"), want);
    EXPECT_TRUE(probe.rises("timer2").empty());
}

TEST(CmsdkApbDualTimer, OneShotStopsAtZero) {
    auto dev = make_device("cmsdk-apb-dualtimer", "dual");
    IrqProbe probe(*dev);
    Bench bench("bench", *dev, [](Bench& b) {
        b.write(T2 + LOAD, 50);
        b.write(T2 + CONTROL, EN | ONESHOT | INTEN | SIZE32);
        b.wait_for(us(3));
        EXPECT_EQ(b.read(T2 + VALUE), 0u);
        b.write(T2 + INTCLR, 1);
        b.wait_for(us(10));
        EXPECT_EQ(b.read(T2 + VALUE), 0u);
        EXPECT_EQ(b.read(T2 + RIS), 0u);
    });
    sc_core::sc_start();
    ASSERT_EQ(probe.rises("timer2").size(), 1u);
    EXPECT_EQ(probe.rises("timer2")[0], us(2));
    EXPECT_TRUE(probe.rises("timer1").empty());
}

TEST(CmsdkApbDualTimer, FreeRunning16BitWrapsWithMaskedInterrupt) {
    auto dev = make_device("cmsdk-apb-dualtimer", "dual");
    IrqProbe probe(*dev);
    Bench bench("bench", *dev, [](Bench& b) {
        b.write(LOAD, 0x12345);  // 16-bit: counts from 0x2345
        b.write(CONTROL, EN);    // free-running, 16-bit, interrupt disabled
        EXPECT_EQ(b.read(VALUE), 0x2345u);
        b.wait_for(ns(40) * 0x2345);
        EXPECT_EQ(b.read(VALUE), 0u);
        EXPECT_EQ(b.read(RIS), 1u);
        EXPECT_EQ(b.read(MIS), 0u);
        b.wait_for(ns(40));
        EXPECT_EQ(b.read(VALUE), 0xffffu);
        b.write(CONTROL, EN | INTEN);  // unmasking raises the line
        EXPECT_EQ(b.read(MIS), 1u);
    });
    sc_core::sc_start();
    ASSERT_EQ(probe.rises("timer1").size(), 1u);
    EXPECT_EQ(probe.rises("timer1")[0], ns(40) * (0x2345 + 1));
}

TEST(CmsdkApbDualTimer, PrescalerAndBackgroundLoad) {
    auto dev = make_device("cmsdk-apb-dualtimer", "dual", "{clock: 25MHz}");
    IrqProbe probe(*dev);
    Bench bench("bench", *dev, [](Bench& b) {
        b.write(LOAD, 10);
        b.write(CONTROL, EN | PERIODIC | INTEN | SIZE32 | PRESCALE16);  // 640 ns per count
        b.wait_for(us(7));
        b.write(INTCLR, 1);
        b.write(CONTROL, 0);
        // Background load: the running count is not disturbed.
        b.write(T2 + LOAD, 100);
        b.write(T2 + CONTROL, EN | PERIODIC | INTEN | SIZE32);
        b.wait_for(us(1));
        b.write(T2 + BGLOAD, 200);
        EXPECT_EQ(b.read(T2 + VALUE), 75u);
        EXPECT_EQ(b.read(T2 + LOAD), 200u);
        b.wait_for(us(3));
        b.write(T2 + INTCLR, 1);
        b.wait_for(us(10));
    });
    sc_core::sc_start();
    ASSERT_EQ(probe.rises("timer1").size(), 1u);
    EXPECT_EQ(probe.rises("timer1")[0], ns(6400));
    std::vector<sc_core::sc_time> want{us(7) + us(4), us(11) + ns(40 * 201)};
    EXPECT_EQ(probe.rises("timer2"), want);
}

}  // namespace
}  // namespace presil::platform::devices::test
