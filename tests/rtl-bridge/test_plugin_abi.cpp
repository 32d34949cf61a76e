// SPDX-License-Identifier: Apache-2.0
// Plugin loader refusals: ABI mismatch, missing entry point, missing file, incomplete descriptor.
#include <gtest/gtest.h>

#include <string>

#include "rtl-bridge/bridge.h"
#include "rtl-bridge/build.h"
#include "rtl-bridge/model.h"

using presil::rtl::PluginLibrary;
using presil::rtl::RtlError;

namespace {

std::string error_of(const std::string& path) {
    try {
        PluginLibrary lib(path);
    } catch (const RtlError& e) {
        return e.what();
    }
    return "no error";
}

TEST(PluginAbi, RefusesAnotherAbiVersion) {
    const std::string msg = error_of(PRESIL_TEST_BAD_ABI_PLUGIN);
    EXPECT_NE(msg.find("plugin ABI version 999 does not match presil's RTL plugin ABI version 1"),
              std::string::npos)
        << msg;
    EXPECT_NE(msg.find(PRESIL_TEST_BAD_ABI_PLUGIN), std::string::npos) << msg;
}

TEST(PluginAbi, RefusesALibraryWithoutTheEntryPoint) {
    const std::string msg = error_of(PRESIL_TEST_NO_ENTRY_PLUGIN);
    EXPECT_NE(msg.find("is not a presil RTL plugin: it does not export 'presil_rtl_plugin_entry'"),
              std::string::npos)
        << msg;
}

TEST(PluginAbi, RefusesAMissingFile) {
    const std::string msg = error_of("/nonexistent/libnothing.so");
    EXPECT_NE(msg.find("cannot load RTL plugin /nonexistent/libnothing.so"), std::string::npos) << msg;
}

/// A current-ABI APB descriptor with these ports and no functions (validation stops at the first missing one).
presil_rtl_plugin apb_descriptor(const presil_rtl_port* ports, uint32_t count) {
    presil_rtl_plugin d{};
    d.abi_version = PRESIL_RTL_ABI_VERSION;
    d.struct_size = sizeof d;
    d.top = "t";
    d.bus = PRESIL_RTL_BUS_APB;
    d.port_count = count;
    d.ports = ports;
    return d;
}

TEST(PluginAbi, RefusesPortsWhoseStorageDoesNotFitTheirWidth) {
    // Pins read and write the declared storage size: 32 bits in 3 bytes would overrun it.
    presil_rtl_port ports[] = {{"PCLK", PRESIL_RTL_IN, 1, 1}, {"PWDATA", PRESIL_RTL_IN, 32, 3}};
    presil_rtl_plugin d = apb_descriptor(ports, 2);
    auto message = [&] {
        try {
            presil::rtl::validate_descriptor(&d, "test");
        } catch (const RtlError& e) {
            return std::string(e.what());
        }
        return std::string("accepted");
    };
    EXPECT_EQ(message(), "test: plugin port 'PWDATA' is 32 bits wide with 3 storage bytes, expected 4");
    ports[1] = {"PWDATA", PRESIL_RTL_IN, 0, 4};
    EXPECT_EQ(message(), "test: plugin port 'PWDATA' is 0 bits wide");
    ports[1] = {"PWDATA", 7, 32, 4};
    EXPECT_EQ(message(), "test: plugin port 'PWDATA' has unknown direction 7");
    ports[1] = {nullptr, PRESIL_RTL_IN, 32, 4};
    EXPECT_EQ(message(), "test: plugin port 1 has no name");
    ports[1] = {"WIDE", PRESIL_RTL_OUT, 65, 12};
    EXPECT_EQ(message(), "test: plugin descriptor lacks function 'create'");  // ports fine
}

TEST(PluginAbi, RefusesAnIncompleteDescriptor) {
    const presil_rtl_port ports[] = {{"PCLK", PRESIL_RTL_IN, 1, 1}};
    presil_rtl_plugin d = apb_descriptor(ports, 1);
    try {
        presil::rtl::validate_descriptor(&d, "test");
        ADD_FAILURE() << "accepted";
    } catch (const RtlError& e) {
        EXPECT_STREQ(e.what(), "test: plugin descriptor lacks function 'create'");
    }
    d.bus = 7;
    try {
        presil::rtl::validate_descriptor(&d, "test");
        ADD_FAILURE() << "accepted";
    } catch (const RtlError& e) {
        EXPECT_STREQ(e.what(), "test: plugin declares unknown bus kind 7");
    }
}

TEST(PluginAbi, BuiltinModelsAreListed) {
    ASSERT_NE(presil::rtl::find_builtin("apb_timer"), nullptr);
    ASSERT_NE(presil::rtl::find_builtin("axil_crc32"), nullptr);
    EXPECT_EQ(presil::rtl::find_builtin("nope"), nullptr);
    const presil_rtl_plugin* d = presil::rtl::find_builtin("axil_crc32");
    EXPECT_EQ(d->bus, unsigned(PRESIL_RTL_BUS_AXI_LITE));
    EXPECT_STREQ(d->top, "axil_crc32");
    EXPECT_NO_THROW(presil::rtl::validate_descriptor(d, "builtin"));
    EXPECT_EQ(presil::rtl::parse_bus("APB4"), presil::rtl::Bus::Apb);
    EXPECT_EQ(presil::rtl::parse_bus("axi4-lite"), presil::rtl::Bus::AxiLite);
    EXPECT_THROW(presil::rtl::parse_bus("ahb"), RtlError);
    EXPECT_EQ(presil::rtl::parse_clocking("per-edge"), presil::rtl::Clocking::PerEdge);
    EXPECT_EQ(presil::rtl::parse_clocking("lazy"), presil::rtl::Clocking::Lazy);
    EXPECT_THROW(presil::rtl::parse_clocking("sometimes"), RtlError);
}

TEST(PluginAbi, ModelPortsBySetInputAndGetOutput) {
    const presil_rtl_plugin* d = presil::rtl::find_builtin("apb_timer");
    ASSERT_NE(d, nullptr);
    void* m = d->create("t");
    ASSERT_NE(m, nullptr);
    // Reset, then read the ID register combinationally through the by-name functions.
    EXPECT_EQ(d->set_input(m, "PRESETn", 0), 0);
    d->eval(m);
    EXPECT_EQ(d->set_input(m, "PRESETn", 1), 0);
    EXPECT_EQ(d->set_input(m, "PADDR", 0x18), 0);
    d->eval(m);
    uint64_t v = 0;
    EXPECT_EQ(d->get_output(m, "PRDATA", &v), 0);
    EXPECT_EQ(v, 0x41505430u);
    EXPECT_EQ(d->set_input(m, "PRDATA", 1), -1);  // an output
    EXPECT_EQ(d->get_output(m, "nope", &v), -1);
    d->destroy(m);
}

}  // namespace

namespace {

TEST(PluginBuild, RefusesMissingSourcesBeforeVerilating) {
    presil::rtl::PluginBuild b;
    b.top = "apb_timer";
    b.bus = presil::rtl::Bus::Apb;
    b.output = ::testing::TempDir() + "libnever.so";
    b.sources = {"/nonexistent/timer.v"};
    EXPECT_EQ(presil::rtl::build_plugin(b), 2);
    b.sources.clear();
    EXPECT_EQ(presil::rtl::build_plugin(b), 2);
}

}  // namespace
