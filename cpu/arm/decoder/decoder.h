// SPDX-License-Identifier: Apache-2.0
// Generic table-driven decoder: bit-pattern strings parsed at compile time into matchers.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace presil::cpu::arm::decoder {

// Pattern syntax (one character per bit, most significant first; spaces ignored):
//   '0' '1'  fixed bits (part of mask/match)
//   '.'      should-be-zero bit "(0)": ignored when decoding, generated as 0
//   '+'      should-be-one bit "(1)": ignored when decoding, generated as 1
//   '-'      don't-care bit: ignored when decoding, generated at random
//   letter   an operand field; every occurrence of the same letter belongs to one
//            field whose value is the concatenation of its bits in pattern order.
// Fields are passed to the handler in order of first appearance.

/// Maximum operand fields in one row.
inline constexpr unsigned kMaxFields = 8;

/// A string literal usable as a template argument.
template <size_t N>
struct FixedString {
  char s[N]{};
  consteval FixedString(const char (&str)[N]) { std::copy_n(str, N, s); }
  constexpr std::string_view view() const { return {s, N - 1}; }
};

/// One operand field of a pattern.
struct Field {
  char name = 0;      ///< letter in the pattern
  uint32_t mask = 0;  ///< instruction bits it occupies
  unsigned width = 0; ///< number of bits
};

/// A parsed pattern.
struct Pattern {
  unsigned bits = 0;          ///< 16 or 32
  uint32_t mask = 0;          ///< fixed bits
  uint32_t match = 0;         ///< their values
  uint32_t sbo = 0;           ///< should-be-one bits
  uint32_t sbz = 0;           ///< should-be-zero bits
  uint32_t dont_care = 0;     ///< '-' bits
  Field fields[kMaxFields]{}; ///< operand fields in order of first appearance
  unsigned num_fields = 0;
  bool ok = true;             ///< false when the string is malformed
};

/// Parses a pattern string (constexpr; malformed strings give ok == false).
constexpr Pattern parse_pattern(std::string_view s) {
  Pattern p;
  unsigned n = 0;
  for (char c : s)
    if (c != ' ') ++n;
  if (n != 16 && n != 32) p.ok = false;
  p.bits = n;
  unsigned bit = n;
  for (char c : s) {
    if (c == ' ') continue;
    --bit;
    const uint32_t m = uint32_t(1) << bit;
    if (c == '0' || c == '1') {
      p.mask |= m;
      if (c == '1') p.match |= m;
    } else if (c == '.') {
      p.sbz |= m;
    } else if (c == '+') {
      p.sbo |= m;
    } else if (c == '-') {
      p.dont_care |= m;
    } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
      unsigned f = 0;
      while (f < p.num_fields && p.fields[f].name != c) ++f;
      if (f == p.num_fields) {
        if (f == kMaxFields) { p.ok = false; continue; }
        p.fields[f].name = c;
        ++p.num_fields;
      }
      p.fields[f].mask |= m;
      ++p.fields[f].width;
    } else {
      p.ok = false;
    }
  }
  return p;
}

/// Extracts the bits of `mask` from insn, concatenated from most to least significant.
constexpr uint32_t extract_field(uint32_t insn, uint32_t mask) {
  uint32_t v = 0;
  for (int bit = 31; bit >= 0; --bit)
    if (mask >> bit & 1) v = v << 1 | (insn >> bit & 1);
  return v;
}

/// Scatters the low bits of value into the bit positions of mask (inverse of extract_field).
constexpr uint32_t deposit_field(uint32_t value, uint32_t mask) {
  uint32_t insn = 0;
  for (int bit = 0; bit < 32; ++bit)
    if (mask >> bit & 1) {
      insn |= (value & 1) << bit;
      value >>= 1;
    }
  return insn;
}

/// Number of parameters of a member function (the handler of a row).
template <class F>
struct MemberArity;
template <class R, class C, class... A>
struct MemberArity<R (C::*)(A...)> {
  static constexpr size_t value = sizeof...(A);
};

/// One table row bound to a visitor type V (the translator, or a test visitor).
template <class V>
struct Matcher {
  const char* name;      ///< row name (== handler name)
  const char* text;      ///< the pattern as written
  Pattern pattern;       ///< parsed pattern
  bool (*call)(V& v, uint32_t insn);  ///< extracts the fields and calls the handler

  /// True if insn belongs to this row.
  constexpr bool matches(uint32_t insn) const { return (insn & pattern.mask) == pattern.match; }
};

namespace detail {
template <class V, auto Fn, FixedString P, size_t... I>
bool invoke(V& v, [[maybe_unused]] uint32_t insn, std::index_sequence<I...>) {
  [[maybe_unused]] constexpr Pattern p = parse_pattern(P.view());
  return (v.*Fn)(extract_field(insn, p.fields[I].mask)...);
}
}  // namespace detail

/// Builds the matcher of one row; the handler's arity must equal the pattern's field count.
template <class V, FixedString P, auto Fn>
constexpr Matcher<V> make_matcher(const char* name) {
  constexpr Pattern p = parse_pattern(P.view());
  static_assert(p.ok, "malformed decoder pattern");
  static_assert(MemberArity<decltype(Fn)>::value == p.num_fields,
                "handler parameter count differs from the pattern's field count");
  return Matcher<V>{name, P.s, p, [](V& v, uint32_t insn) {
                      return detail::invoke<V, Fn, P>(v, insn,
                                                      std::make_index_sequence<p.num_fields>{});
                    }};
}

/// First matching row, or nullptr.
template <class V>
const Matcher<V>* find(const std::vector<Matcher<V>>& table, uint32_t insn) {
  for (const auto& m : table)
    if (m.matches(insn)) return &m;
  return nullptr;
}

/// True if every instruction that matches `later` also matches `earlier` (later is dead).
constexpr bool shadows(const Pattern& earlier, const Pattern& later) {
  return (earlier.mask & ~later.mask) == 0 && (later.match & earlier.mask) == earlier.match;
}

}  // namespace presil::cpu::arm::decoder
