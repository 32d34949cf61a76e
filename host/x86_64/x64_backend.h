// SPDX-License-Identifier: Apache-2.0
// The x86-64 JIT back-end: compiles IR blocks to host machine code with Xbyak.
#pragma once

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "tcg/backend.h"

namespace presil::host::x86_64 {

/// Host CPU features the emitter may use (detected once; tests may turn them off).
struct HostFeatures {
  bool lzcnt = false;  ///< LZCNT (ABM)
  bool bmi1 = false;   ///< TZCNT, ANDN
  bool popcnt = false; ///< POPCNT
  bool bmi2 = false;   ///< RORX (shift-free copies in the TLB index)
  /// Features of the machine we run on.
  static HostFeatures detect();
};

/// x86-64 back-end. The entry trampoline (saves callee-saved registers, loads
/// env into rbp, reserves the spill frame, jumps to the block) and the shared
/// epilogue live at the start of the code buffer; they are emitted again by the
/// first compile() after the engine reset the buffer.
class X64Backend final : public tcg::Backend {
 public:
  /// Back-end without runtime services yet (the engine installs them with
  /// set_runtime() before compiling; blocks using guest memory or GotoPtr need them).
  X64Backend();
  /// Back-end calling the given runtime services from generated code.
  explicit X64Backend(const tcg::Runtime& rt, HostFeatures features = HostFeatures::detect());
  ~X64Backend() override;

  /// Overrides host feature use (tests exercise the fallback sequences).
  void set_features(HostFeatures f) { m_features = f; }

  const char* name() const override { return "x86_64"; }
  bool compile(const tcg::Block& block, tcg::TranslationBlock& tb, tcg::CodeBuffer& buf) override;
  uintptr_t execute(void* env, const tcg::TranslationBlock& tb) override;
  void chain(tcg::TranslationBlock& tb, unsigned slot, const tcg::TranslationBlock& dest) override;
  void unchain(tcg::TranslationBlock& tb, unsigned slot) override;
  std::string disassemble(const tcg::TranslationBlock& tb) const override;
  bool supports_fastmem() const override { return true; }
  void patch_fast_site(uintptr_t site, uintptr_t stub) override;

  /// Fault handler's question: if `pc` lies in one of this back-end's fast
  /// access sites, the address of that site's slow path (else 0); `site` gets the site.
  uintptr_t fast_stub_at(uintptr_t pc, uintptr_t& site) const;

  /// Spill slots (8 bytes each) available to one block's locals.
  static constexpr unsigned kSpillSlots = 1024;

 private:
  bool ensure_trampoline(tcg::CodeBuffer& buf);
  void perf_map_entry(const tcg::TranslationBlock& tb);

  HostFeatures m_features;
  const tcg::CodeBuffer* m_tramp_buf = nullptr;
  const uint8_t* m_tramp_base = nullptr;
  size_t m_tramp_end = 0;
  const uint8_t* m_entry = nullptr;     // uintptr_t entry(void* env, const uint8_t* code)
  const uint8_t* m_epilogue = nullptr;  // jumped to with the exit value in rax
  const uint8_t* m_budget_stub = nullptr;  // jumped to with (tb | Requested) in rax (nullptr: none)
  struct Site {
    uintptr_t site, end, stub;
  };
  std::vector<Site> m_sites;  ///< fast access sites of the code buffer, in code order
  std::FILE* m_perf_map = nullptr;
  std::optional<uint64_t> m_dump_pc;  // PRESIL_JIT_DUMP
};

}  // namespace presil::host::x86_64
