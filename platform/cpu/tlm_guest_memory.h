// SPDX-License-Identifier: Apache-2.0
// The engine's guest memory over a TLM-2.0 initiator socket: DMI for RAM/ROM, b_transport for the rest.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include <systemc>
#include <tlm>

#include "tcg/memory.h"
#include "tlm/payload.h"

namespace presil::platform {

namespace log {
class CpuLog;
}

/// Implements tcg::GuestMemory with a CPU module's initiator socket.
/// DMI regions granted by targets are cached and handed to the engine's
/// soft-TLB; everything else goes through b_transport with the CPU's local
/// time offset, and the annotated delay comes back as cycles.
class TlmGuestMemory : public tcg::GuestMemory {
 public:
  /// Local time offset of the calling CPU (time already consumed in the quantum).
  using LocalTimeFn = std::function<sc_core::sc_time()>;

  /// `socket` is the CPU's bound initiator socket; `period` one CPU cycle.
  TlmGuestMemory(::tlm::tlm_initiator_socket<32>& socket, sc_core::sc_time period, LocalTimeFn local_time);

  bool map(uint64_t addr, tcg::Access kind, tcg::HostRegion& out) override;
  tcg::MemResult read(uint64_t addr, void* data, unsigned size, tcg::Access kind) override;
  tcg::MemResult write(uint64_t addr, const void* data, unsigned size) override;

  /// Debug (side-effect free) read through transport_dbg; returns bytes read.
  unsigned debug_read(uint64_t addr, void* data, unsigned size);
  /// Debug write through transport_dbg; returns bytes written.
  unsigned debug_write(uint64_t addr, const void* data, unsigned size);

  /// Drops cached DMI regions overlapping [start, end] (from invalidate_direct_mem_ptr).
  void invalidate(uint64_t start, uint64_t end);
  /// Disables DMI (every access goes through b_transport), for exact device ordering studies.
  void set_dmi_enabled(bool on) { m_dmi_enabled = on; }
  /// Calls made through b_transport so far.
  uint64_t transports() const { return m_transports; }
  /// Reports every transport to `log` (-d mmio, guest_errors, timeline); nullptr: none.
  void set_log(log::CpuLog* log) { m_log = log; }

 private:
  tcg::MemResult transport(::tlm::tlm_command cmd, uint64_t addr, uint8_t* data, unsigned size);

  ::tlm::tlm_initiator_socket<32>& m_socket;
  sc_core::sc_time m_period;
  LocalTimeFn m_local_time;
  std::vector<::tlm::tlm_dmi> m_dmi;
  ::tlm::tlm_generic_payload m_trans;
  tlm::PureAccess* m_pure = nullptr;  ///< attached to m_trans (owned by it)
  bool m_dmi_enabled = true;
  uint64_t m_transports = 0;
  log::CpuLog* m_log = nullptr;
};

}  // namespace presil::platform
