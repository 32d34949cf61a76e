// SPDX-License-Identifier: Apache-2.0
// Protocol checkers for APB3/APB4 and AXI4-Lite, fed with the pin values seen before each clock edge.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace presil::rtl {

/// One rule violation.
struct Violation {
    uint64_t time_ps;      ///< simulated time of the clock edge, in picoseconds
    std::string instance;  ///< RTL instance name
    std::string rule;      ///< short rule name, e.g. "apb-pready-timeout"
    std::string message;   ///< what happened
};

/// Formats "<time> <instance>: <rule>: <message>" with the time in ns.
std::string to_string(const Violation& v);

/// Collects violations and forwards each to an optional callback.
class CheckerBase {
public:
    /// `instance` names the checked RTL instance; `timeout_cycles` bounds waits on the RTL.
    CheckerBase(std::string instance, unsigned timeout_cycles)
        : m_instance(std::move(instance)), m_timeout(timeout_cycles) {}
    /// All violations seen so far.
    const std::vector<Violation>& violations() const { return m_violations; }
    /// Called for every violation as it is found (in addition to recording it).
    void on_violation(std::function<void(const Violation&)> cb) { m_callback = std::move(cb); }

protected:
    /// Records a violation at `time_ps`.
    void report(uint64_t time_ps, std::string rule, std::string message);
    std::string m_instance;
    unsigned m_timeout;

private:
    std::vector<Violation> m_violations;
    std::function<void(const Violation&)> m_callback;
};

/// APB signal values just before a rising clock edge.
struct ApbSignals {
    bool psel = false, penable = false, pwrite = false, pready = true, pslverr = false;
    uint32_t paddr = 0, pwdata = 0;
    uint8_t pstrb = 0, pprot = 0;
};

/// APB rules: PENABLE only with PSEL; setup (PSEL, !PENABLE) is followed by access; access is
/// preceded by setup or a waited access; PADDR/PWRITE/PWDATA/PSTRB/PPROT stable from setup to the
/// end of access; PREADY low for at most timeout_cycles cycles.
class ApbChecker : public CheckerBase {
public:
    using CheckerBase::CheckerBase;
    /// Checks the values `s` sampled before the edge at `time_ps`.
    void edge(const ApbSignals& s, uint64_t time_ps);

private:
    ApbSignals m_prev;
    bool m_have_prev = false;
    unsigned m_wait = 0;
    bool m_timeout_reported = false;
};

/// AXI4-Lite signal values just before a rising clock edge.
struct AxiLiteSignals {
    bool awvalid = false, awready = false, wvalid = false, wready = false;
    bool bvalid = false, bready = false, arvalid = false, arready = false;
    bool rvalid = false, rready = false;
    uint32_t awaddr = 0, wdata = 0, araddr = 0, rdata = 0;
    uint8_t awprot = 0, wstrb = 0, arprot = 0, bresp = 0, rresp = 0;
};

/// AXI4-Lite rules: on every channel VALID stays high until READY and the payload is stable
/// while VALID && !READY; BVALID only after both AW and W handshakes, RVALID only after AR;
/// READY on AW/W/AR and the B/R responses come within timeout_cycles cycles.
class AxiLiteChecker : public CheckerBase {
public:
    using CheckerBase::CheckerBase;
    /// Checks the values `s` sampled before the edge at `time_ps`.
    void edge(const AxiLiteSignals& s, uint64_t time_ps);

private:
    AxiLiteSignals m_prev;
    bool m_have_prev = false;
    unsigned m_aw_pending = 0, m_w_pending = 0, m_ar_pending = 0;  // handshakes awaiting a response
    unsigned m_wait_aw = 0, m_wait_w = 0, m_wait_ar = 0, m_wait_b = 0, m_wait_r = 0;
};

}  // namespace presil::rtl
