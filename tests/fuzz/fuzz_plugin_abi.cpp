// SPDX-License-Identifier: Apache-2.0
// Fuzz target: RTL plugin descriptors (rtl-bridge/plugin_abi.h). The bytes describe a descriptor
// (ABI version, size, bus, ports with names, directions, widths and storage sizes, which
// functions are present); the stub functions give every port exactly the storage bytes the
// descriptor declares. validate_descriptor() must refuse what is malformed with RtlError; what it
// accepts must be safe to use: a Model created from it and every port bound and read/written
// through its Pin stays inside the declared storage (ASan checks).
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "rtl-bridge/model.h"
#include "rtl-bridge/plugin_abi.h"

namespace {

/// Reads the input front to back; past the end everything is zero.
struct Reader {
    const uint8_t* p;
    size_t n;
    uint8_t u8() { return n ? (--n, *p++) : 0; }
    uint32_t u32() { return uint32_t(u8()) | uint32_t(u8()) << 8 | uint32_t(u8()) << 16 | uint32_t(u8()) << 24; }
};

const char* const kNames[] = {"PCLK", "PRESETn", "PADDR", "PSEL", "PENABLE", "PWRITE", "PWDATA", "PRDATA",
                              "PREADY", "PSLVERR", "irq", "ACLK", "ARESETn", "s_axi_awaddr", "pclk", "PClk"};

/// One model instance: a separately allocated buffer per port, sized as declared.
struct Instance {
    std::vector<std::unique_ptr<uint8_t[]>> storage;
};
const presil_rtl_plugin* g_desc = nullptr;

void* stub_create(const char*) {
    auto* inst = new Instance;
    for (uint32_t i = 0; i < g_desc->port_count; ++i)
        inst->storage.push_back(std::make_unique<uint8_t[]>(g_desc->ports[i].bytes));
    return inst;
}
void stub_destroy(void* m) { delete static_cast<Instance*>(m); }
void stub_eval(void*) {}
void* stub_port_data(void* m, uint32_t i) {
    auto* inst = static_cast<Instance*>(m);
    return i < inst->storage.size() ? inst->storage[i].get() : nullptr;
}
int stub_set_input(void*, const char*, uint64_t) { return -1; }
int stub_get_output(void*, const char*, uint64_t*) { return -1; }
int stub_trace_open(void*, const char*) { return -1; }
void stub_trace_dump(void*, uint64_t) {}
void stub_trace_close(void*) {}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    Reader in{data, size};
    const uint8_t flags = in.u8();
    presil_rtl_plugin d{};
    d.abi_version = (flags & 1) ? in.u32() : PRESIL_RTL_ABI_VERSION;
    d.struct_size = (flags & 2) ? in.u32() : uint32_t(sizeof(presil_rtl_plugin));
    d.bus = in.u8() % 4;
    d.top = (flags & 4) ? nullptr : "fuzz_top";
    const uint32_t count = in.u8() % 12;
    std::vector<presil_rtl_port> ports(count);
    std::vector<std::string> names(count);
    for (uint32_t i = 0; i < count; ++i) {
        const uint8_t pick = in.u8();
        if (pick < 0xF0) names[i] = kNames[pick % 16];
        else
            for (uint8_t k = 0, len = in.u8() % 12; k < len; ++k) names[i] += char(in.u8() | 1);
        ports[i].name = (pick == 0xFF) ? nullptr : names[i].c_str();
        ports[i].dir = in.u8() % 4;
        ports[i].width = (flags & 8) ? in.u32() : in.u8();
        ports[i].bytes = (flags & 16) ? in.u32() % 64 : in.u8() % 17;
    }
    d.port_count = count;
    d.ports = count ? ports.data() : nullptr;
    const uint16_t present = uint16_t(in.u8() | in.u8() << 8) | ((flags & 64) ? 0 : 0x1FF);
    if (present & 1) d.create = stub_create;
    if (present & 2) d.destroy = stub_destroy;
    if (present & 4) d.eval = stub_eval;
    if (present & 8) d.port_data = stub_port_data;
    if (present & 16) d.set_input = stub_set_input;
    if (present & 32) d.get_output = stub_get_output;
    if (present & 64) d.trace_open = stub_trace_open;
    if (present & 128) d.trace_dump = stub_trace_dump;
    if (present & 256) d.trace_close = stub_trace_close;
    g_desc = &d;
    try {
        presil::rtl::validate_descriptor(&d, "fuzz");
    } catch (const presil::rtl::RtlError&) {
        return 0;
    }
    try {
        presil::rtl::Model model(d, "u0", "fuzz plugin");
        for (uint32_t i = 0; i < count; ++i) {
            const std::string name = ports[i].name;
            for (const bool output : {false, true}) {
                try {
                    const presil::rtl::Pin pin = model.pin_named(name, true, output, 1, 64);
                    if (pin) {
                        pin.write(~uint64_t{0});
                        (void)pin.read();
                    }
                } catch (const presil::rtl::RtlError&) {
                }
            }
        }
        presil::rtl::PortNaming naming;
        naming.prefix = "s_axi_";
        try {
            (void)model.pin("awaddr", naming, false, false, 1, 32);
        } catch (const presil::rtl::RtlError&) {
        }
        model.eval();
        try {
            model.trace_open("/nonexistent/trace.vcd");
        } catch (const presil::rtl::RtlError&) {
        }
    } catch (const presil::rtl::RtlError&) {
    }
    return 0;
}
