// SPDX-License-Identifier: Apache-2.0
// GDB command set over a fake target: registers, memory, breakpoints, threads, resume, queries, bad input.
#include <gtest/gtest.h>

#include <map>
#include <random>

#include "platform/gdb/packet.h"
#include "platform/gdb/session.h"

namespace presil::gdb {
namespace {

/// Two threads, 17 registers of 4 bytes (16 = xpsr-like), 64 KiB of memory at 0x1000.
class FakeTarget : public Target {
 public:
  uint32_t regs[2][17] = {};
  std::vector<uint8_t> mem = std::vector<uint8_t>(0x10000, 0);
  std::vector<std::tuple<bool, BreakType, uint64_t, uint64_t>> breaks;  ///< (insert, type, addr, len)
  std::string last_monitor;

  unsigned thread_count() const override { return 2; }
  std::string thread_name(unsigned t) const override { return "cpu" + std::to_string(t - 1); }
  std::string target_xml() const override { return std::string(5000, 'x') + "<end/>"; }
  unsigned register_count() const override { return 17; }
  unsigned register_size(unsigned) const override { return 4; }
  unsigned pc_register() const override { return 15; }
  bool read_register(unsigned t, unsigned r, uint64_t& v) override {
    if (r == 16) return false;  // unavailable
    v = regs[t - 1][r];
    return true;
  }
  bool write_register(unsigned t, unsigned r, uint64_t v) override {
    if (r == 16) return false;
    regs[t - 1][r] = uint32_t(v);
    return true;
  }
  size_t read_memory(unsigned, uint64_t addr, uint8_t* data, size_t len) override {
    size_t n = 0;
    for (; n < len && addr + n >= 0x1000 && addr + n < 0x1000 + mem.size(); ++n) data[n] = mem[addr + n - 0x1000];
    return n;
  }
  size_t write_memory(unsigned, uint64_t addr, const uint8_t* data, size_t len) override {
    size_t n = 0;
    for (; n < len && addr + n >= 0x1000 && addr + n < 0x1000 + mem.size(); ++n) mem[addr + n - 0x1000] = data[n];
    return n;
  }
  bool insert_break(BreakType t, uint64_t a, uint64_t l) override {
    breaks.emplace_back(true, t, a, l);
    return true;
  }
  bool remove_break(BreakType t, uint64_t a, uint64_t l) override {
    breaks.emplace_back(false, t, a, l);
    return a != 0xdead;
  }
  bool monitor(std::string_view cmd, std::string& out) override {
    last_monitor = std::string(cmd);
    if (cmd != "stats") return false;
    out += "insns 42\n";
    return true;
  }
};

class GdbSession : public ::testing::Test {
 protected:
  FakeTarget t;
  Session s{t};
  std::string reply(std::string_view p) {
    Reply r = s.handle(p);
    EXPECT_EQ(r.resume.kind, Resume::Kind::None) << p;
    EXPECT_TRUE(r.payload.has_value()) << p;
    return r.payload.value_or("<none>");
  }
};

TEST_F(GdbSession, QSupportedAnnouncesFeatures) {
  const std::string r = reply("qSupported:multiprocess+;swbreak+;hwbreak+;xmlRegisters=i386");
  EXPECT_NE(r.find("PacketSize=4000"), std::string::npos);
  EXPECT_NE(r.find("qXfer:features:read+"), std::string::npos);
  EXPECT_NE(r.find("swbreak+"), std::string::npos);
  EXPECT_NE(r.find("hwbreak+"), std::string::npos);
}

TEST_F(GdbSession, TargetXmlInChunks) {
  const std::string a = reply("qXfer:features:read:target.xml:0,1000");
  ASSERT_EQ(a[0], 'm');
  EXPECT_EQ(a.size(), 0x1001u);
  const std::string b = reply("qXfer:features:read:target.xml:1000,1000");
  ASSERT_EQ(b[0], 'l');
  EXPECT_EQ(b.substr(1), std::string(5000 - 0x1000, 'x') + "<end/>");
  EXPECT_EQ(reply("qXfer:features:read:target.xml:ffff,10"), "l");
  EXPECT_EQ(reply("qXfer:features:read:other.xml:0,10"), "E00");
  EXPECT_EQ(reply("qXfer:features:read:target.xml:zz,10"), "E01");
}

TEST_F(GdbSession, RegistersReadAndWrite) {
  t.regs[0][0] = 0x12345678;
  t.regs[0][15] = 0x400;
  const std::string g = reply("g");
  ASSERT_EQ(g.size(), 17u * 8);
  EXPECT_EQ(g.substr(0, 8), "78563412");
  EXPECT_EQ(g.substr(15 * 8, 8), "00040000");
  EXPECT_EQ(g.substr(16 * 8), "xxxxxxxx");  // unavailable
  EXPECT_EQ(reply("p0"), "78563412");
  EXPECT_EQ(reply("p10"), "xxxxxxxx");
  EXPECT_EQ(reply("P1=efbeadde"), "OK");
  EXPECT_EQ(t.regs[0][1], 0xdeadbeefu);
  EXPECT_EQ(reply("P1=efbead"), "E01");   // short
  EXPECT_EQ(reply("P1=efbeadzz"), "E01");  // bad hex
  EXPECT_EQ(reply("P11=00000000"), "E01");  // no register 17
  EXPECT_EQ(reply("p"), "E01");
  std::string G = g;
  G.replace(2 * 8, 8, "01000000");
  EXPECT_EQ(reply("G" + G), "OK");  // xx fields are skipped
  EXPECT_EQ(t.regs[0][2], 1u);
  EXPECT_EQ(reply("G" + G.substr(0, 20)), "E01");
  EXPECT_EQ(reply("G" + G + "00"), "E01");
}

TEST_F(GdbSession, ThreadsSelectRegisters) {
  t.regs[1][0] = 7;
  EXPECT_EQ(reply("qfThreadInfo"), "m1,2");
  EXPECT_EQ(reply("qsThreadInfo"), "l");
  EXPECT_EQ(reply("Hg2"), "OK");
  EXPECT_EQ(reply("p0"), "07000000");
  EXPECT_EQ(reply("qC"), "QC2");
  EXPECT_EQ(reply("Hg3"), "E01");
  EXPECT_EQ(reply("Hg0"), "OK");  // any: keep the current one
  EXPECT_EQ(reply("p0"), "07000000");
  EXPECT_EQ(reply("Hc-1"), "OK");
  EXPECT_EQ(reply("Hx1"), "E01");
  EXPECT_EQ(reply("T2"), "OK");
  EXPECT_EQ(reply("T3"), "E01");
  EXPECT_EQ(reply("qThreadExtraInfo,2"), to_hex("cpu1"));
  EXPECT_EQ(reply("qAttached"), "1");
}

TEST_F(GdbSession, MemoryReadWriteAndBinaryWrite) {
  EXPECT_EQ(reply("M1000,4:01020304"), "OK");
  EXPECT_EQ(reply("m1000,4"), "01020304");
  EXPECT_EQ(reply("m1002,4"), "03040000");
  EXPECT_EQ(reply("m10,4"), "E01");       // unmapped
  EXPECT_EQ(reply("m10fff,4"), "00");     // partial: what could be read
  EXPECT_EQ(reply("M1000,4:0102"), "E01");  // length mismatch
  EXPECT_EQ(reply("M1000,2:zzzz"), "E01");
  EXPECT_EQ(reply("X1000,0:"), "OK");     // X probe
  EXPECT_EQ(reply(std::string("X1004,3:#$}", 11)), "OK");  // unescaped by the reader already
  EXPECT_EQ(reply("m1004,3"), to_hex("#$}"));
  EXPECT_EQ(reply("m1000"), "E01");
  EXPECT_EQ(reply("m,4"), "E01");
  EXPECT_EQ(reply("mffffffffffffffffff,4"), "E01");
  // Huge lengths are capped, not allocated.
  const std::string big = reply("m1000,ffffffff");
  EXPECT_LE(big.size(), kMaxPacket);
  EXPECT_GT(big.size(), 1000u);
}

TEST_F(GdbSession, BreakpointsAndWatchpoints) {
  EXPECT_EQ(reply("Z0,400,2"), "OK");
  EXPECT_EQ(reply("Z1,404,2"), "OK");
  EXPECT_EQ(reply("Z2,20000000,4"), "OK");
  EXPECT_EQ(reply("Z3,20000000,4"), "OK");
  EXPECT_EQ(reply("Z4,20000000,1;X1,0"), "OK");  // condition list ignored
  EXPECT_EQ(reply("z0,400,2"), "OK");
  EXPECT_EQ(reply("z0,dead,2"), "E01");
  EXPECT_EQ(reply("Z5,400,2"), "");  // unsupported type
  EXPECT_EQ(reply("Z2,0,0"), "E01");
  EXPECT_EQ(reply("Z0,400"), "E01");
  ASSERT_EQ(t.breaks.size(), 7u);
  EXPECT_EQ(t.breaks[2], std::make_tuple(true, BreakType::WriteWatch, uint64_t(0x20000000), uint64_t(4)));
  EXPECT_EQ(t.breaks[4], std::make_tuple(true, BreakType::AccessWatch, uint64_t(0x20000000), uint64_t(1)));
}

TEST_F(GdbSession, ResumePackets) {
  Reply r = s.handle("c");
  EXPECT_EQ(r.resume.kind, Resume::Kind::Continue);
  EXPECT_FALSE(r.payload);
  r = s.handle("s");
  EXPECT_EQ(r.resume.kind, Resume::Kind::Step);
  r = s.handle("c500");
  EXPECT_EQ(r.resume.kind, Resume::Kind::Continue);
  EXPECT_EQ(t.regs[0][15], 0x500u);
  r = s.handle("C05;600");
  EXPECT_EQ(r.resume.kind, Resume::Kind::Continue);
  EXPECT_EQ(t.regs[0][15], 0x600u);
  r = s.handle("Cxx");
  EXPECT_EQ(r.payload, "E01");
  EXPECT_EQ(reply("vCont?"), "vCont;c;C;s;S;t");
  r = s.handle("vCont;s:2;c");
  EXPECT_EQ(r.resume.kind, Resume::Kind::Step);
  EXPECT_EQ(r.resume.thread, 2u);
  r = s.handle("vCont;c");
  EXPECT_EQ(r.resume.kind, Resume::Kind::Continue);
  r = s.handle("vCont;C05:1");
  EXPECT_EQ(r.resume.kind, Resume::Kind::Continue);
  for (const char* bad : {"vCont;", "vCont;x", "vCont;s:9", "vCont;;c", "vCont;cc", "vCont;Czz"}) {
    r = s.handle(bad);
    EXPECT_EQ(r.resume.kind, Resume::Kind::None) << bad;
    EXPECT_EQ(r.payload, "E01") << bad;
  }
  r = s.handle("D");
  EXPECT_EQ(r.resume.kind, Resume::Kind::Detach);
  EXPECT_EQ(r.payload, "OK");
  r = s.handle("k");
  EXPECT_EQ(r.resume.kind, Resume::Kind::Kill);
  EXPECT_FALSE(r.payload);
}

TEST_F(GdbSession, StopRepliesCarryReasonThreadAndPc) {
  t.regs[1][15] = 0x1234;
  StopInfo st;
  st.thread = 2;
  st.reason = StopInfo::Reason::Watch;
  st.addr = 0x20000010;
  EXPECT_EQ(s.stop_reply(st), "T05watch:20000010;thread:2;0f:34120000;");
  EXPECT_EQ(reply("?"), "T05watch:20000010;thread:2;0f:34120000;");
  EXPECT_EQ(reply("qC"), "QC2");  // the stopped thread is selected
  st.reason = StopInfo::Reason::SwBreak;
  EXPECT_EQ(s.stop_reply(st), "T05swbreak:;thread:2;0f:34120000;");
  st.reason = StopInfo::Reason::ReadWatch;
  EXPECT_EQ(s.stop_reply(st).substr(0, 18), "T05rwatch:20000010");
  st.reason = StopInfo::Reason::AccessWatch;
  EXPECT_EQ(s.stop_reply(st).substr(0, 18), "T05awatch:20000010");
  st.reason = StopInfo::Reason::Signal;
  st.signal = kSigInt;
  EXPECT_EQ(s.stop_reply(st), "T02thread:2;0f:34120000;");
}

TEST_F(GdbSession, MonitorNoAckAndUnknownPackets) {
  EXPECT_EQ(reply("qRcmd," + to_hex("stats")), to_hex("insns 42\n"));
  const std::string unknown = *from_hex(reply("qRcmd," + to_hex("frobnicate")));
  EXPECT_NE(unknown.find("unknown monitor command 'frobnicate'"), std::string::npos);
  EXPECT_EQ(reply("qRcmd,zz"), "E01");
  EXPECT_FALSE(s.no_ack());
  EXPECT_EQ(reply("QStartNoAckMode"), "OK");
  EXPECT_TRUE(s.no_ack());
  EXPECT_EQ(reply("vMustReplyEmpty"), "");
  EXPECT_EQ(reply("qTStatus"), "");
  EXPECT_EQ(reply("!"), "");
  EXPECT_EQ(reply(""), "");
}

TEST_F(GdbSession, RandomPacketsAreAnsweredWithoutCrashing) {
  std::mt19937 rng(11);
  const std::vector<std::string> heads = {"m", "M", "X", "g", "G", "p", "P", "Z", "z", "H", "T", "c", "s", "C",
                                          "S", "vCont;", "qXfer:features:read:target.xml:", "qRcmd,", "q", "D"};
  const std::string alphabet = "0123456789abcdefABCDEF,:;=-xXsScCt";
  for (int i = 0; i < 5000; ++i) {
    std::string p = heads[rng() % heads.size()];
    const size_t n = rng() % 40;
    for (size_t k = 0; k < n; ++k) p += (rng() % 8) ? alphabet[rng() % alphabet.size()] : char(rng());
    const Reply r = s.handle(p);
    if (r.payload) {
      EXPECT_LE(r.payload->size(), 2 * kMaxPacket);
    }
  }
}

}  // namespace
}  // namespace presil::gdb
