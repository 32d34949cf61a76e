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
#include <vector>

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

/// The semihosting calls, one function per operation, dispatched through kOps (friend of MProfile).
struct MProfileSemihost {
  using Handle = MProfile::Handle;
  using HandleKind = MProfile::HandleKind;

  /// One call in progress: the model and r1.
  struct Call {
    MProfile& m;
    uint32_t param;

    /// Reads n words of the parameter block at r1.
    bool args(unsigned n, uint32_t* out) const {
      uint8_t raw[16];
      if (!m.guest_read(param, raw, 4 * n)) return false;
      for (unsigned i = 0; i < n; ++i)
        out[i] = uint32_t(raw[4 * i]) | uint32_t(raw[4 * i + 1]) << 8 | uint32_t(raw[4 * i + 2]) << 16 |
                 uint32_t(raw[4 * i + 3]) << 24;
      return true;
    }
    /// Sets errno and returns -1.
    uint32_t fail(uint32_t err) const {
      m.m_semihost_errno = err;
      return kFail;
    }
    /// Sets errno and returns `value` (calls whose error result is not -1).
    uint32_t fail_with(uint32_t err, uint32_t value) const {
      m.m_semihost_errno = err;
      return value;
    }
    /// Simulated nanoseconds since reset.
    uint64_t now_ns() const {
      if (m.m_io.time_ns) return m.m_io.time_ns();
      const uint64_t hz = m.m_config.clock_hz ? m.m_config.clock_hz : 1;
      return m.m_cycles / hz * 1'000'000'000u + m.m_cycles % hz * 1'000'000'000u / hz;
    }
    /// Stops the guest with `status`.
    uint32_t exit_with(int status) const {
      m.m_exited = true;
      m.m_exit_status = status;
      m.m_sleeping = true;
      if (m.m_io.exit) m.m_io.exit(status);
      return 0;
    }
    /// The open handle `h`, or nullptr.
    Handle* handle(uint32_t h) const { return m.handle(h); }
  };

  static bool is_console(const Handle* h) {
    return h && (h->kind == HandleKind::Stdin || h->kind == HandleKind::Stdout || h->kind == HandleKind::Stderr);
  }

  // SYS_OPEN {name, mode, length}: ":tt" and ":semihosting-features" only.
  static uint32_t sys_open(const Call& c) {
    uint32_t a[3];
    if (!c.args(3, a)) return c.fail(kEfault);
    std::string name;
    if (!c.m.guest_string(a[0], std::min(a[2] + 1, kMaxTransfer), name)) return c.fail(kEfault);
    if (a[1] >= 12) return c.fail(kEinval);
    HandleKind kind;
    if (name == ":tt") {
      kind = a[1] < 4 ? HandleKind::Stdin : a[1] < 8 ? HandleKind::Stdout : HandleKind::Stderr;
    } else if (name == ":semihosting-features") {
      if (a[1] > 1) return c.fail(kEacces);
      kind = HandleKind::Features;
    } else {
      return c.fail(kEnoent);  // host files are never opened
    }
    std::vector<Handle>& handles = c.m.m_handles;
    uint32_t h = 1;
    while (h < handles.size() && handles[h].kind != HandleKind::Unused) ++h;
    if (h == handles.size()) {
      if (h >= kMaxHandles) return c.fail(kEmfile);
      handles.emplace_back();
    }
    handles[h] = Handle{kind, 0};
    return h;
  }

  // SYS_CLOSE {handle}
  static uint32_t sys_close(const Call& c) {
    uint32_t a[1];
    if (!c.args(1, a)) return c.fail(kEfault);
    Handle* h = c.handle(a[0]);
    if (!h) return c.fail(kEbadf);
    *h = Handle{};
    return 0;
  }

  // SYS_WRITEC: r1 points to the character.
  static uint32_t sys_writec(const Call& c) {
    char ch;
    if (c.m.guest_read(c.param, &ch, 1)) c.m.host_write(1, std::string_view(&ch, 1));
    return c.m.m_state.r[0];
  }

  // SYS_WRITE0: r1 points to a NUL-terminated string.
  static uint32_t sys_write0(const Call& c) {
    std::string text;
    const bool ok = c.m.guest_string(c.param, kMaxTransfer, text);
    c.m.host_write(1, text);
    return ok ? c.m.m_state.r[0] : c.fail(kEfault);
  }

  // SYS_WRITE {handle, buffer, length} -> bytes not written.
  static uint32_t sys_write(const Call& c) {
    uint32_t a[3];
    if (!c.args(3, a)) return c.fail(kEfault);
    const Handle* h = c.handle(a[0]);
    if (!h || (h->kind != HandleKind::Stdout && h->kind != HandleKind::Stderr)) return c.fail_with(kEbadf, a[2]);
    const int fd = h->kind == HandleKind::Stderr ? 2 : 1;
    uint32_t done = 0;
    char buf[4096];
    while (done < a[2]) {
      const uint32_t chunk = std::min<uint32_t>(a[2] - done, sizeof buf);
      if (!c.m.guest_read(a[1] + done, buf, chunk)) return c.fail_with(kEfault, a[2] - done);
      c.m.host_write(fd, std::string_view(buf, chunk));
      done += chunk;
    }
    return 0;
  }

  // SYS_READ {handle, buffer, length} -> bytes not read.
  static uint32_t sys_read(const Call& c) {
    uint32_t a[3];
    if (!c.args(3, a)) return c.fail(kEfault);
    Handle* h = c.handle(a[0]);
    if (h && h->kind == HandleKind::Features) {
      const uint32_t left = h->pos < sizeof kFeatures ? uint32_t(sizeof kFeatures) - h->pos : 0;
      const uint32_t n = std::min(left, a[2]);
      if (n && !c.m.guest_write(a[1], kFeatures + h->pos, n)) return c.fail_with(kEfault, a[2]);
      h->pos += n;
      return a[2] - n;
    }
    if (!h || h->kind != HandleKind::Stdin) return c.fail_with(kEbadf, a[2]);
    uint32_t done = 0;
    while (done < a[2]) {
      const int ch = c.m.m_io.read_char ? c.m.m_io.read_char() : -1;
      if (ch < 0) break;
      const char byte = static_cast<char>(ch);
      if (!c.m.guest_write(a[1] + done, &byte, 1)) return c.fail_with(kEfault, a[2] - done);
      ++done;
      if (byte == '\n') break;
    }
    return a[2] - done;
  }

  // SYS_READC
  static uint32_t sys_readc(const Call& c) {
    const int ch = c.m.m_io.read_char ? c.m.m_io.read_char() : -1;
    return ch < 0 ? kFail : static_cast<uint32_t>(ch & 0xFF);
  }

  // SYS_ISERROR {status}
  static uint32_t sys_iserror(const Call& c) {
    uint32_t a[1];
    if (!c.args(1, a)) return c.fail(kEfault);
    return static_cast<int32_t>(a[0]) < 0 ? 1 : 0;
  }

  // SYS_ISTTY {handle}
  static uint32_t sys_istty(const Call& c) {
    uint32_t a[1];
    if (!c.args(1, a)) return c.fail(kEfault);
    const Handle* h = c.handle(a[0]);
    if (!h) return c.fail(kEbadf);
    return is_console(h) ? 1 : 0;
  }

  // SYS_SEEK {handle, position}: only static files seek.
  static uint32_t sys_seek(const Call& c) {
    uint32_t a[2];
    if (!c.args(2, a)) return c.fail(kEfault);
    Handle* h = c.handle(a[0]);
    if (!h) return c.fail(kEbadf);
    if (h->kind != HandleKind::Features) return c.fail(kEspipe);
    h->pos = a[1];
    return 0;
  }

  // SYS_FLEN {handle}
  static uint32_t sys_flen(const Call& c) {
    uint32_t a[1];
    if (!c.args(1, a)) return c.fail(kEfault);
    const Handle* h = c.handle(a[0]);
    if (!h) return c.fail(kEbadf);
    if (h->kind != HandleKind::Features) return c.fail(kEspipe);
    return uint32_t(sizeof kFeatures);
  }

  // SYS_CLOCK: centiseconds of simulated time.
  static uint32_t sys_clock(const Call& c) { return static_cast<uint32_t>(c.now_ns() / 10'000'000u); }

  // SYS_TIME: seconds since the epoch.
  static uint32_t sys_time(const Call& c) {
    return static_cast<uint32_t>(c.m.m_io.epoch_seconds ? c.m.m_io.epoch_seconds()
                                                        : static_cast<uint64_t>(std::time(nullptr)));
  }

  // SYS_ERRNO
  static uint32_t sys_errno(const Call& c) { return c.m.m_semihost_errno; }

  // SYS_GET_CMDLINE {buffer, length}: an empty command line.
  static uint32_t sys_get_cmdline(const Call& c) {
    uint32_t a[2];
    if (!c.args(2, a)) return c.fail(kEfault);
    if (a[1] < 1) return c.fail(kE2big);
    const char nul = 0;
    const uint8_t zero[4] = {};
    if (!c.m.guest_write(c.param + 4, zero, 4) || !c.m.guest_write(a[0], &nul, 1)) return c.fail(kEfault);
    return 0;
  }

  // SYS_HEAPINFO {pointer to 4 words}: all zero (the image's own defaults apply).
  static uint32_t sys_heapinfo(const Call& c) {
    uint32_t a[1];
    if (!c.args(1, a)) return c.fail(kEfault);
    const uint8_t zero[16] = {};
    return c.m.guest_write(a[0], zero, 16) ? 0 : c.fail(kEfault);
  }

  // SYS_EXIT: r1 is the reason code on 32-bit ARM.
  static uint32_t sys_exit(const Call& c) {
    return c.exit_with(c.param == kAdpStoppedApplicationExit ? 0 : 1);
  }

  // SYS_EXIT_EXTENDED {reason, subcode}
  static uint32_t sys_exit_extended(const Call& c) {
    uint32_t a[2];
    if (!c.args(2, a)) return c.fail(kEfault);
    return c.exit_with(a[0] == kAdpStoppedApplicationExit ? static_cast<int>(a[1]) : 1);
  }

  // SYS_ELAPSED {low word, high word}: nanosecond ticks.
  static uint32_t sys_elapsed(const Call& c) {
    const uint64_t t = c.now_ns();
    uint8_t raw[8];
    for (unsigned i = 0; i < 8; ++i) raw[i] = static_cast<uint8_t>(t >> 8 * i);
    return c.m.guest_write(c.param, raw, 8) ? 0 : c.fail(kEfault);
  }

  // SYS_TICKFREQ: SYS_ELAPSED ticks per second.
  static uint32_t sys_tickfreq(const Call&) { return 1'000'000'000u; }

  /// One semihosting operation.
  struct Op {
    uint32_t number;
    const char* name;
    uint32_t (*fn)(const Call&);
  };
  static constexpr Op kOps[] = {
      {0x01, "SYS_OPEN", sys_open},       {0x02, "SYS_CLOSE", sys_close},
      {0x03, "SYS_WRITEC", sys_writec},   {0x04, "SYS_WRITE0", sys_write0},
      {0x05, "SYS_WRITE", sys_write},     {0x06, "SYS_READ", sys_read},
      {0x07, "SYS_READC", sys_readc},     {0x08, "SYS_ISERROR", sys_iserror},
      {0x09, "SYS_ISTTY", sys_istty},     {0x0A, "SYS_SEEK", sys_seek},
      {0x0C, "SYS_FLEN", sys_flen},       {0x10, "SYS_CLOCK", sys_clock},
      {0x11, "SYS_TIME", sys_time},       {0x13, "SYS_ERRNO", sys_errno},
      {0x15, "SYS_GET_CMDLINE", sys_get_cmdline}, {0x16, "SYS_HEAPINFO", sys_heapinfo},
      {0x18, "SYS_EXIT", sys_exit},       {0x20, "SYS_EXIT_EXTENDED", sys_exit_extended},
      {0x30, "SYS_ELAPSED", sys_elapsed}, {0x31, "SYS_TICKFREQ", sys_tickfreq},
  };
};

uint32_t MProfile::semihost_op(uint32_t op, uint32_t param) {
  const MProfileSemihost::Call call{*this, param};
  for (const MProfileSemihost::Op& o : MProfileSemihost::kOps)
    if (o.number == op) return o.fn(call);
  return call.fail(kEnosys);  // unsupported operation (SYS_SYSTEM, SYS_REMOVE, ...)
}

}  // namespace presil::cpu::arm
