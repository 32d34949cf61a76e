// SPDX-License-Identifier: Apache-2.0
// APB bridge tests on the example apb_timer RTL: transfers, wait states, errors, strobes, IRQ timing.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "rtl-bridge/bridge.h"
#include "tests/rtl-bridge/harness.h"

using namespace sc_core;
using presil::rtl::BridgeConfig;
using presil::rtl::Clocking;
using presil::rtl::RtlBridge;
using presil::rtl::test::Access;
using presil::rtl::test::Initiator;
using presil::rtl::test::IrqRecorder;

namespace {

constexpr uint64_t kCtrl = 0x00, kLoad = 0x04, kValue = 0x08, kIntStatus = 0x0c, kIntClear = 0x10,
                   kWait = 0x14, kId = 0x18;
const sc_time kPeriod(10, SC_NS);

BridgeConfig timer_config() {
    BridgeConfig c;
    c.model = "apb_timer";
    c.clock_period = kPeriod;
    c.sync_period = sc_time(1, SC_US);
    return c;
}

/// Elaborates a bridge + initiator running `body`, then simulates until the body ends.
struct Bench {
    RtlBridge bridge;
    Initiator init;
    IrqRecorder irqs;
    Bench(BridgeConfig cfg, std::function<void(Initiator&, RtlBridge&)> body)
        : bridge("timer", std::move(cfg)), init("cpu", [this, body](Initiator& i) { body(i, bridge); }) {
        init.socket.bind(bridge.socket);
        if (auto* out = bridge.irq_out("")) out->connect(irqs, 3);
    }
    void run(sc_time limit = sc_time(1, SC_MS)) {
        sc_start(limit);
        ASSERT_TRUE(init.finished()) << "test body did not finish";
    }
};

TEST(ApbBridge, SingleReadWrite) {
    Bench b(timer_config(), [](Initiator& i, RtlBridge& br) {
        wait(1, SC_US);  // past reset, on an edge
        Access w = i.write32(kLoad, 0x1234);
        EXPECT_EQ(w.status, tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(w.delay, 2 * kPeriod);  // setup + access, no wait states
        Access r = i.read(kLoad);
        EXPECT_EQ(r.status, tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(r.value, 0x1234u);
        EXPECT_EQ(r.delay, 2 * kPeriod);
        EXPECT_EQ(i.read(kValue).value, 0x1234u);  // LOAD also sets VALUE
        EXPECT_EQ(i.read(kId).value, 0x41505430u);
        EXPECT_EQ(br.bus_cycles(), 8u);
    });
    b.run();
}

TEST(ApbBridge, WaitStatesExtendTheTransferAndComeBackAsDelay) {
    Bench b(timer_config(), [](Initiator& i, RtlBridge& br) {
        wait(1, SC_US);
        ASSERT_EQ(i.write32(kWait, 3).delay, 2 * kPeriod);  // the write itself still had none
        Access w = i.write32(kLoad, 77);
        EXPECT_EQ(w.status, tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(w.delay, 5 * kPeriod);
        Access r = i.read(kLoad);
        EXPECT_EQ(r.value, 77u);
        EXPECT_EQ(r.delay, 5 * kPeriod);
        ASSERT_EQ(i.write32(kWait, 10).delay, 5 * kPeriod);
        EXPECT_EQ(i.read(kId).delay, 12 * kPeriod);
    });
    b.run();
}

TEST(ApbBridge, WaitStatesFromTheModelParameterResetValue) {
    BridgeConfig cfg = timer_config();
    cfg.clock_period = sc_time(40, SC_NS);  // a slower RTL clock scales the delay
    Bench b(cfg, [](Initiator& i, RtlBridge&) {
        wait(1, SC_US);
        Access w = i.write32(kLoad, 5);
        EXPECT_EQ(w.delay, sc_time(80, SC_NS));
    });
    b.run();
}

TEST(ApbBridge, ErrorResponses) {
    Bench b(timer_config(), [](Initiator& i, RtlBridge&) {
        wait(1, SC_US);
        EXPECT_EQ(i.read(0x40).status, tlm::TLM_GENERIC_ERROR_RESPONSE);        // PSLVERR: hole
        EXPECT_EQ(i.write32(kId, 1).status, tlm::TLM_GENERIC_ERROR_RESPONSE);   // PSLVERR: read-only
        EXPECT_EQ(i.write32(kIntStatus, 1).status, tlm::TLM_GENERIC_ERROR_RESPONSE);
        EXPECT_EQ(i.read(0x1000).status, tlm::TLM_ADDRESS_ERROR_RESPONSE);      // beyond 12-bit PADDR
        EXPECT_EQ(i.read(kId).status, tlm::TLM_OK_RESPONSE);                    // bus still fine
    });
    b.run();
}

TEST(ApbBridge, ByteStrobesAndNarrowAccesses) {
    Bench b(timer_config(), [](Initiator& i, RtlBridge&) {
        wait(1, SC_US);
        i.write32(kLoad, 0x11223344);
        EXPECT_EQ(i.write(kLoad + 1, 0xaa, 1).status, tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(i.read(kLoad).value, 0x1122aa44u);
        EXPECT_EQ(i.write(kLoad + 2, 0xbeef, 2).status, tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(i.read(kLoad).value, 0xbeefaa44u);
        EXPECT_EQ(i.read(kLoad + 3, 1).value, 0xbeu);
        EXPECT_EQ(i.read(kLoad, 2).value, 0xaa44u);
        uint8_t data[4] = {0x01, 0x02, 0x03, 0x04};
        Access a = i.access(tlm::TLM_WRITE_COMMAND, kLoad, data, 4, {0xff, 0x00, 0xff, 0x00});
        EXPECT_EQ(a.status, tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(i.read(kLoad).value, 0xbe03aa01u);
        uint8_t rd[4] = {0, 0, 0, 0};
        i.access(tlm::TLM_READ_COMMAND, kLoad, rd, 4, {0x00, 0xff});
        EXPECT_EQ(rd[0], 0);
        EXPECT_EQ(rd[1], 0xaa);
        EXPECT_EQ(rd[2], 0);
        EXPECT_EQ(rd[3], 0xbe);
    });
    b.run();
}

TEST(ApbBridge, BackToBackTransfersAccumulateDelay) {
    BridgeConfig cfg = timer_config();
    cfg.check_protocol = true;
    Bench b(cfg, [](Initiator& i, RtlBridge& br) {
        wait(1, SC_US);
        // Loosely timed: no wait between transfers, the local offset carries over.
        sc_time offset = SC_ZERO_TIME;
        for (uint32_t n = 0; n < 8; ++n) {
            uint8_t d[4] = {uint8_t(n), 0, 0, 0};
            ::tlm::tlm_generic_payload p;
            presil::tlm::make_write(p, kValue, d, 4);
            i.socket->b_transport(p, offset);
            EXPECT_EQ(p.get_response_status(), tlm::TLM_OK_RESPONSE);
            EXPECT_EQ(offset, (n + 1) * 2 * kPeriod);
        }
        wait(offset);
        // One transaction spanning two registers: LOAD then VALUE.
        uint8_t two[8] = {0x10, 0, 0, 0, 0x20, 0, 0, 0};
        Access a = i.access(tlm::TLM_WRITE_COMMAND, kLoad, two, 8);
        EXPECT_EQ(a.status, tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(a.delay, 4 * kPeriod);
        EXPECT_EQ(i.read(kLoad).value, 0x10u);
        EXPECT_EQ(i.read(kValue).value, 0x20u);
        EXPECT_TRUE(br.violations().empty()) << presil::rtl::to_string(br.violations().front());
    });
    b.run();
}

/// Starts the timer with LOAD = n and returns the rising edge at which irq rises.
uint64_t start_timer(Initiator& i, RtlBridge& br, uint32_t n) {
    i.write32(kLoad, n);
    i.write32(kCtrl, 3);
    // The CTRL write takes effect at the transfer's last edge E; VALUE reaches 0 at edge E + n.
    return br.cycles() + n;
}

TEST(ApbBridge, InterruptLazyArrivesByTheEndOfTheSyncPeriod) {
    BridgeConfig cfg = timer_config();
    cfg.sync_period = sc_time(1, SC_US);
    uint64_t irq_edge = 0;
    Bench* bp = nullptr;
    Bench b(cfg, [&](Initiator& i, RtlBridge& br) {
        wait(1, SC_US);
        irq_edge = start_timer(i, br, 230);
        wait(5, SC_US);
        EXPECT_TRUE(bp->irqs.events.size() >= 1);
        EXPECT_EQ(i.read(kIntStatus).value, 1u);
        i.write32(kIntClear, 1);
        EXPECT_FALSE(br.irq_out("irq")->level());
    });
    bp = &b;
    b.run();
    ASSERT_GE(b.irqs.events.size(), 2u);
    const sc_time raised = b.bridge.edge_time(irq_edge);
    const sc_time got = b.irqs.events[0].time;
    EXPECT_TRUE(b.irqs.events[0].level);
    EXPECT_GE(got, raised);
    const uint64_t sync = cfg.sync_period.value();
    const sc_time period_end = sc_time::from_value((raised.value() + sync - 1) / sync * sync);
    EXPECT_LE(got, period_end) << "raised at " << raised << ", seen at " << got;
    EXPECT_FALSE(b.irqs.events[1].level);
}

TEST(ApbBridge, InterruptPerEdgeArrivesExactlyAtTheEdge) {
    BridgeConfig cfg = timer_config();
    cfg.clocking = Clocking::PerEdge;
    uint64_t irq_edge = 0;
    Bench b(cfg, [&](Initiator& i, RtlBridge& br) {
        wait(1, SC_US);
        irq_edge = start_timer(i, br, 230);
        wait(5, SC_US);
    });
    b.run();
    ASSERT_GE(b.irqs.events.size(), 1u);
    EXPECT_TRUE(b.irqs.events[0].level);
    EXPECT_EQ(b.irqs.events[0].time, b.bridge.edge_time(irq_edge));
    // Periodic: it stays pending (level) until cleared; no further edges recorded.
    EXPECT_EQ(b.irqs.events.size(), 1u);
}

TEST(ApbBridge, FreeRunningTimerKeepsPaceWithoutTransactions) {
    BridgeConfig cfg = timer_config();
    Bench b(cfg, [&](Initiator& i, RtlBridge& br) {
        wait(1, SC_US);
        i.write32(kLoad, 1000000);
        i.write32(kCtrl, 1);
        const uint64_t start = br.cycles();
        wait(100, SC_US);  // only the sync process advances the RTL meanwhile
        const uint64_t now_edges = sc_time_stamp().value() / kPeriod.value();
        EXPECT_EQ(now_edges - start, 10000u);
        const uint64_t sync = cfg.sync_period.value();
        const uint64_t last_sync = sc_time_stamp().value() / sync * sync;
        EXPECT_EQ(br.cycles(), last_sync / kPeriod.value());  // caught up at the last boundary
        // A read catches up to now first; VALUE counted down once per edge since the CTRL write
        // and is sampled after the read's setup edge.
        EXPECT_EQ(i.read(kValue).value, 1000000u - 10000u - 1);
    });
    b.run();
}

TEST(ApbBridge, ProtocolCheckerReportsPreadyStuckLow) {
    BridgeConfig cfg = timer_config();
    cfg.check_protocol = true;
    cfg.checker_timeout = 16;
    sc_report_handler::set_actions("presil/rtl/protocol", SC_DO_NOTHING);
    Bench b(cfg, [&](Initiator& i, RtlBridge& br) {
        wait(1, SC_US);
        i.write32(kWait, 40);
        const sc_time start = sc_time_stamp();
        Access r = i.read(kId);
        EXPECT_EQ(r.value, 0x41505430u);  // slow, but correct
        ASSERT_EQ(br.violations().size(), 1u);
        const auto& v = br.violations()[0];
        EXPECT_EQ(v.rule, "apb-pready-timeout");
        EXPECT_EQ(v.instance, "timer");
        // Setup edge, then 17 waited access edges: the 17th wait exceeds 16.
        EXPECT_EQ(v.time_ps, static_cast<uint64_t>((start + 18 * kPeriod).to_seconds() * 1e12 + 0.5));
        EXPECT_NE(presil::rtl::to_string(v).find("timer: apb-pready-timeout"), std::string::npos);
    });
    b.run();
}

TEST(ApbBridge, TraceWritesVcdInSimulatedTime) {
    const std::string path = ::testing::TempDir() + "apb_timer_trace.vcd";
    std::remove(path.c_str());
    BridgeConfig cfg = timer_config();
    cfg.trace_file = path;
    {
        Bench b(cfg, [](Initiator& i, RtlBridge&) {
            wait(1, SC_US);
            i.write32(kLoad, 0xabcd);
        });
        b.run();
        b.bridge.model().trace_close();
    }
    std::ifstream f(path);
    ASSERT_TRUE(f.good()) << path;
    std::stringstream ss;
    ss << f.rdbuf();
    const std::string vcd = ss.str();
    EXPECT_NE(vcd.find("$timescale"), std::string::npos);
    EXPECT_NE(vcd.find("1ps"), std::string::npos);
    EXPECT_NE(vcd.find(" PADDR "), std::string::npos);
    EXPECT_NE(vcd.find("\n#1010000\n"), std::string::npos);  // edge 101 at 1.01 us
    EXPECT_NE(vcd.find("\n#1020000\n"), std::string::npos);
    EXPECT_NE(vcd.find("b00000000000000001010101111001101"), std::string::npos);  // PWDATA 0xabcd
}

TEST(ApbBridge, PortNameErrorsNameThePort) {
    auto expect_error = [](BridgeConfig cfg, const std::string& needle) {
        try {
            RtlBridge bridge("bad", cfg);
            ADD_FAILURE() << "no error, expected one mentioning " << needle;
        } catch (const presil::rtl::RtlError& e) {
            EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
        }
    };
    BridgeConfig c = timer_config();
    c.naming.rename["PSEL"] = "psel_i";
    expect_error(c, "required port 'psel_i' not found");
    c = timer_config();
    c.naming.prefix = "s_apb_";
    expect_error(c, "'s_apb_");
    c = timer_config();
    c.naming.rename["PWDATA"] = "PADDR";
    expect_error(c, "port 'PADDR' is 12 bits wide, expected 32 bits");
    c = timer_config();
    c.naming.rename["PRDATA"] = "PWDATA";
    expect_error(c, "port 'PWDATA' must be an output");
    c = timer_config();
    c.irq_ports = {"timer_irq"};
    expect_error(c, "'timer_irq' not found");
    c = timer_config();
    c.bus = presil::rtl::Bus::AxiLite;
    expect_error(c, "speaks apb, but the configuration asks for axi-lite");
    c = timer_config();
    c.model = "no_such_model";
    expect_error(c, "unknown built-in RTL model 'no_such_model' (built in: ");
    c = timer_config();
    c.trace_file = "/nonexistent-dir/x.vcd";
    expect_error(c, "cannot open VCD trace file");
}

TEST(ApbBridge, RenameMapAndResetLength) {
    // The same timer through a rename map (matched case-insensitively), with clock and reset
    // named explicitly and a longer reset.
    BridgeConfig cfg = timer_config();
    cfg.naming.rename["PSEL"] = "psel";
    cfg.clock_port = "PCLK";
    cfg.reset_port = "PRESETn";
    cfg.reset_cycles = 5;
    Bench b(cfg, [](Initiator& i, RtlBridge& br) {
        // At time 0 the transfer waits for the end of reset (5 edges) and then takes 2.
        Access r = i.read(kId);
        EXPECT_EQ(r.value, 0x41505430u);
        EXPECT_EQ(r.delay, 7 * kPeriod);
        EXPECT_EQ(br.cycles(), 7u);
    });
    b.run();
}

}  // namespace
