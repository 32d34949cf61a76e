// SPDX-License-Identifier: Apache-2.0
// Tests of `rtl:` board entries: every key typed, defaults, include overrides, the built bridge's
// configuration and IRQ routing, and a bus read through the renamed AXI4-Lite RTL in a run.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "platform/board.h"
#include "platform/board_builder.h"
#include "platform/simulation.h"
#include "tests/platform/test_types.h"

namespace presil::platform {
namespace {

/// Writes `text` to a fresh file in the test's temporary folder and returns its path.
std::string write_board(const std::string& name, const std::string& text) {
    std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                ("presil-board-rtl-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    std::ofstream(dir / name) << text;
    return (dir / name).string();
}

// The CRC-32 behind unconventional names (rtl-bridge/examples/axil_crc32_renamed.v), every key set.
constexpr const char* kRenamed =
    "board: rtl\n"
    "quantum: 4us\n"
    "cpus:\n"
    "  - { name: cpu0, isa: test-initiator, clock: 20MHz, options: { num-irq: 16, exit-from: 0x40000010, exit-after: 3us } }\n"
    "rtl:\n"
    "  - name: crc\n"
    "    model: axil_crc32_renamed\n"
    "    bus: axi4-lite\n"
    "    base: 0x40000000\n"
    "    size: 0x1000\n"
    "    clock: 50MHz\n"
    "    reset: { port: rst, active: high, cycles: 3 }\n"
    "    clocking: per-edge\n"
    "    sync: 2us\n"
    "    prefix: s_axi_\n"
    "    ports: { RRESP: s_axi_read_resp, ACLK: clk }\n"
    "    irq: { done_irq: 6 }\n"
    "    check: true\n"
    "    check_timeout: 32\n";

TEST(RtlBoard, ReadsEveryKey) {
    BoardDesc b = load_board(write_board("renamed.yaml", kRenamed));
    ASSERT_EQ(b.rtl.size(), 1u);
    const RtlDesc& r = b.rtl[0];
    EXPECT_EQ(r.name, "crc");
    EXPECT_EQ(r.model, "axil_crc32_renamed");
    EXPECT_EQ(r.plugin, "");
    EXPECT_EQ(r.bus, "axi-lite");  // normalised
    EXPECT_EQ(r.base, 0x40000000u);
    EXPECT_EQ(r.size, 0x1000u);
    EXPECT_EQ(r.clock_hz, 50'000'000u);
    EXPECT_EQ(r.reset_port, "rst");
    EXPECT_FALSE(r.reset_active_low);
    EXPECT_EQ(r.reset_cycles, 3u);
    EXPECT_TRUE(r.per_edge);
    EXPECT_EQ(r.sync, sc_core::sc_time(2, sc_core::SC_US));
    EXPECT_EQ(r.prefix, "s_axi_");
    ASSERT_EQ(r.ports.size(), 2u);
    EXPECT_EQ(r.ports[0], std::make_pair(std::string("RRESP"), std::string("s_axi_read_resp")));
    ASSERT_EQ(r.irqs.size(), 1u);
    EXPECT_EQ(r.irqs[0].output, "done_irq");
    EXPECT_EQ(r.irqs[0].line, 6u);
    EXPECT_TRUE(r.check);
    EXPECT_EQ(r.check_timeout, 32u);
    EXPECT_EQ(r.what(), "model axil_crc32_renamed");
}

TEST(RtlBoard, DefaultsAndIncludeOverrides) {
    write_board("rtl-base.yaml",
                "board: b\ncpus:\n  - { name: cpu0, isa: test-initiator, clock: 25MHz }\n"
                "rtl:\n  - { name: t, model: apb_timer, base: 0x40010000, size: 0x1000, irq: 2 }\n");
    write_board("libfake.so", "not really a library");
    BoardDesc base = load_board(write_board("rtl-base2.yaml", "include: rtl-base.yaml\nboard: b2\n"));
    ASSERT_EQ(base.rtl.size(), 1u);
    EXPECT_EQ(base.rtl[0].clock_hz, 25'000'000u);  // the CPU's clock
    EXPECT_EQ(base.rtl[0].bus, "");                // the model's
    EXPECT_TRUE(base.rtl[0].reset_active_low);
    EXPECT_EQ(base.rtl[0].reset_cycles, 2u);
    EXPECT_FALSE(base.rtl[0].per_edge);
    EXPECT_EQ(base.rtl[0].sync, sc_core::SC_ZERO_TIME);  // = the quantum when built
    EXPECT_EQ(base.rtl[0].irqs.at(0).output, "");
    EXPECT_FALSE(base.rtl[0].check);

    // `model: ~` drops the included model so a plugin can replace it (resolved next to the file).
    BoardDesc swapped = load_board(write_board(
        "rtl-swap.yaml", "include: rtl-base.yaml\nboard: b3\nrtl:\n  - { name: t, model: ~, plugin: libfake.so }\n"));
    ASSERT_EQ(swapped.rtl.size(), 1u);
    EXPECT_EQ(swapped.rtl[0].model, "");
    EXPECT_EQ(std::filesystem::path(swapped.rtl[0].plugin).filename(), "libfake.so");
    EXPECT_TRUE(std::filesystem::path(swapped.rtl[0].plugin).is_absolute());
    EXPECT_EQ(swapped.rtl[0].base, 0x40010000u);  // kept from the included entry

    // A file that is not a plugin is refused by the bridge, reported at the entry.
    BoardRuntime rt;
    try {
        Board board(swapped, rt);
        FAIL() << "no error";
    } catch (const ConfigError& e) {
        std::string what = e.what();
        EXPECT_NE(what.find("rtl-swap.yaml:4:5: RTL peripheral 't': "), std::string::npos) << what;
        EXPECT_NE(what.find("libfake.so"), std::string::npos) << what;
    }
}

TEST(RtlBoard, NoClockWithoutACpu) {
    std::string path = write_board("noclock.yaml", "board: n\nrtl:\n  - { name: t, model: apb_timer, base: 0x1000, size: 0x1000 }\n");
    try {
        load_board(path);
        FAIL() << "no error";
    } catch (const ConfigError& e) {
        EXPECT_EQ(std::string(e.what()),
                  path + ":3:5: missing required key 'clock' in RTL peripheral 't' (a board without CPUs has no default clock)");
    }
}

TEST(RtlBoard, BuildsTheBridgeAndRoutesItsInterrupt) {
    BoardRuntime rt;
    Board board(load_board(write_board("renamed.yaml", kRenamed)), rt);
    presil::rtl::RtlBridge* bridge = board.rtl("crc");
    ASSERT_NE(bridge, nullptr);
    EXPECT_EQ(board.rtl("nope"), nullptr);
    const presil::rtl::BridgeConfig& c = bridge->config();
    EXPECT_EQ(c.clock_period, sc_core::sc_time(20, sc_core::SC_NS));
    EXPECT_EQ(c.sync_period, sc_core::sc_time(2, sc_core::SC_US));
    EXPECT_EQ(c.clocking, presil::rtl::Clocking::PerEdge);
    EXPECT_EQ(c.reset_cycles, 3u);
    EXPECT_TRUE(c.check_protocol);
    EXPECT_EQ(c.checker_timeout, 32u);
    EXPECT_EQ(bridge->bus(), presil::rtl::Bus::AxiLite);
    EXPECT_EQ(bridge->irq_names(), std::vector<std::string>{"done_irq"});
    ASSERT_EQ(board.irq_routes().size(), 1u);
    EXPECT_EQ(board.irq_routes()[0].device, "crc");
    EXPECT_EQ(board.irq_routes()[0].output, "done_irq");
    EXPECT_EQ(board.irq_routes()[0].line, 6u);
    ASSERT_EQ(board.router().memory_map().size(), 1u);
    EXPECT_EQ(board.router().memory_map()[0].name, "crc");

    std::ostringstream out;
    board.print(out);
    EXPECT_NE(out.str().find("  crc          0x40000000 0x40000fff     4KiB  rtl model axil_crc32_renamed (axi-lite, "
                             "50MHz, per-edge)\n"),
              std::string::npos)
        << out.str();
    EXPECT_NE(out.str().find("  crc.done_irq         -> cpu0 IRQ 6\n"), std::string::npos) << out.str();
}

TEST(RtlBoard, SyncDefaultsToTheQuantum) {
    BoardRuntime rt;
    Board board(load_board(write_board("q.yaml", "board: q\nquantum: 7us\ncpus:\n  - { name: cpu0, isa: test-initiator, clock: 25MHz }\n"
                                                 "rtl:\n  - { name: t, model: apb_timer, base: 0x1000, size: 0x1000 }\n")),
                rt, sc_core::sc_time(3, sc_core::SC_US));
    EXPECT_EQ(board.rtl("t")->config().sync_period, sc_core::sc_time(3, sc_core::SC_US));  // the override
    EXPECT_EQ(board.rtl("t")->config().clock_period, sc_core::sc_time(40, sc_core::SC_NS));
    EXPECT_TRUE(board.irq_routes().empty());
}

TEST(RtlBoard, CpuReadsTheRtlThroughTheBus) {
    // The test CPU reads the CRC's ID register (offset 0x10) at 3us and exits with its value.
    RunOptions opts;
    opts.max_time = sc_core::sc_time(1, sc_core::SC_MS);
    Simulation sim(load_board(write_board("renamed.yaml", kRenamed)), opts);
    std::ostringstream log;
    EXPECT_EQ(sim.run(log), 0x43524333);
    presil::rtl::RtlBridge* bridge = sim.board().rtl("crc");
    ASSERT_NE(bridge, nullptr);
    EXPECT_GE(bridge->cycles(), 150u);  // 3us at 50MHz, per-edge clocking
    EXPECT_GT(bridge->bus_cycles(), 0u);
    EXPECT_TRUE(bridge->violations().empty());
}

}  // namespace
}  // namespace presil::platform
