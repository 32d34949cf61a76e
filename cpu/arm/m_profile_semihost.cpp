// SPDX-License-Identifier: Apache-2.0
// ARM semihosting (BKPT 0xAB) for M-profile cores: console I/O, clocks, errno and exit.
//
// The call number is in r0 and its parameter (a value or the address of a
// parameter block) in r1; the result goes to r0 and execution continues after
// the BKPT. Guest memory is only touched through GuestMemory with every
// address range checked, so hostile pointers and lengths fail the call with
// an errno instead of crashing. Host files are never opened: handles refer to
// the console (":tt" opened for reading = stdin, writing = stdout, appending =
// stderr) or to ":semihosting-features". Handles 1 and 2 are stdout and stderr
// from reset, so SYS_WRITE works without SYS_OPEN.

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <string>

#include "cpu/arm/m_profile.h"

namespace presil::cpu::arm {

namespace {

constexpr uint32_t kAdpStoppedApplicationExit = 0x20026;
constexpr uint32_t kEnoent = 2;
constexpr uint32_t kE2big = 7;
constexpr uint32_t kEbadf = 9;
constexpr uint32_t kEacces = 13;
constexpr uint32_t kEfault = 14;
constexpr uint32_t kEinval = 22;
constexpr uint32_t kEmfile = 24;
constexpr uint32_t kEspipe = 29;
constexpr uint32_t kEnosys = 88;
constexpr uint32_t kMaxTransfer = 1u << 20;  // longest string or buffer one call moves
constexpr uint32_t kFail = 0xFFFFFFFFu;
constexpr uint32_t kMaxHandles = 64;
/// Contents of ":semihosting-features": magic "SHFB", then feature byte 0
/// (SH_EXT_EXIT_EXTENDED | SH_EXT_STDOUT_STDERR).
constexpr uint8_t kFeatures[5] = {0x53, 0x48, 0x46, 0x42, 0x03};

}  // namespace

bool MProfile::guest_read(uint32_t addr, void* dst, uint32_t n) {
  if (uint64_t(addr) + n > (uint64_t(1) << 32)) return false;
  auto* out = static_cast<uint8_t*>(dst);
  while (n != 0) {
    tcg::HostRegion region;
    if (m_mem.map(addr, tcg::Access::Read, region) && region.readable && region.host &&
        addr >= region.base && addr < region.base + region.size) {
      const uint64_t avail = region.base + region.size - addr;
      const uint32_t chunk = static_cast<uint32_t>(std::min<uint64_t>(avail, n));
      std::memcpy(out, region.host + (addr - region.base), chunk);
      out += chunk;
      addr += chunk;
      n -= chunk;
      continue;
    }
    if (!m_mem.read(addr, out, 1, tcg::Access::Read).ok) return false;
    ++out;
    ++addr;
    --n;
  }
  return true;
}

bool MProfile::guest_write(uint32_t addr, const void* src, uint32_t n) {
  if (uint64_t(addr) + n > (uint64_t(1) << 32)) return false;
  const auto* in = static_cast<const uint8_t*>(src);
  for (uint32_t i = 0; i < n; ++i)
    if (!m_mem.write(addr + i, in + i, 1).ok) return false;
  return true;
}

bool MProfile::guest_string(uint32_t addr, uint32_t max, std::string& out) {
  out.clear();
  for (uint32_t i = 0; i < max; ++i) {
    if (uint64_t(addr) + i >= (uint64_t(1) << 32)) return false;
    char c;
    if (!guest_read(addr + i, &c, 1)) return false;
    if (c == '\0') return true;
    out.push_back(c);
  }
  return false;  // unterminated within the limit
}

void MProfile::host_write(int fd, std::string_view bytes) {
  if (m_io.write) {
    m_io.write(fd, bytes);
    return;
  }
  std::FILE* f = fd == 2 ? stderr : stdout;
  std::fwrite(bytes.data(), 1, bytes.size(), f);
  std::fflush(f);
}

void MProfile::semihost() {
  ArmState& s = m_state;
  const uint32_t result = semihost_op(s.r[0], s.r[1]);
  if (m_exited) return;
  s.r[0] = result;
  s.r[15] += 2;
}

void MProfile::reset_handles() {
  m_handles.assign(3, Handle{});
  m_handles[1].kind = HandleKind::Stdout;  // usable without SYS_OPEN
  m_handles[2].kind = HandleKind::Stderr;
}

MProfile::Handle* MProfile::handle(uint32_t h) {
  if (h >= m_handles.size() || m_handles[h].kind == HandleKind::Unused) return nullptr;
  return &m_handles[h];
}

uint32_t MProfile::semihost_op(uint32_t op, uint32_t param) {
  auto args = [&](unsigned n, uint32_t* out) {
    uint8_t raw[16];
    if (!guest_read(param, raw, 4 * n)) return false;
    for (unsigned i = 0; i < n; ++i)
      out[i] = uint32_t(raw[4 * i]) | uint32_t(raw[4 * i + 1]) << 8 | uint32_t(raw[4 * i + 2]) << 16 |
               uint32_t(raw[4 * i + 3]) << 24;
    return true;
  };
  auto fail = [&](uint32_t err) {
    m_semihost_errno = err;
    return kFail;
  };
  auto exit_with = [&](int status) {
    m_exited = true;
    m_exit_status = status;
    m_sleeping = true;
    if (m_io.exit) m_io.exit(status);
    return 0u;
  };
  auto now_ns = [&]() -> uint64_t {
    if (m_io.time_ns) return m_io.time_ns();
    const uint64_t hz = m_config.clock_hz ? m_config.clock_hz : 1;
    return m_cycles / hz * 1'000'000'000u + m_cycles % hz * 1'000'000'000u / hz;
  };
  auto is_console = [](const Handle* h) {
    return h && (h->kind == HandleKind::Stdin || h->kind == HandleKind::Stdout || h->kind == HandleKind::Stderr);
  };
  uint32_t a[4] = {};

  switch (op) {
    case 0x01: {  // SYS_OPEN {name, mode, length}
      if (!args(3, a)) return fail(kEfault);
      std::string name;
      if (!guest_string(a[0], std::min(a[2] + 1, kMaxTransfer), name)) return fail(kEfault);
      if (a[1] >= 12) return fail(kEinval);
      HandleKind kind;
      if (name == ":tt") {
        kind = a[1] < 4 ? HandleKind::Stdin : a[1] < 8 ? HandleKind::Stdout : HandleKind::Stderr;
      } else if (name == ":semihosting-features") {
        if (a[1] > 1) return fail(kEacces);
        kind = HandleKind::Features;
      } else {
        return fail(kEnoent);  // host files are never opened
      }
      uint32_t h = 1;
      while (h < m_handles.size() && m_handles[h].kind != HandleKind::Unused) ++h;
      if (h == m_handles.size()) {
        if (h >= kMaxHandles) return fail(kEmfile);
        m_handles.emplace_back();
      }
      m_handles[h] = Handle{kind, 0};
      return h;
    }
    case 0x02: {  // SYS_CLOSE {handle}
      if (!args(1, a)) return fail(kEfault);
      Handle* h = handle(a[0]);
      if (!h) return fail(kEbadf);
      *h = Handle{};
      return 0u;
    }
    case 0x03: {  // SYS_WRITEC: r1 points to the character
      char c;
      if (guest_read(param, &c, 1)) host_write(1, std::string_view(&c, 1));
      return m_state.r[0];
    }
    case 0x04: {  // SYS_WRITE0: r1 points to a NUL-terminated string
      std::string text;
      const bool ok = guest_string(param, kMaxTransfer, text);
      host_write(1, text);
      return ok ? m_state.r[0] : fail(kEfault);
    }
    case 0x05: {  // SYS_WRITE {handle, buffer, length} -> bytes not written
      if (!args(3, a)) return fail(kEfault);
      const Handle* h = handle(a[0]);
      if (!h || (h->kind != HandleKind::Stdout && h->kind != HandleKind::Stderr)) {
        m_semihost_errno = kEbadf;
        return a[2];
      }
      const int fd = h->kind == HandleKind::Stderr ? 2 : 1;
      uint32_t done = 0;
      char buf[4096];
      while (done < a[2]) {
        const uint32_t chunk = std::min<uint32_t>(a[2] - done, sizeof buf);
        if (!guest_read(a[1] + done, buf, chunk)) {
          m_semihost_errno = kEfault;
          break;
        }
        host_write(fd, std::string_view(buf, chunk));
        done += chunk;
      }
      return a[2] - done;
    }
    case 0x06: {  // SYS_READ {handle, buffer, length} -> bytes not read
      if (!args(3, a)) return fail(kEfault);
      Handle* h = handle(a[0]);
      uint32_t done = 0;
      if (h && h->kind == HandleKind::Features) {
        const uint32_t left = h->pos < sizeof kFeatures ? uint32_t(sizeof kFeatures) - h->pos : 0;
        const uint32_t n = std::min(left, a[2]);
        if (n && !guest_write(a[1], kFeatures + h->pos, n)) {
          m_semihost_errno = kEfault;
          return a[2];
        }
        h->pos += n;
        return a[2] - n;
      }
      if (!h || h->kind != HandleKind::Stdin) {
        m_semihost_errno = kEbadf;
        return a[2];
      }
      while (done < a[2]) {
        const int c = m_io.read_char ? m_io.read_char() : -1;
        if (c < 0) break;
        const char ch = static_cast<char>(c);
        if (!guest_write(a[1] + done, &ch, 1)) {
          m_semihost_errno = kEfault;
          break;
        }
        ++done;
        if (ch == '\n') break;
      }
      return a[2] - done;
    }
    case 0x07: {  // SYS_READC
      const int c = m_io.read_char ? m_io.read_char() : -1;
      return c < 0 ? kFail : static_cast<uint32_t>(c & 0xFF);
    }
    case 0x08:  // SYS_ISERROR {status}
      if (!args(1, a)) return fail(kEfault);
      return static_cast<int32_t>(a[0]) < 0 ? 1u : 0u;
    case 0x09: {  // SYS_ISTTY {handle}
      if (!args(1, a)) return fail(kEfault);
      const Handle* h = handle(a[0]);
      if (!h) return fail(kEbadf);
      return is_console(h) ? 1u : 0u;
    }
    case 0x0A: {  // SYS_SEEK {handle, position}
      if (!args(2, a)) return fail(kEfault);
      Handle* h = handle(a[0]);
      if (!h) return fail(kEbadf);
      if (h->kind != HandleKind::Features) return fail(kEspipe);
      h->pos = a[1];
      return 0u;
    }
    case 0x0C: {  // SYS_FLEN {handle}
      if (!args(1, a)) return fail(kEfault);
      const Handle* h = handle(a[0]);
      if (!h) return fail(kEbadf);
      if (h->kind != HandleKind::Features) return fail(kEspipe);
      return uint32_t(sizeof kFeatures);
    }
    case 0x10:  // SYS_CLOCK: centiseconds of simulated time
      return static_cast<uint32_t>(now_ns() / 10'000'000u);
    case 0x11:  // SYS_TIME: seconds since the epoch
      return static_cast<uint32_t>(m_io.epoch_seconds ? m_io.epoch_seconds()
                                                      : static_cast<uint64_t>(std::time(nullptr)));
    case 0x13:  // SYS_ERRNO
      return m_semihost_errno;
    case 0x15: {  // SYS_GET_CMDLINE {buffer, length}: empty command line
      if (!args(2, a)) return fail(kEfault);
      if (a[1] < 1) return fail(kE2big);
      const char nul = 0;
      const uint8_t zero[4] = {};
      if (!guest_write(param + 4, zero, 4) || !guest_write(a[0], &nul, 1)) return fail(kEfault);
      return 0u;
    }
    case 0x16: {  // SYS_HEAPINFO {pointer to 4 words}: all zero (use the image's defaults)
      if (!args(1, a)) return fail(kEfault);
      const uint8_t zero[16] = {};
      return guest_write(a[0], zero, 16) ? 0u : fail(kEfault);
    }
    case 0x18:  // SYS_EXIT: r1 is the reason code on 32-bit ARM
      return exit_with(param == kAdpStoppedApplicationExit ? 0 : 1);
    case 0x20:  // SYS_EXIT_EXTENDED {reason, subcode}
      if (!args(2, a)) return fail(kEfault);
      return exit_with(a[0] == kAdpStoppedApplicationExit ? static_cast<int>(a[1]) : 1);
    case 0x30: {  // SYS_ELAPSED {low word, high word}: nanosecond ticks
      const uint64_t t = now_ns();
      uint8_t raw[8];
      for (unsigned i = 0; i < 8; ++i) raw[i] = static_cast<uint8_t>(t >> 8 * i);
      return guest_write(param, raw, 8) ? 0u : fail(kEfault);
    }
    case 0x31:  // SYS_TICKFREQ
      return 1'000'000'000u;
    default:
      return fail(kEnosys);
  }
}

}  // namespace presil::cpu::arm
