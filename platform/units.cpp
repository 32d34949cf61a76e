// SPDX-License-Identifier: Apache-2.0
// Parsing and printing of times, frequencies and sizes written with units.
#include "platform/units.h"

#include <array>
#include <cctype>
#include <limits>

namespace presil::platform {
namespace {

/// A unit suffix and how many base units it is worth.
struct Unit {
    std::string_view name;
    uint64_t scale;
};

constexpr std::array kTimeUnits{Unit{"ps", 1}, Unit{"ns", 1'000}, Unit{"us", 1'000'000},
                                Unit{"ms", 1'000'000'000}, Unit{"s", 1'000'000'000'000}};
constexpr std::array kFrequencyUnits{Unit{"Hz", 1}, Unit{"kHz", 1'000}, Unit{"KHz", 1'000},
                                     Unit{"MHz", 1'000'000}, Unit{"GHz", 1'000'000'000}};
constexpr std::array kSizeUnits{Unit{"", 1},          Unit{"KiB", 1ull << 10}, Unit{"MiB", 1ull << 20},
                                Unit{"GiB", 1ull << 30}, Unit{"K", 1ull << 10},   Unit{"M", 1ull << 20},
                                Unit{"G", 1ull << 30}};

constexpr const char* kTimeExpected = "expected a time with a unit (ps, ns, us, ms, s), e.g. 10us";
constexpr const char* kFrequencyExpected = "expected a frequency (Hz, kHz, MHz, GHz), e.g. 25MHz";
constexpr const char* kSizeExpected = "expected a size: an integer (decimal or 0x..) optionally followed by KiB, MiB or GiB, e.g. 64KiB";

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

[[noreturn]] void refuse(const char* expected, std::string_view text, std::string_view why = {}) {
    std::string msg = std::string(expected) + ", got '" + std::string(text) + "'";
    if (!why.empty()) msg += " (" + std::string(why) + ")";
    throw UnitError(msg);
}

/// Splits "12.5MHz" into the number "12.5" and the unit "MHz".
std::pair<std::string_view, std::string_view> split_number(std::string_view s) {
    size_t i = 0;
    while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '.')) ++i;
    return {s.substr(0, i), trim(s.substr(i))};
}

/// number × scale where number is decimal with an optional fraction; must be exact.
uint64_t scaled_decimal(std::string_view number, uint64_t scale, const char* expected, std::string_view text) {
    size_t dot = number.find('.');
    std::string_view whole = number.substr(0, dot);
    std::string_view frac = dot == std::string_view::npos ? std::string_view{} : number.substr(dot + 1);
    if (whole.empty() || frac.find('.') != std::string_view::npos || (dot != std::string_view::npos && frac.empty()))
        refuse(expected, text);
    constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();
    uint64_t value = 0;
    for (char c : whole) {
        uint64_t d = static_cast<uint64_t>(c - '0');
        if (value > (kMax - d) / 10) refuse(expected, text, "too large");
        value = value * 10 + d;
    }
    if (value != 0 && scale > kMax / value) refuse(expected, text, "too large");
    value *= scale;
    // Fraction: digits d1 d2 ... worth scale/10, scale/100, ...; must divide exactly.
    uint64_t unit = scale;
    for (char c : frac) {
        uint64_t d = static_cast<uint64_t>(c - '0');
        if (unit % 10 != 0) {
            if (d != 0) refuse(expected, text, "finer than the smallest unit");
            continue;
        }
        unit /= 10;
        if (value > kMax - d * unit) refuse(expected, text, "too large");
        value += d * unit;
    }
    return value;
}

template <size_t N>
uint64_t parse_with_units(std::string_view text, const std::array<Unit, N>& units, const char* expected,
                          bool unit_required) {
    std::string_view s = trim(text);
    auto [number, unit] = split_number(s);
    if (number.empty()) refuse(expected, text);
    if (unit.empty() && unit_required) refuse(expected, text, "missing unit");
    if (unit.empty()) return scaled_decimal(number, 1, expected, text);
    for (const Unit& u : units)
        if (u.name == unit) return scaled_decimal(number, u.scale, expected, text);
    refuse(expected, text, "unknown unit '" + std::string(unit) + "'");
}

template <size_t N>
std::string format_with_units(uint64_t value, const std::array<Unit, N>& units) {
    const Unit* best = nullptr;
    for (const Unit& u : units)
        if (value % u.scale == 0 && (!best || u.scale > best->scale) && (value != 0 || u.scale == 1))
            best = &u;
    return std::to_string(value / best->scale) + std::string(best->name);
}

}  // namespace

uint64_t parse_time_ps(std::string_view text) { return parse_with_units(text, kTimeUnits, kTimeExpected, true); }

sc_core::sc_time parse_time(std::string_view text) {
    return sc_core::sc_time(static_cast<double>(parse_time_ps(text)), sc_core::SC_PS);
}

uint64_t parse_frequency_hz(std::string_view text) {
    uint64_t hz = parse_with_units(text, kFrequencyUnits, kFrequencyExpected, false);
    if (hz == 0) refuse(kFrequencyExpected, text, "must be greater than zero");
    return hz;
}

uint64_t parse_size(std::string_view text) {
    std::string_view s = trim(text);
    if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        size_t i = 2;
        uint64_t value = 0;
        for (; i < s.size() && std::isxdigit(static_cast<unsigned char>(s[i])); ++i) {
            if (value >> 60) refuse(kSizeExpected, text, "too large");
            char c = static_cast<char>(std::tolower(static_cast<unsigned char>(s[i])));
            value = value * 16 + static_cast<uint64_t>(c <= '9' ? c - '0' : c - 'a' + 10);
        }
        if (i == 2) refuse(kSizeExpected, text);
        std::string_view unit = trim(s.substr(i));
        for (const Unit& u : kSizeUnits)
            if (u.name == unit) {
                if (value != 0 && u.scale > std::numeric_limits<uint64_t>::max() / value)
                    refuse(kSizeExpected, text, "too large");
                return value * u.scale;
            }
        refuse(kSizeExpected, text, "unknown unit '" + std::string(unit) + "'");
    }
    auto [number, unit] = split_number(s);
    if (number.find('.') != std::string_view::npos) refuse(kSizeExpected, text, "not a whole number of bytes");
    return parse_with_units(text, kSizeUnits, kSizeExpected, false);
}

std::string format_size(uint64_t bytes) {
    constexpr std::array units{Unit{"", 1}, Unit{"KiB", 1ull << 10}, Unit{"MiB", 1ull << 20}, Unit{"GiB", 1ull << 30}};
    return format_with_units(bytes, units);
}

std::string format_time_ps(uint64_t ps) { return format_with_units(ps, kTimeUnits); }

std::string format_frequency(uint64_t hz) {
    constexpr std::array units{Unit{"Hz", 1}, Unit{"kHz", 1'000}, Unit{"MHz", 1'000'000}, Unit{"GHz", 1'000'000'000}};
    return format_with_units(hz, units);
}

}  // namespace presil::platform
