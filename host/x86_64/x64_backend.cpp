// SPDX-License-Identifier: Apache-2.0
// The x86-64 back-end: entry trampoline, compile into the code buffer, chaining, disassembly.
#include "host/x86_64/x64_backend.h"

#include <capstone/capstone.h>
#include <fmt/format.h>
#include <unistd.h>
#include <xbyak/xbyak_util.h>

#include <cstdlib>
#include <cstring>
#include <stdexcept>

#include "host/x86_64/emitter.h"

namespace presil::host::x86_64 {

HostFeatures HostFeatures::detect() {
  Xbyak::util::Cpu cpu;
  HostFeatures f;
  f.lzcnt = cpu.has(Xbyak::util::Cpu::tLZCNT);
  f.bmi1 = cpu.has(Xbyak::util::Cpu::tBMI1);
  f.popcnt = cpu.has(Xbyak::util::Cpu::tPOPCNT);
  f.bmi2 = cpu.has(Xbyak::util::Cpu::tBMI2);
  return f;
}

X64Backend::X64Backend() : X64Backend(tcg::Runtime{}) {}

X64Backend::X64Backend(const tcg::Runtime& rt, HostFeatures features) : m_features(features) {
  set_runtime(rt);
  if (!m_features.popcnt) throw std::runtime_error("x86_64 back-end: the host CPU lacks POPCNT");
  const char* pm = std::getenv("PRESIL_PERF_MAP");
  if (pm && std::strcmp(pm, "1") == 0) {
    m_perf_map = std::fopen(fmt::format("/tmp/perf-{}.map", ::getpid()).c_str(), "a");
  }
  // PRESIL_JIT_DUMP=<guest pc> (or "all") prints IR and host code of the blocks compiled there.
  if (const char* dump = std::getenv("PRESIL_JIT_DUMP"); dump && *dump) {
    m_dump_pc = std::strcmp(dump, "all") == 0 ? ~uint64_t(0) : std::strtoull(dump, nullptr, 0);
  }
}

X64Backend::~X64Backend() {
  if (m_perf_map) std::fclose(m_perf_map);
}

// The trampoline: entry(env, code) saves the callee-saved registers, keeps env
// in rbp, reserves the spill frame and jumps to the block; every exit jumps to
// the epilogue with (TranslationBlock* | ExitCode) in rax.
bool X64Backend::ensure_trampoline(tcg::CodeBuffer& buf) {
  if (m_tramp_buf == &buf && m_tramp_base == buf.base() && buf.used() >= m_tramp_end && m_entry) {
    return true;
  }
  buf.align(16);
  uint8_t* start = buf.cur();
  try {
    Xbyak::CodeGenerator g(buf.free_bytes(), start);
    using namespace Xbyak::util;
    g.push(rbx);
    g.push(rbp);
    g.push(r12);
    g.push(r13);
    g.push(r14);
    g.push(r15);
    g.mov(rbp, rdi);
    g.sub(rsp, kFrameBytes);
    g.jmp(rsi);
    g.align(16);
    const size_t epi = g.getSize();
    g.add(rsp, kFrameBytes);
    g.pop(r15);
    g.pop(r14);
    g.pop(r13);
    g.pop(r12);
    g.pop(rbp);
    g.pop(rbx);
    g.ret();
    if (!buf.commit(g.getSize())) return false;
    m_entry = start;
    m_epilogue = start + epi;
  } catch (const Xbyak::Error& e) {
    if (int(e) == Xbyak::ERR_CODE_IS_TOO_BIG) return false;
    throw std::runtime_error(fmt::format("x86_64 back-end: {}", e.what()));
  }
  m_tramp_buf = &buf;
  m_tramp_base = buf.base();
  m_tramp_end = buf.used();
  return true;
}

bool X64Backend::compile(const tcg::Block& block, tcg::TranslationBlock& tb, tcg::CodeBuffer& buf) {
  if (!ensure_trampoline(buf)) return false;
  buf.align(16);
  uint8_t* start = buf.cur();
  size_t size = 0;
  try {
    Emitter e(start, buf.free_bytes(), m_runtime, m_features, m_epilogue);
    e.emit_block(block, tb);
    size = e.getSize();
  } catch (const Xbyak::Error& e) {
    if (int(e) == Xbyak::ERR_CODE_IS_TOO_BIG) return false;
    throw std::runtime_error(fmt::format("x86_64 back-end: {}", e.what()));
  }
  if (!buf.commit(size)) return false;
  tb.code = start;
  tb.code_size = uint32_t(size);
  if (m_perf_map) perf_map_entry(tb);
  if (m_dump_pc && (*m_dump_pc == ~uint64_t(0) || *m_dump_pc == tb.key.pc)) {
    std::fprintf(stderr, "x86_64: block at guest 0x%llx\n%s%s\n", static_cast<unsigned long long>(tb.key.pc),
                 block.to_string().c_str(), disassemble(tb).c_str());
  }
  return true;
}

uintptr_t X64Backend::execute(void* env, const tcg::TranslationBlock& tb) {
  using Entry = uintptr_t (*)(void* env, const uint8_t* code);
  return reinterpret_cast<Entry>(const_cast<uint8_t*>(m_entry))(env, tb.code);
}

namespace {
void patch_rel32(const tcg::TranslationBlock& tb, unsigned slot, const uint8_t* target) {
  const uint32_t off = tb.jmp_patch_offset.at(slot);
  if (off == ~0u) throw std::logic_error("x86_64 back-end: chaining a slot the block does not have");
  auto* disp = const_cast<uint8_t*>(tb.code + off + 1);
  const int64_t rel = target - (tb.code + off + 5);
  if (rel != int32_t(rel)) throw std::logic_error("x86_64 back-end: chain target out of rel32 range");
  __atomic_store_n(reinterpret_cast<int32_t*>(disp), int32_t(rel), __ATOMIC_RELEASE);
}
}  // namespace

void X64Backend::chain(tcg::TranslationBlock& tb, unsigned slot, const tcg::TranslationBlock& dest) {
  patch_rel32(tb, slot, dest.code);  // into dest's entry, so its budget check runs
}

void X64Backend::unchain(tcg::TranslationBlock& tb, unsigned slot) {
  patch_rel32(tb, slot, tb.code + tb.jmp_patch_offset.at(slot) + 5);
}

std::string X64Backend::disassemble(const tcg::TranslationBlock& tb) const {
  csh handle;
  if (cs_open(CS_ARCH_X86, CS_MODE_64, &handle) != CS_ERR_OK) return {};
  cs_insn* insn = nullptr;
  const size_t n = cs_disasm(handle, tb.code, tb.code_size, reinterpret_cast<uint64_t>(tb.code), 0, &insn);
  std::string out;
  for (size_t i = 0; i < n; ++i) {
    out += fmt::format("  0x{:x}:  {} {}\n", insn[i].address, insn[i].mnemonic, insn[i].op_str);
  }
  if (n) cs_free(insn, n);
  cs_close(&handle);
  return out;
}

void X64Backend::perf_map_entry(const tcg::TranslationBlock& tb) {
  std::fprintf(m_perf_map, "%lx %x guest_0x%llx\n", static_cast<unsigned long>(reinterpret_cast<uintptr_t>(tb.code)),
               tb.code_size, static_cast<unsigned long long>(tb.key.pc));
  std::fflush(m_perf_map);
}

}  // namespace presil::host::x86_64
