// SPDX-License-Identifier: Apache-2.0
// AXI4-Lite bridge tests on the example axil_crc32 RTL: CRC results, late READY, errors, IRQ timing.
#include <gtest/gtest.h>

#include <string>

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

constexpr uint64_t kCtrl = 0x00, kData = 0x04, kResult = 0x08, kLatency = 0x0c, kId = 0x10,
                   kCount = 0x14, kStatus = 0x18, kProc = 0x1c;
const sc_time kPeriod(5, SC_NS);

/// Reference CRC-32 (IEEE, reflected, init and final XOR 0xFFFFFFFF).
uint32_t crc32(const std::string& bytes) {
    uint32_t c = 0xffffffffu;
    for (unsigned char b : bytes) {
        c ^= b;
        for (int k = 0; k < 8; ++k) c = (c & 1) ? (c >> 1) ^ 0xedb88320u : c >> 1;
    }
    return ~c;
}

uint32_t word_of(const std::string& s, size_t at) {
    uint32_t w = 0;
    for (size_t k = 0; k < 4 && at + k < s.size(); ++k) w |= uint32_t(uint8_t(s[at + k])) << (8 * k);
    return w;
}

BridgeConfig crc_config() {
    BridgeConfig c;
    c.model = "axil_crc32";
    c.clock_period = kPeriod;
    c.sync_period = sc_time(500, SC_NS);
    c.check_protocol = true;
    return c;
}

struct Bench {
    RtlBridge bridge;
    Initiator init;
    IrqRecorder irqs;
    Bench(BridgeConfig cfg, std::function<void(Initiator&, RtlBridge&)> body)
        : bridge("crc", std::move(cfg)), init("cpu", [this, body](Initiator& i) { body(i, bridge); }) {
        init.socket.bind(bridge.socket);
        if (auto* out = bridge.irq_out("")) out->connect(irqs, 5);
    }
    void run() {
        sc_start(sc_time(1, SC_MS));
        ASSERT_TRUE(init.finished()) << "test body did not finish";
        EXPECT_TRUE(bridge.violations().empty()) << presil::rtl::to_string(bridge.violations().front());
    }
};

TEST(AxiLiteBridge, SingleReadWriteComputesCrc) {
    Bench b(crc_config(), [](Initiator& i, RtlBridge&) {
        wait(1, SC_US);
        Access id = i.read(kId);
        EXPECT_EQ(id.status, tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(id.value, 0x43524333u);
        EXPECT_EQ(id.delay, 2 * kPeriod);  // AR handshake edge, R handshake edge
        Access w = i.write32(kCtrl, 1);
        EXPECT_EQ(w.status, tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(w.delay, 2 * kPeriod);  // AW+W handshake edge, B handshake edge
        const std::string msg = "123456789";
        i.write32(kData, word_of(msg, 0));
        i.write32(kData, word_of(msg, 4));
        EXPECT_EQ(i.write(kData, uint8_t(msg[8]), 1).status, tlm::TLM_OK_RESPONSE);  // WSTRB 0001
        EXPECT_EQ(i.read(kResult).value, 0xcbf43926u);
        EXPECT_EQ(crc32(msg), 0xcbf43926u);
        EXPECT_EQ(i.read(kCount).value, 9u);
    });
    b.run();
}

TEST(AxiLiteBridge, LateReadyExtendsTheTransfer) {
    Bench b(crc_config(), [](Initiator& i, RtlBridge&) {
        wait(1, SC_US);
        ASSERT_EQ(i.write32(kLatency, 5).delay, 2 * kPeriod);
        Access w = i.write32(kProc, 9);
        EXPECT_EQ(w.status, tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(w.delay, 7 * kPeriod);
        Access r = i.read(kProc);
        EXPECT_EQ(r.value, 9u);
        EXPECT_EQ(r.delay, 7 * kPeriod);
        i.write32(kLatency, 0);
        EXPECT_EQ(i.read(kProc).delay, 2 * kPeriod);
    });
    b.run();
}

TEST(AxiLiteBridge, ErrorResponses) {
    Bench b(crc_config(), [](Initiator& i, RtlBridge&) {
        wait(1, SC_US);
        EXPECT_EQ(i.read(0x40).status, tlm::TLM_GENERIC_ERROR_RESPONSE);         // SLVERR
        EXPECT_EQ(i.write32(kResult, 0).status, tlm::TLM_GENERIC_ERROR_RESPONSE);  // SLVERR (RO)
        EXPECT_EQ(i.read(0x100).status, tlm::TLM_ADDRESS_ERROR_RESPONSE);        // DECERR
        EXPECT_EQ(i.write32(0x800, 1).status, tlm::TLM_ADDRESS_ERROR_RESPONSE);  // DECERR
        EXPECT_EQ(i.read(0x1000).status, tlm::TLM_ADDRESS_ERROR_RESPONSE);       // beyond AWADDR
        EXPECT_EQ(i.read(kId).value, 0x43524333u);
    });
    b.run();
}

TEST(AxiLiteBridge, ByteStrobesFeedOnlyEnabledLanes) {
    Bench b(crc_config(), [](Initiator& i, RtlBridge&) {
        wait(1, SC_US);
        i.write32(kCtrl, 1);
        uint8_t abcd[4] = {'a', 'b', 'c', 'd'};
        EXPECT_EQ(i.access(tlm::TLM_WRITE_COMMAND, kData, abcd, 4, {0xff, 0x00, 0xff, 0x00}).status,
                  tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(i.read(kResult).value, crc32("ac"));
        EXPECT_EQ(i.write(kData + 2, 'e' | 'f' << 8, 2).status, tlm::TLM_OK_RESPONSE);  // lanes 2,3
        EXPECT_EQ(i.read(kResult).value, crc32("acef"));
        EXPECT_EQ(i.read(kCount, 1).value, 4u);
        EXPECT_EQ(i.read(kId + 2, 2).value, 0x4352u);
    });
    b.run();
}

TEST(AxiLiteBridge, BackToBackTransfers) {
    Bench b(crc_config(), [](Initiator& i, RtlBridge&) {
        wait(1, SC_US);
        i.write32(kCtrl, 1);
        std::string text;
        for (int k = 0; k < 64; ++k) text += static_cast<char>('A' + (k * 7) % 26);
        sc_time offset = SC_ZERO_TIME;
        for (size_t at = 0; at < text.size(); at += 4) {
            uint8_t d[4];
            for (int k = 0; k < 4; ++k) d[k] = uint8_t(text[at + k]);
            ::tlm::tlm_generic_payload p;
            presil::tlm::make_write(p, kData, d, 4);
            i.socket->b_transport(p, offset);
            EXPECT_EQ(p.get_response_status(), tlm::TLM_OK_RESPONSE);
        }
        EXPECT_EQ(offset, 16 * 2 * kPeriod);
        wait(offset);
        // Two registers in one read: RESULT and LATENCY.
        uint8_t two[8] = {};
        EXPECT_EQ(i.access(tlm::TLM_READ_COMMAND, kResult, two, 8).status, tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(word_of(std::string(reinterpret_cast<char*>(two), 8), 0), crc32(text));
        EXPECT_EQ(word_of(std::string(reinterpret_cast<char*>(two), 8), 4), 0u);
        EXPECT_EQ(i.read(kCount).value, 64u);
    });
    b.run();
}

/// Starts a DATA write with PROC = n; returns the edge at which STATUS.done (and irq) rises.
uint64_t start_job(Initiator& i, RtlBridge& br, uint32_t n) {
    i.write32(kProc, n);
    i.write32(kCtrl, 2);  // interrupt enable
    i.write32(kData, 0x12345678);
    // The write happens at the AW/W handshake edge (one before the B edge that ends the
    // transfer); done rises n edges later.
    return br.cycles() - 1 + n;
}

TEST(AxiLiteBridge, InterruptLazyArrivesByTheEndOfTheSyncPeriod) {
    BridgeConfig cfg = crc_config();
    uint64_t irq_edge = 0;
    Bench b(cfg, [&](Initiator& i, RtlBridge& br) {
        wait(1, SC_US);
        irq_edge = start_job(i, br, 300);
        wait(3, SC_US);
        EXPECT_EQ(i.read(kStatus).value, 1u);
        i.write32(kStatus, 1);
    });
    b.run();
    ASSERT_EQ(b.irqs.events.size(), 2u);
    const sc_time raised = b.bridge.edge_time(irq_edge);
    const uint64_t sync = cfg.sync_period.value();
    const sc_time period_end = sc_time::from_value((raised.value() + sync - 1) / sync * sync);
    EXPECT_TRUE(b.irqs.events[0].level);
    EXPECT_GE(b.irqs.events[0].time, raised);
    EXPECT_LE(b.irqs.events[0].time, period_end);
    EXPECT_FALSE(b.irqs.events[1].level);
}

TEST(AxiLiteBridge, InterruptPerEdgeArrivesExactlyAtTheEdge) {
    BridgeConfig cfg = crc_config();
    cfg.clocking = Clocking::PerEdge;
    uint64_t irq_edge = 0;
    Bench b(cfg, [&](Initiator& i, RtlBridge& br) {
        wait(1, SC_US);
        irq_edge = start_job(i, br, 300);
        wait(3, SC_US);
    });
    b.run();
    ASSERT_EQ(b.irqs.events.size(), 1u);
    EXPECT_EQ(b.irqs.events[0].time, b.bridge.edge_time(irq_edge));
}

TEST(AxiLiteBridge, ProtocolCheckerReportsReadyTimeout) {
    BridgeConfig cfg = crc_config();
    cfg.checker_timeout = 8;
    sc_report_handler::set_actions("presil/rtl/protocol", SC_DO_NOTHING);
    RtlBridge* bridge = nullptr;
    Bench b(cfg, [&](Initiator& i, RtlBridge& br) {
        wait(1, SC_US);
        i.write32(kLatency, 20);
        EXPECT_EQ(i.read(kId).value, 0x43524333u);
        ASSERT_EQ(br.violations().size(), 1u);
        EXPECT_EQ(br.violations()[0].rule, "axi-timeout");
        EXPECT_NE(br.violations()[0].message.find("ARREADY"), std::string::npos);
        EXPECT_EQ(br.violations()[0].instance, "crc");
        bridge = &br;
    });
    sc_start(sc_time(1, SC_MS));
    ASSERT_TRUE(b.init.finished());
    EXPECT_NE(bridge, nullptr);
}

TEST(AxiLiteBridge, PortNameErrorsNameThePort) {
    BridgeConfig c = crc_config();
    c.naming.prefix = "s_axi_";
    try {
        RtlBridge bridge("bad", c);
        ADD_FAILURE() << "expected an error";
    } catch (const presil::rtl::RtlError& e) {
        EXPECT_NE(std::string(e.what()).find("required port 's_axi_ACLK' not found"), std::string::npos)
            << e.what();
    }
}

}  // namespace

namespace {

BridgeConfig renamed_config() {
    BridgeConfig c = crc_config();
    c.model = "axil_crc32_renamed";
    c.naming.prefix = "s_axi_";  // s_axi_AWVALID matches s_axi_awvalid (case-insensitive)
    c.naming.rename["RRESP"] = "s_axi_read_resp";
    c.clock_port = "clk";
    c.reset_port = "rst";
    c.reset_active_low = false;
    c.irq_ports = {"done_irq"};
    return c;
}

TEST(AxiLiteBridge, PrefixRenameMapAndActiveHighReset) {
    BridgeConfig cfg = renamed_config();
    Bench b(cfg, [](Initiator& i, RtlBridge& br) {
        EXPECT_EQ(br.irq_names(), std::vector<std::string>{"done_irq"});
        ASSERT_NE(br.irq_out("done_irq"), nullptr);
        EXPECT_EQ(br.irq_out("irq"), nullptr);
        wait(1, SC_US);
        EXPECT_EQ(i.read(kId).value, 0x43524333u);
        i.write32(kCtrl, 1);
        i.write32(kData, word_of("abcd", 0));
        EXPECT_EQ(i.read(kResult).value, crc32("abcd"));
        EXPECT_EQ(i.read(0x100).status, tlm::TLM_ADDRESS_ERROR_RESPONSE);
        i.write32(kProc, 0);
        i.write32(kCtrl, 2);
        i.write32(kData, 0);
        EXPECT_TRUE(br.irq_out("done_irq")->level());
    });
    b.run();
    ASSERT_EQ(b.irqs.events.size(), 1u);
}

TEST(AxiLiteBridge, MissingRenameNamesThePort) {
    BridgeConfig cfg = renamed_config();
    cfg.naming.rename.clear();
    try {
        RtlBridge bridge("bad", cfg);
        ADD_FAILURE() << "expected an error";
    } catch (const presil::rtl::RtlError& e) {
        EXPECT_NE(std::string(e.what()).find("required port 's_axi_RRESP' not found"), std::string::npos)
            << e.what();
    }
}

}  // namespace
