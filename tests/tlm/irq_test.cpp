// SPDX-License-Identifier: Apache-2.0
// Tests for interrupt lines: fan-out, change-only notification, the OR gate.
#include "tlm/irq.h"

#include <utility>
#include <vector>

#include <gtest/gtest.h>

namespace presil::tlm {
namespace {

struct Recorder : IrqTarget {
    std::vector<std::pair<unsigned, bool>> events;
    void irq_changed(unsigned line, bool level) override { events.emplace_back(line, level); }
};

using Events = std::vector<std::pair<unsigned, bool>>;

TEST(Irq, FanOutNotifiesEveryInputOnChangeOnly) {
    IrqOut out;
    EXPECT_FALSE(out.connected());
    Recorder a, b;
    out.connect(a, 3);
    out.connect(b, 7);
    EXPECT_TRUE(out.connected());
    EXPECT_TRUE(a.events.empty());
    out.set(true);
    out.set(true);
    EXPECT_TRUE(out.level());
    EXPECT_EQ(a.events, (Events{{3, true}}));
    EXPECT_EQ(b.events, (Events{{7, true}}));
    out.lower();
    out.set(false);
    EXPECT_FALSE(out.level());
    EXPECT_EQ(a.events, (Events{{3, true}, {3, false}}));
    EXPECT_EQ(b.events, (Events{{7, true}, {7, false}}));
}

TEST(Irq, UnconnectedOutputKeepsItsLevel) {
    IrqOut out;
    out.raise();
    EXPECT_TRUE(out.level());
    Recorder late;
    out.connect(late, 1);  // connecting to a high line reports the level
    EXPECT_EQ(late.events, (Events{{1, true}}));
}

TEST(Irq, OrGateSharesOneLine) {
    IrqOut a, b, c;
    IrqOrGate gate;
    Recorder cpu;
    gate.out.connect(cpu, 5);
    EXPECT_EQ(gate.connect_input(a), 0u);
    EXPECT_EQ(gate.connect_input(b), 1u);
    c.connect(gate, 9);  // explicit line numbers work too
    a.raise();
    EXPECT_EQ(cpu.events, (Events{{5, true}}));
    b.raise();
    c.raise();
    EXPECT_EQ(gate.active(), 3u);
    a.lower();
    b.lower();
    EXPECT_EQ(cpu.events.size(), 1u);  // still high through c
    EXPECT_TRUE(gate.out.level());
    c.lower();
    EXPECT_EQ(cpu.events, (Events{{5, true}, {5, false}}));
    EXPECT_EQ(gate.active(), 0u);
    gate.irq_changed(9, false);  // repeated level is ignored
    EXPECT_EQ(gate.active(), 0u);
}

}  // namespace
}  // namespace presil::tlm
