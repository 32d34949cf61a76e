// SPDX-License-Identifier: Apache-2.0
// Engine memory-access benchmarks per back-end: soft-TLB hit, TLB miss with refill, and the slow path (no DMI, as MMIO).
#include <benchmark/benchmark.h>

#include "tests/tcg/test_guest.h"

namespace presil::tcg::test {
namespace {

constexpr unsigned kLoads = 32;         ///< loads per block
constexpr uint64_t kDataBase = 0x2000;  ///< first data address (code lives in page 0)

enum class Mode { Hit, Miss, Slow };

/// One block: kLoads times (movi w1, addr; ld32 w2, [w1]), then a branch home.
/// Hit and Slow load from one page; Miss loads from kLoads different pages.
void load_block(TestMemory& m, Mode mode) {
  std::vector<uint32_t> code;
  for (unsigned i = 0; i < kLoads; ++i) {
    uint64_t addr = kDataBase + (mode == Mode::Miss ? i * kPageSize : i * 4);
    code.push_back(toy(kMovi, 1, 0, uint16_t(addr)));
    code.push_back(toy(kLd32, 2, 1));
  }
  code.push_back(toy(kB, 0, 0, uint16_t(-int(code.size()))));
  for (size_t i = 0; i < code.size(); ++i) std::memcpy(m.ram.data() + 4 * i, &code[i], 4);
}

/// Runs the block once per iteration. Miss flushes the TLB first (so every
/// load misses and refills through GuestMemory::map); Slow offers no DMI, so
/// every load goes through GuestMemory::read like an MMIO access.
void bm_load(benchmark::State& state, std::string backend, Mode mode) {
  Rig r(backend, {}, false);
  r.mem.dmi = mode != Mode::Slow;
  load_block(r.mem, mode);
  r.engine.run(1 << 20);  // translate and warm up; measure one pass's cycles below
  r.cpu.s.pc = 0;
  const uint64_t before = r.engine.insns_executed();
  r.engine.run(2 * kLoads + 1);
  const int64_t block_cycles = r.engine.cycles_used();
  if (r.engine.insns_executed() - before != 2 * kLoads + 1 || r.cpu.s.pc != 0) {
    state.SkipWithError("the load block did not run exactly once");
    return;
  }
  const uint64_t reads_before = r.mem.reads;
  for (auto _ : state) {
    if (mode == Mode::Miss) r.engine.flush_tlb();
    r.cpu.s.pc = 0;
    r.engine.run(block_cycles);
  }
  if (mode == Mode::Slow && r.mem.reads - reads_before < uint64_t(state.iterations()) * kLoads) {
    state.SkipWithError("slow-path loads did not reach GuestMemory::read");
    return;
  }
  state.SetItemsProcessed(state.iterations() * kLoads);
  state.counters["ns/load"] = benchmark::Counter(double(state.iterations() * kLoads),
                                                 benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

/// Cost of flushing the whole soft-TLB (subtract from tlb_miss to get the pure refill cost).
void bm_flush_tlb(benchmark::State& state, std::string backend) {
  Rig r(backend, {}, false);
  for (auto _ : state) r.engine.flush_tlb();
}

}  // namespace
}  // namespace presil::tcg::test

int main(int argc, char** argv) {
  using namespace presil::tcg::test;
  for (const std::string& b : presil::host::backend_names()) {
    benchmark::RegisterBenchmark(("tlb_hit/" + b).c_str(), bm_load, b, Mode::Hit);
    benchmark::RegisterBenchmark(("tlb_miss/" + b).c_str(), bm_load, b, Mode::Miss);
    benchmark::RegisterBenchmark(("slow_path/" + b).c_str(), bm_load, b, Mode::Slow);
    benchmark::RegisterBenchmark(("flush_tlb/" + b).c_str(), bm_flush_tlb, b);
  }
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
