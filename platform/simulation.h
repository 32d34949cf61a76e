// SPDX-License-Identifier: Apache-2.0
// One simulation run: board + program + run loop with simulated/wall-time limits and exit codes.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <cstdio>

#include <systemc>

#include "platform/board.h"
#include "platform/board_builder.h"
#include "platform/elf_loader.h"
#include "platform/log/logger.h"
#include "platform/log/timeline.h"
#include "platform/gdb/server.h"
#include "platform/runtime.h"

namespace presil::platform {

/// Exit statuses of `presil` (besides the guest's own).
enum ExitStatus : int {
    kExitOk = 0,             ///< success (or the guest's status 0)
    kExitRuntimeError = 1,   ///< a run-time error (bad ELF, bus error, SystemC error)
    kExitConfigError = 2,    ///< the board description or the command line is wrong
    kExitSimTimeLimit = 3,   ///< --max-time reached before the guest exited
    kExitWallTimeLimit = 4,  ///< --max-wall reached before the guest exited
    kExitDiverged = 5,       ///< --check-determinism: the two runs differ
    kExitDebuggerKill = 6,   ///< the debugger ended the run (gdb `kill`)
};

/// What `presil run` was asked to do.
struct RunOptions {
    std::string kernel;                              ///< ELF to load (empty = none)
    sc_core::sc_time quantum;                        ///< overrides the board's quantum when non-zero
    std::optional<sc_core::sc_time> max_time;        ///< simulated-time limit
    std::optional<std::chrono::nanoseconds> max_wall;  ///< wall-time limit
    bool stats = false;                              ///< print statistics at the end
    std::optional<uint16_t> gdb_port;                ///< --gdb: GDB stub on 127.0.0.1:port (0: any free port)
    bool gdb_wait = false;                           ///< -S: stop before the first instruction for GDB
    uint32_t log_mask = 0;                           ///< -d categories (log::Category bits)
    std::string log_file;                            ///< -D file (empty: stderr)
    std::vector<log::AddrRange> log_filter;          ///< -dfilter ranges (empty: everything)
    std::string trace_file;                          ///< --trace timeline JSON (empty: none)
    std::string stats_json;                          ///< --stats=json FILE (empty: none)
    std::string checkpoint_log;                      ///< determinism checkpoints, one line per sync (empty: none)
    uint64_t perturb_at = 0;                         ///< test hook: shift CPU time by a cycle after this many instructions
};

/// Elaborates a board, loads a program and runs it; the guest stops it through request_exit().
class Simulation {
public:
    /// Loads and builds `desc`, loads `opts.kernel`; throws ConfigError or ElfError.
    Simulation(const BoardDesc& desc, RunOptions opts);
    ~Simulation();

    /// Runs until the guest exits or a limit is reached; returns the exit status (see ExitStatus).
    int run(std::ostream& log);
    /// The guest's exit: records `status` and stops the simulation (run() returns it).
    void request_exit(int status) { m_rt.request_exit(status); }

    /// The elaborated board.
    Board& board() { return *m_board; }
    /// Shared run-time state handed to the CPU modules.
    BoardRuntime& runtime() { return m_rt; }
    /// The loaded program, nullptr when none.
    const ElfImage* image() const { return m_image.get(); }
    /// Writes --stats=json after run() threw `message` (exit status 1).
    void finish_stats_on_error(std::string_view message) noexcept { finish_stats(kExitRuntimeError, message); }

private:
    /// Names bus regions for the logs and marks RTL peripherals on the timeline.
    void observe_board();
    /// Turns on CPU statistics and checkpoints as the options ask (simulation_stats.cpp).
    void setup_stats();
    /// Writes --stats=json for a run that ended with `status` (reason derived from it); with
    /// `cpus` false only the board-level part (from another thread, the run still going).
    void finish_stats(int status, std::string_view message = {}, bool cpus = true) noexcept;

    std::chrono::steady_clock::time_point m_wall_start = std::chrono::steady_clock::now();
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> m_checkpoint_file{nullptr, &std::fclose};
    RunOptions m_opts;
    std::unique_ptr<log::Logger> m_logger;      ///< -d/-D (outlives the board)
    std::unique_ptr<log::Timeline> m_timeline;  ///< --trace (outlives the board)
    log::Observability m_observability;         ///< what BoardRuntime hands the CPU modules
    BoardRuntime m_rt;
    std::unique_ptr<Board> m_board;
    std::unique_ptr<ElfImage> m_image;
    std::unique_ptr<gdb::Server> m_gdb;  ///< --gdb stub (destroyed before the board)
};

}  // namespace presil::platform
