// SPDX-License-Identifier: Apache-2.0
// GDB packet framing and hex helpers: pure functions over bytes, no I/O.
//
// Owns the byte-level protocol: checksums, escaping, run-length expansion of
// received packets, and a reader that turns an arbitrary (possibly hostile)
// byte stream into bounded events.
#include "platform/gdb/packet.h"

namespace presil::gdb {

namespace {

constexpr char kHex[] = "0123456789abcdef";

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool needs_escape(char c) { return c == '$' || c == '#' || c == '}' || c == '*'; }

}  // namespace

uint8_t checksum(std::string_view bytes) {
  uint8_t sum = 0;
  for (char c : bytes) sum = uint8_t(sum + uint8_t(c));
  return sum;
}

std::string escape_binary(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  for (char c : bytes) {
    if (needs_escape(c)) {
      out += '}';
      out += char(c ^ 0x20);
    } else {
      out += c;
    }
  }
  return out;
}

std::optional<std::string> unescape_binary(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (bytes[i] != '}') {
      out += bytes[i];
      continue;
    }
    if (++i == bytes.size()) return std::nullopt;
    out += char(bytes[i] ^ 0x20);
  }
  return out;
}

std::string frame(std::string_view payload) {
  const std::string body = escape_binary(payload);
  const uint8_t sum = checksum(body);
  std::string out;
  out.reserve(body.size() + 4);
  out += '$';
  out += body;
  out += '#';
  out += kHex[sum >> 4];
  out += kHex[sum & 15];
  return out;
}

std::string to_hex(std::string_view bytes) {
  std::string out;
  out.reserve(2 * bytes.size());
  for (char c : bytes) {
    out += kHex[uint8_t(c) >> 4];
    out += kHex[uint8_t(c) & 15];
  }
  return out;
}

std::string to_hex_le(uint64_t value, unsigned size) {
  std::string out;
  for (unsigned i = 0; i < size && i < 8; ++i) {
    const uint8_t b = uint8_t(value >> (8 * i));
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  return out;
}

std::optional<std::string> from_hex(std::string_view hex) {
  if (hex.size() % 2) return std::nullopt;
  std::string out;
  out.reserve(hex.size() / 2);
  for (size_t i = 0; i < hex.size(); i += 2) {
    const int hi = hex_digit(hex[i]), lo = hex_digit(hex[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += char(hi << 4 | lo);
  }
  return out;
}

std::optional<uint64_t> parse_hex(std::string_view hex) {
  if (hex.empty() || hex.size() > 16) return std::nullopt;
  uint64_t v = 0;
  for (char c : hex) {
    const int d = hex_digit(c);
    if (d < 0) return std::nullopt;
    v = v << 4 | uint64_t(d);
  }
  return v;
}

std::optional<uint64_t> from_hex_le(std::string_view hex, unsigned size) {
  if (size == 0 || size > 8 || hex.size() != 2 * size) return std::nullopt;
  const auto bytes = from_hex(hex);
  if (!bytes) return std::nullopt;
  uint64_t v = 0;
  for (unsigned i = 0; i < size; ++i) v |= uint64_t(uint8_t((*bytes)[i])) << (8 * i);
  return v;
}

// --- PacketReader ----------------------------------------------------------------

void PacketReader::end_packet(std::vector<Event>& out) {
  if (m_overflow) {
    out.push_back({Event::Kind::TooLong, {}});
  } else if (!m_sum_ok || m_bad) {
    out.push_back({Event::Kind::BadChecksum, {}});
  } else {
    out.push_back({Event::Kind::Packet, std::move(m_payload)});
  }
  m_payload.clear();
  m_state = State::Idle;
}

void PacketReader::feed(std::string_view bytes, std::vector<Event>& out) {
  for (char c : bytes) {
    switch (m_state) {
      case State::Idle:
        if (c == '$') {
          m_state = State::Body;
          m_payload.clear();
          m_overflow = m_bad = false;
          m_sum = 0;
        } else if (c == '\x03') {
          out.push_back({Event::Kind::Interrupt, {}});
        } else if (c == '+') {
          out.push_back({Event::Kind::Ack, {}});
        } else if (c == '-') {
          out.push_back({Event::Kind::Nack, {}});
        }
        break;
      case State::Body:
        if (c == '#') {
          m_state = State::Sum1;
          break;
        }
        if (c == '$') {
          // A new packet starts inside this one: the sender gave up on it.
          m_payload.clear();
          m_overflow = m_bad = false;
          m_sum = 0;
          break;
        }
        m_sum = uint8_t(m_sum + uint8_t(c));
        if (c == '}') {
          m_state = State::Escape;
        } else if (c == '*') {
          m_state = State::Repeat;
        } else if (m_payload.size() < kMaxPacket) {
          m_payload += c;
        } else {
          m_overflow = true;
        }
        break;
      case State::Escape:
        if (c == '#') {  // `}` right before the end: malformed
          m_bad = true;
          m_state = State::Sum1;
          break;
        }
        m_sum = uint8_t(m_sum + uint8_t(c));
        if (m_payload.size() < kMaxPacket) m_payload += char(c ^ 0x20);
        else m_overflow = true;
        m_state = State::Body;
        break;
      case State::Repeat: {
        if (c == '#') {
          m_bad = true;
          m_state = State::Sum1;
          break;
        }
        m_sum = uint8_t(m_sum + uint8_t(c));
        m_state = State::Body;
        // `X*n`: X repeated n - 29 more times (n printable, at least ' ' + 3).
        const int count = int(uint8_t(c)) - 29;
        if (m_payload.empty() || count < 3 || count > 97) {
          m_bad = true;
          break;
        }
        if (m_payload.size() + size_t(count) > kMaxPacket) {
          m_overflow = true;
          break;
        }
        m_payload.append(size_t(count), m_payload.back());
        break;
      }
      case State::Sum1:
        m_hi = hex_digit(c);
        m_state = State::Sum2;
        break;
      case State::Sum2: {
        const int lo = hex_digit(c);
        m_sum_ok = m_hi >= 0 && lo >= 0 && uint8_t(m_hi << 4 | lo) == m_sum;
        end_packet(out);
        break;
      }
    }
  }
}

}  // namespace presil::gdb
