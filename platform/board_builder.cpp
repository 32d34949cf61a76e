// SPDX-License-Identifier: Apache-2.0
// Board builder: memories, devices and RTL bridges mapped on the router, CPUs from the registry, IRQ wiring.
#include "platform/board_builder.h"

#include <fstream>
#include <iterator>

#include <fmt/format.h>

#include "platform/units.h"
#include "tlm/irq.h"

namespace presil::platform {

DebugPort::DebugPort(sc_core::sc_module_name name) : sc_core::sc_module(name), socket("socket") {}

namespace {
unsigned debug_access(DebugPort& port, ::tlm::tlm_command cmd, uint64_t addr, uint8_t* data, unsigned n) {
    ::tlm::tlm_generic_payload p;
    p.set_command(cmd);
    p.set_address(addr);
    p.set_data_ptr(data);
    p.set_data_length(n);
    p.set_streaming_width(n);
    p.set_byte_enable_ptr(nullptr);
    p.set_response_status(::tlm::TLM_INCOMPLETE_RESPONSE);
    return port.socket->transport_dbg(p);
}
}  // namespace

unsigned DebugPort::write(uint64_t addr, const uint8_t* data, unsigned n) {
    return debug_access(*this, ::tlm::TLM_WRITE_COMMAND, addr, const_cast<uint8_t*>(data), n);
}

unsigned DebugPort::read(uint64_t addr, uint8_t* data, unsigned n) {
    return debug_access(*this, ::tlm::TLM_READ_COMMAND, addr, data, n);
}

Board::Board(const BoardDesc& desc, BoardRuntime& rt, sc_core::sc_time quantum)
    : m_desc(desc), m_quantum(quantum == sc_core::SC_ZERO_TIME ? desc.quantum : quantum) {
    rt.set_semihosting(desc.semihosting);
    m_router = std::make_unique<tlm::Router>("bus");
    m_debug = std::make_unique<DebugPort>("debug");
    m_debug->socket.bind(m_router->target_socket);

    auto map = [&](auto& socket, uint64_t base, uint64_t size, const std::string& name, const SourcePos& pos) {
        try {
            m_router->add_target(socket, base, size, name);
        } catch (const tlm::MapError& e) {
            throw config_error(pos, e.what());
        }
    };

    for (const MemoryDesc& m : desc.memories) {
        auto mem = std::make_unique<tlm::Memory>(m.name.c_str(), m.size, m.read_only(), m.latency, m.latency);
        if (!m.image.empty()) {
            std::ifstream in(m.image, std::ios::binary);
            if (!in) throw config_error(m.image_pos, "cannot open image file '" + m.image + "'");
            std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
            if (bytes.size() > m.size)
                throw config_error(m.image_pos, "image '" + m.image + "' (" + std::to_string(bytes.size()) +
                                                    " bytes) does not fit in memory '" + m.name + "' of size " +
                                                    format_size(m.size));
            mem->load(0, bytes.data(), bytes.size());
        }
        map(mem->socket, m.base, m.size, m.name, m.base_pos);
        m_memories.push_back(std::move(mem));
    }

    for (const DeviceDesc& d : desc.devices) {
        const DeviceType* type = find_device_type(d.type);
        OptionReader options(d.options, d.pos);
        std::unique_ptr<Device> dev;
        try {
            dev = type->create(DeviceConfig{d.name, d.type, d.base, d.size, options});
        } catch (const ConfigError&) {
            throw;
        } catch (const std::exception& e) {
            throw config_error(d.pos, "cannot create device '" + d.name + "' (" + d.type + "): " + e.what());
        }
        if (!dev) throw config_error(d.pos, "cannot create device '" + d.name + "' (" + d.type + ")");
        options.finish();
        map(dev->bus_socket(), d.base, d.size, d.name, d.base_pos);
        m_devices.push_back(std::move(dev));
    }

    for (const RtlDesc& r : desc.rtl) {
        presil::rtl::BridgeConfig cfg;
        cfg.model = r.model;
        cfg.plugin = r.plugin;
        std::unique_ptr<presil::rtl::RtlBridge> bridge;
        try {
            if (!r.bus.empty()) cfg.bus = presil::rtl::parse_bus(r.bus);
            cfg.clock_period = sc_core::sc_time(1e12 / static_cast<double>(r.clock_hz), sc_core::SC_PS);
            cfg.reset_port = r.reset_port;
            cfg.reset_active_low = r.reset_active_low;
            cfg.reset_cycles = r.reset_cycles;
            cfg.naming.prefix = r.prefix;
            for (const auto& [conv, actual] : r.ports) cfg.naming.rename[conv] = actual;
            for (const IrqBinding& irq : r.irqs)
                if (!irq.output.empty()) cfg.irq_ports.push_back(irq.output);
            cfg.clocking = r.per_edge ? presil::rtl::Clocking::PerEdge : presil::rtl::Clocking::Lazy;
            cfg.sync_period = r.sync == sc_core::SC_ZERO_TIME ? m_quantum : r.sync;
            cfg.trace_file = r.trace;
            cfg.check_protocol = r.check;
            cfg.checker_timeout = r.check_timeout;
            bridge = std::make_unique<presil::rtl::RtlBridge>(r.name.c_str(), cfg);
        } catch (const presil::rtl::RtlError& e) {
            std::string_view why = e.what();
            if (why.starts_with(r.name + ": ")) why.remove_prefix(r.name.size() + 2);  // the bridge's own prefix
            throw config_error(r.pos, "RTL peripheral '" + r.name + "': " + std::string(why));
        }
        map(bridge->bus_socket(), r.base, r.size, r.name, r.base_pos);
        m_rtl.push_back(std::move(bridge));
    }

    for (const CpuDesc& c : desc.cpus) {
        const CpuType* type = find_cpu_type(c.isa);
        if (m_cpus.empty()) m_traits = type->traits;
        OptionReader options(c.options, c.pos);
        std::unique_ptr<CpuModule> cpu;
        try {
            cpu = type->create(CpuConfig{c.name, c.isa, c.model, c.timing, c.clock_hz, m_quantum, options, rt});
        } catch (const ConfigError&) {
            throw;
        } catch (const std::exception& e) {
            throw config_error(c.pos, "cannot create CPU '" + c.name + "' (" + c.isa + "): " + e.what());
        }
        if (!cpu) throw config_error(c.pos, "cannot create CPU '" + c.name + "' (" + c.isa + ")");
        options.finish();
        cpu->bus_socket().bind(m_router->target_socket);
        m_cpu_list.push_back(cpu.get());
        m_cpus.push_back(std::move(cpu));
    }

    // Interrupts go to the first CPU's interrupt controller.
    for (size_t i = 0; i < desc.devices.size(); ++i) {
        const DeviceDesc& d = desc.devices[i];
        Device& dev = *m_devices[i];
        for (const IrqBinding& irq : d.irqs) {
            std::vector<std::string> names = dev.irq_names();
            std::string list;
            for (const std::string& n : names) list += (list.empty() ? "" : ", ") + (n.empty() ? "(single output)" : n);
            tlm::IrqOut* out = dev.irq_out(irq.output);
            if (!out && irq.output.empty())
                throw config_error(irq.pos, "device '" + d.name + "' (" + d.type + ") has " +
                                                (names.empty() ? "no interrupt outputs"
                                                               : "several interrupt outputs (" + list +
                                                                     "); expected a map of output name to number"));
            if (!out)
                throw config_error(irq.pos, "device '" + d.name + "' (" + d.type + ") has no interrupt output '" +
                                                irq.output + "' (outputs: " + (list.empty() ? "none" : list) + ")");
            CpuModule& cpu = *m_cpu_list.front();
            unsigned limit = cpu.num_irqs();
            if (limit != 0 && irq.line >= limit)
                throw config_error(irq.pos, "IRQ " + std::to_string(irq.line) + " is out of range for CPU '" +
                                                desc.cpus.front().name + "' (" + std::to_string(limit) + " inputs: 0-" +
                                                std::to_string(limit - 1) + ")");
            out->connect(cpu.irq_input(), irq.line);
            m_irq_routes.push_back(IrqRoute{d.name, irq.output, desc.cpus.front().name, irq.line});
        }
    }
    for (size_t i = 0; i < desc.rtl.size(); ++i) {
        const RtlDesc& r = desc.rtl[i];
        presil::rtl::RtlBridge& bridge = *m_rtl[i];
        for (const IrqBinding& irq : r.irqs) {
            tlm::IrqOut* out = bridge.irq_out(irq.output);
            if (!out)
                throw config_error(irq.pos, "RTL peripheral '" + r.name + "' (" + r.what() + ") has no interrupt output" +
                                                (irq.output.empty() ? std::string() : " '" + irq.output + "'") +
                                                " (name its output ports in a map, e.g. irq: { done: 5 })");
            CpuModule& cpu = *m_cpu_list.front();
            unsigned limit = cpu.num_irqs();
            if (limit != 0 && irq.line >= limit)
                throw config_error(irq.pos, "IRQ " + std::to_string(irq.line) + " is out of range for CPU '" +
                                                desc.cpus.front().name + "' (" + std::to_string(limit) + " inputs: 0-" +
                                                std::to_string(limit - 1) + ")");
            out->connect(cpu.irq_input(), irq.line);
            std::string port = irq.output.empty() ? bridge.irq_names().front() : irq.output;
            m_irq_routes.push_back(IrqRoute{r.name, port, desc.cpus.front().name, irq.line});
        }
    }
}

Board::~Board() = default;

void Board::elaborate() {
    if (m_elaborated) return;
    try {
        sc_core::sc_get_curr_simcontext()->elaborate();
    } catch (const std::exception& e) {
        throw config_error(m_desc.pos, std::string("elaboration failed: ") + e.what());
    }
    if (sc_core::sc_get_curr_simcontext()->get_error())
        throw config_error(m_desc.pos, "elaboration failed (see the SystemC report above)");
    m_elaborated = true;
}

Device* Board::device(std::string_view name) const {
    for (size_t i = 0; i < m_devices.size(); ++i)
        if (m_desc.devices[i].name == name) return m_devices[i].get();
    return nullptr;
}

presil::rtl::RtlBridge* Board::rtl(std::string_view name) const {
    for (size_t i = 0; i < m_rtl.size(); ++i)
        if (m_desc.rtl[i].name == name) return m_rtl[i].get();
    return nullptr;
}

tlm::Memory* Board::memory(std::string_view name) const {
    for (size_t i = 0; i < m_memories.size(); ++i)
        if (m_desc.memories[i].name == name) return m_memories[i].get();
    return nullptr;
}

const MemoryDesc* Board::memory_at(uint64_t addr, uint64_t size) const {
    for (const MemoryDesc& m : m_desc.memories)
        if (addr >= m.base && addr - m.base <= m.size && size <= m.size - (addr - m.base)) return &m;
    return nullptr;
}

void Board::print(std::ostream& out) const {
    out << "board " << m_desc.name;
    if (!m_desc.description.empty()) out << ": " << m_desc.description;
    out << "\n";
    out << "quantum " << format_time_ps(static_cast<uint64_t>(m_quantum.to_seconds() * 1e12 + 0.5))
        << ", semihosting " << (m_desc.semihosting ? "on" : "off") << "\n";
    out << "\nCPUs:\n";
    if (m_desc.cpus.empty()) out << "  (none)\n";
    for (const CpuDesc& c : m_desc.cpus)
        out << fmt::format("  {:<12} isa {:<10} model {:<12} clock {:<8} timing {}\n", c.name, c.isa, c.model,
                           format_frequency(c.clock_hz), c.timing);

    struct Row {
        std::string name;
        uint64_t base, size;
        std::string type;
    };
    std::vector<Row> rows;
    for (const MemoryDesc& m : m_desc.memories) rows.push_back({m.name, m.base, m.size, m.type});
    for (const DeviceDesc& d : m_desc.devices) rows.push_back({d.name, d.base, d.size, d.type});
    for (size_t i = 0; i < m_rtl.size(); ++i) {
        const RtlDesc& r = m_desc.rtl[i];
        rows.push_back({r.name, r.base, r.size,
                        fmt::format("rtl {} ({}, {}, {})", r.what(), presil::rtl::bus_name(m_rtl[i]->bus()),
                                    format_frequency(r.clock_hz), r.per_edge ? "per-edge" : "lazy")});
    }
    std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.base < b.base; });
    out << "\nMemory map:\n";
    out << fmt::format("  {:<12} {:<10} {:<10} {:>8}  {}\n", "name", "base", "end", "size", "type");
    for (const Row& r : rows)
        out << fmt::format("  {:<12} 0x{:08x} 0x{:08x} {:>8}  {}\n", r.name, r.base, r.base + r.size - 1,
                           format_size(r.size), r.type);

    out << "\nIRQ routing:\n";
    if (m_irq_routes.empty()) out << "  (none)\n";
    for (const IrqRoute& r : m_irq_routes)
        out << fmt::format("  {:<20} -> {} IRQ {}\n", r.output.empty() ? r.device : r.device + "." + r.output, r.cpu,
                           r.line);
}

}  // namespace presil::platform
