// SPDX-License-Identifier: Apache-2.0
// `presil run --check-determinism`: the same run twice in child processes, checkpoints compared.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace presil::platform {

/// One determinism checkpoint (a line of the checkpoint log, written at every sync of a CPU).
struct Checkpoint {
    uint64_t insns = 0;    ///< guest instructions retired
    uint64_t pc = 0;       ///< guest pc
    uint64_t cycle = 0;    ///< CPU cycles since start
    uint64_t time_ps = 0;  ///< simulated time of that cycle
    uint64_t hash = 0;     ///< hash of the guest registers
    bool operator==(const Checkpoint&) const = default;
};

/// Reads a checkpoint log; throws std::runtime_error naming the file and line of a malformed line.
std::vector<Checkpoint> read_checkpoints(const std::string& file);

/// Where two checkpoint sequences first differ.
struct Divergence {
    size_t index = 0;                 ///< checkpoint number (0-based)
    std::optional<Checkpoint> first;  ///< run 1's checkpoint there (none: run 1 ended)
    std::optional<Checkpoint> second; ///< run 2's
};

/// The first divergence of `a` and `b`, or nothing when they are identical.
std::optional<Divergence> first_divergence(const std::vector<Checkpoint>& a, const std::vector<Checkpoint>& b);

/// Runs `presil` (this executable) twice with `args` (the `run` command line without
/// --check-determinism) and compares the checkpoint logs; run 2 gets `--perturb-at N` when
/// `perturb_at` > 0 and runs with its output discarded. Reports to `out`; returns 0 when the
/// runs match, kExitDiverged when they differ, or run 1's status when it could not simulate.
int check_determinism(const std::vector<std::string>& args, uint64_t perturb_at, std::ostream& out);

}  // namespace presil::platform
