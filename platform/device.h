// SPDX-License-Identifier: Apache-2.0
// Base class of memory-mapped devices and the factory that builds them by their YAML `type`.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <systemc>
#include <tlm>

#include "platform/options.h"

namespace presil::tlm {
class IrqOut;
}

namespace presil::platform {

/// A memory-mapped device of a board: one target socket, named interrupt outputs.
class Device : public sc_core::sc_module {
public:
    /// Passes the module name to SystemC; derived classes take the sc_module_name as their own
    /// constructor parameter too (factories call make_unique<X>(c.name.c_str(), ...)).
    explicit Device(sc_core::sc_module_name name) : sc_core::sc_module(name) {}
    /// The socket the board's router binds to (addresses are device-local, from 0).
    virtual ::tlm::tlm_target_socket<32>& bus_socket() = 0;
    /// Named interrupt output ("" = the single one), nullptr when there is no such output.
    virtual tlm::IrqOut* irq_out(std::string_view name) = 0;
    /// Names of the interrupt outputs (a single "" for a device with one output).
    virtual std::vector<std::string> irq_names() const = 0;
};

/// What the board gives a device factory.
struct DeviceConfig {
    std::string name;       ///< instance name (also the SystemC module name)
    std::string type;       ///< registered type name
    uint64_t base;          ///< bus address of the first register
    uint64_t size;          ///< size of the mapped window
    OptionReader& options;  ///< the entry's `options:`; the builder calls finish() afterwards
};

/// Builds a device from its configuration (throw ConfigError via options.fail() for bad options).
using DeviceFactory = std::function<std::unique_ptr<Device>(const DeviceConfig&)>;

/// A registered device type.
struct DeviceType {
    std::string type;         ///< YAML `type` name
    std::string description;  ///< one line for `presil boards`/errors
    DeviceFactory create;     ///< the factory
};

/// Registers a device type at static-initialisation time:
/// `static const DeviceRegistrar reg{"cmsdk-apb-uart", "CMSDK APB UART", factory};`
class DeviceRegistrar {
public:
    /// Adds the type to the registry (a duplicate name aborts with a message).
    DeviceRegistrar(std::string type, std::string description, DeviceFactory create);
};

/// The registered type called `type`, or nullptr.
const DeviceType* find_device_type(std::string_view type);
/// Every registered device type, sorted by name.
std::vector<const DeviceType*> device_types();

}  // namespace presil::platform
