// SPDX-License-Identifier: Apache-2.0
// APB3/APB4 bus driver: one transfer = setup phase, access phase, wait states while PREADY is low.
//
// Pins (conventional names, through the bridge's prefix/rename map): PSEL, PENABLE, PWRITE,
// PADDR (1..32 bits), PWDATA/PRDATA (32 bits), and optionally PSTRB (4, APB4), PPROT (3, APB4),
// PREADY (absent = always ready) and PSLVERR (absent = never an error).
#include "rtl-bridge/drivers.h"

namespace presil::rtl {

namespace {

class ApbDriver final : public BusDriver {
public:
    explicit ApbDriver(RtlBridge& b)
        : m_b(b),
          m_psel(b.bus_pin("PSEL", true, false, 1, 1)),
          m_penable(b.bus_pin("PENABLE", true, false, 1, 1)),
          m_pwrite(b.bus_pin("PWRITE", true, false, 1, 1)),
          m_paddr(b.bus_pin("PADDR", true, false, 1, 32)),
          m_pwdata(b.bus_pin("PWDATA", true, false, 32, 32)),
          m_pstrb(b.bus_pin("PSTRB", false, false, 4, 4)),
          m_pprot(b.bus_pin("PPROT", false, false, 3, 3)),
          m_prdata(b.bus_pin("PRDATA", true, true, 32, 32)),
          m_pready(b.bus_pin("PREADY", false, true, 1, 1)),
          m_pslverr(b.bus_pin("PSLVERR", false, true, 1, 1)) {
        m_psel.write(0);
        m_penable.write(0);
    }

    BusResponse write(uint32_t addr, uint32_t data, uint8_t strb, uint8_t prot) override {
        uint32_t unused = 0;
        return transfer(true, addr, data, strb, prot, unused);
    }

    BusResponse read(uint32_t addr, uint32_t& data, uint8_t prot) override {
        return transfer(false, addr, 0, 0, prot, data);
    }

    void check(uint64_t time_ps) override {
        ApbSignals s;
        s.psel = m_psel.read();
        s.penable = m_penable.read();
        s.pwrite = m_pwrite.read();
        s.pready = m_pready ? m_pready.read() != 0 : true;
        s.pslverr = m_pslverr ? m_pslverr.read() != 0 : false;
        s.paddr = static_cast<uint32_t>(m_paddr.read());
        s.pwdata = static_cast<uint32_t>(m_pwdata.read());
        s.pstrb = m_pstrb ? static_cast<uint8_t>(m_pstrb.read()) : 0;
        s.pprot = m_pprot ? static_cast<uint8_t>(m_pprot.read()) : 0;
        m_b.apb_checker()->edge(s, time_ps);
    }

    unsigned address_bits() const override { return m_paddr.width(); }

private:
    BusResponse transfer(bool write, uint32_t addr, uint32_t wdata, uint8_t strb, uint8_t prot,
                         uint32_t& rdata) {
        // Setup phase.
        m_psel.write(1);
        m_penable.write(0);
        m_pwrite.write(write);
        m_paddr.write(addr);
        m_pwdata.write(write ? wdata : 0);
        if (m_pstrb) m_pstrb.write(write ? strb : 0);
        if (m_pprot) m_pprot.write(prot);
        m_b.rise();
        // Access phase (PENABLE changes after the setup edge), extended while PREADY is low.
        m_penable.write(1);
        m_b.fall();
        BusResponse r = BusResponse::Timeout;
        for (unsigned waits = 0; waits <= m_b.config().max_wait_cycles; ++waits) {
            if (!m_pready || m_pready.read()) {
                if (!write) rdata = static_cast<uint32_t>(m_prdata.read());
                r = (m_pslverr && m_pslverr.read()) ? BusResponse::SlaveError : BusResponse::Okay;
                m_b.rise();
                m_psel.write(0);
                m_penable.write(0);
                m_b.fall();
                return r;
            }
            m_b.step();
        }
        m_psel.write(0);
        m_penable.write(0);
        m_b.settle();
        return r;
    }

    RtlBridge& m_b;
    Pin m_psel, m_penable, m_pwrite, m_paddr, m_pwdata, m_pstrb, m_pprot, m_prdata, m_pready, m_pslverr;
};

}  // namespace

std::unique_ptr<BusDriver> make_apb_driver(RtlBridge& bridge) { return std::make_unique<ApbDriver>(bridge); }

}  // namespace presil::rtl
