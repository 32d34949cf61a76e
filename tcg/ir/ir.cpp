// SPDX-License-Identifier: Apache-2.0
// The op table, Block construction and the IR printer.
#include "tcg/ir/ir.h"

#include <fmt/format.h>

#include <cassert>
#include <stdexcept>

#include "tcg/ir/builder.h"

namespace presil::tcg {

namespace {
using namespace OpFlag;
constexpr Type I32 = Type::I32;
constexpr Type I64 = Type::I64;
constexpr Type None = Type::None;
}  // namespace

const std::array<OpInfo, static_cast<size_t>(Opcode::Count)> kOpInfo = {{
#define PRESIL_OP(name, type, nout, nin, ncon, flags) \
  OpInfo{#name, type, nout, nin, ncon, flags},
#include "tcg/ir/opcodes.inc"
#undef PRESIL_OP
}};

Cond invert(Cond c) {
  switch (c) {
    case Cond::Never: return Cond::Always;
    case Cond::Always: return Cond::Never;
    case Cond::Eq: return Cond::Ne;
    case Cond::Ne: return Cond::Eq;
    case Cond::Lt: return Cond::Ge;
    case Cond::Ge: return Cond::Lt;
    case Cond::Le: return Cond::Gt;
    case Cond::Gt: return Cond::Le;
    case Cond::Ltu: return Cond::Geu;
    case Cond::Geu: return Cond::Ltu;
    case Cond::Leu: return Cond::Gtu;
    case Cond::Gtu: return Cond::Leu;
    case Cond::TstEq: return Cond::TstNe;
    case Cond::TstNe: return Cond::TstEq;
  }
  return c;
}

bool eval_cond(Cond c, uint64_t a, uint64_t b, Type t) {
  int64_t sa, sb;
  if (t == Type::I32) {
    a = uint32_t(a), b = uint32_t(b);
    sa = int32_t(a), sb = int32_t(b);
  } else {
    sa = int64_t(a), sb = int64_t(b);
  }
  switch (c) {
    case Cond::Never: return false;
    case Cond::Always: return true;
    case Cond::Eq: return a == b;
    case Cond::Ne: return a != b;
    case Cond::Lt: return sa < sb;
    case Cond::Ge: return sa >= sb;
    case Cond::Le: return sa <= sb;
    case Cond::Gt: return sa > sb;
    case Cond::Ltu: return a < b;
    case Cond::Geu: return a >= b;
    case Cond::Leu: return a <= b;
    case Cond::Gtu: return a > b;
    case Cond::TstEq: return (a & b) == 0;
    case Cond::TstNe: return (a & b) != 0;
  }
  return false;
}

std::string_view cond_name(Cond c) {
  static constexpr std::string_view names[] = {"never", "always", "eq",  "ne",  "lt",  "ge",    "le",
                                                "gt",    "ltu",    "geu", "leu", "gtu", "tsteq", "tstne"};
  unsigned i = static_cast<unsigned>(c);
  return i < std::size(names) ? names[i] : std::string_view("?cond");
}

Block::Block(const std::vector<GlobalDef>& globals, const std::vector<HelperInfo>* helpers)
    : m_helpers(helpers) {
  m_temps.reserve(globals.size() + 64);
  for (const auto& g : globals) {
    m_temps.push_back(TempInfo{g.type, TempKind::Global, g.offset, g.name});
  }
  m_num_globals = static_cast<uint32_t>(globals.size());
  m_ops.reserve(256);
}

void Block::reset() {
  m_temps.resize(m_num_globals);
  m_ops.clear();
  m_num_labels = 0;
}

TempIdx Block::new_temp(Type t, TempKind k) {
  m_temps.push_back(TempInfo{t, k, -1, nullptr});
  return static_cast<TempIdx>(m_temps.size() - 1);
}

Op& Block::emit(Opcode opc, std::initializer_list<uint64_t> args, int nout, int nin) {
  const OpInfo& info = op_info(opc);
  Op op;
  op.opc = opc;
  op.nout = nout >= 0 ? uint8_t(nout) : info.nout;
  op.nin = nin >= 0 ? uint8_t(nin) : info.nin;
  op.ncon = info.ncon;
  if (args.size() != size_t(op.nout) + op.nin + op.ncon || args.size() > kMaxOpArgs) {
    throw std::logic_error(fmt::format("IR: {} given {} operands", info.name, args.size()));
  }
  size_t i = 0;
  for (uint64_t a : args) op.args[i++] = a;
  m_ops.push_back(op);
  return m_ops.back();
}

std::string Block::to_string() const {
  auto tname = [&](TempIdx t) -> std::string {
    if (t >= m_temps.size()) return fmt::format("?{}", t);
    const TempInfo& ti = m_temps[t];
    if (ti.kind == TempKind::Global) return ti.name ? ti.name : fmt::format("g{}", t);
    return fmt::format("{}{}", ti.kind == TempKind::Const ? "c" : "t", t);
  };
  std::string s;
  for (const Op& op : m_ops) {
    const OpInfo& info = op.info();
    if (op.opc == Opcode::InsnStart) {
      s += fmt::format(" ---- {:#x} {:#x} {:#x}\n", op.con(0), op.con(1), op.con(2));
      continue;
    }
    if (op.opc == Opcode::SetLabel) {
      s += fmt::format("L{}:\n", op.con(0));
      continue;
    }
    std::string line = fmt::format(" {}", info.name);
    const char* sep = " ";
    for (unsigned i = 0; i < op.nout; ++i, sep = ", ") line += sep + tname(op.out(i));
    for (unsigned i = 0; i < op.nin; ++i, sep = ", ") line += sep + tname(op.in(i));
    for (unsigned i = 0; i < op.ncon; ++i, sep = ", ") {
      uint64_t c = op.con(i);
      bool is_cond = (info.flags & CondBranch) ? i == 0
                     : (op.opc == Opcode::Setcond_i32 || op.opc == Opcode::Setcond_i64 ||
                        op.opc == Opcode::Negsetcond_i32 || op.opc == Opcode::Negsetcond_i64 ||
                        op.opc == Opcode::Movcond_i32 || op.opc == Opcode::Movcond_i64);
      bool is_label = op.opc == Opcode::Br || ((info.flags & CondBranch) && i == 1);
      if (is_cond) {
        line += sep + std::string(cond_name(static_cast<Cond>(c)));
      } else if (is_label) {
        line += fmt::format("{}L{}", sep, c);
      } else if (op.opc == Opcode::Call && m_helpers && c < m_helpers->size()) {
        line += fmt::format("{}{}", sep, (*m_helpers)[c].name);
      } else {
        line += fmt::format("{}${:#x}", sep, c);
      }
    }
    s += line + "\n";
  }
  return s;
}

U64 Builder::call(uint32_t id, std::initializer_list<TempIdx> args, bool has_result) {
  U64 r{~0u};
  std::vector<uint64_t> a;
  if (has_result) {
    r = local64();
    a.push_back(r.t);
  }
  for (TempIdx t : args) a.push_back(t);
  a.push_back(id);
  Op op;
  op.opc = Opcode::Call;
  op.nout = has_result ? 1 : 0;
  op.nin = static_cast<uint8_t>(args.size());
  op.ncon = 1;
  if (a.size() > kMaxOpArgs) throw std::logic_error("IR: helper call with too many arguments");
  for (size_t i = 0; i < a.size(); ++i) op.args[i] = a[i];
  m_b.ops().push_back(op);
  return r;
}

U32 Builder::call32(uint32_t id, std::initializer_list<TempIdx> args) {
  U64 r = call(id, args, true);
  return lo(r);
}

void Builder::call0(uint32_t id, std::initializer_list<TempIdx> args) { call(id, args, false); }

}  // namespace presil::tcg
