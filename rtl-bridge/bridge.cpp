// SPDX-License-Identifier: Apache-2.0
// RtlBridge: TLM transactions become bus transfers on a Verilated model that is clocked lazily.
//
// Time model: rising edge n of the RTL clock happens at n × period (n >= 1);
// the falling edge half a period later. The bridge owns the RTL clock: it runs
// edges only when someone needs the RTL to be current — before a transaction
// (up to the initiator's time including its annotated delay), at every
// sync_period boundary (lazy mode) or at every edge (per-edge mode). A
// transfer runs its bus cycles right away, so the RTL may get ahead of
// SystemC time by the transfer's length; that length is returned as the
// transaction's annotated delay, and later catch-ups are no-ops until
// SystemC time passes the RTL again. Interrupt pins are sampled after every
// advance and drive presil::tlm::IrqOut lines.
#include "rtl-bridge/bridge.h"

#include <algorithm>

#include <fmt/format.h>

#include "tlm/payload.h"

namespace presil::rtl {

namespace {

struct ResponseRow {
    BusResponse bus;
    ::tlm::tlm_response_status tlm;
};

constexpr ResponseRow kResponses[] = {
    {BusResponse::Okay, ::tlm::TLM_OK_RESPONSE},
    {BusResponse::SlaveError, ::tlm::TLM_GENERIC_ERROR_RESPONSE},
    {BusResponse::DecodeError, ::tlm::TLM_ADDRESS_ERROR_RESPONSE},
    {BusResponse::Timeout, ::tlm::TLM_GENERIC_ERROR_RESPONSE},
};

::tlm::tlm_response_status to_tlm(BusResponse r) {
    for (const auto& row : kResponses)
        if (row.bus == r) return row.tlm;
    return ::tlm::TLM_GENERIC_ERROR_RESPONSE;
}

struct BusDefaults {
    Bus bus;
    const char* clock;
    const char* reset;
};

constexpr BusDefaults kBusDefaults[] = {
    {Bus::Apb, "PCLK", "PRESETn"},
    {Bus::AxiLite, "ACLK", "ARESETn"},
};

const BusDefaults& defaults_of(Bus bus) {
    for (const auto& row : kBusDefaults)
        if (row.bus == bus) return row;
    return kBusDefaults[0];
}

std::string builtin_list() {
    std::string s;
    for (const auto& m : builtin_models()) s += (s.empty() ? "" : ", ") + std::string(m.name);
    return s.empty() ? "none" : s;
}

struct ClockingRow {
    std::string_view text;
    Clocking clocking;
};

constexpr ClockingRow kClockings[] = {
    {"lazy", Clocking::Lazy},
    {"per-edge", Clocking::PerEdge},
    {"per_edge", Clocking::PerEdge},
    {"edge", Clocking::PerEdge},
};

}  // namespace

Clocking parse_clocking(std::string_view text) {
    for (const auto& row : kClockings)
        if (row.text == text) return row.clocking;
    throw RtlError(fmt::format("unknown RTL clocking mode '{}' (expected lazy or per-edge)", text));
}

RtlBridge::RtlBridge(sc_core::sc_module_name name, BridgeConfig config)
    : sc_module(name), socket("socket"), m_config(std::move(config)), m_instance(this->name()) {
    const presil_rtl_plugin* desc = nullptr;
    std::string origin;
    if (!m_config.plugin.empty()) {
        m_plugin = std::make_unique<PluginLibrary>(m_config.plugin);
        desc = &m_plugin->descriptor();
        origin = "RTL plugin " + m_config.plugin;
    } else {
        desc = find_builtin(m_config.model);
        if (desc == nullptr)
            throw RtlError(fmt::format("{}: unknown built-in RTL model '{}' (built in: {})", m_instance,
                                       m_config.model, builtin_list()));
        origin = "built-in RTL model " + m_config.model;
    }
    m_bus = static_cast<Bus>(desc->bus);
    if (m_config.bus && *m_config.bus != m_bus)
        throw RtlError(fmt::format("{}: {} (top '{}') speaks {}, but the configuration asks for {}",
                                   m_instance, origin, desc->top, bus_name(m_bus),
                                   bus_name(*m_config.bus)));
    if (m_config.clock_period == sc_core::SC_ZERO_TIME)
        throw RtlError(fmt::format("{}: the RTL clock period must be positive", m_instance));
    if (m_config.clocking == Clocking::Lazy && m_config.sync_period == sc_core::SC_ZERO_TIME)
        throw RtlError(fmt::format("{}: the RTL sync period must be positive", m_instance));
    m_model = std::make_unique<Model>(*desc, m_instance, origin);
    m_period = m_config.clock_period.value();
    m_ps_per_unit = sc_core::sc_get_time_resolution().to_seconds() * 1e12;

    const BusDefaults& defs = defaults_of(m_bus);
    m_clk = m_config.clock_port.empty() ? bus_pin(defs.clock, true, false, 1, 1)
                                        : m_model->pin_named(m_config.clock_port, true, false, 1, 1);
    m_rst = m_config.reset_port.empty() ? bus_pin(defs.reset, true, false, 1, 1)
                                        : m_model->pin_named(m_config.reset_port, true, false, 1, 1);
    m_rst_active = m_config.reset_active_low ? 0 : 1;
    m_rst_inactive = 1 - m_rst_active;

    std::vector<std::string> irq_ports = m_config.irq_ports;
    if (irq_ports.empty() && m_model->find_port("irq") >= 0) irq_ports.push_back("irq");
    for (const auto& port : irq_ports) {
        Irq irq{port, m_model->pin_named(port, true, true, 1, 1), std::make_unique<presil::tlm::IrqOut>()};
        m_irqs.push_back(std::move(irq));
    }

    m_driver = make_bus_driver(m_bus, *this);
    if (m_config.check_protocol) {
        if (m_bus == Bus::Apb)
            m_apb_checker = std::make_unique<ApbChecker>(m_instance, m_config.checker_timeout);
        else
            m_axi_checker = std::make_unique<AxiLiteChecker>(m_instance, m_config.checker_timeout);
        auto warn = [](const Violation& v) {
            SC_REPORT_WARNING("presil/rtl/protocol", to_string(v).c_str());
        };
        if (m_apb_checker) m_apb_checker->on_violation(warn);
        if (m_axi_checker) m_axi_checker->on_violation(warn);
    }
    if (!m_config.trace_file.empty()) m_model->trace_open(m_config.trace_file);

    // Reset: asserted from time 0 through rising edge reset_cycles.
    m_clk.write(0);
    m_rst.write(m_config.reset_cycles > 0 ? m_rst_active : m_rst_inactive);
    m_model->eval();
    m_model->trace_dump(0);

    socket.register_b_transport(this, &RtlBridge::b_transport);
    socket.register_transport_dbg(this, &RtlBridge::transport_dbg);
    if (m_config.clocking == Clocking::Lazy) {
        SC_METHOD(sync_method);
    } else {
        SC_METHOD(edge_method);
    }
}

RtlBridge::~RtlBridge() {
    if (m_model) m_model->trace_close();
}

presil::tlm::IrqOut* RtlBridge::irq_out(std::string_view name) {
    for (auto& irq : m_irqs)
        if (name.empty() || irq.name == name) return irq.out.get();
    return nullptr;
}

std::vector<std::string> RtlBridge::irq_names() const {
    std::vector<std::string> names;
    for (const auto& irq : m_irqs) names.push_back(irq.name);
    return names;
}

sc_core::sc_time RtlBridge::edge_time(uint64_t n) const {
    return sc_core::sc_time::from_value(n * m_period);
}

const std::vector<Violation>& RtlBridge::violations() const {
    static const std::vector<Violation> none;
    if (m_apb_checker) return m_apb_checker->violations();
    if (m_axi_checker) return m_axi_checker->violations();
    return none;
}

Pin RtlBridge::bus_pin(std::string_view conv, bool required, bool output, uint32_t min_w,
                       uint32_t max_w) {
    return m_model->pin(conv, m_config.naming, required, output, min_w, max_w);
}

void RtlBridge::rise() {
    const uint64_t edge = (m_cycles + 1) * m_period;
    if (m_apb_checker || m_axi_checker) {
        m_model->eval();
        m_driver->check(static_cast<uint64_t>(static_cast<double>(edge) * m_ps_per_unit));
    }
    m_clk.write(1);
    m_model->eval();
    ++m_cycles;
    if (m_model->tracing()) m_model->trace_dump(static_cast<uint64_t>(static_cast<double>(edge) * m_ps_per_unit));
    if (m_cycles == m_config.reset_cycles) m_rst.write(m_rst_inactive);
}

void RtlBridge::fall() {
    m_clk.write(0);
    m_model->eval();
    if (m_model->tracing()) {
        const double t = static_cast<double>(m_cycles * m_period) + static_cast<double>(m_period) / 2;
        m_model->trace_dump(static_cast<uint64_t>(t * m_ps_per_unit));
    }
}

void RtlBridge::sample_irqs() {
    for (auto& irq : m_irqs) irq.out->set(irq.pin.read() != 0);
}

void RtlBridge::advance_to(const sc_core::sc_time& t) {
    const uint64_t target = t.value() / m_period;
    while (m_cycles < target) step();
    sample_irqs();
}

void RtlBridge::sync_method() {
    const sc_core::sc_time now = sc_core::sc_time_stamp();
    advance_to(now);
    const uint64_t sync = m_config.sync_period.value();
    next_trigger(sc_core::sc_time::from_value(sync - now.value() % sync));
}

void RtlBridge::edge_method() {
    const sc_core::sc_time now = sc_core::sc_time_stamp();
    advance_to(now);
    next_trigger(edge_time(m_cycles + 1) - now);
}

void RtlBridge::b_transport(::tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
    const sc_core::sc_time now = sc_core::sc_time_stamp();
    advance_to(now + delay);
    while (m_cycles < m_config.reset_cycles) step();

    const uint64_t start_cycles = m_cycles;
    const unsigned len = trans.get_data_length();
    unsigned char* data = trans.get_data_ptr();
    const uint64_t addr = trans.get_address();
    trans.set_response_status(::tlm::TLM_OK_RESPONSE);
    if (trans.get_command() == ::tlm::TLM_IGNORE_COMMAND) return;
    if (len == 0 || data == nullptr) {
        trans.set_response_status(::tlm::TLM_GENERIC_ERROR_RESPONSE);
        return;
    }
    if (trans.get_streaming_width() < len) {
        trans.set_response_status(::tlm::TLM_BURST_ERROR_RESPONSE);
        return;
    }
    const bool is_write = trans.get_command() == ::tlm::TLM_WRITE_COMMAND;
    const unsigned abits = m_driver->address_bits();
    unsigned i = 0;
    while (i < len) {
        const uint64_t a = addr + i;
        const uint64_t word = a & ~uint64_t{3};
        const unsigned lane0 = static_cast<unsigned>(a & 3);
        const unsigned n = std::min(4 - lane0, len - i);
        uint8_t strb = 0;
        uint32_t wdata = 0;
        for (unsigned k = 0; k < n; ++k) {
            if (!presil::tlm::byte_enabled(trans, i + k)) continue;
            strb |= static_cast<uint8_t>(1u << (lane0 + k));
            if (is_write) wdata |= uint32_t{data[i + k]} << (8 * (lane0 + k));
        }
        if (strb != 0) {
            if (abits < 64 && (word >> abits) != 0) {
                trans.set_response_status(::tlm::TLM_ADDRESS_ERROR_RESPONSE);
                break;
            }
            BusResponse r;
            if (is_write) {
                r = m_driver->write(static_cast<uint32_t>(word), wdata, strb, 0);
            } else {
                uint32_t rdata = 0;
                r = m_driver->read(static_cast<uint32_t>(word), rdata, 0);
                for (unsigned k = 0; k < n; ++k)
                    if (strb & (1u << (lane0 + k))) data[i + k] = static_cast<unsigned char>(rdata >> (8 * (lane0 + k)));
            }
            if (r == BusResponse::Timeout)
                SC_REPORT_WARNING("presil/rtl/timeout",
                                  fmt::format("{}: no bus response within {} cycles at offset 0x{:x}",
                                              m_instance, m_config.max_wait_cycles, word)
                                      .c_str());
            if (r != BusResponse::Okay) {
                trans.set_response_status(to_tlm(r));
                break;
            }
        }
        i += n;
    }
    m_bus_cycles += m_cycles - start_cycles;
    sample_irqs();
    const sc_core::sc_time end = edge_time(m_cycles);
    if (end > now + delay) delay = end - now;
}

unsigned RtlBridge::transport_dbg(::tlm::tlm_generic_payload& trans) {
    // A debug access must not advance the RTL or have side effects; RTL registers are not
    // readable without bus cycles, so debug accesses are not supported.
    trans.set_response_status(::tlm::TLM_OK_RESPONSE);
    return 0;
}

void RtlBridge::end_of_simulation() {
    if (m_model) m_model->trace_close();
}

}  // namespace presil::rtl
