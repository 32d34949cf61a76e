// SPDX-License-Identifier: Apache-2.0
// The x86-64 back-end: entry trampoline, compile into the code buffer, chaining, disassembly.
#include "host/x86_64/x64_backend.h"

#include <capstone/capstone.h>
#include <fmt/format.h>
#include <signal.h>
#include <ucontext.h>
#include <unistd.h>
#include <xbyak/xbyak_util.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <stdexcept>

#include "tcg/cpu_state.h"

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

// ---------------------------------------------------------------------------
// Fast-memory faults. A fast access (see tcg::FastMem) to an address the space
// does not serve faults; if the faulting instruction is one of the running
// back-end's access sites, the handler resumes at the site's slow path (the
// registers are as the slow path expects: the access has not happened) and
// tells the engine through CpuCommon (env is in rbp). Any other fault goes to
// the handler that was installed before (sanitizers, the default action).
// ---------------------------------------------------------------------------
namespace {

struct sigaction g_previous_segv;
/// The back-end whose generated code this thread runs (set by execute()).
thread_local const X64Backend* t_running = nullptr;

/// Every live back-end, for faults t_running does not explain: a quantum sync
/// from the budget stub or a helper that waits in SystemC time (sync-on-mmio)
/// lets another CPU's code run, which leaves t_running at that CPU's back-end
/// until this one's next execute() (the handler then finds the owner here).
/// Lock-free slots, so the fault handler can read them.
std::array<std::atomic<const X64Backend*>, 256> g_backends{};

void register_backend(const X64Backend* be) {
  for (auto& slot : g_backends) {
    const X64Backend* none = nullptr;
    if (slot.compare_exchange_strong(none, be)) return;
  }
  // More back-ends than slots: the extra ones rely on t_running alone.
}

void unregister_backend(const X64Backend* be) {
  for (auto& slot : g_backends) {
    const X64Backend* mine = be;
    if (slot.compare_exchange_strong(mine, nullptr)) return;
  }
}

void chain_previous(int sig, siginfo_t* info, void* uc) {
  const struct sigaction& prev = g_previous_segv;
  if (prev.sa_flags & SA_SIGINFO) {
    if (prev.sa_sigaction) prev.sa_sigaction(sig, info, uc);
    return;
  }
  if (prev.sa_handler == SIG_IGN) return;
  if (prev.sa_handler != SIG_DFL) {
    prev.sa_handler(sig);
    return;
  }
  // Default action: uninstall ourselves; the faulting instruction faults again and the process ends as usual.
  signal(sig, SIG_DFL);
}

void on_segv(int sig, siginfo_t* info, void* uc_void) {
  auto* uc = static_cast<ucontext_t*>(uc_void);
  const uintptr_t pc = uintptr_t(uc->uc_mcontext.gregs[REG_RIP]);
  const X64Backend* be = t_running;
  uintptr_t site = 0;
  uintptr_t stub = be ? be->fast_stub_at(pc, site) : 0;
  for (size_t i = 0; !stub && i < g_backends.size(); ++i) {
    const X64Backend* other = g_backends[i].load(std::memory_order_acquire);
    if (other && other != be && (stub = other->fast_stub_at(pc, site))) t_running = other;
  }
  if (!stub) return chain_previous(sig, info, uc_void);
  auto* common = reinterpret_cast<tcg::CpuCommon*>(uc->uc_mcontext.gregs[REG_RBP]);
  common->fast_fault_site = site;
  common->fast_fault_stub = stub;
  uc->uc_mcontext.gregs[REG_RIP] = greg_t(stub);
}

void install_fault_handler() {
  static std::once_flag once;
  std::call_once(once, [] {
    struct sigaction sa {};
    sa.sa_sigaction = &on_segv;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGSEGV, &sa, &g_previous_segv) != 0) {
      throw std::runtime_error(fmt::format("x86_64 back-end: cannot install the SIGSEGV handler: {}",
                                           std::strerror(errno)));
    }
  });
}

}  // namespace

uintptr_t X64Backend::fast_stub_at(uintptr_t pc, uintptr_t& site) const {
  auto it = std::upper_bound(m_sites.begin(), m_sites.end(), pc, [](uintptr_t p, const Site& s) { return p < s.site; });
  if (it == m_sites.begin()) return 0;
  --it;
  if (pc >= it->end) return 0;
  site = it->site;
  return it->stub;
}

void X64Backend::patch_fast_site(uintptr_t site, uintptr_t stub) {
  auto* p = reinterpret_cast<uint8_t*>(site);
  const int64_t rel = int64_t(stub) - int64_t(site + 5);
  if (rel != int32_t(rel)) throw std::logic_error("x86_64 back-end: slow path out of rel32 range");
  const int32_t rel32 = int32_t(rel);
  std::memcpy(p + 1, &rel32, 4);
  p[0] = 0xe9;  // jmp rel32 (the site's remaining bytes are never reached)
}

X64Backend::X64Backend() : X64Backend(tcg::Runtime{}) {}

X64Backend::X64Backend(const tcg::Runtime& rt, HostFeatures features) : m_features(features) {
  set_runtime(rt);
  install_fault_handler();
  if (!m_features.popcnt) throw std::runtime_error("x86_64 back-end: the host CPU lacks POPCNT");
  const char* pm = std::getenv("PRESIL_PERF_MAP");
  if (pm && std::strcmp(pm, "1") == 0) {
    m_perf_map = std::fopen(fmt::format("/tmp/perf-{}.map", ::getpid()).c_str(), "a");
  }
  // PRESIL_JIT_DUMP=<guest pc> (or "all") prints IR and host code of the blocks compiled there.
  if (const char* dump = std::getenv("PRESIL_JIT_DUMP"); dump && *dump) {
    m_dump_pc = std::strcmp(dump, "all") == 0 ? ~uint64_t(0) : std::strtoull(dump, nullptr, 0);
  }
  register_backend(this);  // last: a constructor that throws leaves no slot behind
}

X64Backend::~X64Backend() {
  unregister_backend(this);
  if (t_running == this) t_running = nullptr;
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
    g.mov(r15, qword[rdi + PRESIL_COMMON_OFFSET(fastmem_base)]);
    g.mov(r14, qword[rdi + PRESIL_COMMON_OFFSET(counter)]);
    g.sub(rsp, kFrameBytes);
    g.jmp(rsi);
    g.align(16);
    const size_t epi = g.getSize();
    Xbyak::Label epilogue;
    g.L(epilogue);
    g.mov(qword[rbp + PRESIL_COMMON_OFFSET(counter)], r14);
    g.add(rsp, kFrameBytes);
    g.pop(r15);
    g.pop(r14);
    g.pop(r13);
    g.pop(r12);
    g.pop(rbp);
    g.pop(rbx);
    g.ret();
    // A block's failed entry check jumps here with (tb | Requested) in rax:
    // Runtime::budget_end answers with a block to enter or an exit value.
    // Nothing of the block is live yet; the frame is the blocks' own (aligned).
    size_t budget_stub = 0;
    if (m_runtime.budget_end) {
      g.align(16);
      budget_stub = g.getSize();
      g.mov(qword[rbp + PRESIL_COMMON_OFFSET(counter)], r14);
      g.mov(rdi, rbp);
      g.mov(rsi, rax);
      g.mov(rax, reinterpret_cast<uintptr_t>(m_runtime.budget_end));
      g.call(rax);
      g.mov(r14, qword[rbp + PRESIL_COMMON_OFFSET(counter)]);
      g.test(al, uint8_t(tcg::ExitCode::Mask));
      g.jnz(epilogue, Xbyak::CodeGenerator::T_NEAR);
      g.jmp(rax);
    }
    if (!buf.commit(g.getSize())) return false;
    m_entry = start;
    m_epilogue = start + epi;
    m_budget_stub = budget_stub ? start + budget_stub : nullptr;
  } catch (const Xbyak::Error& e) {
    if (int(e) == Xbyak::ERR_CODE_IS_TOO_BIG) return false;
    throw std::runtime_error(fmt::format("x86_64 back-end: {}", e.what()));
  }
  m_tramp_buf = &buf;
  m_tramp_base = buf.base();
  m_tramp_end = buf.used();
  m_sites.clear();  // the buffer was reset: its old code is gone
  return true;
}

bool X64Backend::compile(const tcg::Block& block, tcg::TranslationBlock& tb, tcg::CodeBuffer& buf) {
  if (!ensure_trampoline(buf)) return false;
  buf.align(16);
  uint8_t* start = buf.cur();
  size_t size = 0;
  std::vector<Emitter::FastSite> sites;
  try {
    Emitter e(start, buf.free_bytes(), m_runtime, m_features, m_epilogue, m_budget_stub);
    e.emit_block(block, tb);
    size = e.getSize();
    sites = std::move(e.fast_sites);
  } catch (const Xbyak::Error& e) {
    if (int(e) == Xbyak::ERR_CODE_IS_TOO_BIG) return false;
    throw std::runtime_error(fmt::format("x86_64 back-end: {}", e.what()));
  }
  if (!buf.commit(size)) return false;
  for (const Emitter::FastSite& fs : sites) m_sites.push_back({fs.site, fs.end, fs.stub});
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
  t_running = this;  // for the fault handler (left set: a longjmp may leave generated code)
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
