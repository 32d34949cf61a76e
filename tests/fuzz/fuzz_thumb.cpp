// SPDX-License-Identifier: Apache-2.0
// Fuzz target: random bytes as Thumb code. The bytes are loaded at 0x100 of a Cortex-M core
// (RAM, an MMIO window, the PPB, bus errors elsewhere; every exception vector points into the
// code) and run for a bounded number of cycles on every back-end. Whatever the code does, the
// host must not crash or touch memory outside the guest's RAM (canaries), and the back-ends
// must agree on the final registers, memory and cycle count.
//
// Input: byte 0 = flags (bit 0: one-instruction blocks without chaining; bit 1: no DMI for RAM,
// so every access takes the slow path), then the code (at most 4 KiB).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "tests/robust/machine.h"

namespace {

using presil::robust::EngineMode;
using presil::robust::Machine;

constexpr uint32_t kCode = 0x100;
constexpr uint32_t kRamSize = 0x10000;
constexpr uint64_t kCycleLimit = 4000;

struct Outcome {
    uint32_t r[16];
    uint32_t apsr, ipsr, control;
    uint64_t cycles;
    bool exited, locked;
    std::vector<uint8_t> ram0, ram1;
};

Outcome run_on(const EngineMode& mode, bool no_dmi, const uint8_t* code, size_t len) {
    presil::cpu::arm::MProfileConfig cfg;
    cfg.semihosting = true;
    Machine m(mode, cfg, 256u << 10, 64);
    m.bus.add_ram(0, kRamSize);
    m.bus.add_ram(0x20000000, 0x4000);
    m.bus.dmi = !no_dmi;
    // The code, then `b .` up to the end of RAM (running off the code spins cheaply).
    for (uint32_t a = kCode; a < kRamSize; a += 2) m.bus.w16(a, 0xE7FE);
    std::memcpy(m.bus.ram_byte(kCode), code, len);
    m.bus.w32(0, kRamSize);
    m.bus.w32(4, kCode | 1);
    for (uint32_t n = 2; n < 48; ++n) {
        const uint32_t off = len >= 2 ? uint32_t((n * 6) % len) & ~1u : 0;
        m.bus.w32(4 * n, (kCode + off) | 1);
    }
    m.run(kCycleLimit);
    if (!m.bus.canaries_intact()) {
        std::fprintf(stderr, "fuzz_thumb: host memory around the guest RAM was written (%s)\n", mode.name().c_str());
        std::abort();
    }
    Outcome o;
    const auto& s = m.cpu.state();
    for (unsigned i = 0; i < 16; ++i) o.r[i] = s.r[i];
    o.apsr = presil::cpu::arm::arm_apsr(s);
    o.ipsr = s.ipsr;
    o.control = s.control;
    o.cycles = m.cycles;
    o.exited = m.sys->exited();
    o.locked = m.sys->locked_up();
    o.ram0.assign(m.bus.ram_byte(0), m.bus.ram_byte(0) + kRamSize);
    o.ram1.assign(m.bus.ram_byte(0x20000000), m.bus.ram_byte(0x20000000) + 0x4000);
    return o;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 1) return 0;
    const bool step = data[0] & 1;
    const bool no_dmi = data[0] & 2;
    const size_t len = std::min<size_t>(size - 1, 4096);
    std::vector<Outcome> outs;
    std::vector<std::string> names;
    for (const std::string& b : presil::host::backend_names()) {
        const EngineMode mode{b, step, step};
        outs.push_back(run_on(mode, no_dmi, data + 1, len));
        names.push_back(mode.name());
    }
    for (size_t k = 1; k < outs.size(); ++k) {
        const Outcome& a = outs[0];
        const Outcome& b = outs[k];
        bool same = a.apsr == b.apsr && a.ipsr == b.ipsr && a.control == b.control && a.cycles == b.cycles &&
                    a.exited == b.exited && a.locked == b.locked && a.ram0 == b.ram0 && a.ram1 == b.ram1;
        for (unsigned i = 0; i < 16; ++i) same = same && a.r[i] == b.r[i];
        if (!same) {
            std::fprintf(stderr, "fuzz_thumb: back-ends %s and %s disagree\n", names[0].c_str(), names[k].c_str());
            for (unsigned i = 0; i < 16; ++i)
                std::fprintf(stderr, "  r%-2u %08x %08x%s\n", i, a.r[i], b.r[i], a.r[i] != b.r[i] ? "  <--" : "");
            std::fprintf(stderr, "  apsr %08x %08x ipsr %u %u cycles %llu %llu exited %d %d locked %d %d ram %s\n",
                         a.apsr, b.apsr, a.ipsr, b.ipsr, (unsigned long long)a.cycles,
                         (unsigned long long)b.cycles, a.exited, b.exited, a.locked, b.locked,
                         a.ram0 == b.ram0 && a.ram1 == b.ram1 ? "same" : "differs");
            std::abort();
        }
    }
    return 0;
}
