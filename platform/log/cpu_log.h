// SPDX-License-Identifier: Apache-2.0
// CpuLog: one CPU's side of the logs and the timeline (engine observer, syncs, transports, exceptions).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include <systemc>

#include "platform/log/logger.h"
#include "platform/log/timeline.h"
#include "platform/runtime.h"
#include "tcg/engine.h"
#include "tcg/observer.h"

namespace presil::platform::log {

/// One transport of a CPU to the bus (for `-d mmio` and the timeline).
struct TransportRecord {
    bool write = false;              ///< write (else read)
    uint64_t addr = 0;               ///< bus address
    const uint8_t* data = nullptr;   ///< bytes read or written
    unsigned size = 0;               ///< bytes
    sc_core::sc_time start;          ///< simulated time of the access (the CPU's local time)
    sc_core::sc_time delay;          ///< delay the target annotated
    bool ok = true;                  ///< TLM_OK_RESPONSE
    std::string_view response;       ///< response status text
};

/// The logging and tracing of one CPU module. Created by the CPU module when
/// BoardRuntime has a Logger or a Timeline; it installs itself as the
/// engine's observer for the categories that need engine events (in_asm, op,
/// op_opt, out_asm, exec). Everything else is called by the CPU module where
/// the event happens.
class CpuLog : public tcg::EngineObserver {
public:
    /// What the log needs from its CPU module.
    struct Source {
        std::string cpu;                                         ///< CPU instance name
        std::string isa;                                         ///< registered isa (for disassembly)
        std::function<sc_core::sc_time()> now;                   ///< the CPU's local simulated time
        std::function<unsigned(uint64_t, void*, unsigned)> read;  ///< debug read of guest memory (code bytes)
    };

    /// Logs to what `o` enables (its logger and/or timeline); `o` outlives this.
    CpuLog(const BoardRuntime& rt, const Observability& o, Source src);
    ~CpuLog() override;

    /// Installs this as `engine`'s observer for the enabled categories (none: no observer).
    void attach(tcg::Engine& engine);

    // tcg::EngineObserver
    void block_ir(const tcg::TbKey& key, const tcg::Block& ir) override;
    void block_translated(const tcg::TranslationBlock& tb, const tcg::Block& ir) override;
    void block_exec(const tcg::TranslationBlock& tb) override;

    /// A sync with SystemC time: `cause`, the CPU's local time before it and the cycles it was ahead.
    void sync(std::string_view cause, const sc_core::sc_time& local, int64_t ahead_cycles, uint64_t insns);
    /// A transport to the bus.
    void transport(const TransportRecord& t);
    /// An exception or interrupt entered: number and name, when it became pending and when its
    /// handler started (simulated time and cycles), the interrupted pc and the handler's pc.
    void exception(unsigned number, std::string_view name, const sc_core::sc_time& raised,
                   const sc_core::sc_time& entered, uint64_t latency_cycles, uint64_t return_pc,
                   uint64_t handler_pc);
    /// `-d unimp` line: the guest touched something unimplemented at `addr` (pc when known).
    void unimp(std::string_view what, uint64_t addr);
    /// `-d guest_errors` line: the guest caused an error at `addr`.
    void guest_error(std::string_view what, uint64_t addr);

    /// True when category `c` is enabled.
    bool on(Category c) const { return m_logger && m_logger->on(c); }
    /// The timeline (nullptr when none).
    Timeline* timeline() const { return m_timeline; }
    /// The CPU's track on the timeline.
    int cpu_track() const { return m_cpu_track; }

private:
    std::string where(uint64_t pc) const;
    std::string disassemble_guest(const tcg::TranslationBlock& tb) const;

    Region region(uint64_t addr) const { return m_obs.region ? m_obs.region(addr) : Region{}; }

    const BoardRuntime& m_rt;
    const Observability& m_obs;  ///< region names are filled in after the board is built
    Logger* m_logger;
    Timeline* m_timeline;
    Source m_src;
    tcg::Engine* m_engine = nullptr;
    int m_cpu_track = 0;
    int m_irq_track = 0;
    size_t m_disasm = 0;  ///< Capstone handle (0: none for this isa)
};

}  // namespace presil::platform::log
