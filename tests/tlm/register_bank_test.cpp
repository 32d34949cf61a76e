// SPDX-License-Identifier: Apache-2.0
// Register bank test bench: access kinds, W1C, callbacks, sub-word accesses, byte enables,
// debug accesses without side effects, unmapped offsets, delays, reset, use behind a router.
#include "tlm/register_bank.h"

#include <stdexcept>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "tests/tlm/test_initiator.h"
#include "tlm/router.h"

namespace presil::tlm {
namespace {

using sc_core::SC_NS;
using sc_core::sc_time;
using test::TestInitiator;

/// A device with one register of each kind and callbacks that record what they saw.
class TestDevice : public RegisterDevice {
public:
    std::vector<std::pair<uint32_t, uint32_t>> ctrl_writes;
    std::vector<uint32_t> sent;
    unsigned fifo_pops = 0;
    Register& ctrl;
    Register& status;
    Register& intstatus;

    explicit TestDevice(sc_core::sc_module_name name)
        : RegisterDevice(name),
          ctrl(regs().add({"CTRL", 0x0, 0x5, Access::ReadWrite, nullptr,
                           [this](uint32_t o, uint32_t n) { ctrl_writes.emplace_back(o, n); }})),
          status(regs().add({"STATUS", 0x4, 0xa5, Access::ReadOnly, nullptr, nullptr})),
          intstatus(regs().add({"INTSTATUS", 0x8, 0xf, Access::WriteOneToClear, nullptr,
                                [this](uint32_t o, uint32_t n) { ctrl_writes.emplace_back(o, n); }})) {
        regs().add({"DATA", 0xc, 0, Access::WriteOnly, nullptr,
                    [this](uint32_t, uint32_t n) { sent.push_back(n); }});
        regs().add({"FIFO", 0x10, 0x40, Access::ReadOnly,
                    [this](uint32_t v) { return v + fifo_pops++; }, nullptr});
        regs().add({.name = "ID", .offset = 0x14, .reset = 0x41, .access = Access::ReadOnly,
                    .on_read = [](uint32_t v) { return v | 0x100; }, .read_is_pure = true});
        regs().add({.name = "MASKED", .offset = 0x18, .write_mask = 0x0000ffff});
        regs().add({"PID0", 0xfe0, 0x11, Access::ReadOnly, nullptr, nullptr});
    }
};

TEST(RegisterBank, AccessKindsAndCallbacks) {
    TestInitiator cpu("cpu");
    TestDevice dev("dev");
    cpu.socket.bind(dev.socket);
    test::elaborate();

    EXPECT_EQ(cpu.read32(0x0), 0x5u);
    EXPECT_EQ(cpu.write32(0x0, 0x12345678), ::tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(cpu.read32(0x0), 0x12345678u);
    ASSERT_EQ(dev.ctrl_writes.size(), 1u);
    EXPECT_EQ(dev.ctrl_writes[0], (std::pair<uint32_t, uint32_t>{0x5, 0x12345678}));

    EXPECT_EQ(cpu.write32(0x4, 0), ::tlm::TLM_OK_RESPONSE);  // read-only: ignored
    EXPECT_EQ(cpu.read32(0x4), 0xa5u);

    dev.ctrl_writes.clear();
    EXPECT_EQ(cpu.write32(0x8, 0x5), ::tlm::TLM_OK_RESPONSE);  // W1C
    EXPECT_EQ(cpu.read32(0x8), 0xau);
    EXPECT_EQ(dev.intstatus.value(), 0xau);
    ASSERT_EQ(dev.ctrl_writes.size(), 1u);
    EXPECT_EQ(dev.ctrl_writes[0], (std::pair<uint32_t, uint32_t>{0xf, 0xa}));

    EXPECT_EQ(cpu.write32(0xc, 'A'), ::tlm::TLM_OK_RESPONSE);  // write-only
    EXPECT_EQ(dev.sent, std::vector<uint32_t>{'A'});
    EXPECT_EQ(cpu.read32(0xc), 0u);

    EXPECT_EQ(cpu.read32(0x10), 0x40u);  // side-effecting read
    EXPECT_EQ(cpu.read32(0x10), 0x41u);
    EXPECT_EQ(dev.fifo_pops, 2u);

    EXPECT_EQ(cpu.write32(0x18, 0xffffffff), ::tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(cpu.read32(0x18), 0x0000ffffu);  // write mask keeps the upper half
    EXPECT_EQ(cpu.read32(0xfe0), 0x11u);
}

TEST(RegisterBank, SubWordAccessesAndByteEnables) {
    TestInitiator cpu("cpu");
    TestDevice dev("dev");
    cpu.socket.bind(dev.socket);
    test::elaborate();
    dev.ctrl.set(0x44332211);

    uint8_t b = 0;
    EXPECT_EQ(cpu.read(0x1, &b, 1).status, ::tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(b, 0x22);
    uint16_t h = 0;
    EXPECT_EQ(cpu.read(0x2, &h, 2).status, ::tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(h, 0x4433);
    b = 0x99;
    EXPECT_EQ(cpu.write(0x3, &b, 1).status, ::tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(dev.ctrl.value(), 0x99332211u);
    EXPECT_EQ(dev.ctrl_writes.back(), (std::pair<uint32_t, uint32_t>{0x44332211, 0x99332211}));
    h = 0xbeef;
    EXPECT_EQ(cpu.write(0x0, &h, 2).status, ::tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(dev.ctrl.value(), 0x9933beefu);

    uint32_t v = 0xa1b2c3d4;
    const uint8_t be[4] = {0xff, 0, 0, 0xff};
    test::Access a = cpu.transport(::tlm::TLM_WRITE_COMMAND, 0x0, &v, 4, be, 4);
    EXPECT_EQ(a.status, ::tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(dev.ctrl.value(), 0xa133bed4u);
    uint32_t r = 0;
    const uint8_t be_read[4] = {0, 0xff, 0, 0};
    cpu.transport(::tlm::TLM_READ_COMMAND, 0x0, &r, 4, be_read, 4);
    EXPECT_EQ(r, 0x0000be00u);

    // W1C with a byte write clears only bits in that byte.
    dev.intstatus.set(0xffffffff);
    b = 0xff;
    cpu.write(0x9, &b, 1);
    EXPECT_EQ(dev.intstatus.value(), 0xffff00ffu);

    // An 8-byte access covers two registers.
    uint32_t pair[2] = {};
    EXPECT_EQ(cpu.read(0x0, pair, 8).status, ::tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(pair[0], 0xa133bed4u);
    EXPECT_EQ(pair[1], 0xa5u);
}

TEST(RegisterBank, UnmappedOffsetsAreAddressErrorsWithoutSideEffects) {
    TestInitiator cpu("cpu");
    TestDevice dev("dev");
    cpu.socket.bind(dev.socket);
    test::elaborate();

    ::tlm::tlm_response_status status{};
    cpu.read32(0x1c, &status);
    EXPECT_EQ(status, ::tlm::TLM_ADDRESS_ERROR_RESPONSE);
    cpu.read32(0x100000, &status);
    EXPECT_EQ(status, ::tlm::TLM_ADDRESS_ERROR_RESPONSE);
    uint32_t two[2] = {0xffffffff, 0xffffffff};
    EXPECT_EQ(cpu.write(0x18, two, 8).status, ::tlm::TLM_ADDRESS_ERROR_RESPONSE);
    EXPECT_EQ(dev.regs()["MASKED"].value(), 0u);  // nothing written by the failed access
    uint32_t fifo[2];
    EXPECT_EQ(cpu.read(0x10, fifo, 8).status, ::tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(dev.fifo_pops, 1u);
    uint32_t beats[2] = {};
    EXPECT_EQ(cpu.transport(::tlm::TLM_READ_COMMAND, 0x0, beats, 8, nullptr, 0, 4).status,
              ::tlm::TLM_BURST_ERROR_RESPONSE);
}

TEST(RegisterBank, DebugAccessHasNoSideEffects) {
    TestInitiator gdb("gdb");
    TestDevice dev("dev");
    gdb.socket.bind(dev.socket);
    test::elaborate();

    uint32_t v = 0;
    EXPECT_EQ(gdb.debug(::tlm::TLM_READ_COMMAND, 0x10, &v, 4), 4u);
    EXPECT_EQ(v, 0x40u);
    EXPECT_EQ(dev.fifo_pops, 0u);  // FIFO not popped
    EXPECT_EQ(gdb.debug(::tlm::TLM_READ_COMMAND, 0x14, &v, 4), 4u);
    EXPECT_EQ(v, 0x141u);  // pure callback is used

    v = 0x77;
    EXPECT_EQ(gdb.debug(::tlm::TLM_WRITE_COMMAND, 0x0, &v, 4), 4u);
    EXPECT_EQ(dev.ctrl.value(), 0x77u);
    EXPECT_TRUE(dev.ctrl_writes.empty());  // no write callback
    v = 0x5a;
    EXPECT_EQ(gdb.debug(::tlm::TLM_WRITE_COMMAND, 0x4, &v, 4), 4u);
    EXPECT_EQ(dev.status.value(), 0x5au);  // debuggers may poke read-only registers
    v = 0x3;
    EXPECT_EQ(gdb.debug(::tlm::TLM_WRITE_COMMAND, 0x8, &v, 4), 4u);
    EXPECT_EQ(dev.intstatus.value(), 0x3u);  // raw value, not write-one-to-clear
    v = 0x42;
    gdb.debug(::tlm::TLM_WRITE_COMMAND, 0xc, &v, 4);
    EXPECT_TRUE(dev.sent.empty());
    v = 0;
    gdb.debug(::tlm::TLM_READ_COMMAND, 0xc, &v, 4);
    EXPECT_EQ(v, 0x42u);  // write-only registers are visible to the debugger
    ::tlm::tlm_response_status status{};
    EXPECT_EQ(gdb.debug(::tlm::TLM_READ_COMMAND, 0x1c, &v, 4, &status), 0u);
    EXPECT_EQ(status, ::tlm::TLM_ADDRESS_ERROR_RESPONSE);
}

TEST(RegisterBank, AccessDelayAndReset) {
    TestInitiator cpu("cpu");
    TestDevice dev("dev");
    cpu.socket.bind(dev.socket);
    dev.set_access_delay(sc_time(25, SC_NS));
    test::elaborate();

    uint32_t v = 0;
    EXPECT_EQ(cpu.read(0x0, &v, 4).delay, sc_time(25, SC_NS));
    EXPECT_EQ(cpu.read(0x1c, &v, 4).delay, sc_time(25, SC_NS));
    EXPECT_EQ(cpu.write32(0x0, 0xffff), ::tlm::TLM_OK_RESPONSE);
    dev.intstatus.set(0);
    dev.reset();
    EXPECT_EQ(dev.ctrl.value(), 0x5u);
    EXPECT_EQ(dev.intstatus.value(), 0xfu);
    EXPECT_EQ(dev.regs().registers().size(), 8u);
}

TEST(RegisterBank, BadDeclarationsAreRejected) {
    RegisterBank bank;
    bank.add({"A", 0x0, 0, Access::ReadWrite, nullptr, nullptr});
    EXPECT_THROW(bank.add({"B", 0x2, 0, Access::ReadWrite, nullptr, nullptr}), std::invalid_argument);
    EXPECT_THROW(bank.add({"C", 0x0, 0, Access::ReadWrite, nullptr, nullptr}), std::invalid_argument);
    EXPECT_THROW(bank.add({"A", 0x4, 0, Access::ReadWrite, nullptr, nullptr}), std::invalid_argument);
    EXPECT_THROW(bank.add({"D", 0x40000000, 0, Access::ReadWrite, nullptr, nullptr}),
                 std::invalid_argument);
    EXPECT_THROW(bank["nope"], std::out_of_range);
    EXPECT_EQ(&bank["A"], bank.find(0x3));
    EXPECT_EQ(bank.find(0x4), nullptr);
}

/// A module that is not a RegisterDevice (e.g. a platform device) serving a bank on its socket.
class BankHolder : public sc_core::sc_module {
public:
    RegisterBank::Socket socket{"socket"};
    RegisterBank bank;
    explicit BankHolder(sc_core::sc_module_name name) : sc_core::sc_module(name) {
        bank.add({"VALUE", 0x4, 0x1234, Access::ReadWrite, nullptr, nullptr});
        bank.attach(socket);
    }
};

TEST(RegisterBank, MarksReadsWithoutSideEffectsAsPure) {
    TestInitiator cpu("cpu");
    Router bus("bus");
    TestDevice dev("dev");
    cpu.socket.bind(bus.target_socket);
    bus.add_target(dev.socket, 0x40000000, 0x1000);
    test::elaborate();

    ::tlm::tlm_generic_payload p;
    auto* ext = new PureAccess;
    p.set_extension(ext);  // the payload frees it
    // Whether a transport of 4 bytes at `addr` (through the router) came back marked pure.
    auto pure = [&](uint64_t addr, bool write) {
        uint32_t v = 0x1;
        if (write) make_write(p, addr, &v, 4);
        else make_read(p, addr, &v, 4);
        ext->pure = false;
        sc_time delay = sc_core::SC_ZERO_TIME;
        cpu.socket->b_transport(p, delay);
        EXPECT_TRUE(p.is_response_ok()) << std::hex << addr;
        return ext->pure;
    };
    EXPECT_TRUE(pure(0x40000000, false));   // plain stored value
    EXPECT_TRUE(pure(0x4000000c, false));   // write-only: reads 0
    EXPECT_TRUE(pure(0x40000014, false));   // on_read declared pure
    EXPECT_FALSE(pure(0x40000010, false));  // FIFO pop: a side effect
    EXPECT_EQ(dev.fifo_pops, 1u);
    EXPECT_FALSE(pure(0x40000000, true));   // writes never are
    EXPECT_FALSE(pure(0x40000014, true));
    // Without the extension attached, reads work the same.
    ::tlm::tlm_generic_payload plain;
    uint32_t v = 0;
    make_read(plain, 0x40000014, &v, 4);
    sc_time delay = sc_core::SC_ZERO_TIME;
    cpu.socket->b_transport(plain, delay);
    EXPECT_TRUE(plain.is_response_ok());
    EXPECT_EQ(v, 0x141u);
}

TEST(RegisterBank, AttachesToAnyModuleAndWorksBehindARouter) {
    TestInitiator cpu("cpu");
    Router bus("bus");
    BankHolder holder("holder");
    TestDevice dev("dev");
    cpu.socket.bind(bus.target_socket);
    bus.add_target(holder.socket, 0x40000000, 0x1000);
    bus.add_target(dev.socket, 0x40001000, 0x1000);
    test::elaborate();

    EXPECT_EQ(cpu.read32(0x40000004), 0x1234u);
    EXPECT_EQ(cpu.write32(0x40000004, 0x99), ::tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(holder.bank.find(4)->value(), 0x99u);
    EXPECT_EQ(cpu.read32(0x40001004), 0xa5u);
    ::tlm::tlm_response_status status{};
    cpu.read32(0x40001ffc, &status);
    EXPECT_EQ(status, ::tlm::TLM_ADDRESS_ERROR_RESPONSE);
    ::tlm::tlm_dmi dmi;
    EXPECT_FALSE(cpu.dmi(0x40001000, dmi));  // registers never hand out DMI
}

}  // namespace
}  // namespace presil::tlm
