// SPDX-License-Identifier: Apache-2.0
// The determinism check: two child runs of this executable write checkpoint logs that are
// compared line by line; the first difference is reported with both runs' position.
#include "platform/determinism.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>

#include "platform/simulation.h"

extern char** environ;

namespace presil::platform {

std::vector<Checkpoint> read_checkpoints(const std::string& file) {
    std::ifstream in(file);
    if (!in) throw std::runtime_error("cannot read checkpoint log '" + file + "'");
    std::vector<Checkpoint> out;
    std::string line;
    for (size_t n = 1; std::getline(in, line); ++n) {
        Checkpoint c;
        std::istringstream is(line);
        std::string pc, hash;
        if (!(is >> c.insns >> pc >> c.cycle >> c.time_ps >> hash))
            throw std::runtime_error(fmt::format("{}:{}: expected 'INSNS PC CYCLE TIME_PS HASH'", file, n));
        c.pc = std::strtoull(pc.c_str(), nullptr, 0);
        c.hash = std::strtoull(hash.c_str(), nullptr, 0);
        out.push_back(c);
    }
    return out;
}

std::optional<Divergence> first_divergence(const std::vector<Checkpoint>& a, const std::vector<Checkpoint>& b) {
    const size_t n = std::min(a.size(), b.size());
    for (size_t i = 0; i < n; ++i)
        if (!(a[i] == b[i])) return Divergence{i, a[i], b[i]};
    if (a.size() == b.size()) return std::nullopt;
    Divergence d{n, std::nullopt, std::nullopt};
    if (n < a.size()) d.first = a[n];
    if (n < b.size()) d.second = b[n];
    return d;
}

namespace {

/// Runs this executable with `args`; output to /dev/null when `quiet`. Returns the exit status.
int spawn_self(const std::vector<std::string>& args, bool quiet) {
    std::vector<char*> argv;
    std::string self = "/proc/self/exe";
    argv.push_back(self.data());
    std::vector<std::string> copy = args;
    for (std::string& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    if (quiet) {
        posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
        posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    }
    pid_t pid = 0;
    const int err = posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    if (err != 0) throw std::runtime_error(std::string("--check-determinism: cannot start presil: ") + std::strerror(err));
    int ws = 0;
    while (waitpid(pid, &ws, 0) < 0) {
        if (errno != EINTR) throw std::runtime_error("--check-determinism: waitpid failed");
    }
    if (WIFEXITED(ws)) return WEXITSTATUS(ws);
    return 128 + (WIFSIGNALED(ws) ? WTERMSIG(ws) : 0);
}

std::string describe(const std::optional<Checkpoint>& c) {
    if (!c) return "ended";
    return fmt::format("instructions {}, pc {:#x}, cycle {}, simulated time {} ps, registers {:#018x}", c->insns, c->pc,
                       c->cycle, c->time_ps, c->hash);
}

/// A temporary file name that is removed with this object.
struct TempFile {
    std::string path;
    TempFile() {
        std::string tmpl = (std::filesystem::temp_directory_path() / "presil-checkpoints-XXXXXX").string();
        const int fd = mkstemp(tmpl.data());
        if (fd < 0) throw std::runtime_error("--check-determinism: cannot create a temporary file");
        ::close(fd);
        path = tmpl;
    }
    ~TempFile() { std::remove(path.c_str()); }
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;
};

}  // namespace

int check_determinism(const std::vector<std::string>& args, uint64_t perturb_at, std::ostream& out) {
    TempFile log1, log2;
    std::vector<std::string> a1 = args, a2 = args;
    a1.push_back("--checkpoint-log=" + log1.path);
    a2.push_back("--checkpoint-log=" + log2.path);
    if (perturb_at) a2.push_back("--perturb-at=" + std::to_string(perturb_at));
    const int s1 = spawn_self(a1, false);
    const std::vector<Checkpoint> c1 = read_checkpoints(log1.path);
    if (c1.empty() && s1 != 0) {
        out << "presil: determinism check: the first run ended with status " << s1 << " before simulating\n";
        return s1;
    }
    const int s2 = spawn_self(a2, true);
    const std::vector<Checkpoint> c2 = read_checkpoints(log2.path);
    if (const std::optional<Divergence> d = first_divergence(c1, c2)) {
        out << fmt::format("presil: determinism check: the runs diverge at checkpoint {} of {}/{}\n", d->index + 1,
                           c1.size(), c2.size());
        out << "  run 1: " << describe(d->first) << "\n";
        out << "  run 2: " << describe(d->second) << "\n";
        if (d->index > 0) out << "  last common checkpoint: " << describe(c1[d->index - 1]) << "\n";
        return kExitDiverged;
    }
    if (s1 != s2) {
        out << fmt::format("presil: determinism check: same {} checkpoints but exit statuses differ ({} and {})\n",
                           c1.size(), s1, s2);
        return kExitDiverged;
    }
    out << fmt::format("presil: determinism check: the runs match ({} checkpoints, exit status {}", c1.size(), s1);
    if (!c1.empty()) out << ", last: " << describe(c1.back());
    out << ")\n";
    return kExitOk;
}

}  // namespace presil::platform
