// SPDX-License-Identifier: Apache-2.0
// Tests of the ELF loader: segments, entry and symbols of a real arm-none-eabi program, loading
// into ROM/RAM over the bus, and the errors for bad files.
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "platform/board.h"
#include "platform/board_builder.h"
#include "platform/elf_loader.h"

namespace presil::platform {
namespace {

const std::string kElfDir = PRESIL_TEST_ELF_DIR;
const std::string kBoards = std::string(PRESIL_TEST_SOURCE_DIR) + "/boards-good/";
constexpr CpuTraits kArm{32, 40, 32};  // EM_ARM, 32-bit

std::vector<char> slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::vector<char>((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

/// Writes `bytes` to a temporary file and returns its path.
std::string temp_file(const std::string& name, const std::vector<char>& bytes) {
    std::filesystem::path dir = std::filesystem::temp_directory_path() / ("presil-elf-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    std::ofstream(dir / name, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    return (dir / name).string();
}

std::string read_error(const std::string& path, const CpuTraits& cpu = kArm) {
    try {
        ElfImage::read(path, cpu);
    } catch (const ElfError& e) {
        return e.what();
    }
    return {};
}

TEST(ElfLoader, ReadsSegmentsEntryAndSymbols) {
    ElfImage img = ElfImage::read(kElfDir + "/prog.elf", kArm);
    EXPECT_EQ(img.machine(), 40);
    EXPECT_EQ(img.entry(), 0x105u);  // reset_handler, Thumb bit set
    ASSERT_EQ(img.segments().size(), 2u);
    EXPECT_EQ(img.segments()[0].paddr, 0u);
    EXPECT_EQ(img.segments()[1].paddr, 0x20000000u);
    EXPECT_EQ(img.segments()[1].data.size(), 16u);  // ram_words
    EXPECT_EQ(img.segments()[1].memsz, 48u);        // + zeroed (bss)
    EXPECT_EQ(img.address_of("reset_handler"), 0x104u);  // Thumb bit cleared for functions
    EXPECT_EQ(img.address_of("exit_code"), 0x100u);
    EXPECT_EQ(img.address_of("ram_words"), 0x20000000u);
    EXPECT_EQ(img.address_of("zeroed"), 0x20000010u);
    EXPECT_FALSE(img.address_of("no_such_symbol").has_value());
    ASSERT_NE(img.symbol_at(0x108), nullptr);
    EXPECT_EQ(img.symbol_at(0x108)->name, "reset_handler");
    EXPECT_TRUE(img.symbol_at(0x108)->function);
    EXPECT_EQ(img.describe(0x20000014), "zeroed+0x4");
    EXPECT_EQ(img.describe(0x104), "reset_handler");
    EXPECT_EQ(img.describe(0x30000000), "0x30000000");
    EXPECT_FALSE(std::any_of(img.symbols().begin(), img.symbols().end(),
                             [](const ElfSymbol& s) { return s.name[0] == '$'; }));  // no mapping symbols
}

TEST(ElfLoader, LoadsIntoRomAndRamOverTheBus) {
    BoardRuntime rt;
    Board board(load_board(kBoards + "base.yaml"), rt);
    board.elaborate();
    uint32_t junk = 0xaaaaaaaa;
    board.memory("ram")->load(0x14, &junk, 4);  // bss must come out zero
    ElfImage img = ElfImage::read(kElfDir + "/prog.elf", board.cpu_traits());
    img.load_into(board);
    uint32_t w[2];
    std::memcpy(w, board.memory("rom")->data(), 8);
    EXPECT_EQ(w[0], 0x20001000u);  // initial SP of the vector table
    EXPECT_EQ(w[1], 0x105u);       // reset vector
    std::memcpy(w, board.memory("rom")->data() + 0x100, 4);
    EXPECT_EQ(w[0], 7u);  // exit_code in ROM
    std::memcpy(w, board.memory("ram")->data(), 8);
    EXPECT_EQ(w[0], 0x11111111u);
    EXPECT_EQ(w[1], 0x22222222u);
    std::memcpy(w, board.memory("ram")->data() + 0x14, 4);
    EXPECT_EQ(w[0], 0u);
}

TEST(ElfLoader, SegmentOutsideAnyMemory) {
    BoardRuntime rt;
    Board board(load_board(kBoards + "base.yaml"), rt);
    board.elaborate();
    ElfImage img = ElfImage::read(kElfDir + "/outside.elf", kArm);
    try {
        img.load_into(board);
        FAIL() << "no error";
    } catch (const ElfError& e) {
        EXPECT_EQ(std::string(e.what()), kElfDir + "/outside.elf: segment 0 [0x80000000, 0x80000063] is outside any memory of board 'test-base'");
    }
}

TEST(ElfLoader, MissingFile) {
    EXPECT_EQ(read_error("/nonexistent/prog.elf"), "/nonexistent/prog.elf: cannot open: No such file or directory");
}

TEST(ElfLoader, NotAnElf) {
    std::string path = temp_file("text.elf", {'h', 'e', 'l', 'l', 'o', '\n'});
    EXPECT_EQ(read_error(path), path + ": not an ELF file");
}

TEST(ElfLoader, Truncated) {
    std::vector<char> bytes = slurp(kElfDir + "/prog.elf");
    ASSERT_GT(bytes.size(), 0x1100u);
    // Cut inside the first segment's data (it starts at file offset 0x1000).
    std::string mid = temp_file("mid.elf", std::vector<char>(bytes.begin(), bytes.begin() + 0x1080));
    EXPECT_EQ(read_error(mid), mid + ": truncated: segment 0 needs bytes 0x1000..0x112c but the file has 0x1080 bytes");
    // Cut inside the ELF header.
    std::string head = temp_file("head.elf", std::vector<char>(bytes.begin(), bytes.begin() + 30));
    EXPECT_NE(read_error(head).find(head + ": truncated or corrupt ELF header"), std::string::npos) << read_error(head);
    // Cut inside the program headers (they follow the 52-byte header).
    std::string ph = temp_file("ph.elf", std::vector<char>(bytes.begin(), bytes.begin() + 60));
    EXPECT_NE(read_error(ph).find(ph + ": "), std::string::npos);
    EXPECT_NE(read_error(ph), "");
}

TEST(ElfLoader, WrongMachine) {
    EXPECT_EQ(read_error(kElfDir + "/host32.elf"),
              kElfDir + "/host32.elf: wrong machine i386 (e_machine 3), the board's CPU runs ARM (e_machine 40)");
}

TEST(ElfLoader, SixtyFourBitFileForAThirtyTwoBitCpu) {
    EXPECT_EQ(read_error(kElfDir + "/host64.elf"),
              kElfDir + "/host64.elf: 64-bit ELF file, but the board's CPU runs 32-bit programs");
}

TEST(ElfLoader, AnyMachineWhenTheBoardHasNoCpu) {
    ElfImage img = ElfImage::read(kElfDir + "/host64.elf", CpuTraits{});
    EXPECT_EQ(img.machine(), 62);  // EM_X86_64
    EXPECT_TRUE(img.address_of("_start").has_value());
}

}  // namespace
}  // namespace presil::platform
