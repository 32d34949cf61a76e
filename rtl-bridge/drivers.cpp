// SPDX-License-Identifier: Apache-2.0
// make_bus_driver(): the table from bus protocol to driver factory.
#include "rtl-bridge/drivers.h"

namespace presil::rtl {

namespace {

struct DriverRow {
    Bus bus;
    std::unique_ptr<BusDriver> (*make)(RtlBridge&);
};

constexpr DriverRow kDrivers[] = {
    {Bus::Apb, make_apb_driver},
    {Bus::AxiLite, make_axi_lite_driver},
};

}  // namespace

std::unique_ptr<BusDriver> make_bus_driver(Bus bus, RtlBridge& bridge) {
    for (const auto& row : kDrivers)
        if (row.bus == bus) return row.make(bridge);
    throw RtlError("no bus driver for this protocol");
}

}  // namespace presil::rtl
