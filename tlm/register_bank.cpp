// SPDX-License-Identifier: Apache-2.0
// Register bank: O(1) word decode, access-kind rules as a table, sub-word and byte-enabled
// accesses assembled into one masked 32-bit read or write per register.
//
// Data bytes map to register bytes little-endian: byte i of the payload is address a+i, which is
// bits [8*(a+i)%4 ...] of the register at word (a+i)/4. An access touching an unmapped word fails
// as a whole before any callback runs.
#include "tlm/register_bank.h"

#include <array>
#include <stdexcept>

#include <fmt/format.h>

#include "tlm/payload.h"

namespace presil::tlm {

namespace {

/// Largest register offset the dense decode table accepts.
constexpr uint64_t kMaxOffset = 16u << 20;

uint32_t merge(uint32_t old_value, uint32_t data, uint32_t mask) {
    return (old_value & ~mask) | (data & mask);
}

uint32_t clear_ones(uint32_t old_value, uint32_t data, uint32_t mask) {
    return old_value & ~(data & mask);
}

/// What each access kind does on the bus.
struct AccessRule {
    bool readable;                              // bus reads see the value (else 0)
    uint32_t (*write)(uint32_t, uint32_t, uint32_t);  // new value, or nullptr: write ignored
};

constexpr std::array<AccessRule, 4> kAccessRules{{
    /* ReadWrite       */ {true, merge},
    /* ReadOnly        */ {true, nullptr},
    /* WriteOnly       */ {false, merge},
    /* WriteOneToClear */ {true, clear_ones},
}};

}  // namespace

Register& RegisterBank::add(RegisterDef def) {
    if (def.offset % 4 != 0)
        throw std::invalid_argument(
            fmt::format("register '{}': offset {:#x} is not a multiple of 4", def.name, def.offset));
    if (def.offset >= kMaxOffset)
        throw std::invalid_argument(
            fmt::format("register '{}': offset {:#x} is too large", def.name, def.offset));
    const uint64_t word = def.offset >> 2;
    if (word < m_index.size() && m_index[word] != nullptr)
        throw std::invalid_argument(fmt::format("register '{}': offset {:#x} is already used by '{}'",
                                                def.name, def.offset, m_index[word]->name()));
    for (const Register& r : m_registers)
        if (r.name() == def.name)
            throw std::invalid_argument(fmt::format("register '{}' is declared twice", def.name));
    Register& reg = m_registers.emplace_back(std::move(def));
    if (word >= m_index.size()) m_index.resize(word + 1, nullptr);
    m_index[word] = &reg;
    return reg;
}

Register& RegisterBank::operator[](std::string_view name) {
    for (Register& r : m_registers)
        if (r.name() == name) return r;
    throw std::out_of_range(fmt::format("no register called '{}'", name));
}

void RegisterBank::reset() {
    for (Register& r : m_registers) r.reset();
}

void RegisterBank::attach(Socket& socket) {
    socket.register_b_transport(this, &RegisterBank::b_transport);
    socket.register_transport_dbg(this, &RegisterBank::transport_dbg);
}

// Inlined into both callers: the whole-word call's constant mask and lane drop the lane loops.
[[gnu::always_inline]] inline void RegisterBank::access_word(Register& reg, bool is_write, bool debug,
                                                             unsigned char* data, uint32_t mask, uint64_t addr) {
    // data points at the payload byte for `addr`; mask has the enabled lanes of the word (bit 8*lane).
    const unsigned lane0 = static_cast<unsigned>(addr & 3);
    const RegisterDef& def = reg.def();
    const AccessRule& rule = kAccessRules[static_cast<size_t>(def.access)];
    if (is_write) {
        uint32_t wdata = 0;
        for (unsigned lane = lane0; lane < 4; ++lane)
            if (mask & (0xffu << (8 * lane))) wdata |= static_cast<uint32_t>(data[lane - lane0]) << (8 * lane);
        const uint32_t old_value = reg.value();
        if (debug) {
            reg.set(merge(old_value, wdata, mask));
        } else if (rule.write != nullptr) {
            const uint32_t new_value = rule.write(old_value, wdata, mask & def.write_mask);
            reg.set(new_value);
            if (def.on_write) def.on_write(old_value, new_value);
        }
        return;
    }
    uint32_t value = reg.value();
    if (!debug && !rule.readable)
        value = 0;
    else if (def.on_read && (!debug || def.read_is_pure))
        value = def.on_read(value);
    for (unsigned lane = lane0; lane < 4; ++lane)
        if (mask & (0xffu << (8 * lane))) data[lane - lane0] = static_cast<unsigned char>(value >> (8 * lane));
}

::tlm::tlm_response_status RegisterBank::access(::tlm::tlm_generic_payload& p, bool debug) {
    const ::tlm::tlm_command cmd = p.get_command();
    if (cmd == ::tlm::TLM_IGNORE_COMMAND) return ::tlm::TLM_OK_RESPONSE;
    const uint64_t addr = p.get_address();
    const unsigned length = p.get_data_length();
    if (length == 0) return ::tlm::TLM_OK_RESPONSE;
    if (!debug && p.get_streaming_width() != 0 && p.get_streaming_width() < length)
        return ::tlm::TLM_BURST_ERROR_RESPONSE;
    const uint64_t last = addr + (length - 1);
    if (last < addr) return ::tlm::TLM_ADDRESS_ERROR_RESPONSE;
    const bool is_write = cmd == ::tlm::TLM_WRITE_COMMAND;
    unsigned char* data = p.get_data_ptr();
    if (length == 4 && (addr & 3) == 0 && p.get_byte_enable_ptr() == nullptr) {
        // One whole register, every byte enabled: the common case of a CPU access.
        Register* reg = find(addr);
        if (reg == nullptr) return ::tlm::TLM_ADDRESS_ERROR_RESPONSE;
        if (!is_write && (!reg->def().on_read || reg->def().read_is_pure)) mark_pure(p);
        access_word(*reg, is_write, debug, data, 0xffffffffu, addr);
        return ::tlm::TLM_OK_RESPONSE;
    }
    for (uint64_t w = addr & ~uint64_t{3}; w <= last; w += 4)
        if (find(w) == nullptr) return ::tlm::TLM_ADDRESS_ERROR_RESPONSE;

    unsigned i = 0;
    while (i < length) {
        const uint64_t word_addr = (addr + i) & ~uint64_t{3};
        Register& reg = *find(word_addr);
        // This word's enabled byte lanes.
        const unsigned first = i;
        uint32_t mask = 0;
        for (; i < length && ((addr + i) & ~uint64_t{3}) == word_addr; ++i) {
            if (byte_enabled(p, i)) mask |= 0xffu << (8 * static_cast<unsigned>((addr + i) & 3));
        }
        if (mask == 0) continue;
        access_word(reg, is_write, debug, data + first, mask, addr + first);
    }
    return ::tlm::TLM_OK_RESPONSE;
}

void RegisterBank::b_transport(::tlm::tlm_generic_payload& p, sc_core::sc_time& delay) {
    p.set_response_status(access(p, false));
    delay += m_delay;
}

unsigned RegisterBank::transport_dbg(::tlm::tlm_generic_payload& p) {
    const ::tlm::tlm_response_status status = access(p, true);
    p.set_response_status(status);
    return status == ::tlm::TLM_OK_RESPONSE ? p.get_data_length() : 0;
}

RegisterDevice::RegisterDevice(sc_core::sc_module_name name, sc_core::sc_time access_delay)
    : sc_core::sc_module(name), socket("socket") {
    m_regs.set_access_delay(access_delay);
    socket.register_b_transport(this, &RegisterDevice::b_transport);
    socket.register_transport_dbg(this, &RegisterDevice::transport_dbg);
}

void RegisterDevice::reset() { m_regs.reset(); }

}  // namespace presil::tlm
