// SPDX-License-Identifier: Apache-2.0
// One simulation run: elaboration, program loading, the sc_start loop with its limits.
#include "platform/simulation.h"

#include <condition_variable>
#include <functional>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <sstream>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include "platform/units.h"

namespace presil::platform {

Simulation::Simulation(const BoardDesc& desc, RunOptions opts) : m_opts(std::move(opts)) {
    // A guest exit calls sc_stop(); SystemC's note about it would land in the guest's console output.
    sc_core::sc_report_handler::set_actions("/OSCI/SystemC", sc_core::SC_INFO, sc_core::SC_DO_NOTHING);
    // Logs and timeline first: CPU modules pick them up when they are built.
    if (m_opts.log_mask || !m_opts.log_file.empty())
        m_logger = std::make_unique<log::Logger>(m_opts.log_mask, m_opts.log_file, m_opts.log_filter);
    if (!m_opts.trace_file.empty()) m_timeline = std::make_unique<log::Timeline>(m_opts.trace_file);
    m_observability.logger = m_logger.get();
    m_observability.timeline = m_timeline.get();
    if (m_logger || m_timeline) m_rt.set_observability(&m_observability);
    m_board = std::make_unique<Board>(desc, m_rt, m_opts.quantum);
    m_board->elaborate();
    if (m_logger || m_timeline) observe_board();
    if (!m_opts.kernel.empty()) {
        m_image = std::make_unique<ElfImage>(ElfImage::read(m_opts.kernel, m_board->cpu_traits()));
        m_image->load_into(*m_board);
        m_rt.set_image(m_image.get());
    }
    for (CpuModule* cpu : m_board->cpus()) {
        if (m_image) cpu->set_entry(m_image->entry());
        cpu->reset();
    }
    setup_stats();
    if (m_opts.gdb_port) {
        // GDB stub: every CPU module that offers debug access is a thread.
        std::vector<gdb::DebugCpu*> cpus;
        for (CpuModule* cpu : m_board->cpus())
            if (auto* d = dynamic_cast<gdb::DebugCpu*>(cpu)) cpus.push_back(d);
        gdb::ServerHooks hooks;
        hooks.stats = [this] {
            std::ostringstream out;
            for (CpuModule* cpu : m_board->cpus()) cpu->print_stats(out);
            return out.str();
        };
        hooks.kill = [this] { m_rt.request_exit(kExitDebuggerKill); };
        try {
            m_gdb = std::make_unique<gdb::Server>(*m_opts.gdb_port, m_opts.gdb_wait, std::move(cpus), hooks);
        } catch (const std::runtime_error& e) {
            throw ConfigError(std::string("presil: ") + e.what());
        }
        std::cerr << "presil: gdb: listening on 127.0.0.1:" << m_gdb->port()
                  << (m_opts.gdb_wait ? " (waiting for the debugger before the first instruction)" : "") << std::endl;
    }
}

Simulation::~Simulation() = default;

void Simulation::observe_board() {
    // Region names for mmio lines and timeline tracks; RTL peripherals are marked.
    m_observability.region = [this](uint64_t addr) -> log::Region {
        const tlm::Router::MapEntry* e = m_board->router().find(addr);
        if (!e) return {"unmapped", 0};
        return {(m_board->rtl(e->name) ? "rtl " : "") + e->name, addr - e->base};
    };
    if (m_timeline) {
        // RTL signals stay in their VCD files (--trace-rtl); the timeline names them at time 0
        // (same simulated-time origin), and their bus transactions appear on "bus" tracks.
        for (const RtlDesc& r : m_board->desc().rtl) {
            const int tid = m_timeline->track("rtl " + r.name);
            m_timeline->instant(tid, r.trace.empty() ? "rtl (no VCD)" : "VCD " + r.trace, "rtl", sc_core::SC_ZERO_TIME,
                                fmt::format("\"vcd\":{},\"base\":\"{:#x}\"", log::Timeline::quote(r.trace), r.base));
        }
    }
}

namespace {

/// Ends the process with kExitWallTimeLimit when the kernel does not come back from sc_start
/// in time (a model that never yields); the normal limit check is between sc_start slices.
class Watchdog {
public:
    /// `on_timeout` runs before the process ends (closes logs and the timeline).
    Watchdog(std::chrono::nanoseconds limit, std::function<void()> on_timeout = {}) {
        m_thread = std::thread([this, limit, on_timeout] {
            std::unique_lock lock(m_mutex);
            if (m_cv.wait_for(lock, limit + kGrace, [this] { return m_done; })) return;
            if (on_timeout) on_timeout();
            std::fflush(stdout);
            std::cerr << "presil: wall-time limit reached (the simulation did not return control)" << std::endl;
            std::_Exit(kExitWallTimeLimit);
        });
    }
    ~Watchdog() {
        {
            std::lock_guard lock(m_mutex);
            m_done = true;
        }
        m_cv.notify_all();
        m_thread.join();
    }
    Watchdog(const Watchdog&) = delete;
    Watchdog& operator=(const Watchdog&) = delete;

private:
    static constexpr std::chrono::seconds kGrace{2};
    std::mutex m_mutex;
    std::condition_variable m_cv;
    bool m_done = false;
    std::thread m_thread;
};

}  // namespace

int Simulation::run(std::ostream& log) {
    using clock = std::chrono::steady_clock;
    const auto wall_start = clock::now();
    m_wall_start = wall_start;
    std::unique_ptr<Watchdog> watchdog;
    if (m_opts.max_wall) {
        watchdog = std::make_unique<Watchdog>(*m_opts.max_wall, [this] {
            if (m_logger) m_logger->flush();
            if (m_timeline) m_timeline->close();
            finish_stats(kExitWallTimeLimit, "the simulation did not return control", false);
        });
    }
    // The kernel runs in slices so the wall-time limit is checked between them.
    const sc_core::sc_time slice = std::max(m_board->quantum() * 100, sc_core::sc_time(1, sc_core::SC_US));
    // Board::elaborate() finished elaboration by hand; sc_start wants the kernel initialised
    // (start_of_simulation callbacks, processes made runnable but not run yet).
    if (sc_core::sc_get_status() == sc_core::SC_END_OF_ELABORATION)
        sc_core::sc_get_curr_simcontext()->initialize(true);
    int status = kExitOk;
    for (;;) {
        if (m_rt.exit_requested()) {
            status = m_rt.exit_status();
            break;
        }
        if (sc_core::sc_get_status() == sc_core::SC_STOPPED) break;
        const sc_core::sc_time now = sc_core::sc_time_stamp();
        sc_core::sc_time step = slice;
        if (m_opts.max_time) {
            if (now >= *m_opts.max_time) {
                log << "presil: simulated-time limit of " << m_opts.max_time->to_string() << " reached\n";
                status = kExitSimTimeLimit;
                break;
            }
            step = std::min(step, *m_opts.max_time - now);
        } else if (now != sc_core::SC_ZERO_TIME && !sc_core::sc_pending_activity() &&
                   !(m_gdb && m_gdb->connected())) {
            // (With GDB connected the kernel waits in sc_start for the debugger instead.)
            log << "presil: the simulation has nothing left to do at " << now.to_string()
                << " and the guest reported no exit status\n";
            status = kExitRuntimeError;
            break;
        }
        sc_core::sc_start(step);
        if (m_opts.max_wall && !m_rt.exit_requested() && clock::now() - wall_start >= *m_opts.max_wall) {
            log << "presil: wall-time limit reached at simulated time " << sc_core::sc_time_stamp().to_string() << "\n";
            status = kExitWallTimeLimit;
            break;
        }
    }
    if (m_opts.stats) {
        const double wall = std::chrono::duration<double>(clock::now() - wall_start).count();
        log << fmt::format("presil: simulated {} in {:.3f} s wall time\n", sc_core::sc_time_stamp().to_string(), wall);
        for (CpuModule* cpu : m_board->cpus()) cpu->print_stats(log);
    }
    if (m_gdb) m_gdb->exited(status);
    finish_stats(status);
    return status;
}

}  // namespace presil::platform
