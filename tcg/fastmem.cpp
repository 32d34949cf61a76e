// SPDX-License-Identifier: Apache-2.0
// Fast memory: reservation, aliases of shared host mappings (mremap), code-page protection.
#include "tcg/fastmem.h"

#include <fmt/format.h>
#include <sys/mman.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <new>
#include <stdexcept>

namespace presil::tcg {

namespace {
/// Guard after the 4 GiB: an access of up to 8 bytes at 0xffffffff faults instead of running off.
constexpr uint64_t kGuard = 1u << 16;
constexpr int kReserveFlags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE;
}  // namespace

FastMem::FastMem() {
  void* p = mmap(nullptr, kSpan + kGuard, PROT_NONE, kReserveFlags, -1, 0);
  if (p == MAP_FAILED) return;
  m_base = static_cast<uint8_t*>(p);
  // Can this host alias shared pages (some environments, e.g. valgrind, do not
  // emulate mremap with old size 0)? Try it once in the guard area.
  bool ok = false;
  {
    HostBuffer probe(kHostPage);
    uint8_t* at = m_base + kSpan;
    if (mremap(probe.data(), 0, kHostPage, MREMAP_MAYMOVE | MREMAP_FIXED, at) == at) {
      probe.data()[0] = 0x5a;
      ok = at[0] == 0x5a;
    }
  }
  if (!ok) {
    munmap(m_base, kSpan + kGuard);
    m_base = nullptr;
    return;
  }
  reserve(kSpan, kHostPage);
}

FastMem::~FastMem() {
  if (m_base) munmap(m_base, kSpan + kGuard);
}

void FastMem::reserve(uint64_t start, uint64_t size) {
  // Back to inaccessible, and still ours: nothing else may be mapped inside the span.
  if (mmap(m_base + start, size, PROT_NONE, kReserveFlags | MAP_FIXED, -1, 0) == MAP_FAILED) {
    throw std::runtime_error(fmt::format("fast memory: cannot reserve {:#x}+{:#x}: {}", start, size,
                                         std::strerror(errno)));
  }
}

void FastMem::set_enabled(bool on) {
  if (!on) unmap_all();
  m_enabled = on;
}

const FastMem::Alias* FastMem::find(uint64_t addr) const {
  for (const Alias& a : m_aliases) {
    if (addr >= a.base && addr - a.base < a.size) return &a;
  }
  return nullptr;
}

bool FastMem::map(const HostRegion& r) {
  if (!enabled() || !r.host || !r.readable) return false;
  const uint64_t size = r.size & ~(kHostPage - 1);
  if (size == 0 || r.base % kHostPage || reinterpret_cast<uintptr_t>(r.host) % kHostPage || r.base >= kSpan ||
      size > kSpan - r.base) {
    return false;
  }
  for (const Alias& a : m_aliases) {
    if (r.base < a.base + a.size && a.base < r.base + size) {
      // Already aliased (the same region asked again); anything else overlapping stays as it is.
      return a.base == r.base && a.host == r.host && a.size == size && a.writable == r.writable;
    }
  }
  if (m_unshareable.count(r.host)) return false;
  void* at = m_base + r.base;
  void* p = mremap(r.host, 0, size, MREMAP_MAYMOVE | MREMAP_FIXED, at);
  if (p == MAP_FAILED) {
    m_unshareable.insert(r.host);  // a private mapping: Linux cannot share its pages
    reserve(r.base, size);
    return false;
  }
  if (!r.writable) mprotect(at, size, PROT_READ);
  m_aliases.push_back({r.base, size, r.host, r.writable});
  // Code already translated from this memory keeps its store protection.
  for (auto it = m_protected.lower_bound(r.base / kHostPage); it != m_protected.end() && *it * kHostPage < r.base + size;
       ++it) {
    if (r.writable) mprotect(m_base + *it * kHostPage, kHostPage, PROT_READ);
  }
  return true;
}

void FastMem::protect(uint64_t addr) {
  if (!m_base || addr >= kSpan) return;
  const uint64_t page = addr / kHostPage;
  if (!m_protected.insert(page).second) return;
  const Alias* a = find(addr);
  if (a && a->writable) mprotect(m_base + page * kHostPage, kHostPage, PROT_READ);
}

void FastMem::unmap(uint64_t start, uint64_t end) {
  if (!m_base) return;
  std::erase_if(m_aliases, [&](const Alias& a) {
    if (end < a.base || start > a.base + a.size - 1) return false;
    reserve(a.base, a.size);
    return true;
  });
}

void FastMem::unmap_all() {
  if (!m_base) return;
  for (const Alias& a : m_aliases) reserve(a.base, a.size);
  m_aliases.clear();
}

void FastMem::unprotect_all() {
  for (uint64_t page : m_protected) {
    const Alias* a = find(page * kHostPage);
    if (a && a->writable) mprotect(m_base + page * kHostPage, kHostPage, PROT_READ | PROT_WRITE);
  }
  m_protected.clear();
}

bool FastMem::accessible(uint64_t addr, unsigned size, bool write) const {
  if (!enabled() || addr >= kSpan || size > kSpan - addr) return false;
  const uint64_t last = addr + size - 1;
  const Alias* a = find(addr);
  if (!a || last - a->base >= a->size) return false;
  if (!write) return true;
  if (!a->writable) return false;
  for (uint64_t p = addr / kHostPage; p <= last / kHostPage; ++p) {
    if (m_protected.count(p)) return false;
  }
  return true;
}

HostBuffer::HostBuffer(size_t size) : m_size(size) {
  void* p = mmap(nullptr, size ? size : 1, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
  m_data = static_cast<uint8_t*>(p);
}

HostBuffer::~HostBuffer() { munmap(m_data, m_size ? m_size : 1); }

}  // namespace presil::tcg
