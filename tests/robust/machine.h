// SPDX-License-Identifier: Apache-2.0
// A Cortex-M core (ArmCpu + MProfile + Engine, no SystemC) on a test bus whose RAM buffers are
// fenced by canaries, for the guest isolation and resource-limit tests and the Thumb fuzz target.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "cpu/arm/arm_cpu.h"
#include "cpu/arm/m_profile.h"
#include "host/backends.h"
#include "tcg/engine.h"
#include "tcg/fastmem.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PRESIL_ROBUST_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define PRESIL_ROBUST_ASAN 1
#endif
#ifdef PRESIL_ROBUST_ASAN
#include <sanitizer/asan_interface.h>
#endif

namespace presil::robust {

/// Host memory for one guest RAM region with canary bytes on both sides. Under ASan the canaries
/// are also poisoned, so instrumented host code touching them is reported at once; generated code
/// is not instrumented, which is what the canary check is for. The buffer is a shared mapping
/// (tcg::HostBuffer), so the JIT's fast memory aliases the region (page-aligned sizes) and the
/// tests cover both the fast accesses and the soft-TLB.
class GuardedBuffer {
public:
    static constexpr size_t kGuard = 4096;
    static constexpr uint8_t kCanary = 0xA5;

    explicit GuardedBuffer(size_t size) : m_size(size), m_all(size + 2 * kGuard) {
        std::fill(m_all.data(), m_all.data() + m_all.size(), kCanary);
        std::fill(data(), data() + size, uint8_t{0});
        poison(true);
    }
    ~GuardedBuffer() { poison(false); }
    GuardedBuffer(const GuardedBuffer&) = delete;
    GuardedBuffer& operator=(const GuardedBuffer&) = delete;

    uint8_t* data() { return m_all.data() + kGuard; }
    const uint8_t* data() const { return m_all.data() + kGuard; }
    size_t size() const { return m_size; }
    /// True when every canary byte still holds kCanary (reads the poisoned bytes on purpose).
    __attribute__((no_sanitize("address"))) bool intact() const {
        const uint8_t* all = m_all.data();
        for (size_t i = 0; i < kGuard; ++i)
            if (all[i] != kCanary || all[kGuard + m_size + i] != kCanary) return false;
        return true;
    }

private:
    void poison(bool on) {
#ifdef PRESIL_ROBUST_ASAN
        if (on) {
            ASAN_POISON_MEMORY_REGION(m_all.data(), kGuard);
            ASAN_POISON_MEMORY_REGION(m_all.data() + kGuard + m_size, kGuard);
        } else {
            ASAN_UNPOISON_MEMORY_REGION(m_all.data(), m_all.size());
        }
#else
        (void)on;
#endif
    }
    size_t m_size;
    tcg::HostBuffer m_all;
};

/// The test bus: RAM regions (DMI-capable, canary-fenced), an MMIO window of plain registers
/// reached only through read()/write(), the PPB routed to the MProfile, bus errors elsewhere.
/// Accesses that mix kinds or touch unmapped bytes are bus errors.
class TestBus : public tcg::GuestMemory {
public:
    struct Ram {
        uint32_t base;
        std::unique_ptr<GuardedBuffer> mem;
    };

    std::vector<Ram> rams;
    uint32_t mmio_base = 0x40000000;
    uint32_t mmio_size = 0x1000;
    std::vector<uint8_t> mmio = std::vector<uint8_t>(0x1000);
    cpu::arm::MProfile* ppb = nullptr;
    bool dmi = true;                                          ///< hand out host pointers for RAM
    std::function<void(uint32_t addr, bool write)> on_mmio;   ///< called on every MMIO access
    uint64_t slow_ram_accesses = 0;                           ///< RAM bytes moved by read()/write()
    uint64_t mmio_accesses = 0;

    /// Adds a RAM region of `size` bytes at `base`.
    GuardedBuffer& add_ram(uint32_t base, size_t size) {
        rams.push_back({base, std::make_unique<GuardedBuffer>(size)});
        return *rams.back().mem;
    }
    /// Host byte for guest address a in RAM, or nullptr.
    uint8_t* ram_byte(uint64_t a) {
        for (Ram& r : rams)
            if (a >= r.base && a - r.base < r.mem->size()) return r.mem->data() + (a - r.base);
        return nullptr;
    }
    /// True when every RAM region's canaries are intact.
    bool canaries_intact() const {
        return std::all_of(rams.begin(), rams.end(), [](const Ram& r) { return r.mem->intact(); });
    }
    uint32_t r32(uint32_t a) {
        uint32_t v = 0;
        for (unsigned i = 0; i < 4; ++i) v |= uint32_t(*ram_byte(a + i)) << (8 * i);
        return v;
    }
    void w32(uint32_t a, uint32_t v) {
        for (unsigned i = 0; i < 4; ++i) *ram_byte(a + i) = uint8_t(v >> (8 * i));
    }
    void w16(uint32_t a, uint16_t v) {
        *ram_byte(a) = uint8_t(v);
        *ram_byte(a + 1) = uint8_t(v >> 8);
    }

    bool map(uint64_t addr, tcg::Access, tcg::HostRegion& out) override {
        if (!dmi) return false;
        for (Ram& r : rams)
            if (addr >= r.base && addr - r.base < r.mem->size()) {
                out = tcg::HostRegion{r.base, r.mem->size(), r.mem->data(), true, true, true, 0, 0};
                return true;
            }
        return false;
    }
    tcg::MemResult read(uint64_t addr, void* data, unsigned size, tcg::Access) override {
        return access(addr, static_cast<uint8_t*>(data), size, false);
    }
    tcg::MemResult write(uint64_t addr, const void* data, unsigned size) override {
        return access(addr, const_cast<uint8_t*>(static_cast<const uint8_t*>(data)), size, true);
    }

private:
    tcg::MemResult access(uint64_t addr, uint8_t* data, unsigned size, bool write) {
        if (addr >= cpu::arm::MProfile::kPpbBase &&
            addr + size <= uint64_t(cpu::arm::MProfile::kPpbBase) + cpu::arm::MProfile::kPpbSize) {
            if (!ppb) return {false, 0};
            const auto off = static_cast<uint32_t>(addr - cpu::arm::MProfile::kPpbBase);
            uint32_t v = 0;
            if (write) {
                std::memcpy(&v, data, size);
                return {ppb->ppb_write(off, size, v), 0};
            }
            const bool ok = ppb->ppb_read(off, size, v);
            std::memcpy(data, &v, size);
            return {ok, 0};
        }
        if (addr >= mmio_base && addr + size <= uint64_t(mmio_base) + mmio_size) {
            ++mmio_accesses;
            if (write) std::memcpy(mmio.data() + (addr - mmio_base), data, size);
            else std::memcpy(data, mmio.data() + (addr - mmio_base), size);
            if (on_mmio) on_mmio(static_cast<uint32_t>(addr), write);
            return {true, 0};
        }
        // RAM, byte by byte (an access may straddle two regions); all bytes must be RAM.
        for (unsigned i = 0; i < size; ++i)
            if (!ram_byte(addr + i)) return {false, 0};
        for (unsigned i = 0; i < size; ++i) {
            uint8_t* b = ram_byte(addr + i);
            if (write) *b = data[i];
            else data[i] = *b;
        }
        slow_ram_accesses += size;
        return {true, 0};
    }
};

/// How the engine runs.
struct EngineMode {
    std::string backend;
    bool single_step = false;
    bool no_chain = false;
    std::string name() const {
        return backend + (single_step ? "_step" : "") + (no_chain ? "_nochain" : "");
    }
};

/// Every back-end in one-instruction blocks and in full chained blocks.
inline std::vector<EngineMode> engine_modes() {
    std::vector<EngineMode> out;
    for (const std::string& b : host::backend_names()) {
        out.push_back({b, true, true});
        out.push_back({b, false, false});
    }
    return out;
}

/// A Cortex-M3-like core on a TestBus, driven the way the platform drives it: runs bounded by
/// the next SysTick event, cycles accounted after every run, exits requested on interrupts.
class Machine {
public:
    TestBus bus;
    cpu::arm::ArmCpu cpu;
    std::unique_ptr<tcg::Engine> engine;
    std::unique_ptr<cpu::arm::MProfile> sys;
    std::string console;
    int exit_status = -1;
    uint64_t cycles = 0;  ///< total cycles run

    Machine(const EngineMode& mode, cpu::arm::MProfileConfig cfg = {}, size_t code_buffer = 1u << 20,
            uint32_t max_block_insns = 512) {
        tcg::EngineOptions opts;
        opts.max_block_insns = max_block_insns;
        opts.single_step = mode.single_step;
        opts.no_chain = mode.no_chain;
        opts.code_buffer_size = code_buffer;
        engine = std::make_unique<tcg::Engine>(cpu, bus, host::make_backend(mode.backend), opts);
        sys = std::make_unique<cpu::arm::MProfile>(cpu.state(), bus, cfg);
        bus.ppb = sys.get();
        sys->set_interrupt_callback([this] { engine->request_exit(); });
        sys->set_cycle_source([this] {
            if (!m_in_run) return cycles;
            const tcg::CpuCommon& c = cpu.state().common;
            const int64_t budget = c.exit_request ? c.budget() + tcg::kExitBias : c.budget();
            return cycles + uint64_t(m_run_budget - budget);
        });
        cpu::arm::SemihostIo io;
        io.write = [this](int, std::string_view b) {
            if (console.size() < kConsoleCap) console.append(b.substr(0, kConsoleCap - console.size()));
        };
        io.exit = [this](int status) { exit_status = status; };
        io.read_char = [] { return -1; };
        io.epoch_seconds = [] { return uint64_t{0}; };
        sys->set_semihost_io(io);
    }

    /// Writes Thumb halfwords at `addr` (RAM).
    void code(uint32_t addr, const std::vector<uint16_t>& halfwords) {
        for (uint16_t h : halfwords) {
            bus.w16(addr, h);
            addr += 2;
        }
    }

    /// Resets the core and runs until the guest exits, sleeps for good, locks up or `limit`
    /// cycles pass. Returns the cycles run.
    uint64_t run(uint64_t limit) {
        sys->reset();
        return resume(limit);
    }
    /// Runs on from the current state (no reset).
    uint64_t resume(uint64_t limit) {
        const uint64_t start = cycles;
        while (!sys->exited() && cycles - start < limit) {
            m_run_budget = int64_t(std::min<uint64_t>({1000, sys->cycles_to_next_event(), limit - (cycles - start)}));
            if (m_run_budget <= 0) m_run_budget = 1;
            m_in_run = true;
            engine->run(m_run_budget);
            m_in_run = false;
            cycles += uint64_t(engine->cycles_used());
            sys->sync();
            if (sys->locked_up()) break;
            if (sys->sleeping() && !sys->exited()) {
                const uint64_t next = sys->cycles_to_next_event();
                if (next == UINT64_MAX || cycles - start + next > limit) break;
                cycles += next;
                sys->sync();
            }
        }
        return cycles - start;
    }

    /// System control space register at `offset` from 0xE000E000 (e.g. 0xD28 CFSR).
    uint32_t scs(uint32_t offset) {
        uint32_t v = 0;
        sys->scs_read(offset, 4, v);
        return v;
    }

private:
    static constexpr size_t kConsoleCap = 1u << 16;
    bool m_in_run = false;
    int64_t m_run_budget = 0;
};

}  // namespace presil::robust
