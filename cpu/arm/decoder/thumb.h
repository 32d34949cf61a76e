// SPDX-License-Identifier: Apache-2.0
// The Thumb decoder tables (thumb16.inc, thumb32.inc) bound to a visitor type.
#pragma once

#include <vector>

#include "cpu/arm/decoder/decoder.h"

namespace presil::cpu::arm {

/// True if a halfword starts a 32-bit Thumb instruction.
constexpr bool thumb_is_wide(uint16_t hw1) { return (hw1 >> 11) >= 0x1d; }

/// Rows of the 16-bit Thumb table for visitor V (V has one handler per row).
template <class V>
const std::vector<decoder::Matcher<V>>& thumb16_table() {
  static const std::vector<decoder::Matcher<V>> table = {
#define INST(fn, pattern) decoder::make_matcher<V, decoder::FixedString(pattern), &V::fn>(#fn),
#include "cpu/arm/decoder/thumb16.inc"
#undef INST
  };
  return table;
}

/// Rows of the 32-bit Thumb table for visitor V (instruction = hw1 << 16 | hw2).
template <class V>
const std::vector<decoder::Matcher<V>>& thumb32_table() {
  static const std::vector<decoder::Matcher<V>> table = {
#define INST(fn, pattern) decoder::make_matcher<V, decoder::FixedString(pattern), &V::fn>(#fn),
#include "cpu/arm/decoder/thumb32.inc"
#undef INST
  };
  return table;
}

}  // namespace presil::cpu::arm
