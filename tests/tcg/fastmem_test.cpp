// SPDX-License-Identifier: Apache-2.0
// FastMem: aliases of shared host memory at guest addresses, read-only code pages, unmapping.
#include "tcg/fastmem.h"

#include <gtest/gtest.h>
#include <sys/mman.h>

#include <cstring>
#include <vector>

namespace presil::tcg {
namespace {

HostRegion region(uint64_t base, uint64_t size, uint8_t* host, bool writable = true) {
  return HostRegion{base, size, host, true, writable, true, 0, 0};
}

/// True when the alias at guest `addr` holds the owner's first 16 bytes.
bool alias_shows(const FastMem& fm, uint64_t addr, const uint8_t* owner) {
  return std::memcmp(fm.base() + addr, owner, 16) == 0;
}

TEST(FastMem, AliasesSharedMemoryCoherentlyInBothDirections) {
  FastMem fm;
  ASSERT_NE(fm.base(), nullptr);
  HostBuffer ram(3 * FastMem::kHostPage);
  std::memset(ram.data(), 0x5a, ram.size());
  ASSERT_TRUE(fm.map(region(0x20000000, ram.size(), ram.data())));
  EXPECT_TRUE(fm.map(region(0x20000000, ram.size(), ram.data()))) << "asking again is not an error";
  EXPECT_TRUE(alias_shows(fm, 0x20000000, ram.data()));
  ram.data()[100] = 0x11;
  EXPECT_EQ(fm.base()[0x20000000 + 100], 0x11) << "owner writes are seen through the alias";
  fm.base()[0x20000000 + 2 * FastMem::kHostPage + 7] = 0x22;
  EXPECT_EQ(ram.data()[2 * FastMem::kHostPage + 7], 0x22) << "alias writes reach the owner";
  EXPECT_TRUE(fm.accessible(0x20000000, 4, true));
  EXPECT_TRUE(fm.accessible(0x20000000 + 3 * FastMem::kHostPage - 4, 4, true));
  EXPECT_FALSE(fm.accessible(0x20000000 + 3 * FastMem::kHostPage - 2, 4, false)) << "runs off the end";
  EXPECT_FALSE(fm.accessible(0x1ffffffe, 4, false)) << "starts before the region";
}

TEST(FastMem, RefusesPrivateUnalignedAndOutOfSpanMemory) {
  FastMem fm;
  ASSERT_NE(fm.base(), nullptr);
  void* priv = mmap(nullptr, FastMem::kHostPage, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  ASSERT_NE(priv, MAP_FAILED);
  EXPECT_FALSE(fm.map(region(0x1000, FastMem::kHostPage, static_cast<uint8_t*>(priv))));
  EXPECT_FALSE(fm.accessible(0x1000, 1, false)) << "a refused region stays a hole";
  munmap(priv, FastMem::kHostPage);
  HostBuffer ram(2 * FastMem::kHostPage);
  EXPECT_FALSE(fm.map(region(0x1200, FastMem::kHostPage, ram.data()))) << "guest base not page-aligned";
  EXPECT_FALSE(fm.map(region(0x1000, FastMem::kHostPage, ram.data() + 8))) << "host pointer not page-aligned";
  EXPECT_FALSE(fm.map(region(0x1000, 100, ram.data()))) << "less than a host page";
  EXPECT_FALSE(fm.map(region(0xfffff000, 2 * FastMem::kHostPage, ram.data()))) << "beyond 4 GiB";
  EXPECT_FALSE(fm.accessible(0xfffffffe, 4, false));
}

TEST(FastMem, ReadOnlyRegionsAndCodePagesRefuseStores) {
  FastMem fm;
  ASSERT_NE(fm.base(), nullptr);
  HostBuffer rom(FastMem::kHostPage), ram(2 * FastMem::kHostPage);
  ASSERT_TRUE(fm.map(region(0, rom.size(), rom.data(), false)));
  EXPECT_TRUE(fm.accessible(0x10, 4, false));
  EXPECT_FALSE(fm.accessible(0x10, 4, true));
  fm.protect(0x20000000 + FastMem::kHostPage + 0x400);  // before the region is aliased: remembered
  ASSERT_TRUE(fm.map(region(0x20000000, ram.size(), ram.data())));
  EXPECT_TRUE(fm.accessible(0x20000000, 4, true));
  EXPECT_FALSE(fm.accessible(0x20000000 + FastMem::kHostPage, 4, true)) << "the code page's host page";
  EXPECT_TRUE(fm.accessible(0x20000000 + FastMem::kHostPage, 4, false));
  EXPECT_FALSE(fm.accessible(0x20000000 + FastMem::kHostPage - 2, 4, true)) << "straddles into it";
  fm.unprotect_all();
  EXPECT_TRUE(fm.accessible(0x20000000 + FastMem::kHostPage, 4, true));
  fm.base()[0x20000000 + FastMem::kHostPage] = 7;  // writable again: no fault
  EXPECT_EQ(ram.data()[FastMem::kHostPage], 7);
}

TEST(FastMem, UnmapAndDisableDropAliases) {
  FastMem fm;
  ASSERT_NE(fm.base(), nullptr);
  HostBuffer a(FastMem::kHostPage), b(FastMem::kHostPage);
  ASSERT_TRUE(fm.map(region(0x10000, a.size(), a.data())));
  ASSERT_TRUE(fm.map(region(0x20000, b.size(), b.data())));
  fm.unmap(0x10010, 0x10010);
  EXPECT_FALSE(fm.accessible(0x10000, 1, false));
  EXPECT_TRUE(fm.accessible(0x20000, 1, false));
  ASSERT_TRUE(fm.map(region(0x10000, a.size(), a.data()))) << "aliased again after an unmap";
  fm.set_enabled(false);
  EXPECT_FALSE(fm.enabled());
  EXPECT_FALSE(fm.accessible(0x20000, 1, false));
  EXPECT_FALSE(fm.map(region(0x20000, b.size(), b.data()))) << "nothing is aliased while disabled";
  fm.set_enabled(true);
  EXPECT_TRUE(fm.map(region(0x20000, b.size(), b.data())));
  EXPECT_TRUE(fm.accessible(0x20000, 1, true));
}

}  // namespace
}  // namespace presil::tcg
