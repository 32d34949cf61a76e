// SPDX-License-Identifier: Apache-2.0
// TlmGuestMemory: DMI cache, transport with local-time annotation, delay → cycles.
#include "platform/cpu/tlm_guest_memory.h"

#include <algorithm>

#include "platform/log/cpu_log.h"

namespace presil::platform {

TlmGuestMemory::TlmGuestMemory(::tlm::tlm_initiator_socket<32>& socket, sc_core::sc_time period,
                               LocalTimeFn local_time)
    : m_socket(socket), m_period(period), m_local_time(std::move(local_time)) {
  m_pure = new tlm::PureAccess;
  m_trans.set_extension(m_pure);  // the payload frees it
}

bool TlmGuestMemory::map(uint64_t addr, tcg::Access kind, tcg::HostRegion& out) {
  if (!m_dmi_enabled) return false;
  const ::tlm::tlm_dmi* hit = nullptr;
  for (const auto& d : m_dmi) {
    if (addr >= d.get_start_address() && addr <= d.get_end_address()) {
      hit = &d;
      break;
    }
  }
  if (!hit) {
    ::tlm::tlm_generic_payload t;
    uint8_t dummy = 0;
    t.set_command(kind == tcg::Access::Write ? ::tlm::TLM_WRITE_COMMAND : ::tlm::TLM_READ_COMMAND);
    t.set_address(addr);
    t.set_data_ptr(&dummy);
    t.set_data_length(1);
    t.set_streaming_width(1);
    t.set_byte_enable_ptr(nullptr);
    t.set_dmi_allowed(false);
    t.set_response_status(::tlm::TLM_INCOMPLETE_RESPONSE);
    ::tlm::tlm_dmi dmi;
    if (!m_socket->get_direct_mem_ptr(t, dmi)) return false;
    if (addr < dmi.get_start_address() || addr > dmi.get_end_address()) return false;
    m_dmi.push_back(dmi);
    hit = &m_dmi.back();
  }
  bool can_read = hit->is_read_allowed();
  bool can_write = hit->is_write_allowed();
  if (kind == tcg::Access::Write && !can_write) return false;
  if (kind != tcg::Access::Write && !can_read) return false;
  out.base = hit->get_start_address();
  out.size = hit->get_end_address() - hit->get_start_address() + 1;
  out.host = hit->get_dmi_ptr();
  out.readable = can_read;
  out.writable = can_write;
  out.executable = can_read;
  out.read_latency = static_cast<uint32_t>(hit->get_read_latency() / m_period);
  out.write_latency = static_cast<uint32_t>(hit->get_write_latency() / m_period);
  return true;
}

tcg::MemResult TlmGuestMemory::transport(::tlm::tlm_command cmd, uint64_t addr, uint8_t* data, unsigned size) {
  ::tlm::tlm_generic_payload& t = m_trans;
  t.set_command(cmd);
  t.set_address(addr);
  t.set_data_ptr(data);
  t.set_data_length(size);
  t.set_streaming_width(size);
  t.set_byte_enable_ptr(nullptr);
  t.set_byte_enable_length(0);
  t.set_dmi_allowed(false);
  t.set_response_status(::tlm::TLM_INCOMPLETE_RESPONSE);
  m_pure->pure = false;
  const sc_core::sc_time before = m_local_time ? m_local_time() : sc_core::SC_ZERO_TIME;
  sc_core::sc_time delay = before;
  m_socket->b_transport(t, delay);
  ++m_transports;
  tcg::MemResult r;
  r.ok = t.is_response_ok();
  r.pure = m_pure->pure && cmd == ::tlm::TLM_READ_COMMAND;
  if (m_log) [[unlikely]] {
    log::TransportRecord rec;
    rec.write = cmd == ::tlm::TLM_WRITE_COMMAND;
    rec.addr = addr;
    rec.data = data;
    rec.size = size;
    rec.start = sc_core::sc_time_stamp() + before;
    rec.delay = delay > before ? delay - before : sc_core::SC_ZERO_TIME;
    rec.ok = r.ok;
    const std::string response = t.get_response_string();
    rec.response = response;
    m_log->transport(rec);
  }
  if (delay > before) {
    // Round up: a device latency of a fraction of a cycle still costs a cycle.
    const double cycles = (delay - before) / m_period;
    r.delay_cycles = static_cast<uint64_t>(cycles);
    if (double(r.delay_cycles) < cycles) ++r.delay_cycles;
  }
  return r;
}

tcg::MemResult TlmGuestMemory::read(uint64_t addr, void* data, unsigned size, tcg::Access) {
  return transport(::tlm::TLM_READ_COMMAND, addr, static_cast<uint8_t*>(data), size);
}

tcg::MemResult TlmGuestMemory::write(uint64_t addr, const void* data, unsigned size) {
  // TLM payloads carry a non-const pointer; targets do not modify write data.
  return transport(::tlm::TLM_WRITE_COMMAND, addr, const_cast<uint8_t*>(static_cast<const uint8_t*>(data)), size);
}

unsigned TlmGuestMemory::debug_read(uint64_t addr, void* data, unsigned size) {
  ::tlm::tlm_generic_payload t;
  t.set_command(::tlm::TLM_READ_COMMAND);
  t.set_address(addr);
  t.set_data_ptr(static_cast<uint8_t*>(data));
  t.set_data_length(size);
  t.set_streaming_width(size);
  return m_socket->transport_dbg(t);
}

unsigned TlmGuestMemory::debug_write(uint64_t addr, const void* data, unsigned size) {
  ::tlm::tlm_generic_payload t;
  t.set_command(::tlm::TLM_WRITE_COMMAND);
  t.set_address(addr);
  t.set_data_ptr(const_cast<uint8_t*>(static_cast<const uint8_t*>(data)));
  t.set_data_length(size);
  t.set_streaming_width(size);
  return m_socket->transport_dbg(t);
}

void TlmGuestMemory::invalidate(uint64_t start, uint64_t end) {
  m_dmi.erase(std::remove_if(m_dmi.begin(), m_dmi.end(),
                             [&](const ::tlm::tlm_dmi& d) {
                               return d.get_start_address() <= end && d.get_end_address() >= start;
                             }),
              m_dmi.end());
}

}  // namespace presil::platform
