// SPDX-License-Identifier: Apache-2.0
// Cost of the TLM hot paths: b_transport through the router to memory and to a register bank,
// router decode over a board-sized map, DMI lookup. One elaboration, many iterations.
#include <benchmark/benchmark.h>

#include <memory>

#include "tests/tlm/test_initiator.h"
#include "tlm/memory.h"
#include "tlm/register_bank.h"
#include "tlm/router.h"

namespace presil::tlm {
namespace {

/// A CPU, a router with 16 devices and a RAM, built once for all benchmarks.
struct Bench {
    test::TestInitiator cpu{"cpu"};
    Router bus{"bus"};
    Memory ram{"ram", 0x100000};
    std::unique_ptr<RegisterDevice> devices[16];

    Bench() {
        cpu.socket.bind(bus.target_socket);
        bus.add_target(ram.socket, 0x20000000, 0x100000);
        for (unsigned i = 0; i < 16; ++i) {
            devices[i] = std::make_unique<RegisterDevice>(
                sc_core::sc_gen_unique_name("dev"));
            for (uint32_t r = 0; r < 8; ++r)
                devices[i]->regs().add({"R" + std::to_string(r), r * 4, r, Access::ReadWrite,
                                        nullptr, [](uint32_t, uint32_t) {}});
            bus.add_target(devices[i]->socket, 0x40000000 + i * 0x1000, 0x1000);
        }
        test::elaborate();
    }
};

Bench& bench() {
    static Bench b;
    return b;
}

void BM_RouterToMemory(benchmark::State& state) {
    Bench& b = bench();
    ::tlm::tlm_generic_payload p;
    uint32_t v = 0;
    sc_core::sc_time delay;
    for (auto _ : state) {
        make_read(p, 0x20000100, &v, 4);
        b.cpu.socket->b_transport(p, delay);
        benchmark::DoNotOptimize(v);
    }
}
BENCHMARK(BM_RouterToMemory);

void BM_RouterToRegisterWrite(benchmark::State& state) {
    Bench& b = bench();
    ::tlm::tlm_generic_payload p;
    uint32_t v = 7;
    sc_core::sc_time delay;
    for (auto _ : state) {
        make_write(p, 0x4000a008, &v, 4);
        b.cpu.socket->b_transport(p, delay);
    }
}
BENCHMARK(BM_RouterToRegisterWrite);

void BM_RouterToRegisterRead(benchmark::State& state) {
    Bench& b = bench();
    ::tlm::tlm_generic_payload p;
    uint32_t v = 0;
    sc_core::sc_time delay;
    for (auto _ : state) {
        make_read(p, 0x4000a008, &v, 4);
        b.cpu.socket->b_transport(p, delay);
        benchmark::DoNotOptimize(v);
    }
}
BENCHMARK(BM_RouterToRegisterRead);

void BM_RouterDecode(benchmark::State& state) {
    Bench& b = bench();
    uint64_t addr = 0x40000000;
    for (auto _ : state) {
        benchmark::DoNotOptimize(b.bus.find(addr));
        addr = 0x40000000 + ((addr + 0x1004) & 0xffff);
    }
}
BENCHMARK(BM_RouterDecode);

void BM_DmiRequest(benchmark::State& state) {
    Bench& b = bench();
    ::tlm::tlm_dmi dmi;
    for (auto _ : state) benchmark::DoNotOptimize(b.cpu.dmi(0x20000040, dmi));
}
BENCHMARK(BM_DmiRequest);

}  // namespace
}  // namespace presil::tlm

BENCHMARK_MAIN();
