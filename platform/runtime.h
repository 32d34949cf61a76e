// SPDX-License-Identifier: Apache-2.0
// Run-time services a board offers its CPU modules: exit requests, semihosting switch, symbols.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace presil::platform {

class ElfImage;
namespace log {
struct Observability;
}  // namespace log

/// Shared state of one simulation run; CPU modules report the guest's exit through it.
class BoardRuntime {
public:
    /// The guest asked to stop with `status` (semihosting SYS_EXIT...): records it and calls sc_stop().
    void request_exit(int status);
    /// True once request_exit() was called.
    bool exit_requested() const { return m_exit_status.has_value(); }
    /// The status given to request_exit() (0 when none was requested).
    int exit_status() const { return m_exit_status.value_or(0); }

    /// Whether the board enables semihosting (BKPT 0xAB).
    bool semihosting() const { return m_semihosting; }
    /// Sets the semihosting switch (the board builder does).
    void set_semihosting(bool on) { m_semihosting = on; }

    /// The loaded program, nullptr before an ELF is loaded (symbols for logs and gdb).
    const ElfImage* image() const { return m_image; }
    /// Records the loaded program (not owned).
    void set_image(const ElfImage* image) { m_image = image; }

    /// The -d log and --trace timeline (nullptr: both off); set before the board is built.
    const log::Observability* observability() const { return m_observability; }
    /// Installs the logs and timeline (not owned).
    void set_observability(const log::Observability* o) { m_observability = o; }

    /// Command line given to the guest (semihosting SYS_GET_CMDLINE).
    const std::string& command_line() const { return m_command_line; }
    /// Sets the guest's command line.
    void set_command_line(std::string line) { m_command_line = std::move(line); }

private:
    std::optional<int> m_exit_status;
    bool m_semihosting = false;
    const ElfImage* m_image = nullptr;
    const log::Observability* m_observability = nullptr;
    std::string m_command_line;
};

}  // namespace presil::platform
