// SPDX-License-Identifier: Apache-2.0
// build_plugin(): runs rtl-bridge/presil-rtl-build with an argument vector (no shell).
#include "rtl-bridge/build.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

namespace presil::rtl {

std::string build_script_path() {
    if (const char* env = std::getenv("PRESIL_RTL_BUILD_SCRIPT")) return env;
    return PRESIL_RTL_BUILD_SCRIPT;
}

int build_plugin(const PluginBuild& b) {
    std::vector<std::string> args = {build_script_path(), "--top", b.top, "--bus",
                                     std::string(bus_name(b.bus)), "-o", b.output,
                                     "-j", std::to_string(b.jobs == 0 ? 1 : b.jobs)};
    if (!b.work_dir.empty()) {
        args.push_back("--work");
        args.push_back(b.work_dir);
    }
    for (const auto& a : b.verilator_args) {
        args.push_back("--verilator-arg");
        args.push_back(a);
    }
    for (const auto& s : b.sources) args.push_back(s);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = fork();
    if (pid < 0) throw RtlError("presil rtl build: fork failed");
    if (pid == 0) {
        execv(argv[0], argv.data());
        _exit(127);
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) throw RtlError("presil rtl build: waitpid failed");
    if (WIFEXITED(status)) {
        if (WEXITSTATUS(status) == 127)
            throw RtlError("presil rtl build: cannot run " + args[0]);
        return WEXITSTATUS(status);
    }
    return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

}  // namespace presil::rtl
