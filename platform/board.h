// SPDX-License-Identifier: Apache-2.0
// A board description read from YAML (with includes merged) and validated.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <systemc>
#include <yaml-cpp/yaml.h>

#include "platform/options.h"

namespace presil::platform {

/// One interrupt output of a device bound to an interrupt-controller input.
struct IrqBinding {
    std::string output;  ///< device's output name ("" = its single output)
    unsigned line;       ///< interrupt-controller input of the first CPU
    SourcePos pos;       ///< where the number was written
};

/// A `cpus:` entry.
struct CpuDesc {
    std::string name;                           ///< instance name
    std::string isa;                            ///< CPU registry key
    std::string model;                          ///< core model (defaults to the isa)
    std::string timing;                         ///< timing table (defaults to the model)
    uint64_t clock_hz = 0;                      ///< clock in Hz
    std::vector<OptionReader::Entry> options;   ///< `options:` after merging
    SourcePos pos;                              ///< the entry
    SourcePos isa_pos;                          ///< the isa value
};

/// A `memories:` entry.
struct MemoryDesc {
    std::string name;                      ///< instance name
    std::string type;                      ///< ram | rom | flash
    uint64_t base = 0;                     ///< bus address
    uint64_t size = 0;                     ///< bytes
    sc_core::sc_time latency;              ///< access latency (reads and writes)
    std::string image;                     ///< initial contents file (resolved path), empty if none
    SourcePos pos, base_pos, size_pos, image_pos;  ///< the entry and its values
    /// True for rom and flash (bus writes refused; the loader writes them by debug access).
    bool read_only() const { return type != "ram"; }
};

/// A `devices:` entry.
struct DeviceDesc {
    std::string name;                          ///< instance name
    std::string type;                          ///< device registry key
    uint64_t base = 0;                         ///< bus address
    uint64_t size = 0;                         ///< window size
    std::vector<IrqBinding> irqs;              ///< interrupt routing
    std::vector<OptionReader::Entry> options;  ///< `options:` after merging
    SourcePos pos, type_pos, base_pos, size_pos;  ///< the entry and its values
};

/// An `rtl:` entry: a Verilated peripheral behind an APB or AXI4-Lite bridge (rtl-bridge/).
struct RtlDesc {
    std::string name;                          ///< instance name
    std::string model;                         ///< built-in model name (empty when plugin is set)
    std::string plugin;                        ///< plugin library path, resolved against the board file
    std::string bus;                           ///< expected bus ("apb", "axi-lite"), empty = the model's
    uint64_t base = 0;                         ///< bus address
    uint64_t size = 0;                         ///< window size
    uint64_t clock_hz = 0;                     ///< RTL clock (default: the first CPU's clock)
    std::string reset_port;                    ///< reset input (empty = PRESETn / ARESETn)
    bool reset_active_low = true;              ///< reset polarity
    unsigned reset_cycles = 2;                 ///< rising edges with reset asserted
    bool per_edge = false;                     ///< clocking: per-edge instead of lazy
    sc_core::sc_time sync;                     ///< lazy catch-up period (zero = the board quantum)
    std::string prefix;                        ///< prefix of the conventional port names
    std::vector<std::pair<std::string, std::string>> ports;  ///< conventional name -> actual port
    std::vector<IrqBinding> irqs;              ///< interrupt routing (output = port name)
    std::string trace;                         ///< VCD file (relative to the working directory), empty = none
    bool check = false;                        ///< protocol checker on
    unsigned check_timeout = 64;               ///< checker: cycles the RTL may keep the bus waiting
    SourcePos pos, model_pos, bus_pos, base_pos, size_pos;  ///< the entry and its values
    /// "model apb_timer" or "plugin libx.so", for messages and the memory map.
    std::string what() const;
};

/// A whole board.
struct BoardDesc {
    std::string file;                  ///< the top-level YAML file
    std::string name;                  ///< `board:`
    std::string description;           ///< `description:`
    sc_core::sc_time quantum;          ///< `quantum:` (10us when absent)
    bool semihosting = false;          ///< `semihosting:`
    std::vector<CpuDesc> cpus;         ///< in file order
    std::vector<MemoryDesc> memories;  ///< in file order
    std::vector<DeviceDesc> devices;   ///< in file order
    std::vector<RtlDesc> rtl;          ///< in file order
    SourcePos pos;                     ///< the document
};

/// Reads `path` (following `include:`), checks keys, units, types, address ranges and IRQ lines;
/// throws ConfigError "FILE:LINE:COLUMN: what was expected".
BoardDesc load_board(const std::string& path);

}  // namespace presil::platform
