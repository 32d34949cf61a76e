// SPDX-License-Identifier: Apache-2.0
// The IR verifier: re-checks a block against the op table before it reaches a back-end.
#include <fmt/format.h>

#include <vector>

#include "tcg/opt/passes.h"

namespace presil::tcg::opt {

namespace {

constexpr unsigned kNumConds = 14;

bool is_cond_op(Opcode o) {
  return o == Opcode::Setcond_i32 || o == Opcode::Setcond_i64 || o == Opcode::Negsetcond_i32 ||
         o == Opcode::Negsetcond_i64 || o == Opcode::Movcond_i32 || o == Opcode::Movcond_i64;
}
bool is_field_op(Opcode o) {
  return o == Opcode::Extract_i32 || o == Opcode::Extract_i64 || o == Opcode::Sextract_i32 ||
         o == Opcode::Sextract_i64 || o == Opcode::Deposit_i32 || o == Opcode::Deposit_i64;
}
bool is_env_op(Opcode o) {
  return o == Opcode::LdEnv_i32 || o == Opcode::LdEnv_i64 || o == Opcode::StEnv_i32 || o == Opcode::StEnv_i64;
}
bool is_guest_mem(Opcode o) {
  return o == Opcode::GuestLd_i32 || o == Opcode::GuestLd_i64 || o == Opcode::GuestSt_i32 ||
         o == Opcode::GuestSt_i64;
}
unsigned width(Type t) { return t == Type::I32 ? 32 : 64; }

/// Expected type of operand slot `arg` (an output or input) of op; None: any width.
Type expected_type(const Op& op, unsigned arg) {
  const OpInfo& info = op.info();
  switch (op.opc) {
    case Opcode::ExtI32_i64: case Opcode::ExtuI32_i64: return arg == 0 ? Type::I64 : Type::I32;
    case Opcode::ExtrlI64_i32: case Opcode::ExtrhI64_i32: return arg == 0 ? Type::I32 : Type::I64;
    case Opcode::GuestLd_i32: case Opcode::GuestLd_i64: return arg == 0 ? info.type : Type::None;
    case Opcode::GuestSt_i32: case Opcode::GuestSt_i64: return arg == 0 ? info.type : Type::None;
    case Opcode::Call: return arg < op.nout ? Type::I64 : Type::None;
    default: return info.type;
  }
}

}  // namespace

std::string verify(const Block& b) {
  const auto& ops = b.ops();
  const auto& temps = b.temps();
  const size_t nt = temps.size();
  std::vector<int> label_defs(b.num_labels(), 0), label_refs(b.num_labels(), 0);
  std::vector<uint8_t> defined(nt, 0), const_defs(nt, 0);
  for (TempIdx g = 0; g < b.num_globals(); ++g) defined[g] = 1;
  bool seen_insn = false;
  bool slot_used[2] = {false, false};

  for (size_t i = 0; i < ops.size(); ++i) {
    const Op& op = ops[i];
    auto err = [&](std::string_view what) {
      return fmt::format("op {} ({}): {}", i,
                         size_t(op.opc) < size_t(Opcode::Count) ? op.info().name : "?", what);
    };
    if (size_t(op.opc) >= size_t(Opcode::Count)) return err("unknown opcode");
    const OpInfo& info = op.info();
    if (info.flags & OpFlag::Variadic) {
      if (op.ncon != 1 || op.nout > 1 || op.nin > 4) return err("bad call arity");
      const auto* h = b.helpers();
      if (h) {
        if (op.con(0) >= h->size()) return err(fmt::format("helper id {} out of range", op.con(0)));
        const HelperInfo& hi = (*h)[op.con(0)];
        if (hi.nargs != op.nin) return err(fmt::format("helper {} takes {} arguments, given {}", hi.name, hi.nargs, op.nin));
        if (hi.has_result != (op.nout == 1)) return err(fmt::format("helper {} result mismatch", hi.name));
        if ((hi.flags & HelperFlag::MayRaise) && !seen_insn) return err("may raise before the first insn_start");
      }
    } else if (op.nout != info.nout || op.nin != info.nin || op.ncon != info.ncon) {
      return err(fmt::format("arity {}/{}/{} but the table says {}/{}/{}", op.nout, op.nin, op.ncon,
                             info.nout, info.nin, info.ncon));
    }
    if (size_t(op.nout) + op.nin + op.ncon > kMaxOpArgs) return err("too many operands");

    // Temps: indices, types, definitions.
    for (unsigned a = 0; a < unsigned(op.nout) + op.nin; ++a) {
      uint64_t t = op.args[a];
      if (t >= nt) return err(fmt::format("temp {} out of range ({} temps)", t, nt));
      Type want = expected_type(op, a);
      Type have = temps[t].type;
      if (have == Type::None) return err(fmt::format("temp {} has no type", t));
      if (want != Type::None && have != want)
        return err(fmt::format("operand {} is {} but must be {}", a, have == Type::I32 ? "i32" : "i64",
                               want == Type::I32 ? "i32" : "i64"));
    }
    for (unsigned a = 0; a < op.nin; ++a) {
      TempIdx t = op.in(a);
      if (!defined[t]) return err(fmt::format("temp {} used before any definition", t));
    }
    for (unsigned a = 0; a < op.nout; ++a) {
      TempIdx t = op.out(a);
      if (temps[t].kind == TempKind::Const) {
        if (op.opc != Opcode::Movi_i32 && op.opc != Opcode::Movi_i64)
          return err(fmt::format("constant temp {} written by a non-movi op", t));
        if (++const_defs[t] > 1) return err(fmt::format("constant temp {} defined twice", t));
      }
      defined[t] = 1;
    }
    if (op.nout == 2 && op.out(0) == op.out(1)) return err("both outputs are the same temp");

    // Constants.
    if (is_cond_op(op.opc) && op.con(0) >= kNumConds) return err("bad condition");
    if (is_field_op(op.opc)) {
      uint64_t pos = op.con(0), len = op.con(1);
      if (len == 0 || pos >= width(info.type) || len > width(info.type) - pos)
        return err(fmt::format("bit field pos {} len {} outside {} bits", pos, len, width(info.type)));
    }
    if (is_env_op(op.opc) || is_guest_mem(op.opc)) {
      MemOp m = MemOp::unpack(op.con(op.ncon - 1));
      if (op.con(op.ncon - 1) >> 12) return err("memop has unknown bits");
      if (m.bytes() * 8 > width(info.type)) return err("access wider than the operand type");
      if (is_env_op(op.opc) && int64_t(op.con(0)) < 0) return err("negative env offset");
      if (is_env_op(op.opc) && op.con(0) > (1u << 24)) return err("env offset out of range");
      if (is_env_op(op.opc) && m.big_endian) return err("env accesses are host order");
    }
    if ((info.flags & OpFlag::MayRaise) && !seen_insn) return err("may raise before the first insn_start");

    // Control.
    switch (op.opc) {
      case Opcode::InsnStart:
        seen_insn = true;
        break;
      case Opcode::SetLabel:
        if (op.con(0) >= label_defs.size()) return err("label out of range");
        if (++label_defs[op.con(0)] > 1) return err(fmt::format("label L{} defined twice", op.con(0)));
        break;
      case Opcode::Br:
        if (op.con(0) >= label_refs.size()) return err("label out of range");
        ++label_refs[op.con(0)];
        break;
      case Opcode::Brcond_i32:
      case Opcode::Brcond_i64:
        if (op.con(0) >= kNumConds) return err("bad condition");
        if (op.con(1) >= label_refs.size()) return err("label out of range");
        ++label_refs[op.con(1)];
        break;
      case Opcode::GotoTb:
        if (op.con(0) > 1) return err("goto_tb slot must be 0 or 1");
        if (slot_used[op.con(0)]) return err("goto_tb slot used twice");
        slot_used[op.con(0)] = true;
        if (i + 1 >= ops.size() || ops[i + 1].opc != Opcode::ExitTb) return err("goto_tb not followed by exit_tb");
        break;
      case Opcode::ExitTb:
        if (op.con(0) > 3) return err("exit_tb value must be an ExitCode");
        break;
      default:
        break;
    }
  }
  for (size_t l = 0; l < label_defs.size(); ++l) {
    if (label_refs[l] && !label_defs[l]) return fmt::format("label L{} referenced but never defined", l);
    if (label_defs[l] && !label_refs[l]) return fmt::format("label L{} defined but never referenced", l);
  }
  if (ops.empty()) return "empty block";
  Opcode last = ops.back().opc;
  if (last != Opcode::ExitTb && last != Opcode::GotoPtr && last != Opcode::Br)
    return "block falls off its end (every path must end in exit_tb or goto_ptr)";
  return {};
}

void verify_or_throw(const Block& b) {
  std::string msg = verify(b);
  if (!msg.empty()) throw VerifyError("IR verifier: " + msg + "\n" + b.to_string());
}

}  // namespace presil::tcg::opt
