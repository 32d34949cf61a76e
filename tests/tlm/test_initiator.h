// SPDX-License-Identifier: Apache-2.0
// Test bench initiator: issues transactions from the test body and records DMI invalidations.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

#include "tlm/payload.h"

namespace presil::tlm::test {

/// Result of one b_transport: the response and the delay the target annotated.
struct Access {
    ::tlm::tlm_response_status status;  ///< response status
    sc_core::sc_time delay;             ///< annotated delay
    bool dmi_hint;                      ///< the target's DMI-allowed hint
};

/// An initiator module driven directly from test code after elaboration.
class TestInitiator : public sc_core::sc_module {
public:
    /// Bound to the router or target under test.
    tlm_utils::simple_initiator_socket<TestInitiator, 32> socket;
    /// Every invalidate_direct_mem_ptr received, as (start, end).
    std::vector<std::pair<uint64_t, uint64_t>> invalidations;

    /// Creates the initiator.
    explicit TestInitiator(sc_core::sc_module_name name) : sc_core::sc_module(name), socket("socket") {
        socket.register_invalidate_direct_mem_ptr(this, &TestInitiator::invalidate);
    }

    /// b_transport of `len` bytes with optional byte enables.
    Access transport(::tlm::tlm_command cmd, uint64_t addr, void* data, unsigned len,
                     const uint8_t* be = nullptr, unsigned be_len = 0, unsigned width = 0) {
        ::tlm::tlm_generic_payload p;
        init_payload(p, cmd, addr, data, len);
        if (be != nullptr) {
            p.set_byte_enable_ptr(const_cast<uint8_t*>(be));
            p.set_byte_enable_length(be_len);
        }
        if (width != 0) p.set_streaming_width(width);
        sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
        socket->b_transport(p, delay);
        return {p.get_response_status(), delay, p.is_dmi_allowed()};
    }
    /// Bus read.
    Access read(uint64_t addr, void* data, unsigned len) {
        return transport(::tlm::TLM_READ_COMMAND, addr, data, len);
    }
    /// Bus write.
    Access write(uint64_t addr, const void* data, unsigned len) {
        return transport(::tlm::TLM_WRITE_COMMAND, addr, const_cast<void*>(data), len);
    }
    /// 32-bit bus read; `status` receives the response.
    uint32_t read32(uint64_t addr, ::tlm::tlm_response_status* status = nullptr) {
        uint32_t v = 0xdeadbeef;
        Access a = read(addr, &v, 4);
        if (status != nullptr) *status = a.status;
        return v;
    }
    /// 32-bit bus write; returns the response.
    ::tlm::tlm_response_status write32(uint64_t addr, uint32_t v) { return write(addr, &v, 4).status; }
    /// Debug access; returns the byte count and stores the response in `status`.
    unsigned debug(::tlm::tlm_command cmd, uint64_t addr, void* data, unsigned len,
                   ::tlm::tlm_response_status* status = nullptr) {
        ::tlm::tlm_generic_payload p;
        init_payload(p, cmd, addr, data, len);
        unsigned n = socket->transport_dbg(p);
        if (status != nullptr) *status = p.get_response_status();
        return n;
    }
    /// DMI request for `addr`.
    bool dmi(uint64_t addr, ::tlm::tlm_dmi& dmi, bool for_write = false) {
        ::tlm::tlm_generic_payload p;
        uint8_t dummy = 0;
        init_payload(p, for_write ? ::tlm::TLM_WRITE_COMMAND : ::tlm::TLM_READ_COMMAND, addr, &dummy, 1);
        dmi.init();
        return socket->get_direct_mem_ptr(p, dmi);
    }

private:
    void invalidate(sc_dt::uint64 start, sc_dt::uint64 end) { invalidations.emplace_back(start, end); }
};

/// Elaborates and runs the initial delta cycle so sockets can be used from the test body.
inline void elaborate() { sc_core::sc_start(sc_core::SC_ZERO_TIME); }

}  // namespace presil::tlm::test
