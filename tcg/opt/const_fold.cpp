// SPDX-License-Identifier: Apache-2.0
// Constant folding and copy propagation over one block.
#include <vector>

#include "tcg/ir/semantics.h"
#include "tcg/opt/passes.h"

namespace presil::tcg::opt {

namespace {

/// What is known about a temp at the current point.
struct Fact {
  bool known = false;        ///< holds the constant `value`
  uint64_t value = 0;
  TempIdx copy = ~0u;        ///< holds the same value as `copy` ...
  uint32_t copy_version = 0; ///< ... as long as copy's version has not changed
};

bool is_i32(Opcode opc) { return op_info(opc).type == Type::I32; }

/// Identity simplifications with one constant operand: returns true and sets
/// `mov_from` (a temp index) or `movi` when op reduces to a move.
struct Simplified {
  enum Kind { None, MovTemp, MovConst } kind = None;
  TempIdx from = 0;
  uint64_t value = 0;
};

Simplified simplify(const Op& op, const std::vector<Fact>& f) {
  Simplified s;
  if (op.nout != 1 || op.nin != 2 || op.ncon != 0) return s;
  TempIdx a = op.in(0), b = op.in(1);
  bool bk = f[b].known;
  uint64_t bv = f[b].value;
  uint64_t ones = is_i32(op.opc) ? 0xffffffffull : ~0ull;
  auto mov = [&](TempIdx t) { s.kind = Simplified::MovTemp; s.from = t; };
  auto movi = [&](uint64_t v) { s.kind = Simplified::MovConst; s.value = v; };
  switch (op.opc) {  // identities only; evaluation itself comes from the semantics table
    case Opcode::Add_i32: case Opcode::Add_i64: case Opcode::Sub_i32: case Opcode::Sub_i64:
    case Opcode::Or_i32: case Opcode::Or_i64: case Opcode::Xor_i32: case Opcode::Xor_i64:
    case Opcode::Shl_i32: case Opcode::Shl_i64: case Opcode::Shr_i32: case Opcode::Shr_i64:
    case Opcode::Sar_i32: case Opcode::Sar_i64: case Opcode::Rotl_i32: case Opcode::Rotl_i64:
    case Opcode::Rotr_i32: case Opcode::Rotr_i64:
      if (bk && bv == 0) mov(a);
      break;
    case Opcode::And_i32: case Opcode::And_i64:
      if (bk && bv == 0) movi(0);
      else if (bk && bv == ones) mov(a);
      else if (a == b) mov(a);
      break;
    case Opcode::Mul_i32: case Opcode::Mul_i64:
      if (bk && bv == 0) movi(0);
      else if (bk && bv == 1) mov(a);
      break;
    default:
      break;
  }
  if (s.kind == Simplified::None && a == b) {
    if (op.opc == Opcode::Xor_i32 || op.opc == Opcode::Xor_i64 || op.opc == Opcode::Sub_i32 ||
        op.opc == Opcode::Sub_i64)
      movi(0);
    else if (op.opc == Opcode::Or_i32 || op.opc == Opcode::Or_i64)
      mov(a);
  }
  return s;
}

}  // namespace

void fold_constants(Block& b) {
  const auto& temps = b.temps();
  const size_t nt = temps.size();
  const uint32_t ng = b.num_globals();
  std::vector<Fact> fact(nt);
  std::vector<uint32_t> version(nt, 0);

  auto forget = [&](TempIdx t) {
    ++version[t];
    fact[t] = Fact{};
  };
  auto forget_globals = [&] {
    for (TempIdx g = 0; g < ng; ++g) forget(g);
  };
  auto forget_all = [&] {
    for (TempIdx t = 0; t < nt; ++t) {
      if (temps[t].kind == TempKind::Const) continue;  // defined once, valid from its Movi on
      forget(t);
    }
  };
  // The temp whose value t currently holds (t itself when no valid copy).
  auto resolve = [&](TempIdx t) -> TempIdx {
    const Fact& f = fact[t];
    if (f.copy != ~0u && version[f.copy] == f.copy_version) return f.copy;
    return t;
  };

  std::vector<Op> out;
  out.reserve(b.ops().size());
  for (Op op : b.ops()) {
    const OpInfo& info = op.info();
    if (op.opc == Opcode::SetLabel) {
      forget_all();
      out.push_back(op);
      continue;
    }
    // Copy propagation into inputs.
    for (unsigned i = 0; i < op.nin; ++i) op.set_in(i, resolve(op.in(i)));

    // Fold a pure op whose inputs are all constants.
    sem::PureFn fn = sem::pure_fn(op.opc);
    bool all_known = fn != nullptr && op.nout > 0;
    for (unsigned i = 0; all_known && i < op.nin; ++i) all_known = fact[op.in(i)].known;
    if (all_known && op.opc != Opcode::Movi_i32 && op.opc != Opcode::Movi_i64) {
      uint64_t in[kMaxOpArgs], res[2] = {0, 0}, con[kMaxOpArgs];
      for (unsigned i = 0; i < op.nin; ++i) in[i] = fact[op.in(i)].value;
      for (unsigned i = 0; i < op.ncon; ++i) con[i] = op.con(i);
      fn(res, in, con);
      Opcode movi = info.type == Type::I32 ? Opcode::Movi_i32 : Opcode::Movi_i64;
      for (unsigned i = 0; i < op.nout; ++i) {
        TempIdx d = op.out(i);
        Op m;
        m.opc = movi;
        m.nout = 1;
        m.ncon = 1;
        m.args[0] = d;
        m.args[1] = res[i];
        forget(d);
        fact[d].known = true;
        fact[d].value = res[i];
        out.push_back(m);
      }
      continue;
    }

    // Branches on known conditions.
    if (info.flags & OpFlag::CondBranch) {
      const Fact& fa = fact[op.in(0)];
      const Fact& fb = fact[op.in(1)];
      if (fa.known && fb.known) {
        if (eval_cond(Cond(op.con(0)), fa.value, fb.value, info.type)) {
          Op br;
          br.opc = Opcode::Br;
          br.ncon = 1;
          br.args[0] = op.con(1);
          out.push_back(br);
        }
        forget_globals();
        continue;  // never taken: dropped
      }
    }

    // Identities (x + 0, x & 0, ...).
    Simplified s = simplify(op, fact);
    if (s.kind != Simplified::None) {
      Op m;
      m.nout = 1;
      m.args[0] = op.out(0);
      if (s.kind == Simplified::MovTemp) {
        m.opc = info.type == Type::I32 ? Opcode::Mov_i32 : Opcode::Mov_i64;
        m.nin = 1;
        m.args[1] = s.from;
      } else {
        m.opc = info.type == Type::I32 ? Opcode::Movi_i32 : Opcode::Movi_i64;
        m.ncon = 1;
        m.args[1] = s.value;
      }
      op = m;
    }

    // Side effects on globals.
    if (op.opc == Opcode::Call) {
      const auto* helpers = b.helpers();
      uint64_t id = op.con(0);
      bool writes = !(helpers && id < helpers->size() &&
                      ((*helpers)[id].flags & HelperFlag::NoWriteGlobals));
      if (writes) forget_globals();
    } else if (op.opc == Opcode::StEnv_i32 || op.opc == Opcode::StEnv_i64) {
      int64_t off = int64_t(op.con(0));
      int64_t end = off + MemOp::unpack(op.con(1)).bytes();
      for (TempIdx g = 0; g < ng; ++g) {
        int64_t go = temps[g].env_offset;
        int64_t ge = go + (temps[g].type == Type::I32 ? 4 : 8);
        if (go < end && off < ge) forget(g);
      }
    } else if (info.flags & (OpFlag::BlockEnd | OpFlag::TbExit)) {
      forget_globals();
    }

    // Definitions.
    for (unsigned i = 0; i < op.nout; ++i) forget(op.out(i));
    if (op.opc == Opcode::Movi_i32 || op.opc == Opcode::Movi_i64) {
      fact[op.out(0)].known = true;
      fact[op.out(0)].value = op.opc == Opcode::Movi_i32 ? uint32_t(op.con(0)) : op.con(0);
    } else if (op.opc == Opcode::Mov_i32 || op.opc == Opcode::Mov_i64) {
      TempIdx d = op.out(0), src = op.in(0);
      if (d == src) continue;  // self-move: nothing to do
      if (fact[src].known) {
        fact[d].known = true;
        fact[d].value = fact[src].value;
      }
      fact[d].copy = src;
      fact[d].copy_version = version[src];
    }
    out.push_back(op);
  }
  b.ops() = std::move(out);
}

}  // namespace presil::tcg::opt
