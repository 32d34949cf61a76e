// SPDX-License-Identifier: Apache-2.0
// Decoder self-test: pattern parsing, no shadowed rows, field extraction, known encodings, IR shape.
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>

#include "cpu/arm/decoder/thumb.h"
#include "cpu/arm/translate/helpers.h"
#include "cpu/arm/translate/translator.h"

namespace presil::cpu::arm {
namespace {

using decoder::Matcher;
using decoder::Pattern;




template <class V>
void check_no_shadowing(const std::vector<Matcher<V>>& table) {
  for (size_t i = 0; i < table.size(); ++i)
    for (size_t j = i + 1; j < table.size(); ++j)
      EXPECT_FALSE(decoder::shadows(table[i].pattern, table[j].pattern))
          << table[j].name << " (" << table[j].text << ") is shadowed by earlier row "
          << table[i].name << " (" << table[i].text << ")";
}

template <class V>
void check_fields(const std::vector<Matcher<V>>& table, unsigned bits) {
  std::mt19937 rng(1234);
  const uint32_t all = bits == 32 ? ~0u : 0xffffu;
  for (size_t r = 0; r < table.size(); ++r) {
    const Pattern& p = table[r].pattern;
    SCOPED_TRACE(table[r].name);
    ASSERT_TRUE(p.ok);
    EXPECT_EQ(p.bits, bits);
    // Every bit is exactly one of: fixed, field, should-be, don't-care.
    uint32_t covered = p.mask;
    unsigned total = 0;
    for (unsigned f = 0; f < p.num_fields; ++f) {
      EXPECT_EQ(covered & p.fields[f].mask, 0u) << "field " << p.fields[f].name << " overlaps";
      covered |= p.fields[f].mask;
      EXPECT_EQ(unsigned(__builtin_popcount(p.fields[f].mask)), p.fields[f].width);
      total += p.fields[f].width;
    }
    for (uint32_t extra : {p.sbz, p.sbo, p.dont_care}) {
      EXPECT_EQ(covered & extra, 0u);
      covered |= extra;
    }
    EXPECT_EQ(covered, all);
    EXPECT_EQ(total + unsigned(__builtin_popcount(p.mask | p.sbz | p.sbo | p.dont_care)), bits);
    // Fields round-trip, and a generated instance decodes to this row or an earlier, more specific one.
    for (int k = 0; k < 64; ++k) {
      uint32_t insn = p.match | p.sbo;
      uint32_t values[decoder::kMaxFields];
      for (unsigned f = 0; f < p.num_fields; ++f) {
        values[f] = rng() & ((1u << p.fields[f].width) - 1);
        insn |= decoder::deposit_field(values[f], p.fields[f].mask);
      }
      insn |= rng() & p.dont_care;
      for (unsigned f = 0; f < p.num_fields; ++f)
        EXPECT_EQ(decoder::extract_field(insn, p.fields[f].mask), values[f]);
      const auto* m = decoder::find(table, insn);
      ASSERT_NE(m, nullptr);
      EXPECT_LE(m - table.data(), ptrdiff_t(r)) << "instance 0x" << std::hex << insn << " decoded as " << m->name;
    }
  }
}

TEST(ArmDecoder, PatternParser) {
  constexpr Pattern p = decoder::parse_pattern("1011o0i1iiiiinnn");
  static_assert(p.ok && p.bits == 16 && p.num_fields == 3);
  static_assert(p.mask == 0xf500 && p.match == 0xb100);
  static_assert(p.fields[1].name == 'i' && p.fields[1].width == 6);
  // CBNZ r3, +0x7e: i:imm5 = 0b111111
  static_assert(decoder::extract_field(0xbbfb, p.fields[1].mask) == 0x3f);
  static_assert(decoder::extract_field(0xbbfb, p.fields[0].mask) == 1);
  static_assert(decoder::extract_field(0xbbfb, p.fields[2].mask) == 3);
  constexpr Pattern bad = decoder::parse_pattern("10x1");
  static_assert(!bad.ok);
  EXPECT_EQ(decoder::deposit_field(0x3f, p.fields[1].mask), 0x02f8u);
}

TEST(ArmDecoder, NoRowShadowsAnother16) { check_no_shadowing(thumb16_table<ThumbTranslator>()); }
TEST(ArmDecoder, NoRowShadowsAnother32) { check_no_shadowing(thumb32_table<ThumbTranslator>()); }
TEST(ArmDecoder, FieldsExtractAsDocumented16) { check_fields(thumb16_table<ThumbTranslator>(), 16); }
TEST(ArmDecoder, FieldsExtractAsDocumented32) { check_fields(thumb32_table<ThumbTranslator>(), 32); }

TEST(ArmDecoder, KnownEncodings) {
  // Encodings from arm-none-eabi-as -mcpu=cortex-m3.
  const std::map<uint32_t, std::string> known = {
      {0x4770, "thumb16_BX"},           {0xb580, "thumb16_PUSH"},       {0xbd80, "thumb16_POP"},
      {0xbf00, "thumb16_NOP"},          {0xbf08, "thumb16_IT"},         {0x4608, "thumb16_MOV_reg_T1"},
      {0xbf30, "thumb16_WFI"},          {0xdf00, "thumb16_SVC"},        {0xbeab, "thumb16_BKPT"},
      {0xb100, "thumb16_CBZ"},          {0xde01, "thumb16_UDF"},        {0xb672, "thumb16_CPS"},
      {0x1888, "thumb16_ADD_reg_T1"},   {0x2805, "thumb16_CMP_imm"},    {0x00c8, "thumb16_LSL_imm"},
      {0xf7fffffe, "thumb32_BL"},       {0xe8bd8010, "thumb32_LDM"},    {0xfb90f0f1, "thumb32_SDIV"},
      {0xf3ef8008, "thumb32_MRS"},      {0xf3808808, "thumb32_MSR"},    {0xe8d0f001, "thumb32_TBB"},
      {0xe8d0f011, "thumb32_TBH"},      {0xf04f0000, "thumb32_MOV_imm"}, {0xfab0f080, "thumb32_CLZ"},
      {0xe8510f00, "thumb32_LDREX"},    {0xf3bf8f5f, "thumb32_DMB"},    {0xf3bf8f2f, "thumb32_CLREX"},
      {0xf2412134, "thumb32_MOVW"},     {0xf2c56178, "thumb32_MOVT"},   {0xf3c100c4, "thumb32_UBFX"},
      {0xf36f100b, "thumb32_BFC"},      {0xf3010007, "thumb32_SSAT"},   {0xe9d20102, "thumb32_LDRD_imm"},
      {0xe8c21f40, "thumb32_STREXB"},   {0xf60170ff, "thumb32_ADDW"},   {0xf8510d04, "thumb32_LDR_imm8"},
      {0xf9310022, "thumb32_LDRSH_reg"}, {0xfbe20103, "thumb32_UMLAL"}, {0xf7f0a001, "thumb32_UDF"},
  };
  for (const auto& [insn, name] : known) {
    const bool wide = insn > 0xffff;
    const char* got = nullptr;
    if (wide) {
      const auto* m = decoder::find(thumb32_table<ThumbTranslator>(), insn);
      got = m ? m->name : "(none)";
    } else {
      const auto* m = decoder::find(thumb16_table<ThumbTranslator>(), insn);
      got = m ? m->name : "(none)";
    }
    EXPECT_EQ(std::string(got), name) << std::hex << "0x" << insn;
  }
}

/// Translates the halfwords `code` at 0x1000 and returns the block (for IR checks).
struct Translated {
  tcg::Block block{arm_globals(), &arm_helpers()};
  BlockInfo info;
};
Translated translate(const std::vector<uint16_t>& code, uint32_t flags = 0, uint32_t cflags = 0) {
  Translated t;
  tcg::Builder b(t.block);
  tcg::TbKey key{0x1000, flags, cflags};
  TimingTable timing = TimingTable::cortex_m3();
  ThumbTranslator tr(b, key, timing, [&](uint32_t addr) -> uint16_t {
    const uint32_t i = (addr - 0x1000) / 2;
    return i < code.size() ? code[i] : 0xbf00;
  });
  t.info = tr.translate_block();
  return t;
}

size_t count_ops(const tcg::Block& b, tcg::Opcode opc) {
  size_t n = 0;
  for (const auto& op : b.ops()) n += op.opc == opc;
  return n;
}

TEST(ArmTranslate, StraightLineBlockEndsAtBranchWithDynamicLookup) {
  // adds r0, r1, r2 ; cmp r0, #5 ; lsls r0, r1, #3 ; bx lr
  Translated t = translate({0x1888, 0x2805, 0x00c8, 0x4770});
  EXPECT_EQ(t.info.num_insns, 4u);
  EXPECT_EQ(t.info.end_pc, 0x1008u);
  // Cortex-M3 table: 3 ALU (1 each) + BX (branch 1 + refill 2).
  EXPECT_EQ(t.info.cycles, 6u);
  EXPECT_EQ(count_ops(t.block, tcg::Opcode::InsnStart), 4u);
  // BX: inline lookup for a plain Thumb address; arm_bx_write (then a lookup) for the rest.
  EXPECT_EQ(count_ops(t.block, tcg::Opcode::GotoPtr), 2u);
  EXPECT_EQ(count_ops(t.block, tcg::Opcode::Call), 1u);  // arm_bx_write
}

TEST(ArmTranslate, ConditionalBranchUsesBothChainSlots) {
  // cmp r0, #5 ; beq +0
  Translated t = translate({0x2805, 0xd000});
  EXPECT_EQ(t.info.num_insns, 2u);
  EXPECT_EQ(count_ops(t.block, tcg::Opcode::GotoTb), 2u);
  EXPECT_EQ(count_ops(t.block, tcg::Opcode::Brcond_i32), 1u);
}

TEST(ArmTranslate, ItBlockStateIsCarriedInTheKey) {
  // it eq ; moveq r0, r1 ; nop  -- stopped after 1 insn: the next block's key holds ITSTATE.
  Translated t = translate({0xbf08, 0x4608, 0xbf00}, 0, 1);
  EXPECT_EQ(t.info.num_insns, 1u);
  bool stored_it = false;
  for (const auto& op : t.block.ops())
    if (op.opc == tcg::Opcode::StEnv_i32 && op.con(0) == uint64_t(PRESIL_ARM_OFFSET(itstate))) stored_it = true;
  EXPECT_TRUE(stored_it);
  // The block starting inside the IT block skips the instruction when EQ fails.
  Translated u = translate({0x4608, 0xbf00}, 0x08, 1);
  EXPECT_EQ(count_ops(u.block, tcg::Opcode::Brcond_i32), 1u);
}

TEST(ArmTranslate, UndefinedRaisesUsageFault) {
  Translated t = translate({0xde01});
  EXPECT_EQ(t.info.num_insns, 1u);
  ASSERT_EQ(count_ops(t.block, tcg::Opcode::Call), 1u);
  for (const auto& op : t.block.ops()) {
    if (op.opc == tcg::Opcode::Call) {
      EXPECT_EQ(op.con(0), uint64_t(HelperId::Raise));
    }
  }
}

TEST(ArmTranslate, CycleCapEndsBlockBeforeTheInstructionThatDoesNotFit) {
  Translated t;
  tcg::Builder b(t.block);
  std::vector<uint16_t> code = {0x1888, 0x1888, 0x1888, 0x1888};
  ThumbTranslator tr(b, tcg::TbKey{0x1000, 0, 0}, TimingTable::flat(),
                     [&](uint32_t a) { return code[(a - 0x1000) / 2 % 4]; }, 512, 3);
  t.info = tr.translate_block();
  EXPECT_EQ(t.info.num_insns, 3u);
  EXPECT_EQ(t.info.cycles, 3u);
  EXPECT_EQ(t.info.end_pc, 0x1006u);
}

TEST(ArmTranslate, BlocksStopAtPageBoundaries) {
  Translated t;
  tcg::Builder b(t.block);
  ThumbTranslator tr(b, tcg::TbKey{0x13f8, 0, 0}, TimingTable::flat(), [](uint32_t) -> uint16_t { return 0xbf00; });
  t.info = tr.translate_block();
  EXPECT_EQ(t.info.end_pc, 0x1400u);
  EXPECT_EQ(t.info.num_insns, 4u);
}

}  // namespace
}  // namespace presil::cpu::arm
