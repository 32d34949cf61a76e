// SPDX-License-Identifier: Apache-2.0
// Test bench of the CMSDK APB timer: reset values, counting, exact underflow times, reload,
// annotated delays, options.
#include "tests/platform/devices/device_bench.h"

namespace presil::platform::devices::test {
namespace {

constexpr uint64_t CTRL = 0x00, VALUE = 0x04, RELOAD = 0x08, INTSTATUS = 0x0C;
constexpr uint32_t EN = 1, IRQEN = 8;

TEST(CmsdkApbTimer, ResetValuesAndIds) {
    auto dev = make_device("cmsdk-apb-timer", "timer");
    Bench bench("bench", *dev, [](Bench& b) {
        EXPECT_EQ(b.read(CTRL), 0u);
        EXPECT_EQ(b.read(VALUE), 0u);
        EXPECT_EQ(b.read(RELOAD), 0u);
        EXPECT_EQ(b.read(INTSTATUS), 0u);
        EXPECT_EQ(b.read(0xFD0), 0x04u);
        EXPECT_EQ(b.read(0xFE0), 0x22u);
        EXPECT_EQ(b.read(0xFE4), 0xb8u);
        EXPECT_EQ(b.read(0xFF0), 0x0du);
        EXPECT_EQ(b.read(0xFFC), 0xb1u);
        uint32_t v = 0;
        EXPECT_EQ(b.access(::tlm::TLM_READ_COMMAND, 0x100, &v, 4), ::tlm::TLM_ADDRESS_ERROR_RESPONSE);
        b.write(CTRL, 0xff);
        EXPECT_EQ(b.read(CTRL), 0xfu) << "CTRL keeps 4 bits";
    });
    sc_core::sc_start();
}

TEST(CmsdkApbTimer, CountsDownAtItsClock) {
    auto dev = make_device("cmsdk-apb-timer", "timer", "{clock: 25MHz}");
    Bench bench("bench", *dev, [](Bench& b) {
        b.write(RELOAD, 1000);
        EXPECT_EQ(b.read(VALUE), 1000u) << "writing RELOAD sets the value";
        b.write(CTRL, EN);
        b.wait_for(us(10));  // 250 ticks of 40 ns
        EXPECT_EQ(b.read(VALUE), 750u);
        EXPECT_EQ(b.read(VALUE, ns(40)), 749u) << "annotated delay counts";
        EXPECT_EQ(b.peek(VALUE), 750u);
        b.write(CTRL, 0);
        b.wait_for(us(5));
        EXPECT_EQ(b.read(VALUE), 750u) << "stopped timer keeps its value";
        b.write(VALUE, 10);
        EXPECT_EQ(b.read(VALUE), 10u);
        EXPECT_EQ(b.read(INTSTATUS), 0u);
    });
    sc_core::sc_start();
}

TEST(CmsdkApbTimer, InterruptsAtTheExactUnderflowTime) {
    auto dev = make_device("cmsdk-apb-timer", "timer");
    IrqProbe probe(*dev);
    Bench bench("bench", *dev, [](Bench& b) {
        b.write(RELOAD, 100);
        b.write(CTRL, EN | IRQEN);
        b.wait_for(us(4) - ns(1));
        EXPECT_EQ(b.read(INTSTATUS), 0u);
        b.wait_for(ns(1));
        EXPECT_EQ(b.read(INTSTATUS), 1u);
        b.write(INTSTATUS, 1);  // INTCLEAR
        EXPECT_EQ(b.read(INTSTATUS), 0u);
        b.wait_for(us(5));   // t = 9 us: the second zero (8.04 us) is pending
        EXPECT_EQ(b.read(INTSTATUS), 1u);
        b.write(INTSTATUS, 1);
        b.wait_for(us(4));   // t = 13 us: the third zero at 12.08 us
        b.write(CTRL, 0);
    });
    sc_core::sc_start();
    // 100 ticks to the first zero, then 101 ticks (reload value + 1) per period; the line is
    // level-sensitive and stays high until INTCLEAR.
    std::vector<sc_core::sc_time> want{us(4), ns(8040), ns(12080)};
    EXPECT_EQ(probe.rises(""), want);
    EXPECT_TRUE(dev->irq_out("")->level()) << "stays set until INTCLEAR";
}

TEST(CmsdkApbTimer, AnnotatedDelayShiftsTheStart) {
    auto dev = make_device("cmsdk-apb-timer", "timer");
    IrqProbe probe(*dev);
    Bench bench("bench", *dev, [](Bench& b) {
        b.write(RELOAD, 25, ns(100));
        b.write(CTRL, EN | IRQEN, us(1));  // takes effect 1 us after the kernel time
        b.wait_for(ns(2500));
        b.write(INTSTATUS, 1);
        b.wait_for(us(1));
        b.write(CTRL, 0);
    });
    sc_core::sc_start();
    ASSERT_EQ(probe.rises("").size(), 2u);
    EXPECT_EQ(probe.rises("")[0], us(2));     // 1 us + 25 ticks of 40 ns
    EXPECT_EQ(probe.rises("")[1], ns(3040));  // + 26 ticks
}

TEST(CmsdkApbTimer, NoInterruptWithoutIrqEnableAndClockOption) {
    auto dev = make_device("cmsdk-apb-timer", "timer", "{clock: 1MHz}");
    IrqProbe probe(*dev);
    Bench bench("bench", *dev, [](Bench& b) {
        b.write(RELOAD, 50);
        b.write(CTRL, EN);
        b.wait_for(us(120));
        EXPECT_EQ(b.read(INTSTATUS), 0u);
        EXPECT_EQ(b.read(VALUE), 50u - 18u) << "120 us = zero at 50, reload, 69 more ticks";
        b.write(CTRL, EN | IRQEN);
        b.wait_for(us(40));
        EXPECT_EQ(b.read(INTSTATUS), 1u);
    });
    sc_core::sc_start();
    ASSERT_EQ(probe.rises("").size(), 1u);
    EXPECT_EQ(probe.rises("")[0], us(152));  // zeros at 50, 101, 152 us
}

TEST(CmsdkApbTimer, BadOptionsAreRefused) {
    EXPECT_THROW(make_device("cmsdk-apb-timer", "t1", "{clock: fast}"), ConfigError);
    EXPECT_THROW(make_device("cmsdk-apb-timer", "t2", "{clock: 0Hz}"), ConfigError);
    EXPECT_THROW(make_device("cmsdk-apb-timer", "t3", "{colour: red}"), ConfigError);
}

}  // namespace
}  // namespace presil::platform::devices::test
