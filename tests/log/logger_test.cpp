// SPDX-License-Identifier: Apache-2.0
// platform/log: -d and -dfilter parsing, the address filter, the timeline's JSON.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "platform/log/logger.h"
#include "platform/log/timeline.h"
#include "platform/options.h"

namespace presil::platform::log {
namespace {

std::string temp_path(const char* name) {
    return (std::filesystem::temp_directory_path() / (std::string("presil_log_test_") + name)).string();
}

std::string slurp(const std::string& path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

TEST(LogCategories, ParsesListsAndAll) {
    EXPECT_EQ(parse_categories("in_asm"), bit(Category::InAsm));
    EXPECT_EQ(parse_categories("exec,mmio,,guest_errors"),
              bit(Category::Exec) | bit(Category::Mmio) | bit(Category::GuestErrors));
    EXPECT_EQ(parse_categories("all"), (uint32_t(1) << static_cast<unsigned>(Category::Count)) - 1);
    EXPECT_EQ(categories().size(), static_cast<size_t>(Category::Count));
}

TEST(LogCategories, UnknownIsAConfigError) {
    try {
        parse_categories("in_asm,in_asn");
        FAIL() << "no error";
    } catch (const ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find("unknown log category 'in_asn'"), std::string::npos) << e.what();
    }
}

TEST(LogFilter, BothRangeForms) {
    auto r = parse_filter("0x1000+0x100,0x2000..0x2fff,100-199");
    ASSERT_EQ(r.size(), 3u);
    EXPECT_EQ(r[0].first, 0x1000u);
    EXPECT_EQ(r[0].last, 0x10ffu);
    EXPECT_EQ(r[1].first, 0x2000u);
    EXPECT_EQ(r[1].last, 0x2fffu);
    EXPECT_EQ(r[2].first, 100u);
    EXPECT_EQ(r[2].last, 199u);
}

TEST(LogFilter, MalformedRangesAreConfigErrors) {
    for (const char* bad : {"0x1000", "0x1000+0", "0x2000..0x1000", "zz+1", "0x10+0x", "", "0xffffffffffffffff+2"})
        EXPECT_THROW(parse_filter(bad), ConfigError) << bad;
}

TEST(LogFilter, BlocksOverlappingARangePass) {
    Logger log(bit(Category::Exec), temp_path("filter.log"), parse_filter("0x100+0x10"));
    EXPECT_TRUE(log.in_filter(0x100));
    EXPECT_TRUE(log.in_filter(0x10f));
    EXPECT_FALSE(log.in_filter(0x110));
    EXPECT_TRUE(log.in_filter(0xf0, 0x11));   // last byte 0x100
    EXPECT_FALSE(log.in_filter(0xf0, 0x10));  // ends at 0xff
    EXPECT_TRUE(log.wants(Category::Exec, 0x104));
    EXPECT_FALSE(log.wants(Category::Mmio, 0x104));
}

TEST(LogFile, WritesAndFlushesOnDestruction) {
    const std::string path = temp_path("out.log");
    {
        Logger log(bit(Category::Sync), path);
        log.print("sync: {} {}\n", "cpu0", 42);
    }
    EXPECT_EQ(slurp(path), "sync: cpu0 42\n");
    std::remove(path.c_str());
}

TEST(LogFile, UnwritablePathIsAConfigError) {
    EXPECT_THROW(Logger(0, "/nonexistent-folder/x.log"), ConfigError);
    EXPECT_THROW(Timeline("/nonexistent-folder/x.json"), ConfigError);
}

TEST(Timeline, ClosedFileIsCompleteJsonWithEscapes) {
    const std::string path = temp_path("trace.json");
    {
        Timeline t(path);
        const int tid = t.track("cpu \"0\"\n");
        EXPECT_EQ(t.track("cpu \"0\"\n"), tid);
        t.instant(tid, "sync", "sync", sc_core::sc_time(1500, sc_core::SC_NS), "\"cause\":\"quantum\"");
        t.complete(tid, "write 0x40004000", "tlm", sc_core::sc_time(2, sc_core::SC_US), sc_core::sc_time(7, sc_core::SC_PS));
        t.counter("cpu0 instructions", sc_core::sc_time(3, sc_core::SC_US), "insns", 1234);
        t.close();
        t.instant(tid, "dropped", "sync", sc_core::SC_ZERO_TIME);  // after close: ignored
    }
    const std::string s = slurp(path);
    EXPECT_NE(s.find("\"name\":\"cpu \\\"0\\\"\\u000a\""), std::string::npos) << s;
    EXPECT_NE(s.find("\"ts\":1.500000"), std::string::npos) << s;
    EXPECT_NE(s.find("\"ts\":2.000000,\"dur\":0.000007"), std::string::npos) << s;
    EXPECT_NE(s.find("\"insns\":1234"), std::string::npos) << s;
    EXPECT_EQ(s.find("dropped"), std::string::npos);
    EXPECT_EQ(s.substr(s.size() - 4), "\n]}\n");
    std::remove(path.c_str());
}

}  // namespace
}  // namespace presil::platform::log
