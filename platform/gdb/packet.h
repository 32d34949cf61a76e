// SPDX-License-Identifier: Apache-2.0
// GDB remote serial protocol framing: $payload#xx packets, +/- acks, } escapes, hex helpers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace presil::gdb {

/// Largest unescaped payload accepted (also announced as PacketSize).
inline constexpr size_t kMaxPacket = 0x4000;

/// Modulo-256 sum of the bytes, as in `#xx`.
uint8_t checksum(std::string_view bytes);
/// Frames `payload` as `$escaped#xx` (escapes $, #, } and *; never run-length encodes).
std::string frame(std::string_view payload);
/// Escapes binary data for qXfer / X-style replies (} followed by byte ^ 0x20).
std::string escape_binary(std::string_view bytes);
/// Undoes } escapes; nullopt for a trailing lone `}`.
std::optional<std::string> unescape_binary(std::string_view bytes);

/// Lower-case hex of the bytes.
std::string to_hex(std::string_view bytes);
/// Lower-case hex of `size` bytes of `value`, least significant byte first (target order).
std::string to_hex_le(uint64_t value, unsigned size);
/// Decodes an even-length hex string; nullopt on a bad digit or odd length.
std::optional<std::string> from_hex(std::string_view hex);
/// Parses a hex number of at most 16 digits; nullopt when empty, too long or not hex.
std::optional<uint64_t> parse_hex(std::string_view hex);
/// Decodes `size` (1..8) bytes of little-endian hex; nullopt unless exactly 2*size hex digits.
std::optional<uint64_t> from_hex_le(std::string_view hex, unsigned size);

/// One thing read from the connection.
struct Event {
  enum class Kind : uint8_t {
    Packet,       ///< a complete packet with a good checksum (payload unescaped)
    BadChecksum,  ///< a complete packet whose checksum did not match (answer `-`)
    TooLong,      ///< a packet longer than kMaxPacket (dropped)
    Interrupt,    ///< 0x03 outside a packet (Ctrl-C)
    Ack,          ///< `+`
    Nack,         ///< `-` (resend the last packet)
  };
  Kind kind;
  std::string payload;  ///< Packet: the payload after unescaping and run-length expansion
};

/// Splits a byte stream into events. Bounded: never holds more than
/// kMaxPacket payload bytes; bytes outside packets other than +, - and 0x03
/// are ignored. Safe for any input.
class PacketReader {
 public:
  /// Consumes `bytes`, appending the events completed by them to `out`.
  void feed(std::string_view bytes, std::vector<Event>& out);
  /// Convenience: feed() into a fresh vector.
  std::vector<Event> feed(std::string_view bytes) {
    std::vector<Event> out;
    feed(bytes, out);
    return out;
  }

 private:
  enum class State : uint8_t { Idle, Body, Escape, Repeat, Sum1, Sum2 };
  void end_packet(std::vector<Event>& out);
  State m_state = State::Idle;
  std::string m_raw;       ///< payload bytes as received (escaped), for the checksum
  std::string m_payload;   ///< unescaped, run-length expanded
  bool m_overflow = false;
  bool m_bad = false;      ///< malformed body (run-length at the start, bad count)
  uint8_t m_sum = 0;       ///< running checksum of the raw bytes
  int m_hi = 0;            ///< first checksum digit
  bool m_sum_ok = true;
};

}  // namespace presil::gdb
