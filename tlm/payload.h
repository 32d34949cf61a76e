// SPDX-License-Identifier: Apache-2.0
// Small helpers around tlm_generic_payload: set up reads/writes, byte enables, readable names.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <tlm>

namespace presil::tlm {

/// Resets `p` to a fresh transaction: command, address, data, length (streaming width = length),
/// no byte enables, response TLM_INCOMPLETE_RESPONSE, dmi hint cleared.
void init_payload(::tlm::tlm_generic_payload& p, ::tlm::tlm_command cmd, uint64_t address,
                  void* data, unsigned length);

/// Prepares `p` as a read of `length` bytes at `address` into `data`.
inline void make_read(::tlm::tlm_generic_payload& p, uint64_t address, void* data, unsigned length) {
    init_payload(p, ::tlm::TLM_READ_COMMAND, address, data, length);
}

/// Prepares `p` as a write of `length` bytes from `data` to `address`.
inline void make_write(::tlm::tlm_generic_payload& p, uint64_t address, const void* data,
                       unsigned length) {
    init_payload(p, ::tlm::TLM_WRITE_COMMAND, address, const_cast<void*>(data), length);
}

/// True when byte `i` of the payload's data is enabled (no byte-enable array = all enabled).
inline bool byte_enabled(const ::tlm::tlm_generic_payload& p, unsigned i) {
    const unsigned char* be = p.get_byte_enable_ptr();
    if (be == nullptr) return true;
    unsigned n = p.get_byte_enable_length();
    return n == 0 || be[i % n] == TLM_BYTE_ENABLED;
}

/// Attached by an initiator to learn that a read had no side effects: a target
/// that knows its read changed nothing and scheduled no event sets `pure`;
/// any other target leaves it as the initiator cleared it (false, the safe
/// answer). A CPU uses it to skip looking for events a device access may have
/// scheduled (a status-register poll is the common device access).
struct PureAccess : ::tlm::tlm_extension<PureAccess> {
    bool pure = false;
    ::tlm::tlm_extension_base* clone() const override {
        auto* e = new PureAccess;
        e->pure = pure;
        return e;
    }
    void copy_from(const ::tlm::tlm_extension_base& other) override {
        pure = static_cast<const PureAccess&>(other).pure;
    }
};

/// Marks `p`'s read as free of side effects, if the initiator asked (a PureAccess is attached).
inline void mark_pure(::tlm::tlm_generic_payload& p) {
    if (PureAccess* e = p.get_extension<PureAccess>()) e->pure = true;
}

/// The response status spelled as in the standard (e.g. "TLM_ADDRESS_ERROR_RESPONSE").
std::string_view response_to_string(::tlm::tlm_response_status status);

/// The command as "read", "write" or "ignore".
std::string_view command_to_string(::tlm::tlm_command cmd);

/// One line describing a transaction: "write 4 bytes at 0x40004000: TLM_OK_RESPONSE".
std::string describe(const ::tlm::tlm_generic_payload& p);

}  // namespace presil::tlm
