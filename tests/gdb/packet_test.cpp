// SPDX-License-Identifier: Apache-2.0
// GDB packet layer: checksums, framing, escapes, run-length, malformed and over-long input, hex.
#include <gtest/gtest.h>

#include <random>

#include "platform/gdb/packet.h"

namespace presil::gdb {
namespace {

using Kind = Event::Kind;

std::string fmt_hex(uint8_t s) {
  const char* hex = "0123456789abcdef";
  return {hex[s >> 4], hex[s & 15]};
}

TEST(GdbPacket, ChecksumIsTheByteSumModulo256) {
  EXPECT_EQ(checksum(""), 0);
  EXPECT_EQ(checksum("OK"), 0x9a);
  EXPECT_EQ(checksum(std::string(300, '\xff')), uint8_t(300 * 0xff));
}

TEST(GdbPacket, FrameAddsChecksumAndEscapes) {
  EXPECT_EQ(frame("OK"), "$OK#9a");
  EXPECT_EQ(frame(""), "$#00");
  // $ # } * are sent as } and the byte xor 0x20.
  const std::string body = "a}\x04" "b}\x03" "c}]d}\x0a";
  EXPECT_EQ(frame("a$b#c}d*"), "$" + body + "#" + fmt_hex(checksum(body)));
}

TEST(GdbPacket, ReaderRoundTripsFramedPayloads) {
  PacketReader r;
  for (const std::string p : {"qSupported:swbreak+;hwbreak+", "", "X20000000,4:\x01$#}*\x7f", "m0,4"}) {
    auto ev = r.feed(frame(p));
    ASSERT_EQ(ev.size(), 1u) << p;
    EXPECT_EQ(ev[0].kind, Kind::Packet);
    EXPECT_EQ(ev[0].payload, p);
  }
}

TEST(GdbPacket, ReaderHandlesAcksInterruptsAndNoise) {
  PacketReader r;
  auto ev = r.feed(std::string("+-\x03garbage$g#67+", 16));
  ASSERT_EQ(ev.size(), 5u);
  EXPECT_EQ(ev[0].kind, Kind::Ack);
  EXPECT_EQ(ev[1].kind, Kind::Nack);
  EXPECT_EQ(ev[2].kind, Kind::Interrupt);
  EXPECT_EQ(ev[3].kind, Kind::Packet);
  EXPECT_EQ(ev[3].payload, "g");
  EXPECT_EQ(ev[4].kind, Kind::Ack);
}

TEST(GdbPacket, ReaderAssemblesPacketsSplitAcrossReads) {
  PacketReader r;
  const std::string f = frame("vCont;c");
  std::vector<Event> ev;
  for (char c : f) r.feed(std::string_view(&c, 1), ev);
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].payload, "vCont;c");
}

TEST(GdbPacket, BadChecksumsAreReported) {
  PacketReader r;
  auto ev = r.feed("$g#00$g#zz$g#6");
  ASSERT_EQ(ev.size(), 2u);
  EXPECT_EQ(ev[0].kind, Kind::BadChecksum);
  EXPECT_EQ(ev[1].kind, Kind::BadChecksum);
  ev = r.feed("7");  // completes "$g#67"? no: the third packet was "$g#6" + "7"
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].kind, Kind::Packet);
}

TEST(GdbPacket, RunLengthIsExpanded) {
  PacketReader r;
  // "0* " = '0' then 3 more ('␠' = 32 = 29 + 3).
  const std::string body = "0* ";
  const uint8_t s = checksum(body);
  auto ev = r.feed("$" + body + "#" + fmt_hex(s));
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].kind, Kind::Packet);
  EXPECT_EQ(ev[0].payload, "0000");
}

TEST(GdbPacket, MalformedRunLengthAndEscapesAreRejected) {
  PacketReader r;
  for (const std::string body : {"* ", "a*\x01", "ab}", "a*"}) {
    auto ev = r.feed("$" + body + "#" + fmt_hex(checksum(body)));
    ASSERT_EQ(ev.size(), 1u) << body;
    EXPECT_EQ(ev[0].kind, Kind::BadChecksum) << body;
  }
}

TEST(GdbPacket, OverLongPacketsAreDroppedNotBuffered) {
  PacketReader r;
  const std::string body(kMaxPacket + 100, 'a');
  auto ev = r.feed("$" + body + "#" + fmt_hex(checksum(body)));
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].kind, Kind::TooLong);
  // Run-length cannot inflate past the limit either.
  std::string rle;
  for (size_t i = 0; i < kMaxPacket / 90 + 10; ++i) rle += "a*~";  // 1 + 97 bytes each
  ev = r.feed("$" + rle + "#" + fmt_hex(checksum(rle)));
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].kind, Kind::TooLong);
  // And the reader still works afterwards.
  ev = r.feed(frame("?"));
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].payload, "?");
}

TEST(GdbPacket, ANewStartAbandonsAHalfPacket) {
  PacketReader r;
  auto ev = r.feed("$m0,4$" + frame("g").substr(1));
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].payload, "g");
}

TEST(GdbPacket, RandomBytesNeverCrashOrExceedTheLimit) {
  std::mt19937 rng(7);
  PacketReader r;
  const std::string alphabet = "$#}*+-\x03" "0123456789abcdefgmM,:;";
  size_t events = 0;
  for (int i = 0; i < 2000; ++i) {
    std::string chunk(rng() % 512, '\0');
    for (char& c : chunk) c = (rng() & 1) ? alphabet[rng() % alphabet.size()] : char(rng());
    for (const Event& e : r.feed(chunk)) {
      EXPECT_LE(e.payload.size(), kMaxPacket);
      ++events;
    }
  }
  EXPECT_GT(events, 0u);
}

TEST(GdbHex, EncodeDecode) {
  EXPECT_EQ(to_hex(std::string("\x01\xab\xff", 3)), "01abff");
  EXPECT_EQ(from_hex("01ABff"), std::string("\x01\xab\xff", 3));
  EXPECT_FALSE(from_hex("0"));
  EXPECT_FALSE(from_hex("0g"));
  EXPECT_EQ(to_hex_le(0x12345678, 4), "78563412");
  EXPECT_EQ(from_hex_le("78563412", 4), 0x12345678u);
  EXPECT_FALSE(from_hex_le("785634", 4));
  EXPECT_FALSE(from_hex_le("7856341x", 4));
  EXPECT_FALSE(from_hex_le("", 0));
  EXPECT_EQ(parse_hex("20000000"), 0x20000000u);
  EXPECT_EQ(parse_hex("FFFFFFFFFFFFFFFF"), ~uint64_t(0));
  EXPECT_FALSE(parse_hex(""));
  EXPECT_FALSE(parse_hex("10000000000000000"));  // 17 digits
  EXPECT_FALSE(parse_hex("-1"));
  EXPECT_EQ(unescape_binary("a}\x03"), std::string("a#"));
  EXPECT_FALSE(unescape_binary("a}"));
  EXPECT_EQ(escape_binary("#"), "}\x03");
}

}  // namespace
}  // namespace presil::gdb
