// SPDX-License-Identifier: Apache-2.0
// Memory test bench: transport, latencies, DMI, ROM rules, byte enables, bounds.
#include "tlm/memory.h"

#include <cstring>
#include <stdexcept>
#include <vector>

#include <gtest/gtest.h>

#include "tests/tlm/test_initiator.h"

namespace presil::tlm {
namespace {

using sc_core::SC_NS;
using sc_core::sc_time;
using test::TestInitiator;

TEST(Memory, ReadWriteAnnotateLatencies) {
    TestInitiator cpu("cpu");
    Memory ram("ram", 0x1000, false, sc_time(5, SC_NS), sc_time(7, SC_NS));
    cpu.socket.bind(ram.socket);
    test::elaborate();

    uint32_t v = 0xcafef00d;
    test::Access w = cpu.write(0x10, &v, 4);
    EXPECT_EQ(w.status, ::tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(w.delay, sc_time(7, SC_NS));
    EXPECT_TRUE(w.dmi_hint);
    uint32_t back = 0;
    test::Access r = cpu.read(0x10, &back, 4);
    EXPECT_EQ(r.status, ::tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(r.delay, sc_time(5, SC_NS));
    EXPECT_EQ(back, 0xcafef00du);
    EXPECT_EQ(std::memcmp(ram.data() + 0x10, &v, 4), 0);
}

TEST(Memory, DmiPointerWritesAreVisibleThroughTransport) {
    TestInitiator cpu("cpu");
    Memory ram("ram", 0x2000, false, sc_time(3, SC_NS), sc_time(4, SC_NS));
    cpu.socket.bind(ram.socket);
    test::elaborate();

    ::tlm::tlm_dmi dmi;
    ASSERT_TRUE(cpu.dmi(0x100, dmi, true));
    EXPECT_TRUE(dmi.is_read_write_allowed());
    EXPECT_EQ(dmi.get_start_address(), 0u);
    EXPECT_EQ(dmi.get_end_address(), 0x1fffu);
    EXPECT_EQ(dmi.get_read_latency(), sc_time(3, SC_NS));
    EXPECT_EQ(dmi.get_write_latency(), sc_time(4, SC_NS));
    uint32_t v = 0x11223344;
    std::memcpy(dmi.get_dmi_ptr() + 0x100, &v, 4);
    EXPECT_EQ(cpu.read32(0x100), 0x11223344u);
    EXPECT_EQ(cpu.write32(0x104, 0x55667788), ::tlm::TLM_OK_RESPONSE);
    uint32_t through_dmi = 0;
    std::memcpy(&through_dmi, dmi.get_dmi_ptr() + 0x104, 4);
    EXPECT_EQ(through_dmi, 0x55667788u);
}

TEST(Memory, RomRefusesBusWritesButTakesDebugWrites) {
    TestInitiator cpu("cpu");
    Memory rom("rom", 0x100, true);
    cpu.socket.bind(rom.socket);
    test::elaborate();

    EXPECT_EQ(cpu.write32(0x0, 0x12345678), ::tlm::TLM_COMMAND_ERROR_RESPONSE);
    EXPECT_EQ(cpu.read32(0x0), 0u);
    uint32_t image = 0xe7fee7fe;
    ::tlm::tlm_response_status status{};
    EXPECT_EQ(cpu.debug(::tlm::TLM_WRITE_COMMAND, 0x8, &image, 4, &status), 4u);
    EXPECT_EQ(status, ::tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(cpu.read32(0x8), 0xe7fee7feu);
    uint32_t dbg = 0;
    EXPECT_EQ(cpu.debug(::tlm::TLM_READ_COMMAND, 0x8, &dbg, 4), 4u);
    EXPECT_EQ(dbg, 0xe7fee7feu);

    ::tlm::tlm_dmi dmi;
    EXPECT_TRUE(cpu.dmi(0x0, dmi, true));
    EXPECT_TRUE(dmi.is_read_allowed());
    EXPECT_FALSE(dmi.is_write_allowed());
}

TEST(Memory, OutOfRangeIsAddressError) {
    TestInitiator cpu("cpu");
    Memory ram("ram", 0x100);
    cpu.socket.bind(ram.socket);
    test::elaborate();

    ::tlm::tlm_response_status status{};
    cpu.read32(0x100, &status);
    EXPECT_EQ(status, ::tlm::TLM_ADDRESS_ERROR_RESPONSE);
    cpu.read32(0xfe, &status);  // straddles the end
    EXPECT_EQ(status, ::tlm::TLM_ADDRESS_ERROR_RESPONSE);
    EXPECT_EQ(cpu.write32(0xfffffffffffffffeull, 1), ::tlm::TLM_ADDRESS_ERROR_RESPONSE);
    uint8_t buf[8] = {};
    EXPECT_EQ(cpu.debug(::tlm::TLM_READ_COMMAND, 0x100, buf, 8, &status), 0u);
    EXPECT_EQ(status, ::tlm::TLM_ADDRESS_ERROR_RESPONSE);
    EXPECT_EQ(cpu.debug(::tlm::TLM_READ_COMMAND, 0xfc, buf, 8), 4u);  // clipped to the end
    ::tlm::tlm_dmi dmi;
    EXPECT_FALSE(cpu.dmi(0x200, dmi));
    EXPECT_EQ(dmi.get_granted_access(), ::tlm::tlm_dmi::DMI_ACCESS_NONE);
}

TEST(Memory, ByteEnablesAndStreamingWidth) {
    TestInitiator cpu("cpu");
    Memory ram("ram", 0x100);
    cpu.socket.bind(ram.socket);
    test::elaborate();

    std::memset(ram.data(), 0xaa, 8);
    const uint8_t data[4] = {1, 2, 3, 4};
    const uint8_t be[2] = {0xff, 0x00};  // pattern repeats: bytes 0 and 2
    test::Access a = cpu.transport(::tlm::TLM_WRITE_COMMAND, 0, const_cast<uint8_t*>(data), 4, be, 2);
    EXPECT_EQ(a.status, ::tlm::TLM_OK_RESPONSE);
    const uint8_t expect[4] = {1, 0xaa, 3, 0xaa};
    EXPECT_EQ(std::memcmp(ram.data(), expect, 4), 0);

    uint8_t out[4] = {9, 9, 9, 9};
    const uint8_t be_read[4] = {0, 0xff, 0xff, 0};
    cpu.transport(::tlm::TLM_READ_COMMAND, 0, out, 4, be_read, 4);
    const uint8_t expect_read[4] = {9, 0xaa, 3, 9};
    EXPECT_EQ(std::memcmp(out, expect_read, 4), 0);

    // Streaming width 2: an 8-byte write lands on the same two bytes, last beat wins.
    const uint8_t beats[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    a = cpu.transport(::tlm::TLM_WRITE_COMMAND, 0x20, const_cast<uint8_t*>(beats), 8, nullptr, 0, 2);
    EXPECT_EQ(a.status, ::tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(ram.data()[0x20], 7);
    EXPECT_EQ(ram.data()[0x21], 8);
    EXPECT_EQ(ram.data()[0x22], 0);
}

TEST(Memory, LoadChecksBoundsAndReadOnlyToggleInvalidatesDmi) {
    TestInitiator cpu("cpu");
    Memory flash("flash", 0x40, true);
    cpu.socket.bind(flash.socket);
    test::elaborate();

    const char text[] = "presil";
    flash.load(0x38, text, 7);
    EXPECT_EQ(std::memcmp(flash.data() + 0x38, text, 7), 0);
    EXPECT_THROW(flash.load(0x3a, text, 7), std::out_of_range);
    EXPECT_THROW(flash.load(0x41, text, 0), std::out_of_range);

    flash.set_read_only(false);
    ASSERT_EQ(cpu.invalidations.size(), 1u);
    EXPECT_EQ(cpu.invalidations[0].first, 0u);
    EXPECT_EQ(cpu.invalidations[0].second, ~uint64_t{0});
    EXPECT_EQ(cpu.write32(0, 0xabcd), ::tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(cpu.read32(0), 0xabcdu);
}

TEST(Memory, LargeMemoryIsBackedLazily) {
    TestInitiator cpu("cpu");
    Memory big("big", uint64_t{4} << 30);  // 4 GiB of address space, pages touched on demand
    cpu.socket.bind(big.socket);
    test::elaborate();
    EXPECT_EQ(cpu.write32(big.size() - 4, 0x600dcafe), ::tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(cpu.read32(big.size() - 4), 0x600dcafeu);
    EXPECT_EQ(cpu.read32(0x12345678), 0u);
}

TEST(Memory, ReadOnlyToggleDuringElaborationIsSafe) {
    TestInitiator cpu("cpu");
    Memory flash("flash", 0x40, true);
    flash.set_read_only(false);  // socket not bound yet: nothing to invalidate
    cpu.socket.bind(flash.socket);
    test::elaborate();
    EXPECT_TRUE(cpu.invalidations.empty());
    EXPECT_EQ(cpu.write32(0x4, 0x1), ::tlm::TLM_OK_RESPONSE);
}

/// An SC_THREAD initiator that waits out each annotated delay, as a loosely-timed CPU would.
class TimedInitiator : public TestInitiator {
public:
    std::vector<sc_time> stamps;
    SC_HAS_PROCESS(TimedInitiator);
    explicit TimedInitiator(sc_core::sc_module_name name) : TestInitiator(name) {
        SC_THREAD(run);
    }

private:
    void run() {
        uint32_t v = 1;
        for (int i = 0; i < 3; ++i) {
            test::Access a = i == 1 ? write(0x0, &v, 4) : read(0x0, &v, 4);
            wait(a.delay);
            stamps.push_back(sc_core::sc_time_stamp());
        }
    }
};

TEST(Memory, AnnotatedLatenciesAdvanceSimulatedTime) {
    TimedInitiator cpu("cpu");
    Memory ram("ram", 0x100, false, sc_time(10, SC_NS), sc_time(30, SC_NS));
    cpu.socket.bind(ram.socket);
    sc_core::sc_start();
    EXPECT_EQ(cpu.stamps,
              (std::vector<sc_time>{sc_time(10, SC_NS), sc_time(40, SC_NS), sc_time(50, SC_NS)}));
    EXPECT_EQ(sc_core::sc_time_stamp(), sc_time(50, SC_NS));
}

TEST(Memory, ZeroSizeIsRejected) {
    EXPECT_THROW(Memory("empty", 0), std::invalid_argument);
}

}  // namespace
}  // namespace presil::tlm
