// SPDX-License-Identifier: Apache-2.0
// A plugin built by `presil rtl build` (the rtl_plugin_build test) driven next to the built-in model.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include "rtl-bridge/bridge.h"
#include "tests/rtl-bridge/harness.h"

using namespace sc_core;
using presil::rtl::BridgeConfig;
using presil::rtl::Clocking;
using presil::rtl::RtlBridge;
using presil::rtl::test::Initiator;
using presil::rtl::test::IrqRecorder;

namespace {

bool exists(const char* path) {
    struct stat st;
    return stat(path, &st) == 0;
}

TEST(PluginModel, TimerPluginRunsBesideTheBuiltinModel) {
    if (!exists(PRESIL_TEST_TIMER_PLUGIN))
        GTEST_SKIP() << "plugin " << PRESIL_TEST_TIMER_PLUGIN
                     << " was not built (the rtl_plugin_build test builds it with presil-rtl-build)";
    BridgeConfig plug;
    plug.plugin = PRESIL_TEST_TIMER_PLUGIN;
    plug.bus = presil::rtl::Bus::Apb;
    plug.clocking = Clocking::PerEdge;
    BridgeConfig builtin;
    builtin.model = "apb_timer";
    RtlBridge p("plugged", plug);
    RtlBridge b("builtin", builtin);
    EXPECT_NE(p.model().origin().find("RTL plugin"), std::string::npos);
    EXPECT_EQ(std::string(p.model().descriptor().top), "apb_timer");
    IrqRecorder irqs;
    p.irq_out("irq")->connect(irqs, 0);
    uint64_t irq_edge = 0;
    Initiator ip("ip", [&](Initiator& i) {
        wait(1, SC_US);
        EXPECT_EQ(i.read(0x18).value, 0x41505430u);
        EXPECT_EQ(i.write32(0x04, 100).status, tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(i.read(0x04).value, 100u);
        EXPECT_EQ(i.read(0x40).status, tlm::TLM_GENERIC_ERROR_RESPONSE);
        i.write32(0x00, 3);
        irq_edge = p.cycles() + 100;
        wait(2, SC_US);
    });
    bool builtin_done = false;
    Initiator ib("ib", [&](Initiator& i) {
        wait(1, SC_US);
        EXPECT_EQ(i.write32(0x04, 7).status, tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(i.read(0x04).value, 7u);
        builtin_done = true;
        wait(1, SC_MS);  // the plugin side ends the simulation
    });
    ip.socket.bind(p.socket);
    ib.socket.bind(b.socket);
    sc_start(sc_time(1, SC_MS));
    ASSERT_TRUE(ip.finished());
    ASSERT_TRUE(builtin_done);
    ASSERT_EQ(irqs.events.size(), 1u);
    EXPECT_EQ(irqs.events[0].time, p.edge_time(irq_edge));
}

}  // namespace
