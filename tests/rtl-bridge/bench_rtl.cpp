// SPDX-License-Identifier: Apache-2.0
// RTL bridge benchmarks: one 32-bit write+read per bridge, and free-running RTL clock rates
// (direct eval() loop vs. the bridge's lazy catch-up vs. per-edge clocking under the kernel).
#include <benchmark/benchmark.h>

#include <systemc>
using sc_core::sc_time_stamp;
#include "Vapb_timer.h"

#include <tlm_utils/simple_initiator_socket.h>

#include "rtl-bridge/bridge.h"
#include "tlm/payload.h"

using namespace sc_core;
using presil::rtl::BridgeConfig;
using presil::rtl::Clocking;
using presil::rtl::RtlBridge;

namespace {

/// A socket owner that calls b_transport from the benchmark loop (no SystemC process).
struct Driver : sc_module {
    tlm_utils::simple_initiator_socket<Driver, 32> socket;
    explicit Driver(sc_module_name n) : sc_module(n), socket("socket") {}
    tlm::tlm_generic_payload p;  // reused, as an initiator would
    uint32_t access(tlm::tlm_command cmd, uint64_t addr, uint32_t v) {
        uint8_t b[4] = {uint8_t(v), uint8_t(v >> 8), uint8_t(v >> 16), uint8_t(v >> 24)};
        presil::tlm::init_payload(p, cmd, addr, b, 4);
        sc_time d = SC_ZERO_TIME;
        socket->b_transport(p, d);
        return uint32_t(b[0]) | uint32_t(b[1]) << 8 | uint32_t(b[2]) << 16 | uint32_t(b[3]) << 24;
    }
};

BridgeConfig config(const char* model, Clocking clocking) {
    BridgeConfig c;
    c.model = model;
    c.clock_period = sc_time(10, SC_NS);
    c.clocking = clocking;
    return c;
}

struct World {
    RtlBridge apb{"apb", config("apb_timer", Clocking::Lazy)};
    RtlBridge axi{"axi", config("axil_crc32", Clocking::Lazy)};
    RtlBridge free_lazy{"free_lazy", config("apb_timer", Clocking::Lazy)};
    RtlBridge free_edge{"free_edge", config("apb_timer", Clocking::PerEdge)};
    Driver to_apb{"to_apb"}, to_axi{"to_axi"}, to_lazy{"to_lazy"}, to_edge{"to_edge"};
    World() {
        to_apb.socket.bind(apb.socket);
        to_axi.socket.bind(axi.socket);
        to_lazy.socket.bind(free_lazy.socket);
        to_edge.socket.bind(free_edge.socket);
        sc_start(SC_ZERO_TIME);
        for (Driver* d : {&to_lazy, &to_edge}) {  // start both free-running timers
            d->access(tlm::TLM_WRITE_COMMAND, 0x04, 0xffffffffu);
            d->access(tlm::TLM_WRITE_COMMAND, 0x00, 1);
        }
    }
};

World& world() {
    static World* w = new World;
    return *w;
}

void BM_ApbWriteRead(benchmark::State& state) {
    World& w = world();
    uint32_t v = 0;
    for (auto _ : state) {
        w.to_apb.access(tlm::TLM_WRITE_COMMAND, 0x04, ++v);
        benchmark::DoNotOptimize(w.to_apb.access(tlm::TLM_READ_COMMAND, 0x04, 0));
    }
    if (w.to_apb.access(tlm::TLM_READ_COMMAND, 0x04, 0) != v) state.SkipWithError("APB readback mismatch");
}
BENCHMARK(BM_ApbWriteRead);

void BM_AxiLiteWriteRead(benchmark::State& state) {
    World& w = world();
    uint32_t v = 0;
    for (auto _ : state) {
        w.to_axi.access(tlm::TLM_WRITE_COMMAND, 0x1c, ++v);
        benchmark::DoNotOptimize(w.to_axi.access(tlm::TLM_READ_COMMAND, 0x1c, 0));
    }
    if (w.to_axi.access(tlm::TLM_READ_COMMAND, 0x1c, 0) != v) state.SkipWithError("AXI readback mismatch");
}
BENCHMARK(BM_AxiLiteWriteRead);

constexpr uint64_t kChunk = 1000;  // cycles per iteration

void BM_FreeRunningDirectEval(benchmark::State& state) {
    VerilatedContext ctx;
    Vapb_timer top(&ctx, "direct");
    top.PCLK = 0;
    top.PRESETn = 0;
    top.eval();
    top.PRESETn = 1;
    top.PSEL = 1;  // write LOAD, then CTRL, by hand
    top.PWRITE = 1;
    top.PSTRB = 0xf;
    for (auto [addr, data] : {std::pair{0x04u, 0xffffffffu}, std::pair{0x00u, 1u}}) {
        top.PADDR = static_cast<uint16_t>(addr);
        top.PWDATA = data;
        for (int en = 0; en < 2; ++en) {
            top.PENABLE = static_cast<uint8_t>(en);
            top.PCLK = 1;
            top.eval();
            top.PCLK = 0;
            top.eval();
        }
    }
    top.PSEL = 0;
    top.PENABLE = 0;
    for (auto _ : state) {
        for (uint64_t n = 0; n < kChunk; ++n) {
            top.PCLK = 1;
            top.eval();
            top.PCLK = 0;
            top.eval();
        }
    }
    state.counters["cycles/s"] = benchmark::Counter(double(state.iterations() * kChunk), benchmark::Counter::kIsRate);
    if (top.rootp == nullptr) state.SkipWithError("no model");
}
BENCHMARK(BM_FreeRunningDirectEval);

void BM_FreeRunningBridgeLazy(benchmark::State& state) {
    World& w = world();
    for (auto _ : state) w.free_lazy.advance_to(w.free_lazy.edge_time(w.free_lazy.cycles() + kChunk));
    state.counters["cycles/s"] = benchmark::Counter(double(state.iterations() * kChunk), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_FreeRunningBridgeLazy);

void BM_FreeRunningBridgePerEdgeKernel(benchmark::State& state) {
    World& w = world();
    const uint64_t before = w.free_edge.cycles();
    for (auto _ : state) sc_start(w.free_edge.config().clock_period * double(kChunk));
    const double cycles = double(w.free_edge.cycles() - before);
    state.counters["cycles/s"] = benchmark::Counter(cycles, benchmark::Counter::kIsRate);
}
BENCHMARK(BM_FreeRunningBridgePerEdgeKernel);

}  // namespace

BENCHMARK_MAIN();
