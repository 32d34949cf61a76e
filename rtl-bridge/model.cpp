// SPDX-License-Identifier: Apache-2.0
// Model instances over the plugin ABI: descriptor validation, dlopen of plugins, port binding.
//
// Every RTL model, built in or loaded, is reached through a presil_rtl_plugin
// descriptor (plugin_abi.h). This file owns the checks that make a bad plugin
// a clear error instead of a crash, and the port lookup by conventional name.
#include "rtl-bridge/model.h"

#include <dlfcn.h>

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

namespace presil::rtl {

namespace {

struct BusNameRow {
    std::string_view text;
    Bus bus;
};

constexpr BusNameRow kBusNames[] = {
    {"apb", Bus::Apb},           {"apb3", Bus::Apb},           {"apb4", Bus::Apb},
    {"axi-lite", Bus::AxiLite},  {"axi4-lite", Bus::AxiLite},  {"axil", Bus::AxiLite},
    {"axi_lite", Bus::AxiLite},
};

bool iequal(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

}  // namespace

std::string_view bus_name(Bus bus) { return bus == Bus::Apb ? "apb" : "axi-lite"; }

Bus parse_bus(std::string_view text) {
    for (const auto& row : kBusNames)
        if (iequal(row.text, text)) return row.bus;
    throw RtlError(fmt::format("unknown RTL bus protocol '{}' (expected apb or axi-lite)", text));
}

const presil_rtl_plugin* find_builtin(std::string_view name) {
    for (const auto& m : builtin_models())
        if (name == m.name) return m.descriptor();
    return nullptr;
}

void validate_descriptor(const presil_rtl_plugin* d, const std::string& origin) {
    if (d == nullptr) throw RtlError(fmt::format("{}: the plugin returned no descriptor", origin));
    if (d->abi_version != PRESIL_RTL_ABI_VERSION)
        throw RtlError(fmt::format(
            "{}: plugin ABI version {} does not match presil's RTL plugin ABI version {}; rebuild "
            "it with 'presil rtl build'",
            origin, d->abi_version, PRESIL_RTL_ABI_VERSION));
    if (d->struct_size < sizeof(presil_rtl_plugin))
        throw RtlError(fmt::format("{}: plugin descriptor is {} bytes, expected {}", origin,
                                   d->struct_size, sizeof(presil_rtl_plugin)));
    if (d->bus != PRESIL_RTL_BUS_APB && d->bus != PRESIL_RTL_BUS_AXI_LITE)
        throw RtlError(fmt::format("{}: plugin declares unknown bus kind {}", origin, d->bus));
    if (d->top == nullptr || d->ports == nullptr || d->port_count == 0)
        throw RtlError(fmt::format("{}: plugin descriptor has no top name or no ports", origin));
    // Pins read and write port storage by its declared size: it must be Verilator's storage for
    // the width (1, 2, 4, 8 bytes, or 4 bytes per 32-bit word above 64 bits).
    for (uint32_t i = 0; i < d->port_count; ++i) {
        const presil_rtl_port& p = d->ports[i];
        if (p.name == nullptr)
            throw RtlError(fmt::format("{}: plugin port {} has no name", origin, i));
        if (p.dir != PRESIL_RTL_IN && p.dir != PRESIL_RTL_OUT && p.dir != PRESIL_RTL_INOUT)
            throw RtlError(fmt::format("{}: plugin port '{}' has unknown direction {}", origin, p.name, p.dir));
        if (p.width == 0) throw RtlError(fmt::format("{}: plugin port '{}' is 0 bits wide", origin, p.name));
        const uint64_t want = p.width <= 8    ? 1
                              : p.width <= 16 ? 2
                              : p.width <= 32 ? 4
                              : p.width <= 64 ? 8
                                              : 4 * ((uint64_t(p.width) + 31) / 32);
        if (p.bytes != want)
            throw RtlError(fmt::format("{}: plugin port '{}' is {} bits wide with {} storage bytes, expected {}",
                                       origin, p.name, p.width, p.bytes, want));
    }
    struct Fn {
        const char* name;
        bool present;
    };
    const Fn fns[] = {
        {"create", d->create != nullptr},           {"destroy", d->destroy != nullptr},
        {"eval", d->eval != nullptr},               {"port_data", d->port_data != nullptr},
        {"set_input", d->set_input != nullptr},     {"get_output", d->get_output != nullptr},
        {"trace_open", d->trace_open != nullptr},   {"trace_dump", d->trace_dump != nullptr},
        {"trace_close", d->trace_close != nullptr},
    };
    for (const auto& f : fns)
        if (!f.present)
            throw RtlError(fmt::format("{}: plugin descriptor lacks function '{}'", origin, f.name));
}

PluginLibrary::PluginLibrary(const std::string& path) : m_path(path) {
    m_handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (m_handle == nullptr) {
        const char* err = dlerror();
        throw RtlError(fmt::format("cannot load RTL plugin {}: {}", path, err ? err : "unknown error"));
    }
    void* sym = dlsym(m_handle, PRESIL_RTL_ENTRY_SYMBOL);
    if (sym == nullptr) {
        dlclose(m_handle);
        m_handle = nullptr;
        throw RtlError(fmt::format("{} is not a presil RTL plugin: it does not export '{}'", path,
                                   PRESIL_RTL_ENTRY_SYMBOL));
    }
    auto entry = reinterpret_cast<presil_rtl_entry_fn>(sym);
    try {
        m_desc = entry();
        validate_descriptor(m_desc, "RTL plugin " + path);
    } catch (...) {
        dlclose(m_handle);
        m_handle = nullptr;
        throw;
    }
}

PluginLibrary::~PluginLibrary() {
    if (m_handle) dlclose(m_handle);
}

Model::Model(const presil_rtl_plugin& desc, const std::string& instance_name, std::string origin)
    : m_desc(desc), m_instance(instance_name), m_origin(std::move(origin)) {
    validate_descriptor(&desc, m_origin);
    m_handle = desc.create(instance_name.c_str());
    if (m_handle == nullptr)
        throw RtlError(fmt::format("{}: creating instance '{}' failed", m_origin, instance_name));
    m_eval = desc.eval;
}

Model::~Model() {
    if (m_handle) m_desc.destroy(m_handle);
}

int Model::find_port(std::string_view name) const {
    int nocase = -1;
    int nocase_hits = 0;
    for (uint32_t i = 0; i < m_desc.port_count; ++i) {
        std::string_view n = m_desc.ports[i].name;
        if (n == name) return static_cast<int>(i);
        if (iequal(n, name)) {
            nocase = static_cast<int>(i);
            ++nocase_hits;
        }
    }
    return nocase_hits == 1 ? nocase : -1;
}

Pin Model::pin_named(const std::string& name, bool required, bool output, uint32_t min_width,
                     uint32_t max_width) const {
    int i = find_port(name);
    if (i < 0) {
        if (!required) return {};
        throw RtlError(fmt::format("{} (top '{}'): required port '{}' not found", m_origin,
                                   m_desc.top, name));
    }
    const presil_rtl_port& p = m_desc.ports[i];
    bool is_output = p.dir == PRESIL_RTL_OUT;
    if (is_output != output && p.dir != PRESIL_RTL_INOUT)
        throw RtlError(fmt::format("{} (top '{}'): port '{}' must be an {}", m_origin, m_desc.top,
                                   p.name, output ? "output" : "input"));
    if (p.width < min_width || p.width > max_width || p.bytes > 8) {
        std::string want = min_width == max_width ? fmt::format("{} bits", min_width)
                                                  : fmt::format("{}..{} bits", min_width, max_width);
        throw RtlError(fmt::format("{} (top '{}'): port '{}' is {} bits wide, expected {}", m_origin,
                                   m_desc.top, p.name, p.width, want));
    }
    return Pin(m_desc.port_data(m_handle, static_cast<uint32_t>(i)), p.bytes, p.width);
}

Pin Model::pin(std::string_view conv, const PortNaming& naming, bool required, bool output,
               uint32_t min_width, uint32_t max_width) const {
    auto it = naming.rename.find(std::string(conv));
    std::string name = it != naming.rename.end() ? it->second : naming.prefix + std::string(conv);
    return pin_named(name, required, output, min_width, max_width);
}

void Model::trace_open(const std::string& path) {
    if (m_tracing) return;
    if (m_desc.trace_open(m_handle, path.c_str()) != 0)
        throw RtlError(fmt::format("{}: cannot open VCD trace file '{}' for instance '{}'", m_origin,
                                   path, m_instance));
    m_tracing = true;
}

void Model::trace_close() {
    if (!m_tracing) return;
    m_desc.trace_close(m_handle);
    m_tracing = false;
}

}  // namespace presil::rtl
