// SPDX-License-Identifier: Apache-2.0
// Fuzz target: GDB remote protocol bytes. The input is a byte stream as a debugger connection
// would deliver it (framing, escapes, run-length encoding, checksums, Ctrl-C, acks); every packet
// PacketReader completes goes to a Session over a fake two-thread target with a small memory.
// Nothing may crash, no reply may be unbounded, and the target is only ever asked for registers
// and memory it has (the fake checks every request it gets).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "platform/gdb/packet.h"
#include "platform/gdb/session.h"

namespace {

using presil::gdb::BreakType;

[[noreturn]] void fail(const char* what) {
    std::fprintf(stderr, "fuzz_gdb_packet: %s\n", what);
    std::abort();
}

/// Two CPUs with 17 registers of 4 bytes (the last 8 bytes wide), 4 KiB of memory at 0x1000.
class FakeTarget final : public presil::gdb::Target {
public:
    static constexpr uint64_t kBase = 0x1000, kSize = 0x1000;
    uint64_t regs[3][17] = {};
    uint8_t mem[kSize] = {};
    std::set<std::tuple<int, uint64_t, uint64_t>> breaks;

    unsigned thread_count() const override { return 2; }
    std::string thread_name(unsigned thread) const override {
        if (thread < 1 || thread > 2) fail("thread_name of a thread that does not exist");
        return thread == 1 ? "cpu0" : "cpu1";
    }
    std::string target_xml() const override {
        return "<?xml version=\"1.0\"?><!DOCTYPE target SYSTEM \"gdb-target.dtd\"><target><architecture>arm</architecture></target>";
    }
    unsigned register_count() const override { return 17; }
    unsigned register_size(unsigned reg) const override {
        if (reg >= 17) fail("register_size of a register that does not exist");
        return reg == 16 ? 8 : 4;
    }
    unsigned pc_register() const override { return 15; }
    bool read_register(unsigned thread, unsigned reg, uint64_t& value) override {
        if (thread < 1 || thread > 2) fail("read_register on a thread that does not exist");
        if (reg >= 17) return false;
        value = regs[thread][reg];
        return true;
    }
    bool write_register(unsigned thread, unsigned reg, uint64_t value) override {
        if (thread < 1 || thread > 2) fail("write_register on a thread that does not exist");
        if (reg >= 17) return false;
        regs[thread][reg] = value;
        return true;
    }
    size_t read_memory(unsigned thread, uint64_t addr, uint8_t* data, size_t len) override {
        if (thread < 1 || thread > 2) fail("read_memory on a thread that does not exist");
        if (len > (1u << 20)) fail("read_memory of more than 1 MiB in one request");
        size_t n = 0;
        for (; n < len && addr + n >= kBase && addr + n < kBase + kSize && addr + n >= addr; ++n)
            data[n] = mem[addr + n - kBase];
        return n;
    }
    size_t write_memory(unsigned thread, uint64_t addr, const uint8_t* data, size_t len) override {
        if (thread < 1 || thread > 2) fail("write_memory on a thread that does not exist");
        if (len > (1u << 20)) fail("write_memory of more than 1 MiB in one request");
        size_t n = 0;
        for (; n < len && addr + n >= kBase && addr + n < kBase + kSize && addr + n >= addr; ++n)
            mem[addr + n - kBase] = data[n];
        return n;
    }
    bool insert_break(BreakType type, uint64_t addr, uint64_t len) override {
        if (breaks.size() > 10000) fail("unbounded breakpoints");
        breaks.insert({int(type), addr, len});
        return true;
    }
    bool remove_break(BreakType type, uint64_t addr, uint64_t len) override {
        return breaks.erase({int(type), addr, len}) != 0;
    }
    bool monitor(std::string_view command, std::string& output) override {
        if (command == "help") {
            output += "help\n";
            return true;
        }
        return false;
    }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    FakeTarget target;
    presil::gdb::Session session(target);
    presil::gdb::PacketReader reader;
    std::vector<presil::gdb::Event> events;
    // Feed in two pieces, so packets split across reads are covered too.
    const size_t cut = size ? data[0] % (size + 1) : 0;
    const std::string_view all(reinterpret_cast<const char*>(data), size);
    for (std::string_view piece : {all.substr(0, cut), all.substr(cut)}) {
        events.clear();
        reader.feed(piece, events);
        for (const auto& e : events) {
            if (e.kind != presil::gdb::Event::Kind::Packet) continue;
            const presil::gdb::Reply r = session.handle(e.payload);
            if (r.payload && r.payload->size() > (4u << 20)) fail("a reply larger than 4 MiB");
            if (r.resume.kind == presil::gdb::Resume::Kind::Step &&
                (r.resume.thread < 1 || r.resume.thread > target.thread_count()))
                fail("step of a thread that does not exist");
            if (r.resume.kind == presil::gdb::Resume::Kind::Continue ||
                r.resume.kind == presil::gdb::Resume::Kind::Step) {
                presil::gdb::StopInfo stop;
                stop.thread = r.resume.kind == presil::gdb::Resume::Kind::Step ? r.resume.thread : 1;
                (void)presil::gdb::frame(session.stop_reply(stop));
            }
            if (r.payload) (void)presil::gdb::frame(*r.payload);
        }
    }
    return 0;
}
