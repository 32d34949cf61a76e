// SPDX-License-Identifier: Apache-2.0
// Guest isolation: whatever address, size, alignment and DMI/TLB state a guest produces, it
// reads and writes only the RAM the bus gives it. Loads and stores of every width at region
// edges, 1 KiB page edges, between adjacent regions, at the top of the address space and at
// random addresses either move exactly the bytes of guest RAM they name or take the architected
// fault (BusFault with BFAR, or UsageFault for an unaligned LDRD/LDM), and the canaries around
// every host RAM buffer stay intact (poisoned under ASan too). DMI taken away or moved in the
// middle of a block takes effect at the next access.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "tests/robust/machine.h"
#include "tests/robust/thumb.h"

namespace presil::robust {
namespace {

using cpu::arm::Cfsr::Bfarvalid;
using cpu::arm::Cfsr::Preciserr;
using cpu::arm::Cfsr::Unaligned;

constexpr uint32_t kCode = 0x100;
constexpr uint32_t kHandler = 0x800;
constexpr uint32_t kRamA = 0x20000000, kRamASize = 0x2000;  // 8 KiB
constexpr uint32_t kRamB = 0x20002000, kRamBSize = 0x400;   // adjacent, one 1 KiB page
constexpr uint32_t kRamC = 0x20002C00, kRamCSize = 0x300;   // smaller than a page (never DMI)
constexpr uint32_t kTop = 0xFFFFFC00, kTopSize = 0x400;     // the last page of the address space

/// One load or store form.
struct Form {
    const char* name;
    std::vector<uint16_t> insn;  ///< base register r1, data r0 (or r2..r5)
    unsigned size;               ///< bytes moved
    bool store;
    bool word_aligned;           ///< faults (UNALIGNED) unless addr % 4 == 0
    unsigned regs;               ///< data registers (r0 for one, else r2..)
};

const std::vector<Form>& forms() {
    static const std::vector<Form> f = {
        {"ldrb", {0xF891, 0x0000}, 1, false, false, 1},   {"ldrh", {0xF8B1, 0x0000}, 2, false, false, 1},
        {"ldr", {0xF8D1, 0x0000}, 4, false, false, 1},    {"ldrd", {0xE9D1, 0x2300}, 8, false, true, 2},
        {"ldm4", {0xE891, 0x003C}, 16, false, true, 4},   {"strb", {0xF881, 0x0000}, 1, true, false, 1},
        {"strh", {0xF8A1, 0x0000}, 2, true, false, 1},    {"str", {0xF8C1, 0x0000}, 4, true, false, 1},
        {"strd", {0xE9C1, 0x2300}, 8, true, true, 2},     {"stm4", {0xE881, 0x003C}, 16, true, true, 4},
    };
    return f;
}

/// A machine with the isolation memory map: RAM at 0 (vectors, code, stack), RAM A, B, C, the
/// top page, the MMIO window; every fault vector leads to a handler that sets r6 and spins.
struct IsolationMachine {
    Machine m;
    explicit IsolationMachine(const EngineMode& mode) : m(mode) {
        m.bus.add_ram(0, 0x1000);
        m.bus.add_ram(kRamA, kRamASize);
        m.bus.add_ram(kRamB, kRamBSize);
        m.bus.add_ram(kRamC, kRamCSize);
        m.bus.add_ram(kTop, kTopSize);
        m.bus.w32(0, 0x1000);
        m.bus.w32(4, kCode | 1);
        for (uint32_t n = 2; n < 16; ++n) m.bus.w32(4 * n, kHandler | 1);
        m.code(kHandler, thumb::concat({thumb::movw(6, 0xFA17), {0xE7FE}}));
        // Recognisable contents everywhere.
        for (const auto& r : m.bus.rams)
            if (r.base != 0)
                for (size_t i = 0; i < r.mem->size(); ++i) r.mem->data()[i] = uint8_t((r.base + i) * 7 + 1);
    }
};

/// Byte of guest RAM at `a` or nullptr (no wrap).
uint8_t* ram_at(TestBus& bus, uint64_t a) { return a >> 32 ? nullptr : bus.ram_byte(a); }

/// Runs one access at `addr` and checks the outcome against the memory map.
/// Byte classes of the memory map.
enum class Kind { Ram, Device, None };
Kind kind_at(TestBus& bus, uint64_t a) {
    if (ram_at(bus, a)) return Kind::Ram;
    if (a >= bus.mmio_base && a < uint64_t(bus.mmio_base) + bus.mmio_size) return Kind::Device;
    if (a >= cpu::arm::MProfile::kPpbBase && a < uint64_t(cpu::arm::MProfile::kPpbBase) + cpu::arm::MProfile::kPpbSize)
        return Kind::Device;
    return Kind::None;
}

void check_access(const EngineMode& mode, const Form& f, uint32_t addr, bool dmi) {
    IsolationMachine im(mode);
    TestBus& bus = im.m.bus;
    {
        // Accesses to devices only (MMIO window, PPB) have device semantics: not judged here.
        bool device = false, none = false;
        for (unsigned i = 0; i < f.size; ++i) {
            const uint64_t a = f.word_aligned ? uint32_t(addr + 4 * (i / 4)) + (i % 4) : uint64_t(addr) + i;
            device = device || kind_at(bus, a) == Kind::Device;
            none = none || kind_at(bus, a) == Kind::None;
        }
        if (device && !none) return;
    }
    bus.dmi = dmi;
    const uint32_t data[4] = {0x11223344, 0x55667788, 0x99AABBCC, 0xDDEEFF00};
    std::vector<uint16_t> prog = thumb::concat({thumb::mov32(1, addr), thumb::mov32(0, data[0]), thumb::mov32(2, data[0]),
                                                thumb::mov32(3, data[1]), thumb::mov32(4, data[2]),
                                                thumb::mov32(5, data[3]), f.insn, {0x2701, 0xE7FE}});
    im.m.code(kCode, prog);
    // Snapshot of every RAM byte (to check that nothing outside the access changed).
    std::vector<std::vector<uint8_t>> before;
    for (const auto& r : bus.rams) before.emplace_back(r.mem->data(), r.mem->data() + r.mem->size());
    im.m.run(400);
    const auto& s = im.m.cpu.state();
    std::ostringstream where;
    where << f.name << " at 0x" << std::hex << addr << (dmi ? " (DMI)" : " (no DMI)") << " on " << mode.name();
    const std::string ctx = where.str();
    ASSERT_TRUE(bus.canaries_intact()) << ctx << ": host memory around a RAM buffer was written";

    // What the architecture allows: an unaligned LDRD/LDM is a UsageFault; otherwise every byte
    // (word by word for LDRD/LDM, whose word addresses wrap modulo 2^32) must be RAM, else a BusFault.
    const bool unaligned = f.word_aligned && (addr & 3) != 0;
    bool mapped = true;
    std::vector<uint64_t> byte_addr;
    for (unsigned i = 0; i < f.size; ++i) {
        const uint64_t a = f.word_aligned ? uint32_t(addr + 4 * (i / 4)) + (i % 4) : uint64_t(addr) + i;
        byte_addr.push_back(a);
        mapped = mapped && ram_at(bus, a) != nullptr;
    }
    const bool completed = s.r[7] == 1;
    const uint32_t cfsr = im.m.scs(0xD28), bfar = im.m.scs(0xD38);
    if (unaligned) {
        ASSERT_FALSE(completed) << ctx << ": an unaligned access completed";
        EXPECT_EQ(s.r[6], 0xFA17u) << ctx;
        EXPECT_TRUE(cfsr & Unaligned) << ctx << ": CFSR 0x" << std::hex << cfsr;
    } else if (!mapped) {
        ASSERT_FALSE(completed) << ctx << ": an access outside RAM completed";
        EXPECT_EQ(s.r[6], 0xFA17u) << ctx << ": no fault handler ran";
        EXPECT_TRUE(cfsr & Preciserr) << ctx << ": CFSR 0x" << std::hex << cfsr;
        EXPECT_TRUE(cfsr & Bfarvalid) << ctx << ": CFSR 0x" << std::hex << cfsr;
        // BFAR names a byte of the access that is not RAM (or the access's first byte).
        bool named = bfar == addr;
        for (uint64_t a : byte_addr) named = named || (uint32_t(a) == bfar && !ram_at(bus, a));
        EXPECT_TRUE(named) << ctx << ": BFAR 0x" << std::hex << bfar;
    } else {
        ASSERT_TRUE(completed) << ctx << ": a RAM access faulted (CFSR 0x" << std::hex << cfsr << ", BFAR 0x" << bfar << ")";
        for (unsigned i = 0; i < f.size; ++i) {
            const unsigned reg = f.regs == 1 ? 0 : 2 + i / 4;
            const uint8_t got_reg = uint8_t(s.r[reg] >> (8 * (i % 4)));
            const uint8_t in_ram = *ram_at(bus, byte_addr[i]);
            if (f.store) {
                const uint8_t want = uint8_t((f.regs == 1 ? data[0] : data[i / 4]) >> (8 * (i % 4)));
                EXPECT_EQ(in_ram, want) << ctx << ": byte " << i;
            } else {
                EXPECT_EQ(got_reg, in_ram) << ctx << ": byte " << i;
            }
        }
    }
    // Bytes that the access does not name are unchanged.
    for (size_t k = 0; k < bus.rams.size(); ++k) {
        const auto& r = bus.rams[k];
        for (size_t i = 0; i < r.mem->size(); ++i) {
            const uint64_t a = r.base + i;
            bool named = false;
            for (uint64_t b : byte_addr) named = named || b == a;
            if (r.base == 0) continue;  // code, vectors and stack (exception frames)
            if (!named && r.mem->data()[i] != before[k][i]) {
                ADD_FAILURE() << ctx << ": byte 0x" << std::hex << a << " outside the access changed";
                return;
            }
        }
    }
}

/// Interesting addresses: region and page edges, the top of the address space, gaps.
std::vector<uint32_t> edge_addresses() {
    std::vector<uint32_t> out;
    const uint32_t edges[] = {kRamA, kRamA + 0x400, kRamA + 0x1C00, kRamB, kRamB + kRamBSize, kRamC,
                              kRamC + kRamCSize, kTop, 0, 0x40000000, 0x40001000, 0xE0000000};
    for (uint32_t e : edges)
        for (int d = -9; d <= 3; ++d) out.push_back(e + uint32_t(d));
    out.push_back(0xFFFFFFF8);
    out.push_back(0xFFFFFFFC);
    out.push_back(0xFFFFFFFE);
    out.push_back(0xFFFFFFFF);
    return out;
}

class Isolation : public ::testing::TestWithParam<EngineMode> {};

TEST_P(Isolation, EveryWidthAtRegionPageAndAddressSpaceEdges) {
    for (bool dmi : {true, false})
        for (const Form& f : forms())
            for (uint32_t a : edge_addresses()) {
                if (a < 0x1000) continue;  // the machine's own RAM (vectors, code, stack)
                check_access(GetParam(), f, a, dmi);
                if (HasFatalFailure() || HasNonfatalFailure()) return;
            }
}

TEST_P(Isolation, RandomAddressesNearRamAndAnywhere) {
    std::mt19937 rng(0x1501a7e);
    const uint32_t bases[] = {kRamA, kRamB, kRamC, kTop};
    for (int k = 0; k < 400; ++k) {
        const Form& f = forms()[rng() % forms().size()];
        uint32_t a = (k % 4 == 3) ? uint32_t(rng()) : bases[rng() % 4] + uint32_t(int32_t(rng() % 0x3000) - 0x800);
        if (a < 0x1000) a += 0x1000;
        check_access(GetParam(), f, a, rng() % 2);
        if (HasFatalFailure() || HasNonfatalFailure()) return;
    }
}

/// DMI taken away (or the RAM moved to another host buffer) by a device in the middle of a
/// block: the rest of the block must use the new mapping, never the stale host pointer.
void dmi_change_mid_block(const EngineMode& mode, bool keep_dmi) {
    IsolationMachine im(mode);
    TestBus& bus = im.m.bus;
    std::vector<std::unique_ptr<GuardedBuffer>> stale;
    bus.on_mmio = [&](uint32_t, bool write) {
        if (!write) return;
        // Move every RAM (code included) to a new buffer; poison the old one with 0xEE.
        for (auto& r : bus.rams) {
            auto fresh = std::make_unique<GuardedBuffer>(r.mem->size());
            std::memcpy(fresh->data(), r.mem->data(), r.mem->size());
            std::memset(r.mem->data(), 0xEE, r.mem->size());
            stale.push_back(std::move(r.mem));
            r.mem = std::move(fresh);
        }
        bus.dmi = keep_dmi;
        im.m.engine->flush_tlb();
    };
    // One block: warm the TLB, device write, then RAM accesses that must use the new buffers.
    const auto prog = thumb::concat({thumb::mov32(1, kRamA + 0x3FC), thumb::mov32(2, 0x40000000),
                                     {0x680B,                  // ldr r3, [r1]        (TLB filled, DMI)
                                      0x604B,                  // str r3, [r1, #4]    crosses into the next page
                                      0x6010,                  // str r0, [r2]        device moves the RAM
                                      0x688C,                  // ldr r4, [r1, #8]
                                      0x60CB,                  // str r3, [r1, #12]
                                      0x680D,                  // ldr r5, [r1]
                                      0x2701, 0xE7FE}});
    im.m.code(kCode, prog);
    const uint32_t w0 = bus.r32(kRamA + 0x3FC), w2 = bus.r32(kRamA + 0x404);
    im.m.run(400);
    const auto& s = im.m.cpu.state();
    ASSERT_EQ(s.r[7], 1u) << mode.name();
    ASSERT_EQ(stale.size(), bus.rams.size()) << "the device write did not happen once";
    EXPECT_EQ(s.r[3], w0);
    EXPECT_EQ(s.r[4], w2) << "load after the DMI change read a stale buffer";
    EXPECT_EQ(s.r[5], w0);
    EXPECT_EQ(bus.r32(kRamA + 0x400), w0) << "store before the change lost in the move";
    EXPECT_EQ(bus.r32(kRamA + 0x408), w0) << "store after the change did not reach the new buffer";
    for (const auto& old : stale) {
        for (size_t i = 0; i < old->size(); ++i)
            ASSERT_EQ(old->data()[i], 0xEE) << "a stale host buffer was written at offset " << i;
        EXPECT_TRUE(old->intact());
    }
    EXPECT_TRUE(bus.canaries_intact());
    if (!keep_dmi) {
        EXPECT_GT(bus.slow_ram_accesses, 0u);
    }
}

TEST_P(Isolation, DmiRemovedInTheMiddleOfABlock) { dmi_change_mid_block(GetParam(), false); }
TEST_P(Isolation, RamMovedInTheMiddleOfABlock) { dmi_change_mid_block(GetParam(), true); }

// Fast memory (x86_64): RAM is reached without the bus, a device register site faults once and
// is then sent to the slow path for good; the count of faults does not grow with the iterations.
TEST_P(Isolation, FastMemoryServesRamAndSendsDeviceSitesToTheSlowPath) {
    const EngineMode& mode = GetParam();
    IsolationMachine im(mode);
    TestBus& bus = im.m.bus;
    constexpr uint32_t kIterations = 50;
    im.m.code(kCode, thumb::concat({thumb::mov32(0, kIterations), thumb::mov32(1, kRamA + 0x100),
                                    thumb::mov32(2, bus.mmio_base),
                                    {0x680B,  // loop: ldr r3, [r1]
                                     0x604B,  // str r3, [r1, #4]
                                     0x6814,  // ldr r4, [r2]      (device)
                                     0x3801,  // subs r0, #1
                                     0xD1FA,  // bne loop
                                     0x2701, 0xE7FE}}));
    const uint32_t word = bus.r32(kRamA + 0x100);
    im.m.run(5000);
    const auto& s = im.m.cpu.state();
    ASSERT_EQ(s.r[7], 1u) << mode.name();
    EXPECT_EQ(s.r[3], word);
    EXPECT_EQ(bus.r32(kRamA + 0x104), word);
    EXPECT_EQ(bus.mmio_accesses, kIterations);
    const tcg::EngineStats& st = im.m.engine->stats();
    if (mode.backend == "x86_64") {
        // Only the reset's vector fetch (SP and PC, 8 bytes) reads RAM through the bus.
        EXPECT_EQ(bus.slow_ram_accesses, 8u) << "the loop's RAM accesses went through GuestMemory::read/write";
        EXPECT_GE(st.fast_sites_patched, 1u) << "the device load was not sent to its slow path";
        EXPECT_LT(st.fast_faults, 10u) << "faults grow with the iterations";
    } else {
        EXPECT_EQ(st.fast_faults, 0u);
    }
    EXPECT_TRUE(bus.canaries_intact());
}

// An immediate offset past the top of the address space wraps to address 0 (the x86-64 back-end
// folds the offset into the host access; the wrap must still reach guest RAM at 0).
TEST_P(Isolation, ImmediateOffsetWrapsAtTheTopOfTheAddressSpace) {
    const EngineMode& mode = GetParam();
    IsolationMachine im(mode);
    TestBus& bus = im.m.bus;
    im.m.code(kCode, thumb::concat({thumb::mov32(1, 0xFFFFFFFC),
                                    {0xF8D1, 0x0008,  // ldr.w r0, [r1, #8]    reads 0x00000004
                                     0xF8C1, 0x0010,  // str.w r0, [r1, #16]   writes 0x0000000C
                                     0x2701, 0xE7FE}}));
    const uint32_t word = bus.r32(4);
    im.m.run(400);
    const auto& s = im.m.cpu.state();
    ASSERT_EQ(s.r[7], 1u) << mode.name() << ": faulted";
    EXPECT_EQ(s.r[0], word) << mode.name();
    EXPECT_EQ(bus.r32(0xC), word) << mode.name();
    EXPECT_TRUE(bus.canaries_intact());
}

// A store into the running block's own code through fast memory: the code page is aliased
// read-only, the store takes the slow path, the block is invalidated and the new instruction runs.
TEST_P(Isolation, SelfModifyingStoreThroughFastMemory) {
    const EngineMode& mode = GetParam();
    IsolationMachine im(mode);
    const uint32_t patch = kCode + 10;  // after two movw (two halfwords each) and the strh
    const auto prog = thumb::concat({thumb::movw(1, uint16_t(patch)), thumb::movw(0, 0x2705),
                                     {0x8008,  // strh r0, [r1]      writes "movs r7, #5" over the next insn
                                      0x2701,  // movs r7, #1        (replaced)
                                      0xE7FE}});
    ASSERT_EQ(kCode + 2 * (prog.size() - 2), patch);
    im.m.code(kCode, prog);
    im.m.run(400);
    EXPECT_EQ(im.m.cpu.state().r[7], 5u) << mode.name() << ": the stale instruction ran";
    EXPECT_TRUE(im.m.bus.canaries_intact());
}

INSTANTIATE_TEST_SUITE_P(Modes, Isolation, ::testing::ValuesIn(engine_modes()),
                         [](const auto& info) { return info.param.name(); });

}  // namespace
}  // namespace presil::robust
