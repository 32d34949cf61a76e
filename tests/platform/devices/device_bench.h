// SPDX-License-Identifier: Apache-2.0
// Test bench for one device: builds it through the device registry, drives bus accesses from an
// SC_THREAD (with annotated delays) and records every interrupt edge with its simulated time.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <yaml-cpp/yaml.h>

#include "platform/device.h"
#include "platform/options.h"
#include "tlm/irq.h"
#include "tlm/payload.h"

namespace presil::platform::devices::test {

/// One recorded interrupt edge.
struct IrqEdge {
    std::string output;     ///< device output name
    bool level;             ///< new level
    sc_core::sc_time time;  ///< kernel time of the change
};

/// Records the edges of every interrupt output of a device.
class IrqProbe : public tlm::IrqTarget {
public:
    /// Connects to every output of `dev`.
    explicit IrqProbe(Device& dev) : m_names(dev.irq_names()) {
        for (unsigned i = 0; i < m_names.size(); ++i) dev.irq_out(m_names[i])->connect(*this, i);
    }
    /// Records an edge.
    void irq_changed(unsigned line, bool level) override {
        edges.push_back({m_names.at(line), level, sc_core::sc_time_stamp()});
    }
    /// Rising edges of `output`, in order.
    std::vector<sc_core::sc_time> rises(const std::string& output) const {
        std::vector<sc_core::sc_time> out;
        for (const IrqEdge& e : edges)
            if (e.output == output && e.level) out.push_back(e.time);
        return out;
    }
    /// All edges.
    std::vector<IrqEdge> edges;

private:
    std::vector<std::string> m_names;
};

/// Creates a registered device with options written as a YAML flow map.
inline std::unique_ptr<Device> make_device(const std::string& type, const std::string& name,
                                           const std::string& options_yaml = "{}") {
    const DeviceType* t = find_device_type(type);
    if (t == nullptr) throw std::runtime_error("device type not registered: " + type);
    static auto file = std::make_shared<const std::string>("test.yaml");
    OptionReader options(YAML::Load(options_yaml), file);
    auto dev = t->create(DeviceConfig{name, type, 0, 0x1000, options});
    options.finish();
    return dev;
}

/// Bus initiator whose test body runs in an SC_THREAD; the simulation stops when it returns.
class Bench : public sc_core::sc_module {
public:
    /// Bound to the device under test.
    tlm_utils::simple_initiator_socket<Bench, 32> socket;

    /// Binds to `dev`; `body` runs at time 0.
    Bench(sc_core::sc_module_name name, Device& dev, std::function<void(Bench&)> body)
        : sc_core::sc_module(name), socket("socket"), m_body(std::move(body)) {
        socket.bind(dev.bus_socket());
        SC_HAS_PROCESS(Bench);
        SC_THREAD(run);
    }

    /// Bus access of `len` bytes with an annotated delay; returns the response.
    ::tlm::tlm_response_status access(::tlm::tlm_command cmd, uint64_t addr, void* data, unsigned len,
                                      sc_core::sc_time delay = sc_core::SC_ZERO_TIME) {
        ::tlm::tlm_generic_payload p;
        tlm::init_payload(p, cmd, addr, data, len);
        socket->b_transport(p, delay);
        return p.get_response_status();
    }
    /// 32-bit read (expects TLM_OK_RESPONSE) with an optional annotated delay.
    uint32_t read(uint64_t addr, sc_core::sc_time delay = sc_core::SC_ZERO_TIME) {
        uint32_t v = 0xdeadbeef;
        EXPECT_EQ(access(::tlm::TLM_READ_COMMAND, addr, &v, 4, delay), ::tlm::TLM_OK_RESPONSE)
            << "read at " << std::hex << addr;
        return v;
    }
    /// 32-bit write (expects TLM_OK_RESPONSE) with an optional annotated delay.
    void write(uint64_t addr, uint32_t v, sc_core::sc_time delay = sc_core::SC_ZERO_TIME) {
        EXPECT_EQ(access(::tlm::TLM_WRITE_COMMAND, addr, &v, 4, delay), ::tlm::TLM_OK_RESPONSE)
            << "write at " << std::hex << addr;
    }
    /// Debug read (no side effects).
    uint32_t peek(uint64_t addr) {
        uint32_t v = 0xdeadbeef;
        ::tlm::tlm_generic_payload p;
        tlm::init_payload(p, ::tlm::TLM_READ_COMMAND, addr, &v, 4);
        EXPECT_EQ(socket->transport_dbg(p), 4u);
        return v;
    }
    /// Waits `t` of simulated time.
    void wait_for(sc_core::sc_time t) { sc_core::wait(t); }

private:
    void run() {
        m_body(*this);
        sc_core::sc_stop();
    }
    std::function<void(Bench&)> m_body;
};

/// Microseconds / nanoseconds shorthands.
inline sc_core::sc_time us(double v) { return sc_core::sc_time(v, sc_core::SC_US); }
inline sc_core::sc_time ns(double v) { return sc_core::sc_time(v, sc_core::SC_NS); }

}  // namespace presil::platform::devices::test
