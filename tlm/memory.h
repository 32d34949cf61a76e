// SPDX-License-Identifier: Apache-2.0
// Memory: a RAM/ROM/flash TLM target that grants DMI and annotates read/write latencies.
#pragma once

#include <cstddef>
#include <cstdint>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

namespace presil::tlm {

/// Byte-addressed storage at local addresses [0, size); zero-filled at start.
class Memory : public sc_core::sc_module {
public:
    /// Bus port: b_transport, transport_dbg and get_direct_mem_ptr.
    tlm_utils::simple_target_socket<Memory, 32> socket;

    /// Creates `size` bytes of memory; `read_only` makes it a ROM (debug writes still allowed).
    Memory(sc_core::sc_module_name name, uint64_t size, bool read_only = false,
           sc_core::sc_time read_latency = sc_core::SC_ZERO_TIME,
           sc_core::sc_time write_latency = sc_core::SC_ZERO_TIME);
    ~Memory() override;
    Memory(const Memory&) = delete;
    Memory& operator=(const Memory&) = delete;

    /// The storage (size() bytes); the same pointer DMI hands out.
    uint8_t* data() { return m_data; }
    /// Size in bytes.
    uint64_t size() const { return m_size; }
    /// True for ROM: bus writes are refused with TLM_COMMAND_ERROR_RESPONSE.
    bool read_only() const { return m_read_only; }
    /// Makes the memory read-only or writable and invalidates DMI pointers handed out so far.
    void set_read_only(bool read_only);
    /// Copies `n` bytes to local `offset` (image loading); throws std::out_of_range if it does not fit.
    void load(uint64_t offset, const void* bytes, size_t n);
    /// Tells every initiator to drop DMI pointers into local [start, end] (no-op during elaboration).
    void invalidate_dmi(uint64_t start = 0, uint64_t end = ~uint64_t{0});

private:
    void b_transport(::tlm::tlm_generic_payload& p, sc_core::sc_time& delay);
    unsigned transport_dbg(::tlm::tlm_generic_payload& p);
    bool get_direct_mem_ptr(::tlm::tlm_generic_payload& p, ::tlm::tlm_dmi& dmi);

    uint8_t* m_data = nullptr;
    uint64_t m_size;
    bool m_read_only;
    sc_core::sc_time m_read_latency;
    sc_core::sc_time m_write_latency;
};

}  // namespace presil::tlm
