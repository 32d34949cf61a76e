// SPDX-License-Identifier: Apache-2.0
// Test harness for the RTL bridges: an initiator thread running a test body and an interrupt recorder.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

#include "tlm/irq.h"
#include "tlm/payload.h"

namespace presil::rtl::test {

/// Outcome of one access.
struct Access {
    ::tlm::tlm_response_status status;  ///< TLM response
    sc_core::sc_time delay;             ///< annotated delay returned by the target
    uint32_t value = 0;                 ///< read data (little endian, zero extended)
};

/// An SC_THREAD that runs `body` once; helpers issue b_transport calls and wait out their delay.
class Initiator : public sc_core::sc_module {
public:
    tlm_utils::simple_initiator_socket<Initiator, 32> socket;  ///< bind to the bridge

    SC_HAS_PROCESS(Initiator);
    /// `body` runs in the thread at time 0.
    Initiator(sc_core::sc_module_name name, std::function<void(Initiator&)> body)
        : sc_module(name), socket("socket"), m_body(std::move(body)) {
        SC_THREAD(run);
    }

    /// Transports `len` bytes at `addr` with an optional byte-enable array; with `sync` the thread
    /// waits for the annotated delay afterwards; `delay` is the initial local time offset.
    Access access(::tlm::tlm_command cmd, uint64_t addr, uint8_t* data, unsigned len,
                  const std::vector<uint8_t>& be = {}, bool sync = true,
                  sc_core::sc_time delay = sc_core::SC_ZERO_TIME) {
        ::tlm::tlm_generic_payload p;
        presil::tlm::init_payload(p, cmd, addr, data, len);
        std::vector<uint8_t> enables = be;
        if (!enables.empty()) {
            p.set_byte_enable_ptr(enables.data());
            p.set_byte_enable_length(static_cast<unsigned>(enables.size()));
        }
        sc_core::sc_time d = delay;
        socket->b_transport(p, d);
        Access a{p.get_response_status(), d - delay};
        if (sync) wait(d);
        return a;
    }
    /// 32-bit write.
    Access write32(uint64_t addr, uint32_t v) {
        uint8_t b[4] = {uint8_t(v), uint8_t(v >> 8), uint8_t(v >> 16), uint8_t(v >> 24)};
        return access(::tlm::TLM_WRITE_COMMAND, addr, b, 4);
    }
    /// Write of 1, 2 or 4 bytes.
    Access write(uint64_t addr, uint32_t v, unsigned len) {
        uint8_t b[4] = {uint8_t(v), uint8_t(v >> 8), uint8_t(v >> 16), uint8_t(v >> 24)};
        return access(::tlm::TLM_WRITE_COMMAND, addr, b, len);
    }
    /// Read of 1, 2 or 4 bytes.
    Access read(uint64_t addr, unsigned len = 4) {
        uint8_t b[4] = {0, 0, 0, 0};
        Access a = access(::tlm::TLM_READ_COMMAND, addr, b, len);
        a.value = uint32_t(b[0]) | uint32_t(b[1]) << 8 | uint32_t(b[2]) << 16 | uint32_t(b[3]) << 24;
        return a;
    }
    /// True once the body has returned.
    bool finished() const { return m_finished; }

private:
    void run() {
        m_body(*this);
        m_finished = true;
        sc_core::sc_stop();
    }
    std::function<void(Initiator&)> m_body;
    bool m_finished = false;
};

/// Records every interrupt level change with its simulated time.
class IrqRecorder : public presil::tlm::IrqTarget {
public:
    /// One change.
    struct Event {
        sc_core::sc_time time;
        bool level;
    };
    /// All changes so far.
    std::vector<Event> events;
    void irq_changed(unsigned, bool level) override { events.push_back({sc_core::sc_time_stamp(), level}); }
};

}  // namespace presil::rtl::test
