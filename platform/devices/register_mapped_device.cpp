// SPDX-License-Identifier: Apache-2.0
// Common base of the native devices: socket plumbing, access time, ID registers, tick clocks.
#include "platform/devices/register_mapped_device.h"

#include <cmath>
#include <cstdint>
#include <stdexcept>

namespace presil::platform::devices {

RegisterMappedDevice::RegisterMappedDevice(sc_core::sc_module_name name, sc_core::sc_time access_delay)
    : Device(name), socket("socket") {
    m_regs.set_access_delay(access_delay);
    socket.register_b_transport(this, &RegisterMappedDevice::b_transport);
    socket.register_transport_dbg(this, &RegisterMappedDevice::transport_dbg);
}

void RegisterMappedDevice::reset() { m_regs.reset(); }

sc_core::sc_time RegisterMappedDevice::now() const {
    return m_in_access ? m_access_time : sc_core::sc_time_stamp();
}

void RegisterMappedDevice::b_transport(::tlm::tlm_generic_payload& p, sc_core::sc_time& delay) {
    m_in_access = true;
    m_access_time = sc_core::sc_get_curr_simcontext()->time_stamp() + delay;  // inline, unlike sc_time_stamp()
    m_regs.b_transport(p, delay);
    m_in_access = false;
}

unsigned RegisterMappedDevice::transport_dbg(::tlm::tlm_generic_payload& p) {
    m_in_access = false;
    return m_regs.transport_dbg(p);
}

void RegisterMappedDevice::add_id_registers(const std::array<uint8_t, 12>& id) {
    static constexpr std::array<const char*, 12> kNames{"PID4", "PID5", "PID6", "PID7", "PID0", "PID1",
                                                       "PID2", "PID3", "CID0", "CID1", "CID2", "CID3"};
    for (size_t i = 0; i < id.size(); ++i)
        m_regs.add({.name = kNames[i],
                    .offset = static_cast<uint32_t>(0xFD0 + 4 * i),
                    .reset = id[i],
                    .access = tlm::Access::ReadOnly});
}

TickClock::TickClock(uint64_t hz, uint64_t divisor) : m_hz(hz), m_divisor(divisor) {
    if (hz == 0 || divisor == 0) throw std::invalid_argument("clock frequency must not be zero");
    m_units_per_second = static_cast<uint64_t>(std::llround(1.0 / sc_core::sc_get_time_resolution().to_seconds()));
    const unsigned __int128 per_tick = static_cast<unsigned __int128>(m_units_per_second) * m_divisor;
    if (per_tick % hz == 0 && per_tick / hz <= UINT64_MAX) m_units_per_tick = static_cast<uint64_t>(per_tick / hz);
}

uint64_t TickClock::ticks_between(const sc_core::sc_time& from, const sc_core::sc_time& to) const {
    if (to <= from) return 0;
    if (m_units_per_tick) return (to - from).value() / m_units_per_tick;  // a tick is whole resolution units
    const unsigned __int128 units = (to - from).value();
    return static_cast<uint64_t>(units * m_hz / (static_cast<unsigned __int128>(m_units_per_second) * m_divisor));
}

sc_core::sc_time TickClock::time_of(uint64_t n) const {
    const unsigned __int128 units =
        (static_cast<unsigned __int128>(n) * m_units_per_second * m_divisor + m_hz - 1) / m_hz;
    return sc_core::sc_time::from_value(static_cast<sc_dt::uint64>(units));
}

std::vector<std::string> names(std::initializer_list<std::string_view> list) {
    return {list.begin(), list.end()};
}

}  // namespace presil::platform::devices
