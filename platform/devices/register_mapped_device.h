// SPDX-License-Identifier: Apache-2.0
// Common base of the native devices: a register bank behind one target socket, the simulated time
// of the access in progress, and the ARM PrimeCell-style peripheral/component ID registers.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

#include "platform/device.h"
#include "tlm/irq.h"
#include "tlm/register_bank.h"

namespace presil::platform::devices {

/// A device whose bus interface is one RegisterBank; subclasses declare registers in their
/// constructor and recompute interrupt lines in update().
class RegisterMappedDevice : public Device {
public:
    /// Bus port (device-local addresses).
    tlm_utils::simple_target_socket<RegisterMappedDevice, 32> socket;

    /// Creates the device; every bus access adds `access_delay` to the annotated time.
    RegisterMappedDevice(sc_core::sc_module_name name, sc_core::sc_time access_delay = sc_core::SC_ZERO_TIME);

    /// The socket the board's router binds.
    ::tlm::tlm_target_socket<32>& bus_socket() override { return socket; }
    /// The register map.
    tlm::RegisterBank& regs() { return m_regs; }
    /// Registers back to reset values; subclasses extend it for their own state and call update().
    virtual void reset();

protected:
    /// Simulated time of the bus access being served (kernel time + the initiator's annotated
    /// delay), or the kernel time outside an access.
    sc_core::sc_time now() const;
    /// Declares the read-only ID registers PID4-7, PID0-3, CID0-3 at 0xFD0-0xFFC.
    void add_id_registers(const std::array<uint8_t, 12>& id);

private:
    void b_transport(::tlm::tlm_generic_payload& p, sc_core::sc_time& delay);
    unsigned transport_dbg(::tlm::tlm_generic_payload& p);

    tlm::RegisterBank m_regs;
    bool m_in_access = false;
    sc_core::sc_time m_access_time;
};

/// Converts between simulated time and the ticks of a clock of `hz` / `divisor` Hz (exact
/// integer arithmetic).
class TickClock {
public:
    /// A clock of `hz` / `divisor` Hz (both non-zero).
    explicit TickClock(uint64_t hz, uint64_t divisor = 1);
    /// The input frequency in Hz.
    uint64_t hz() const { return m_hz; }
    /// The divisor applied to hz().
    uint64_t divisor() const { return m_divisor; }
    /// Whole ticks in the interval [from, to) (0 when to <= from).
    uint64_t ticks_between(const sc_core::sc_time& from, const sc_core::sc_time& to) const;
    /// Time from a reference point to its `n`th tick (rounded up to the time resolution).
    sc_core::sc_time time_of(uint64_t n) const;

private:
    uint64_t m_hz;
    uint64_t m_divisor;
    uint64_t m_units_per_second;  // time resolution units in one second
    uint64_t m_units_per_tick = 0;  // resolution units in one tick when that is whole, else 0
};

/// Name list helper for irq_names().
std::vector<std::string> names(std::initializer_list<std::string_view> list);

}  // namespace presil::platform::devices
