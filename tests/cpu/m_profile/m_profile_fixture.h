// SPDX-License-Identifier: Apache-2.0
// Test fixture for the M-profile system model: a RAM-backed GuestMemory and a reset core.
#pragma once

#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <vector>

#include "cpu/arm/m_profile.h"

namespace presil::cpu::arm::test {

/// Guest memory: RAM at 0 (kRamSize bytes), the PPB routed to an MProfile, the rest a bus error.
class FakeMemory : public tcg::GuestMemory {
 public:
  static constexpr uint32_t kRamSize = 0x40000;

  std::vector<uint8_t> ram = std::vector<uint8_t>(kRamSize);
  MProfile* ppb = nullptr;   ///< receives 0xE0000000..0xE00FFFFF
  bool use_map = false;      ///< hand out DMI regions for RAM
  uint32_t fail_from = ~0u;  ///< RAM addresses >= this are bus errors (to inject faults)
  uint64_t delay = 0;        ///< cycles every read()/write() reports

  bool map(uint64_t addr, tcg::Access, tcg::HostRegion& out) override {
    if (!use_map || addr >= kRamSize) return false;
    out = tcg::HostRegion{0, std::min<uint64_t>(kRamSize, fail_from), ram.data(), true, true, true, 0, 0};
    return addr < out.size;
  }
  tcg::MemResult read(uint64_t addr, void* data, unsigned size, tcg::Access) override {
    if (addr + size <= kRamSize && addr + size <= fail_from) {
      std::memcpy(data, ram.data() + addr, size);
      return {true, delay};
    }
    if (ppb && addr >= MProfile::kPpbBase && addr < MProfile::kPpbBase + MProfile::kPpbSize) {
      uint32_t v = 0;
      const bool ok = ppb->ppb_read(static_cast<uint32_t>(addr - MProfile::kPpbBase), size, v);
      std::memcpy(data, &v, size);
      return {ok, 0};
    }
    return {false, 0};
  }
  tcg::MemResult write(uint64_t addr, const void* data, unsigned size) override {
    if (addr + size <= kRamSize && addr + size <= fail_from) {
      std::memcpy(ram.data() + addr, data, size);
      return {true, delay};
    }
    if (ppb && addr >= MProfile::kPpbBase && addr < MProfile::kPpbBase + MProfile::kPpbSize) {
      uint32_t v = 0;
      std::memcpy(&v, data, size);
      return {ppb->ppb_write(static_cast<uint32_t>(addr - MProfile::kPpbBase), size, v), 0};
    }
    return {false, 0};
  }

  uint32_t r32(uint32_t addr) const {
    uint32_t v;
    std::memcpy(&v, ram.data() + addr, 4);
    return v;
  }
  void w32(uint32_t addr, uint32_t v) { std::memcpy(ram.data() + addr, &v, 4); }
};

/// A reset Cortex-M3-like core: vector table at 0 with SP 0x30000, reset PC
/// 0x1000, and the handler of exception n at kHandlerBase + 16 n (Thumb).
class MProfileTest : public ::testing::Test {
 protected:
  static constexpr uint32_t kInitialSp = 0x30000;
  static constexpr uint32_t kResetPc = 0x1000;
  static constexpr uint32_t kHandlerBase = 0x2000;

  ArmState s;
  FakeMemory mem;
  MProfileConfig cfg;
  std::unique_ptr<MProfile> m;

  static uint32_t handler(unsigned excp) { return kHandlerBase + 16 * excp; }

  void SetUp() override { build(); }

  void build() {
    mem.w32(0, kInitialSp);
    mem.w32(4, kResetPc | 1);
    for (unsigned n = 2; n < 16 + cfg.num_irq; ++n) mem.w32(4 * n, handler(n) | 1);
    m = std::make_unique<MProfile>(s, mem, cfg);
    mem.ppb = m.get();
    m->reset();
  }

  uint32_t scs(uint32_t off) {
    uint32_t v = 0;
    EXPECT_TRUE(m->scs_read(off, 4, v));
    return v;
  }
  void scs_w(uint32_t off, uint32_t v) { EXPECT_TRUE(m->scs_write(off, 4, v)); }
  void enable_irq(unsigned n, uint8_t prio) {
    scs_w(0x100 + 4 * (n / 32), 1u << (n % 32));
    ASSERT_TRUE(m->scs_write(0x400 + n, 1, prio));
  }
  /// Fills r0-r3, r12, lr, pc and flags with recognisable values.
  void set_context(uint32_t pc) {
    for (unsigned i = 0; i < 13; ++i) s.r[i] = 0x100 + i;
    s.r[14] = 0x0BADC0DE;
    s.r[15] = pc;
    arm_set_apsr(s, 0xA0000000);  // N, C
  }
};

}  // namespace presil::cpu::arm::test
