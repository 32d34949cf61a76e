// SPDX-License-Identifier: Apache-2.0
// The `presil` command: run, check and list YAML boards; build RTL plugins.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "platform/board.h"
#include "platform/board_builder.h"
#include "platform/determinism.h"
#include "platform/log/logger.h"
#include "platform/simulation.h"
#include "platform/suite/suite.h"
#include "platform/units.h"
#include "rtl-bridge/build.h"

namespace fs = std::filesystem;
using namespace presil::platform;

namespace {

constexpr const char* kExitHelp =
    "Exit status:\n"
    "  0      success (or the guest's own exit status when it reports one, e.g. semihosting SYS_EXIT)\n"
    "  1      run-time error (bad ELF, SystemC error)\n"
    "  2      configuration error (board file, options; printed as FILE:LINE:COLUMN: message)\n"
    "  3      simulated-time limit (--max-time) reached\n"
    "  4      wall-time limit (--max-wall) reached\n"
    "  5      --check-determinism: the two runs diverged\n"
    "  6      the debugger ended the run (gdb `kill`)\n";

/// The folder of bundled boards: $PRESIL_BOARDS_DIR, else the source tree's boards/.
fs::path boards_dir() {
    if (const char* env = std::getenv("PRESIL_BOARDS_DIR"); env && *env) return env;
    return PRESIL_BOARDS_DIR;
}

int list_boards() {
    fs::path dir = boards_dir();
    std::error_code ec;
    std::vector<fs::path> files;
    for (const fs::directory_entry& e : fs::directory_iterator(dir, ec))
        if (e.path().extension() == ".yaml") files.push_back(e.path());
    if (ec) {
        std::cerr << "presil: cannot read the boards folder " << dir.string() << ": " << ec.message() << "\n";
        return kExitConfigError;
    }
    std::sort(files.begin(), files.end());
    std::cout << "Boards in " << dir.string() << ":\n";
    for (const fs::path& p : files) {
        std::string description;
        try {
            YAML::Node root = YAML::LoadFile(p.string());
            if (root.IsMap() && root["description"] && root["description"].IsScalar())
                description = root["description"].Scalar();
        } catch (const YAML::Exception& e) {
            description = std::string("(unreadable: ") + e.what() + ")";
        }
        std::cout << fmt::format("  {:<24} {}\n", p.filename().string(), description);
    }
    if (files.empty()) std::cout << "  (none)\n";
    return kExitOk;
}

int check_board(const std::string& file) {
    BoardDesc desc = load_board(file);
    BoardRuntime rt;
    Board board(desc, rt);
    board.elaborate();
    board.print(std::cout);
    return kExitOk;
}

/// `presil rtl build`: user Verilog → RTL plugin library (exit status of the build).
int rtl_build(presil::rtl::PluginBuild build, const std::string& bus) {
    try {
        build.bus = presil::rtl::parse_bus(bus);
    } catch (const presil::rtl::RtlError&) {
        std::cerr << "presil rtl build: --bus: expected apb or axi-lite, not '" << bus << "'\n";
        return kExitConfigError;
    }
    return presil::rtl::build_plugin(build);
}

/// Gives every RTL peripheral of `desc` a VCD file DIR/NAME.vcd (unless the board names one).
void trace_rtl(BoardDesc& desc, const std::string& dir) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) throw ConfigError("presil: --trace-rtl: cannot create folder '" + dir + "': " + ec.message());
    for (RtlDesc& r : desc.rtl)
        if (r.trace.empty()) r.trace = (fs::path(dir) / (r.name + ".vcd")).string();
}

/// CLI11 validator for times with units.
struct TimeValidator : CLI::Validator {
    TimeValidator() : CLI::Validator("TIME") {
        func_ = [](const std::string& s) -> std::string {
            try {
                parse_time_ps(s);
                return {};
            } catch (const UnitError& e) {
                return e.what();
            }
        };
    }
};

/// QEMU spellings CLI11 cannot declare: `-dfilter X` is read as `--dfilter X`.
/// Returns true when `-d help` asks for the category list.
bool qemu_log_spellings(int argc, char** argv) {
    static std::vector<std::string> rewritten;  // argv must outlive parsing
    rewritten.reserve(static_cast<size_t>(argc));
    bool help = false;
    for (int i = 1; i < argc; ++i) {
        const std::string_view a = argv[i];
        if (a == "-dfilter" || a.rfind("-dfilter=", 0) == 0) {
            rewritten.push_back("-" + std::string(a));
            argv[i] = rewritten.back().data();
        }
        if ((a == "-d" && i + 1 < argc && std::string_view(argv[i + 1]) == "help") || a == "-dhelp") help = true;
    }
    return help;
}

}  // namespace

int sc_main(int argc, char** argv) {
    CLI::App app{"presil: co-simulation emulator (binary-translated CPUs, SystemC/TLM devices, YAML boards)", "presil"};
    app.footer(kExitHelp);
    app.require_subcommand(1);

    std::string board_file, kernel, quantum, max_time, max_wall, trace_dir;
    std::string gdb_address;
    bool gdb_wait = false;
    std::string log_categories, log_file, log_filter, timeline_file;
    bool stats = false;
    std::vector<std::string> stats_args;
    std::string stats_json;
    bool check_det = false;
    std::string checkpoint_log;
    uint64_t perturb_at = 0;
    const TimeValidator time_check;

    CLI::App* run = app.add_subcommand("run", "Run a board, optionally with a program");
    run->add_option("board", board_file, "Board description (YAML)")->required();
    run->add_option("--kernel,-k", kernel, "ELF program to load into the board's memories");
    run->add_option("--quantum", quantum, "Global quantum, overrides the board's (e.g. 10us)")->check(time_check);
    run->add_option("--max-time", max_time, "Stop after this much simulated time (exit 3), e.g. 1s")->check(time_check);
    run->add_option("--max-wall", max_wall, "Stop after this much wall-clock time (exit 4), e.g. 30s")->check(time_check);
    run->add_option("--stats", stats_args,
                    "Statistics at the end: `--stats` prints them to stderr, `--stats=json FILE` writes them as JSON "
                    "(both may be given; see docs/debugging.md)")
        ->expected(0, 2)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
        ->option_text("[json FILE]");
    run->add_flag("--check-determinism", check_det,
                  "Run twice (child processes) and report the first divergence: instruction count, pc, simulated "
                  "time (exit 0: the runs match, 5: they diverge)");
    run->add_option("--checkpoint-log", checkpoint_log, "Write a determinism checkpoint per sync to FILE")->group("");
    run->add_option("--perturb-at", perturb_at, "Test hook: shift CPU time by one cycle after N instructions")->group("");
    run->add_option("--gdb", gdb_address,
                    "GDB remote stub on 127.0.0.1:PORT (`:0` picks a free port and prints it; docs/debugging.md)")
        ->option_text("[localhost]:PORT");
    run->add_flag("-S", gdb_wait, "With --gdb: wait for the debugger before the first instruction");
    run->add_option("--trace-rtl", trace_dir, "Write a VCD of every RTL peripheral to DIR/NAME.vcd (unless the board names one)")
        ->option_text("DIR");
    run->add_option("-d", log_categories, "Log categories, QEMU style (comma-separated; `-d help` lists them)")
        ->option_text("CAT[,CAT...]");
    run->add_option("-D", log_file, "Write the -d log to FILE (default: stderr)")->option_text("FILE");
    run->add_option("--dfilter", log_filter,
                    "Only log guest pcs (and mmio addresses) in these ranges: START+SIZE or START..END, "
                    "comma-separated (QEMU's -dfilter also accepted)")
        ->option_text("RANGE[,RANGE]");
    run->add_option("--trace,--timeline", timeline_file,
                    "Write a timeline of the run (Chrome/Perfetto trace-event JSON on simulated time: instruction "
                    "counts, syncs, bus transactions, interrupts, RTL traces)")
        ->option_text("FILE");
    run->footer(kExitHelp);

    CLI::App* check = app.add_subcommand("check", "Validate a board, elaborate it and print its memory map");
    check->add_option("board", board_file, "Board description (YAML)")->required();

    CLI::App* rtl = app.add_subcommand("rtl", "RTL peripherals (Verilog) for boards' rtl: entries");
    rtl->require_subcommand(1);
    presil::rtl::PluginBuild plugin;
    std::string plugin_bus;
    CLI::App* rtl_build_cmd = rtl->add_subcommand(
        "build", "Verilate Verilog into an RTL plugin library for a board's `rtl: - { plugin: libNAME.so, ... }`");
    rtl_build_cmd->add_option("--top", plugin.top, "Top module")->required();
    rtl_build_cmd->add_option("--bus", plugin_bus, "Its bus protocol: apb or axi-lite")->required();
    rtl_build_cmd->add_option("-o,--output", plugin.output, "Library to write (libNAME.so)")->required();
    rtl_build_cmd->add_option("--work", plugin.work_dir, "Keep intermediate files in this folder (default: a temporary one)");
    rtl_build_cmd->add_option("-j,--jobs", plugin.jobs, "Parallel compiler processes")->capture_default_str();
    rtl_build_cmd->add_option("--verilator-arg", plugin.verilator_args, "Extra verilator argument (repeatable)")
        ->expected(1)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
    rtl_build_cmd->footer("Exit status: 0 built; 2 bad arguments; otherwise the status of the failing build step.");
    rtl_build_cmd->add_option("files", plugin.sources, "Verilog sources")->required();

    CLI::App* boards = app.add_subcommand("boards", "List the bundled boards ($PRESIL_BOARDS_DIR overrides the folder)");

    presil::platform::suite::TestOptions test_opts;
    CLI::App* test = app.add_subcommand("test", "Run a test suite (YAML): each case a `presil run`; see docs/testing.md");
    test->add_option("suite", test_opts.suite_file, "Suite description (YAML)")->required();
    test->add_option("-j,--jobs", test_opts.jobs, "Cases run in parallel")->capture_default_str();
    test->add_option("--define,-D", test_opts.defines, "VAR=VALUE for ${VAR} in the suite (repeatable)");
    test->add_option("--junit", test_opts.junit, "Write a JUnit XML report");
    test->add_option("--json", test_opts.json, "Write a JSON summary");
    test->add_option("--artifacts", test_opts.artifacts, "Keep console log, stderr and stats of failed cases in DIR")
        ->option_text("DIR");
    test->add_option("--shard", test_opts.shard, "Run only shard K of N (case index mod N == K-1)")->option_text("K/N");
    test->add_option("--quanta", test_opts.quanta, "Rerun every case with each quantum; report cases that differ")
        ->delimiter(',')->option_text("Q1,Q2,...");
    test->add_option("--filter", test_opts.filter, "Only cases whose name contains this text");
    test->add_flag("--list", test_opts.list, "List the selected cases and exit");
    test->add_option("--presil", test_opts.presil, "presil binary to run the cases (default: this one)");
    test->footer("Exit status: 0 every case passed, 1 a case failed (or is flaky with --quanta), 2 bad suite");

    if (argc > 1 && std::string_view(argv[1]) == "run" && qemu_log_spellings(argc, argv)) {
        std::cout << presil::platform::log::categories_help();
        return kExitOk;
    }
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        int rc = app.exit(e);
        return rc == 0 ? kExitOk : kExitConfigError;
    }

    try {
        if (*boards) return list_boards();
        if (*test) return presil::platform::suite::run_tests(test_opts);
        if (*check) return check_board(board_file);
        if (*rtl_build_cmd) return rtl_build(plugin, plugin_bus);
        for (size_t i = 0; i < stats_args.size(); ++i) {
            // `--stats` alone, `--stats=text`, `--stats=json FILE` (or `--stats json FILE`).
            if (stats_args[i].empty() || stats_args[i] == "text") {
                stats = true;
            } else if (stats_args[i] == "json" && i + 1 < stats_args.size() && !stats_args[i + 1].empty()) {
                stats_json = stats_args[++i];
            } else {
                std::cerr << "presil: --stats: expected `--stats`, `--stats=text` or `--stats=json FILE`, not '"
                          << stats_args[i] << "' (put the board file before --stats)\n";
                return kExitConfigError;
            }
        }
        if (check_det) {
            // The same command line minus the determinism options, run twice by check_determinism().
            std::vector<std::string> args;
            for (int i = 1; i < argc; ++i) {
                const std::string_view a = argv[i];
                if (a == "--check-determinism" || a.rfind("--perturb-at=", 0) == 0) continue;
                if (a == "--perturb-at") {
                    ++i;
                    continue;
                }
                args.emplace_back(a);
            }
            return check_determinism(args, perturb_at, std::cerr);
        }
        RunOptions opts;
        opts.kernel = kernel;
        if (!gdb_address.empty()) {
            opts.gdb_port = presil::gdb::parse_listen_address(gdb_address);
            if (!opts.gdb_port) {
                std::cerr << "presil: --gdb: expected PORT, :PORT or localhost:PORT (0-65535; loopback only), not '"
                          << gdb_address << "'\n";
                return kExitConfigError;
            }
        }
        if (gdb_wait && !opts.gdb_port) {
            std::cerr << "presil: -S waits for a debugger: it needs --gdb\n";
            return kExitConfigError;
        }
        opts.gdb_wait = gdb_wait;
        opts.stats = stats;
        opts.stats_json = stats_json;
        opts.checkpoint_log = checkpoint_log;
        opts.perturb_at = perturb_at;
        if (!log_categories.empty()) opts.log_mask = presil::platform::log::parse_categories(log_categories);
        if (!log_filter.empty()) opts.log_filter = presil::platform::log::parse_filter(log_filter);
        opts.log_file = log_file;
        opts.trace_file = timeline_file;
        if (!quantum.empty()) {
            opts.quantum = parse_time(quantum);
            if (opts.quantum == sc_core::SC_ZERO_TIME) {
                std::cerr << "presil: --quantum: expected a time greater than zero\n";
                return kExitConfigError;
            }
        }
        if (!max_time.empty()) opts.max_time = parse_time(max_time);
        if (!max_wall.empty()) opts.max_wall = std::chrono::nanoseconds(parse_time_ps(max_wall) / 1000);
        BoardDesc desc = load_board(board_file);
        if (!trace_dir.empty()) trace_rtl(desc, trace_dir);
        Simulation sim(desc, opts);
        try {
            return sim.run(std::cerr);
        } catch (const std::exception& e) {
            sim.finish_stats_on_error(e.what());
            throw;
        }
    } catch (const ConfigError& e) {
        std::cerr << e.what() << "\n";
        write_error_stats(stats_json, kExitConfigError, "config-error", e.what());
        return kExitConfigError;
    } catch (const ElfError& e) {
        std::cerr << "presil: " << e.what() << "\n";
        write_error_stats(stats_json, kExitRuntimeError, "error", e.what());
        return kExitRuntimeError;
    } catch (const std::exception& e) {
        std::cerr << "presil: " << e.what() << "\n";
        write_error_stats(stats_json, kExitRuntimeError, "error", e.what());
        return kExitRuntimeError;
    }
}

/// Silences SystemC's banner (unless the user set SC_COPYRIGHT_MESSAGE), then runs sc_main.
int main(int argc, char** argv) {
    ::setenv("SC_COPYRIGHT_MESSAGE", "DISABLE", 0);
    return sc_core::sc_elab_and_sim(argc, argv);
}
