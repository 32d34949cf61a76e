// SPDX-License-Identifier: Apache-2.0
// A few Thumb-2 encoders for tests that build small guest programs in C++.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <vector>

namespace presil::robust::thumb {

/// MOVW/MOVT Rd, #imm16 (T3 encodings); top selects MOVT.
inline std::vector<uint16_t> mov16(unsigned rd, uint16_t imm, bool top) {
    const uint16_t i = (imm >> 11) & 1, imm4 = imm >> 12, imm3 = (imm >> 8) & 7, imm8 = imm & 0xFF;
    return {uint16_t((top ? 0xF2C0 : 0xF240) | i << 10 | imm4), uint16_t(imm3 << 12 | rd << 8 | imm8)};
}
/// MOVW Rd, #imm16.
inline std::vector<uint16_t> movw(unsigned rd, uint16_t imm) { return mov16(rd, imm, false); }
/// MOVW + MOVT: Rd = value.
inline std::vector<uint16_t> mov32(unsigned rd, uint32_t value) {
    std::vector<uint16_t> out = mov16(rd, uint16_t(value), false);
    const auto hi = mov16(rd, uint16_t(value >> 16), true);
    out.insert(out.end(), hi.begin(), hi.end());
    return out;
}
/// Concatenates instruction sequences.
inline std::vector<uint16_t> concat(std::initializer_list<std::vector<uint16_t>> parts) {
    std::vector<uint16_t> out;
    for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
    return out;
}

}  // namespace presil::robust::thumb
