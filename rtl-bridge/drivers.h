// SPDX-License-Identifier: Apache-2.0
// The bus drivers behind make_bus_driver(): one per protocol, each in its own file.
#pragma once

#include <memory>

#include "rtl-bridge/bridge.h"

namespace presil::rtl {

/// APB3/APB4 driver (apb.cpp).
std::unique_ptr<BusDriver> make_apb_driver(RtlBridge& bridge);
/// AXI4-Lite driver (axi_lite.cpp).
std::unique_ptr<BusDriver> make_axi_lite_driver(RtlBridge& bridge);

}  // namespace presil::rtl
