// SPDX-License-Identifier: Apache-2.0
// `presil rtl build`: builds user Verilog into an RTL plugin shared library (runs presil-rtl-build).
#pragma once

#include <string>
#include <vector>

#include "rtl-bridge/model.h"

namespace presil::rtl {

/// What to build; mirrors `presil rtl build --top TOP --bus apb|axi-lite -o libNAME.so FILES.v`.
struct PluginBuild {
    std::string top;                          ///< Verilog top module
    Bus bus = Bus::Apb;                       ///< its bus protocol
    std::string output;                       ///< shared library to write
    std::vector<std::string> sources;         ///< Verilog files
    std::vector<std::string> verilator_args;  ///< extra verilator arguments
    std::string work_dir;                     ///< keep intermediate files here (default: temporary)
    unsigned jobs = 2;                        ///< parallel compiler processes
};

/// Path of the presil-rtl-build script used by build_plugin().
std::string build_script_path();

/// Runs the build; returns the script's exit status (0 = success). Output goes to stdout/stderr.
int build_plugin(const PluginBuild& build);

}  // namespace presil::rtl
