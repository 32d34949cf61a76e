// SPDX-License-Identifier: Apache-2.0
// Memory target: owns an anonymous mapping (pages are only backed once touched, so large
// sparse RAMs are cheap), serves b_transport with byte enables and streaming width, debug
// transport (ROM included) and DMI with the memory's latencies.
#include "tlm/memory.h"

#include <sys/mman.h>

#include <cstring>
#include <stdexcept>

#include <fmt/format.h>

#include "tlm/payload.h"

namespace presil::tlm {

Memory::Memory(sc_core::sc_module_name name, uint64_t size, bool read_only,
               sc_core::sc_time read_latency, sc_core::sc_time write_latency)
    : sc_core::sc_module(name),
      socket("socket"),
      m_size(size),
      m_read_only(read_only),
      m_read_latency(read_latency),
      m_write_latency(write_latency) {
    if (size == 0) throw std::invalid_argument(fmt::format("{}: memory size is 0", this->name()));
    void* p = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE,
                   -1, 0);
    if (p == MAP_FAILED)
        throw std::runtime_error(fmt::format("{}: cannot allocate {:#x} bytes: {}", this->name(), size,
                                             std::strerror(errno)));
    m_data = static_cast<uint8_t*>(p);
    socket.register_b_transport(this, &Memory::b_transport);
    socket.register_transport_dbg(this, &Memory::transport_dbg);
    socket.register_get_direct_mem_ptr(this, &Memory::get_direct_mem_ptr);
}

Memory::~Memory() { munmap(m_data, m_size); }

void Memory::set_read_only(bool read_only) {
    if (read_only == m_read_only) return;
    m_read_only = read_only;
    invalidate_dmi();
}

void Memory::load(uint64_t offset, const void* bytes, size_t n) {
    if (offset > m_size || n > m_size - offset)
        throw std::out_of_range(fmt::format("{}: loading {:#x} bytes at offset {:#x} exceeds the "
                                            "memory size {:#x}", name(), n, offset, m_size));
    std::memcpy(m_data + offset, bytes, n);
}

void Memory::invalidate_dmi(uint64_t start, uint64_t end) {
    // Before the end of elaboration no pointer was handed out and the socket is not bound yet.
    const sc_core::sc_status status = sc_core::sc_get_status();
    if (status == sc_core::SC_ELABORATION || status == sc_core::SC_BEFORE_END_OF_ELABORATION) return;
    socket->invalidate_direct_mem_ptr(start, end);
}

void Memory::b_transport(::tlm::tlm_generic_payload& p, sc_core::sc_time& delay) {
    const ::tlm::tlm_command cmd = p.get_command();
    const uint64_t addr = p.get_address();
    const unsigned length = p.get_data_length();
    unsigned width = p.get_streaming_width();
    if (width == 0 || width > length) width = length;
    if (addr >= m_size || (width != 0 && width - 1 > m_size - 1 - addr)) {
        p.set_response_status(::tlm::TLM_ADDRESS_ERROR_RESPONSE);
        return;
    }
    const bool is_write = cmd == ::tlm::TLM_WRITE_COMMAND;
    if (cmd == ::tlm::TLM_IGNORE_COMMAND) {
        p.set_response_status(::tlm::TLM_OK_RESPONSE);
        return;
    }
    if (is_write && m_read_only) {
        p.set_response_status(::tlm::TLM_COMMAND_ERROR_RESPONSE);
        return;
    }
    uint8_t* mem = m_data + addr;
    unsigned char* data = p.get_data_ptr();
    if (p.get_byte_enable_ptr() == nullptr && width == length) {
        if (is_write)
            std::memcpy(mem, data, length);
        else
            std::memcpy(data, mem, length);
    } else {
        for (unsigned i = 0; i < length; ++i) {
            if (!byte_enabled(p, i)) continue;
            if (is_write)
                mem[i % width] = data[i];
            else
                data[i] = mem[i % width];
        }
    }
    delay += is_write ? m_write_latency : m_read_latency;
    p.set_dmi_allowed(true);
    p.set_response_status(::tlm::TLM_OK_RESPONSE);
}

unsigned Memory::transport_dbg(::tlm::tlm_generic_payload& p) {
    const uint64_t addr = p.get_address();
    if (addr >= m_size) {
        p.set_response_status(::tlm::TLM_ADDRESS_ERROR_RESPONSE);
        return 0;
    }
    const uint64_t room = m_size - addr;
    const unsigned n = room < p.get_data_length() ? static_cast<unsigned>(room) : p.get_data_length();
    switch (p.get_command()) {
        case ::tlm::TLM_READ_COMMAND: std::memcpy(p.get_data_ptr(), m_data + addr, n); break;
        case ::tlm::TLM_WRITE_COMMAND: std::memcpy(m_data + addr, p.get_data_ptr(), n); break;
        default: break;
    }
    p.set_response_status(::tlm::TLM_OK_RESPONSE);
    return n;
}

bool Memory::get_direct_mem_ptr(::tlm::tlm_generic_payload& p, ::tlm::tlm_dmi& dmi) {
    if (p.get_address() >= m_size) {
        dmi.set_start_address(m_size);
        dmi.set_end_address(~uint64_t{0});
        dmi.set_granted_access(::tlm::tlm_dmi::DMI_ACCESS_NONE);
        return false;
    }
    dmi.set_dmi_ptr(m_data);
    dmi.set_start_address(0);
    dmi.set_end_address(m_size - 1);
    dmi.set_granted_access(m_read_only ? ::tlm::tlm_dmi::DMI_ACCESS_READ
                                       : ::tlm::tlm_dmi::DMI_ACCESS_READ_WRITE);
    dmi.set_read_latency(m_read_latency);
    dmi.set_write_latency(m_write_latency);
    return true;
}

}  // namespace presil::tlm
