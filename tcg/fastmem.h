// SPDX-License-Identifier: Apache-2.0
// Fast memory: the 32-bit guest address space mirrored in one host reservation, so generated code
// reaches RAM with a single host load or store at (base + guest address).
#pragma once

#include <cstddef>
#include <cstdint>
#include <set>
#include <vector>

#include "tcg/memory.h"

namespace presil::tcg {

/// A 4 GiB (plus guard) host reservation in which guest RAM is aliased at its
/// guest address. Host memory is aliased only when its owner allocated it as a
/// shared mapping (tcg::HostBuffer, tlm::Memory): Linux then maps the same pages
/// a second time (mremap with old size 0), so the owner's pointer and the alias
/// stay coherent. Everything else in the reservation is inaccessible: an access
/// there faults, and the back-end sends that access site to its slow path.
///
/// Pages holding translated code are aliased read-only (host-page granularity),
/// so a guest store to them faults and takes the slow path, which invalidates
/// the code. Never used while watchpoints are set.
class FastMem {
 public:
  /// Host page size the aliases are made of.
  static constexpr uint64_t kHostPage = 4096;
  /// Guest addresses covered: [0, kSpan).
  static constexpr uint64_t kSpan = uint64_t(1) << 32;

  /// Reserves the space; base() is nullptr when the host refused.
  FastMem();
  ~FastMem();
  FastMem(const FastMem&) = delete;
  FastMem& operator=(const FastMem&) = delete;

  /// Host address of guest address 0, or nullptr (no reservation).
  uint8_t* base() const { return m_base; }
  /// Aliases are made (reservation present and not switched off).
  bool enabled() const { return m_base && m_enabled; }
  /// Switches aliasing on or off; off drops every alias.
  void set_enabled(bool on);

  /// Aliases the whole host pages of `r` at base() + r.base, read-only unless
  /// r.writable. False when `r` cannot be aliased (not page-aligned, beyond
  /// 4 GiB, or its host memory is not a shared mapping). Idempotent.
  bool map(const HostRegion& r);
  /// Makes the host page holding guest address `addr` read-only in the alias (code lives there).
  void protect(uint64_t addr);
  /// Makes every protected page writable again (all translated code was dropped).
  void unprotect_all();
  /// Drops the aliases overlapping guest [start, end].
  void unmap(uint64_t start, uint64_t end);
  /// Drops every alias (protections are remembered for when memory is aliased again).
  void unmap_all();
  /// True when a `size`-byte access at `addr` succeeds in the alias (loads; stores when `write`).
  bool accessible(uint64_t addr, unsigned size, bool write) const;

 private:
  struct Alias {
    uint64_t base, size;
    uint8_t* host;
    bool writable;
  };
  void reserve(uint64_t start, uint64_t size);
  const Alias* find(uint64_t addr) const;

  uint8_t* m_base = nullptr;
  bool m_enabled = true;
  std::vector<Alias> m_aliases;
  std::set<uint64_t> m_protected;   ///< host page numbers made read-only
  std::set<uint8_t*> m_unshareable;  ///< host pointers mremap refused (not asked again)
};

/// Page-aligned, zero-filled host memory in a shared mapping, so FastMem can alias it.
class HostBuffer {
 public:
  explicit HostBuffer(size_t size);
  ~HostBuffer();
  HostBuffer(const HostBuffer&) = delete;
  HostBuffer& operator=(const HostBuffer&) = delete;
  uint8_t* data() const { return m_data; }
  size_t size() const { return m_size; }

 private:
  uint8_t* m_data = nullptr;
  size_t m_size = 0;
};

}  // namespace presil::tcg
