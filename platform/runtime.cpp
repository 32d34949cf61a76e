// SPDX-License-Identifier: Apache-2.0
// Run-time services of a board: the guest's exit request stops the simulation.
#include "platform/runtime.h"

#include <systemc>

namespace presil::platform {

void BoardRuntime::request_exit(int status) {
    if (m_exit_status) return;
    m_exit_status = status;
    sc_core::sc_stop();
}

}  // namespace presil::platform
