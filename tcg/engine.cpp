// SPDX-License-Identifier: Apache-2.0
// The engine: exec loop, TB cache (jump cache + hash), chaining, translation, code invalidation.
#include "tcg/engine.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstring>
#include <stdexcept>
#include <unordered_map>
#include <vector>

#include "tcg/engine_impl.h"
#include "tcg/opt/passes.h"

namespace presil::tcg {

// --- construction ------------------------------------------------------------

Engine::Engine(GuestCpu& cpu, GuestMemory& mem, std::unique_ptr<Backend> backend, EngineOptions opts)
    : m_impl(std::make_unique<Impl>(opts.code_buffer_size)),
      m_cpu(cpu),
      m_common(cpu.common()),
      m_mem(mem),
      m_backend(std::move(backend)),
      m_opts(opts) {
  if (!m_backend) throw std::invalid_argument("engine: no back-end");
  m_impl->block = Block(cpu.globals(), &cpu.helpers());
  CpuCommon& c = cpu.common();
  c.engine = this;
  for (auto& e : c.tlb) e = TlbEntry{};
  Runtime rt;
  rt.load = &Impl::rt_load;
  rt.store = &Impl::rt_store;
  rt.lookup = &Impl::rt_lookup;
  rt.budget_end = &Impl::rt_budget_end;
  if (opts.fastmem && m_backend->supports_fastmem()) {
    m_impl->fastmem = std::make_unique<FastMem>();
    if (m_impl->fastmem->base()) {
      c.fastmem_base = reinterpret_cast<uintptr_t>(m_impl->fastmem->base());
      rt.fastmem = true;
    } else {
      m_impl->fastmem.reset();  // no 4 GiB of address space: the soft-TLB serves every access
    }
  }
  if (opts.single_step) m_impl->base_cflags |= CFlag::SingleStep | 1;
  if (opts.no_chain) m_impl->base_cflags |= CFlag::NoChain;
  if (cpu.pc32_env_offset() >= 0) {
    // Inline jump-cache probes find blocks keyed (pc, hinted flags, cflags 0).
    rt.jump_cache = m_impl->jump_cache.data();
    rt.jump_cache_bits = Impl::kJumpCacheBits;
    rt.pc32_offset = cpu.pc32_env_offset();
    rt.lookup_guard = &m_impl->lookup_guard;
  }
  m_impl->lookup_inline_off = opts.no_chain || m_impl->base_cflags != 0;
  m_impl->update_debug();
  m_backend->set_runtime(rt);
}

Engine::~Engine() = default;

void Engine::set_observer(EngineObserver* obs, unsigned events) {
  m_observer = obs;
  m_observe = obs ? events : 0;
  m_exec_observer = (m_observe & Observe::Exec) ? obs : nullptr;
  if (m_exec_observer) {
    // Every block must come back to the loop to be reported.
    m_opts.no_chain = true;
    m_impl->base_cflags |= CFlag::NoChain;
    m_impl->lookup_inline_off = true;
    m_impl->update_debug();
  }
}

uint64_t Engine::insns_executed() const { return m_common.insns(); }

void Engine::cap_run(int64_t cycles) {
  if (!m_running) return;
  CpuCommon& c = m_common;
  const int64_t budget = budget_left();
  const int64_t target = std::max<int64_t>(0, cycles) - m_unelapsed;
  m_overshoot = 0;  // an event is due: the end is exact again
  if (target >= budget) return;
  const int64_t delta = budget - target;
  c.charge(delta);
  m_run_budget -= delta;
}

const TranslationBlock* Engine::insn_at(uintptr_t host_pc, size_t& index) const {
  const TranslationBlock* tb = host_pc ? tb_for_host_pc(host_pc) : nullptr;
  if (!tb || tb->insns.empty()) return nullptr;
  const uint32_t off = uint32_t(host_pc - reinterpret_cast<uintptr_t>(tb->code));
  auto it = std::lower_bound(tb->insn_code_end.begin(), tb->insn_code_end.end(), off);
  index = std::min<size_t>(size_t(it - tb->insn_code_end.begin()), tb->insns.size() - 1);
  return tb;
}

int64_t Engine::unelapsed_at(uintptr_t host_pc) const {
  // Device accesses come from a few instructions over and over (polling loops):
  // remember the answers in a small direct-mapped cache. A host pc keeps its
  // block until the code buffer is reset (flush_now empties the cache).
  Impl& im = *m_impl;
  auto& slot = im.unelapsed_cache[(host_pc ^ (host_pc >> 7)) % im.unelapsed_cache.size()];
  if (host_pc && host_pc == slot.first) return slot.second;
  size_t i = 0;
  const TranslationBlock* tb = insn_at(host_pc, i);
  if (!tb) return 0;
  const uint64_t before = tb->insns[i].data2;
  slot = {host_pc, before <= tb->cycles ? int64_t(tb->cycles - before) : 0};
  return slot.second;
}

void Engine::add_cycles(uint64_t cycles) { m_common.charge(int64_t(cycles)); }

void Engine::request_exit() {
  CpuCommon& c = m_common;
  if (!c.exit_request) {
    c.exit_request = 1;
    c.charge(kExitBias);
  }
}

// --- TB cache ----------------------------------------------------------------

TranslationBlock* Engine::Impl::find(const TbKey& key, EngineStats& stats) {
  size_t h = jc_index(key);
  TranslationBlock* tb = jump_cache[h];
  if (tb && tb->key == key) {
    ++stats.jump_cache_hits;
    return tb;
  }
  auto it = hash.find(key);
  if (it == hash.end()) return nullptr;
  ++stats.hash_hits;
  jump_cache[h] = it->second;
  return it->second;
}

const TranslationBlock* Engine::tb_for_host_pc(uintptr_t host_pc) const {
  const auto& tbs = m_impl->tbs;
  // Blocks are allocated upwards in the code buffer: binary search by code address.
  auto it = std::upper_bound(tbs.begin(), tbs.end(), host_pc, [](uintptr_t pc, const auto& tb) {
    return pc < reinterpret_cast<uintptr_t>(tb->code);
  });
  if (it == tbs.begin()) return nullptr;
  const TranslationBlock* tb = std::prev(it)->get();
  uintptr_t start = reinterpret_cast<uintptr_t>(tb->code);
  return host_pc > start && host_pc <= start + tb->code_size ? tb : nullptr;
}

void Engine::Impl::unlink(TranslationBlock& tb, Backend& backend) {
  for (auto [src, slot] : tb.jmp_incoming) {
    if (src->jmp_dest[slot] == &tb) {
      backend.unchain(*src, slot);
      src->jmp_dest[slot] = nullptr;
    }
  }
  tb.jmp_incoming.clear();
  for (unsigned slot = 0; slot < 2; ++slot) {
    TranslationBlock* d = tb.jmp_dest[slot];
    if (!d) continue;
    std::erase(d->jmp_incoming, std::pair<TranslationBlock*, unsigned>{&tb, slot});
    backend.unchain(tb, slot);
    tb.jmp_dest[slot] = nullptr;
  }
}

void Engine::Impl::drop(TranslationBlock& tb, Backend& backend, EngineStats& stats) {
  if (tb.invalid) return;
  tb.invalid = true;
  ++stats.invalidations;
  auto it = hash.find(tb.key);
  if (it != hash.end() && it->second == &tb) hash.erase(it);
  size_t h = jc_index(tb.key);
  if (jump_cache[h] == &tb) jump_cache[h] = nullptr;
  unlink(tb, backend);
}

void Engine::Impl::mark_code_page(CpuCommon& c, uint64_t page, bool code) {
  TlbEntry& e = c.tlb[tlb_index(page)];
  if ((e.addr_write & kPageMask) != page || (e.addr_write & TlbFlag::Invalid)) return;
  if (code) e.addr_write |= TlbFlag::Code;
  else e.addr_write &= ~TlbFlag::Code;
}

void Engine::Impl::fast_fault(Engine& eng, uint64_t addr, unsigned size, Access kind) {
  CpuCommon& c = eng.m_common;
  const uintptr_t site = c.fast_fault_site, stub = c.fast_fault_stub;
  c.fast_fault_site = c.fast_fault_stub = 0;
  ++eng.m_stats.fast_faults;
  const bool write = kind == Access::Write;
  if (fastmem && fastmem->enabled()) {
    fill(eng, addr, kind);  // aliases the region if it is RAM
    const uint64_t last = addr + size - 1;
    if ((last & kPageMask) != (addr & kPageMask)) fill(eng, last, kind);
  }
  if (!fastmem || !fastmem->accessible(addr, size, write)) {
    eng.m_backend->patch_fast_site(site, stub);
    ++eng.m_stats.fast_sites_patched;
  }
}

void Engine::Impl::flush_now(CpuCommon& c, CodeBuffer& buffer, EngineStats& stats) {
  unelapsed_cache.fill({0, 0});
  tbs.clear();
  hash.clear();
  jump_cache.fill(nullptr);
  for (const auto& [page, list] : pages) mark_code_page(c, page, false);
  pages.clear();
  if (fastmem) fastmem->unprotect_all();
  cap_facts.clear();
  buffer.reset();
  chain_from = nullptr;
  flush_pending = false;
  ++stats.flushes;
  stats.code_bytes = 0;
}

void Engine::flush_code() {
  // Blocks may be running (a helper asked): make them unreachable now, free them
  // at the next exec-loop iteration.
  for (auto& tb : m_impl->tbs) m_impl->drop(*tb, *m_backend, m_stats);
  m_impl->hash.clear();
  m_impl->jump_cache.fill(nullptr);
  for (const auto& [page, list] : m_impl->pages) m_impl->mark_code_page(m_common, page, false);
  m_impl->pages.clear();
  if (m_impl->fastmem) m_impl->fastmem->unprotect_all();
  m_impl->chain_from = nullptr;
  m_impl->flush_pending = true;
}

bool Engine::Impl::invalidate_range(uint64_t start, uint64_t end, const TranslationBlock* current,
                                    CpuCommon& c, Backend& backend, EngineStats& stats) {
  bool hit_current = false;
  // Visit the code pages in the range: by page number for short ranges, from
  // the page table for huge ones (invalidate_code(0, ~0) must not loop forever).
  std::vector<uint64_t> visit;
  if (((end - start) >> kPageBits) < 4 * pages.size() + 16) {
    for (uint64_t page = start & kPageMask;; page += kPageSize) {
      if (pages.count(page)) visit.push_back(page);
      if ((end & kPageMask) == page || page + kPageSize == 0) break;
    }
  } else {
    for (const auto& [page, list] : pages)
      if (page + kPageSize - 1 >= start && page <= end) visit.push_back(page);
  }
  for (uint64_t page : visit) {
    auto it = pages.find(page);
    if (it != pages.end()) {
      auto& list = it->second;
      for (TranslationBlock* tb : std::vector<TranslationBlock*>(list)) {
        uint64_t tb_end = tb->key.pc + (tb->guest_size ? tb->guest_size - 1 : 0);
        if (tb->invalid || tb_end < start || tb->key.pc > end) continue;
        if (tb == current) hit_current = true;
        drop(*tb, backend, stats);
        cap_facts.clear();  // instruction costs may have changed with the code
      }
      // Forget invalid blocks on every page they covered.
      for (TranslationBlock* tb : std::vector<TranslationBlock*>(list)) {
        if (!tb->invalid) continue;
        for (uint64_t p : tb->page) {
          if (p == ~0ull) continue;
          auto pit = pages.find(p);
          if (pit == pages.end()) continue;
          std::erase(pit->second, tb);
          if (pit->second.empty()) {
            mark_code_page(c, p, false);
            if (pit != it) pages.erase(pit);
          }
        }
      }
      if (it->second.empty()) pages.erase(it);
    }
  }
  return hit_current;
}

void Engine::invalidate_code(uint64_t start, uint64_t end) {
  if (end < start) return;
  m_impl->invalidate_range(start, end, nullptr, m_common, *m_backend, m_stats);
}

// --- soft-TLB ----------------------------------------------------------------

void Engine::flush_tlb() {
  for (auto& e : m_common.tlb) e = TlbEntry{};
  if (m_impl->fastmem) m_impl->fastmem->unmap_all();
}

void Engine::flush_tlb_range(uint64_t start, uint64_t end) {
  if (end < start) return;
  if (m_impl->fastmem) m_impl->fastmem->unmap(start, end);
  if (((end - start) >> kPageBits) >= kTlbSize) return flush_tlb();
  for (uint64_t page = start & kPageMask;; page += kPageSize) {
    TlbEntry& e = m_common.tlb[Impl::tlb_index(page)];
    if ((e.addr_read & kPageMask) == page || (e.addr_write & kPageMask) == page ||
        (e.addr_code & kPageMask) == page)
      e = TlbEntry{};
    if ((end & kPageMask) == page || page + kPageSize == 0) break;
  }
}

TlbEntry& Engine::Impl::fill(Engine& eng, uint64_t addr, Access kind) {
  CpuCommon& c = eng.m_common;
  const uint64_t page = addr & kPageMask;
  TlbEntry& e = c.tlb[tlb_index(page)];
  ++eng.m_stats.tlb_fills;
  e = TlbEntry{};
  HostRegion r;
  const uint64_t mmio = page | TlbFlag::Mmio;
  bool dmi = eng.m_mem.map(addr, kind, r) && r.host && r.base <= page && r.size >= kPageSize &&
             page - r.base <= r.size - kPageSize;
  if (!dmi) {
    // Only this kind of access is known to need the slow path; the others refill.
    (kind == Access::Read ? e.addr_read : kind == Access::Write ? e.addr_write : e.addr_code) = mmio;
    if (kind == Access::Write && pages.count(page)) e.addr_write |= TlbFlag::Code;
    return e;
  }
  e.addend = reinterpret_cast<uintptr_t>(r.host) - uintptr_t(r.base);
  const bool code = pages.count(page) != 0;
  e.addr_read = r.readable ? page | (r.read_latency ? TlbFlag::Slow : 0) : mmio;
  e.addr_write = r.writable ? page | (r.write_latency ? TlbFlag::Slow : 0) | (code ? TlbFlag::Code : 0) : mmio;
  e.addr_code = (r.executable || r.readable) ? page : mmio;
  latency[tlb_index(page)] = {r.read_latency, r.write_latency};
  if (!watches.empty()) mark_watch(e, page);
  // Plain RAM (no latency to charge, no watchpoint) is also aliased for fast accesses.
  if (fastmem && fastmem->enabled() && !r.read_latency && !r.write_latency) fastmem->map(r);
  return e;
}

void Engine::Impl::mark_watch(TlbEntry& e, uint64_t page) const {
  for (const Watch& w : watches) {
    if (w.last < page || w.start > page + kPageSize - 1) continue;
    if (uint8_t(w.kind) & uint8_t(WatchKind::Read)) e.addr_read |= TlbFlag::Watch;
    if (uint8_t(w.kind) & uint8_t(WatchKind::Write)) e.addr_write |= TlbFlag::Watch;
  }
}

void Engine::Impl::check_watch(Engine& eng, uint64_t addr, unsigned size, bool write, uintptr_t host_pc) {
  const uint64_t last = addr + size - 1;
  const uint8_t want = uint8_t(write ? WatchKind::Write : WatchKind::Read);
  for (const Watch& w : watches) {
    if (!(uint8_t(w.kind) & want) || w.last < addr || w.start > last) continue;
    // Precise: the guest is rolled back to the accessing instruction, which has
    // not performed the access; the loop returns ExitReason::Debug.
    eng.restore_from_host_pc(host_pc);
    DebugStop& st = eng.m_debug_stop;
    st = DebugStop{};
    st.kind = DebugStop::Kind::Watchpoint;
    st.addr = std::max(addr, w.start);
    st.watch = w.kind;
    st.write = write;
    debug_stop_pending = true;
    debug_on = true;
    unwind_exception = false;
    std::longjmp(eng.m_common.unwind, 1);
  }
}

// --- memory slow paths ---------------------------------------------------------

namespace {

uint64_t swap_bytes(uint64_t v, unsigned size) {
  switch (size) {
    case 2: return __builtin_bswap16(uint16_t(v));
    case 4: return __builtin_bswap32(uint32_t(v));
    case 8: return __builtin_bswap64(v);
    default: return v;
  }
}

uint64_t extend(uint64_t v, unsigned size, bool sign) {
  if (size == 8) return v;
  unsigned sh = 64 - 8 * size;
  return sign ? uint64_t(int64_t(v << sh) >> sh) : (v << sh) >> sh;
}

}  // namespace

uint64_t Engine::Impl::load_page(Engine& eng, uint64_t addr, unsigned size, uintptr_t host_pc) {
  CpuCommon& c = eng.m_common;
  const uint64_t page = addr & kPageMask;
  TlbEntry* e = &c.tlb[tlb_index(page)];
  if ((e->addr_read & kPageMask) != page || (e->addr_read & TlbFlag::Invalid)) e = &fill(eng, addr, Access::Read);
  uint64_t v = 0;
  if (e->addr_read & TlbFlag::Mmio) {
    eng.m_unelapsed = eng.unelapsed_at(host_pc);
    MemResult r = eng.m_mem.read(addr, &v, size, Access::Read);
    eng.m_unelapsed = 0;
    c.charge(int64_t(r.delay_cycles));
    if (!r.ok) {
      c.fault_addr = addr;
      eng.m_cpu.data_fault(addr, Access::Read, false, host_pc);
    }
    return v;
  }
  std::memcpy(&v, reinterpret_cast<const void*>(uintptr_t(addr) + e->addend), size);
  if (e->addr_read & TlbFlag::Slow) c.charge(latency[tlb_index(page)][0]);
  return v;
}

void Engine::Impl::store_page(Engine& eng, uint64_t addr, uint64_t v, unsigned size, uintptr_t host_pc) {
  CpuCommon& c = eng.m_common;
  const uint64_t page = addr & kPageMask;
  TlbEntry* e = &c.tlb[tlb_index(page)];
  if ((e->addr_write & kPageMask) != page || (e->addr_write & TlbFlag::Invalid)) e = &fill(eng, addr, Access::Write);
  if (e->addr_write & TlbFlag::Code) {
    // Self-modifying code: drop the blocks translated from the bytes written.
    // If the running block is one of them, its remaining code is stale: roll
    // the guest back to the storing instruction and re-run that instruction
    // alone in a block that is never cached (so its own store cannot hit it),
    // then continue with fresh translations at the next instruction.
    const TranslationBlock* cur = host_pc ? eng.tb_for_host_pc(host_pc) : nullptr;
    if (invalidate_range(addr, addr + size - 1, cur, c, *eng.m_backend, eng.m_stats)) {
      eng.restore_from_host_pc(host_pc);
      next_cflags = CFlag::SingleStep | 1 | CFlag::NoChain | CFlag::NoCache;
      unwind_exception = false;
      std::longjmp(c.unwind, 1);
    }
    e = &c.tlb[tlb_index(page)];
  }
  if (e->addr_write & TlbFlag::Mmio) {
    eng.m_unelapsed = eng.unelapsed_at(host_pc);
    MemResult r = eng.m_mem.write(addr, &v, size);
    eng.m_unelapsed = 0;
    c.charge(int64_t(r.delay_cycles));
    if (!r.ok) {
      c.fault_addr = addr;
      eng.m_cpu.data_fault(addr, Access::Write, false, host_pc);
    }
    return;
  }
  std::memcpy(reinterpret_cast<void*>(uintptr_t(addr) + e->addend), &v, size);
  if (e->addr_write & TlbFlag::Slow) c.charge(latency[tlb_index(page)][1]);
}

uint64_t Engine::Impl::rt_load(void* env, uint64_t addr, uint32_t memop, uintptr_t host_pc) {
  Engine& eng = Engine::of(env);
  Impl& im = *eng.m_impl;
  MemOp m = MemOp::unpack(memop);
  const unsigned size = m.bytes();
  if (eng.m_common.fast_fault_site) im.fast_fault(eng, addr, size, Access::Read);
  if (m.align_log2 && (addr & ((uint64_t(1) << m.align_log2) - 1))) {
    eng.m_common.fault_addr = addr;
    eng.m_cpu.data_fault(addr, Access::Read, true, host_pc);
  }
  if (!im.watches.empty() && !im.watch_suppress) im.check_watch(eng, addr, size, false, host_pc);
  uint64_t v = 0;
  if ((addr & kPageMask) == ((addr + size - 1) & kPageMask)) {
    v = im.load_page(eng, addr, size, host_pc);
  } else {
    for (unsigned i = 0; i < size; ++i) v |= im.load_page(eng, addr + i, 1, host_pc) << (8 * i);
  }
  if (m.big_endian) v = swap_bytes(v, size);
  return extend(v, size, m.sign);
}

void Engine::Impl::rt_store(void* env, uint64_t addr, uint64_t value, uint32_t memop, uintptr_t host_pc) {
  Engine& eng = Engine::of(env);
  Impl& im = *eng.m_impl;
  MemOp m = MemOp::unpack(memop);
  const unsigned size = m.bytes();
  if (eng.m_common.fast_fault_site) im.fast_fault(eng, addr, size, Access::Write);
  if (m.align_log2 && (addr & ((uint64_t(1) << m.align_log2) - 1))) {
    eng.m_common.fault_addr = addr;
    eng.m_cpu.data_fault(addr, Access::Write, true, host_pc);
  }
  if (!im.watches.empty() && !im.watch_suppress) im.check_watch(eng, addr, size, true, host_pc);
  if (m.big_endian) value = swap_bytes(value, size);
  if ((addr & kPageMask) == ((addr + size - 1) & kPageMask)) {
    im.store_page(eng, addr, value, size, host_pc);
  } else {
    for (unsigned i = 0; i < size; ++i) im.store_page(eng, addr + i, value >> (8 * i) & 0xff, 1, host_pc);
  }
}

const uint8_t* Engine::Impl::rt_lookup(void* env) {
  Engine& eng = Engine::of(env);
  Impl& im = *eng.m_impl;
  ++eng.m_stats.lookup_calls;
  if (eng.m_opts.no_chain) return nullptr;
  TbKey key = eng.m_cpu.current_key();
  key.cflags |= im.base_cflags;
  // A debug single-instruction block or a breakpoint target returns to the loop.
  if (im.debug_active() && (im.debug_block || im.is_breakpoint(key.pc))) return nullptr;
  TranslationBlock* tb = im.find(key, eng.m_stats);
  if (!tb || tb->invalid) return nullptr;
  return tb->code;
}

// --- translation -----------------------------------------------------------------

void Engine::fetch_code(TranslateContext& ctx, uint64_t addr, void* out, unsigned size) {
  Impl& im = *m_impl;
  auto* dst = static_cast<uint8_t*>(out);
  for (unsigned i = 0; i < size;) {
    const uint64_t a = addr + i;
    const uint64_t page = a & kPageMask;
    unsigned n = unsigned(std::min<uint64_t>(size - i, page + kPageSize - a));
    // Pages of the block: at most two (TranslationBlock::page).
    if (page != im.fetch_page[0] && page != im.fetch_page[1]) {
      if (im.fetch_page[0] == ~0ull) im.fetch_page[0] = page;
      else if (im.fetch_page[1] == ~0ull) im.fetch_page[1] = page;
      else if (im.measuring) std::longjmp(im.translate_abort, 1);
      else im.abort_translation(ctx);  // a third page: end the block before this instruction
    }
    if (!im.breakpoints.empty() && !im.measuring) {
      // A breakpoint in these bytes (past the block's first one): end the block
      // before the instruction being fetched, so the exec loop sees the breakpoint.
      auto bp = im.breakpoints.lower_bound(a);
      if (bp != im.breakpoints.end() && *bp < a + n && *bp != ctx.key.pc) {
        const unsigned before = im.insns_started(ctx.b.block(), ctx.key.pc);
        if (before >= 1 && before != im.retry_insns) {
          im.retry_insns = before;
          std::longjmp(im.translate_abort, 1);
        }
      }
    }
    bool ok = false;
    HostRegion& r = im.fetch_region;
    if (!(r.host && a >= r.base && a - r.base + n <= r.size)) {
      r = HostRegion{};
      if (!m_mem.map(a, Access::Fetch, r) || !r.host || !(r.executable || r.readable)) r = HostRegion{};
    }
    if (r.host && a >= r.base && a - r.base + n <= r.size) {
      std::memcpy(dst + i, r.host + (a - r.base), n);
      ok = true;
    } else {
      ok = true;
      for (unsigned k = 0; k < n && ok; ++k) ok = m_mem.read(a + k, dst + i + k, 1, Access::Fetch).ok;
    }
    if (!ok && im.measuring) std::longjmp(im.translate_abort, 1);
    if (!ok) {
      // A fault on the block's first instruction is the guest's; a later one
      // ends the block before the instruction (it faults when it runs first).
      if (im.insns_started(ctx.b.block(), ctx.key.pc) >= 1 && im.retry_insns != 1) im.abort_translation(ctx);
      m_cpu.fetch_fault(a);
    }
    im.fetch_lo = std::min(im.fetch_lo, a);
    im.fetch_hi = std::max(im.fetch_hi, a + n - 1);
    i += n;
  }
}

unsigned Engine::Impl::insns_started(const Block& b, uint64_t pc) {
  unsigned n = 0;
  for (const Op& op : b.ops())
    if (op.opc == Opcode::InsnStart) ++n;
  (void)pc;
  return n;
}

void Engine::Impl::abort_translation(TranslateContext& ctx) {
  unsigned started = insns_started(ctx.b.block(), ctx.key.pc);
  // The failing fetch belongs to the last instruction started or to the next
  // one: keep the ones before (at least one; a one-instruction retry that
  // fails again is the guest's fault).
  retry_insns = started > 1 ? started - 1 : 1;
  std::longjmp(translate_abort, 1);
}

uint8_t TranslateContext::fetch8(uint64_t addr) {
  uint8_t v;
  engine.fetch_code(*this, addr, &v, 1);
  return v;
}
uint16_t TranslateContext::fetch16(uint64_t addr) {
  uint8_t v[2];
  engine.fetch_code(*this, addr, v, 2);
  return uint16_t(v[0] | v[1] << 8);
}
uint32_t TranslateContext::fetch32(uint64_t addr) {
  uint8_t v[4];
  engine.fetch_code(*this, addr, v, 4);
  return uint32_t(v[0]) | uint32_t(v[1]) << 8 | uint32_t(v[2]) << 16 | uint32_t(v[3]) << 24;
}

TranslationBlock* Engine::translate(const TbKey& key, uint64_t max_cycles) {
  Impl& im = *m_impl;
  auto t0 = std::chrono::steady_clock::now();
  im.retry_insns = 0;
  im.fit_lo = 0;
  im.fit_hi = ~0u;
  if (setjmp(im.translate_abort)) {
    // Retry with fewer instructions (retry_insns set by abort_translation).
  }
  for (;;) {
    im.block.reset();
    im.fetch_page[0] = im.fetch_page[1] = ~0ull;
    im.fetch_lo = ~0ull;
    im.fetch_hi = 0;
    im.fetch_region = HostRegion{};
    Builder b(im.block);
    TranslateContext ctx{b, key, m_opts.max_block_insns, max_cycles, *this};
    if (uint32_t lim = key.cflags & CFlag::MaxInsnsMask) ctx.max_insns = std::min(ctx.max_insns, lim);
    if (key.cflags & CFlag::SingleStep) ctx.max_insns = 1;
    if (im.retry_insns) ctx.max_insns = std::min(ctx.max_insns, im.retry_insns);
    if (ctx.max_insns == 0) ctx.max_insns = 1;
    im.translating = true;
    m_cpu.translate(ctx);
    im.translating = false;
    if (ctx.num_insns == 0) {
      ctx.num_insns = insn_count(im.block);
    }
    // A front-end without timing (0 cycles) is charged one cycle per
    // instruction, so that run() always makes progress towards its budget.
    if (ctx.cycles == 0) ctx.cycles = ctx.num_insns;
    // A front-end that ignores max_cycles: binary search for the longest
    // prefix that fits (fit_lo fits, fit_hi + 1 does not).
    if (ctx.cycles > max_cycles) {
      if (ctx.num_insns == 0) return nullptr;
      im.fit_hi = std::min(im.fit_hi, ctx.num_insns - 1);
      if (im.fit_hi <= im.fit_lo) {
        if (im.fit_lo == 0) return nullptr;
        im.retry_insns = im.fit_lo;
      } else {
        im.retry_insns = std::max(im.fit_lo + 1, (im.fit_lo + im.fit_hi + 1) / 2);
      }
      continue;
    }
    if (im.fit_hi != ~0u && ctx.num_insns == ctx.max_insns && ctx.num_insns < im.fit_hi) {
      im.fit_lo = ctx.num_insns;
      im.retry_insns = (im.fit_lo + im.fit_hi + 1) / 2;
      continue;
    }

    TbKey final_key = key;
    if (key.cflags & CFlag::BudgetCap) {
      final_key.cflags = (key.cflags & ~CFlag::MaxInsnsMask) | std::min<uint32_t>(ctx.num_insns, CFlag::MaxInsnsMask);
      if (TranslationBlock* old = im.find(final_key, m_stats)) return old;
    }

    auto tb = std::make_unique<TranslationBlock>();
    tb->key = final_key;
    tb->num_insns = ctx.num_insns;
    tb->cycles = ctx.cycles;
    uint64_t end = std::max<uint64_t>(ctx.end_pc, im.fetch_hi + 1);
    if (im.fetch_lo == ~0ull) end = std::max<uint64_t>(ctx.end_pc, key.pc + 1);
    tb->guest_size = uint32_t(end > key.pc ? end - key.pc : 1);
    tb->page[0] = im.fetch_page[0];
    tb->page[1] = im.fetch_page[1];
    for (const Op& op : im.block.ops())
      if (op.opc == Opcode::InsnStart) tb->insns.push_back(InsnRecord{op.con(0), op.con(1), op.con(2)});

    m_stats.ir_ops_translated += im.block.ops().size();
    if (m_observe & Observe::IrBefore) m_observer->block_ir(final_key, im.block);
    opt::PipelineOptions po;
    po.optimize = m_opts.optimize;
#ifdef NDEBUG
    po.verify = m_opts.verify_ir;
#else
    po.verify = true;
#endif
    opt::run_pipeline(im.block, po);

    CodeBuffer& buf = im.buffer;
    buf.align(16);
    if (!m_backend->compile(im.block, *tb, buf)) {
      im.flush_now(m_common, buf, m_stats);
      buf.align(16);
      if (!m_backend->compile(im.block, *tb, buf))
        throw std::runtime_error(fmt::format("engine: block at {:#x} does not fit an empty code buffer of {} bytes",
                                             key.pc, buf.size()));
    }
    ++m_stats.blocks_translated;
    m_stats.guest_insns_translated += tb->num_insns;
    m_stats.code_bytes = buf.used();
    TranslationBlock* raw = tb.get();
    if (m_observe & Observe::Translate) m_observer->block_translated(*raw, im.block);
    im.tbs.push_back(std::move(tb));
    if (!(key.cflags & CFlag::NoCache)) {
      im.hash[raw->key] = raw;
      im.jump_cache[Impl::jc_index(raw->key)] = raw;
      for (uint64_t p : raw->page) {
        if (p == ~0ull) continue;
        auto& list = im.pages[p];
        if (list.empty()) {
          im.mark_code_page(m_common, p, true);
          if (im.fastmem) im.fastmem->protect(p);  // stores to it must reach the slow path
        }
        list.push_back(raw);
      }
    }
    m_stats.translate_ns += uint64_t(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                         std::chrono::steady_clock::now() - t0).count());
    return raw;
  }
}

uint32_t Engine::insn_count(const Block& b) { return Impl::insns_started(b, 0); }

// --- unwinding -----------------------------------------------------------------------

void Engine::restore_from_host_pc(uintptr_t host_pc) {
  size_t i = 0;
  const TranslationBlock* tb = insn_at(host_pc, i);
  if (!tb) return;
  m_cpu.restore_state(tb->insns[i]);
  // Instruction i and those after it did not retire: take back their count
  // and their cycles (the block was charged in full on entry).
  CpuCommon& c = m_common;
  c.icount -= tb->num_insns > i ? tb->num_insns - i : 0;
  uint64_t done = prefix_cycles(tb->key, uint32_t(i));
  if (done < tb->cycles) c.charge(-int64_t(tb->cycles - done));
}

uint64_t Engine::prefix_cycles(const TbKey& key, uint32_t n) {
  if (n == 0) return 0;
  // Cost of the first n instructions: run the front-end alone on a block
  // limited to n instructions (the code was fetched before, so this cannot
  // fault; if it does anyway, nothing is refunded).
  Impl& im = *m_impl;
  im.measuring = true;
  if (setjmp(im.translate_abort)) {
    im.measuring = false;
    return ~0ull;
  }
  im.block.reset();
  im.fetch_page[0] = im.fetch_page[1] = ~0ull;
  im.fetch_region = HostRegion{};
  Builder b(im.block);
  TranslateContext ctx{b, key, n, ~0ull, *this};
  m_cpu.translate(ctx);
  im.measuring = false;
  if (ctx.num_insns == 0) ctx.num_insns = insn_count(im.block);
  if (ctx.num_insns != n) return ~0ull;
  return ctx.cycles ? ctx.cycles : n;
}

void Engine::raise(int32_t excp, uintptr_t host_pc) {
  CpuCommon& c = m_common;
  c.exception_index = excp;
  ++m_stats.exceptions;
  if (host_pc) restore_from_host_pc(host_pc);
  m_impl->unwind_exception = true;
  std::longjmp(c.unwind, 1);
}

// --- exec loop ------------------------------------------------------------------------

bool Engine::Impl::chainable(const TranslationBlock& tb) const {
  return !(tb.key.cflags & (CFlag::NoChain | CFlag::BudgetCap | CFlag::NoCache)) && !tb.invalid;
}

// Inlined into the exec loop's two callers (one per quantum end).
[[gnu::always_inline]] inline Engine::SoftEnd Engine::soft_end(const TranslationBlock& tb) {
  CpuCommon& c = m_common;
  const int64_t left = c.budget(), need = int64_t(tb.cycles);
  if (m_continuation && !m_impl->debug_on && m_run_budget > left) {
    // The continuation takes the end: this part of the run ends before the
    // block, and the continuation is told the budget was not spent.
    return continue_run(true) ? SoftEnd::Continued : SoftEnd::Ended;
  }
  // Run the block whole and stop after it (its successor's entry check fails
  // on the empty budget).
  c.charge(left - need);
  m_run_budget += need - left;
  m_overshoot = 0;
  return SoftEnd::Extended;
}

// Nothing the exec loop's top must see to first: an exit request, a pending
// flush, the debugger.
[[gnu::always_inline]] inline bool Engine::loop_top_clear() const {
  return !m_common.exit_request && !m_impl->flush_pending && !m_impl->debug_on;
}

// After the continuation was called before block `tb` (a soft end, or a spent
// budget in Runtime::budget_end): true when `tb` is still the block to run, so
// it runs without a lookup. The sync did not touch
// the guest state, so only what the loop top looks at can have changed: an
// exit request (an interrupt input), a flush or invalidation, the debugger, an
// interrupt that became pending (taking it moves pc), or a budget that the
// block no longer fits (an event came closer).
[[gnu::always_inline]] inline bool Engine::resume_after_continuation(const TranslationBlock& tb) {
  return loop_top_clear() && !m_impl->next_cflags && !tb.invalid && int64_t(tb.cycles) <= m_common.budget() &&
         !m_cpu.process_interrupts();
}

ExitReason Engine::run(int64_t budget, int64_t overshoot) {
  Impl& im = *m_impl;
  CpuCommon& c = m_common;
  c.engine = this;
  budget = std::min(budget, kMaxRunBudget);  // the caller runs again for the rest
  c.fold_insns();
  c.set_budget(budget);
  c.exit_request = 0;
  m_run_budget = budget;
  m_overshoot = std::max<int64_t>(0, overshoot);
  m_running = true;
  im.chain_from = nullptr;
  im.soft_end_next = nullptr;
  im.result = ExitReason::BudgetExhausted;
  im.debug_block = false;
  im.watch_suppress = false;

  if (setjmp(c.unwind)) {
    // Back from a longjmp: an exception from a helper or the memory slow path
    // (guest state already restored), or a self-modifying store.
    im.translating = false;
    im.chain_from = nullptr;
    im.soft_end_next = nullptr;
    if (im.unwind_exception) {
      im.unwind_exception = false;
      m_cpu.deliver_exception();
      c.exception_index = -1;
      // A debug single-instruction block that raised: the exception entry is its step.
      if (im.debug_block) debug_block_done(true);
    }
    im.debug_block = false;
    im.watch_suppress = false;
  }
  for (;;) {
    // The block whose entry check just failed in a soft-ended run needs no
    // lookup at its soft end: the loop top has nothing to do unless an exit,
    // a flush or debugging is pending (an interrupt raised meanwhile requested an exit).
    TranslationBlock* tb = im.soft_end_next;
    bool once = false;
    im.soft_end_next = nullptr;
    SoftEnd end = SoftEnd::None;
    if (tb && loop_top_clear() && at_soft_end(*tb)) end = soft_end(*tb);
    if (end == SoftEnd::Continued && !resume_after_continuation(*tb)) continue;
    if (end == SoftEnd::Ended) {
      im.result = ExitReason::ExitRequested;
      break;
    }
    if (end == SoftEnd::None) {
      if (im.debug_on && im.debug_stop_pending) [[unlikely]] {
        im.debug_stop_pending = false;
        im.stepping = false;
        m_debug_stop.pc = m_cpu.current_key().pc;
        // Resuming executes the stopped instruction once without the check that
        // stopped it (a step stop has none: the next instruction is checked).
        im.resume_over = m_debug_stop.kind != DebugStop::Kind::Step;
        im.resume_skip_watch = m_debug_stop.kind == DebugStop::Kind::Watchpoint;
        im.resume_pc = m_debug_stop.pc;
        im.update_debug();
        im.result = ExitReason::Debug;
        break;
      }
      if (im.flush_pending) im.flush_now(c, im.buffer, m_stats);
      if (c.exit_request) {
        c.exit_request = 0;
        c.charge(-kExitBias);
        im.result = ExitReason::ExitRequested;
        break;
      }
      if (c.budget() <= 0 && m_continuation && !im.debug_on) {
        // Interrupts are looked at after the continuation (a sync), when the
        // loop comes back here with a budget.
        if (continue_run(false)) continue;
        im.result = ExitReason::ExitRequested;
        break;
      }
      if (!im.stepping) m_cpu.process_interrupts();  // no interrupt is taken while single-stepping
      if (m_cpu.halted()) {
        im.result = ExitReason::Halted;
        break;
      }
      if (c.budget() <= 0) {
        im.result = ExitReason::BudgetExhausted;
        break;
      }
      TbKey key = m_cpu.current_key();
      key.cflags |= im.base_cflags | im.next_cflags;
      if (im.debug_active()) [[unlikely]] {
        const bool over = im.resume_over && key.pc == im.resume_pc;
        if (!over && im.resume_over) {
          im.resume_over = false;
          im.update_debug();
        }
        if (!over && im.is_breakpoint(key.pc)) {
          m_debug_stop = DebugStop{};
          m_debug_stop.kind = DebugStop::Kind::Breakpoint;
          im.debug_stop_pending = true;
          continue;  // debug_on is set: the loop top reports the stop
        }
        if (over || im.stepping) {
          // One instruction in a block that returns to the loop; stepping over a
          // stop executes it without the watchpoint that stopped it.
          key.cflags = (key.cflags & ~CFlag::MaxInsnsMask) | 1u | CFlag::NoChain;
          im.chain_from = nullptr;
          im.debug_block = true;
          im.watch_suppress = over && im.resume_skip_watch;
        }
      }
      once = (im.next_cflags & CFlag::NoCache) != 0;
      im.next_cflags = 0;
      tb = once ? nullptr : im.find(key, m_stats);
      if (!tb) tb = translate(key, ~0ull);
      end = tb && !once && at_soft_end(*tb) ? soft_end(*tb) : SoftEnd::None;
      if (end == SoftEnd::Continued && !resume_after_continuation(*tb)) continue;
      if (end == SoftEnd::Ended) {
        im.result = ExitReason::ExitRequested;
        break;
      }
      if ((!tb || int64_t(tb->cycles) > c.budget()) && !once) {
        // The block does not fit the rest of the budget: finish the budget one
        // instruction at a time with single-instruction blocks, cached like any
        // other, so the run stops exactly where the budget does without
        // translating a block of a new length for every budget left over.
        im.chain_from = nullptr;
        TbKey one = key;
        one.cflags = (key.cflags & ~CFlag::MaxInsnsMask) | 1u;
        TranslationBlock* single = im.find(one, m_stats);
        if (!single) single = translate(one, ~0ull);
        if (single && single->num_insns == 1) {
          if (int64_t(single->cycles) > c.budget()) {
            im.result = ExitReason::BudgetExhausted;
            break;
          }
          tb = single;
        }
      }
      if (!tb || int64_t(tb->cycles) > c.budget()) {
        // A front-end that does not honour the instruction limit: run a block
        // shortened to the cycles left.
        im.chain_from = nullptr;
        TbKey cap = key;
        cap.cflags |= CFlag::BudgetCap;
        const uint64_t avail = uint64_t(c.budget());
        tb = nullptr;
        auto& facts = im.cap_facts[key];
        for (const auto& f : facts) {
          if (f.cycles <= avail && avail <= f.max_budget) {
            TbKey k = cap;
            k.cflags |= f.n;
            tb = im.find(k, m_stats);
            break;
          }
        }
        if (!tb) {
          tb = translate(cap, avail);
          if (tb && tb->num_insns) {
            auto it = std::find_if(facts.begin(), facts.end(), [&](const auto& f) { return f.n == tb->num_insns; });
            if (it == facts.end()) facts.push_back({tb->num_insns, tb->cycles, avail});
            else it->max_budget = std::max(it->max_budget, avail);
          }
        }
        if (!tb || tb->num_insns == 0 || int64_t(tb->cycles) > c.budget()) {
          im.result = ExitReason::BudgetExhausted;
          break;
        }
      }
    }
    if (im.chain_from) {
      TranslationBlock* from = im.chain_from;
      im.chain_from = nullptr;
      if (chainable_pair(*from, *tb)) {
        unsigned slot = im.chain_slot;
        from->jmp_dest[slot] = tb;
        tb->jmp_incoming.emplace_back(from, slot);
        m_backend->chain(*from, slot, *tb);
        ++m_stats.chains_made;
      }
    }
    ++m_stats.blocks_executed;
    if (m_exec_observer) [[unlikely]] m_exec_observer->block_exec(*tb);
    const uint64_t icount_before = c.insns();
    uintptr_t ret = m_backend->execute(m_cpu.env(), *tb);
    if (once) m_impl->drop(*tb, *m_backend, m_stats);
    if (im.debug_block) [[unlikely]] {
      im.debug_block = false;
      im.watch_suppress = false;
      debug_block_done(c.insns() != icount_before);
    }
    auto* last = reinterpret_cast<TranslationBlock*>(ret & ~ExitCode::Mask);
    uintptr_t code = ret & ExitCode::Mask;
    if ((code == ExitCode::Slot0 || code == ExitCode::Slot1) && last && im.chainable(*last) && !m_opts.no_chain) {
      im.chain_from = last;
      im.chain_slot = unsigned(code);
    } else if (code == ExitCode::Requested && last && m_overshoot > 0 && !once) {
      im.soft_end_next = last;  // the block that did not fit: maybe the soft end's last
    }
  }
  if (c.exit_request) {
    // Requested while leaving for another reason: the caller regains control anyway.
    c.exit_request = 0;
    c.charge(-kExitBias);
  }
  c.fold_insns();
  m_cycles_used = m_run_budget - c.budget();
  m_running = false;
  return im.result;
}

bool Engine::continue_run(bool soft_end) {
  CpuCommon& c = m_common;
  // Close this part of the run: its instructions go to icount (the counter's
  // instruction half must not fill up in a run that never returns), its
  // cycles to the continuation.
  c.fold_insns();
  const int64_t used = m_run_budget - c.budget();
  m_running = false;
  int64_t overshoot = 0;
  const int64_t next = std::min(m_continuation->budget_spent(used, soft_end, overshoot), kMaxRunBudget);
  m_running = true;
  m_run_budget = std::max<int64_t>(0, next);
  m_overshoot = std::max<int64_t>(0, overshoot);
  // An exit requested during the call keeps its bias: the loop top takes it.
  c.set_budget(m_run_budget - (c.exit_request ? kExitBias : 0));
  return next > 0;
}

// Runtime::budget_end: the exec loop's next steps for a block whose entry
// check failed, when they are a continuation (a quantum sync) after which the
// same block runs on; generated code then goes on without returning to the
// loop. Anything else is left to the loop: the exit value as it came, or
// (tb | NoChain) once the continuation ran (the loop then starts over from the
// guest state, as after SoftEnd::Continued), with an exit request if the
// continuation ended the run.
uintptr_t Engine::Impl::rt_budget_end(void* env, uintptr_t exit) {
  Engine& eng = Engine::of(env);
  auto& tb = *reinterpret_cast<TranslationBlock*>(exit & ~ExitCode::Mask);
  if (!eng.m_continuation || !eng.loop_top_clear() || eng.m_exec_observer || eng.m_impl->next_cflags || tb.invalid) {
    return exit;
  }
  // A spent budget, or the soft end before the block with cycles used (the
  // loop extends the budget over the block otherwise, or finishes it exactly).
  const int64_t left = eng.m_common.budget();
  const bool soft = left > 0;
  if (soft && !(eng.at_soft_end(tb) && eng.m_run_budget > left)) return exit;
  const uintptr_t to_loop = (exit & ~ExitCode::Mask) | ExitCode::NoChain;
  if (!eng.continue_run(soft)) {
    eng.request_exit();  // the loop top ends the run (ExitRequested, nothing used)
    return to_loop;
  }
  if (!eng.resume_after_continuation(tb)) return to_loop;
  ++eng.m_stats.blocks_executed;
  return reinterpret_cast<uintptr_t>(tb.code);
}

bool Engine::chainable_pair(const TranslationBlock& from, const TranslationBlock& to) const {
  const Impl& im = *m_impl;
  return !m_opts.no_chain && im.chainable(from) && im.chainable(to) &&
         from.jmp_patch_offset[im.chain_slot] != ~0u && from.jmp_dest[im.chain_slot] == nullptr &&
         !im.is_breakpoint(to.key.pc);
}

// --- debugging ------------------------------------------------------------------------

void Engine::debug_block_done(bool executed) {
  Impl& im = *m_impl;
  if (!executed) return;  // not entered (exit requested): try again
  im.resume_over = false;
  im.update_debug();
  if (im.stepping) {
    m_debug_stop = DebugStop{};
    m_debug_stop.kind = DebugStop::Kind::Step;
    im.debug_stop_pending = true;
    im.debug_on = true;
  }
}

void Engine::insert_breakpoint(uint64_t pc) {
  m_impl->breakpoints.insert(pc);
  m_impl->update_debug();
  // Blocks containing pc run past it: drop them (and the chains into them).
  invalidate_code(pc, pc);
}

bool Engine::remove_breakpoint(uint64_t pc) {
  auto it = m_impl->breakpoints.find(pc);
  if (it == m_impl->breakpoints.end()) return false;
  m_impl->breakpoints.erase(it);
  m_impl->update_debug();
  return true;  // blocks that end before it stay valid
}

void Engine::insert_watchpoint(uint64_t addr, uint64_t len, WatchKind kind) {
  if (len == 0) len = 1;
  const uint64_t last = addr + len - 1 < addr ? ~0ull : addr + len - 1;
  m_impl->watches.push_back({addr, last, kind});
  m_impl->update_fastmem();     // accesses must reach the slow path's watch check
  flush_tlb_range(addr, last);  // refills add TlbFlag::Watch
}

bool Engine::remove_watchpoint(uint64_t addr, uint64_t len, WatchKind kind) {
  if (len == 0) len = 1;
  const uint64_t last = addr + len - 1 < addr ? ~0ull : addr + len - 1;
  auto& ws = m_impl->watches;
  auto it = std::find_if(ws.begin(), ws.end(), [&](const Impl::Watch& w) {
    return w.start == addr && w.last == last && w.kind == kind;
  });
  if (it == ws.end()) return false;
  ws.erase(it);
  flush_tlb_range(addr, last);
  m_impl->update_fastmem();
  return true;
}

void Engine::clear_debug() {
  Impl& im = *m_impl;
  im.breakpoints.clear();
  if (!im.watches.empty()) flush_tlb();
  im.watches.clear();
  im.update_fastmem();
  im.stepping = false;
  im.resume_over = false;
  im.update_debug();
}

void Engine::set_single_step(bool on) {
  m_impl->stepping = on;
  m_impl->update_debug();
}

}  // namespace presil::tcg
