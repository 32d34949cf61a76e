// SPDX-License-Identifier: Apache-2.0
// Test bench of the CMSDK APB watchdog: reset values, timeout interrupt time, reset request on
// the second timeout, restart by INTCLR, lock.
#include "tests/platform/devices/device_bench.h"

namespace presil::platform::devices::test {
namespace {

constexpr uint64_t LOAD = 0x00, VALUE = 0x04, CONTROL = 0x08, INTCLR = 0x0C, RIS = 0x10, MIS = 0x14, LOCK = 0xC00;
constexpr uint32_t INTEN = 1, RESEN = 2, KEY = 0x1ACCE551;

TEST(CmsdkApbWatchdog, ResetValues) {
    auto dev = make_device("cmsdk-apb-watchdog", "wdog");
    Bench bench("bench", *dev, [](Bench& b) {
        EXPECT_EQ(b.read(LOAD), 0xffffffffu);
        EXPECT_EQ(b.read(VALUE), 0xffffffffu);
        EXPECT_EQ(b.read(CONTROL), 0u);
        EXPECT_EQ(b.read(RIS), 0u);
        EXPECT_EQ(b.read(MIS), 0u);
        EXPECT_EQ(b.read(LOCK), 0u);
        EXPECT_EQ(b.read(0xFE0), 0x24u);
        b.wait_for(us(10));
        EXPECT_EQ(b.read(VALUE), 0xffffffffu) << "stopped until INTEN";
    });
    sc_core::sc_start();
}

TEST(CmsdkApbWatchdog, InterruptThenResetRequest) {
    auto dev = make_device("cmsdk-apb-watchdog", "wdog");
    IrqProbe probe(*dev);
    Bench bench("bench", *dev, [](Bench& b) {
        b.write(LOAD, 250);                // 10 us at 25 MHz
        b.write(CONTROL, INTEN | RESEN);
        b.wait_for(us(5));
        EXPECT_EQ(b.read(VALUE), 125u);
        b.write(INTCLR, 1);                // feeding restarts the count at 5 us
        b.wait_for(us(12));                // timeout at 15 us
        EXPECT_EQ(b.read(RIS), 1u);
        EXPECT_EQ(b.read(MIS), 1u);
        b.wait_for(us(20));                // second timeout at 15 us + 251 ticks
    });
    sc_core::sc_start();
    ASSERT_EQ(probe.rises("").size(), 1u);
    EXPECT_EQ(probe.rises("")[0], us(15));
    ASSERT_EQ(probe.rises("reset").size(), 1u);
    EXPECT_EQ(probe.rises("reset")[0], us(15) + ns(40 * 251));
}

TEST(CmsdkApbWatchdog, LockIgnoresWrites) {
    auto dev = make_device("cmsdk-apb-watchdog", "wdog");
    IrqProbe probe(*dev);
    Bench bench("bench", *dev, [](Bench& b) {
        b.write(LOAD, 1000);
        b.write(LOCK, 0);  // any value but the key locks
        EXPECT_EQ(b.read(LOCK), 1u);
        b.write(LOAD, 5);
        b.write(CONTROL, INTEN);
        EXPECT_EQ(b.read(LOAD), 1000u);
        EXPECT_EQ(b.read(CONTROL), 0u);
        b.write(LOCK, KEY);
        EXPECT_EQ(b.read(LOCK), 0u);
        b.write(CONTROL, INTEN);
        EXPECT_EQ(b.read(CONTROL), 1u);
        b.wait_for(us(50));
    });
    sc_core::sc_start();
    ASSERT_EQ(probe.rises("").size(), 1u);
    EXPECT_EQ(probe.rises("")[0], us(40));
    EXPECT_TRUE(probe.rises("reset").empty()) << "RESEN clear";
}

}  // namespace
}  // namespace presil::platform::devices::test
