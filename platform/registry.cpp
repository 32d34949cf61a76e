// SPDX-License-Identifier: Apache-2.0
// The device and CPU registries filled by static registrar objects.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>

#include "platform/cpu_registry.h"
#include "platform/device.h"

namespace presil::platform {
namespace {

// Function-local statics: registrars in other translation units may run first.
std::map<std::string, DeviceType, std::less<>>& device_table() {
    static std::map<std::string, DeviceType, std::less<>> table;
    return table;
}

std::map<std::string, CpuType, std::less<>>& cpu_table() {
    static std::map<std::string, CpuType, std::less<>> table;
    return table;
}

}  // namespace

DeviceRegistrar::DeviceRegistrar(std::string type, std::string description, DeviceFactory create) {
    auto [it, added] = device_table().try_emplace(type, DeviceType{type, std::move(description), std::move(create)});
    if (!added) {
        std::fprintf(stderr, "presil: device type '%s' registered twice\n", type.c_str());
        std::abort();
    }
}

const DeviceType* find_device_type(std::string_view type) {
    auto it = device_table().find(type);
    return it == device_table().end() ? nullptr : &it->second;
}

std::vector<const DeviceType*> device_types() {
    std::vector<const DeviceType*> out;
    for (const auto& [name, t] : device_table()) out.push_back(&t);
    return out;
}

CpuRegistrar::CpuRegistrar(std::string isa, std::string description, CpuTraits traits, CpuFactory create) {
    auto [it, added] = cpu_table().try_emplace(isa, CpuType{isa, std::move(description), traits, std::move(create)});
    if (!added) {
        std::fprintf(stderr, "presil: CPU isa '%s' registered twice\n", isa.c_str());
        std::abort();
    }
}

const CpuType* find_cpu_type(std::string_view isa) {
    auto it = cpu_table().find(isa);
    return it == cpu_table().end() ? nullptr : &it->second;
}

std::vector<const CpuType*> cpu_types() {
    std::vector<const CpuType*> out;
    for (const auto& [name, t] : cpu_table()) out.push_back(&t);
    return out;
}

}  // namespace presil::platform
