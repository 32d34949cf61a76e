// SPDX-License-Identifier: Apache-2.0
// RtlBridge: a TLM-2.0 target that drives a Verilated model's APB or AXI4-Lite pins, clocks it lazily
// (or per edge), samples its interrupt pins, traces it to VCD and optionally checks the protocol.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

#include "rtl-bridge/checker.h"
#include "rtl-bridge/model.h"
#include "tlm/irq.h"

namespace presil::rtl {

/// How the RTL clock is advanced.
enum class Clocking {
    Lazy,     ///< catch up before each transaction and every sync_period
    PerEdge,  ///< a SystemC process steps the RTL at every rising edge
};

/// Parses "lazy" / "per-edge" (also "per_edge", "edge"); throws RtlError otherwise.
Clocking parse_clocking(std::string_view text);

/// Everything one RTL instance needs; this is what a board's `rtl:` entry maps to.
struct BridgeConfig {
    std::string model;      ///< built-in model name (presil_add_rtl NAME); ignored when plugin is set
    std::string plugin;     ///< path of a plugin shared library (presil rtl build)
    std::optional<Bus> bus; ///< expected bus; default: the model's own; a mismatch is an error
    sc_core::sc_time clock_period{10, sc_core::SC_NS};  ///< RTL clock period
    std::string clock_port;  ///< clock input; default PCLK (APB) / ACLK (AXI4-Lite), through naming
    std::string reset_port;  ///< reset input; default PRESETn / ARESETn, through naming
    bool reset_active_low = true;  ///< reset polarity
    unsigned reset_cycles = 2;     ///< rising edges with reset asserted at time 0
    PortNaming naming;             ///< prefix and rename map for the bus, clock and reset ports
    std::vector<std::string> irq_ports;  ///< interrupt outputs; default {"irq"} when the top has one
    Clocking clocking = Clocking::Lazy;  ///< lazy or per-edge
    sc_core::sc_time sync_period{1, sc_core::SC_US};  ///< lazy mode: catch-up period (quantum)
    std::string trace_file;        ///< VCD file; empty = no trace
    bool check_protocol = false;   ///< run the protocol checker on the bus pins
    unsigned checker_timeout = 64; ///< checker: cycles the RTL may keep the bus waiting
    unsigned max_wait_cycles = 100000;  ///< bridge: give up a transfer after this many cycles
};

/// Result of one bus transfer on the pins.
enum class BusResponse { Okay, SlaveError, DecodeError, Timeout };

class RtlBridge;

/// Drives one bus protocol on the model's pins; one per bridge.
class BusDriver {
public:
    virtual ~BusDriver() = default;
    /// One 32-bit write of `data` with byte strobes `strb` at word address `addr`.
    virtual BusResponse write(uint32_t addr, uint32_t data, uint8_t strb, uint8_t prot) = 0;
    /// One 32-bit read at word address `addr` into `data`.
    virtual BusResponse read(uint32_t addr, uint32_t& data, uint8_t prot) = 0;
    /// Samples the bus pins for the protocol checker before the edge at `time_ps`.
    virtual void check(uint64_t time_ps) = 0;
    /// Width of the address port in bits.
    virtual unsigned address_bits() const = 0;
};

/// Creates the driver for `bus`, binding its pins on `bridge`'s model (throws RtlError).
std::unique_ptr<BusDriver> make_bus_driver(Bus bus, RtlBridge& bridge);

/// The bridge module: bind `socket` to a router; connect irq_out(name) to an interrupt controller.
class RtlBridge : public sc_core::sc_module {
public:
    /// TLM target socket (32-bit data path; addresses are offsets inside the peripheral).
    tlm_utils::simple_target_socket<RtlBridge, 32> socket;

    SC_HAS_PROCESS(RtlBridge);
    /// Creates the model (built in or plugin), binds ports and applies reset; throws RtlError.
    RtlBridge(sc_core::sc_module_name name, BridgeConfig config);
    ~RtlBridge() override;

    /// The TLM target socket (same as `socket`), for board builders.
    ::tlm::tlm_target_socket<32>& bus_socket() { return socket; }
    /// Interrupt output named like its port; "" = the first one; nullptr when unknown.
    presil::tlm::IrqOut* irq_out(std::string_view name);
    /// Names of the interrupt outputs (the port names).
    std::vector<std::string> irq_names() const;

    /// The model instance.
    Model& model() { return *m_model; }
    /// The configuration in use.
    const BridgeConfig& config() const { return m_config; }
    /// The bus in use.
    Bus bus() const { return m_bus; }
    /// Rising clock edges executed so far.
    uint64_t cycles() const { return m_cycles; }
    /// Simulated time of rising edge `n` (edge n happens at n × clock period).
    sc_core::sc_time edge_time(uint64_t n) const;
    /// The protocol checker's violations (empty when checking is off).
    const std::vector<Violation>& violations() const;
    /// Runs the RTL up to simulated time `t` (every edge at or before t) and samples interrupts.
    void advance_to(const sc_core::sc_time& t);
    /// Bus cycles spent in transfers (including wait states) since construction.
    uint64_t bus_cycles() const { return m_bus_cycles; }

    // Used by the bus drivers.
    /// Evaluates the model with the current inputs (clock unchanged).
    void settle() { m_model->eval(); }
    /// One full clock cycle: rising edge, then falling edge.
    void step() {
        rise();
        fall();
    }
    /// Rising clock edge (inputs set before it are sampled by the RTL at this edge).
    void rise();
    /// Falling clock edge; also settles inputs changed since the rising edge.
    void fall();
    /// Binds a bus port by conventional name through the configured naming.
    Pin bus_pin(std::string_view conv, bool required, bool output, uint32_t min_w, uint32_t max_w);
    /// The configured instance name, for messages.
    const std::string& instance() const { return m_instance; }
    /// The protocol checker for APB, or nullptr.
    ApbChecker* apb_checker() { return m_apb_checker.get(); }
    /// The protocol checker for AXI4-Lite, or nullptr.
    AxiLiteChecker* axi_checker() { return m_axi_checker.get(); }

private:
    void b_transport(::tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
    unsigned transport_dbg(::tlm::tlm_generic_payload& trans);
    void sync_method();
    void edge_method();
    void sample_irqs();
    void end_of_simulation() override;

    BridgeConfig m_config;
    std::string m_instance;
    std::unique_ptr<PluginLibrary> m_plugin;
    std::unique_ptr<Model> m_model;
    Bus m_bus = Bus::Apb;
    std::unique_ptr<BusDriver> m_driver;
    Pin m_clk, m_rst;
    uint64_t m_rst_active = 0, m_rst_inactive = 1;
    struct Irq {
        std::string name;
        Pin pin;
        std::unique_ptr<presil::tlm::IrqOut> out;
    };
    std::vector<Irq> m_irqs;
    uint64_t m_period = 0;  // in SystemC time resolution units
    uint64_t m_cycles = 0;
    uint64_t m_bus_cycles = 0;
    double m_ps_per_unit = 1.0;
    std::unique_ptr<ApbChecker> m_apb_checker;
    std::unique_ptr<AxiLiteChecker> m_axi_checker;
};

}  // namespace presil::rtl
