// SPDX-License-Identifier: Apache-2.0
// Run statistics (--stats, --stats=json FILE): what a CPU module reports, interrupt lateness,
// the suggested quantum, and the JSON document.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include <systemc>

namespace presil::platform {

/// A cheap host time stamp for the --stats accounting, read twice per sync and per device access:
/// the time-stamp counter on x86-64 (several times cheaper than a steady_clock read), steady_clock
/// nanoseconds elsewhere. Ticks become nanoseconds with the rate measured between two
/// calibration points (HostTicks::Calibration).
struct HostTicks {
    /// The current tick count.
    static uint64_t now() {
#if defined(__x86_64__)
        return __builtin_ia32_rdtsc();
#else
        return static_cast<uint64_t>(
            std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
                .count());
#endif
    }
    /// A start point: ticks and steady_clock together.
    struct Calibration {
        uint64_t ticks = 0;
        std::chrono::steady_clock::time_point time;
        static Calibration here() { return {now(), std::chrono::steady_clock::now()}; }
        /// Nanoseconds per tick from this point to now (1 when too little time passed to tell).
        double ns_per_tick() const {
            const uint64_t t = now();
            const double ns = std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - time).count();
            return t > ticks && ns > 1e5 ? ns / double(t - ticks) : 1.0;
        }
    };
};

/// What the simulation asks of the CPU modules when statistics are on.
struct StatsSetup {
    /// Bus windows [base, base + size) of RTL peripherals: host time in transports to them counts as RTL.
    std::vector<std::pair<uint64_t, uint64_t>> rtl_windows;
};

/// Sync causes in the order of SyncCause (platform/cpu/engine_cpu.h).
inline constexpr std::array<const char*, 5> kSyncCauseNames = {"quantum", "event", "halt", "mmio", "exit"};

/// Interrupt lateness samples (cycles from due to the handler's first instruction) and their summary.
class LatenessStats {
public:
    /// One interrupt taken `cycles` after it was due.
    void add(uint64_t cycles) { m_samples.push_back(cycles); m_sorted = false; }
    size_t count() const { return m_samples.size(); }
    uint64_t min() const;
    uint64_t max() const;
    double mean() const;
    /// Nearest-rank percentile `p` (0 < p <= 100): the smallest sample with at least p % of the samples <= it.
    uint64_t percentile(double p) const;
    /// Histogram buckets [lo, hi] with counts: bucket 0 is exactly 0 cycles, bucket k >= 1 holds
    /// 2^(k-1) .. 2^k - 1 cycles; empty buckets above the largest sample are left out.
    struct Bucket {
        uint64_t lo, hi, count;
    };
    std::vector<Bucket> histogram() const;

private:
    void sort() const;
    mutable std::vector<uint64_t> m_samples;
    mutable bool m_sorted = true;
};

/// The suggested quantum and why (see docs/debugging.md "Statistics").
struct QuantumSuggestion {
    sc_core::sc_time quantum;  ///< suggested global quantum
    std::string rule;          ///< which case of the rule applied: "no-interrupts", "within-bound", "scaled-down"
};

/// Lateness bound of the rule: an interrupt taken more than this after it was due is "late".
inline const sc_core::sc_time kLatenessBound{1, sc_core::SC_US};

/// The rule: with L = the 99th-percentile lateness (in time) at quantum Q and bound B = kLatenessBound,
/// no interrupts -> Q; L <= B -> Q; else the largest 1-2-5 step <= Q * B / L (at least one cycle).
QuantumSuggestion suggest_quantum(const LatenessStats& lateness, sc_core::sc_time quantum, sc_core::sc_time period);

/// Everything one CPU module reports.
struct CpuReport {
    std::string name;
    uint64_t clock_hz = 0;
    sc_core::sc_time period;
    sc_core::sc_time quantum;
    uint64_t guest_insns = 0;
    uint64_t cycles = 0;        ///< running and sleeping
    uint64_t sleep_cycles = 0;
    double wall_s = 0;          ///< host time since the CPU's thread started
    // Host time (ns); measured only while statistics are on.
    uint64_t thread_ns = 0;     ///< in the CPU's SystemC thread between waits
    uint64_t translate_ns = 0;  ///< translating blocks
    uint64_t device_ns = 0;     ///< in b_transport to devices (not RTL)
    uint64_t rtl_ns = 0;        ///< in b_transport to RTL peripherals
    uint64_t transports = 0;    ///< device and RTL accesses through b_transport
    // Engine counters (tcg::EngineStats).
    uint64_t blocks_translated = 0, guest_insns_translated = 0, loop_entries = 0, chains_made = 0,
             jump_cache_hits = 0, hash_hits = 0, flushes = 0, invalidations = 0, exceptions = 0;
    std::array<uint64_t, kSyncCauseNames.size()> syncs{};
    uint64_t exception_entries = 0;  ///< every exception entry (faults and SVC included)
    LatenessStats lateness;          ///< asynchronous exceptions only
};

/// How the run ended.
struct RunEnd {
    int status = 0;
    std::string reason;   ///< guest-exit, max-time, max-wall, idle, error, config-error
    std::string message;  ///< error text (empty when none)
};

/// Board-level facts of one run.
struct RunReport {
    std::string board;
    sc_core::sc_time quantum;
    sc_core::sc_time simulated;
    double wall_s = 0;
    RunEnd end;
    std::vector<CpuReport> cpus;
};

/// Chain hit rate estimate: 1 - loop entries / estimated block executions, where block executions
/// are estimated as guest instructions / mean translated block length; in [0, 1], null when unknown.
std::optional<double> chain_hit_rate(const CpuReport& cpu);

/// Writes `report` as JSON (format: docs/debugging.md "Statistics") to `file`; throws std::runtime_error
/// naming the file when it cannot be written.
void write_stats_json(const std::string& file, const RunReport& report);
/// True the first time it is called in the process: the --stats=json document is written once,
/// whichever way out (normal end, error, wall-time watchdog) gets there first.
bool claim_stats_write();
/// Writes a --stats=json document with the exit only (a run that failed before simulating); does
/// nothing when `file` is empty or the document was already written.
void write_error_stats(const std::string& file, int status, const std::string& reason, const std::string& message) noexcept;
/// Prints the lateness, time split and suggestion lines of `cpu` for the text --stats.
void print_cpu_extra(std::ostream& out, const CpuReport& cpu);

}  // namespace presil::platform
