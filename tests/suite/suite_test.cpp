// SPDX-License-Identifier: Apache-2.0
// Unit tests of the suite loader (defaults, ${VAR}, paths, errors) and the report helpers.
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <unistd.h>

#include <gtest/gtest.h>

#include "platform/suite/suite.h"

namespace fs = std::filesystem;
using namespace presil::platform::suite;

namespace {

/// Writes `text` to a fresh suite file in a temporary folder (with an empty golden file) and returns its path.
std::string write_suite(const std::string& text) {
    fs::path dir = fs::temp_directory_path() / ("presil-suite-test-" + std::to_string(::getpid()));
    fs::create_directories(dir / "sub");
    std::ofstream(dir / "sub" / "g.out") << "line\n";
    fs::path file = dir / "sub" / "s.yaml";
    std::ofstream(file) << text;
    return file.string();
}

}  // namespace

TEST(SuiteLoader, AppliesDefaultsExpandsVariablesAndResolvesPaths) {
    ::setenv("PRESIL_SUITE_TEST_ENV", "envdir", 1);
    std::string file = write_suite(
        "suite: s\n"
        "defaults: { board: ../b.yaml, quantum: 1us, max-wall: 2s, repeat: 3, args: [--x] }\n"
        "cases:\n"
        "  - { name: a, firmware: '${D}/a.elf', expect: { exit: 5, golden: g.out } }\n"
        "  - { name: b, board: /abs/b.yaml, firmware: '${PRESIL_SUITE_TEST_ENV}/b.elf', quantum: 1ms, repeat: 1,\n"
        "      max-time: 10us, args: '-v', expect: { regex: 'a+' } }\n");
    fs::path dir = fs::path(file).parent_path();
    Suite s = load_suite(file, {{"D", "/fw"}});
    EXPECT_EQ(s.name, "s");
    ASSERT_EQ(s.cases.size(), 2u);
    const SuiteCase& a = s.cases[0];
    EXPECT_EQ(a.board, (dir.parent_path() / "b.yaml").string());
    EXPECT_EQ(a.firmware, "/fw/a.elf");
    EXPECT_EQ(a.quantum, "1us");
    EXPECT_EQ(a.max_wall_ns, 2'000'000'000u);
    EXPECT_EQ(a.repeat, 3u);
    EXPECT_EQ(a.args, std::vector<std::string>{"--x"});
    EXPECT_EQ(a.expect_exit, 5);
    EXPECT_EQ(a.check, OutputCheck::Golden);
    EXPECT_EQ(a.expect_text, (dir / "g.out").string());
    const SuiteCase& b = s.cases[1];
    EXPECT_EQ(b.board, "/abs/b.yaml");
    EXPECT_EQ(b.firmware, (dir / "envdir" / "b.elf").string());
    EXPECT_EQ(b.quantum, "1ms");
    EXPECT_EQ(b.max_time, "10us");
    EXPECT_EQ(b.repeat, 1u);
    EXPECT_EQ(b.args, std::vector<std::string>{"-v"});
    EXPECT_EQ(b.check, OutputCheck::Regex);
    EXPECT_EQ(b.expect_exit, 0);
}

TEST(SuiteLoader, ErrorsNameFileLineAndColumn) {
    std::string file = write_suite("suite: s\ncases:\n  - { name: a, board: b.yaml, max-wall: 5 }\n");
    try {
        load_suite(file, {});
        FAIL() << "expected a SuiteError";
    } catch (const SuiteError& e) {
        EXPECT_EQ(std::string(e.what()).rfind(file + ":3:41: 'max-wall':", 0), 0u) << e.what();
    }
    file = write_suite("suite: s\ncases:\n  - { name: a, board: b.yaml, expect: { golden: missing.out } }\n");
    EXPECT_THROW(load_suite(file, {}), SuiteError);
    file = write_suite("suite: s\n");
    EXPECT_THROW(load_suite(file, {}), SuiteError);
}

TEST(SuiteReports, GoldenTimeLinesMatchAnyTimeLine) {
    EXPECT_TRUE(golden_match("a\n[time] 12 cycles\nb\n", "a\n[time] 99 cycles\nb\n"));
    EXPECT_TRUE(golden_match("a\r\nb\r\n", "a\nb\n"));
    EXPECT_FALSE(golden_match("a\n[time] 1\nb\n", "a\nb\n"));
    EXPECT_FALSE(golden_match("a\n[timer] 1\n", "a\n[timer] 2\n"));
    EXPECT_FALSE(golden_match("a\n", "a\nb\n"));
}

TEST(SuiteReports, EscapesXmlAndJson) {
    EXPECT_EQ(xml_escape("<a & \"b\" 'c'>"), "&lt;a &amp; &quot;b&quot; &apos;c&apos;&gt;");
    EXPECT_EQ(xml_escape(std::string("x\x01y\xffz\xc3\xa9\n")), "x\\x01y\\xffz\xc3\xa9\n");
    EXPECT_EQ(json_escape("a\"b\\c\nd\x02"), "a\\\"b\\\\c\\nd\\u0002");
    EXPECT_EQ(json_escape(std::string("\xfe")), "\\\\xfe");
}
