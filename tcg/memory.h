// SPDX-License-Identifier: Apache-2.0
// The engine's only view of guest memory; implemented by the platform (over TLM) or by tests.
#pragma once

#include <cstdint>

namespace presil::tcg {

/// Kind of a guest access.
enum class Access : uint8_t { Read, Write, Fetch };

/// A range of guest addresses backed by host memory (DMI), usable by the soft-TLB.
struct HostRegion {
  uint64_t base = 0;        ///< first guest address
  uint64_t size = 0;        ///< bytes
  uint8_t* host = nullptr;  ///< host pointer for `base`
  bool readable = false;
  bool writable = false;
  bool executable = false;
  uint32_t read_latency = 0;   ///< cycles added per load through the pointer (0: none)
  uint32_t write_latency = 0;  ///< cycles added per store through the pointer
};

/// Result of a slow-path access.
struct MemResult {
  bool ok = true;           ///< false: bus error (the guest takes a fault)
  uint64_t delay_cycles = 0;  ///< annotated delay, in CPU cycles
  /// The target reported a read without side effects (nothing changed, no
  /// event scheduled): the caller may skip its after-access checks.
  bool pure = false;
};

/// Guest memory as the engine sees it.
class GuestMemory {
 public:
  virtual ~GuestMemory() = default;
  /// Finds host-backed memory containing addr for this kind of access; false
  /// when addr must go through read()/write() (MMIO, unmapped, no DMI).
  virtual bool map(uint64_t addr, Access kind, HostRegion& out) = 0;
  /// Reads size bytes (1, 2, 4, 8) at addr into data (guest byte order as stored).
  virtual MemResult read(uint64_t addr, void* data, unsigned size, Access kind) = 0;
  /// Writes size bytes at addr.
  virtual MemResult write(uint64_t addr, const void* data, unsigned size) = 0;
};

}  // namespace presil::tcg
