// SPDX-License-Identifier: Apache-2.0
// AXI4-Lite bus driver: AW+W (then B) for writes, AR (then R) for reads, with VALID/READY handshakes.
//
// Pins (conventional names, through the bridge's prefix/rename map): AWVALID, AWREADY, AWADDR
// (1..32 bits), WVALID, WREADY, WDATA (32), BVALID, BREADY, BRESP (2), ARVALID, ARREADY, ARADDR
// (1..32), RVALID, RREADY, RDATA (32), RRESP (2); optional WSTRB (4), AWPROT and ARPROT (3).
// The bridge raises AWVALID and WVALID together with BREADY (or ARVALID with RREADY), lowers each
// VALID after the edge of its handshake, and ends at the edge where BVALID/RVALID meets READY.
#include "rtl-bridge/drivers.h"

namespace presil::rtl {

namespace {

constexpr BusResponse kResp[4] = {BusResponse::Okay, BusResponse::Okay, BusResponse::SlaveError,
                                  BusResponse::DecodeError};  // OKAY, EXOKAY, SLVERR, DECERR

class AxiLiteDriver final : public BusDriver {
public:
    explicit AxiLiteDriver(RtlBridge& b)
        : m_b(b),
          m_awvalid(b.bus_pin("AWVALID", true, false, 1, 1)),
          m_awready(b.bus_pin("AWREADY", true, true, 1, 1)),
          m_awaddr(b.bus_pin("AWADDR", true, false, 1, 32)),
          m_awprot(b.bus_pin("AWPROT", false, false, 3, 3)),
          m_wvalid(b.bus_pin("WVALID", true, false, 1, 1)),
          m_wready(b.bus_pin("WREADY", true, true, 1, 1)),
          m_wdata(b.bus_pin("WDATA", true, false, 32, 32)),
          m_wstrb(b.bus_pin("WSTRB", false, false, 4, 4)),
          m_bvalid(b.bus_pin("BVALID", true, true, 1, 1)),
          m_bready(b.bus_pin("BREADY", true, false, 1, 1)),
          m_bresp(b.bus_pin("BRESP", true, true, 2, 2)),
          m_arvalid(b.bus_pin("ARVALID", true, false, 1, 1)),
          m_arready(b.bus_pin("ARREADY", true, true, 1, 1)),
          m_araddr(b.bus_pin("ARADDR", true, false, 1, 32)),
          m_arprot(b.bus_pin("ARPROT", false, false, 3, 3)),
          m_rvalid(b.bus_pin("RVALID", true, true, 1, 1)),
          m_rready(b.bus_pin("RREADY", true, false, 1, 1)),
          m_rdata(b.bus_pin("RDATA", true, true, 32, 32)),
          m_rresp(b.bus_pin("RRESP", true, true, 2, 2)) {
        if (m_awaddr.width() != m_araddr.width())
            throw RtlError(m_b.model().origin() + ": AWADDR and ARADDR must have the same width");
        for (const Pin* p : {&m_awvalid, &m_wvalid, &m_bready, &m_arvalid, &m_rready}) p->write(0);
    }

    BusResponse write(uint32_t addr, uint32_t data, uint8_t strb, uint8_t prot) override {
        m_awvalid.write(1);
        m_awaddr.write(addr);
        if (m_awprot) m_awprot.write(prot);
        m_wvalid.write(1);
        m_wdata.write(data);
        if (m_wstrb) m_wstrb.write(strb);
        m_bready.write(1);
        m_b.settle();
        BusResponse r = BusResponse::Timeout;
        for (unsigned n = 0; n <= m_b.config().max_wait_cycles; ++n) {
            const bool aw = m_awvalid.read() && m_awready.read();
            const bool w = m_wvalid.read() && m_wready.read();
            const bool b = m_bvalid.read() != 0;
            if (b) r = kResp[m_bresp.read() & 3];
            m_b.rise();
            if (aw) m_awvalid.write(0);
            if (w) m_wvalid.write(0);
            if (b) {
                m_bready.write(0);
                m_b.fall();
                return r;
            }
            m_b.fall();
        }
        m_awvalid.write(0);
        m_wvalid.write(0);
        m_bready.write(0);
        m_b.settle();
        return r;
    }

    BusResponse read(uint32_t addr, uint32_t& data, uint8_t prot) override {
        m_arvalid.write(1);
        m_araddr.write(addr);
        if (m_arprot) m_arprot.write(prot);
        m_rready.write(1);
        m_b.settle();
        BusResponse r = BusResponse::Timeout;
        for (unsigned n = 0; n <= m_b.config().max_wait_cycles; ++n) {
            const bool ar = m_arvalid.read() && m_arready.read();
            const bool rv = m_rvalid.read() != 0;
            if (rv) {
                r = kResp[m_rresp.read() & 3];
                data = static_cast<uint32_t>(m_rdata.read());
            }
            m_b.rise();
            if (ar) m_arvalid.write(0);
            if (rv) {
                m_rready.write(0);
                m_b.fall();
                return r;
            }
            m_b.fall();
        }
        m_arvalid.write(0);
        m_rready.write(0);
        m_b.settle();
        return r;
    }

    void check(uint64_t time_ps) override {
        AxiLiteSignals s;
        s.awvalid = m_awvalid.read();
        s.awready = m_awready.read();
        s.wvalid = m_wvalid.read();
        s.wready = m_wready.read();
        s.bvalid = m_bvalid.read();
        s.bready = m_bready.read();
        s.arvalid = m_arvalid.read();
        s.arready = m_arready.read();
        s.rvalid = m_rvalid.read();
        s.rready = m_rready.read();
        s.awaddr = static_cast<uint32_t>(m_awaddr.read());
        s.wdata = static_cast<uint32_t>(m_wdata.read());
        s.araddr = static_cast<uint32_t>(m_araddr.read());
        s.rdata = static_cast<uint32_t>(m_rdata.read());
        s.awprot = m_awprot ? static_cast<uint8_t>(m_awprot.read()) : 0;
        s.arprot = m_arprot ? static_cast<uint8_t>(m_arprot.read()) : 0;
        s.wstrb = m_wstrb ? static_cast<uint8_t>(m_wstrb.read()) : 0xf;
        s.bresp = static_cast<uint8_t>(m_bresp.read());
        s.rresp = static_cast<uint8_t>(m_rresp.read());
        m_b.axi_checker()->edge(s, time_ps);
    }

    unsigned address_bits() const override { return m_awaddr.width(); }

private:
    RtlBridge& m_b;
    Pin m_awvalid, m_awready, m_awaddr, m_awprot, m_wvalid, m_wready, m_wdata, m_wstrb;
    Pin m_bvalid, m_bready, m_bresp, m_arvalid, m_arready, m_araddr, m_arprot;
    Pin m_rvalid, m_rready, m_rdata, m_rresp;
};

}  // namespace

std::unique_ptr<BusDriver> make_axi_lite_driver(RtlBridge& bridge) {
    return std::make_unique<AxiLiteDriver>(bridge);
}

}  // namespace presil::rtl
