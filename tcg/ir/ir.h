// SPDX-License-Identifier: Apache-2.0
// The IR: opcodes (generated from opcodes.inc), temps, ops, and the Block container.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace presil::tcg {

/// Value type of a temp.
enum class Type : uint8_t { I32, I64, None };

/// Every IR opcode, generated from opcodes.inc.
enum class Opcode : uint16_t {
#define PRESIL_OP(name, type, nout, nin, ncon, flags) name,
#include "tcg/ir/opcodes.inc"
#undef PRESIL_OP
  Count
};

/// GotoPtr's flags hint when the next block's TbKey::flags are not known.
inline constexpr uint64_t kGotoPtrNoHint = ~uint64_t(0);

/// Semantic flags of an op.
namespace OpFlag {
inline constexpr uint32_t Pure = 0;             ///< no side effect; removable when its outputs are dead
inline constexpr uint32_t SideEffects = 1u << 0;  ///< must be kept even when its outputs are dead
inline constexpr uint32_t BlockEnd = 1u << 1;   ///< ends a basic block (control may not fall through)
inline constexpr uint32_t BlockStart = 1u << 2; ///< starts a basic block (a branch target)
inline constexpr uint32_t CondBranch = 1u << 3; ///< conditional branch (falls through too)
inline constexpr uint32_t TbExit = 1u << 4;     ///< leaves the translation block
inline constexpr uint32_t MayRaise = 1u << 5;   ///< may raise a guest exception (unwinds to the exec loop)
inline constexpr uint32_t CallsOut = 1u << 6;   ///< calls host code: caller-saved registers die, globals synced
inline constexpr uint32_t Variadic = 1u << 7;   ///< arity stored per op instance (Call)
inline constexpr uint32_t ReadsEnv = 1u << 8;   ///< reads guest state directly
inline constexpr uint32_t WritesEnv = 1u << 9 | SideEffects;  ///< writes guest state directly
inline constexpr uint32_t MixedWidth = 1u << 10;  ///< inputs may have a type other than Type
}  // namespace OpFlag

/// Static description of an opcode (one row of opcodes.inc).
struct OpInfo {
  std::string_view name;  ///< printable name
  Type type;              ///< type of outputs and value inputs
  uint8_t nout;           ///< number of output temps
  uint8_t nin;            ///< number of input temps (0 for Variadic ops; see Op)
  uint8_t ncon;           ///< number of constant operands
  uint32_t flags;         ///< OpFlag bits
};

/// The op table, indexed by Opcode.
extern const std::array<OpInfo, static_cast<size_t>(Opcode::Count)> kOpInfo;

/// Looks up the static description of an opcode.
inline const OpInfo& op_info(Opcode opc) { return kOpInfo[static_cast<size_t>(opc)]; }

/// Comparison conditions for Setcond/Movcond/Brcond.
enum class Cond : uint8_t {
  Never, Always, Eq, Ne, Lt, Ge, Le, Gt, Ltu, Geu, Leu, Gtu,
  TstEq,  ///< (a & b) == 0
  TstNe,  ///< (a & b) != 0
};

/// Inverts a condition (Eq <-> Ne, Lt <-> Ge, ...).
Cond invert(Cond c);
/// Evaluates a condition on 64-bit operands interpreted at the given width.
bool eval_cond(Cond c, uint64_t a, uint64_t b, Type t);

/// Memory-op descriptor for guest and env accesses, packed in one constant.
struct MemOp {
  uint8_t size_log2 = 2;   ///< 0..3: 1, 2, 4, 8 bytes
  bool sign = false;       ///< sign-extend loads
  bool big_endian = false; ///< guest byte order of this access
  uint8_t align_log2 = 0;  ///< required alignment (0: none; faults when violated)
  uint8_t mmu_idx = 0;     ///< privilege/translation regime index (e.g. unprivileged LDRT)

  /// Bytes accessed.
  constexpr unsigned bytes() const { return 1u << size_log2; }
  /// Packs into an op constant.
  constexpr uint64_t pack() const {
    return uint64_t(size_log2) | uint64_t(sign) << 2 | uint64_t(big_endian) << 3 |
           uint64_t(align_log2) << 4 | uint64_t(mmu_idx) << 8;
  }
  /// Unpacks from an op constant.
  static constexpr MemOp unpack(uint64_t v) {
    return MemOp{uint8_t(v & 3), bool(v >> 2 & 1), bool(v >> 3 & 1), uint8_t(v >> 4 & 15),
                 uint8_t(v >> 8 & 15)};
  }
  /// Little-endian unsigned access of 2^log2 bytes, no alignment check.
  static constexpr MemOp u(unsigned log2) { return MemOp{uint8_t(log2), false, false, 0, 0}; }
  /// Little-endian signed access of 2^log2 bytes, no alignment check.
  static constexpr MemOp s(unsigned log2) { return MemOp{uint8_t(log2), true, false, 0, 0}; }
};

/// Index of a temp within its Block.
using TempIdx = uint32_t;

/// What a temp is bound to.
enum class TempKind : uint8_t {
  Global,  ///< a field of the guest state, live across blocks
  Local,   ///< lives for the whole translation block (across labels)
  Const,   ///< holds a constant set by one Movi (created by the builder)
};

/// One temp of a block.
struct TempInfo {
  Type type = Type::I32;
  TempKind kind = TempKind::Local;
  int32_t env_offset = -1;     ///< Global: byte offset in the guest state
  const char* name = nullptr;  ///< Global: printable name
};

/// A guest-state field exposed to the IR as a Global temp.
struct GlobalDef {
  const char* name;  ///< printable name ("r0", "eax", "NF")
  Type type;         ///< I32 or I64
  int32_t offset;    ///< byte offset in the guest state
};

/// Flags of a helper function.
namespace HelperFlag {
inline constexpr uint32_t NoSideEffects = 1u << 0;  ///< pure function of its arguments
inline constexpr uint32_t NoReadGlobals = 1u << 1;  ///< does not read guest state globals
inline constexpr uint32_t NoWriteGlobals = 1u << 2; ///< does not write guest state globals
inline constexpr uint32_t MayRaise = 1u << 3;       ///< may raise a guest exception
inline constexpr uint32_t NoReturn = 1u << 4;       ///< never returns (always raises / exits)
}  // namespace HelperFlag

/// Uniform helper signature: guest state, up to four arguments (i32 zero-extended).
using HelperFn = uint64_t (*)(void* env, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3);

/// A host function that generated code may call.
struct HelperInfo {
  const char* name;  ///< printable name
  HelperFn fn;       ///< entry point
  uint8_t nargs;     ///< arguments after env (0..4)
  bool has_result;   ///< returns a value
  uint32_t flags;    ///< HelperFlag bits
};

/// Maximum operand slots of one op.
inline constexpr unsigned kMaxOpArgs = 6;

/// One IR instruction: outputs, then inputs, then constants in args.
struct Op {
  Opcode opc{};
  uint8_t nout = 0;  ///< output temps (copied from the table, or set for Call)
  uint8_t nin = 0;   ///< input temps
  uint8_t ncon = 0;  ///< constant operands
  std::array<uint64_t, kMaxOpArgs> args{};

  TempIdx out(unsigned i) const { return TempIdx(args[i]); }
  TempIdx in(unsigned i) const { return TempIdx(args[nout + i]); }
  uint64_t con(unsigned i) const { return args[nout + nin + i]; }
  void set_in(unsigned i, TempIdx t) { args[nout + i] = t; }
  void set_con(unsigned i, uint64_t v) { args[nout + nin + i] = v; }
  const OpInfo& info() const { return op_info(opc); }
};

/// An IR function: one translation block's worth of ops and its temps.
/// Temps [0, num_globals) are the guest's globals, in GlobalDef order.
class Block {
 public:
  /// Creates an empty block whose first temps are the given globals.
  explicit Block(const std::vector<GlobalDef>& globals = {},
                 const std::vector<HelperInfo>* helpers = nullptr);

  /// Empties the block (ops, labels, non-global temps) for reuse.
  void reset();
  /// Adds a temp of the given type and kind.
  TempIdx new_temp(Type t, TempKind k = TempKind::Local);
  /// Allocates a fresh label id.
  uint32_t new_label() { return m_num_labels++; }
  /// Appends an op; arity comes from the table (nin/nout overridden for Variadic).
  Op& emit(Opcode opc, std::initializer_list<uint64_t> args, int nout = -1, int nin = -1);

  std::vector<Op>& ops() { return m_ops; }
  const std::vector<Op>& ops() const { return m_ops; }
  std::vector<TempInfo>& temps() { return m_temps; }
  const std::vector<TempInfo>& temps() const { return m_temps; }
  const TempInfo& temp(TempIdx t) const { return m_temps[t]; }
  uint32_t num_globals() const { return m_num_globals; }
  uint32_t num_labels() const { return m_num_labels; }
  /// Helpers callable from this block (Call's constant indexes this table).
  const std::vector<HelperInfo>* helpers() const { return m_helpers; }

  /// Prints the block in a readable form (one op per line).
  std::string to_string() const;

 private:
  std::vector<TempInfo> m_temps;
  std::vector<Op> m_ops;
  const std::vector<HelperInfo>* m_helpers = nullptr;
  uint32_t m_num_globals = 0;
  uint32_t m_num_labels = 0;
};

/// Printable name of a condition.
std::string_view cond_name(Cond c);

}  // namespace presil::tcg
