// SPDX-License-Identifier: Apache-2.0
// Test bench of the CMSDK APB UART: reset values, transmitted bytes, receive, interrupts,
// overrun, and the file console.
#include <cstdio>
#include <fstream>
#include <sstream>
#include <unistd.h>

#include "platform/devices/cmsdk_apb_uart.h"
#include "tests/platform/devices/device_bench.h"

namespace presil::platform::devices::test {
namespace {

constexpr uint64_t DATA = 0x00, STATE = 0x04, CTRL = 0x08, INTSTATUS = 0x0C, BAUDDIV = 0x10;
constexpr uint32_t TXEN = 1, RXEN = 2, TXIRQ = 4, RXIRQ = 8, RXOVRIRQ = 32;

CmsdkApbUart& as_uart(Device& d) { return dynamic_cast<CmsdkApbUart&>(d); }

TEST(CmsdkApbUart, ResetValuesAndIds) {
    auto dev = make_device("cmsdk-apb-uart", "uart", "{console: none}");
    Bench bench("bench", *dev, [](Bench& b) {
        for (uint64_t reg : {DATA, STATE, CTRL, INTSTATUS, BAUDDIV}) EXPECT_EQ(b.read(reg), 0u) << reg;
        EXPECT_EQ(b.read(0xFE0), 0x21u);
        EXPECT_EQ(b.read(0xFE8), 0x1bu);
        EXPECT_EQ(b.read(0xFF4), 0xf0u);
        b.write(BAUDDIV, 0xffffffff);
        EXPECT_EQ(b.read(BAUDDIV), 0xfffffu);
        b.write(CTRL, 0xff);
        EXPECT_EQ(b.read(CTRL), 0x7fu);
    });
    sc_core::sc_start();
}

TEST(CmsdkApbUart, TransmitsBytesOnlyWhenEnabled) {
    auto dev = make_device("cmsdk-apb-uart", "uart", "{console: none}");
    std::string sent;
    as_uart(*dev).set_tx_tap([&](uint8_t c) { sent.push_back(static_cast<char>(c)); });
    IrqProbe probe(*dev);
    Bench bench("bench", *dev, [](Bench& b) {
        b.write(DATA, 'x');  // transmitter disabled: dropped
        b.write(CTRL, TXEN);
        for (char c : std::string("hi\n")) b.write(DATA, static_cast<uint8_t>(c));
        EXPECT_EQ(b.read(STATE) & 1u, 0u) << "never full";
        EXPECT_EQ(b.read(INTSTATUS), 0u) << "no TX interrupt unless enabled";
        b.wait_for(us(1));
        b.write(CTRL, TXEN | TXIRQ);
        b.write(DATA, '!');
        EXPECT_EQ(b.read(INTSTATUS), 1u);
        b.wait_for(us(1));
        b.write(INTSTATUS, 1);
        EXPECT_EQ(b.read(INTSTATUS), 0u);
    });
    sc_core::sc_start();
    EXPECT_EQ(sent, "hi\n!");
    ASSERT_EQ(probe.rises("tx").size(), 1u);
    EXPECT_EQ(probe.rises("tx")[0], us(1));
    EXPECT_EQ(probe.rises("combined").size(), 1u);
    EXPECT_FALSE(dev->irq_out("tx")->level());
}

TEST(CmsdkApbUart, ReceivesWithInterruptAndOverrun) {
    auto dev = make_device("cmsdk-apb-uart", "uart", "{console: none}");
    CmsdkApbUart& uart = as_uart(*dev);
    IrqProbe probe(*dev);
    Bench bench("bench", *dev, [&](Bench& b) {
        uart.receive('a');  // receiver disabled: ignored
        EXPECT_EQ(b.read(STATE), 0u);
        b.write(CTRL, RXEN | RXIRQ | RXOVRIRQ);
        uart.receive('b');
        EXPECT_EQ(b.read(STATE), 2u) << "RX full";
        EXPECT_EQ(b.read(INTSTATUS), 2u);
        EXPECT_EQ(b.peek(DATA), 'b') << "debug read does not pop";
        EXPECT_EQ(b.read(STATE), 2u);
        EXPECT_EQ(b.read(DATA), uint32_t{'b'});
        EXPECT_EQ(b.read(STATE), 0u);
        b.write(INTSTATUS, 2);
        uart.receive('c');
        b.wait_for(us(2));
        uart.receive('d');  // not read yet: overrun
        EXPECT_EQ(b.read(STATE), 2u | 8u);
        EXPECT_EQ(b.read(INTSTATUS), 2u | 8u);
        EXPECT_EQ(b.read(DATA), uint32_t{'c'}) << "the first byte is kept";
        b.wait_for(us(1));
        b.write(STATE, 8);  // clear the overrun
        EXPECT_EQ(b.read(STATE), 0u);
        EXPECT_EQ(b.read(INTSTATUS), 2u);
    });
    sc_core::sc_start();
    EXPECT_EQ(probe.rises("rx").size(), 2u);
    ASSERT_EQ(probe.rises("rx-overrun").size(), 1u);
    EXPECT_EQ(probe.rises("rx-overrun")[0], us(2));
    EXPECT_EQ(probe.rises("overrun"), probe.rises("rx-overrun"));
    EXPECT_TRUE(probe.rises("tx-overrun").empty());
    EXPECT_FALSE(dev->irq_out("overrun")->level());
}

TEST(CmsdkApbUart, FileConsoleGetsTheBytes) {
    char path[] = "/tmp/presil-uart-XXXXXX";
    const int fd = ::mkstemp(path);
    ASSERT_GE(fd, 0);
    ::close(fd);
    {
        auto dev = make_device("cmsdk-apb-uart", "uart", std::string("{console: 'file:") + path + "'}");
        Bench bench("bench", *dev, [](Bench& b) {
            b.write(CTRL, TXEN);
            for (char c : std::string("console ok\n")) b.write(DATA, static_cast<uint8_t>(c));
        });
        sc_core::sc_start();
    }
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    EXPECT_EQ(text.str(), "console ok\n");
    std::remove(path);
}

TEST(CmsdkApbUart, ReadsStdinWhenItIsNotATerminal) {
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    ASSERT_EQ(::dup2(fds[0], 0), 0);
    ASSERT_EQ(::write(fds[1], "ok", 2), 2);
    ::close(fds[1]);  // end of file after two bytes
    auto dev = make_device("cmsdk-apb-uart", "uart", "{console: stdout, rx-poll: 10us}");
    std::string got;
    Bench bench("bench", *dev, [&](Bench& b) {
        b.write(CTRL, RXEN);
        for (int i = 0; i < 10; ++i) {
            b.wait_for(us(10));
            if (b.read(STATE) & 2u) got.push_back(static_cast<char>(b.read(DATA)));
        }
        EXPECT_EQ(sc_core::sc_time_stamp(), us(100));
    });
    sc_core::sc_start();
    EXPECT_EQ(got, "ok");
    EXPECT_FALSE(sc_core::sc_pending_activity()) << "polling stops at end of file";
}

TEST(CmsdkApbUart, BadConsoleIsRefused) {
    EXPECT_THROW(make_device("cmsdk-apb-uart", "u1", "{console: printer}"), ConfigError);
    EXPECT_THROW(make_device("cmsdk-apb-uart", "u2", "{console: 'tcp:99999'}"), ConfigError);
    EXPECT_THROW(make_device("cmsdk-apb-uart", "u3", "{console: 'file:/nonexistent/dir/x'}"), ConfigError);
}

}  // namespace
}  // namespace presil::platform::devices::test
