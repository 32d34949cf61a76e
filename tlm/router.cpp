// SPDX-License-Identifier: Apache-2.0
// Router: address decode, global→local translation, DMI range translation and clipping,
// DMI invalidation fan-out back to every initiator, piecewise debug transport.
//
// The map is a vector sorted by base; decode is a binary search. Accesses that are unmapped or
// run past the end of their region get TLM_ADDRESS_ERROR_RESPONSE. The payload's address (and
// for debug transport its data pointer and length) is restored before returning.
#include "tlm/router.h"

#include <algorithm>

#include <fmt/format.h>

namespace presil::tlm {

namespace {

uint64_t last_address(uint64_t base, uint64_t size) { return base + (size - 1); }

std::string region_text(const std::string& name, uint64_t base, uint64_t size) {
    return fmt::format("'{}' [{:#x}..{:#x}]", name, base, last_address(base, size));
}

}  // namespace

Router::Router(sc_core::sc_module_name name)
    : sc_core::sc_module(name), target_socket("target_socket"), initiator_socket("initiator_socket") {
    target_socket.register_b_transport(this, &Router::b_transport);
    target_socket.register_transport_dbg(this, &Router::transport_dbg);
    target_socket.register_get_direct_mem_ptr(this, &Router::get_direct_mem_ptr);
    initiator_socket.register_invalidate_direct_mem_ptr(this, &Router::invalidate_direct_mem_ptr);
}

std::string Router::default_region_name(const sc_core::sc_object& target) {
    const sc_core::sc_object* parent = target.get_parent_object();
    return parent != nullptr ? parent->name() : target.name();
}

void Router::check_region(uint64_t base, uint64_t size, uint64_t offset,
                          const std::string& name) const {
    if (size == 0)
        throw MapError(fmt::format("{}: region '{}' at {:#x} has size 0", this->name(), name, base));
    if (base + (size - 1) < base)
        throw MapError(fmt::format("{}: region '{}' at {:#x} size {:#x} wraps past the end of the "
                                   "address space", this->name(), name, base, size));
    if (offset + (size - 1) < offset)
        throw MapError(fmt::format("{}: region '{}' local offset {:#x} size {:#x} wraps past the "
                                   "end of the target's address space", this->name(), name, offset,
                                   size));
    const uint64_t last = last_address(base, size);
    for (const MapEntry& e : m_map) {
        if (base <= last_address(e.base, e.size) && e.base <= last)
            throw MapError(fmt::format("{}: region {} overlaps region {}", this->name(),
                                       region_text(name, base, size),
                                       region_text(e.name, e.base, e.size)));
    }
}

void Router::map(unsigned port, uint64_t base, uint64_t size, uint64_t offset, std::string name) {
    if (name.empty()) name = fmt::format("port{}@{:#x}", port, base);
    check_region(base, size, offset, name);
    MapEntry entry{std::move(name), base, size, offset, port};
    auto pos = std::upper_bound(m_map.begin(), m_map.end(), base,
                                [](uint64_t b, const MapEntry& e) { return b < e.base; });
    m_map.insert(pos, std::move(entry));
    m_last = nullptr;
}

const Router::MapEntry* Router::find(uint64_t addr) const {
    if (m_last && addr - m_last->base < m_last->size) return m_last;
    auto it = std::upper_bound(m_map.begin(), m_map.end(), addr,
                               [](uint64_t a, const MapEntry& e) { return a < e.base; });
    if (it == m_map.begin()) return nullptr;
    --it;
    if (addr - it->base >= it->size) return nullptr;
    m_last = &*it;
    return m_last;
}

std::string Router::describe_map() const {
    std::string out;
    for (const MapEntry& e : m_map)
        out += fmt::format("{:#018x}..{:#018x} {} -> port {} @ {:#x}\n", e.base,
                           last_address(e.base, e.size), e.name, e.port, e.offset);
    return out;
}

void Router::end_of_elaboration() {
    const unsigned bound = initiator_socket.size();
    for (const MapEntry& e : m_map)
        if (e.port >= bound)
            throw MapError(fmt::format("{}: region {} uses target port {} but only {} target(s) "
                                       "are bound", name(), region_text(e.name, e.base, e.size),
                                       e.port, bound));
}

void Router::b_transport(int, ::tlm::tlm_generic_payload& p, sc_core::sc_time& delay) {
    const uint64_t addr = p.get_address();
    const MapEntry* e = find(addr);
    // Bytes touched: the streaming width when it is narrower than the data (a FIFO burst).
    unsigned span = p.get_data_length();
    const unsigned width = p.get_streaming_width();
    if (width != 0 && width < span) span = width;
    if (e == nullptr || (span != 0 && span - 1 > last_address(e->base, e->size) - addr)) {
        p.set_response_status(::tlm::TLM_ADDRESS_ERROR_RESPONSE);
        return;
    }
    p.set_address(addr - e->base + e->offset);
    initiator_socket[e->port]->b_transport(p, delay);
    p.set_address(addr);
}

unsigned Router::transport_dbg(int, ::tlm::tlm_generic_payload& p) {
    const uint64_t addr = p.get_address();
    unsigned char* const data = p.get_data_ptr();
    const unsigned length = p.get_data_length();
    unsigned done = 0;
    bool unmapped = false;
    // A debug access may cover several adjacent regions (a loader or debugger reading a range).
    while (done < length) {
        const uint64_t cur = addr + done;
        const MapEntry* e = find(cur);
        if (e == nullptr) {
            unmapped = true;
            break;
        }
        const uint64_t room_minus_one = last_address(e->base, e->size) - cur;
        const unsigned chunk =
            static_cast<unsigned>(std::min<uint64_t>(length - done - 1, room_minus_one)) + 1;
        p.set_address(cur - e->base + e->offset);
        p.set_data_ptr(data + done);
        p.set_data_length(chunk);
        const unsigned n = initiator_socket[e->port]->transport_dbg(p);
        done += std::min(n, chunk);
        if (n < chunk) break;
    }
    p.set_address(addr);
    p.set_data_ptr(data);
    p.set_data_length(length);
    if (unmapped && done == 0)
        p.set_response_status(::tlm::TLM_ADDRESS_ERROR_RESPONSE);
    else if (done == length)
        p.set_response_status(::tlm::TLM_OK_RESPONSE);
    return done;
}

bool Router::get_direct_mem_ptr(int, ::tlm::tlm_generic_payload& p, ::tlm::tlm_dmi& dmi) {
    const uint64_t addr = p.get_address();
    const MapEntry* e = find(addr);
    if (e == nullptr) {
        // Deny DMI over the whole hole around addr so the initiator does not ask again.
        auto next = std::upper_bound(m_map.begin(), m_map.end(), addr,
                                     [](uint64_t a, const MapEntry& m) { return a < m.base; });
        dmi.set_start_address(next == m_map.begin()
                                  ? 0
                                  : last_address(std::prev(next)->base, std::prev(next)->size) + 1);
        dmi.set_end_address(next == m_map.end() ? ~uint64_t{0} : next->base - 1);
        dmi.set_granted_access(::tlm::tlm_dmi::DMI_ACCESS_NONE);
        return false;
    }
    p.set_address(addr - e->base + e->offset);
    bool granted = initiator_socket[e->port]->get_direct_mem_ptr(p, dmi);
    p.set_address(addr);

    // Clip the target's local range to the part this region maps, then make it global.
    const uint64_t lo = e->offset;
    const uint64_t hi = last_address(e->offset, e->size);
    uint64_t start = dmi.get_start_address();
    uint64_t end = dmi.get_end_address();
    if (start < lo) {
        if (dmi.get_dmi_ptr() != nullptr) dmi.set_dmi_ptr(dmi.get_dmi_ptr() + (lo - start));
        start = lo;
    }
    end = std::min(end, hi);
    const uint64_t local = addr - e->base + e->offset;
    if (start > local || end < local) {
        // The target answered for a range that does not hold the address: refuse DMI here.
        start = end = local;
        granted = false;
        dmi.set_granted_access(::tlm::tlm_dmi::DMI_ACCESS_NONE);
    }
    dmi.set_start_address(start - lo + e->base);
    dmi.set_end_address(end - lo + e->base);
    return granted;
}

void Router::invalidate_direct_mem_ptr(int port, sc_dt::uint64 start, sc_dt::uint64 end) {
    // A target may be mapped more than once (aliases): invalidate every window onto it.
    for (const MapEntry& e : m_map) {
        if (e.port != static_cast<unsigned>(port)) continue;
        const uint64_t lo = std::max<uint64_t>(start, e.offset);
        const uint64_t hi = std::min<uint64_t>(end, last_address(e.offset, e.size));
        if (lo > hi) continue;
        const uint64_t global_lo = lo - e.offset + e.base;
        const uint64_t global_hi = hi - e.offset + e.base;
        for (unsigned i = 0; i < target_socket.size(); ++i)
            target_socket[static_cast<int>(i)]->invalidate_direct_mem_ptr(global_lo, global_hi);
    }
}

}  // namespace presil::tlm
