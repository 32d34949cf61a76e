// SPDX-License-Identifier: Apache-2.0
// Lowers one IR block to x86-64: register allocation (use/scratch/define) and one handler per op.
#pragma once

#include <xbyak/xbyak.h>

#include <cstdint>
#include <deque>
#include <vector>

#include "host/x86_64/x64_backend.h"
#include "tcg/cpu_state.h"
#include "tcg/ir/ir.h"
#include "tcg/tb.h"

namespace presil::host::x86_64 {

/// Bit set of host registers, indexed by Xbyak register index (rax=0 ... r15=15).
using RegMask = uint32_t;

/// Stack bytes the entry trampoline reserves below the saved registers (keeps rsp 16-aligned).
inline constexpr int32_t kFrameBytes = X64Backend::kSpillSlots * 8 + 8;

/// Emits the code of one translation block into a user buffer.
class Emitter : public Xbyak::CodeGenerator {
 public:
  /// Emits into [code, code+capacity); `epilogue` is the shared exit path,
  /// `budget_stub` (if not nullptr) where a failed entry check goes instead.
  Emitter(uint8_t* code, size_t capacity, const tcg::Runtime& rt, const HostFeatures& features,
          const uint8_t* epilogue, const uint8_t* budget_stub = nullptr);

  /// Lowers `block` for `tb`; fills tb.jmp_patch_offset and insn_code_end.
  /// Throws Xbyak::Error (ERR_CODE_IS_TOO_BIG) when the buffer is too small.
  void emit_block(const tcg::Block& block, tcg::TranslationBlock& tb);

  /// A fast-memory access site of the block (see tcg::FastMem): its code
  /// [site, end) and its slow path, as host code addresses.
  struct FastSite {
    uintptr_t site, end, stub;
  };
  /// The block's fast sites in code order (filled by emit_block).
  std::vector<FastSite> fast_sites;

  // One handler per IR op, declared from the op table: an op without a handler does not link.
#define PRESIL_OP(name, type, nout, nin, ncon, flags) void op_##name(const tcg::Op& op);
#include "tcg/ir/opcodes.inc"
#undef PRESIL_OP

 private:
  /// Where a temp's value currently is.
  struct TempState {
    int8_t reg = -1;          ///< host register holding the value, or -1
    bool mem_ok = false;      ///< env field (global) / stack slot (local) is up to date
    bool is_const = false;    ///< value is the known constant cval
    bool perm_const = false;  ///< TempKind::Const: constant for the whole block
    bool cross = false;       ///< local used in more than one label-delimited region
    bool global = false;      ///< guest-state global
    bool w64 = false;         ///< I64 temp
    int32_t slot = -1;        ///< stack slot of a local (-1: none yet)
    int32_t env_offset = -1;  ///< global: byte offset in the guest state
    uint64_t cval = 0;
  };

  /// Out-of-line memory slow path of one guest load/store.
  struct SlowPath {
    Xbyak::Label entry, ret;
    bool store = false;
    uint32_t memop = 0;
    bool addr64 = false;
    int addr_reg = -1;       ///< address register, or -1 for addr_imm
    uint32_t addr_imm = 0;
    int32_t addr_disp = 0;   ///< added to addr_reg (a folded `x + c` address)
    int val_reg = -1;        ///< store value register, or -1 for val_imm
    uint64_t val_imm = 0;
    int dst_reg = -1;        ///< load destination
    bool dst64 = false;
    uintptr_t host_pc = 0;
    const uint8_t* site = nullptr;  ///< fast-memory access: its first instruction (nullptr: soft-TLB)
    const uint8_t* site_end = nullptr;
    RegMask live = 0;        ///< caller-saved registers to preserve around the call
    bool live_pending = true;
    struct Save { int32_t offset; bool w64; int reg; uint64_t imm; };
    std::vector<Save> saves;  ///< dirty globals to write back before the call
  };

  // --- liveness -------------------------------------------------------------
  void analyse(const tcg::Block& block);
  bool dead(const tcg::Op& op, unsigned arg) const { return (m_dead >> arg) & 1; }
  bool dead_in(const tcg::Op& op, unsigned i) const { return dead(op, op.nout + i); }

  // --- register allocator ---------------------------------------------------
  int alloc(RegMask allowed, bool prefer_callee = false);
  void lock_reg(int r) { m_locked |= 1u << r; }
  void bind(tcg::TempIdx t, int r);
  void unbind(tcg::TempIdx t);
  void evict(int r);
  void vacate(int r);
  void sync(tcg::TempIdx t);
  void sync_globals();
  void sync_boundary();
  void drop_all();
  void release_dead(tcg::TempIdx t);
  void set_const(tcg::TempIdx t, uint64_t v);
  void load_value(int r, tcg::TempIdx t);
  bool is_input(const tcg::Op& op, tcg::TempIdx t, int except = -1) const;
  /// use: a register holding t's value (loaded if needed), locked for this op.
  int use(tcg::TempIdx t, RegMask allowed = ~0u);
  /// use into a fixed register that the op clobbers (t keeps its own home).
  int use_fixed(const tcg::Op& op, unsigned in, int r);
  /// scratch: a free register, locked for this op.
  int scratch(RegMask allowed = ~0u);
  /// clobber: frees register r (moving its value away) and locks it.
  void clobber(int r);
  /// define: register for output `out`, initialised with the value of input `from`
  /// (-1: uninitialised). rf is the register use() returned for that input; when the
  /// input dies here its register is taken over, else it is copied (if copy).
  int define(const tcg::Op& op, unsigned out, int from = -1, int rf = -1, RegMask allowed = ~0u,
             bool copy = true);
  /// define output `out` in fixed register r (already clobbered/locked).
  void define_fixed(const tcg::Op& op, unsigned out, int r);
  bool imm_of(tcg::TempIdx t, bool w64, int32_t& imm) const;
  Xbyak::Address home(tcg::TempIdx t);
  int32_t alloc_slot();

  // --- emission helpers -----------------------------------------------------
  enum class Alu : uint8_t { Add, Sub, And, Or, Xor, Adc, Sbb };
  void alu(Alu k, const Xbyak::Reg& d, const Xbyak::Operand& s);
  void alu(Alu k, const Xbyak::Reg& d, uint32_t imm);
  void mov_imm(int r, uint64_t v, bool w64);
  void store_imm(const Xbyak::Address& a, unsigned size_log2, uint64_t v);
  void binary(const tcg::Op& op, Alu k, bool commutative, bool invert_result = false);
  void shift(const tcg::Op& op, int kind);
  void unary(const tcg::Op& op, int kind);
  void move(const tcg::Op& op);
  void mul_op(const tcg::Op& op);
  void andc_orc(const tcg::Op& op, bool is_or);
  void cmp_emit(int ra, int rb, int32_t imm, tcg::Cond c, bool w64);
  void cleanup(const tcg::Op& op);
  RegMask owned() const;
  void extend(const tcg::Op& op, unsigned bits, bool sign, bool w64_dst);
  void setcond(const tcg::Op& op, bool negate);
  void movcond(const tcg::Op& op);
  void brcond(const tcg::Op& op);
  void muldiv2(const tcg::Op& op, bool sign);
  void addsub2(const tcg::Op& op, bool sub);
  void divide(const tcg::Op& op, bool sign, bool rem);
  void extract(const tcg::Op& op, bool sign);
  void deposit(const tcg::Op& op);
  void bitcount(const tcg::Op& op, int kind);
  void bswap_op(const tcg::Op& op, unsigned bits);
  void ld_env(const tcg::Op& op);
  void st_env(const tcg::Op& op);
  void guest_ld(const tcg::Op& op);
  void guest_st(const tcg::Op& op);
  void tlb_lookup(SlowPath& sp, int ra, tcg::MemOp mop, int t1, int t2);
  bool fast_access(const SlowPath& sp) const;
  /// A fast access to a constant address (sets sp.addr_imm): no address register needed.
  bool const_address(SlowPath& sp, tcg::TempIdx addr, tcg::MemOp mop);
  /// Register of an access's address (-1: constant, sp.addr_imm; a folded add sets sp.addr_disp).
  int address(SlowPath& sp, tcg::TempIdx addr, tcg::MemOp mop);
  /// An add whose result only addresses the next (fast) access is left to that access.
  bool fold_into_access(const tcg::Op& op);
  static constexpr int32_t kMaxFoldDisp = 0xfff0;  ///< within FastMem's 64 KiB guard, less an access
  /// Address of the access: through the soft-TLB (t1, t2 scratch) or fast memory.
  Xbyak::RegExp begin_access(SlowPath& sp, int ra, tcg::MemOp mop, int t1, int t2);
  void end_access(SlowPath& sp);
  void capture_saves(SlowPath& sp);
  void emit_slow_path(SlowPath& sp);
  void exit_with(uintptr_t value);
  /// call rax with CpuCommon::counter written back before and reloaded after;
  /// `after_call` (if given) is bound to the return address.
  void call_out(Xbyak::Label* after_call = nullptr);
  void env_overlap(int32_t off, unsigned size, bool store_after);
  void parallel_move(std::vector<std::pair<int, int>> moves);

  const tcg::Runtime& m_rt;
  HostFeatures m_features;
  const uint8_t* m_epilogue;
  const uint8_t* m_budget_stub;
  const tcg::Block* m_block = nullptr;
  tcg::TranslationBlock* m_tb = nullptr;

  std::vector<TempState> m_ts;
  int m_owner[16];
  RegMask m_locked = 0;
  std::vector<uint8_t> m_op_dead;  // per op: bit i = args[i] dead after the op
  std::vector<uint8_t> m_store_through;  // per op: a Mov into a global no later op reads
  size_t m_op_index = 0;                 // op being emitted
  static constexpr tcg::TempIdx kNoTemp = ~tcg::TempIdx(0);
  struct Fold {
    tcg::TempIdx addr = kNoTemp;  ///< the add's result, addressed by the next op
    tcg::TempIdx base = kNoTemp;
    int32_t disp = 0;
    size_t op = 0;  ///< index of the add
  } m_fold;
  struct ScaledIndex {
    tcg::TempIdx out = kNoTemp;    ///< the shift's result, read only by the next op (an add)
    tcg::TempIdx index = kNoTemp;  ///< what was shifted
    uint8_t shift = 0;             ///< 1..3: the add is one lea with index * 2^shift
    size_t op = 0;                 ///< index of the shift
  } m_scaled;
  /// `t = y << k` (k = 1..3) read only by the next op, `x + t`: leaves the
  /// shift to that add, which becomes `lea [x + y * 2^k]`.
  bool fold_scaled_index(const tcg::Op& op, int32_t shift);
  uint8_t m_dead = 0;              // bits of the current op
  std::vector<tcg::TempIdx> m_globals;
  std::vector<tcg::TempIdx> m_cross;
  std::vector<int32_t> m_free_slots;
  int32_t m_next_slot = 0;
  std::deque<Xbyak::Label> m_labels;
  std::deque<SlowPath> m_slow;
  bool m_slow_pending = false;
  uint32_t m_insn_count = 0;
};

}  // namespace presil::host::x86_64
