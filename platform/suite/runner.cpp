// SPDX-License-Identifier: Apache-2.0
// Runs a suite: one `presil run` child process per case run, in parallel, then reports (console, JUnit, JSON).
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <regex>
#include <sstream>
#include <thread>

#include <fmt/format.h>

#include "platform/suite/suite.h"
#include "platform/units.h"

extern char** environ;

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace presil::platform::suite {

namespace {

/// Result categories of a case run.
enum class Outcome { Pass, Fail, Timeout, Crash };

/// Console names of the outcomes, indexed by Outcome.
constexpr const char* kOutcomeNames[] = {"PASS", "FAIL", "TIMEOUT", "CRASH"};

/// Lines of `text` ("\r\n" read as "\n").
std::vector<std::string> split_lines(const std::string& text) {
    std::vector<std::string> lines;
    std::string line;
    std::istringstream in(text);
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        lines.push_back(line);
    }
    return lines;
}

/// `text` with every "[time] " line reduced to its prefix.
std::string normalise_time(const std::string& text) {
    std::string out;
    for (const std::string& line : split_lines(text)) out += (line.rfind("[time] ", 0) == 0 ? "[time] ..." : line) + "\n";
    return out;
}

/// The whole content of a file ("" when unreadable).
std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

/// One run of one case (a case runs once per repeat and per quantum of --quanta).
struct Job {
    const SuiteCase* c = nullptr;   ///< the case
    std::string label;              ///< case name, with "@QUANTUM" and "#REPEAT" when several runs
    std::string quantum;            ///< quantum given to presil ("" = the case's)
    std::vector<std::string> argv;  ///< the presil command line
    fs::path out_file, err_file;    ///< captured stdout and stderr
    pid_t pid = -1;                 ///< running child
    Clock::time_point start;        ///< when it started
    bool killed = false;            ///< killed by the runner at its wall-time limit
    int status = 0;                 ///< waitpid status
    double seconds = 0;             ///< wall time
    Outcome outcome = Outcome::Pass;  ///< the verdict
    std::string reason;             ///< why it did not pass
    std::string console, errors;    ///< stdout and stderr
    std::string artifacts;          ///< artifact folder ("" = none)
};

/// Starts `job`'s child process with stdout/stderr redirected to files; throws on failure.
void spawn(Job& job) {
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    posix_spawn_file_actions_init(&fa);
    posix_spawnattr_init(&attr);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, job.out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&fa, 2, job.err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attr, 0);
    std::vector<char*> argv;
    for (std::string& a : job.argv) argv.push_back(a.data());
    argv.push_back(nullptr);
    job.start = Clock::now();
    int rc = posix_spawn(&job.pid, argv[0], &fa, &attr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    if (rc != 0) throw std::runtime_error(fmt::format("cannot start {}: {}", job.argv[0], std::strerror(rc)));
}

/// The first non-empty line of `text` (for reasons).
std::string first_line(const std::string& text) {
    for (const std::string& l : split_lines(text))
        if (!l.empty()) return l;
    return {};
}

/// Where `actual` first differs from `expected` (1-based line), with both lines.
std::string first_difference(const std::string& expected, const std::string& actual) {
    std::vector<std::string> e = split_lines(expected), a = split_lines(actual);
    for (size_t i = 0; i < std::max(e.size(), a.size()); ++i) {
        std::string el = i < e.size() ? e[i] : "<end of output>", al = i < a.size() ? a[i] : "<end of output>";
        if (el != al) return fmt::format("line {}: expected '{}', got '{}'", i + 1, el, al);
    }
    return "line endings differ";
}

/// Checks `job`'s console against the case's expectation; "" when it matches, else why not.
std::string check_output(const Job& job) {
    const SuiteCase& c = *job.c;
    switch (c.check) {
    case OutputCheck::None: return {};
    case OutputCheck::Exact:
        if (split_lines(job.console) == split_lines(c.expect_text)) return {};
        return "console output differs from the expected text: " + first_difference(c.expect_text, job.console);
    case OutputCheck::Regex:
        if (std::regex_search(job.console, std::regex(c.expect_text, std::regex::ECMAScript))) return {};
        return fmt::format("console output does not match the regex /{}/", c.expect_text);
    case OutputCheck::Golden: {
        std::string golden = read_file(c.expect_text);
        if (golden_match(job.console, golden)) return {};
        return fmt::format("console output differs from {}: {}", c.expect_text,
                           first_difference(normalise_time(golden), normalise_time(job.console)));
    }
    }
    return {};
}

/// Decides the outcome of a finished job.
void judge(Job& job) {
    job.console = read_file(job.out_file);
    job.errors = read_file(job.err_file);
    const SuiteCase& c = *job.c;
    if (job.killed) {
        job.outcome = Outcome::Timeout;
        job.reason = fmt::format("wall-time limit {} reached: process killed", c.max_wall);
        return;
    }
    if (WIFSIGNALED(job.status)) {
        int sig = WTERMSIG(job.status);
        job.outcome = Outcome::Crash;
        job.reason = fmt::format("killed by signal {} ({})", sig, strsignal(sig));
        return;
    }
    int code = WEXITSTATUS(job.status);
    if (code != c.expect_exit) {
        std::string err = first_line(job.errors);
        std::string detail = err.empty() ? "" : ": " + err;
        if (code == 3) {
            job.outcome = Outcome::Timeout;
            job.reason = fmt::format("simulated-time limit {} reached (exit status 3, expected {})",
                                     c.max_time.empty() ? "(from the arguments)" : c.max_time, c.expect_exit);
        } else if (code == 4) {
            job.outcome = Outcome::Timeout;
            job.reason = fmt::format("wall-time limit reached (exit status 4, expected {})", c.expect_exit);
        } else if (code == 1) {
            job.outcome = Outcome::Crash;
            job.reason = fmt::format("run-time error (exit status 1, expected {}){}", c.expect_exit, detail);
        } else if (code == 2) {
            job.outcome = Outcome::Fail;
            job.reason = fmt::format("configuration error (exit status 2, expected {}){}", c.expect_exit, detail);
        } else {
            job.outcome = Outcome::Fail;
            job.reason = fmt::format("exit status {}, expected {}", code, c.expect_exit);
        }
        return;
    }
    std::string why = check_output(job);
    job.outcome = why.empty() ? Outcome::Pass : Outcome::Fail;
    job.reason = why;
}

/// Process groups of the running cases, for the interrupt handler (0 = free slot).
constexpr size_t kMaxRunning = 256;
volatile sig_atomic_t g_running[kMaxRunning];

/// SIGINT/SIGTERM/SIGHUP: kill the cases' process groups (they do not get the terminal's signals), then die.
extern "C" void on_interrupt(int sig) {
    for (size_t i = 0; i < kMaxRunning; ++i)
        if (g_running[i] > 0) ::kill(-static_cast<pid_t>(g_running[i]), SIGKILL);
    ::signal(sig, SIG_DFL);
    ::raise(sig);
}

/// Records (or clears, with pid 0) a running case's process group in slot `slot`.
void track(size_t slot, pid_t pid) {
    if (slot < kMaxRunning) g_running[slot] = pid;
}

/// Parses "K/N" (1 <= K <= N); throws SuiteError.
std::pair<unsigned, unsigned> parse_shard(const std::string& s) {
    unsigned k = 0, n = 0;
    char slash = 0, extra = 0;
    std::istringstream in(s);
    if (!(in >> k >> slash >> n) || slash != '/' || (in >> extra) || n == 0 || k == 0 || k > n)
        throw SuiteError(fmt::format("--shard: expected K/N with 1 <= K <= N, not '{}'", s));
    return {k, n};
}

/// A file-system friendly form of a label.
std::string safe_name(const std::string& label) {
    std::string s = label;
    for (char& ch : s)
        if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '-' && ch != '_' && ch != '.') ch = '_';
    return s;
}

/// Shell-like rendering of a command line (for logs).
std::string command_line(const std::vector<std::string>& argv) {
    std::string s;
    for (const std::string& a : argv) s += (s.empty() ? "" : " ") + a;
    return s;
}

/// Writes the JUnit XML report.
void write_junit(const std::string& file, const Suite& suite, const std::vector<Job>& jobs, double seconds) {
    size_t failures = 0, errors = 0;
    for (const Job& j : jobs) {
        if (j.outcome == Outcome::Crash) ++errors;
        else if (j.outcome != Outcome::Pass) ++failures;
    }
    std::ofstream out(file);
    if (!out) throw std::runtime_error(fmt::format("cannot write the JUnit report '{}'", file));
    out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    out << fmt::format("<testsuites name=\"{0}\" tests=\"{1}\" failures=\"{2}\" errors=\"{3}\" time=\"{4:.3f}\">\n",
                       xml_escape(suite.name), jobs.size(), failures, errors, seconds);
    out << fmt::format("  <testsuite name=\"{0}\" tests=\"{1}\" failures=\"{2}\" errors=\"{3}\" skipped=\"0\" time=\"{4:.3f}\">\n",
                       xml_escape(suite.name), jobs.size(), failures, errors, seconds);
    for (const Job& j : jobs) {
        out << fmt::format("    <testcase name=\"{}\" classname=\"{}\" time=\"{:.3f}\">\n", xml_escape(j.label),
                           xml_escape(suite.name), j.seconds);
        const char* name = kOutcomeNames[static_cast<int>(j.outcome)];
        if (j.outcome == Outcome::Crash)
            out << fmt::format("      <error type=\"{}\" message=\"{}\">{}</error>\n", name, xml_escape(j.reason),
                               xml_escape(j.reason + "\n" + command_line(j.argv)));
        else if (j.outcome != Outcome::Pass)
            out << fmt::format("      <failure type=\"{}\" message=\"{}\">{}</failure>\n", name, xml_escape(j.reason),
                               xml_escape(j.reason + "\n" + command_line(j.argv)));
        out << "      <system-out>" << xml_escape(j.console) << "</system-out>\n";
        out << "      <system-err>" << xml_escape(j.errors) << "</system-err>\n";
        out << "    </testcase>\n";
    }
    out << "  </testsuite>\n</testsuites>\n";
}

/// Writes the JSON summary.
void write_json(const std::string& file, const Suite& suite, const std::vector<Job>& jobs, size_t passed,
                const std::vector<std::string>& flaky, const std::string& shard, double seconds) {
    std::ofstream out(file);
    if (!out) throw std::runtime_error(fmt::format("cannot write the JSON summary '{}'", file));
    out << "{\n";
    out << fmt::format("  \"suite\": \"{}\",\n  \"file\": \"{}\",\n  \"shard\": \"{}\",\n", json_escape(suite.name),
                       json_escape(suite.file), json_escape(shard));
    out << fmt::format("  \"total\": {},\n  \"passed\": {},\n  \"failed\": {},\n  \"seconds\": {:.3f},\n", jobs.size(),
                       passed, jobs.size() - passed, seconds);
    out << "  \"flaky\": [";
    for (size_t i = 0; i < flaky.size(); ++i) out << (i ? ", " : "") << '"' << json_escape(flaky[i]) << '"';
    out << "],\n  \"cases\": [\n";
    for (size_t i = 0; i < jobs.size(); ++i) {
        const Job& j = jobs[i];
        int code = WIFEXITED(j.status) && !j.killed ? WEXITSTATUS(j.status) : -1;
        out << fmt::format(
            "    {{\"name\": \"{}\", \"case\": \"{}\", \"quantum\": \"{}\", \"outcome\": \"{}\", \"exit\": {}, "
            "\"seconds\": {:.3f}, \"reason\": \"{}\", \"artifacts\": \"{}\"}}{}\n",
            json_escape(j.label), json_escape(j.c->name), json_escape(j.quantum.empty() ? j.c->quantum : j.quantum),
            kOutcomeNames[static_cast<int>(j.outcome)], code, j.seconds, json_escape(j.reason), json_escape(j.artifacts),
            i + 1 < jobs.size() ? "," : "");
    }
    out << "  ]\n}\n";
}

/// Parses VAR=VALUE defines; throws SuiteError.
std::map<std::string, std::string> parse_defines(const std::vector<std::string>& defines) {
    std::map<std::string, std::string> out;
    for (const std::string& d : defines) {
        size_t eq = d.find('=');
        if (eq == 0 || eq == std::string::npos) throw SuiteError(fmt::format("--define: expected VAR=VALUE, not '{}'", d));
        out[d.substr(0, eq)] = d.substr(eq + 1);
    }
    return out;
}

}  // namespace

bool golden_match(const std::string& output, const std::string& golden) {
    return normalise_time(output) == normalise_time(golden);
}

/// Length of the valid UTF-8 sequence at text[i] (0 when invalid).
static size_t utf8_length(const std::string& text, size_t i) {
    const unsigned char u = static_cast<unsigned char>(text[i]);
    const size_t n = u < 0x80 ? 1 : (u >> 5) == 0x6 ? 2 : (u >> 4) == 0xe ? 3 : (u >> 3) == 0x1e ? 4 : 0;
    if (n == 0 || i + n > text.size()) return 0;
    for (size_t k = 1; k < n; ++k)
        if ((static_cast<unsigned char>(text[i + k]) & 0xc0) != 0x80) return 0;
    return n;
}

std::string xml_escape(const std::string& text) {
    std::string out;
    out.reserve(text.size());
    for (size_t i = 0; i < text.size(); ++i) {
        const char ch = text[i];
        unsigned char u = static_cast<unsigned char>(ch);
        if (u >= 0x80) {
            // Invalid UTF-8 (a guest may print any byte) would make the whole report unreadable.
            size_t n = utf8_length(text, i);
            if (n == 0) out += fmt::format("\\x{:02x}", u);
            else out.append(text, i, n), i += n - 1;
            continue;
        }
        switch (ch) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&apos;"; break;
        default:
            // XML 1.0 forbids most control characters, even escaped.
            if (u < 0x20 && ch != '\n' && ch != '\t' && ch != '\r') out += fmt::format("\\x{:02x}", u);
            else out += ch;
        }
    }
    return out;
}

std::string json_escape(const std::string& text) {
    std::string out;
    for (size_t i = 0; i < text.size(); ++i) {
        const char ch = text[i];
        unsigned char u = static_cast<unsigned char>(ch);
        if (u >= 0x80) {
            size_t n = utf8_length(text, i);
            if (n == 0) out += fmt::format("\\\\x{:02x}", u);
            else out.append(text, i, n), i += n - 1;
            continue;
        }
        if (ch == '"' || ch == '\\') out += '\\', out += ch;
        else if (ch == '\n') out += "\\n";
        else if (ch == '\t') out += "\\t";
        else if (u < 0x20) out += fmt::format("\\u{:04x}", u);
        else out += ch;
    }
    return out;
}

int run_tests(const TestOptions& opts) {
    Suite suite;
    std::pair<unsigned, unsigned> shard{1, 1};
    try {
        suite = load_suite(opts.suite_file, parse_defines(opts.defines));
        if (!opts.shard.empty()) shard = parse_shard(opts.shard);
        for (const std::string& q : opts.quanta) {
            try {
                if (parse_time_ps(q) == 0) throw UnitError("expected a time greater than zero");
            } catch (const UnitError& e) {
                throw SuiteError(fmt::format("--quanta: '{}': {}", q, e.what()));
            }
        }
    } catch (const SuiteError& e) {
        std::cerr << e.what() << "\n";
        return 2;
    }

    // The deterministic shard: case i (0-based, file order) belongs to shard (i mod N) + 1.
    std::vector<const SuiteCase*> selected;
    for (size_t i = 0; i < suite.cases.size(); ++i)
        if (i % shard.second == shard.first - 1 &&
            (opts.filter.empty() || suite.cases[i].name.find(opts.filter) != std::string::npos))
            selected.push_back(&suite.cases[i]);
    if (opts.list) {
        for (const SuiteCase* c : selected) std::cout << c->name << "\n";
        return 0;
    }

    std::string presil = opts.presil;
    if (presil.empty()) {
        std::error_code ec;
        presil = fs::read_symlink("/proc/self/exe", ec).string();
        if (ec) {
            std::cerr << "presil test: cannot find the presil binary (/proc/self/exe): " << ec.message() << "\n";
            return 1;
        }
    }
    const char* tmp_env = std::getenv("TMPDIR");
    std::string tmp_pattern = (tmp_env && *tmp_env ? std::string(tmp_env) : std::string("/tmp")) + "/presil-test-XXXXXX";
    std::vector<char> pattern(tmp_pattern.begin(), tmp_pattern.end());
    pattern.push_back('\0');
    char* made = mkdtemp(pattern.data());
    if (!made) {
        std::cerr << "presil test: cannot create a temporary folder: " << std::strerror(errno) << "\n";
        return 1;
    }
    const fs::path work = made;

    // Jobs: every selected case × quantum of --quanta (or its own) × repeat.
    std::vector<Job> jobs;
    std::vector<std::string> quanta = opts.quanta.empty() ? std::vector<std::string>{""} : opts.quanta;
    for (const SuiteCase* c : selected)
        for (const std::string& q : quanta)
            for (unsigned r = 1; r <= c->repeat; ++r) {
                Job j;
                j.c = c;
                j.quantum = q;
                j.label = c->name;
                if (!q.empty()) j.label += "@" + q;
                if (c->repeat > 1) j.label += fmt::format("#{}", r);
                j.argv = {presil, "run", c->board};
                if (!c->firmware.empty()) j.argv.insert(j.argv.end(), {"--kernel", c->firmware});
                std::string quantum = q.empty() ? c->quantum : q;
                if (!quantum.empty()) j.argv.insert(j.argv.end(), {"--quantum", quantum});
                if (!c->max_time.empty()) j.argv.insert(j.argv.end(), {"--max-time", c->max_time});
                j.argv.push_back("--stats");
                j.argv.insert(j.argv.end(), c->args.begin(), c->args.end());
                std::string base = fmt::format("{:04}-{}", jobs.size(), safe_name(j.label));
                j.out_file = work / (base + ".out");
                j.err_file = work / (base + ".err");
                jobs.push_back(std::move(j));
            }

    std::cout << fmt::format("presil test: suite '{}': {} run(s) of {} case(s){}, -j {}\n", suite.name, jobs.size(),
                             selected.size(), opts.shard.empty() ? "" : ", shard " + opts.shard,
                             std::clamp(opts.jobs, 1u, static_cast<unsigned>(kMaxRunning)))
              << std::flush;
    const auto suite_start = Clock::now();
    const unsigned parallel = std::clamp(opts.jobs, 1u, static_cast<unsigned>(kMaxRunning));
    for (int sig : {SIGINT, SIGTERM, SIGHUP}) ::signal(sig, on_interrupt);
    std::vector<size_t> slot_of(jobs.size(), kMaxRunning);
    size_t next = 0, done = 0;
    std::vector<Job*> running;
    int exit_status = 0;
    while (done < jobs.size()) {
        while (running.size() < parallel && next < jobs.size()) {
            Job& j = jobs[next++];
            try {
                spawn(j);
                running.push_back(&j);
                for (size_t k = 0; k < kMaxRunning; ++k)
                    if (g_running[k] == 0) {
                        slot_of[&j - jobs.data()] = k;
                        track(k, j.pid);
                        break;
                    }
            } catch (const std::exception& e) {
                j.outcome = Outcome::Crash;
                j.reason = e.what();
                ++done;
            }
        }
        bool progressed = false;
        for (auto it = running.begin(); it != running.end();) {
            Job& j = **it;
            int status = 0;
            pid_t r = waitpid(j.pid, &status, WNOHANG);
            const auto now = Clock::now();
            if (r == 0 && j.c->max_wall_ns &&
                now - j.start >= std::chrono::nanoseconds(j.c->max_wall_ns) && !j.killed) {
                ::kill(-j.pid, SIGKILL);  // the child's own process group: only this case
                j.killed = true;
            }
            if (r == 0) {
                ++it;
                continue;
            }
            track(slot_of[&j - jobs.data()], 0);
            j.status = status;
            j.seconds = std::chrono::duration<double>(now - j.start).count();
            judge(j);
            ++done;
            progressed = true;
            std::string line = fmt::format("[{:>{}}/{}] {:<7} {} ({:.2f} s)", done, std::to_string(jobs.size()).size(),
                                           jobs.size(), kOutcomeNames[static_cast<int>(j.outcome)], j.label, j.seconds);
            if (j.outcome != Outcome::Pass) line += ": " + j.reason;
            std::cout << line << "\n" << std::flush;
            it = running.erase(it);
        }
        if (!progressed) std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    for (int sig : {SIGINT, SIGTERM, SIGHUP}) ::signal(sig, SIG_DFL);
    const double seconds = std::chrono::duration<double>(Clock::now() - suite_start).count();

    // Artifacts of the runs that did not pass.
    if (!opts.artifacts.empty()) {
        std::error_code ec;
        fs::create_directories(opts.artifacts, ec);
        for (Job& j : jobs) {
            if (j.outcome == Outcome::Pass) continue;
            fs::path dir = fs::path(opts.artifacts) / safe_name(j.label);
            fs::create_directories(dir, ec);
            std::ofstream(dir / "console.log", std::ios::binary) << j.console;
            std::ofstream(dir / "stderr.log", std::ios::binary) << j.errors;
            std::ofstream(dir / "result.txt") << kOutcomeNames[static_cast<int>(j.outcome)] << ": " << j.reason << "\n"
                                              << "command: " << command_line(j.argv) << "\n";
            j.artifacts = dir.string();
        }
        if (ec) std::cerr << "presil test: --artifacts: " << ec.message() << "\n";
    }

    // Flaky by timing: runs of one case (other quanta, repeats) whose outcome or output differ.
    std::vector<std::string> flaky;
    for (size_t i = 0; i < jobs.size();) {
        size_t end = i;
        while (end < jobs.size() && jobs[end].c == jobs[i].c) ++end;
        for (size_t k = i + 1; k < end; ++k) {
            if (jobs[k].outcome != jobs[i].outcome || normalise_time(jobs[k].console) != normalise_time(jobs[i].console)) {
                flaky.push_back(jobs[i].c->name);
                std::cout << fmt::format("FLAKY   {}: {} ({}) and {} ({}) differ in {}\n", jobs[i].c->name, jobs[i].label,
                                         kOutcomeNames[static_cast<int>(jobs[i].outcome)], jobs[k].label,
                                         kOutcomeNames[static_cast<int>(jobs[k].outcome)],
                                         jobs[k].outcome != jobs[i].outcome ? "outcome" : "console output");
                break;
            }
        }
        i = end;
    }

    size_t counts[4] = {};
    for (const Job& j : jobs) ++counts[static_cast<int>(j.outcome)];
    const size_t passed = counts[0];
    std::cout << fmt::format("{} passed, {} failed\n", passed, jobs.size() - passed);
    std::cout << fmt::format("({} wrong, {} timed out, {} crashed, {} flaky; {:.2f} s)\n", counts[1], counts[2], counts[3],
                             flaky.size(), seconds);
    for (const Job& j : jobs)
        if (j.outcome != Outcome::Pass)
            std::cout << fmt::format("  {:<7} {}: {}{}\n", kOutcomeNames[static_cast<int>(j.outcome)], j.label, j.reason,
                                     j.artifacts.empty() ? "" : " [" + j.artifacts + "]");

    try {
        if (!opts.junit.empty()) write_junit(opts.junit, suite, jobs, seconds);
        if (!opts.json.empty()) write_json(opts.json, suite, jobs, passed, flaky, opts.shard, seconds);
    } catch (const std::exception& e) {
        std::cerr << "presil test: " << e.what() << "\n";
        exit_status = 1;
    }
    std::error_code ec;
    fs::remove_all(work, ec);
    if (passed != jobs.size() || !flaky.empty()) exit_status = 1;
    return exit_status;
}

}  // namespace presil::platform::suite
