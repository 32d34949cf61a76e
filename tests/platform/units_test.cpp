// SPDX-License-Identifier: Apache-2.0
// Tests of unit parsing/printing and of OptionReader's typed reads and errors.
#include <gtest/gtest.h>

#include "platform/options.h"
#include "platform/units.h"

namespace presil::platform {
namespace {

/// The message of the exception `f` throws, "" if it throws none.
template <class E, class F> std::string error_of(F&& f) {
    try {
        f();
    } catch (const E& e) {
        return e.what();
    }
    return {};
}

TEST(Units, Times) {
    EXPECT_EQ(parse_time_ps("10us"), 10'000'000u);
    EXPECT_EQ(parse_time_ps("1ms"), 1'000'000'000u);
    EXPECT_EQ(parse_time_ps("100ns"), 100'000u);
    EXPECT_EQ(parse_time_ps("1s"), 1'000'000'000'000u);
    EXPECT_EQ(parse_time_ps("5ps"), 5u);
    EXPECT_EQ(parse_time_ps("1.5us"), 1'500'000u);
    EXPECT_EQ(parse_time_ps(" 2 ms "), 2'000'000'000u);
    EXPECT_EQ(parse_time("10us"), sc_core::sc_time(10, sc_core::SC_US));
}

TEST(Units, TimeErrors) {
    EXPECT_EQ(error_of<UnitError>([] { parse_time_ps("10"); }),
              "expected a time with a unit (ps, ns, us, ms, s), e.g. 10us, got '10' (missing unit)");
    EXPECT_EQ(error_of<UnitError>([] { parse_time_ps("10 parsecs"); }),
              "expected a time with a unit (ps, ns, us, ms, s), e.g. 10us, got '10 parsecs' (unknown unit 'parsecs')");
    EXPECT_EQ(error_of<UnitError>([] { parse_time_ps("us"); }),
              "expected a time with a unit (ps, ns, us, ms, s), e.g. 10us, got 'us'");
    EXPECT_EQ(error_of<UnitError>([] { parse_time_ps("0.5ps"); }),
              "expected a time with a unit (ps, ns, us, ms, s), e.g. 10us, got '0.5ps' (finer than the smallest unit)");
    EXPECT_NE(error_of<UnitError>([] { parse_time_ps("99999999999999999999s"); }).find("too large"), std::string::npos);
    EXPECT_NE(error_of<UnitError>([] { parse_time_ps("-1us"); }), "");
    EXPECT_NE(error_of<UnitError>([] { parse_time_ps("1..2us"); }), "");
}

TEST(Units, Frequencies) {
    EXPECT_EQ(parse_frequency_hz("25MHz"), 25'000'000u);
    EXPECT_EQ(parse_frequency_hz("32768Hz"), 32768u);
    EXPECT_EQ(parse_frequency_hz("1GHz"), 1'000'000'000u);
    EXPECT_EQ(parse_frequency_hz("12.5kHz"), 12'500u);
    EXPECT_EQ(parse_frequency_hz("1000"), 1000u);
    EXPECT_EQ(error_of<UnitError>([] { parse_frequency_hz("25Mhz"); }),
              "expected a frequency (Hz, kHz, MHz, GHz), e.g. 25MHz, got '25Mhz' (unknown unit 'Mhz')");
    EXPECT_EQ(error_of<UnitError>([] { parse_frequency_hz("0Hz"); }),
              "expected a frequency (Hz, kHz, MHz, GHz), e.g. 25MHz, got '0Hz' (must be greater than zero)");
}

TEST(Units, Sizes) {
    EXPECT_EQ(parse_size("4MiB"), 4u << 20);
    EXPECT_EQ(parse_size("0x1000"), 0x1000u);
    EXPECT_EQ(parse_size("64KiB"), 64u << 10);
    EXPECT_EQ(parse_size("1G"), 1u << 30);
    EXPECT_EQ(parse_size("16K"), 16u << 10);
    EXPECT_EQ(parse_size("4096"), 4096u);
    EXPECT_EQ(parse_size("0xFFFFFFFF"), 0xffffffffu);
    EXPECT_EQ(parse_size("0x10 KiB"), 16u << 10);
    EXPECT_EQ(error_of<UnitError>([] { parse_size("4MB"); }),
              "expected a size: an integer (decimal or 0x..) optionally followed by KiB, MiB or GiB, e.g. 64KiB, got '4MB' (unknown unit 'MB')");
    EXPECT_EQ(error_of<UnitError>([] { parse_size("1.5KiB"); }),
              "expected a size: an integer (decimal or 0x..) optionally followed by KiB, MiB or GiB, e.g. 64KiB, got '1.5KiB' (not a whole number of bytes)");
    EXPECT_NE(error_of<UnitError>([] { parse_size("0x"); }), "");
    EXPECT_NE(error_of<UnitError>([] { parse_size("0x1ffffffffffffffff"); }).find("too large"), std::string::npos);
    EXPECT_NE(error_of<UnitError>([] { parse_size("17179869184GiB"); }).find("too large"), std::string::npos);
}

TEST(Units, Formatting) {
    EXPECT_EQ(format_size(4u << 20), "4MiB");
    EXPECT_EQ(format_size(4100), "4100");
    EXPECT_EQ(format_size(0), "0");
    EXPECT_EQ(format_size(0x1000), "4KiB");
    EXPECT_EQ(format_time_ps(10'000'000), "10us");
    EXPECT_EQ(format_time_ps(1500), "1500ps");
    EXPECT_EQ(format_frequency(25'000'000), "25MHz");
    EXPECT_EQ(format_frequency(32768), "32768Hz");
}

/// An OptionReader over `yaml` (a map) as if written in "board.yaml".
OptionReader reader(const std::string& yaml) {
    return OptionReader(YAML::Load(yaml), std::make_shared<const std::string>("board.yaml"));
}

TEST(Options, TypedReads) {
    OptionReader r = reader("{clock: 25MHz, fifo: 16, console: stdout, enabled: true, delay: 10ns, window: 4KiB, ratio: 0.5}");
    EXPECT_EQ(r.frequency_hz("clock", 1), 25'000'000u);
    EXPECT_EQ(r.get<unsigned>("fifo", 0), 16u);
    EXPECT_EQ(r.string("console", "none"), "stdout");
    EXPECT_TRUE(r.get<bool>("enabled", false));
    EXPECT_EQ(r.time("delay", sc_core::SC_ZERO_TIME), sc_core::sc_time(10, sc_core::SC_NS));
    EXPECT_EQ(r.size("window", 0), 4096u);
    EXPECT_DOUBLE_EQ(r.get<double>("ratio", 0), 0.5);
    EXPECT_EQ(r.get<int>("absent", -3), -3);
    EXPECT_EQ(r.string("absent2", "dflt"), "dflt");
    EXPECT_NO_THROW(r.finish());
    EXPECT_EQ(r.keys(), (std::vector<std::string>{"clock", "fifo", "console", "enabled", "delay", "window", "ratio"}));
}

TEST(Options, ErrorsPointAtTheValue) {
    OptionReader r = reader("clock: 25MHz\nfifo: lots\ndelay: 10\n");
    EXPECT_EQ(error_of<ConfigError>([&] { r.get<unsigned>("fifo", 0); }),
              "board.yaml:2:7: expected a non-negative integer for option 'fifo', got 'lots'");
    EXPECT_EQ(error_of<ConfigError>([&] { r.time("delay", sc_core::SC_ZERO_TIME); }),
              "board.yaml:3:8: option 'delay': expected a time with a unit (ps, ns, us, ms, s), e.g. 10us, got '10' (missing unit)");
    EXPECT_EQ(error_of<ConfigError>([&] { r.get<bool>("clock", false); }),
              "board.yaml:1:8: expected a boolean (true/false) for option 'clock', got '25MHz'");
}

TEST(Options, FinishRefusesUnknownKeys) {
    OptionReader r = reader("clock: 25MHz\nbaud: 9600\n");
    r.frequency_hz("clock", 1);
    r.string("console", "stdout");
    EXPECT_EQ(error_of<ConfigError>([&] { r.finish(); }),
              "board.yaml:2:1: unknown option 'baud' (expected one of: clock, console)");
    OptionReader none = reader("x: 1\n");
    EXPECT_EQ(error_of<ConfigError>([&] { none.finish(); }), "board.yaml:1:1: unknown option 'x' (this entry takes no options)");
}

TEST(Options, NonMapIsRefused) {
    EXPECT_EQ(error_of<ConfigError>([] { reader("[1, 2]"); }), "board.yaml:1:1: expected a map of options (key: value)");
    OptionReader empty = reader("~");
    EXPECT_FALSE(empty.has("x"));
    EXPECT_NO_THROW(empty.finish());
}

TEST(Options, NestedValueIsNotAScalar) {
    OptionReader r = reader("console: {a: 1}\n");
    EXPECT_EQ(error_of<ConfigError>([&] { r.string("console", ""); }), "board.yaml:1:10: expected a string for option 'console'");
}

}  // namespace
}  // namespace presil::platform
