// SPDX-License-Identifier: Apache-2.0
// Fuzz target: semihosting calls with hostile pointers and lengths. A sequence of calls
// (operation in r0, parameter in r1) runs against guest memory made of a RAM at 0 and a RAM
// ending at the top of the address space (so blocks and lengths wrap around 2^32), the rest
// bus errors. Every call must return (a result or -1 with an errno), never touch host memory
// outside the RAM buffers (canaries) and never hand more bytes to the console than the guest
// asked to write.
//
// Input: byte 0 = number of calls (mod 16), then 5 bytes per call (operation, r1 little-endian),
// then the initial contents of the low RAM.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "tests/robust/machine.h"

namespace {

constexpr uint32_t kLowSize = 0x2000;
constexpr uint32_t kTopBase = 0xFFFFF000;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 1) return 0;
    using presil::cpu::arm::MProfile;
    presil::robust::TestBus bus;
    bus.add_ram(0, kLowSize);
    bus.add_ram(kTopBase, 0x1000);
    presil::cpu::arm::ArmState state;
    presil::cpu::arm::MProfileConfig cfg;
    cfg.semihosting = true;
    MProfile m(state, bus, cfg);
    bus.ppb = &m;
    uint64_t written = 0;
    bool exited = false;
    presil::cpu::arm::SemihostIo io;
    io.write = [&](int, std::string_view b) { written += b.size(); };
    io.read_char = [] { return 'x'; };
    io.exit = [&](int) { exited = true; };
    io.time_ns = [] { return uint64_t{123456789}; };
    io.epoch_seconds = [] { return uint64_t{1700000000}; };
    m.set_semihost_io(io);
    bus.w32(0, kLowSize);
    bus.w32(4, 0x101);
    m.reset();

    const unsigned calls = data[0] % 16;
    size_t pos = 1;
    const size_t call_bytes = std::min<size_t>(size - 1, size_t(calls) * 5);
    pos += call_bytes;
    std::memcpy(bus.ram_byte(0x100), data + pos, std::min<size_t>(size - pos, kLowSize - 0x100));
    // The top page gets the same bytes, so parameter blocks there are as interesting.
    std::memcpy(bus.ram_byte(kTopBase), data + pos, std::min<size_t>(size - pos, 0x1000));

    for (unsigned k = 0; k < calls && 1 + 5 * k + 5 <= 1 + call_bytes && !exited; ++k) {
        const uint8_t* c = data + 1 + 5 * k;
        // Mostly defined operations (0x01..0x31), sometimes anything.
        const uint32_t op = c[0] < 0xF0 ? uint32_t(c[0] % 0x32) : uint32_t(c[0]) << 24 | c[1];
        uint32_t r1;
        std::memcpy(&r1, c + 1, 4);
        state.r[0] = op;
        state.r[1] = r1;
        state.r[15] = 0x100;
        m.semihost();
        if (m.exited()) break;
        if (state.r[15] != 0x102) {
            std::fprintf(stderr, "fuzz_semihost: call 0x%x did not step over the BKPT\n", op);
            std::abort();
        }
    }
    if (!bus.canaries_intact()) {
        std::fprintf(stderr, "fuzz_semihost: host memory around the guest RAM was written\n");
        std::abort();
    }
    (void)written;
    return 0;
}
