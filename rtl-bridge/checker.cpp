// SPDX-License-Identifier: Apache-2.0
// APB and AXI4-Lite protocol checkers over per-edge pin samples.
//
// The checkers see the same pins the bridge drives and the RTL answers, sampled
// just before each rising clock edge (the moment a handshake is decided). They
// keep one previous sample per bus and a few wait counters; rules are checked
// edge by edge, and each violation is reported once with the simulated time.
#include "rtl-bridge/checker.h"

#include <fmt/format.h>

namespace presil::rtl {

std::string to_string(const Violation& v) {
    return fmt::format("{} ns {}: {}: {}", static_cast<double>(v.time_ps) / 1000.0, v.instance, v.rule,
                       v.message);
}

void CheckerBase::report(uint64_t time_ps, std::string rule, std::string message) {
    m_violations.push_back(Violation{time_ps, m_instance, std::move(rule), std::move(message)});
    if (m_callback) m_callback(m_violations.back());
}

void ApbChecker::edge(const ApbSignals& s, uint64_t t) {
    if (s.penable && !s.psel) report(t, "apb-penable-without-psel", "PENABLE is high while PSEL is low");
    const bool access = s.psel && s.penable;
    if (m_have_prev) {
        const ApbSignals& p = m_prev;
        const bool prev_setup = p.psel && !p.penable;
        const bool prev_waited = p.psel && p.penable && !p.pready;
        if (prev_setup && !access)
            report(t, "apb-setup-not-followed-by-access",
                   "the setup phase (PSEL high, PENABLE low) was not followed by PENABLE high");
        if (access && !prev_setup && !prev_waited)
            report(t, "apb-access-without-setup", "access phase without a preceding setup phase");
        if (access && (prev_setup || prev_waited)) {
            struct Field {
                const char* name;
                bool changed;
            };
            const Field fields[] = {
                {"PADDR", s.paddr != p.paddr},
                {"PWRITE", s.pwrite != p.pwrite},
                {"PWDATA", s.pwrite && s.pwdata != p.pwdata},
                {"PSTRB", s.pstrb != p.pstrb},
                {"PPROT", s.pprot != p.pprot},
            };
            for (const auto& f : fields)
                if (f.changed)
                    report(t, "apb-unstable", fmt::format("{} changed during the transfer", f.name));
        }
    }
    if (access && !s.pready) {
        if (++m_wait > m_timeout && !m_timeout_reported) {
            report(t, "apb-pready-timeout",
                   fmt::format("PREADY low for more than {} cycles (PADDR 0x{:x})", m_timeout, s.paddr));
            m_timeout_reported = true;
        }
    } else {
        m_wait = 0;
        m_timeout_reported = false;
    }
    m_prev = s;
    m_have_prev = true;
}

namespace {

/// One AXI channel's VALID/READY pair and payload, for the shared stability rule.
struct Channel {
    const char* name;
    bool valid, ready, prev_valid, prev_ready;
    bool payload_changed;
};

}  // namespace

void AxiLiteChecker::edge(const AxiLiteSignals& s, uint64_t t) {
    if (m_have_prev) {
        const AxiLiteSignals& p = m_prev;
        const Channel channels[] = {
            {"AW", s.awvalid, s.awready, p.awvalid, p.awready,
             s.awaddr != p.awaddr || s.awprot != p.awprot},
            {"W", s.wvalid, s.wready, p.wvalid, p.wready, s.wdata != p.wdata || s.wstrb != p.wstrb},
            {"B", s.bvalid, s.bready, p.bvalid, p.bready, s.bresp != p.bresp},
            {"AR", s.arvalid, s.arready, p.arvalid, p.arready,
             s.araddr != p.araddr || s.arprot != p.arprot},
            {"R", s.rvalid, s.rready, p.rvalid, p.rready, s.rdata != p.rdata || s.rresp != p.rresp},
        };
        for (const auto& c : channels) {
            if (!(c.prev_valid && !c.prev_ready)) continue;
            if (!c.valid)
                report(t, "axi-valid-dropped",
                       fmt::format("{}VALID was lowered before {}READY", c.name, c.name));
            else if (c.payload_changed)
                report(t, "axi-unstable",
                       fmt::format("{} payload changed while {}VALID was waiting for {}READY", c.name,
                                   c.name, c.name));
        }
    }
    // Responses need their requests.
    if (s.bvalid && !(m_prev.bvalid && !m_prev.bready) && (m_aw_pending == 0 || m_w_pending == 0))
        report(t, "axi-bvalid-without-request",
               "BVALID raised without a completed write address and write data handshake");
    if (s.rvalid && !(m_prev.rvalid && !m_prev.rready) && m_ar_pending == 0)
        report(t, "axi-rvalid-without-request", "RVALID raised without a completed read address handshake");

    // Timeouts on the RTL side: READY for requests, VALID for responses.
    struct Wait {
        const char* what;
        bool waiting;
        unsigned& counter;
    };
    Wait waits[] = {
        {"AWREADY", s.awvalid && !s.awready, m_wait_aw},
        {"WREADY", s.wvalid && !s.wready, m_wait_w},
        {"ARREADY", s.arvalid && !s.arready, m_wait_ar},
        {"BVALID", m_aw_pending > 0 && m_w_pending > 0 && !s.bvalid, m_wait_b},
        {"RVALID", m_ar_pending > 0 && !s.rvalid, m_wait_r},
    };
    for (auto& w : waits) {
        if (!w.waiting) {
            w.counter = 0;
        } else if (++w.counter == m_timeout + 1) {
            report(t, "axi-timeout", fmt::format("{} did not come within {} cycles", w.what, m_timeout));
        }
    }

    // Handshakes at this edge.
    if (s.awvalid && s.awready) ++m_aw_pending;
    if (s.wvalid && s.wready) ++m_w_pending;
    if (s.arvalid && s.arready) ++m_ar_pending;
    if (s.bvalid && s.bready) {
        if (m_aw_pending) --m_aw_pending;
        if (m_w_pending) --m_w_pending;
    }
    if (s.rvalid && s.rready && m_ar_pending) --m_ar_pending;
    m_prev = s;
    m_have_prev = true;
}

}  // namespace presil::rtl
