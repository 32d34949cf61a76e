// SPDX-License-Identifier: Apache-2.0
// The timeline: one Chrome/Perfetto trace-event JSON file on the simulated-time axis (--trace FILE).
#pragma once

#include <cstdint>
#include <cstdio>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include <systemc>

namespace presil::platform::log {

/// Writes trace events ({"traceEvents":[...]}) as they happen. Timestamps are
/// simulated time in microseconds (fractions down to the picosecond). Every
/// track (a CPU, a device, a CPU's interrupts) is a named thread of one
/// process. close() ends the JSON; it runs on every exit path (destructor,
/// wall-time watchdog), and events after it are dropped. Thread-safe.
class Timeline {
public:
    /// Creates `path`; throws ConfigError when it cannot be written.
    explicit Timeline(const std::string& path);
    ~Timeline();
    Timeline(const Timeline&) = delete;
    Timeline& operator=(const Timeline&) = delete;

    /// Thread id of the track called `name` (created with its name on first use).
    int track(std::string_view name);
    /// A complete event ("X"): `name` on track `tid` from `start` for `dur`;
    /// `args` is a JSON object body ("\"a\":1,\"b\":\"x\"") or empty.
    void complete(int tid, std::string_view name, std::string_view cat, const sc_core::sc_time& start,
                  const sc_core::sc_time& dur, std::string_view args = {});
    /// An instant event ("i", thread scope).
    void instant(int tid, std::string_view name, std::string_view cat, const sc_core::sc_time& at,
                 std::string_view args = {});
    /// A counter sample ("C"): series `name` has `value` from `at` on.
    void counter(std::string_view name, const sc_core::sc_time& at, std::string_view series, double value);
    /// Ends the JSON and closes the file (idempotent).
    void close();
    /// Writes buffered events to the file without closing it.
    void flush();

    /// JSON string literal of `s` (with quotes and escapes).
    static std::string quote(std::string_view s);

private:
    void event(std::string_view body);

    std::FILE* m_file = nullptr;
    std::mutex m_mutex;
    std::map<std::string, int, std::less<>> m_tracks;
    bool m_first = true;
};

}  // namespace presil::platform::log
