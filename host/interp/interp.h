// SPDX-License-Identifier: Apache-2.0
// The interpreter back-end: IR laid out as compact threaded bytecode in the code buffer.
#pragma once

#include <memory>
#include <vector>

#include "tcg/backend.h"

namespace presil::host::interp {

/// Runs IR blocks without generating host code. Generated from the op table;
/// the reference (oracle) for every other back-end.
///
/// Bytecode of a block: a header {TranslationBlock*, frame size}, then per op
/// {handler, meta(opcode|nout|nin|ncon|words), operands..., constants...}.
/// Operands name a frame slot (locals/consts) or a guest-state field (globals,
/// accessed in place, so the guest state is always precise). Chaining follows
/// TranslationBlock::jmp_dest directly; GotoPtr asks Runtime::lookup.
class Interpreter final : public tcg::Backend {
 public:
  const char* name() const override { return "interp"; }
  bool compile(const tcg::Block& block, tcg::TranslationBlock& tb, tcg::CodeBuffer& buf) override;
  uintptr_t execute(void* env, const tcg::TranslationBlock& tb) override;
  void chain(tcg::TranslationBlock& tb, unsigned slot, const tcg::TranslationBlock& dest) override;
  void unchain(tcg::TranslationBlock& tb, unsigned slot) override;
  std::string disassemble(const tcg::TranslationBlock& tb) const override;

 private:
  std::vector<uint64_t> m_frame;  ///< locals of the running block (indexed by temp)
};

/// Creates the interpreter back-end.
std::unique_ptr<tcg::Backend> make_interpreter();

}  // namespace presil::host::interp
