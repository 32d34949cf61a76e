// SPDX-License-Identifier: Apache-2.0
// Engine observer: translate and exec events for logs and traces (platform/log implements it).
#pragma once

#include "tcg/ir/ir.h"
#include "tcg/tb.h"

namespace presil::tcg {

/// Events an observer asks for (Engine::set_observer's `events`, OR-ed).
namespace Observe {
inline constexpr unsigned IrBefore = 1;   ///< block_ir: front-end IR before tcg/opt
inline constexpr unsigned Translate = 2;  ///< block_translated: compiled block and optimised IR
inline constexpr unsigned Exec = 4;       ///< block_exec: every block the exec loop enters (turns chaining off)
}  // namespace Observe

/// Receives engine events. Set with Engine::set_observer(); with none set the
/// engine pays one predictable branch per exec-loop iteration and per
/// translation, and nothing in generated code.
///
/// Callbacks run inside Engine::run() on the CPU's thread; they must not call
/// back into the engine's run control (run, raise) and must not throw.
class EngineObserver {
 public:
  virtual ~EngineObserver() = default;
  /// The front-end's IR of the block at `key`, before optimisation (Observe::IrBefore).
  virtual void block_ir(const TbKey& key, const Block& ir) { (void)key, (void)ir; }
  /// A block was translated and compiled (Observe::Translate): guest range
  /// tb.key.pc + [0, tb.guest_size), tb.num_insns, host code tb.code/code_size
  /// (Backend::disassemble(tb) gives text); `ir` is the IR after optimisation.
  virtual void block_translated(const TranslationBlock& tb, const Block& ir) { (void)tb, (void)ir; }
  /// The exec loop is about to enter `tb` (Observe::Exec). Chaining is off
  /// while Exec is observed, so every block executed is reported.
  virtual void block_exec(const TranslationBlock& tb) { (void)tb; }
};

}  // namespace presil::tcg
