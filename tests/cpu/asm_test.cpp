// SPDX-License-Identifier: Apache-2.0
// Assembly tests: each tests/cpu/asm/*.S runs to its WFI in every engine mode and must end
// with the registers and memory its "@ expect" header lines state.
#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "cpu/arm/arm_cpu.h"
#include "host/backends.h"
#include "tcg/engine.h"

namespace presil::cpu::arm {
namespace {

constexpr uint32_t kFlashBase = 0x08000000;
constexpr uint32_t kRamBase = 0x20000000;
constexpr uint32_t kSize = 64 * 1024;

/// Flash at 0x08000000 and RAM at 0x20000000, 64 KiB each; anything else is a bus error.
class FlatMemory : public tcg::GuestMemory {
 public:
  std::vector<uint8_t> flash = std::vector<uint8_t>(kSize, 0);
  std::vector<uint8_t> ram = std::vector<uint8_t>(kSize, 0);

  uint8_t* host(uint64_t addr, unsigned size) {
    if (addr >= kFlashBase && addr + size <= kFlashBase + kSize) return &flash[addr - kFlashBase];
    if (addr >= kRamBase && addr + size <= kRamBase + kSize) return &ram[addr - kRamBase];
    return nullptr;
  }
  bool map(uint64_t addr, tcg::Access, tcg::HostRegion& out) override {
    if (addr >= kFlashBase && addr < kFlashBase + kSize) {
      out = {kFlashBase, kSize, flash.data(), true, true, true, 0, 0};
      return true;
    }
    if (addr >= kRamBase && addr < kRamBase + kSize) {
      out = {kRamBase, kSize, ram.data(), true, true, true, 0, 0};
      return true;
    }
    return false;
  }
  tcg::MemResult read(uint64_t addr, void* data, unsigned size, tcg::Access) override {
    uint8_t* p = host(addr, size);
    if (!p) return {false, 0};
    std::memcpy(data, p, size);
    return {};
  }
  tcg::MemResult write(uint64_t addr, const void* data, unsigned size) override {
    uint8_t* p = host(addr, size);
    if (!p) return {false, 0};
    std::memcpy(p, data, size);
    return {};
  }
};

/// One expected value from a header line.
struct Expect {
  std::string what;  ///< "r3", "apsr", "mem32[0x...]"
  uint32_t value;
};

std::vector<Expect> parse_expectations(const std::string& source_path) {
  std::ifstream in(source_path);
  EXPECT_TRUE(in.good()) << "cannot read " << source_path;
  std::vector<Expect> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("@ expect ", 0) != 0) continue;
    std::istringstream ls(line.substr(9));
    std::string tok;
    while (ls >> tok) {
      const auto eq = tok.find('=');
      EXPECT_NE(eq, std::string::npos) << "bad expectation '" << tok << "' in " << source_path;
      if (eq == std::string::npos) continue;
      out.push_back({tok.substr(0, eq), uint32_t(std::stoul(tok.substr(eq + 1), nullptr, 0))});
    }
  }
  return out;
}

struct AsmCase {
  std::string name;
  std::string backend;
  bool single_step;
  bool no_chain;
};

std::vector<AsmCase> cases() {
  std::vector<AsmCase> out;
  std::istringstream names(PRESIL_ARM_ASM_TESTS);
  std::string n;
  while (std::getline(names, n, ','))
    for (const std::string& b : host::backend_names()) {
      out.push_back({n, b, true, true});
      out.push_back({n, b, false, true});
      out.push_back({n, b, false, false});
    }
  return out;
}

class ArmAsmTest : public ::testing::TestWithParam<AsmCase> {};

TEST_P(ArmAsmTest, EndsWithExpectedState) {
  const AsmCase& c = GetParam();
  FlatMemory mem;
  std::ifstream bin(std::string(PRESIL_ARM_ASM_BIN_DIR) + "/" + c.name + ".bin", std::ios::binary);
  ASSERT_TRUE(bin.good()) << "missing binary for " << c.name;
  std::vector<char> bytes((std::istreambuf_iterator<char>(bin)), std::istreambuf_iterator<char>());
  ASSERT_LE(bytes.size(), size_t(kSize));
  std::memcpy(mem.flash.data(), bytes.data(), bytes.size());

  ArmCpu cpu(TimingTable::cortex_m3());
  int32_t excp = -1;
  cpu.set_event_handler([&](int32_t e) {
    excp = e;
    cpu.set_halted(true);
    return true;
  });
  tcg::EngineOptions opts;
  opts.single_step = c.single_step;
  opts.no_chain = c.no_chain;
  tcg::Engine engine(cpu, mem, host::make_backend(c.backend), opts);
  cpu.state().r[13] = kRamBase + kSize;
  cpu.state().r[15] = kFlashBase;
  const tcg::ExitReason why = engine.run(10'000'000);
  ASSERT_EQ(why, tcg::ExitReason::Halted);
  ASSERT_EQ(excp, kExcpHalt) << "stopped by exception " << excp << " at pc 0x" << std::hex << cpu.state().r[15];

  for (const Expect& e : parse_expectations(std::string(PRESIL_ARM_ASM_SRC_DIR) + "/" + c.name + ".S")) {
    uint32_t got = 0;
    if (e.what == "apsr") {
      got = arm_apsr(cpu.state());
    } else if (e.what.rfind("mem32[", 0) == 0) {
      const uint32_t addr = uint32_t(std::stoul(e.what.substr(6), nullptr, 0));
      uint8_t* p = mem.host(addr, 4);
      ASSERT_NE(p, nullptr) << e.what;
      std::memcpy(&got, p, 4);
    } else if (e.what[0] == 'r') {
      got = cpu.state().r[std::stoul(e.what.substr(1))];
    } else {
      ADD_FAILURE() << "unknown expectation " << e.what;
      continue;
    }
    EXPECT_EQ(got, e.value) << c.name << ": " << e.what << std::hex << " = 0x" << got << ", expected 0x" << e.value;
  }
}

INSTANTIATE_TEST_SUITE_P(Files, ArmAsmTest, ::testing::ValuesIn(cases()),
                         [](const ::testing::TestParamInfo<AsmCase>& i) {
                           return i.param.name + "_" + i.param.backend +
                                  (i.param.single_step ? "_step" : i.param.no_chain ? "_blocks" : "_chained");
                         });

}  // namespace
}  // namespace presil::cpu::arm
