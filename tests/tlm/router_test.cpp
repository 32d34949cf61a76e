// SPDX-License-Identifier: Apache-2.0
// Router test bench: decode, translation, errors, DMI translation/clipping and invalidation.
#include "tlm/router.h"

#include <cstring>
#include <string>

#include <gtest/gtest.h>

#include "tests/tlm/test_initiator.h"
#include "tlm/memory.h"

namespace presil::tlm {
namespace {

using sc_core::SC_NS;
using sc_core::sc_time;
using test::TestInitiator;
using Range = std::pair<uint64_t, uint64_t>;

TEST(Router, TranslatesGlobalToLocalWithOffsets) {
    TestInitiator cpu("cpu");
    Router bus("bus");
    Memory ram("ram", 0x1000, false, sc_time(10, SC_NS), sc_time(20, SC_NS));
    Memory sram("sram", 0x1000);
    cpu.socket.bind(bus.target_socket);
    EXPECT_EQ(bus.add_target(ram.socket, 0x20000000, 0x1000), 0u);
    bus.initiator_socket.bind(sram.socket);
    bus.map(1, 0x30000000, 0x100, 0x200, "sram-window");
    test::elaborate();

    test::Access a;
    uint32_t v = 0x01020304;
    a = cpu.write(0x20000010, &v, 4);
    EXPECT_EQ(a.status, ::tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(a.delay, sc_time(20, SC_NS));  // the target's latency passes through
    EXPECT_EQ(std::memcmp(ram.data() + 0x10, &v, 4), 0);
    EXPECT_EQ(cpu.write32(0x30000004, 0xa5a5a5a5), ::tlm::TLM_OK_RESPONSE);
    uint32_t local = 0;
    std::memcpy(&local, sram.data() + 0x204, 4);
    EXPECT_EQ(local, 0xa5a5a5a5u);
    EXPECT_EQ(cpu.read32(0x30000004), 0xa5a5a5a5u);

    ASSERT_EQ(bus.memory_map().size(), 2u);
    EXPECT_EQ(bus.memory_map()[0].name, "ram");
    EXPECT_EQ(bus.memory_map()[1].name, "sram-window");
    ASSERT_NE(bus.find(0x300000ff), nullptr);
    EXPECT_EQ(bus.find(0x300000ff)->port, 1u);
    EXPECT_EQ(bus.find(0x30000100), nullptr);
    EXPECT_EQ(bus.find(0x1fffffff), nullptr);
    EXPECT_NE(bus.describe_map().find("sram-window -> port 1 @ 0x200"), std::string::npos);
}

TEST(Router, UnmappedAndStraddlingAccessesAreAddressErrors) {
    TestInitiator cpu("cpu");
    Router bus("bus");
    Memory ram("ram", 0x100);
    cpu.socket.bind(bus.target_socket);
    bus.add_target(ram.socket, 0x1000, 0x100);
    test::elaborate();

    ::tlm::tlm_response_status status{};
    cpu.read32(0x0, &status);
    EXPECT_EQ(status, ::tlm::TLM_ADDRESS_ERROR_RESPONSE);
    cpu.read32(0xffffffff00000000ull, &status);
    EXPECT_EQ(status, ::tlm::TLM_ADDRESS_ERROR_RESPONSE);
    EXPECT_EQ(cpu.write32(0x10fe, 0xffffffff), ::tlm::TLM_ADDRESS_ERROR_RESPONSE);
    EXPECT_EQ(ram.data()[0xfe], 0);  // nothing written by the refused access
    EXPECT_EQ(cpu.write32(0x10fc, 0x1), ::tlm::TLM_OK_RESPONSE);

    uint8_t buf[4];
    EXPECT_EQ(cpu.debug(::tlm::TLM_READ_COMMAND, 0x2000, buf, 4, &status), 0u);
    EXPECT_EQ(status, ::tlm::TLM_ADDRESS_ERROR_RESPONSE);
    EXPECT_EQ(cpu.debug(::tlm::TLM_READ_COMMAND, 0x10fe, buf, 4), 2u);  // stops at the hole

    ::tlm::tlm_dmi dmi;
    EXPECT_FALSE(cpu.dmi(0x2000, dmi));
    EXPECT_EQ(dmi.get_granted_access(), ::tlm::tlm_dmi::DMI_ACCESS_NONE);
    EXPECT_EQ(dmi.get_start_address(), 0x1100u);  // the whole hole after ram
    EXPECT_EQ(dmi.get_end_address(), ~uint64_t{0});
    EXPECT_FALSE(cpu.dmi(0x10, dmi));
    EXPECT_EQ(dmi.get_start_address(), 0u);
    EXPECT_EQ(dmi.get_end_address(), 0xfffu);
}

TEST(Router, OverlapErrorNamesBothRegions) {
    Router bus("bus");
    bus.map(0, 0x40000000, 0x1000, 0, "uart0");
    try {
        bus.map(1, 0x40000800, 0x1000, 0, "timer0");
        FAIL() << "overlap accepted";
    } catch (const MapError& e) {
        EXPECT_STREQ(e.what(),
                     "bus: region 'timer0' [0x40000800..0x400017ff] overlaps region 'uart0' "
                     "[0x40000000..0x40000fff]");
    }
    EXPECT_THROW(bus.map(1, 0x3ffff000, 0x1001, 0, "below"), MapError);
    EXPECT_THROW(bus.map(1, 0x50000000, 0, 0, "empty"), MapError);
    EXPECT_THROW(bus.map(1, 0xfffffffffffff000ull, 0x2000, 0, "wraps"), MapError);
    bus.map(1, 0x40001000, 0x1000, 0, "adjacent");  // touching is fine
    EXPECT_EQ(bus.memory_map().size(), 2u);
}

TEST(Router, AddTargetChecksOverlapBeforeBinding) {
    TestInitiator cpu("cpu");
    Router bus("bus");
    Memory a("a", 0x100);
    Memory b("b", 0x100);
    cpu.socket.bind(bus.target_socket);
    bus.add_target(a.socket, 0x0, 0x100);
    EXPECT_THROW(bus.add_target(b.socket, 0x80, 0x100), MapError);
    // Through the base socket type, as a platform device exposes it.
    ::tlm::tlm_target_socket<32>& base_socket = b.socket;
    EXPECT_EQ(bus.add_target(base_socket, 0x100, 0x100), 1u);
    EXPECT_EQ(bus.find(0x100)->name, "b");
    test::elaborate();
    EXPECT_EQ(cpu.write32(0x100, 0x77), ::tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(b.data()[0], 0x77);
}

TEST(Router, DmiRangeIsTranslatedAndClipped) {
    TestInitiator cpu("cpu");
    Router bus("bus");
    Memory ram("ram", 0x1000, false, sc_time(1, SC_NS), sc_time(2, SC_NS));
    cpu.socket.bind(bus.target_socket);
    bus.initiator_socket.bind(ram.socket);
    bus.map(0, 0x40000000, 0x400, 0x800, "window");  // ram[0x800..0xbff]
    test::elaborate();

    ::tlm::tlm_dmi dmi;
    ASSERT_TRUE(cpu.dmi(0x40000010, dmi, true));
    EXPECT_EQ(dmi.get_start_address(), 0x40000000u);
    EXPECT_EQ(dmi.get_end_address(), 0x400003ffu);
    EXPECT_EQ(dmi.get_dmi_ptr(), ram.data() + 0x800);
    EXPECT_TRUE(dmi.is_read_write_allowed());
    EXPECT_EQ(dmi.get_write_latency(), sc_time(2, SC_NS));

    // A write through the DMI pointer is what b_transport reads, and the other way round.
    const uint32_t v = 0xfeedface;
    std::memcpy(dmi.get_dmi_ptr() + (0x40000010 - dmi.get_start_address()), &v, 4);
    EXPECT_EQ(cpu.read32(0x40000010), 0xfeedfaceu);
    EXPECT_EQ(cpu.write32(0x400003fc, 0x13572468), ::tlm::TLM_OK_RESPONSE);
    uint32_t back = 0;
    std::memcpy(&back, dmi.get_dmi_ptr() + 0x3fc, 4);
    EXPECT_EQ(back, 0x13572468u);
    std::memcpy(&back, ram.data() + 0xbfc, 4);
    EXPECT_EQ(back, 0x13572468u);
}

TEST(Router, InvalidationReachesAllInitiatorsWithGlobalAddresses) {
    TestInitiator cpu0("cpu0");
    TestInitiator cpu1("cpu1");
    Router bus("bus");
    Memory ram("ram", 0x2000);
    cpu0.socket.bind(bus.target_socket);
    cpu1.socket.bind(bus.target_socket);
    const unsigned port = bus.add_target(ram.socket, 0x20000000, 0x2000);
    bus.map(port, 0x60000000, 0x1000, 0x1000, "ram-alias");  // second window on ram[0x1000..]
    test::elaborate();

    ram.invalidate_dmi(0x10, 0x1f);
    const std::vector<Range> low{{0x20000010, 0x2000001f}};
    EXPECT_EQ(cpu0.invalidations, low);
    EXPECT_EQ(cpu1.invalidations, low);

    cpu0.invalidations.clear();
    cpu1.invalidations.clear();
    ram.invalidate_dmi(0x0ff0, 0x100f);  // both windows see a part
    const std::vector<Range> both{{0x20000ff0, 0x2000100f}, {0x60000000, 0x6000000f}};
    EXPECT_EQ(cpu0.invalidations, both);
    EXPECT_EQ(cpu1.invalidations, both);

    cpu0.invalidations.clear();
    ram.invalidate_dmi();  // everything
    const std::vector<Range> all{{0x20000000, 0x20001fff}, {0x60000000, 0x60000fff}};
    EXPECT_EQ(cpu0.invalidations, all);

    // And the alias's DMI pointer is the alias's part of the memory.
    ::tlm::tlm_dmi dmi;
    ASSERT_TRUE(cpu1.dmi(0x60000004, dmi));
    EXPECT_EQ(dmi.get_dmi_ptr(), ram.data() + 0x1000);
    EXPECT_EQ(dmi.get_start_address(), 0x60000000u);
    EXPECT_EQ(dmi.get_end_address(), 0x60000fffu);
}

TEST(Router, DebugTransportSpansAdjacentRegions) {
    TestInitiator gdb("gdb");
    Router bus("bus");
    Memory lo("lo", 0x100, true);  // ROM: debug writes still land
    Memory hi("hi", 0x100);
    gdb.socket.bind(bus.target_socket);
    bus.add_target(lo.socket, 0x0, 0x100);
    bus.add_target(hi.socket, 0x100, 0x100);
    test::elaborate();

    const uint8_t bytes[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    ::tlm::tlm_response_status status{};
    EXPECT_EQ(gdb.debug(::tlm::TLM_WRITE_COMMAND, 0xfc, const_cast<uint8_t*>(bytes), 8, &status), 8u);
    EXPECT_EQ(status, ::tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(std::memcmp(lo.data() + 0xfc, bytes, 4), 0);
    EXPECT_EQ(std::memcmp(hi.data(), bytes + 4, 4), 0);
    uint8_t out[8] = {};
    EXPECT_EQ(gdb.debug(::tlm::TLM_READ_COMMAND, 0xfc, out, 8), 8u);
    EXPECT_EQ(std::memcmp(out, bytes, 8), 0);
}

TEST(Router, UnboundPortFailsElaboration) {
    TestInitiator cpu("cpu");
    Router bus("bus");
    Memory ram("ram", 0x100);
    cpu.socket.bind(bus.target_socket);
    bus.add_target(ram.socket, 0x0, 0x100);
    bus.map(3, 0x1000, 0x100, 0, "ghost");
    try {
        test::elaborate();
        FAIL() << "elaboration accepted a region on an unbound port";
    } catch (const std::exception& e) {
        EXPECT_NE(std::string(e.what()).find("region 'ghost' [0x1000..0x10ff] uses target port 3 "
                                             "but only 1 target(s) are bound"),
                  std::string::npos)
            << e.what();
    }
}

}  // namespace
}  // namespace presil::tlm
