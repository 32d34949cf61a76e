// SPDX-License-Identifier: Apache-2.0
// Engine benchmarks per back-end: translation speed and dispatch cost per block.
#include <benchmark/benchmark.h>

#include "tests/tcg/test_guest.h"

namespace presil::tcg::test {
namespace {

/// A straight-line block of `n` toy instructions (ALU, loads, stores), then a branch home.
void straight_line(TestMemory& m, unsigned n) {
  std::vector<uint32_t> code;
  code.push_back(toy(kMovi, 1, 0, 0x2000));
  for (unsigned i = 1; i + 1 < n; ++i) {
    switch (i % 6) {
      case 0: code.push_back(toy(kAdd, 2 + i % 5, 3)); break;
      case 1: code.push_back(toy(kAddi, 3, 0, uint16_t(i))); break;
      case 2: code.push_back(toy(kLd32, 4, 1)); break;
      case 3: code.push_back(toy(kSt32, 4, 1)); break;
      case 4: code.push_back(toy(kMovi, 5, 0, uint16_t(i * 7))); break;
      default: code.push_back(toy(kAdd, 6, 5)); break;
    }
  }
  code.push_back(toy(kB, 0, 0, uint16_t(-int(n - 1))));
  for (size_t i = 0; i < code.size(); ++i) std::memcpy(m.ram.data() + 4 * i, &code[i], 4);
}

/// Translation: IR build + passes + back-end compile of a 64-instruction block.
void bm_translate(benchmark::State& state, std::string backend) {
  Rig r(backend, {}, false);
  const unsigned n = unsigned(state.range(0));
  straight_line(r.mem, n);
  for (auto _ : state) {
    r.engine.flush_code();
    r.cpu.s.pc = 0;
    r.engine.run(1);  // translates the whole block, runs its first instruction only
  }
  const EngineStats& st = r.engine.stats();
  state.counters["guest_insns/s"] =
      benchmark::Counter(double(st.guest_insns_translated), benchmark::Counter::kIsRate);
  state.counters["ir_ops/s"] = benchmark::Counter(double(st.ir_ops_translated), benchmark::Counter::kIsRate);
  state.counters["code_bytes/block"] = double(st.code_bytes);
}

/// Dispatch: a one-instruction block branching to itself, `blocks` times per run().
void bm_dispatch(benchmark::State& state, std::string backend, bool chain, bool goto_ptr) {
  EngineOptions o;
  o.no_chain = !chain;
  Rig r(backend, o, false);
  if (goto_ptr) r.mem.program(0, {toy(kJr, 5)});  // r5 = 0: jumps to itself via lookup
  else r.mem.program(0, {toy(kB, 0, 0, 0)});
  const int64_t blocks = 100000;
  r.engine.run(1);  // translate (and chain) outside the timing
  for (auto _ : state) {
    r.cpu.s.pc = 0;
    r.engine.run(blocks);
  }
  state.SetItemsProcessed(state.iterations() * blocks);
  state.counters["ns/block"] = benchmark::Counter(double(state.iterations() * blocks),
                                                  benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

/// Execution speed of a hot chained loop body (the straight-line block).
void bm_execute(benchmark::State& state, std::string backend) {
  Rig r(backend, {}, false);
  straight_line(r.mem, 64);
  r.engine.run(1000);
  for (auto _ : state) r.engine.run(64 * 1000);
  state.counters["guest_insns/s"] =
      benchmark::Counter(double(state.iterations() * 64 * 1000), benchmark::Counter::kIsRate);
}

}  // namespace
}  // namespace presil::tcg::test

int main(int argc, char** argv) {
  using namespace presil::tcg::test;
  for (const std::string& b : presil::host::backend_names()) {
    benchmark::RegisterBenchmark(("translate/" + b).c_str(), bm_translate, b)->Arg(16)->Arg(64);
    benchmark::RegisterBenchmark(("dispatch_chained/" + b).c_str(), bm_dispatch, b, true, false);
    benchmark::RegisterBenchmark(("dispatch_unchained/" + b).c_str(), bm_dispatch, b, false, false);
    benchmark::RegisterBenchmark(("dispatch_goto_ptr/" + b).c_str(), bm_dispatch, b, true, true);
    benchmark::RegisterBenchmark(("execute_loop/" + b).c_str(), bm_execute, b);
  }
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
