// SPDX-License-Identifier: Apache-2.0
// MMIO transport cost as the CPU module sees it: TlmGuestMemory -> Router -> register device or memory (b_transport).
#include <benchmark/benchmark.h>

#include <memory>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

#include "platform/cpu/tlm_guest_memory.h"
#include "tlm/memory.h"
#include "tlm/register_bank.h"
#include "tlm/router.h"

namespace presil::platform {
namespace {

/// Holds the CPU-side initiator socket TlmGuestMemory drives.
struct Initiator : sc_core::sc_module {
  tlm_utils::simple_initiator_socket<Initiator, 32> socket{"socket"};
  explicit Initiator(sc_core::sc_module_name n) : sc_core::sc_module(n) {}
};

/// A board-like bus: RAM, 16 register devices (one with a counting VALUE register), elaborated once.
struct Bench {
  Initiator cpu{"cpu"};
  tlm::Router bus{"bus"};
  tlm::Memory ram{"ram", 0x100000};
  std::unique_ptr<tlm::RegisterDevice> devices[16];
  uint32_t counter = 0;
  TlmGuestMemory mem{cpu.socket, sc_core::sc_time(40, sc_core::SC_NS), [] { return sc_core::SC_ZERO_TIME; }};

  Bench() {
    cpu.socket.bind(bus.target_socket);
    bus.add_target(ram.socket, 0x20000000, 0x100000, "ram");
    for (unsigned i = 0; i < 16; ++i) {
      devices[i] = std::make_unique<tlm::RegisterDevice>(sc_core::sc_gen_unique_name("dev"));
      devices[i]->regs().add({"CTRL", 0x0, 0, tlm::Access::ReadWrite, nullptr, [](uint32_t, uint32_t) {}});
      devices[i]->regs().add({"VALUE", 0x4, 0, tlm::Access::ReadOnly,
                              [this](uint32_t) { return ++counter; }, nullptr});
      bus.add_target(devices[i]->socket, 0x40000000 + i * 0x1000, 0x1000);
    }
    sc_core::sc_start(sc_core::SC_ZERO_TIME);
  }
};

Bench& bench() {
  static Bench b;
  return b;
}

/// 32-bit read of a register with a read callback (like a timer's VALUE), through b_transport.
void BM_GuestMemoryDeviceRead(benchmark::State& state) {
  Bench& b = bench();
  uint32_t v = 0;
  const uint32_t start = b.counter;
  for (auto _ : state) {
    tcg::MemResult r = b.mem.read(0x40007004, &v, 4, tcg::Access::Read);
    benchmark::DoNotOptimize(r);
  }
  if (int64_t(b.counter - start) != int64_t(state.iterations())) state.SkipWithError("the register's read callback was not called");
}
BENCHMARK(BM_GuestMemoryDeviceRead);

/// 32-bit write of a plain register through b_transport.
void BM_GuestMemoryDeviceWrite(benchmark::State& state) {
  Bench& b = bench();
  uint32_t v = 0;
  for (auto _ : state) {
    v++;
    tcg::MemResult r = b.mem.write(0x40003000, &v, 4);
    benchmark::DoNotOptimize(r);
  }
  if (b.devices[3]->regs()["CTRL"].value() != v) state.SkipWithError("the write did not reach the register");
}
BENCHMARK(BM_GuestMemoryDeviceWrite);

/// 32-bit read of RAM through b_transport (the path with DMI disabled).
void BM_GuestMemoryRamTransport(benchmark::State& state) {
  Bench& b = bench();
  uint32_t v = 0;
  for (auto _ : state) {
    tcg::MemResult r = b.mem.read(0x20000100, &v, 4, tcg::Access::Read);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_GuestMemoryRamTransport);

/// DMI lookup in TlmGuestMemory's cache (what a soft-TLB refill costs on the platform side).
void BM_GuestMemoryMapCached(benchmark::State& state) {
  Bench& b = bench();
  tcg::HostRegion region;
  for (auto _ : state) benchmark::DoNotOptimize(b.mem.map(0x20000400, tcg::Access::Read, region));
  if (region.host == nullptr) state.SkipWithError("RAM was not granted as DMI");
}
BENCHMARK(BM_GuestMemoryMapCached);

}  // namespace
}  // namespace presil::platform

BENCHMARK_MAIN();
