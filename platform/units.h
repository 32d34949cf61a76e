// SPDX-License-Identifier: Apache-2.0
// Parsing and printing of times, frequencies and sizes written with units (10us, 25MHz, 4MiB).
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include <systemc>

namespace presil::platform {

/// A value without a valid unit or out of range; what() says what was expected.
class UnitError : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

/// "10us", "1ms", "100ns", "1s", "5ps", "1.5us" → picoseconds (a unit is required).
uint64_t parse_time_ps(std::string_view text);
/// Same as parse_time_ps as a SystemC time.
sc_core::sc_time parse_time(std::string_view text);
/// "25MHz", "32768Hz", "1GHz", "12.5kHz" or a plain integer → Hz (must be > 0).
uint64_t parse_frequency_hz(std::string_view text);
/// "4MiB", "64KiB", "0x1000", "4096", "1G" (K/M/G = KiB/MiB/GiB) → bytes.
uint64_t parse_size(std::string_view text);

/// Bytes in the largest exact unit: 4194304 → "4MiB", 4100 → "4100".
std::string format_size(uint64_t bytes);
/// Picoseconds in the largest exact unit: 10000000 → "10us".
std::string format_time_ps(uint64_t ps);
/// Hz in the largest exact unit: 25000000 → "25MHz".
std::string format_frequency(uint64_t hz);

}  // namespace presil::platform
