// SPDX-License-Identifier: Apache-2.0
// Tests of BKPT 0xAB semihosting: console calls, clocks, errno, exit, hostile pointers.
#include <string>

#include "m_profile_fixture.h"

namespace presil::cpu::arm::test {
namespace {

class SemihostTest : public MProfileTest {
 protected:
  std::string out[3];
  std::string input;
  int exit_status = -1;
  uint64_t now_ns = 0;

  void SetUp() override {
    cfg.semihosting = true;
    build();
    SemihostIo io;
    io.write = [this](int fd, std::string_view b) { out[fd].append(b); };
    io.read_char = [this]() -> int {
      if (input.empty()) return -1;
      const int c = static_cast<unsigned char>(input[0]);
      input.erase(0, 1);
      return c;
    };
    io.exit = [this](int status) { exit_status = status; };
    io.time_ns = [this] { return now_ns; };
    io.epoch_seconds = [] { return uint64_t(1700000000); };
    m->set_semihost_io(io);
  }

  void put_string(uint32_t addr, const std::string& str) {
    std::memcpy(mem.ram.data() + addr, str.c_str(), str.size() + 1);
  }
  /// Performs BKPT 0xAB at 0x1000 with r0 = op, r1 = param; returns r0.
  uint32_t call(uint32_t op, uint32_t param) {
    s.r[0] = op;
    s.r[1] = param;
    s.r[15] = 0x1000;
    s.bkpt_imm = 0xAB;
    m->take_exception(kExcpSemihost);
    return s.r[0];
  }
  void block(uint32_t addr, std::initializer_list<uint32_t> words) {
    for (uint32_t w : words) {
      mem.w32(addr, w);
      addr += 4;
    }
  }
};

TEST_F(SemihostTest, Write0AndWritecGoToStdoutAndAdvancePc) {
  put_string(0x8000, "hello, world\n");
  call(0x04, 0x8000);
  EXPECT_EQ(s.r[15], 0x1002u);
  mem.ram[0x8100] = '!';
  call(0x03, 0x8100);
  EXPECT_EQ(out[1], "hello, world\n!");
  EXPECT_EQ(s.ipsr, 0u);  // no exception taken
}

TEST_F(SemihostTest, WriteToStdoutAndStderrReturnsBytesNotWritten) {
  put_string(0x8000, "abcdef");
  block(0x9000, {1, 0x8000, 3});
  EXPECT_EQ(call(0x05, 0x9000), 0u);
  block(0x9000, {2, 0x8003, 3});
  EXPECT_EQ(call(0x05, 0x9000), 0u);
  EXPECT_EQ(out[1], "abc");
  EXPECT_EQ(out[2], "def");
  block(0x9000, {7, 0x8000, 3});  // not an open handle
  EXPECT_EQ(call(0x05, 0x9000), 3u);
  EXPECT_EQ(call(0x13, 0), 9u);  // EBADF
}

TEST_F(SemihostTest, OpenConsoleHandles) {
  put_string(0x8000, ":tt");
  block(0x9000, {0x8000, 0, 3});
  const uint32_t in = call(0x01, 0x9000);
  block(0x9000, {0x8000, 4, 3});
  const uint32_t out_h = call(0x01, 0x9000);
  block(0x9000, {0x8000, 8, 3});
  const uint32_t err_h = call(0x01, 0x9000);
  EXPECT_EQ(in, 3u);  // 1 and 2 are stdout/stderr from reset; new handles are nonzero
  EXPECT_EQ(out_h, 4u);
  EXPECT_EQ(err_h, 5u);
  put_string(0x8100, "to err");
  block(0x9000, {err_h, 0x8100, 6});
  EXPECT_EQ(call(0x05, 0x9000), 0u);
  EXPECT_EQ(out[2], "to err");
  block(0x9000, {in, 0x8100, 6});
  EXPECT_EQ(call(0x05, 0x9000), 6u);  // stdin is not writable
  block(0x9000, {out_h});
  EXPECT_EQ(call(0x09, 0x9000), 1u);  // ISTTY
  EXPECT_EQ(call(0x02, 0x9000), 0u);  // CLOSE
  EXPECT_EQ(call(0x02, 0x9000), 0xFFFFFFFFu);
  EXPECT_EQ(call(0x13, 0), 9u);  // EBADF
  block(0x9000, {0x8000, 4, 3});
  EXPECT_EQ(call(0x01, 0x9000), 4u);  // the freed handle is reused
  block(0x9000, {0x8000, 12, 3});
  EXPECT_EQ(call(0x01, 0x9000), 0xFFFFFFFFu);  // bad mode
  EXPECT_EQ(call(0x13, 0), 22u);
  put_string(0x8000, "/etc/passwd");
  block(0x9000, {0x8000, 0, 11});
  EXPECT_EQ(call(0x01, 0x9000), 0xFFFFFFFFu);  // host files are never opened
  EXPECT_EQ(call(0x13, 0), 2u);                // ENOENT
}

TEST_F(SemihostTest, FeaturesFileReportsExitExtendedAndStdoutStderr) {
  put_string(0x8000, ":semihosting-features");
  block(0x9000, {0x8000, 0, 21});
  const uint32_t h = call(0x01, 0x9000);
  ASSERT_NE(h, 0xFFFFFFFFu);
  block(0x9000, {h});
  EXPECT_EQ(call(0x0C, 0x9000), 5u);  // FLEN
  EXPECT_EQ(call(0x09, 0x9000), 0u);  // not a tty
  block(0x9000, {h, 0xA000, 8});
  EXPECT_EQ(call(0x06, 0x9000), 3u);  // 5 of 8 bytes read
  EXPECT_EQ(mem.r32(0xA000), 0x42464853u);  // "SHFB"
  EXPECT_EQ(mem.ram[0xA004], 3);
  block(0x9000, {h, 4});
  EXPECT_EQ(call(0x0A, 0x9000), 0u);  // SEEK
  block(0x9000, {h, 0xA100, 1});
  EXPECT_EQ(call(0x06, 0x9000), 0u);
  EXPECT_EQ(mem.ram[0xA100], 3);
  put_string(0x8000, ":semihosting-features");
  block(0x9000, {0x8000, 4, 21});
  EXPECT_EQ(call(0x01, 0x9000), 0xFFFFFFFFu);  // only readable
  EXPECT_EQ(call(0x13, 0), 13u);
}

TEST_F(SemihostTest, HostilePointersFailCleanly) {
  // Parameter block outside memory.
  EXPECT_EQ(call(0x05, 0x10000000), 0xFFFFFFFFu);
  EXPECT_EQ(call(0x13, 0), 14u);  // EFAULT
  // Parameter block wrapping around the address space.
  EXPECT_EQ(call(0x05, 0xFFFFFFFC), 0xFFFFFFFFu);
  // Buffer partly outside RAM: the readable prefix is written, the rest reported.
  put_string(FakeMemory::kRamSize - 4, "xyz");
  block(0x9000, {1, FakeMemory::kRamSize - 4, 0x100});
  const uint32_t left = call(0x05, 0x9000);
  EXPECT_EQ(left, 0x100u);  // the first 4 KiB chunk already fails
  EXPECT_EQ(out[1], "");
  // Huge length with a wrapping buffer.
  block(0x9000, {1, 0xFFFFFF00, 0xFFFFFFFF});
  EXPECT_EQ(call(0x05, 0x9000), 0xFFFFFFFFu);
  // Unterminated / unmapped strings.
  call(0x04, 0x10000000);
  EXPECT_EQ(out[1], "");
  std::memset(mem.ram.data() + FakeMemory::kRamSize - 16, 'A', 16);
  call(0x04, FakeMemory::kRamSize - 16);
  EXPECT_EQ(out[1], std::string(16, 'A'));  // printed up to the fault
  call(0x03, 0xFFFFFFFF);
  EXPECT_EQ(out[1], std::string(16, 'A'));
  // READ from stdin into an unmapped buffer.
  put_string(0x8000, ":tt");
  block(0x9000, {0x8000, 0, 3});
  const uint32_t in = call(0x01, 0x9000);
  input = "data";
  block(0x9000, {in, 0x10000000, 4});
  EXPECT_EQ(call(0x06, 0x9000), 4u);
  EXPECT_EQ(s.r[15], 0x1002u);
  EXPECT_FALSE(m->exited());
}

TEST_F(SemihostTest, HostilePointersThroughDmiRegions) {
  mem.use_map = true;
  put_string(0x8000, "dmi");
  call(0x04, 0x8000);
  EXPECT_EQ(out[1], "dmi");
  block(0x9000, {1, FakeMemory::kRamSize - 2, 8});
  EXPECT_EQ(call(0x05, 0x9000), 8u);
}

TEST_F(SemihostTest, ReadcAndRead) {
  input = "ab\ncd";
  EXPECT_EQ(call(0x07, 0), uint32_t('a'));
  put_string(0x8000, ":tt");
  block(0x9000, {0x8000, 0, 3});
  const uint32_t in = call(0x01, 0x9000);
  block(0x9000, {in, 0xA000, 10});
  EXPECT_EQ(call(0x06, 0x9000), 8u);  // "b\n": stops after the newline
  EXPECT_EQ(mem.ram[0xA000], 'b');
  EXPECT_EQ(mem.ram[0xA001], '\n');
  EXPECT_EQ(call(0x06, 0x9000), 8u);  // "cd" then end of input
  EXPECT_EQ(call(0x07, 0), 0xFFFFFFFFu);
}

TEST_F(SemihostTest, ClockTimeElapsedAndErrno) {
  now_ns = 1'234'567'890;
  EXPECT_EQ(call(0x10, 0), 123u);  // centiseconds
  EXPECT_EQ(call(0x11, 0), 1700000000u);
  EXPECT_EQ(call(0x30, 0x9000), 0u);
  EXPECT_EQ(mem.r32(0x9000), uint32_t(1'234'567'890));
  EXPECT_EQ(mem.r32(0x9004), 0u);
  EXPECT_EQ(call(0x31, 0), 1'000'000'000u);
  EXPECT_EQ(call(0x99, 0), 0xFFFFFFFFu);
  EXPECT_EQ(call(0x13, 0), 88u);  // ENOSYS
}

TEST_F(SemihostTest, ExitApplicationExitIsSuccess) {
  call(0x18, 0x20026);
  EXPECT_TRUE(m->exited());
  EXPECT_EQ(exit_status, 0);
  EXPECT_EQ(m->exit_status(), 0);
  EXPECT_TRUE(m->sleeping());
  EXPECT_FALSE(m->process_interrupts());
  EXPECT_EQ(s.r[15], 0x1000u);
}

TEST_F(SemihostTest, ExitOtherReasonIsFailure) {
  call(0x18, 0x20023);  // ADP_Stopped_RunTimeErrorUnknown
  EXPECT_EQ(exit_status, 1);
}

TEST_F(SemihostTest, ExitExtendedCarriesSubcode) {
  block(0x9000, {0x20026, 42});
  call(0x20, 0x9000);
  EXPECT_EQ(exit_status, 42);
}

TEST_F(SemihostTest, ExitExtendedWithBadBlockIsEfault) {
  EXPECT_EQ(call(0x20, 0x10000000), 0xFFFFFFFFu);
  EXPECT_EQ(exit_status, -1);
  EXPECT_FALSE(m->exited());
  EXPECT_EQ(call(0x13, 0), 14u);
}

TEST_F(SemihostTest, DisabledSemihostingIsADebugEvent) {
  cfg.semihosting = false;
  build();
  call(0x04, 0x8000);
  EXPECT_EQ(s.ipsr, 3u);
  EXPECT_EQ(scs(0xD2C), 1u << 31);
}

TEST_F(SemihostTest, HeapinfoAndCmdline) {
  block(0x9000, {0xA000});
  std::memset(mem.ram.data() + 0xA000, 0xFF, 16);
  EXPECT_EQ(call(0x16, 0x9000), 0u);
  EXPECT_EQ(mem.r32(0xA000), 0u);
  EXPECT_EQ(mem.r32(0xA00C), 0u);
  block(0x9000, {0xB000, 64});
  EXPECT_EQ(call(0x15, 0x9000), 0u);
  EXPECT_EQ(mem.ram[0xB000], 0);
  EXPECT_EQ(mem.r32(0x9004), 0u);
}

}  // namespace
}  // namespace presil::cpu::arm::test
