// SPDX-License-Identifier: Apache-2.0
// The code buffer: one anonymous read/write/execute mapping.
#include "tcg/code_buffer.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

namespace presil::tcg {

CodeBuffer::CodeBuffer(size_t size) {
  size_t page = size_t(sysconf(_SC_PAGESIZE));
  m_size = (size + page - 1) / page * page;
  if (m_size == 0) m_size = page;
  void* p = mmap(nullptr, m_size, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) {
    throw std::runtime_error("code buffer: cannot map " + std::to_string(m_size) +
                             " bytes read/write/execute: " + std::strerror(errno));
  }
  m_base = static_cast<uint8_t*>(p);
}

CodeBuffer::~CodeBuffer() {
  if (m_base) munmap(m_base, m_size);
}

bool CodeBuffer::commit(size_t n) {
  if (n > free_bytes()) return false;
  m_used += n;
  return true;
}

void CodeBuffer::align(size_t a) {
  size_t aligned = (m_used + a - 1) / a * a;
  m_used = aligned < m_size ? aligned : m_size;
}

}  // namespace presil::tcg
