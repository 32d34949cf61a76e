// SPDX-License-Identifier: Apache-2.0
// Register banks for device models: the register map declared once (name, offset, reset value,
// access kind, callbacks) and served over TLM with sub-word accesses and byte enables.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

namespace presil::tlm {

/// How the bus sees a register.
enum class Access : uint8_t {
    ReadWrite,        ///< reads return the value, writes store it
    ReadOnly,         ///< writes are ignored (no callback)
    WriteOnly,        ///< reads return 0 (no callback), writes store the value
    WriteOneToClear,  ///< reads return the value, writing 1 to a bit clears it
};

/// One 32-bit register, declared once in the device's register table.
struct RegisterDef {
    std::string name{};      ///< name for listings, errors and RegisterBank::operator[]
    uint32_t offset = 0;     ///< byte offset in the device window, a multiple of 4
    uint32_t reset = 0;      ///< value after reset()
    Access access = Access::ReadWrite;  ///< bus access kind
    /// Bus read: gets the stored value, returns what the bus sees (may have side effects, e.g.
    /// popping a FIFO). Not called by debug reads unless `read_is_pure`.
    std::function<uint32_t(uint32_t value)> on_read{};
    /// Bus write: called after the access kind stored the new value (never by debug writes).
    std::function<void(uint32_t old_value, uint32_t new_value)> on_write{};
    uint32_t write_mask = 0xffffffffu;  ///< bits a bus write may change (others keep their value)
    bool read_is_pure = false;  ///< on_read has no side effects: debug reads may call it
};

/// A register's definition plus its current value.
class Register {
public:
    /// Creates the register at its reset value.
    explicit Register(RegisterDef def) : m_def(std::move(def)), m_value(m_def.reset) {}
    /// The register's name.
    const std::string& name() const { return m_def.name; }
    /// Byte offset in the device window.
    uint32_t offset() const { return m_def.offset; }
    /// The declaration.
    const RegisterDef& def() const { return m_def; }
    /// The stored value (no callbacks).
    uint32_t value() const { return m_value; }
    /// Sets the stored value (no callbacks); devices use it to update status registers.
    void set(uint32_t value) { m_value = value; }
    /// Back to the reset value.
    void reset() { m_value = m_def.reset; }

private:
    RegisterDef m_def;
    uint32_t m_value;
};

/// A device's register map; also a TLM target implementation any module can attach to a socket.
class RegisterBank {
public:
    /// Socket type a module owns to serve the bank (see attach()).
    using Socket = tlm_utils::simple_target_socket<RegisterBank, 32>;

    /// Adds a register; throws std::invalid_argument for a misaligned, duplicate or too large
    /// offset or a duplicate name. The reference stays valid for the bank's lifetime.
    Register& add(RegisterDef def);
    /// The register at byte offset `offset` (any byte inside it), or nullptr.
    Register* find(uint64_t offset) {
        const uint64_t word = offset >> 2;
        return word < m_index.size() ? m_index[word] : nullptr;
    }
    /// The register called `name`; throws std::out_of_range (setup code, not per access).
    Register& operator[](std::string_view name);
    /// All registers in declaration order.
    const std::deque<Register>& registers() const { return m_registers; }
    /// Every register back to its reset value (no callbacks).
    void reset();

    /// Delay added to the annotated time of every bus access.
    void set_access_delay(sc_core::sc_time delay) { m_delay = delay; }
    /// The per-access delay.
    const sc_core::sc_time& access_delay() const { return m_delay; }

    /// Registers this bank's b_transport and transport_dbg on `socket`.
    void attach(Socket& socket);
    /// Serves a bus access at a device-local address (unmapped words → address error).
    void b_transport(::tlm::tlm_generic_payload& p, sc_core::sc_time& delay);
    /// Serves a debug access: no callbacks except pure reads; returns bytes transferred.
    unsigned transport_dbg(::tlm::tlm_generic_payload& p);

private:
    /// Reads or writes every word the payload touches; all must be mapped.
    ::tlm::tlm_response_status access(::tlm::tlm_generic_payload& p, bool debug);

    /// Reads or writes the enabled lanes (`mask`) of one register; `data` is the payload byte of `addr`.
    void access_word(Register& reg, bool is_write, bool debug, unsigned char* data, uint32_t mask, uint64_t addr);

    std::deque<Register> m_registers;
    std::vector<Register*> m_index;  // word offset → register
    sc_core::sc_time m_delay = sc_core::SC_ZERO_TIME;
};

/// Convenience base for devices that are only a register bank behind one target socket.
class RegisterDevice : public sc_core::sc_module {
public:
    /// Bus port serving regs().
    tlm_utils::simple_target_socket<RegisterDevice, 32> socket;

    /// Creates the device; every bus access adds `access_delay` to the annotated time.
    explicit RegisterDevice(sc_core::sc_module_name name,
                            sc_core::sc_time access_delay = sc_core::SC_ZERO_TIME);
    /// The register map.
    RegisterBank& regs() { return m_regs; }
    /// Resets the registers; devices extend it for their own state.
    virtual void reset();
    /// Sets the delay added to every bus access.
    void set_access_delay(sc_core::sc_time delay) { m_regs.set_access_delay(delay); }

private:
    void b_transport(::tlm::tlm_generic_payload& p, sc_core::sc_time& delay) {
        m_regs.b_transport(p, delay);
    }
    unsigned transport_dbg(::tlm::tlm_generic_payload& p) { return m_regs.transport_dbg(p); }

    RegisterBank m_regs;
};

}  // namespace presil::tlm
