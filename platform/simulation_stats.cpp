// SPDX-License-Identifier: Apache-2.0
// Simulation's statistics side: turning the CPU measurements on, determinism checkpoints,
// and the --stats=json document written on every way out of run().
#include <cerrno>
#include <cstring>
#include <iostream>

#include "platform/simulation.h"
#include "platform/stats.h"

namespace presil::platform {

void Simulation::setup_stats() {
    if (m_opts.stats || !m_opts.stats_json.empty()) {
        StatsSetup setup;
        for (const RtlDesc& r : m_board->desc().rtl) setup.rtl_windows.emplace_back(r.base, r.size);
        for (CpuModule* cpu : m_board->cpus()) cpu->enable_stats(setup);
    }
    if (!m_opts.checkpoint_log.empty()) {
        m_checkpoint_file.reset(std::fopen(m_opts.checkpoint_log.c_str(), "w"));
        if (!m_checkpoint_file)
            throw ConfigError("presil: cannot write checkpoints to '" + m_opts.checkpoint_log +
                              "': " + std::strerror(errno));
        for (CpuModule* cpu : m_board->cpus()) cpu->enable_checkpoints(m_checkpoint_file.get(), m_opts.perturb_at);
    }
}

void Simulation::finish_stats(int status, std::string_view message, bool cpus) noexcept {
    if (m_checkpoint_file && cpus) std::fflush(m_checkpoint_file.get());
    // The watchdog's thread and the simulation thread may both get here: write once.
    if (m_opts.stats_json.empty() || !claim_stats_write()) return;
    try {
        RunReport r;
        r.board = m_board ? m_board->desc().name : std::string();
        r.quantum = m_board ? m_board->quantum() : sc_core::SC_ZERO_TIME;
        r.simulated = sc_core::sc_time_stamp();
        r.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - m_wall_start).count();
        r.end.status = status;
        r.end.message = std::string(message);
        if (!message.empty() && status == kExitRuntimeError) r.end.reason = "error";
        else if (m_rt.exit_requested()) r.end.reason = "guest-exit";
        else if (status == kExitSimTimeLimit) r.end.reason = "max-time";
        else if (status == kExitWallTimeLimit) r.end.reason = "max-wall";
        else if (status == kExitRuntimeError) r.end.reason = "idle";
        else r.end.reason = "stopped";
        if (cpus && m_board) {
            for (CpuModule* cpu : m_board->cpus()) {
                CpuReport c;
                if (cpu->report_stats(c)) r.cpus.push_back(std::move(c));
            }
        }
        write_stats_json(m_opts.stats_json, r);
    } catch (const std::exception& e) {
        std::cerr << "presil: " << e.what() << "\n";
    }
}

}  // namespace presil::platform
