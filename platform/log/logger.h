// SPDX-License-Identifier: Apache-2.0
// QEMU-style logs: the -d categories, the -dfilter address ranges and the -D output file.
#pragma once

#include <cstdint>
#include <cstdio>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

namespace presil::platform::log {

/// A -d category. The order is the order of `-d help`.
enum class Category : unsigned {
    InAsm,        ///< guest disassembly of each translated block
    Op,           ///< IR of each block before optimisation
    OpOpt,        ///< IR of each block after optimisation
    OutAsm,       ///< host code of each block
    Exec,         ///< each block executed, with CPU and simulated time
    Int,          ///< exceptions and interrupts taken, with latency from raise to entry
    Mmio,         ///< every transport to a device
    Sync,         ///< quantum syncs and their cause
    Unimp,        ///< the guest touched something unimplemented
    GuestErrors,  ///< bus errors, bad accesses, faults the guest caused
    Count
};

/// Name and one-line description of a category.
struct CategoryInfo {
    std::string_view name;
    std::string_view help;
};

/// Every category, in Category order.
const std::vector<CategoryInfo>& categories();
/// The `-d help` text: one line per category.
std::string categories_help();

/// Bit of a category in a mask.
constexpr uint32_t bit(Category c) { return uint32_t(1) << static_cast<unsigned>(c); }

/// Parses a -d list ("in_asm,exec"); throws ConfigError naming an unknown category.
uint32_t parse_categories(std::string_view list);

/// An inclusive guest address range of -dfilter.
struct AddrRange {
    uint64_t first;
    uint64_t last;
};

/// Parses a -dfilter list: ranges "START+SIZE", "START..END" (inclusive) or
/// "START-END", separated by commas; numbers in C syntax (0x.., decimal).
/// Throws ConfigError for a malformed range.
std::vector<AddrRange> parse_filter(std::string_view list);

/// The -d log of one run: enabled categories, address filter and output file.
/// Writes are serialised (the wall-time watchdog may flush from its thread).
class Logger {
public:
    /// Opens `path` for writing (empty or "-": stderr); throws ConfigError when
    /// the file cannot be created.
    Logger(uint32_t mask, const std::string& path, std::vector<AddrRange> filter = {});
    ~Logger();
    Logger(const Logger&) = delete;
    Logger& operator=(const Logger&) = delete;

    /// Enabled categories (Category bits).
    uint32_t mask() const { return m_mask; }
    /// True when category `c` is enabled.
    bool on(Category c) const { return (m_mask & bit(c)) != 0; }
    /// True when [addr, addr+size) meets a -dfilter range (always without a filter).
    bool in_filter(uint64_t addr, uint64_t size = 1) const;
    /// True when `c` is enabled and addr passes the filter.
    bool wants(Category c, uint64_t addr, uint64_t size = 1) const { return on(c) && in_filter(addr, size); }

    /// Appends text as is.
    void write(std::string_view text);
    /// Appends formatted text.
    template <class... Args> void print(fmt::format_string<Args...> f, Args&&... args) {
        write(fmt::format(f, std::forward<Args>(args)...));
    }
    /// Writes buffered text to the file.
    void flush();

private:
    uint32_t m_mask;
    std::vector<AddrRange> m_filter;
    std::FILE* m_file = nullptr;
    bool m_owned = false;
    std::mutex m_mutex;
};

class Timeline;

/// A bus region as logs name it.
struct Region {
    std::string name;     ///< region name ("rtl NAME" for RTL peripherals; "unmapped" for none)
    uint64_t offset = 0;  ///< address - region base
};

/// What a run observes: the -d log, the --trace timeline (either may be nullptr) and
/// how to name the bus region of an address. Owned by the Simulation, read by the CPU modules.
struct Observability {
    Logger* logger = nullptr;                    ///< -d/-D
    Timeline* timeline = nullptr;                ///< --trace
    std::function<Region(uint64_t)> region;      ///< bus region of an address (may be empty)
};

}  // namespace presil::platform::log
