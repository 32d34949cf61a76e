// SPDX-License-Identifier: Apache-2.0
// The IR passes (one per file in tcg/opt/) and the pipeline that runs them.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "tcg/ir/ir.h"

namespace presil::tcg::opt {

/// Constant folding and copy propagation (const_fold.cpp). Knowledge of a
/// global's value ends at a label, a branch, a call that may write globals, or
/// an env store overlapping it; knowledge of locals ends at a label.
void fold_constants(Block& b);

/// Removes ops without side effects whose outputs are all dead, and labels
/// nothing branches to (dce.cpp).
void eliminate_dead_code(Block& b);

/// Liveness facts for a register allocator (liveness.cpp). Globals count as
/// read at every block exit, call and op that may raise (the guest state must
/// be in memory there).
struct Liveness {
  /// A straight-line run of ops: entered only at `first`, left only after `last`.
  struct BasicBlock {
    uint32_t first = 0;             ///< index of its first op
    uint32_t last = 0;              ///< index of its last op
    std::vector<uint64_t> live_out; ///< bitset over temps live when it ends
  };
  /// Per op: bit i set when args[i] is dead after the op: for an input, this
  /// is its last use; for an output, the value is never read.
  std::vector<uint16_t> dead_args;
  /// Basic blocks in op order.
  std::vector<BasicBlock> blocks;
  /// Per op: index into `blocks`.
  std::vector<uint32_t> block_of;

  /// True when args[arg] of op `op` dies there.
  bool dies(size_t op, unsigned arg) const { return dead_args[op] >> arg & 1; }
  /// True when temp t is live at the end of basic block bb.
  bool live_out(size_t bb, TempIdx t) const { return blocks[bb].live_out[t / 64] >> (t % 64) & 1; }
};

/// Computes liveness (liveness.cpp).
Liveness compute_liveness(const Block& b);

/// Malformed IR.
class VerifyError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Checks a block against the op table (verify.cpp): arity, operand types,
/// temp indices, constants (conditions, bit-field positions, memory ops),
/// labels defined exactly once and referenced, GotoTb slots, insn_start
/// before anything that may raise, and every path ending in exit_tb/goto_ptr.
/// Returns an empty string when the block is well formed, else the first problem.
std::string verify(const Block& b);
/// verify() that throws VerifyError with the message and the printed block.
void verify_or_throw(const Block& b);

/// What the pipeline does.
struct PipelineOptions {
  bool optimize = true;  ///< run folding and dead-code elimination
  bool verify = true;    ///< verify before and after (debug builds, tests)
};

/// The whole pipeline in one place (pipeline.cpp): verify, fold, DCE, verify.
void run_pipeline(Block& b, const PipelineOptions& opts);

}  // namespace presil::tcg::opt
