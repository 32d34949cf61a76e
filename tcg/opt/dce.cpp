// SPDX-License-Identifier: Apache-2.0
// Dead-code elimination: drops pure ops whose results are never read, and unused labels.
#include <vector>

#include "tcg/opt/passes.h"

namespace presil::tcg::opt {

namespace {
/// Ops at which every global must be in the guest state (exits, calls, faults, env access).
constexpr uint32_t kGlobalSync = OpFlag::TbExit | OpFlag::CallsOut | OpFlag::MayRaise | OpFlag::ReadsEnv |
                                 (OpFlag::WritesEnv & ~OpFlag::SideEffects);
}  // namespace

void eliminate_dead_code(Block& b) {
  auto& ops = b.ops();
  // Labels nothing branches to only split basic blocks: drop them first. Ops between an
  // unconditional end (Br, ExitTb, GotoPtr; not a conditional branch, which falls through) and
  // the next label are unreachable (what is left of a branch target once constant folding
  // removed the branch): drop them too, since they may read temps whose only definitions were
  // folded away. Dropping either may make more of both. An InsnStart in such a region stays
  // when code follows it (the back-end counts InsnStarts to map host code to the engine's
  // restore records, which were taken before the passes); trailing ones go.
  for (bool changed = true; changed;) {
    std::vector<uint8_t> referenced(b.num_labels(), 0);
    for (const Op& op : ops) {
      if (op.opc == Opcode::Br) referenced[op.con(0)] = 1;
      if (op.info().flags & OpFlag::CondBranch) referenced[op.con(1)] = 1;
    }
    const size_t before = ops.size();
    size_t j = 0, region = 0;
    bool unreachable = false;
    for (size_t i = 0; i < ops.size(); ++i) {
      const Op& op = ops[i];
      if (op.opc == Opcode::SetLabel) {
        if (op.con(0) < referenced.size() && !referenced[op.con(0)]) continue;
        unreachable = false;
      }
      if (unreachable && op.opc != Opcode::InsnStart) continue;
      ops[j++] = op;
      const uint32_t f = op.info().flags;
      if (!unreachable && (f & OpFlag::BlockEnd) && !(f & OpFlag::CondBranch)) {
        unreachable = true;
        region = j;
      }
    }
    if (unreachable) j = region;
    ops.resize(j);
    changed = j != before;
  }

  // One backward sweep per basic block with the live-out sets of a liveness
  // analysis: an op whose outputs are dead and that has no side effect goes,
  // and its inputs are then not generated (so chains die in one sweep).
  Liveness lv = compute_liveness(b);
  const uint32_t ng = b.num_globals();
  const size_t words = (b.temps().size() + 63) / 64;
  std::vector<uint64_t> globals(words, 0);
  for (TempIdx g = 0; g < ng; ++g) globals[g / 64] |= uint64_t(1) << (g % 64);
  std::vector<uint8_t> keep(ops.size(), 1);
  for (const auto& bb : lv.blocks) {
    std::vector<uint64_t> live = bb.live_out;
    auto is_live = [&](TempIdx t) { return (live[t / 64] >> (t % 64) & 1) != 0; };
    auto set = [&](TempIdx t, bool v) {
      if (v) live[t / 64] |= uint64_t(1) << (t % 64);
      else live[t / 64] &= ~(uint64_t(1) << (t % 64));
    };
    for (uint32_t i = bb.last + 1; i-- > bb.first;) {
      const Op& op = ops[i];
      const uint32_t flags = op.info().flags;
      bool removable = (flags & OpFlag::SideEffects) == 0 && op.nout > 0;
      if (removable) {
        bool any_live = false;
        for (unsigned k = 0; k < op.nout; ++k) any_live |= is_live(op.out(k));
        if (!any_live) {
          keep[i] = 0;
          continue;
        }
      }
      for (unsigned k = 0; k < op.nout; ++k) set(op.out(k), false);
      if (flags & kGlobalSync)
        for (size_t w = 0; w < words && w * 64 < ng; ++w) live[w] |= globals[w];
      for (unsigned k = 0; k < op.nin; ++k) set(op.in(k), true);
    }
  }
  size_t j = 0;
  for (size_t i = 0; i < ops.size(); ++i)
    if (keep[i]) ops[j++] = ops[i];
  ops.resize(j);
}

}  // namespace presil::tcg::opt
