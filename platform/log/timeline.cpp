// SPDX-License-Identifier: Apache-2.0
// Timeline: trace-event JSON writer (Chrome JSON trace format, opened by Perfetto UI and chrome://tracing).
#include "platform/log/timeline.h"

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "platform/options.h"

namespace presil::platform::log {

namespace {

constexpr int kPid = 1;

/// Microseconds with picosecond resolution, as JSON number text.
std::string micros(const sc_core::sc_time& t) {
    const uint64_t ps = t.value() * static_cast<uint64_t>(sc_core::sc_get_time_resolution().to_seconds() * 1e12 + 0.5);
    return fmt::format("{}.{:06}", ps / 1000000, ps % 1000000);
}

}  // namespace

Timeline::Timeline(const std::string& path) {
    m_file = std::fopen(path.c_str(), "w");
    if (!m_file)
        throw ConfigError(fmt::format("presil: --trace: cannot write the trace file '{}': {}", path, std::strerror(errno)));
    std::setvbuf(m_file, nullptr, _IOFBF, 1u << 16);
    std::fputs("{\"displayTimeUnit\":\"ns\",\"otherData\":{\"generator\":\"presil\",\"time\":\"simulated\"},"
               "\"traceEvents\":[\n", m_file);
    event(fmt::format("\"ph\":\"M\",\"pid\":{},\"name\":\"process_name\",\"args\":{{\"name\":\"presil (simulated time)\"}}",
                      kPid));
}

Timeline::~Timeline() { close(); }

std::string Timeline::quote(std::string_view s) {
    std::string out = "\"";
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += ch;
        } else if (c < 0x20 || c >= 0x7f) {
            out += fmt::format("\\u{:04x}", c);
        } else {
            out += ch;
        }
    }
    return out + "\"";
}

void Timeline::event(std::string_view body) {
    // Callers hold m_mutex (or run in the constructor).
    if (!m_file) return;
    std::fputs(m_first ? "{" : ",\n{", m_file);
    m_first = false;
    std::fwrite(body.data(), 1, body.size(), m_file);
    std::fputc('}', m_file);
}

int Timeline::track(std::string_view name) {
    std::lock_guard lock(m_mutex);
    auto it = m_tracks.find(name);
    if (it != m_tracks.end()) return it->second;
    const int tid = static_cast<int>(m_tracks.size()) + 1;
    m_tracks.emplace(std::string(name), tid);
    event(fmt::format("\"ph\":\"M\",\"pid\":{},\"tid\":{},\"name\":\"thread_name\",\"args\":{{\"name\":{}}}", kPid, tid,
                      quote(name)));
    event(fmt::format("\"ph\":\"M\",\"pid\":{},\"tid\":{},\"name\":\"thread_sort_index\",\"args\":{{\"sort_index\":{}}}",
                      kPid, tid, tid));
    return tid;
}

void Timeline::complete(int tid, std::string_view name, std::string_view cat, const sc_core::sc_time& start,
                        const sc_core::sc_time& dur, std::string_view args) {
    std::lock_guard lock(m_mutex);
    event(fmt::format("\"ph\":\"X\",\"pid\":{},\"tid\":{},\"name\":{},\"cat\":{},\"ts\":{},\"dur\":{},\"args\":{{{}}}", kPid,
                      tid, quote(name), quote(cat), micros(start), micros(dur), args));
}

void Timeline::instant(int tid, std::string_view name, std::string_view cat, const sc_core::sc_time& at,
                       std::string_view args) {
    std::lock_guard lock(m_mutex);
    event(fmt::format("\"ph\":\"i\",\"s\":\"t\",\"pid\":{},\"tid\":{},\"name\":{},\"cat\":{},\"ts\":{},\"args\":{{{}}}",
                      kPid, tid, quote(name), quote(cat), micros(at), args));
}

void Timeline::counter(std::string_view name, const sc_core::sc_time& at, std::string_view series, double value) {
    std::lock_guard lock(m_mutex);
    event(fmt::format("\"ph\":\"C\",\"pid\":{},\"name\":{},\"ts\":{},\"args\":{{{}:{}}}", kPid, quote(name), micros(at),
                      quote(series), value));
}

void Timeline::flush() {
    std::lock_guard lock(m_mutex);
    if (m_file) std::fflush(m_file);
}

void Timeline::close() {
    std::lock_guard lock(m_mutex);
    if (!m_file) return;
    std::fputs("\n]}\n", m_file);
    std::fclose(m_file);
    m_file = nullptr;
}

}  // namespace presil::platform::log
