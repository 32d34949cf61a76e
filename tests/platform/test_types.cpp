// SPDX-License-Identifier: Apache-2.0
// Test-only CPU ("test-initiator") and device ("test-dev") types and their registrations.
#include "tests/platform/test_types.h"

#include <cstring>

namespace presil::platform::testing {

TestCpu::TestCpu(sc_core::sc_module_name name, const CpuConfig& c)
    : CpuModule(name), socket("socket"), m_rt(c.rt), m_clock_hz(c.clock_hz), m_quantum(c.quantum) {
    m_num_irqs = c.options.get<unsigned>("num-irq", 32);
    m_exit = c.options.has("exit-from");
    m_exit_from = c.options.size("exit-from", 0);
    m_exit_after = c.options.time("exit-after", sc_core::sc_time(1, sc_core::SC_US));
    m_hang = c.options.get<bool>("hang", false);
    SC_HAS_PROCESS(TestCpu);
    SC_THREAD(run);
}

void TestCpu::run() {
    volatile uint64_t spins = 0;
    while (m_hang) spins = spins + 1;
    if (!m_exit) return;
    wait(m_exit_after);
    uint32_t word = 0;
    ::tlm::tlm_generic_payload p;
    p.set_command(::tlm::TLM_READ_COMMAND);
    p.set_address(m_exit_from);
    p.set_data_ptr(reinterpret_cast<unsigned char*>(&word));
    p.set_data_length(4);
    p.set_streaming_width(4);
    p.set_response_status(::tlm::TLM_INCOMPLETE_RESPONSE);
    sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
    socket->b_transport(p, delay);
    m_rt.request_exit(p.is_response_ok() ? static_cast<int>(word) : 99);
}

TestDevice::TestDevice(sc_core::sc_module_name name, const DeviceConfig& c) : Device(name), socket("socket") {
    std::string outputs = c.options.string("outputs", "");
    uint32_t reset = c.options.get<uint32_t>("reset-value", 0);
    size_t start = 0;
    while (true) {
        size_t comma = outputs.find(',', start);
        m_names.push_back(outputs.substr(start, comma - start));
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    m_outs.resize(m_names.size());
    for (uint32_t& r : m_regs) r = reset;
    socket.register_b_transport(this, &TestDevice::b_transport);
    socket.register_transport_dbg(this, &TestDevice::transport_dbg);
}

tlm::IrqOut* TestDevice::irq_out(std::string_view name) {
    for (size_t i = 0; i < m_names.size(); ++i)
        if (m_names[i] == name) return &m_outs[i];
    return nullptr;
}

unsigned TestDevice::transport_dbg(::tlm::tlm_generic_payload& p) {
    uint64_t a = p.get_address();
    unsigned n = p.get_data_length();
    if (a >= sizeof m_regs || n > sizeof m_regs - a) {
        p.set_response_status(::tlm::TLM_ADDRESS_ERROR_RESPONSE);
        return 0;
    }
    auto* bytes = reinterpret_cast<uint8_t*>(m_regs) + a;
    if (p.is_write()) std::memcpy(bytes, p.get_data_ptr(), n);
    else std::memcpy(p.get_data_ptr(), bytes, n);
    // Register 0 drives the outputs: bit i = output i.
    for (size_t i = 0; i < m_outs.size(); ++i) m_outs[i].set((m_regs[0] >> i) & 1);
    p.set_response_status(::tlm::TLM_OK_RESPONSE);
    return n;
}

void TestDevice::b_transport(::tlm::tlm_generic_payload& p, sc_core::sc_time&) { transport_dbg(p); }

namespace {
const CpuRegistrar kTestCpu{"test-initiator", "test-only initiator (platform tests)", CpuTraits{32, 40, 32},
                            [](const CpuConfig& c) { return std::make_unique<TestCpu>(c.name.c_str(), c); }};
const DeviceRegistrar kTestDevice{"test-dev", "test-only register device (platform tests)",
                                  [](const DeviceConfig& c) { return std::make_unique<TestDevice>(c.name.c_str(), c); }};
}  // namespace

}  // namespace presil::platform::testing
