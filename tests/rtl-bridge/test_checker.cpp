// SPDX-License-Identifier: Apache-2.0
// Protocol checker rules, driven with hand-made pin samples (no RTL, no SystemC kernel).
#include <gtest/gtest.h>

#include "rtl-bridge/checker.h"

using presil::rtl::ApbChecker;
using presil::rtl::ApbSignals;
using presil::rtl::AxiLiteChecker;
using presil::rtl::AxiLiteSignals;

namespace {

ApbSignals idle() { return {}; }
ApbSignals setup(uint32_t addr, bool write = false) {
    ApbSignals s;
    s.psel = true;
    s.paddr = addr;
    s.pwrite = write;
    return s;
}
ApbSignals access(ApbSignals s, bool ready = true) {
    s.penable = true;
    s.pready = ready;
    return s;
}

TEST(ApbChecker, CleanTransfersHaveNoViolations) {
    ApbChecker c("u0", 4);
    uint64_t t = 0;
    for (int n = 0; n < 3; ++n) {
        c.edge(idle(), t += 10);
        c.edge(setup(0x10, true), t += 10);
        c.edge(access(setup(0x10, true), false), t += 10);
        c.edge(access(setup(0x10, true), true), t += 10);
        c.edge(setup(0x14), t += 10);  // back to back: setup right after access
        c.edge(access(setup(0x14)), t += 10);
    }
    EXPECT_TRUE(c.violations().empty());
}

TEST(ApbChecker, SequenceRules) {
    ApbChecker c("u0", 4);
    ApbSignals bad;
    bad.penable = true;
    c.edge(bad, 10);
    ASSERT_EQ(c.violations().size(), 1u);
    EXPECT_EQ(c.violations()[0].rule, "apb-penable-without-psel");
    EXPECT_EQ(c.violations()[0].time_ps, 10u);
    EXPECT_EQ(c.violations()[0].instance, "u0");

    ApbChecker d("u1", 4);
    d.edge(setup(0x0), 10);
    d.edge(idle(), 20);  // setup not followed by access
    d.edge(access(setup(0x4)), 30);  // access without setup
    ASSERT_EQ(d.violations().size(), 2u);
    EXPECT_EQ(d.violations()[0].rule, "apb-setup-not-followed-by-access");
    EXPECT_EQ(d.violations()[1].rule, "apb-access-without-setup");
}

TEST(ApbChecker, SignalsMustStayStable) {
    ApbChecker c("u0", 4);
    c.edge(setup(0x10, true), 10);
    ApbSignals a = access(setup(0x14, true), false);
    c.edge(a, 20);
    ASSERT_EQ(c.violations().size(), 1u);
    EXPECT_EQ(c.violations()[0].rule, "apb-unstable");
    EXPECT_NE(c.violations()[0].message.find("PADDR"), std::string::npos);
    a.pwdata = 5;
    c.edge(a, 30);
    ASSERT_EQ(c.violations().size(), 2u);
    EXPECT_NE(c.violations()[1].message.find("PWDATA"), std::string::npos);
}

TEST(ApbChecker, PreadyTimeoutReportedOncePerTransfer) {
    ApbChecker c("slow", 3);
    c.edge(setup(0x0), 0);
    for (int n = 1; n <= 10; ++n) c.edge(access(setup(0x0), false), n * 10);
    c.edge(access(setup(0x0), true), 110);
    ASSERT_EQ(c.violations().size(), 1u);
    EXPECT_EQ(c.violations()[0].rule, "apb-pready-timeout");
    EXPECT_EQ(c.violations()[0].time_ps, 40u);  // the 4th waited edge exceeds 3
    EXPECT_EQ(presil::rtl::to_string(c.violations()[0]),
              "0.04 ns slow: apb-pready-timeout: PREADY low for more than 3 cycles (PADDR 0x0)");
}

TEST(AxiLiteChecker, CleanWriteAndRead) {
    AxiLiteChecker c("x", 4);
    AxiLiteSignals s;
    s.awvalid = s.wvalid = s.bready = true;
    s.awaddr = 0x8;
    c.edge(s, 10);  // waiting for READY
    s.awready = s.wready = true;
    c.edge(s, 20);  // handshake
    s = {};
    s.bready = true;
    s.bvalid = true;
    c.edge(s, 30);  // response
    s = {};
    s.arvalid = s.rready = true;
    s.arready = true;
    c.edge(s, 40);
    s = {};
    s.rready = s.rvalid = true;
    s.rdata = 7;
    c.edge(s, 50);
    EXPECT_TRUE(c.violations().empty()) << presil::rtl::to_string(c.violations().front());
}

TEST(AxiLiteChecker, ValidMustStayAndPayloadStable) {
    AxiLiteChecker c("x", 4);
    AxiLiteSignals s;
    s.arvalid = true;
    s.araddr = 4;
    c.edge(s, 10);
    s.araddr = 8;
    c.edge(s, 20);
    s.arvalid = false;
    c.edge(s, 30);
    ASSERT_EQ(c.violations().size(), 2u);
    EXPECT_EQ(c.violations()[0].rule, "axi-unstable");
    EXPECT_EQ(c.violations()[1].rule, "axi-valid-dropped");
    EXPECT_NE(c.violations()[1].message.find("ARVALID"), std::string::npos);
}

TEST(AxiLiteChecker, ResponsesNeedRequestsAndComeInTime) {
    AxiLiteChecker c("x", 2);
    AxiLiteSignals s;
    s.bvalid = true;
    s.bready = true;
    c.edge(s, 10);
    ASSERT_EQ(c.violations().size(), 1u);
    EXPECT_EQ(c.violations()[0].rule, "axi-bvalid-without-request");

    AxiLiteChecker d("y", 2);
    AxiLiteSignals r;
    r.arvalid = r.arready = r.rready = true;
    d.edge(r, 10);
    r.arvalid = r.arready = false;
    for (int n = 2; n <= 5; ++n) d.edge(r, n * 10);
    ASSERT_EQ(d.violations().size(), 1u);
    EXPECT_EQ(d.violations()[0].rule, "axi-timeout");
    EXPECT_NE(d.violations()[0].message.find("RVALID"), std::string::npos);
    EXPECT_EQ(d.violations()[0].time_ps, 40u);
}

}  // namespace
