// SPDX-License-Identifier: Apache-2.0
// Deliberately broken RTL plugins for the loader tests (built as MODULE libraries).
#include "rtl-bridge/plugin_abi.h"

namespace {

const presil_rtl_port kPorts[] = {{"PCLK", PRESIL_RTL_IN, 1, 1}};

const presil_rtl_plugin kBad = {
    999u, sizeof(presil_rtl_plugin), "bad", PRESIL_RTL_BUS_APB, 1, kPorts,
    nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr,
};

}  // namespace

#ifdef PRESIL_BAD_PLUGIN_NO_ENTRY
/// Exports something else than the entry point.
extern "C" const presil_rtl_plugin* presil_rtl_plugin_v0() { return &kBad; }
#else
/// Entry point with an ABI version from the future.
extern "C" const presil_rtl_plugin* presil_rtl_plugin_entry() { return &kBad; }
#endif
