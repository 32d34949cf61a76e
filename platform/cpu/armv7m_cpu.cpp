// SPDX-License-Identifier: Apache-2.0
// The armv7m CPU module: an ArmCpu + MProfile (NVIC, SysTick, DWT, semihosting) on the engine.
//
// Owns: the private peripheral bus (0xE0000000-0xE00FFFFF: SCS, NVIC, SysTick,
// DWT), which never reaches the board's router; interrupt inputs (board IRQ n
// is NVIC external interrupt n); semihosting I/O to the host's stdout/stderr
// and the guest's exit status, reported to the board runtime.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <utility>

#include <fmt/format.h>

#include "cpu/arm/arm_cpu.h"
#include "cpu/arm/m_profile.h"
#include "host/backends.h"
#include "platform/cpu/engine_cpu.h"
#include "platform/gdb/arm_m.h"
#include "platform/log/cpu_log.h"
#include "platform/runtime.h"

namespace presil::platform {
namespace {

/// Guest memory as an M-profile core sees it: the PPB is internal, the rest is the bus.
class PpbMemory : public tcg::GuestMemory {
 public:
  PpbMemory(tcg::GuestMemory& bus, std::function<void()> before_mmio, std::function<void()> after_access,
            std::function<void()> after_ppb_write)
      : m_bus(bus),
        m_before_mmio(std::move(before_mmio)),
        m_after_access(std::move(after_access)),
        m_after_ppb_write(std::move(after_ppb_write)) {}
  void bind(cpu::arm::MProfile& mp) { m_mp = &mp; }
  /// The CPU whose statistics time the device accesses.
  void bind_cpu(EngineCpu& cpu) { m_cpu = &cpu; }
  /// Reports accesses to unimplemented PPB registers to `log` (-d unimp).
  void set_log(log::CpuLog* log) { m_log = log; }

  bool map(uint64_t addr, tcg::Access kind, tcg::HostRegion& out) override {
    if (in_ppb(addr)) return false;
    return m_bus.map(addr, kind, out);
  }
  tcg::MemResult read(uint64_t addr, void* data, unsigned size, tcg::Access kind) override {
    if (in_ppb(addr) && m_mp) {
      if (m_log) [[unlikely]] check_ppb(addr, size, false);
      uint32_t v = 0;
      tcg::MemResult r;
      r.ok = m_mp->ppb_read(static_cast<uint32_t>(addr - cpu::arm::MProfile::kPpbBase), size, v);
      std::memcpy(data, &v, size > 4 ? 4 : size);
      return r;
    }
    m_before_mmio();
    const tcg::MemResult r = m_cpu->timed_access(addr, [&] { return m_bus.read(addr, data, size, kind); });
    if (!r.pure) m_after_access();  // a read without side effects scheduled nothing
    return r;
  }
  tcg::MemResult write(uint64_t addr, const void* data, unsigned size) override {
    if (in_ppb(addr) && m_mp) {
      if (m_log) [[unlikely]] check_ppb(addr, size, true);
      uint32_t v = 0;
      std::memcpy(&v, data, size > 4 ? 4 : size);
      tcg::MemResult r;
      r.ok = m_mp->ppb_write(static_cast<uint32_t>(addr - cpu::arm::MProfile::kPpbBase), size, v);
      m_after_ppb_write();  // SysTick may have been (re)programmed
      return r;
    }
    m_before_mmio();
    const tcg::MemResult r = m_cpu->timed_access(addr, [&] { return m_bus.write(addr, data, size); });
    m_after_access();
    return r;
  }

 private:
  void check_ppb(uint64_t addr, unsigned size, bool write) {
    if (!m_mp->ppb_implemented(static_cast<uint32_t>(addr - cpu::arm::MProfile::kPpbBase)))
      m_log->unimp(fmt::format("{} of {} bytes to an unimplemented system register (PPB)", write ? "write" : "read",
                               size), addr);
  }
  static bool in_ppb(uint64_t addr) {
    return addr >= cpu::arm::MProfile::kPpbBase &&
           addr < uint64_t(cpu::arm::MProfile::kPpbBase) + cpu::arm::MProfile::kPpbSize;
  }
  tcg::GuestMemory& m_bus;
  std::function<void()> m_before_mmio;
  std::function<void()> m_after_access;
  std::function<void()> m_after_ppb_write;
  cpu::arm::MProfile* m_mp = nullptr;
  EngineCpu* m_cpu = nullptr;
  log::CpuLog* m_log = nullptr;
};

/// Name of an ARMv7-M exception number.
std::string exception_name(unsigned n) {
  static constexpr const char* kNames[16] = {"thread",     "Reset",    "NMI",      "HardFault",
                                             "MemManage",  "BusFault", "UsageFault", "reserved",
                                             "reserved",   "reserved", "reserved", "SVCall",
                                             "DebugMonitor", "reserved", "PendSV", "SysTick"};
  return n < 16 ? kNames[n] : fmt::format("IRQ {}", n - 16);
}

/// Picks the back-end: the `backend` option, else $PRESIL_BACKEND, else the default.
std::string backend_choice(OptionReader& opts) {
  std::string def;
  if (const char* env = std::getenv("PRESIL_BACKEND"); env && *env) def = env;
  std::string name = opts.string("backend", def);
  if (name.empty()) name = host::backend_names().front();
  for (const auto& n : host::backend_names()) {
    if (n == name) return name;
  }
  std::string known;
  for (const auto& n : host::backend_names()) known += (known.empty() ? "" : ", ") + n;
  opts.fail("backend", "unknown back-end '" + name + "' (built in: " + known + ")");
}

class Armv7mCpu final : public EngineCpu {
 public:
  Armv7mCpu(const CpuConfig& cfg)
      : EngineCpu(cfg.name.c_str(), cfg),
        m_cpu(timing_of(cfg)),
        m_ppb(
            bus(), [this] { maybe_sync_for_mmio(); }, [this] { after_device_access(); },
            [this] { after_internal_access(); }) {
    cpu::arm::MProfileConfig mc;
    mc.num_irq = static_cast<unsigned>(cfg.options.get<uint64_t>("num-irq", 32));
    if (mc.num_irq < 1 || mc.num_irq > 496) cfg.options.fail("num-irq", "expected 1..496 external interrupts");
    mc.priority_bits = static_cast<unsigned>(cfg.options.get<uint64_t>("priority-bits", 3));
    if (mc.priority_bits < 2 || mc.priority_bits > 8) cfg.options.fail("priority-bits", "expected 2..8 priority bits");
    mc.vtor_reset = static_cast<uint32_t>(cfg.options.size("vtor", 0));
    // SysTick reference clock: 1 MHz-ish divisor as configured (0 = none).
    mc.systick_ref_divisor = static_cast<uint32_t>(cfg.options.get<uint64_t>("systick-ref-divisor", 25));
    mc.semihosting = cfg.rt.semihosting();
    tcg::EngineOptions eo;
    eo.single_step = cfg.options.get<bool>("single-step", false);
    eo.no_chain = cfg.options.get<bool>("no-chain", false);
    // Fast memory (guest RAM aliased for one-instruction accesses): on unless the
    // board or $PRESIL_FASTMEM=0 turns it off (A/B comparisons, debugging the JIT).
    const char* fm_env = std::getenv("PRESIL_FASTMEM");
    eo.fastmem = cfg.options.get<bool>("fastmem", !(fm_env && std::string_view(fm_env) == "0"));
    set_sync_on_mmio(cfg.options.get<bool>("sync-on-mmio", false));
    const std::string backend = backend_choice(cfg.options);

    m_mp = std::make_unique<cpu::arm::MProfile>(m_cpu.state(), m_ppb, mc);
    m_ppb.bind(*m_mp);
    m_ppb.bind_cpu(*this);
    m_num_irq = mc.num_irq;
    m_mp->set_cycle_source([this] { return cycle_now(); });
    m_mp->set_interrupt_callback([this] { wake(); });
    cpu::arm::SemihostIo io;
    io.write = [](int fd, std::string_view bytes) {
      std::FILE* f = fd == 2 ? stderr : stdout;
      std::fwrite(bytes.data(), 1, bytes.size(), f);
      std::fflush(f);
    };
    io.read_char = [] { return std::getchar(); };
    io.exit = [this](int status) {
      std::fflush(stdout);
      m_rt.request_exit(status);
      engine().request_exit();
    };
    io.time_ns = [this] { return static_cast<uint64_t>(local_now().to_seconds() * 1e9); };
    // A fixed epoch keeps reruns identical: 2026-01-01T00:00:00Z + simulated seconds.
    io.epoch_seconds = [this] { return uint64_t(1767225600) + static_cast<uint64_t>(local_now().to_seconds()); };
    m_mp->set_semihost_io(std::move(io));
    start_engine(m_cpu, m_ppb, host::make_backend(backend), eo);
    if (log::CpuLog* l = cpu_log()) {
      m_ppb.set_log(l);
      m_mp->add_entry_observer([this, l](const cpu::arm::ExceptionEntry& e) { report_entry(*l, e); });
    }
  }

  void irq_changed(unsigned line, bool level) override {
    // Due at the SystemC time of the change, which is behind this CPU's time while it runs ahead.
    m_mp->set_irq(line, level, cycle_at_systemc_now());
    wake();
  }
  void set_entry(uint64_t) override {}  // the vector table gives SP and PC
  void reset() override { m_mp->reset(); }
  unsigned num_irqs() const override { return m_num_irq; }

  // GDB: ARMv7-M registers (platform/gdb/arm_m.h); the PPB is read inside the core.
  std::string target_xml() const override { return gdb::arm_m::target_xml(); }
  unsigned register_count() const override { return gdb::arm_m::kCount; }
  unsigned pc_register() const override { return gdb::arm_m::kPc; }
  bool read_register(unsigned reg, uint64_t& v) override { return gdb::arm_m::read_register(m_cpu, reg, v); }
  bool write_register(unsigned reg, uint64_t v) override { return gdb::arm_m::write_register(m_cpu, reg, v); }
  size_t read_memory(uint64_t addr, uint8_t* data, size_t len) override {
    if (!gdb::arm_m::in_ppb(addr, len)) return EngineCpu::read_memory(addr, data, len);
    return gdb::arm_m::ppb_access(*m_mp, addr, data, len, false);
  }
  size_t write_memory(uint64_t addr, const uint8_t* data, size_t len) override {
    if (!gdb::arm_m::in_ppb(addr, len)) return EngineCpu::write_memory(addr, data, len);
    return gdb::arm_m::ppb_access(*m_mp, addr, const_cast<uint8_t*>(data), len, true);
  }

 protected:
  uint64_t cycles_to_internal_event() const override { return m_mp->cycles_to_next_event(); }
  void advance_internal(uint64_t) override { m_mp->advance_to(cycle_now()); }  // sync() without the std::function
  bool stopped() const override { return m_cpu.halted() || m_rt.exit_requested(); }
  void watch_interrupts(bool on) override {
    if (on && !m_entry_observer) {
      m_entry_observer = m_mp->add_entry_observer([this](const cpu::arm::ExceptionEntry& e) {
        report_interrupt({e.number, e.due_cycle, e.entry_cycle, e.pc, e.interrupt, e.tail_chained});
      });
    } else if (!on && m_entry_observer) {
      m_mp->remove_entry_observer(m_entry_observer);
      m_entry_observer = 0;
    }
  }
  uint64_t state_hash() const override {
    // FNV-1a over r0-r15, xPSR, both stack pointers, PRIMASK/BASEPRI/FAULTMASK/CONTROL.
    const cpu::arm::ArmState& s = m_cpu.state();
    uint64_t h = 0xcbf29ce484222325ull;
    auto mix = [&h](uint32_t v) {
      for (int i = 0; i < 4; ++i) h = (h ^ ((v >> (8 * i)) & 0xFF)) * 0x100000001b3ull;
    };
    for (uint32_t r : s.r) mix(r);
    mix(m_mp->xpsr());
    mix(m_mp->msp());
    mix(m_mp->psp());
    mix(s.primask);
    mix(s.basepri);
    mix(s.faultmask);
    mix(s.control);
    return h;
  }

 private:
  /// -d int / guest_errors / unimp and the timeline for one exception entry.
  void report_entry(log::CpuLog& l, const cpu::arm::ExceptionEntry& e) {
    const uint32_t handler = m_cpu.state().r[15];
    l.exception(e.number, exception_name(e.number), period() * static_cast<double>(e.due_cycle),
                period() * static_cast<double>(e.entry_cycle), e.entry_cycle - std::min(e.due_cycle, e.entry_cycle),
                e.pc, handler);
    if (e.number < 3 || e.number > 6) return;
    // A fault: say what the guest did (CFSR/HFSR and the fault addresses).
    uint32_t cfsr = 0, hfsr = 0, mmfar = 0, bfar = 0;
    m_mp->scs_read(0xD28, 4, cfsr);
    m_mp->scs_read(0xD2C, 4, hfsr);
    m_mp->scs_read(0xD34, 4, mmfar);
    m_mp->scs_read(0xD38, 4, bfar);
    std::string what = fmt::format("{} (CFSR {:#010x}, HFSR {:#010x}", exception_name(e.number), cfsr, hfsr);
    if (cfsr & (1u << 15)) what += fmt::format(", BFAR {:#010x}", bfar);
    if (cfsr & (1u << 7)) what += fmt::format(", MMFAR {:#010x}", mmfar);
    what += ")";
    static constexpr std::pair<uint32_t, const char*> kBits[] = {
        {1u << 0, "instruction access violation"}, {1u << 1, "data access violation"},
        {1u << 8, "instruction bus error"},        {1u << 9, "precise data bus error"},
        {1u << 10, "imprecise data bus error"},    {1u << 12, "bus error stacking"},
        {1u << 16, "undefined instruction"},       {1u << 17, "invalid state"},
        {1u << 18, "invalid exception return"},    {1u << 19, "no coprocessor"},
        {1u << 24, "unaligned access"},            {1u << 25, "divide by zero"}};
    for (const auto& [bit, text] : kBits)
      if (cfsr & bit) what += std::string(": ") + text;
    if (hfsr & (1u << 30)) what += ": escalated to HardFault";
    if (hfsr & (1u << 1)) what += ": vector table read failed";
    l.guest_error(what, e.pc);
    if (cfsr & ((1u << 16) | (1u << 19))) {
      uint16_t hw[2] = {};
      bus().debug_read(e.pc, hw, 4);
      const bool wide = (hw[0] & 0xF800u) >= 0xE800u;
      l.unimp(wide ? fmt::format("undefined instruction {:04x} {:04x}", hw[0], hw[1])
                   : fmt::format("undefined instruction {:04x}", hw[0]),
              e.pc);
    }
  }

  static cpu::arm::TimingTable timing_of(const CpuConfig& cfg) {
    cpu::arm::TimingTable t;
    const std::string name = cfg.timing.empty() ? cfg.model : cfg.timing;
    if (!cpu::arm::TimingTable::by_name(name, t)) {
      cfg.options.fail("timing", "unknown timing table '" + name + "' (known: flat, cortex-m3)");
    }
    return t;
  }

  cpu::arm::ArmCpu m_cpu;
  PpbMemory m_ppb;
  std::unique_ptr<cpu::arm::MProfile> m_mp;
  size_t m_entry_observer = 0;  ///< id of the MProfile observer feeding report_interrupt (0: none)
  unsigned m_num_irq = 32;
};

const CpuRegistrar kArmv7m{"armv7m", "ARMv7-M Thumb-2 core (Cortex-M3) with NVIC, SysTick, DWT, semihosting",
                           CpuTraits{32, 40 /* EM_ARM */, 32},
                           [](const CpuConfig& cfg) -> std::unique_ptr<CpuModule> {
                             return std::make_unique<Armv7mCpu>(cfg);
                           }};

}  // namespace
}  // namespace presil::platform
