// SPDX-License-Identifier: Apache-2.0
// The code buffer: one executable mapping that back-ends emit into; flushed whole when full.
#pragma once

#include <cstddef>
#include <cstdint>

namespace presil::tcg {

/// An RWX region with a bump pointer.
class CodeBuffer {
 public:
  /// Maps `size` bytes (rounded to pages) read/write/execute.
  explicit CodeBuffer(size_t size);
  ~CodeBuffer();
  CodeBuffer(const CodeBuffer&) = delete;
  CodeBuffer& operator=(const CodeBuffer&) = delete;

  uint8_t* base() const { return m_base; }
  size_t size() const { return m_size; }
  /// Next free byte.
  uint8_t* cur() const { return m_base + m_used; }
  size_t used() const { return m_used; }
  size_t free_bytes() const { return m_size - m_used; }
  /// Claims n bytes starting at cur() (after the back-end wrote them). Returns false if they do not fit.
  bool commit(size_t n);
  /// Aligns cur() to `align` bytes.
  void align(size_t align);
  /// Forgets everything (after the engine dropped all blocks).
  void reset() { m_used = 0; }
  /// True if p points into the buffer.
  bool contains(const void* p) const {
    auto a = reinterpret_cast<const uint8_t*>(p);
    return a >= m_base && a < m_base + m_size;
  }

 private:
  uint8_t* m_base = nullptr;
  size_t m_size = 0;
  size_t m_used = 0;
};

}  // namespace presil::tcg
