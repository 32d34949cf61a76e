// SPDX-License-Identifier: Apache-2.0
// Liveness: basic blocks, live-out sets, and per-op last uses.
#include <vector>

#include "tcg/opt/passes.h"

namespace presil::tcg::opt {

namespace {
/// Ops at which every global must be in the guest state (exits, calls, faults, env access).
constexpr uint32_t kGlobalSync = OpFlag::TbExit | OpFlag::CallsOut | OpFlag::MayRaise | OpFlag::ReadsEnv |
                                 (OpFlag::WritesEnv & ~OpFlag::SideEffects);
}  // namespace

namespace {

using Bits = std::vector<uint64_t>;

bool test(const Bits& b, TempIdx t) { return (b[t / 64] >> (t % 64) & 1) != 0; }
void put(Bits& b, TempIdx t, bool v) {
  if (v) b[t / 64] |= uint64_t(1) << (t % 64);
  else b[t / 64] &= ~(uint64_t(1) << (t % 64));
}

/// True when control never continues to the next op.
bool ends_flow(const Op& op) {
  return op.opc == Opcode::Br || op.opc == Opcode::ExitTb || op.opc == Opcode::GotoPtr;
}

}  // namespace

Liveness compute_liveness(const Block& b) {
  const auto& ops = b.ops();
  const size_t n = ops.size();
  const size_t words = (b.temps().size() + 63) / 64;
  const uint32_t ng = b.num_globals();
  Bits globals(words, 0);
  for (TempIdx g = 0; g < ng; ++g) put(globals, g, true);
  Liveness lv;
  lv.dead_args.assign(n, 0);
  lv.block_of.assign(n, 0);

  // Split into basic blocks.
  std::vector<uint32_t> label_block(b.num_labels(), ~0u);
  for (uint32_t i = 0; i < n; ++i) {
    bool start = i == 0 || ops[i].opc == Opcode::SetLabel ||
                 (ops[i - 1].info().flags & (OpFlag::BlockEnd | OpFlag::CondBranch));
    if (start) {
      if (!lv.blocks.empty()) lv.blocks.back().last = i - 1;
      lv.blocks.push_back(Liveness::BasicBlock{i, i, Bits(words, 0)});
    }
    lv.block_of[i] = uint32_t(lv.blocks.size() - 1);
    if (ops[i].opc == Opcode::SetLabel && ops[i].con(0) < label_block.size())
      label_block[ops[i].con(0)] = lv.block_of[i];
  }
  if (!lv.blocks.empty()) lv.blocks.back().last = uint32_t(n - 1);
  const size_t nb = lv.blocks.size();

  // Successors.
  std::vector<std::vector<uint32_t>> succ(nb);
  for (size_t k = 0; k < nb; ++k) {
    const Op& last = ops[lv.blocks[k].last];
    auto target = [&](uint64_t label) {
      if (label < label_block.size() && label_block[label] != ~0u) succ[k].push_back(label_block[label]);
    };
    if (last.opc == Opcode::Br) target(last.con(0));
    if (last.info().flags & OpFlag::CondBranch) target(last.con(1));
    if (!ends_flow(last) && k + 1 < nb) succ[k].push_back(uint32_t(k + 1));
  }

  // Transfer function over one block; records dead args when `record`.
  auto transfer = [&](size_t k, Bits live, bool record) {
    const auto& bb = lv.blocks[k];
    for (uint32_t i = bb.last + 1; i-- > bb.first;) {
      const Op& op = ops[i];
      const uint32_t flags = op.info().flags;
      uint16_t dead = 0;
      for (unsigned a = 0; a < op.nout; ++a) {
        if (!test(live, op.out(a))) dead |= uint16_t(1u << a);
        put(live, op.out(a), false);
      }
      if (flags & kGlobalSync)
        for (size_t w = 0; w < words && w * 64 < ng; ++w) live[w] |= globals[w];
      for (unsigned a = 0; a < op.nin; ++a) {
        TempIdx t = op.in(a);
        if (!test(live, t)) {
          dead |= uint16_t(1u << (op.nout + a));
          put(live, t, true);
        }
      }
      if (record) lv.dead_args[i] = dead;
    }
    return live;
  };

  // Fixpoint of live-in/live-out, iterating blocks backwards.
  std::vector<Bits> live_in(nb, Bits(words, 0));
  for (bool changed = true; changed;) {
    changed = false;
    for (size_t k = nb; k-- > 0;) {
      Bits out(words, 0);
      for (uint32_t s : succ[k])
        for (size_t w = 0; w < words; ++w) out[w] |= live_in[s][w];
      Bits in = transfer(k, out, false);
      if (in != live_in[k] || out != lv.blocks[k].live_out) {
        live_in[k] = std::move(in);
        lv.blocks[k].live_out = std::move(out);
        changed = true;
      }
    }
  }
  for (size_t k = 0; k < nb; ++k) transfer(k, lv.blocks[k].live_out, true);
  return lv;
}

}  // namespace presil::tcg::opt
