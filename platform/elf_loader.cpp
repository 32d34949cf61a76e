// SPDX-License-Identifier: Apache-2.0
// ELF programs: libelf reading with checks, PT_LOAD segments written over the bus, symbols.
#include "platform/elf_loader.h"

#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "platform/board_builder.h"

namespace presil::platform {
namespace {

/// Machine names for messages (the common ones; others print as numbers).
constexpr std::array<std::pair<uint16_t, const char*>, 8> kMachines{{{EM_ARM, "ARM"},
                                                                    {EM_AARCH64, "AArch64"},
                                                                    {EM_386, "i386"},
                                                                    {EM_X86_64, "x86-64"},
                                                                    {EM_RISCV, "RISC-V"},
                                                                    {EM_MIPS, "MIPS"},
                                                                    {EM_PPC, "PowerPC"},
                                                                    {EM_NONE, "none"}}};

std::string machine_name(uint16_t m) {
    for (const auto& [code, name] : kMachines)
        if (code == m) return fmt::format("{} (e_machine {})", name, m);
    return fmt::format("e_machine {}", m);
}

/// Owns the file descriptor and libelf handle.
class ElfFile {
public:
    ElfFile(const std::string& path) : m_path(path) {
        if (elf_version(EV_CURRENT) == EV_NONE) fail("libelf is unusable: " + std::string(elf_errmsg(-1)));
        m_fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);  // a FIFO must not block
        if (m_fd < 0) fail(std::string("cannot open: ") + std::strerror(errno));
        struct stat st {};
        if (::fstat(m_fd, &st) != 0) fail(std::string("cannot read: ") + std::strerror(errno));
        if (!S_ISREG(st.st_mode))
            fail(S_ISDIR(st.st_mode) ? "is a directory, not an ELF file" : "is not a regular file");
        m_elf = elf_begin(m_fd, ELF_C_READ, nullptr);
        if (!m_elf) fail(std::string("cannot read: ") + elf_errmsg(-1));
    }
    ~ElfFile() {
        if (m_elf) elf_end(m_elf);
        if (m_fd >= 0) ::close(m_fd);
    }
    ElfFile(const ElfFile&) = delete;
    ElfFile& operator=(const ElfFile&) = delete;

    Elf* elf() const { return m_elf; }
    /// True when the file starts with the ELF magic bytes.
    bool has_magic() const {
        char magic[SELFMAG];
        return ::pread(m_fd, magic, SELFMAG, 0) == SELFMAG && std::memcmp(magic, ELFMAG, SELFMAG) == 0;
    }
    [[noreturn]] void fail(const std::string& what) const { throw ElfError(m_path + ": " + what); }

private:
    std::string m_path;
    int m_fd = -1;
    Elf* m_elf = nullptr;
};

}  // namespace

ElfImage ElfImage::read(const std::string& path, const CpuTraits& cpu) {
    ElfFile f(path);
    Elf* elf = f.elf();
    if (elf_kind(elf) != ELF_K_ELF) {
        if (f.has_magic()) f.fail("truncated or corrupt ELF header (the file is shorter than an ELF header)");
        f.fail("not an ELF file");
    }
    size_t file_size = 0;
    const char* raw = elf_rawfile(elf, &file_size);
    if (!raw || file_size < EI_NIDENT) f.fail("truncated ELF file (no complete identification)");
    int cls = gelf_getclass(elf);
    unsigned bits = cls == ELFCLASS32 ? 32 : cls == ELFCLASS64 ? 64 : 0;
    if (bits == 0) f.fail("invalid ELF class");
    if (cpu.elf_machine != 0 && bits != cpu.elf_class)
        f.fail(fmt::format("{}-bit ELF file, but the board's CPU runs {}-bit programs", bits, cpu.elf_class));
    GElf_Ehdr eh;
    if (!gelf_getehdr(elf, &eh)) f.fail(std::string("truncated or corrupt ELF header: ") + elf_errmsg(-1));
    if (cpu.elf_machine != 0 && eh.e_machine != cpu.elf_machine)
        f.fail("wrong machine " + machine_name(eh.e_machine) + ", the board's CPU runs " + machine_name(cpu.elf_machine));
    if (eh.e_type != ET_EXEC && eh.e_type != ET_DYN) f.fail(fmt::format("not an executable (e_type {})", eh.e_type));

    ElfImage img;
    img.m_path = path;
    img.m_entry = eh.e_entry;
    img.m_machine = eh.e_machine;

    size_t phnum = 0;
    if (elf_getphdrnum(elf, &phnum) != 0) f.fail(std::string("corrupt program headers: ") + elf_errmsg(-1));
    if (phnum == 0) f.fail("no program headers (not a linked executable)");
    for (size_t i = 0; i < phnum; ++i) {
        GElf_Phdr ph;
        if (!gelf_getphdr(elf, static_cast<int>(i), &ph))
            f.fail(fmt::format("truncated or corrupt program header {}: {}", i, elf_errmsg(-1)));
        if (ph.p_type != PT_LOAD || ph.p_memsz == 0) continue;
        if (ph.p_filesz > ph.p_memsz) f.fail(fmt::format("segment {} has a file size larger than its memory size", i));
        if (ph.p_offset > file_size || ph.p_filesz > file_size - ph.p_offset)
            f.fail(fmt::format("truncated: segment {} needs bytes {:#x}..{:#x} but the file has {:#x} bytes", i,
                               ph.p_offset, ph.p_offset + ph.p_filesz, file_size));
        ElfSegment seg{ph.p_paddr, ph.p_vaddr, ph.p_memsz,
                       std::vector<uint8_t>(raw + ph.p_offset, raw + ph.p_offset + ph.p_filesz)};
        img.m_segments.push_back(std::move(seg));
    }
    if (img.m_segments.empty()) f.fail("no loadable (PT_LOAD) segments");

    // Symbols: every named function/object/untyped symbol of .symtab.
    Elf_Scn* scn = nullptr;
    while ((scn = elf_nextscn(elf, scn)) != nullptr) {
        GElf_Shdr sh;
        if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB) continue;
        Elf_Data* data = elf_getdata(scn, nullptr);
        if (!data) f.fail(std::string("truncated symbol table: ") + elf_errmsg(-1));
        size_t count = sh.sh_entsize ? sh.sh_size / sh.sh_entsize : 0;
        for (size_t i = 0; i < count; ++i) {
            GElf_Sym sym;
            if (!gelf_getsym(data, static_cast<int>(i), &sym)) break;
            int type = GELF_ST_TYPE(sym.st_info);
            if (sym.st_shndx == SHN_UNDEF || (type != STT_FUNC && type != STT_OBJECT && type != STT_NOTYPE)) continue;
            const char* name = elf_strptr(elf, sh.sh_link, sym.st_name);
            if (!name || !*name || name[0] == '$') continue;  // ARM mapping symbols $a/$t/$d
            uint64_t addr = sym.st_value;
            if (eh.e_machine == EM_ARM && type == STT_FUNC) addr &= ~uint64_t{1};
            img.m_symbols.push_back(ElfSymbol{name, addr, sym.st_size, type == STT_FUNC});
        }
    }
    std::stable_sort(img.m_symbols.begin(), img.m_symbols.end(),
                     [](const ElfSymbol& a, const ElfSymbol& b) { return a.address < b.address; });
    // Several symbols may share a name (locals in different files): the lowest address wins.
    for (size_t i = 0; i < img.m_symbols.size(); ++i) img.m_by_name.emplace(img.m_symbols[i].name, i);
    return img;
}

std::optional<uint64_t> ElfImage::address_of(std::string_view name) const {
    auto it = m_by_name.find(name);
    if (it == m_by_name.end()) return std::nullopt;
    return m_symbols[it->second].address;
}

const ElfSymbol* ElfImage::symbol_at(uint64_t addr) const {
    auto it = std::upper_bound(m_symbols.begin(), m_symbols.end(), addr,
                               [](uint64_t a, const ElfSymbol& s) { return a < s.address; });
    // Walk back over symbols at or below addr: prefer one whose [address, address+size) holds addr,
    // then a sized-zero one (label) directly below.
    const ElfSymbol* label = nullptr;
    while (it != m_symbols.begin()) {
        --it;
        if (it->size != 0 && addr < it->address + it->size) return &*it;
        if (it->size == 0 && !label) label = &*it;
        if (it->size != 0) break;
    }
    return label;
}

std::string ElfImage::describe(uint64_t addr) const {
    const ElfSymbol* s = symbol_at(addr);
    if (!s) return fmt::format("{:#010x}", addr);
    if (s->address == addr) return s->name;
    return fmt::format("{}+{:#x}", s->name, addr - s->address);
}

void ElfImage::load_into(Board& board) const {
    for (size_t i = 0; i < m_segments.size(); ++i) {
        const ElfSegment& seg = m_segments[i];
        if (!board.memory_at(seg.paddr, seg.memsz))
            throw ElfError(fmt::format("{}: segment {} [{:#010x}, {:#010x}] is outside any memory of board '{}'", m_path,
                                       i, seg.paddr, seg.paddr + seg.memsz - 1, board.desc().name));
        std::vector<uint8_t> bytes(seg.data);
        bytes.resize(seg.memsz, 0);
        constexpr size_t kChunk = 1u << 20;
        for (size_t off = 0; off < bytes.size(); off += kChunk) {
            unsigned n = static_cast<unsigned>(std::min(kChunk, bytes.size() - off));
            if (board.debug_port().write(seg.paddr + off, bytes.data() + off, n) != n)
                throw ElfError(fmt::format("{}: the bus refused segment {} at {:#010x}", m_path, i, seg.paddr + off));
        }
    }
}

}  // namespace presil::platform
