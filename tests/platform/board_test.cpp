// SPDX-License-Identifier: Apache-2.0
// Tests of board loading (includes, defaults, positions) and of the board builder (map, IRQs, run).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "platform/board.h"
#include "platform/board_builder.h"
#include "platform/simulation.h"
#include "tests/platform/test_types.h"
#include "tlm/irq.h"

namespace presil::platform {
namespace {

const std::string kGood = std::string(PRESIL_TEST_SOURCE_DIR) + "/boards-good/";

/// Writes `text` to a fresh file in the test's temporary folder and returns its path.
std::string write_board(const std::string& name, const std::string& text) {
    std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                ("presil-board-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    std::ofstream(dir / name) << text;
    return (dir / name).string();
}

std::string load_error(const std::string& path) {
    try {
        load_board(path);
    } catch (const ConfigError& e) {
        return e.what();
    }
    return {};
}

TEST(BoardLoader, ReadsEveryKey) {
    BoardDesc b = load_board(kGood + "base.yaml");
    EXPECT_EQ(b.name, "test-base");
    EXPECT_EQ(b.description, "platform test board (test-initiator CPU, ROM, RAM, test devices)");
    EXPECT_EQ(b.quantum, sc_core::sc_time(1, sc_core::SC_US));
    EXPECT_TRUE(b.semihosting);
    ASSERT_EQ(b.cpus.size(), 1u);
    EXPECT_EQ(b.cpus[0].isa, "test-initiator");
    EXPECT_EQ(b.cpus[0].model, "tiny");
    EXPECT_EQ(b.cpus[0].timing, "tiny");  // defaults to the model
    EXPECT_EQ(b.cpus[0].clock_hz, 25'000'000u);
    ASSERT_EQ(b.memories.size(), 2u);
    EXPECT_EQ(b.memories[1].name, "ram");
    EXPECT_EQ(b.memories[1].base, 0x20000000u);
    EXPECT_EQ(b.memories[1].size, 64u << 10);
    EXPECT_EQ(b.memories[1].latency, sc_core::sc_time(10, sc_core::SC_NS));
    EXPECT_TRUE(b.memories[0].read_only());
    EXPECT_FALSE(b.memories[1].read_only());
    ASSERT_EQ(b.devices.size(), 2u);
    ASSERT_EQ(b.devices[0].irqs.size(), 1u);
    EXPECT_EQ(b.devices[0].irqs[0].output, "");
    EXPECT_EQ(b.devices[0].irqs[0].line, 3u);
    ASSERT_EQ(b.devices[1].irqs.size(), 2u);
    EXPECT_EQ(b.devices[1].irqs[1].output, "tx");
    EXPECT_EQ(b.devices[1].irqs[1].line, 5u);
    // Positions are 1-based in text: dev1's `base:` value is on line 21, column 11.
    EXPECT_EQ(b.devices[1].base_pos.str(), kGood + "base.yaml:20:11");
}

TEST(BoardLoader, IncludeMergesByName) {
    BoardDesc b = load_board(kGood + "derived.yaml");
    EXPECT_EQ(b.name, "test-derived");
    EXPECT_EQ(b.description, "platform test board (test-initiator CPU, ROM, RAM, test devices)");  // inherited
    EXPECT_EQ(b.quantum, sc_core::sc_time(2, sc_core::SC_US));                                       // overridden
    ASSERT_EQ(b.cpus.size(), 1u);
    EXPECT_EQ(b.cpus[0].isa, "test-initiator");
    ASSERT_EQ(b.cpus[0].options.size(), 2u);  // num-irq from base, exit-from added
    EXPECT_EQ(b.cpus[0].options[0].key, "num-irq");
    EXPECT_EQ(b.cpus[0].options[1].key, "exit-from");
    ASSERT_EQ(b.memories.size(), 2u);
    EXPECT_EQ(b.memories[1].size, 128u << 10);  // overridden
    EXPECT_EQ(b.memories[1].base, 0x20000000u); // kept
    EXPECT_EQ(b.memories[1].size_pos.str(), kGood + "derived.yaml:10:24");
    EXPECT_EQ(b.memories[1].base_pos.str(), kGood + "base.yaml:15:35");
    ASSERT_EQ(b.devices.size(), 3u);
    EXPECT_EQ(b.devices[2].name, "dev2");
}

TEST(BoardLoader, DefaultsWhenOptionalKeysAreAbsent) {
    std::string path = write_board("minimal.yaml", "board: m\nmemories:\n  - { name: ram, type: ram, base: 0, size: 1KiB }\n");
    BoardDesc b = load_board(path);
    EXPECT_EQ(b.quantum, sc_core::sc_time(10, sc_core::SC_US));
    EXPECT_FALSE(b.semihosting);
    EXPECT_TRUE(b.cpus.empty());
    EXPECT_EQ(b.memories[0].latency, sc_core::SC_ZERO_TIME);
}

TEST(BoardLoader, MissingFile) {
    EXPECT_EQ(load_error("/nonexistent/board.yaml"), "/nonexistent/board.yaml: cannot open board file");
}

TEST(BoardLoader, ErrorsInIncludedFilesPointIntoThem) {
    std::string base = write_board("inc-base.yaml", "board: b\nmemories:\n  - { name: ram, type: ram, base: 0, size: 12 parsecs }\n");
    std::string top = write_board("inc-top.yaml", "include: inc-base.yaml\nboard: t\n");
    EXPECT_EQ(load_error(top), base + ":3:44: 'size': expected a size: an integer (decimal or 0x..) optionally followed by "
                                      "KiB, MiB or GiB, e.g. 64KiB, got '12 parsecs' (unknown unit 'parsecs')");
}

TEST(BoardLoader, SixtyFourBitAddressesNeedAWideCpu) {
    std::string path = write_board("wide.yaml", "board: w\nmemories:\n  - { name: hi, type: ram, base: 0x100000000, size: 4KiB }\n");
    EXPECT_EQ(load_error(path), path + ":3:53: memory 'hi' at 0x100000000 with size 4KiB does not fit in the 32-bit address space of a 32-bit bus");
}

TEST(BoardLoader, UnknownCpuIsaNamesTheRegisteredOnes) {
    std::string path = write_board("isa.yaml", "board: x\ncpus:\n  - { name: c, isa: z80, clock: 4MHz }\n");
    EXPECT_EQ(load_error(path), path + ":3:21: unknown CPU isa 'z80' (registered: test-initiator)");
}

TEST(BoardBuilder, MapsMemoriesAndDevicesAndRoutesIrqs) {
    BoardRuntime rt;
    Board board(load_board(kGood + "base.yaml"), rt);
    EXPECT_TRUE(rt.semihosting());
    const auto& map = board.router().memory_map();
    ASSERT_EQ(map.size(), 4u);
    EXPECT_EQ(map[0].name, "rom");
    EXPECT_EQ(map[1].name, "ram");
    EXPECT_EQ(map[1].base, 0x20000000u);
    EXPECT_EQ(map[3].name, "dev1");
    EXPECT_EQ(map[3].size, 0x1000u);

    ASSERT_EQ(board.cpus().size(), 1u);
    auto& cpu = dynamic_cast<testing::TestCpu&>(*board.cpus()[0]);
    EXPECT_EQ(cpu.num_irqs(), 16u);
    EXPECT_EQ(cpu.clock_hz(), 25'000'000u);
    EXPECT_EQ(cpu.quantum(), sc_core::sc_time(1, sc_core::SC_US));

    // Device options reached the factory: dev1's registers start at 0x1234.
    auto& dev1 = dynamic_cast<testing::TestDevice&>(*board.device("dev1"));
    EXPECT_EQ(dev1.reg(5), 0x1234u);

    board.elaborate();
    // Writing register 0 of a device drives its outputs; the CPU sees the board's IRQ numbers.
    uint32_t bits = 0b10;  // dev1: rx low, tx high
    ASSERT_EQ(board.debug_port().write(0x40001000, reinterpret_cast<uint8_t*>(&bits), 4), 4u);
    EXPECT_EQ(cpu.irq_levels().at(5), true);
    EXPECT_EQ(cpu.irq_levels().count(4), 0u);  // never changed
    bits = 1;
    board.debug_port().write(0x40000000, reinterpret_cast<uint8_t*>(&bits), 4);
    EXPECT_EQ(cpu.irq_levels().at(3), true);

    ASSERT_EQ(board.irq_routes().size(), 3u);
    EXPECT_EQ(board.irq_routes()[2].output, "tx");
    EXPECT_EQ(board.irq_routes()[2].line, 5u);

    // ROM accepts debug writes (the loader's path).
    uint32_t word = 0xcafef00d, back = 0;
    ASSERT_EQ(board.debug_port().write(0x10, reinterpret_cast<uint8_t*>(&word), 4), 4u);
    ASSERT_EQ(board.debug_port().read(0x10, reinterpret_cast<uint8_t*>(&back), 4), 4u);
    EXPECT_EQ(back, 0xcafef00du);
    EXPECT_EQ(std::memcmp(board.memory("rom")->data() + 0x10, &word, 4), 0);
    EXPECT_EQ(board.debug_port().read(0x30000000, reinterpret_cast<uint8_t*>(&back), 4), 0u);  // unmapped
}

TEST(BoardBuilder, PrintsTheMemoryMapAndRouting) {
    BoardRuntime rt;
    Board board(load_board(kGood + "base.yaml"), rt);
    std::ostringstream out;
    board.print(out);
    std::string text = out.str();
    EXPECT_NE(text.find("  ram          0x20000000 0x2000ffff    64KiB  ram\n"), std::string::npos) << text;
    EXPECT_NE(text.find("  dev1         0x40001000 0x40001fff     4KiB  test-dev\n"), std::string::npos) << text;
    EXPECT_NE(text.find("  dev1.tx              -> cpu0 IRQ 5\n"), std::string::npos) << text;
    EXPECT_NE(text.find("quantum 1us, semihosting on"), std::string::npos) << text;
}

TEST(BoardBuilder, QuantumOverride) {
    BoardRuntime rt;
    Board board(load_board(kGood + "base.yaml"), rt, sc_core::sc_time(5, sc_core::SC_US));
    EXPECT_EQ(board.quantum(), sc_core::sc_time(5, sc_core::SC_US));
    EXPECT_EQ(dynamic_cast<testing::TestCpu&>(*board.cpus()[0]).quantum(), sc_core::sc_time(5, sc_core::SC_US));
}

TEST(BoardBuilder, IrqLineBeyondTheCpuInputs) {
    std::string path = write_board("irqrange.yaml",
                                   "board: r\ncpus:\n  - { name: c, isa: test-initiator, clock: 1MHz, options: { num-irq: 8 } }\n"
                                   "devices:\n  - { name: d, type: test-dev, base: 0x1000, size: 0x100, irq: 8 }\n");
    BoardRuntime rt;
    try {
        Board board(load_board(path), rt);
        FAIL() << "no error";
    } catch (const ConfigError& e) {
        EXPECT_EQ(std::string(e.what()), path + ":5:64: IRQ 8 is out of range for CPU 'c' (8 inputs: 0-7)");
    }
}

TEST(BoardBuilder, UnknownOptionOfADevice) {
    std::string path = write_board("opt.yaml",
                                   "board: o\ndevices:\n  - { name: d, type: test-dev, base: 0x1000, size: 0x100, options: { outputz: a } }\n");
    BoardRuntime rt;
    try {
        Board board(load_board(path), rt);
        FAIL() << "no error";
    } catch (const ConfigError& e) {
        EXPECT_EQ(std::string(e.what()), path + ":3:70: unknown option 'outputz' (expected one of: outputs, reset-value)");
    }
}

TEST(BoardBuilder, MemoryImages) {
    std::string image = write_board("boot.bin", "PRESIL-BOOT");
    std::string path = write_board("image.yaml", "board: i\nmemories:\n  - { name: boot, type: flash, base: 0x8000, size: 16, image: boot.bin }\n");
    BoardRuntime rt;
    Board board(load_board(path), rt);
    board.elaborate();
    char got[12] = {};
    ASSERT_EQ(board.debug_port().read(0x8000, reinterpret_cast<uint8_t*>(got), 11), 11u);
    EXPECT_STREQ(got, "PRESIL-BOOT");
    EXPECT_TRUE(board.memory("boot")->read_only());
}

TEST(BoardBuilder, MemoryImageTooLarge) {
    write_board("big.bin", std::string(17, 'x'));
    std::string path = write_board("big.yaml", "board: i\nmemories:\n  - { name: boot, type: rom, base: 0, size: 16, image: big.bin }\n");
    BoardRuntime rt;
    try {
        Board board(load_board(path), rt);
        FAIL() << "no error";
    } catch (const ConfigError& e) {
        std::string dir = std::filesystem::path(path).parent_path().string();
        EXPECT_EQ(std::string(e.what()), path + ":3:56: image '" + dir + "/big.bin' (17 bytes) does not fit in memory 'boot' of size 16");
    }
}

TEST(Simulation, GuestExitStatusEndsTheRun) {
    // derived.yaml's CPU reads the word at 0x100 after 1us and exits with it; the ELF puts 7 there.
    RunOptions opts;
    opts.kernel = std::string(PRESIL_TEST_ELF_DIR) + "/prog.elf";
    opts.max_time = sc_core::sc_time(1, sc_core::SC_MS);
    Simulation sim(load_board(kGood + "derived.yaml"), opts);
    auto& cpu = dynamic_cast<testing::TestCpu&>(*sim.board().cpus()[0]);
    EXPECT_EQ(cpu.entry(), 0x105u);
    EXPECT_EQ(cpu.resets(), 1u);
    ASSERT_NE(sim.runtime().image(), nullptr);
    std::ostringstream log;
    EXPECT_EQ(sim.run(log), 7);
    EXPECT_EQ(sc_core::sc_time_stamp(), sc_core::sc_time(1, sc_core::SC_US));
    EXPECT_EQ(log.str(), "");
}

TEST(Simulation, SimulatedTimeLimit) {
    RunOptions opts;
    opts.max_time = sc_core::sc_time(50, sc_core::SC_US);
    Simulation sim(load_board(kGood + "base.yaml"), opts);
    std::ostringstream log;
    EXPECT_EQ(sim.run(log), kExitSimTimeLimit);
    EXPECT_EQ(sc_core::sc_time_stamp(), sc_core::sc_time(50, sc_core::SC_US));
    EXPECT_EQ(log.str(), "presil: simulated-time limit of 50 us reached\n");
}

TEST(Simulation, RequestExitFromOutside) {
    RunOptions opts;
    Simulation sim(load_board(kGood + "base.yaml"), opts);
    sim.request_exit(42);
    std::ostringstream log;
    EXPECT_EQ(sim.run(log), 42);
}

}  // namespace
}  // namespace presil::platform
