// SPDX-License-Identifier: Apache-2.0
// Logger: category table, -d / -dfilter parsing, the -D file.
#include "platform/log/logger.h"

#include <cerrno>
#include <charconv>
#include <cstring>

#include "platform/options.h"

namespace presil::platform::log {

const std::vector<CategoryInfo>& categories() {
    static const std::vector<CategoryInfo> table = {
        {"in_asm", "guest disassembly of each translated block (Capstone)"},
        {"op", "IR of each translated block before optimisation"},
        {"op_opt", "IR of each translated block after optimisation"},
        {"out_asm", "host code of each translated block (x86-64 disassembly, or interpreter bytecode)"},
        {"exec", "each block executed, with CPU and simulated time (turns block chaining off)"},
        {"int", "exceptions and interrupts taken, with the latency from raise to entry"},
        {"mmio", "every transport to a device: initiator, address, size, data, delay, response"},
        {"sync", "CPU synchronisations with SystemC time and their cause"},
        {"unimp", "the guest touched something unimplemented (unimplemented registers, undefined instructions)"},
        {"guest_errors", "bus errors and faults the guest caused"},
    };
    return table;
}

std::string categories_help() {
    std::string out = "Log categories (-d CAT[,CAT...]):\n";
    for (const CategoryInfo& c : categories()) out += fmt::format("  {:<14}{}\n", c.name, c.help);
    out += "  all           every category above\n";
    return out;
}

namespace {

/// The non-empty items of a comma-separated list.
std::vector<std::string_view> split_list(std::string_view list) {
    std::vector<std::string_view> items;
    size_t pos = 0;
    while (pos <= list.size()) {
        size_t comma = list.find(',', pos);
        if (comma == std::string_view::npos) comma = list.size();
        if (comma > pos) items.push_back(list.substr(pos, comma - pos));
        pos = comma + 1;
    }
    return items;
}

}  // namespace

uint32_t parse_categories(std::string_view list) {
    uint32_t mask = 0;
    for (const std::string_view name : split_list(list)) {
        if (name == "all") {
            mask |= (uint32_t(1) << static_cast<unsigned>(Category::Count)) - 1;
            continue;
        }
        bool found = false;
        for (size_t i = 0; i < categories().size(); ++i) {
            if (categories()[i].name == name) {
                mask |= uint32_t(1) << i;
                found = true;
            }
        }
        if (!found)
            throw ConfigError(fmt::format("presil: -d: unknown log category '{}' (`-d help` lists them)", name));
    }
    return mask;
}

namespace {

bool parse_number(std::string_view s, uint64_t& out) {
    int base = 10;
    if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        s.remove_prefix(2);
        base = 16;
    }
    if (s.empty()) return false;
    const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out, base);
    return ec == std::errc() && p == s.data() + s.size();
}

}  // namespace

std::vector<AddrRange> parse_filter(std::string_view list) {
    std::vector<AddrRange> out;
    for (const std::string_view item : split_list(list)) {
        const auto bad = [&](std::string_view why) {
            return ConfigError(fmt::format("presil: -dfilter: bad range '{}': {} (expected START+SIZE or "
                                           "START..END, e.g. 0x1000+0x100 or 0x1000..0x1fff)", item, why));
        };
        uint64_t a = 0, b = 0;
        size_t sep;
        if ((sep = item.find("..")) != std::string_view::npos) {
            if (!parse_number(item.substr(0, sep), a) || !parse_number(item.substr(sep + 2), b))
                throw bad("not a number");
            if (b < a) throw bad("end before start");
            out.push_back({a, b});
        } else if ((sep = item.find('+')) != std::string_view::npos) {
            if (!parse_number(item.substr(0, sep), a) || !parse_number(item.substr(sep + 1), b))
                throw bad("not a number");
            if (b == 0) throw bad("size 0");
            if (a + (b - 1) < a) throw bad("wraps past the end of the address space");
            out.push_back({a, a + (b - 1)});
        } else if ((sep = item.find('-')) != std::string_view::npos && sep > 0) {
            if (!parse_number(item.substr(0, sep), a) || !parse_number(item.substr(sep + 1), b))
                throw bad("not a number");
            if (b < a) throw bad("end before start");
            out.push_back({a, b});
        } else {
            throw bad("no '+' or '..'");
        }
    }
    if (out.empty()) throw ConfigError("presil: -dfilter: no address range given");
    return out;
}

Logger::Logger(uint32_t mask, const std::string& path, std::vector<AddrRange> filter)
    : m_mask(mask), m_filter(std::move(filter)) {
    if (path.empty() || path == "-") {
        m_file = stderr;
        return;
    }
    m_file = std::fopen(path.c_str(), "w");
    if (!m_file)
        throw ConfigError(fmt::format("presil: -D: cannot write the log file '{}': {}", path, std::strerror(errno)));
    m_owned = true;
    static constexpr size_t kBuffer = 1u << 16;
    std::setvbuf(m_file, nullptr, _IOFBF, kBuffer);
}

Logger::~Logger() {
    std::lock_guard lock(m_mutex);
    if (m_owned) std::fclose(m_file);
    else std::fflush(m_file);
    m_file = nullptr;
}

bool Logger::in_filter(uint64_t addr, uint64_t size) const {
    if (m_filter.empty()) return true;
    const uint64_t last = addr + (size ? size - 1 : 0);
    for (const AddrRange& r : m_filter)
        if (addr <= r.last && r.first <= last) return true;
    return false;
}

void Logger::write(std::string_view text) {
    std::lock_guard lock(m_mutex);
    if (m_file) std::fwrite(text.data(), 1, text.size(), m_file);
}

void Logger::flush() {
    std::lock_guard lock(m_mutex);
    if (m_file) std::fflush(m_file);
}

}  // namespace presil::platform::log
