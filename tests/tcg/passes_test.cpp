// SPDX-License-Identifier: Apache-2.0
// The IR passes: verifier rejections, constant folding, copy propagation, DCE, liveness.
#include <gtest/gtest.h>

#include "tcg/opt/passes.h"
#include "tests/tcg/test_guest.h"

namespace presil::tcg::test {
namespace {

class PassesTest : public ::testing::Test {
 protected:
  TestCpu cpu;
  Block blk{cpu.globals(), &cpu.helpers()};
  Builder b{blk};

  U64 r(unsigned i) { return b.global64(i); }
  size_t count(Opcode o) const {
    size_t n = 0;
    for (const Op& op : blk.ops()) n += op.opc == o;
    return n;
  }
  /// A well-formed block to start from.
  void good() {
    b.insn_start(0);
    b.mov(r(1), b.add(r(0), r(2)));
    b.exit_tb(ExitCode::NoChain);
  }
  void expect_rejected(std::string_view what) {
    std::string msg = opt::verify(blk);
    EXPECT_NE(msg.find(what), std::string::npos) << "message: '" << msg << "'\n" << blk.to_string();
    EXPECT_THROW(opt::verify_or_throw(blk), opt::VerifyError);
  }
};

TEST_F(PassesTest, VerifierAcceptsAWellFormedBlock) {
  good();
  EXPECT_EQ(opt::verify(blk), "");
  EXPECT_NO_THROW(opt::verify_or_throw(blk));
}

TEST_F(PassesTest, VerifierRejectsOperandTypeMismatch) {
  b.insn_start(0);
  blk.emit(Opcode::Add_i32, {TestCpu::kW0Global, 0, 1});  // i64 inputs into an i32 op
  b.exit_tb(ExitCode::NoChain);
  expect_rejected("must be i32");
}

TEST_F(PassesTest, VerifierRejectsTempOutOfRange) {
  b.insn_start(0);
  blk.emit(Opcode::Mov_i64, {1, 9999});
  b.exit_tb(ExitCode::NoChain);
  expect_rejected("out of range");
}

TEST_F(PassesTest, VerifierRejectsWrongArity) {
  b.insn_start(0);
  Op op;
  op.opc = Opcode::Add_i64;
  op.nout = 1;
  op.nin = 1;
  op.args = {1, 0, 0, 0, 0, 0};
  blk.ops().push_back(op);
  b.exit_tb(ExitCode::NoChain);
  expect_rejected("arity");
}

TEST_F(PassesTest, VerifierRejectsLabelDefinedTwice) {
  b.insn_start(0);
  Label l = b.new_label();
  b.brcond(Cond::Eq, r(0), r(1), l);
  b.set_label(l);
  b.set_label(l);
  b.exit_tb(ExitCode::NoChain);
  expect_rejected("defined twice");
}

TEST_F(PassesTest, VerifierRejectsUndefinedAndUnusedLabels) {
  b.insn_start(0);
  Label l = b.new_label();
  b.br(l);
  expect_rejected("never defined");
  Block other(cpu.globals(), &cpu.helpers());
  Builder b2(other);
  b2.insn_start(0);
  b2.set_label(b2.new_label());
  b2.exit_tb(0);
  EXPECT_NE(opt::verify(other).find("never referenced"), std::string::npos);
}

TEST_F(PassesTest, VerifierRejectsBitFieldOutOfRange) {
  b.insn_start(0);
  b.mov(r(1), b.extract(r(0), 60, 8));
  b.exit_tb(ExitCode::NoChain);
  expect_rejected("bit field");
}

TEST_F(PassesTest, VerifierRejectsFallingOffTheEnd) {
  b.insn_start(0);
  b.mov(r(1), r(0));
  expect_rejected("falls off");
}

TEST_F(PassesTest, VerifierRejectsGotoTbWithoutExit) {
  b.insn_start(0);
  b.goto_tb(0);
  b.mov(r(1), r(0));
  b.exit_tb(0);
  expect_rejected("goto_tb not followed by exit_tb");
}

TEST_F(PassesTest, VerifierRejectsMayRaiseBeforeInsnStart) {
  b.mov(r(1), b.ld64(r(0), MemOp::u(3)));
  b.insn_start(0);
  b.exit_tb(0);
  expect_rejected("insn_start");
}

TEST_F(PassesTest, VerifierRejectsBadConditionAndHelper) {
  b.insn_start(0);
  blk.emit(Opcode::Setcond_i64, {1, 0, 2, 99});
  b.exit_tb(0);
  expect_rejected("bad condition");
  Block other(cpu.globals(), &cpu.helpers());
  Builder b2(other);
  b2.insn_start(0);
  b2.call0(42, {});
  b2.exit_tb(0);
  EXPECT_NE(opt::verify(other).find("helper id 42"), std::string::npos);
}

TEST_F(PassesTest, VerifierRejectsUseBeforeDefinitionAndConstRedefinition) {
  b.insn_start(0);
  U64 t = b.local64();
  b.mov(r(1), t);
  b.exit_tb(0);
  expect_rejected("before any definition");
  Block other(cpu.globals(), &cpu.helpers());
  Builder b2(other);
  b2.insn_start(0);
  U64 c = b2.c64(5);
  b2.mov(c, b2.global64(0));
  b2.exit_tb(0);
  EXPECT_NE(opt::verify(other).find("constant temp"), std::string::npos);
}

TEST_F(PassesTest, VerifierRejectsWideAccessOnNarrowType) {
  b.insn_start(0);
  b.mov(b.global32(TestCpu::kW0Global), b.ld32(r(0), MemOp::u(3)));
  b.exit_tb(0);
  expect_rejected("wider");
}

TEST_F(PassesTest, ConstantFoldingComputesAndPropagates) {
  b.insn_start(0);
  U64 x = b.add(b.c64(40), b.c64(2));
  U64 y = b.mul(x, b.c64(3));
  b.mov(r(1), y);
  b.mov(r(2), b.add(r(0), b.c64(0)));  // x + 0 -> copy
  b.exit_tb(0);
  opt::run_pipeline(blk, {});
  EXPECT_EQ(count(Opcode::Add_i64), 0u);
  EXPECT_EQ(count(Opcode::Mul_i64), 0u);
  bool found = false;
  for (const Op& op : blk.ops())
    if (op.opc == Opcode::Movi_i64 && op.out(0) == 1) found = op.con(0) == 126;
  EXPECT_TRUE(found) << blk.to_string();
}

TEST_F(PassesTest, KnownBranchesBecomeJumpsOrVanish) {
  b.insn_start(0);
  Label l = b.new_label();
  b.brcond(Cond::Ltu, b.c64(1), b.c64(2), l);
  b.mov(r(1), r(0));
  b.set_label(l);
  Label m = b.new_label();
  b.brcond(Cond::Gtu, b.c64(1), b.c64(2), m);
  b.mov(r(2), r(0));
  b.set_label(m);
  b.exit_tb(0);
  opt::run_pipeline(blk, {});
  EXPECT_EQ(count(Opcode::Brcond_i64), 0u);
  EXPECT_EQ(count(Opcode::Br), 1u);
  EXPECT_EQ(count(Opcode::SetLabel), 1u);  // the never-taken branch's label is dropped
}

TEST_F(PassesTest, CodeLeftUnreachableByAFoldedBranchIsDropped) {
  // The shape of an interworking branch to a known address (found by fuzz_thumb): the fast path
  // ends the block; the slow path, unreachable once the branch is folded away, reads a temp whose
  // only definition is dead on the fast path.
  b.insn_start(0);
  U64 v = b.add(b.c64(0x130), b.c64(1));
  Label slow = b.new_label();
  b.brcond(Cond::Eq, v, b.c64(0), slow);  // never taken
  b.mov(r(1), v);
  b.exit_tb(0);
  b.set_label(slow);
  b.mov(r(2), b.add(v, r(0)));
  b.exit_tb(1);
  EXPECT_NO_THROW(opt::run_pipeline(blk, {})) << blk.to_string();
  EXPECT_EQ(count(Opcode::SetLabel), 0u) << blk.to_string();
  EXPECT_EQ(count(Opcode::ExitTb), 1u) << blk.to_string();
}

TEST_F(PassesTest, GlobalKnowledgeEndsAtCallsThatWriteGlobals) {
  b.insn_start(0);
  b.movi(r(3), 7);
  b.call0(2, {});  // may write globals
  b.mov(r(4), b.add(r(3), b.c64(1)));
  b.exit_tb(0);
  opt::run_pipeline(blk, {});
  EXPECT_EQ(count(Opcode::Add_i64), 1u) << blk.to_string();

  Block other(cpu.globals(), &cpu.helpers());
  Builder b2(other);
  b2.insn_start(0);
  b2.movi(b2.global64(3), 7);
  b2.mov(b2.global64(5), b2.call(1, {b2.global64(0).t, b2.global64(0).t, b2.global64(0).t}, true));  // NoWriteGlobals
  b2.mov(b2.global64(4), b2.add(b2.global64(3), b2.c64(1)));
  b2.exit_tb(0);
  opt::run_pipeline(other, {});
  size_t adds = 0;
  for (const Op& op : other.ops()) adds += op.opc == Opcode::Add_i64;
  EXPECT_EQ(adds, 0u) << other.to_string();
}

TEST_F(PassesTest, EnvStoreOverlappingAGlobalEndsItsKnowledge) {
  b.insn_start(0);
  b.movi(r(3), 7);
  b.st_env(r(0), int32_t(offsetof(TestState, r) + 3 * 8));
  b.mov(r(4), b.add(r(3), b.c64(1)));
  b.exit_tb(0);
  opt::run_pipeline(blk, {});
  EXPECT_EQ(count(Opcode::Add_i64), 1u) << blk.to_string();
}

TEST_F(PassesTest, DeadCodeIsRemovedSideEffectsKept) {
  b.insn_start(0);
  U64 dead = b.mul(r(0), r(1));
  b.add(dead, r(2));                          // dead chain
  b.ld64(r(0), MemOp::u(3));                  // result unused, but may fault: kept
  b.mov(r(5), r(6));
  b.mov(r(5), r(7));                          // the first write to r5 is dead
  b.exit_tb(0);
  opt::run_pipeline(blk, {});
  EXPECT_EQ(count(Opcode::Mul_i64), 0u);
  EXPECT_EQ(count(Opcode::Add_i64), 0u);
  EXPECT_EQ(count(Opcode::GuestLd_i64), 1u);
  EXPECT_EQ(count(Opcode::Mov_i64), 1u) << blk.to_string();
}

TEST_F(PassesTest, LivenessMarksLastUsesAndLiveOut) {
  b.insn_start(0);
  U64 t = b.add(r(0), r(1));   // op 1: t defined
  U64 u = b.mul(t, t);         // op 2: t dies here (both uses)
  Label l = b.new_label();
  b.brcond(Cond::Eq, u, r(2), l);  // op 3: u still live (used after the label)
  b.mov(r(3), u);              // op 4
  b.set_label(l);              // op 5
  b.mov(r(4), u);              // op 6: u dies
  b.exit_tb(0);                // op 7
  opt::Liveness lv = opt::compute_liveness(blk);
  ASSERT_EQ(lv.dead_args.size(), blk.ops().size());
  EXPECT_FALSE(lv.dies(1, 0));  // output t is used
  EXPECT_TRUE(lv.dies(2, 1) || lv.dies(2, 2));  // t dies at the multiply
  EXPECT_FALSE(lv.dies(3, 0));  // u survives the branch
  EXPECT_FALSE(lv.dies(4, 1));  // u survives op 4 (live across the label)
  EXPECT_TRUE(lv.dies(6, 1));   // last use of u
  // Basic blocks: [0..3], [4], [5..7]; u is live out of the first two.
  ASSERT_EQ(lv.blocks.size(), 3u);
  EXPECT_TRUE(lv.live_out(0, u.t));
  EXPECT_TRUE(lv.live_out(1, u.t));
  EXPECT_FALSE(lv.live_out(0, t.t));
  EXPECT_FALSE(lv.live_out(2, u.t));
  EXPECT_TRUE(lv.live_out(0, 5));  // globals are live at exits, hence everywhere before
}

}  // namespace
}  // namespace presil::tcg::test
