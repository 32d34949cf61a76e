// SPDX-License-Identifier: Apache-2.0
// Run statistics: lateness summary, the suggested-quantum rule, the JSON document, extra text lines.
#include "platform/stats.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cmath>
#include <fstream>
#include <numeric>
#include <stdexcept>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace presil::platform {

// ----- Lateness ------------------------------------------------------------------------------

void LatenessStats::sort() const {
    if (m_sorted) return;
    std::sort(m_samples.begin(), m_samples.end());
    m_sorted = true;
}

uint64_t LatenessStats::min() const {
    sort();
    return m_samples.empty() ? 0 : m_samples.front();
}

uint64_t LatenessStats::max() const {
    sort();
    return m_samples.empty() ? 0 : m_samples.back();
}

double LatenessStats::mean() const {
    if (m_samples.empty()) return 0;
    long double sum = 0;
    for (uint64_t s : m_samples) sum += s;
    return static_cast<double>(sum / m_samples.size());
}

uint64_t LatenessStats::percentile(double p) const {
    if (m_samples.empty()) return 0;
    sort();
    const double rank = std::ceil(p / 100.0 * static_cast<double>(m_samples.size()));
    const size_t i = rank < 1 ? 0 : std::min(m_samples.size() - 1, static_cast<size_t>(rank) - 1);
    return m_samples[i];
}

std::vector<LatenessStats::Bucket> LatenessStats::histogram() const {
    std::vector<Bucket> out;
    if (m_samples.empty()) return out;
    sort();
    const uint64_t top = m_samples.back();
    out.push_back({0, 0, 0});
    for (unsigned k = 1; k <= 64; ++k) {
        const uint64_t lo = uint64_t(1) << (k - 1);
        if (lo > top) break;
        const uint64_t hi = k == 64 ? ~uint64_t(0) : (uint64_t(1) << k) - 1;
        out.push_back({lo, hi, 0});
    }
    for (uint64_t s : m_samples) {
        const size_t k = s == 0 ? 0 : static_cast<size_t>(64 - __builtin_clzll(s));
        ++out[k].count;
    }
    return out;
}

// ----- Suggested quantum ------------------------------------------------------------------------

namespace {

/// The largest value of the 1-2-5 series (in picoseconds) not above `ps` (at least 1 ps).
uint64_t step_down_125(double ps) {
    if (ps < 1) return 1;
    double decade = std::pow(10.0, std::floor(std::log10(ps)));
    for (double m : {5.0, 2.0, 1.0})
        if (m * decade <= ps) return static_cast<uint64_t>(m * decade);
    return static_cast<uint64_t>(decade);
}

}  // namespace

QuantumSuggestion suggest_quantum(const LatenessStats& lateness, sc_core::sc_time quantum, sc_core::sc_time period) {
    if (lateness.count() == 0) return {quantum, "no-interrupts"};
    const sc_core::sc_time late = period * static_cast<double>(lateness.percentile(99));
    if (late <= kLatenessBound) return {quantum, "within-bound"};
    const double scaled_ps = quantum.to_seconds() * 1e12 * (kLatenessBound / late);
    uint64_t ps = step_down_125(scaled_ps);
    const uint64_t period_ps = static_cast<uint64_t>(period.to_seconds() * 1e12 + 0.5);
    ps = std::max<uint64_t>(ps, std::max<uint64_t>(1, period_ps));
    return {sc_core::sc_time(static_cast<double>(ps), sc_core::SC_PS), "scaled-down"};
}

std::optional<double> chain_hit_rate(const CpuReport& cpu) {
    if (cpu.blocks_translated == 0 || cpu.guest_insns_translated == 0 || cpu.guest_insns == 0) return std::nullopt;
    const double mean_len = double(cpu.guest_insns_translated) / double(cpu.blocks_translated);
    const double runs = double(cpu.guest_insns) / mean_len;
    return std::clamp(1.0 - double(cpu.loop_entries) / runs, 0.0, 1.0);
}

// ----- JSON -------------------------------------------------------------------------------------------

namespace {

using nlohmann::json;

double seconds(uint64_t ns) { return double(ns) / 1e9; }

json lateness_json(const CpuReport& c) {
    const LatenessStats& l = c.lateness;
    json j;
    j["count"] = l.count();
    if (l.count() == 0) {
        for (const char* k : {"min", "max", "mean", "p50", "p90", "p99"}) j[k] = nullptr;
    } else {
        j["min"] = l.min();
        j["max"] = l.max();
        j["mean"] = l.mean();
        j["p50"] = l.percentile(50);
        j["p90"] = l.percentile(90);
        j["p99"] = l.percentile(99);
    }
    json hist = json::array();
    for (const auto& b : l.histogram()) hist.push_back({{"from", b.lo}, {"to", b.hi}, {"count", b.count}});
    j["histogram"] = std::move(hist);
    return j;
}

json cpu_json(const CpuReport& c, double board_wall_s) {
    json j;
    j["name"] = c.name;
    j["clock_hz"] = c.clock_hz;
    j["guest_instructions"] = c.guest_insns;
    j["cycles"] = c.cycles;
    j["sleep_cycles"] = c.sleep_cycles;
    j["simulated_time_s"] = (c.period * static_cast<double>(c.cycles)).to_seconds();
    j["wall_time_s"] = c.wall_s;
    j["mips"] = c.wall_s > 0 ? double(c.guest_insns) / c.wall_s / 1e6 : 0.0;
    const uint64_t io_ns = c.translate_ns + c.device_ns + c.rtl_ns;
    const uint64_t exec_ns = c.thread_ns > io_ns ? c.thread_ns - io_ns : 0;
    const double kernel_s = std::max(0.0, board_wall_s - seconds(c.thread_ns));
    j["host_time_s"] = {{"translation", seconds(c.translate_ns)},
                        {"execution", seconds(exec_ns)},
                        {"devices", seconds(c.device_ns)},
                        {"rtl", seconds(c.rtl_ns)},
                        {"systemc_kernel", kernel_s},
                        {"cpu_thread", seconds(c.thread_ns)}};
    j["transports"] = c.transports;
    j["blocks"] = {{"translated", c.blocks_translated},
                   {"guest_instructions_translated", c.guest_insns_translated},
                   {"flushes", c.flushes},
                   {"invalidated", c.invalidations}};
    const std::optional<double> rate = chain_hit_rate(c);
    const uint64_t lookups = c.jump_cache_hits + c.hash_hits;
    j["chaining"] = {{"chain_hit_rate", rate ? json(*rate) : json(nullptr)},
                     {"loop_entries", c.loop_entries},
                     {"chains_made", c.chains_made},
                     {"jump_cache_hits", c.jump_cache_hits},
                     {"hash_hits", c.hash_hits},
                     {"jump_cache_hit_rate", lookups ? json(double(c.jump_cache_hits) / double(lookups)) : json(nullptr)}};
    json syncs;
    uint64_t total = 0;
    for (size_t i = 0; i < kSyncCauseNames.size(); ++i) {
        syncs[kSyncCauseNames[i]] = c.syncs[i];
        total += c.syncs[i];
    }
    syncs["total"] = total;
    j["syncs"] = std::move(syncs);
    const QuantumSuggestion s = suggest_quantum(c.lateness, c.quantum, c.period);
    j["interrupts"] = {{"exception_entries", c.exception_entries},
                       {"lateness_cycles", lateness_json(c)},
                       {"lateness_bound_s", kLatenessBound.to_seconds()},
                       {"suggested_quantum_s", s.quantum.to_seconds()},
                       {"suggestion_rule", s.rule}};
    j["exceptions"] = c.exceptions;
    return j;
}

}  // namespace

void write_stats_json(const std::string& file, const RunReport& r) {
    json j;
    j["format"] = "presil-stats";
    j["version"] = 1;
    j["board"] = r.board;
    j["quantum_s"] = r.quantum.to_seconds();
    j["simulated_time_s"] = r.simulated.to_seconds();
    j["wall_time_s"] = r.wall_s;
    j["exit"] = {{"status", r.end.status}, {"reason", r.end.reason}};
    if (!r.end.message.empty()) j["exit"]["message"] = r.end.message;
    json cpus = json::array();
    for (const CpuReport& c : r.cpus) cpus.push_back(cpu_json(c, r.wall_s));
    j["cpus"] = std::move(cpus);
    std::ofstream out(file, std::ios::trunc);
    if (!out) throw std::runtime_error("--stats=json: cannot write '" + file + "'");
    // Replace invalid UTF-8 (a board name from a file) rather than fail.
    out << j.dump(2, ' ', false, json::error_handler_t::replace) << "\n";
    if (!out.flush()) throw std::runtime_error("--stats=json: cannot write '" + file + "'");
}

bool claim_stats_write() {
    static std::atomic_flag written = ATOMIC_FLAG_INIT;
    return !written.test_and_set();
}

void write_error_stats(const std::string& file, int status, const std::string& reason,
                       const std::string& message) noexcept {
    if (file.empty() || !claim_stats_write()) return;
    try {
        RunReport r;
        r.end = RunEnd{status, reason, message};
        write_stats_json(file, r);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "presil: %s\n", e.what());
    }
}

void print_cpu_extra(std::ostream& out, const CpuReport& c) {
    const std::string& n = c.name;
    const uint64_t io_ns = c.translate_ns + c.device_ns + c.rtl_ns;
    out << fmt::format("{}: host time: translation {:.3f} s, execution {:.3f} s, devices {:.3f} s, rtl {:.3f} s\n", n,
                       seconds(c.translate_ns), seconds(c.thread_ns > io_ns ? c.thread_ns - io_ns : 0),
                       seconds(c.device_ns), seconds(c.rtl_ns));
    const std::optional<double> rate = chain_hit_rate(c);
    out << fmt::format("{}: chain hit rate {}, loop entries {}, jump-cache hits {}, hash hits {}\n", n,
                       rate ? fmt::format("{:.3f}", *rate) : std::string("n/a"), c.loop_entries, c.jump_cache_hits,
                       c.hash_hits);
    const LatenessStats& l = c.lateness;
    if (l.count() == 0) {
        out << fmt::format("{}: interrupt lateness: no interrupts taken\n", n);
    } else {
        out << fmt::format("{}: interrupt lateness (cycles): {} interrupts, min {}, mean {:.1f}, p50 {}, p90 {}, p99 {}, max {}\n",
                           n, l.count(), l.min(), l.mean(), l.percentile(50), l.percentile(90), l.percentile(99), l.max());
    }
    const QuantumSuggestion s = suggest_quantum(l, c.quantum, c.period);
    out << fmt::format("{}: suggested quantum {} ({}; bound {})\n", n, s.quantum.to_string(), s.rule,
                       kLatenessBound.to_string());
}

}  // namespace presil::platform
