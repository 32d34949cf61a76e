// SPDX-License-Identifier: Apache-2.0
// ELF programs: reading with libelf, loading PT_LOAD segments over the bus, symbol lookups.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "platform/cpu_registry.h"

namespace presil::platform {

class Board;

/// A bad or unloadable ELF file; what() names the file and the problem.
class ElfError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// A loadable segment.
struct ElfSegment {
    uint64_t paddr;              ///< load (physical) address
    uint64_t vaddr;              ///< run (virtual) address
    uint64_t memsz;              ///< bytes in memory (the tail past data is zero)
    std::vector<uint8_t> data;   ///< file contents (p_filesz bytes)
};

/// A symbol of the program.
struct ElfSymbol {
    std::string name;  ///< symbol name
    uint64_t address;  ///< value (Thumb bit cleared for ARM functions)
    uint64_t size;     ///< st_size (0 when unknown)
    bool function;     ///< STT_FUNC
};

/// A program read from an ELF file.
class ElfImage {
public:
    /// Reads `path` and checks it against `cpu` (class and machine; machine 0 = any).
    static ElfImage read(const std::string& path, const CpuTraits& cpu);

    /// The file it came from.
    const std::string& path() const { return m_path; }
    /// e_entry (Thumb bit kept as in the file).
    uint64_t entry() const { return m_entry; }
    /// e_machine.
    uint16_t machine() const { return m_machine; }
    /// PT_LOAD segments with a non-zero memory size.
    const std::vector<ElfSegment>& segments() const { return m_segments; }
    /// Symbols sorted by address.
    const std::vector<ElfSymbol>& symbols() const { return m_symbols; }
    /// Address of the symbol called `name`.
    std::optional<uint64_t> address_of(std::string_view name) const;
    /// The symbol containing `addr` (or the closest one below it when sizes are unknown), or nullptr.
    const ElfSymbol* symbol_at(uint64_t addr) const;
    /// "name+0xoff" for `addr`, or the hex address when no symbol covers it.
    std::string describe(uint64_t addr) const;

    /// Writes every segment into the board's memories through the bus (debug transport, so ROM
    /// and flash load too); the board must be elaborated. Throws ElfError when a segment falls
    /// outside the memories.
    void load_into(Board& board) const;

private:
    std::string m_path;
    uint64_t m_entry = 0;
    uint16_t m_machine = 0;
    std::vector<ElfSegment> m_segments;
    std::vector<ElfSymbol> m_symbols;
    std::map<std::string, size_t, std::less<>> m_by_name;
};

}  // namespace presil::platform
