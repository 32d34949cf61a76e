// SPDX-License-Identifier: Apache-2.0
// The GDB command set: registers, memory, breakpoints, threads, resume, queries.
//
// Owns the meaning of each packet and the reply it gets. Every field is parsed
// with bounds (hex numbers of at most 16 digits, lengths capped at the packet
// size); anything malformed gets an error reply, anything unknown the empty
// reply, as the protocol asks.
#include "platform/gdb/session.h"

#include <algorithm>
#include <vector>

#include <fmt/format.h>

#include "platform/gdb/packet.h"

namespace presil::gdb {

namespace {

constexpr const char* kError = "E01";
/// Largest memory transfer per packet (hex doubles it; stays under kMaxPacket).
constexpr size_t kMaxTransfer = kMaxPacket / 2 - 16;

/// Splits `s` at the first `sep`: {before, after}; nullopt if absent.
std::optional<std::pair<std::string_view, std::string_view>> split(std::string_view s, char sep) {
  const size_t i = s.find(sep);
  if (i == std::string_view::npos) return std::nullopt;
  return std::pair{s.substr(0, i), s.substr(i + 1)};
}

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

}  // namespace

std::optional<unsigned> Session::thread_id(std::string_view s, unsigned current) const {
  if (s == "-1" || s == "0") return current;
  const auto v = parse_hex(s);
  if (!v || *v < 1 || *v > m_target.thread_count()) return std::nullopt;
  return unsigned(*v);
}

Reply Session::handle(std::string_view p) {
  Reply r;
  if (p.empty()) {
    r.payload = "";
    return r;
  }
  const std::string_view args = p.substr(1);
  switch (p[0]) {
    case '?': r.payload = stop_reply(m_last_stop); return r;
    case 'g': r.payload = read_all_registers(); return r;
    case 'G': r.payload = write_all_registers(args); return r;
    case 'p': r.payload = read_one_register(args); return r;
    case 'P': r.payload = write_one_register(args); return r;
    case 'm': r.payload = read_memory(args); return r;
    case 'M': r.payload = write_memory(args, false); return r;
    case 'X': r.payload = write_memory(args, true); return r;
    case 'Z': r.payload = breakpoint(args, true); return r;
    case 'z': r.payload = breakpoint(args, false); return r;
    case 'H': r.payload = set_thread(args); return r;
    case 'T': r.payload = thread_id(args, 0) && args != "0" && args != "-1" ? "OK" : kError; return r;
    case 'c':
    case 's':
    case 'C':
    case 'S': return resume(p);
    case 'v': return v_packet(p);
    case 'q':
    case 'Q': r.payload = query(p, r); return r;
    case 'D':
      r.payload = "OK";
      r.resume.kind = Resume::Kind::Detach;
      return r;
    case 'k':
      r.resume.kind = Resume::Kind::Kill;  // no reply
      return r;
    default: r.payload = ""; return r;
  }
}

std::string Session::stop_reply(const StopInfo& stop) {
  m_last_stop = stop;
  std::string s = fmt::format("T{:02x}", stop.signal & 0xff);
  switch (stop.reason) {
    case StopInfo::Reason::Signal: break;
    case StopInfo::Reason::SwBreak: s += "swbreak:;"; break;
    case StopInfo::Reason::HwBreak: s += "hwbreak:;"; break;
    case StopInfo::Reason::Watch: s += fmt::format("watch:{:x};", stop.addr); break;
    case StopInfo::Reason::ReadWatch: s += fmt::format("rwatch:{:x};", stop.addr); break;
    case StopInfo::Reason::AccessWatch: s += fmt::format("awatch:{:x};", stop.addr); break;
  }
  s += fmt::format("thread:{:x};", stop.thread);
  const unsigned pc = m_target.pc_register();
  uint64_t value = 0;
  if (pc < m_target.register_count() && m_target.read_register(stop.thread, pc, value))
    s += fmt::format("{:02x}:{};", pc, to_hex_le(value, m_target.register_size(pc)));
  m_g_thread = m_c_thread = stop.thread;
  return s;
}

std::string Session::read_all_registers() {
  std::string out;
  for (unsigned reg = 0; reg < m_target.register_count(); ++reg) {
    const unsigned size = std::clamp(m_target.register_size(reg), 1u, 8u);
    uint64_t v = 0;
    if (m_target.read_register(m_g_thread, reg, v)) out += to_hex_le(v, size);
    else out += std::string(2 * size, 'x');  // unavailable
  }
  return out;
}

std::string Session::write_all_registers(std::string_view hex) {
  size_t pos = 0;
  for (unsigned reg = 0; reg < m_target.register_count() && pos < hex.size(); ++reg) {
    const unsigned size = std::clamp(m_target.register_size(reg), 1u, 8u);
    if (hex.size() - pos < 2 * size) return kError;
    const std::string_view field = hex.substr(pos, 2 * size);
    pos += 2 * size;
    if (field.find('x') != std::string_view::npos) continue;  // unavailable: leave it
    const auto v = from_hex_le(field, size);
    if (!v) return kError;
    if (!m_target.write_register(m_g_thread, reg, *v)) return kError;
  }
  return pos == hex.size() ? "OK" : kError;
}

std::string Session::read_one_register(std::string_view args) {
  const auto reg = parse_hex(args);
  if (!reg || *reg >= m_target.register_count()) return kError;
  const unsigned size = std::clamp(m_target.register_size(unsigned(*reg)), 1u, 8u);
  uint64_t v = 0;
  if (!m_target.read_register(m_g_thread, unsigned(*reg), v)) return std::string(2 * size, 'x');
  return to_hex_le(v, size);
}

std::string Session::write_one_register(std::string_view args) {
  const auto parts = split(args, '=');
  if (!parts) return kError;
  const auto reg = parse_hex(parts->first);
  if (!reg || *reg >= m_target.register_count()) return kError;
  const unsigned size = std::clamp(m_target.register_size(unsigned(*reg)), 1u, 8u);
  const auto v = from_hex_le(parts->second, size);
  if (!v || !m_target.write_register(m_g_thread, unsigned(*reg), *v)) return kError;
  return "OK";
}

std::string Session::read_memory(std::string_view args) {
  const auto parts = split(args, ',');
  if (!parts) return kError;
  const auto addr = parse_hex(parts->first);
  const auto len = parse_hex(parts->second);
  if (!addr || !len) return kError;
  const size_t n = size_t(std::min<uint64_t>(*len, kMaxTransfer));
  if (n == 0) return "";
  std::vector<uint8_t> buf(n);
  const size_t got = std::min(n, m_target.read_memory(m_g_thread, *addr, buf.data(), n));
  if (got == 0) return kError;
  return to_hex(std::string_view(reinterpret_cast<const char*>(buf.data()), got));
}

std::string Session::write_memory(std::string_view args, bool binary) {
  const auto head = split(args, ':');
  if (!head) return kError;
  const auto parts = split(head->first, ',');
  if (!parts) return kError;
  const auto addr = parse_hex(parts->first);
  const auto len = parse_hex(parts->second);
  if (!addr || !len || *len > kMaxPacket) return kError;
  // The reader already undid } escapes for X packets' binary data.
  std::optional<std::string> data = binary ? std::optional<std::string>(std::string(head->second))
                                           : from_hex(head->second);
  if (!data || data->size() != *len) return kError;
  if (data->empty()) return "OK";  // X with length 0 probes for X support
  const size_t put =
      m_target.write_memory(m_g_thread, *addr, reinterpret_cast<const uint8_t*>(data->data()), data->size());
  return put == data->size() ? "OK" : kError;
}

std::string Session::breakpoint(std::string_view args, bool insert) {
  // type,addr,kind[;cond...] (conditions are not supported: ignored after ';')
  const std::string_view body = args.substr(0, args.find(';'));
  const auto a = split(body, ',');
  if (!a) return kError;
  const auto b = split(a->second, ',');
  if (!b) return kError;
  const auto type = parse_hex(a->first);
  const auto addr = parse_hex(b->first);
  const auto len = parse_hex(b->second);
  if (!type || !addr || !len) return kError;
  if (*type > 4) return "";  // unsupported type
  const auto t = BreakType(*type);
  if (t >= BreakType::WriteWatch && (*len == 0 || *len > 0x10000)) return kError;
  const bool ok = insert ? m_target.insert_break(t, *addr, *len) : m_target.remove_break(t, *addr, *len);
  return ok ? "OK" : kError;
}

std::string Session::set_thread(std::string_view args) {
  if (args.size() < 2) return kError;
  const char op = args[0];
  const auto t = thread_id(args.substr(1), op == 'g' ? m_g_thread : m_c_thread);
  if (!t) return kError;
  if (op == 'g') m_g_thread = *t;
  else if (op == 'c') m_c_thread = *t;
  else return kError;
  return "OK";
}

Reply Session::resume(std::string_view p) {
  Reply r;
  // c[addr], s[addr], Csig[;addr], Ssig[;addr]
  std::string_view addr_field = p.substr(1);
  if (p[0] == 'C' || p[0] == 'S') {
    const auto parts = split(addr_field, ';');
    if (!parse_hex(parts ? parts->first : addr_field)) {
      r.payload = kError;
      return r;
    }
    addr_field = parts ? parts->second : std::string_view{};
  }
  const unsigned thread = m_c_thread;
  if (!addr_field.empty()) {
    const auto addr = parse_hex(addr_field);
    if (!addr || !m_target.write_register(thread, m_target.pc_register(), *addr)) {
      r.payload = kError;
      return r;
    }
  }
  r.resume.kind = (p[0] == 's' || p[0] == 'S') ? Resume::Kind::Step : Resume::Kind::Continue;
  r.resume.thread = thread;
  return r;
}

Reply Session::v_packet(std::string_view p) {
  Reply r;
  if (p == "vCont?") {
    r.payload = "vCont;c;C;s;S;t";
    return r;
  }
  if (starts_with(p, "vCont;")) {
    // Actions left to right; the first that applies to a thread wins. All-stop:
    // a step of one thread steps only that thread; otherwise everything continues.
    std::string_view rest = p.substr(6);
    bool any = false, cont = false;
    unsigned step_thread = 0;
    while (!rest.empty()) {
      const size_t semi = rest.find(';');
      const std::string_view action = rest.substr(0, semi);
      rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
      if (action.empty()) {
        r.payload = kError;
        return r;
      }
      const auto colon = split(action, ':');
      const std::string_view verb = colon ? colon->first : action;
      unsigned thread = m_c_thread;
      if (colon) {
        const auto t = thread_id(colon->second, m_c_thread);
        if (!t) {
          r.payload = kError;
          return r;
        }
        thread = *t;
      }
      const char a = verb[0];
      if ((a == 'C' || a == 'S') && !parse_hex(verb.substr(1))) {
        r.payload = kError;
        return r;
      }
      if ((a == 'c' || a == 's' || a == 't') && verb.size() != 1) {
        r.payload = kError;
        return r;
      }
      if (a == 's' || a == 'S') {
        if (!step_thread) step_thread = thread;
      } else if (a == 'c' || a == 'C') {
        cont = true;
      } else if (a != 't') {
        r.payload = kError;
        return r;
      }
      any = true;
    }
    if (!any) {
      r.payload = kError;
      return r;
    }
    if (step_thread) {
      r.resume.kind = Resume::Kind::Step;
      r.resume.thread = step_thread;
    } else if (cont) {
      r.resume.kind = Resume::Kind::Continue;
      r.resume.thread = m_c_thread;
    } else {
      r.payload = stop_reply(m_last_stop);  // only `t`: already stopped
    }
    return r;
  }
  if (starts_with(p, "vKill")) {
    r.payload = "OK";
    r.resume.kind = Resume::Kind::Kill;
    return r;
  }
  r.payload = "";  // vMustReplyEmpty, vFile, vRun...: not supported
  return r;
}

std::string Session::xfer_features(std::string_view args) {
  // target.xml:OFFSET,LENGTH
  const auto parts = split(args, ':');
  if (!parts || parts->first != "target.xml") return "E00";
  const auto range = split(parts->second, ',');
  if (!range) return kError;
  const auto off = parse_hex(range->first);
  const auto len = parse_hex(range->second);
  if (!off || !len) return kError;
  const std::string xml = m_target.target_xml();
  if (*off >= xml.size()) return "l";
  const size_t n = size_t(std::min<uint64_t>({*len, xml.size() - *off, kMaxTransfer}));
  const bool last = *off + n >= xml.size();
  return (last ? "l" : "m") + xml.substr(size_t(*off), n);  // framing escapes it
}

std::string Session::query(std::string_view p, Reply& r) {
  (void)r;
  if (starts_with(p, "qSupported")) {
    return fmt::format("PacketSize={:x};qXfer:features:read+;swbreak+;hwbreak+;QStartNoAckMode+;vContSupported+",
                       kMaxPacket);
  }
  if (p == "QStartNoAckMode") {
    m_no_ack = true;
    return "OK";
  }
  if (starts_with(p, "qXfer:features:read:")) return xfer_features(p.substr(20));
  if (p == "qfThreadInfo") {
    std::string s = "m";
    for (unsigned t = 1; t <= m_target.thread_count(); ++t) s += fmt::format("{}{:x}", t > 1 ? "," : "", t);
    return s;
  }
  if (p == "qsThreadInfo") return "l";
  if (p == "qC") return fmt::format("QC{:x}", m_g_thread);
  if (p == "qAttached" || starts_with(p, "qAttached:")) return "1";
  if (starts_with(p, "qThreadExtraInfo,")) {
    const auto t = thread_id(p.substr(17), m_g_thread);
    if (!t) return kError;
    const std::string name = m_target.thread_name(*t);
    return to_hex(name);
  }
  if (starts_with(p, "qRcmd,")) {
    const auto cmd = from_hex(p.substr(6));
    if (!cmd) return kError;
    std::string out;
    if (!m_target.monitor(*cmd, out)) out += "unknown monitor command '" + *cmd + "' (try: monitor help)\n";
    return out.empty() ? "OK" : to_hex(out);
  }
  if (p == "qSymbol::") return "OK";
  return "";
}

}  // namespace presil::gdb
