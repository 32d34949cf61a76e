// SPDX-License-Identifier: Apache-2.0
// Statistics arithmetic: lateness percentiles and histogram, the suggested-quantum rule, the chain
// hit rate estimate, the JSON document's exit record; determinism checkpoint comparison.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "platform/determinism.h"
#include "platform/stats.h"

namespace presil::platform {
namespace {

const sc_core::sc_time kPeriod(40, sc_core::SC_NS);  // 25 MHz

TEST(Lateness, SummaryAndNearestRankPercentiles) {
    LatenessStats l;
    for (uint64_t v : {5u, 1u, 0u, 9u, 3u, 7u, 2u, 8u, 4u, 6u}) l.add(v);
    EXPECT_EQ(l.count(), 10u);
    EXPECT_EQ(l.min(), 0u);
    EXPECT_EQ(l.max(), 9u);
    EXPECT_DOUBLE_EQ(l.mean(), 4.5);
    EXPECT_EQ(l.percentile(50), 4u);   // rank 5 of 0..9
    EXPECT_EQ(l.percentile(90), 8u);   // rank 9
    EXPECT_EQ(l.percentile(99), 9u);   // rank 10
    EXPECT_EQ(l.percentile(100), 9u);
}

TEST(Lateness, HistogramBucketsArePowersOfTwo) {
    LatenessStats l;
    for (uint64_t v : {0u, 0u, 1u, 2u, 3u, 4u, 100u}) l.add(v);
    const auto h = l.histogram();
    // [0,0] [1,1] [2,3] [4,7] [8,15] [16,31] [32,63] [64,127]
    ASSERT_EQ(h.size(), 8u);
    EXPECT_EQ(h[0].count, 2u);
    EXPECT_EQ(h[1].count, 1u);
    EXPECT_EQ(h[2].lo, 2u);
    EXPECT_EQ(h[2].hi, 3u);
    EXPECT_EQ(h[2].count, 2u);
    EXPECT_EQ(h[3].count, 1u);
    EXPECT_EQ(h[7].lo, 64u);
    EXPECT_EQ(h[7].count, 1u);
    uint64_t total = 0;
    for (const auto& b : h) total += b.count;
    EXPECT_EQ(total, l.count());
}

TEST(SuggestQuantum, FollowsTheRule) {
    const sc_core::sc_time q(1, sc_core::SC_MS);
    LatenessStats none;
    EXPECT_EQ(suggest_quantum(none, q, kPeriod).rule, "no-interrupts");
    EXPECT_EQ(suggest_quantum(none, q, kPeriod).quantum, q);

    LatenessStats on_time;
    for (int i = 0; i < 100; ++i) on_time.add(25);  // exactly the 1 us bound at 25 MHz
    EXPECT_EQ(suggest_quantum(on_time, q, kPeriod).rule, "within-bound");
    EXPECT_EQ(suggest_quantum(on_time, q, kPeriod).quantum, q);

    LatenessStats late;
    for (int i = 0; i < 100; ++i) late.add(2500);  // p99 = 100 us: Q * 1us / 100us = 10 us
    QuantumSuggestion s = suggest_quantum(late, q, kPeriod);
    EXPECT_EQ(s.rule, "scaled-down");
    EXPECT_EQ(s.quantum, sc_core::sc_time(10, sc_core::SC_US));

    LatenessStats later;
    for (int i = 0; i < 100; ++i) later.add(7500);  // p99 = 300 us: 3.33 us -> 2 us (1-2-5 step down)
    EXPECT_EQ(suggest_quantum(later, q, kPeriod).quantum, sc_core::sc_time(2, sc_core::SC_US));

    LatenessStats huge;
    huge.add(25'000'000);  // 1 s late at a 1 us quantum: never below one cycle
    EXPECT_EQ(suggest_quantum(huge, sc_core::sc_time(1, sc_core::SC_US), kPeriod).quantum, kPeriod);
}

TEST(ChainHitRate, EstimatedFromLoopEntries) {
    CpuReport c;
    EXPECT_FALSE(chain_hit_rate(c).has_value());
    c.blocks_translated = 10;
    c.guest_insns_translated = 50;  // 5 instructions per block
    c.guest_insns = 1000;           // ~200 block runs
    c.loop_entries = 20;
    ASSERT_TRUE(chain_hit_rate(c).has_value());
    EXPECT_DOUBLE_EQ(*chain_hit_rate(c), 0.9);
    c.loop_entries = 5000;  // more entries than the estimate: clamped
    EXPECT_DOUBLE_EQ(*chain_hit_rate(c), 0.0);
}

TEST(StatsJson, ErrorDocumentRecordsTheExit) {
    const std::string file = ::testing::TempDir() + "/stats_error.json";
    write_error_stats(file, 2, "config-error", "board.yaml:3:1: bad");
    std::ifstream in(file);
    ASSERT_TRUE(in);
    const nlohmann::json j = nlohmann::json::parse(in);
    EXPECT_EQ(j["format"], "presil-stats");
    EXPECT_EQ(j["exit"]["status"], 2);
    EXPECT_EQ(j["exit"]["reason"], "config-error");
    EXPECT_EQ(j["exit"]["message"], "board.yaml:3:1: bad");
    EXPECT_TRUE(j["cpus"].is_array());
    // Written once per process: a second call leaves the document alone.
    write_error_stats(file, 1, "error", "other");
    std::ifstream again(file);
    EXPECT_EQ(nlohmann::json::parse(again)["exit"]["status"], 2);
    std::remove(file.c_str());
}

TEST(StatsJson, UnwritableFileIsAnError) {
    RunReport r;
    EXPECT_THROW(write_stats_json("/nonexistent-dir/x.json", r), std::runtime_error);
}

TEST(Determinism, FirstDivergence) {
    std::vector<Checkpoint> a = {{10, 0x100, 20, 800, 1}, {30, 0x200, 50, 2000, 2}, {60, 0x300, 90, 3600, 3}};
    EXPECT_FALSE(first_divergence(a, a).has_value());
    auto b = a;
    b[1].cycle = 51;
    auto d = first_divergence(a, b);
    ASSERT_TRUE(d.has_value());
    EXPECT_EQ(d->index, 1u);
    EXPECT_EQ(d->first->cycle, 50u);
    EXPECT_EQ(d->second->cycle, 51u);
    b = a;
    b.pop_back();
    d = first_divergence(a, b);
    ASSERT_TRUE(d.has_value());
    EXPECT_EQ(d->index, 2u);
    EXPECT_TRUE(d->first.has_value());
    EXPECT_FALSE(d->second.has_value());
}

TEST(Determinism, ReadsCheckpointLogsAndRejectsBadLines) {
    const std::string file = ::testing::TempDir() + "/checkpoints.txt";
    {
        std::ofstream out(file);
        out << "352 0x63c 462 18480000 0x7dfa1ce6ebf548ac\n1307 0x4fe 1703 68120000 0xce4f7e63b72b490b\n";
    }
    const auto c = read_checkpoints(file);
    ASSERT_EQ(c.size(), 2u);
    EXPECT_EQ(c[0].insns, 352u);
    EXPECT_EQ(c[0].pc, 0x63cu);
    EXPECT_EQ(c[1].time_ps, 68120000u);
    EXPECT_EQ(c[1].hash, 0xce4f7e63b72b490bull);
    {
        std::ofstream out(file, std::ios::app);
        out << "garbage\n";
    }
    try {
        read_checkpoints(file);
        FAIL() << "a malformed line must be refused";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find(":3:"), std::string::npos) << e.what();
    }
    std::remove(file.c_str());
}

}  // namespace
}  // namespace presil::platform
