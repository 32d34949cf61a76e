// SPDX-License-Identifier: Apache-2.0
// Router: the bus interconnect. Decodes global addresses over a memory map and forwards
// transactions, debug accesses and DMI requests to targets with the address made region-local.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/multi_passthrough_initiator_socket.h>
#include <tlm_utils/multi_passthrough_target_socket.h>

namespace presil::tlm {

/// A bad memory map: overlapping or empty regions, address overflow, unbound port.
class MapError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// A memory-mapped interconnect with any number of initiators and targets.
class Router : public sc_core::sc_module {
public:
    /// Initiators (CPUs, DMA engines, bridges) bind here.
    tlm_utils::multi_passthrough_target_socket<Router, 32> target_socket;
    /// Targets (memories, devices) bind here; port N is the N-th binding.
    tlm_utils::multi_passthrough_initiator_socket<Router, 32> initiator_socket;

    /// One mapped region: global [base, base+size) reaches `port` at local address offset+(a-base).
    struct MapEntry {
        std::string name;  ///< region name used in errors and listings
        uint64_t base;     ///< first global address
        uint64_t size;     ///< bytes
        uint64_t offset;   ///< target-local address of `base`
        unsigned port;     ///< index into initiator_socket
    };

    /// Creates an empty router.
    explicit Router(sc_core::sc_module_name name);

    /// Maps global [base, base+size) to target port `port` at local address `offset`;
    /// throws MapError on overlap (naming both regions), empty region or overflow.
    void map(unsigned port, uint64_t base, uint64_t size, uint64_t offset = 0,
             std::string name = {});

    /// Binds `target` to the next initiator port and maps [base, base+size) to it at local 0;
    /// the region is named after the target's module unless `name` is given. Returns the port.
    template <class S>
    unsigned add_target(S& target, uint64_t base, uint64_t size, std::string name = {}) {
        if (name.empty()) name = default_region_name(target);
        check_region(base, size, 0, name);
        unsigned port = initiator_socket.size();
        initiator_socket.bind(target);
        map(port, base, size, 0, std::move(name));
        return port;
    }

    /// The memory map sorted by base address.
    const std::vector<MapEntry>& memory_map() const { return m_map; }

    /// The region containing global address `addr`, or nullptr when unmapped.
    const MapEntry* find(uint64_t addr) const;

    /// The memory map as text, one region per line (for logs and `presil check`).
    std::string describe_map() const;

private:
    static std::string default_region_name(const sc_core::sc_object& target);
    /// Throws MapError if a region of this shape cannot be added.
    void check_region(uint64_t base, uint64_t size, uint64_t offset, const std::string& name) const;

    void b_transport(int id, ::tlm::tlm_generic_payload& p, sc_core::sc_time& delay);
    unsigned transport_dbg(int id, ::tlm::tlm_generic_payload& p);
    bool get_direct_mem_ptr(int id, ::tlm::tlm_generic_payload& p, ::tlm::tlm_dmi& dmi);
    void invalidate_direct_mem_ptr(int port, sc_dt::uint64 start, sc_dt::uint64 end);
    void end_of_elaboration() override;

    std::vector<MapEntry> m_map;
    mutable const MapEntry* m_last = nullptr;  // last find() hit (devices are polled in loops)
};

}  // namespace presil::tlm
