// SPDX-License-Identifier: Apache-2.0
// CpuLog: formats one CPU's translate/exec/sync/transport/exception events for -d and the timeline.
#include "platform/log/cpu_log.h"

#include <capstone/capstone.h>

#include <vector>

#include "platform/elf_loader.h"

namespace presil::platform::log {

namespace {

std::string time_text(const sc_core::sc_time& t) {
    const double us = t.to_seconds() * 1e6;
    return fmt::format("{:.6f} us", us);
}

/// Capstone architecture and mode of a registered isa (false: no disassembler).
bool capstone_mode(std::string_view isa, cs_arch& arch, cs_mode& mode) {
    if (isa == "armv7m") {
        arch = CS_ARCH_ARM;
        mode = static_cast<cs_mode>(CS_MODE_THUMB | CS_MODE_MCLASS);
        return true;
    }
    if (isa == "x86" || isa == "i386") {
        arch = CS_ARCH_X86;
        mode = CS_MODE_32;
        return true;
    }
    if (isa == "x86_64") {
        arch = CS_ARCH_X86;
        mode = CS_MODE_64;
        return true;
    }
    return false;
}

std::string hex_bytes(const uint8_t* data, unsigned size) {
    // Little-endian value for the usual widths, byte list otherwise.
    if (data && (size == 1 || size == 2 || size == 4 || size == 8)) {
        uint64_t v = 0;
        for (unsigned i = 0; i < size; ++i) v |= uint64_t(data[i]) << (8 * i);
        return fmt::format("{:#0{}x}", v, 2 + 2 * size);
    }
    std::string s;
    for (unsigned i = 0; data && i < size; ++i) s += fmt::format("{:02x}", data[i]);
    return s;
}

}  // namespace

CpuLog::CpuLog(const BoardRuntime& rt, const Observability& o, Source src)
    : m_rt(rt), m_obs(o), m_logger(o.logger), m_timeline(o.timeline), m_src(std::move(src)) {
    if (m_timeline) {
        m_cpu_track = m_timeline->track(m_src.cpu);
        m_irq_track = m_timeline->track(m_src.cpu + " interrupts");
    }
    cs_arch arch;
    cs_mode mode;
    if (m_logger && m_logger->on(Category::InAsm) && capstone_mode(m_src.isa, arch, mode)) {
        csh h = 0;
        if (cs_open(arch, mode, &h) == CS_ERR_OK) m_disasm = h;
    }
}

CpuLog::~CpuLog() {
    if (m_disasm) {
        csh h = m_disasm;
        cs_close(&h);
    }
}

void CpuLog::attach(tcg::Engine& engine) {
    m_engine = &engine;
    unsigned events = 0;
    if (on(Category::Op)) events |= tcg::Observe::IrBefore;
    if (on(Category::InAsm) || on(Category::OpOpt) || on(Category::OutAsm)) events |= tcg::Observe::Translate;
    if (on(Category::Exec)) events |= tcg::Observe::Exec;
    engine.set_observer(events ? this : nullptr, events);
}

std::string CpuLog::where(uint64_t pc) const {
    const ElfImage* image = m_rt.image();
    if (!image) return {};
    const ElfSymbol* s = image->symbol_at(pc);
    if (!s) return {};
    return " <" + image->describe(pc) + ">";
}

std::string CpuLog::disassemble_guest(const tcg::TranslationBlock& tb) const {
    std::vector<uint8_t> code(tb.guest_size);
    const unsigned n = m_src.read ? m_src.read(tb.key.pc, code.data(), tb.guest_size) : 0;
    if (n == 0) return "  (guest code not readable)\n";
    std::string out;
    if (!m_disasm) {
        for (unsigned i = 0; i < n; i += 16) {
            out += fmt::format("  {:#010x}: ", tb.key.pc + i);
            for (unsigned k = i; k < n && k < i + 16; ++k) out += fmt::format(" {:02x}", code[k]);
            out += "\n";
        }
        return out;
    }
    const csh h = m_disasm;
    cs_insn* insn = nullptr;
    const size_t count = cs_disasm(h, code.data(), n, tb.key.pc, 0, &insn);
    uint64_t done = 0;
    for (size_t i = 0; i < count; ++i) {
        std::string bytes;
        for (unsigned k = 0; k < insn[i].size; ++k) bytes += fmt::format("{:02x}", insn[i].bytes[k]);
        out += fmt::format("  {:#010x}:  {:<10} {} {}\n", insn[i].address, bytes, insn[i].mnemonic, insn[i].op_str);
        done = insn[i].address + insn[i].size - tb.key.pc;
    }
    if (count) cs_free(insn, count);
    if (done < n) out += fmt::format("  {:#010x}:  (not decodable by Capstone)\n", tb.key.pc + done);
    return out;
}

void CpuLog::block_ir(const tcg::TbKey& key, const tcg::Block& ir) {
    if (!m_logger->wants(Category::Op, key.pc)) return;
    m_logger->print("OP: {} pc {:#010x}{}\n{}\n", m_src.cpu, key.pc, where(key.pc), ir.to_string());
}

void CpuLog::block_translated(const tcg::TranslationBlock& tb, const tcg::Block& ir) {
    if (!m_logger->in_filter(tb.key.pc, tb.guest_size)) return;
    if (m_logger->on(Category::InAsm)) {
        m_logger->print("IN: {} pc {:#010x}{} ({} insns, {} bytes, {} cycles)\n{}\n", m_src.cpu, tb.key.pc,
                        where(tb.key.pc), tb.num_insns, tb.guest_size, tb.cycles, disassemble_guest(tb));
    }
    if (m_logger->on(Category::OpOpt)) {
        m_logger->print("OP after optimization: {} pc {:#010x}{}\n{}\n", m_src.cpu, tb.key.pc, where(tb.key.pc),
                        ir.to_string());
    }
    if (m_logger->on(Category::OutAsm)) {
        tcg::Backend& be = m_engine->backend();
        const std::string_view kind = std::string_view(be.name()) == "interp" ? "interpreter bytecode" : "host code";
        std::string text = be.disassemble(tb);
        if (text.empty()) text = "  (this back-end cannot print its code)\n";
        m_logger->print("OUT: {} pc {:#010x} [{} back-end {}, {} bytes at {}]\n{}\n", m_src.cpu, tb.key.pc, kind,
                        be.name(), tb.code_size, fmt::ptr(tb.code), text);
    }
}

void CpuLog::block_exec(const tcg::TranslationBlock& tb) {
    if (!m_logger->in_filter(tb.key.pc, tb.guest_size)) return;
    m_logger->print("exec: {} t={} pc {:#010x}{} insns {} flags {:#x}\n", m_src.cpu, time_text(m_src.now()),
                    tb.key.pc, where(tb.key.pc), tb.num_insns, tb.key.flags);
}

void CpuLog::sync(std::string_view cause, const sc_core::sc_time& local, int64_t ahead_cycles, uint64_t insns) {
    if (m_logger && m_logger->on(Category::Sync)) {
        m_logger->print("sync: {} t={} cause {} ahead {} cycles (SystemC time {}) insns {}\n", m_src.cpu,
                        time_text(local), cause, ahead_cycles, time_text(sc_core::sc_time_stamp()), insns);
    }
    if (m_timeline) {
        m_timeline->instant(m_cpu_track, fmt::format("sync {}", cause), "sync", local,
                            fmt::format("\"cause\":{},\"ahead_cycles\":{},\"insns\":{}", Timeline::quote(cause),
                                        ahead_cycles, insns));
        m_timeline->counter(m_src.cpu + " instructions", local, "insns", static_cast<double>(insns));
    }
}

void CpuLog::transport(const TransportRecord& t) {
    const Region reg = region(t.addr);
    const std::string where_text = reg.name.empty() ? "" : fmt::format(" ({}+{:#x})", reg.name, reg.offset);
    if (m_logger && m_logger->wants(Category::Mmio, t.addr, t.size)) {
        m_logger->print("mmio: {} {} {:#010x}{} size {} data {} delay {} response {} at t={}\n", m_src.cpu,
                        t.write ? "write" : "read", t.addr, where_text, t.size,
                        hex_bytes(t.data, t.size), t.delay.to_string(), t.response, time_text(t.start));
    }
    if (m_logger && !t.ok && m_logger->wants(Category::GuestErrors, t.addr, t.size)) {
        m_logger->print("guest_errors: {} bus error: {} of {} bytes at {:#010x}{}: {} at t={}\n", m_src.cpu,
                        t.write ? "write" : "read", t.size, t.addr, where_text,
                        t.response, time_text(t.start));
    }
    if (m_logger && !t.ok && !reg.name.empty() && reg.name != "unmapped" &&
        m_logger->wants(Category::Unimp, t.addr, t.size)) {
        m_logger->print("unimp: {} {} of {} bytes at {:#010x} ({}+{:#x}): the device has no register there ({})\n",
                        m_src.cpu, t.write ? "write" : "read", t.size, t.addr, reg.name, reg.offset, t.response);
    }
    if (m_timeline) {
        const int tid = m_timeline->track("bus " + (reg.name.empty() ? std::string("transactions") : reg.name));
        m_timeline->complete(tid, fmt::format("{} {:#x}", t.write ? "write" : "read", t.addr), "tlm", t.start, t.delay,
                             fmt::format("\"initiator\":{},\"addr\":\"{:#x}\",\"size\":{},\"data\":\"{}\",\"response\":{}",
                                         Timeline::quote(m_src.cpu), t.addr, t.size, hex_bytes(t.data, t.size),
                                         Timeline::quote(t.response)));
    }
}

void CpuLog::exception(unsigned number, std::string_view name, const sc_core::sc_time& raised,
                       const sc_core::sc_time& entered, uint64_t latency_cycles, uint64_t return_pc,
                       uint64_t handler_pc) {
    if (m_logger && m_logger->on(Category::Int) && (m_logger->in_filter(return_pc) || m_logger->in_filter(handler_pc))) {
        m_logger->print("int: {} exception {} ({}) raised t={} entered t={} latency {} cycles from pc {:#010x}{} to "
                        "handler {:#010x}{}\n",
                        m_src.cpu, number, name, time_text(raised), time_text(entered), latency_cycles, return_pc,
                        where(return_pc), handler_pc, where(handler_pc));
    }
    if (m_timeline) {
        const std::string label = fmt::format("{} {}", number, name);
        const sc_core::sc_time start = raised <= entered ? raised : entered;
        m_timeline->complete(m_irq_track, label, "interrupt", start, entered - start,
                             fmt::format("\"number\":{},\"latency_cycles\":{},\"from_pc\":\"{:#x}\",\"handler\":\"{:#x}\"",
                                         number, latency_cycles, return_pc, handler_pc));
        m_timeline->instant(m_irq_track, "entry " + label, "interrupt", entered);
    }
}

void CpuLog::unimp(std::string_view what, uint64_t addr) {
    if (!m_logger || !m_logger->wants(Category::Unimp, addr)) return;
    m_logger->print("unimp: {} {} at {:#010x}{} t={}\n", m_src.cpu, what, addr, where(addr), time_text(m_src.now()));
}

void CpuLog::guest_error(std::string_view what, uint64_t addr) {
    if (!m_logger || !m_logger->wants(Category::GuestErrors, addr)) return;
    m_logger->print("guest_errors: {} {} at {:#010x}{} t={}\n", m_src.cpu, what, addr, where(addr),
                    time_text(m_src.now()));
}

}  // namespace presil::platform::log
