// SPDX-License-Identifier: Apache-2.0
// ARMv7-M system model: exceptions and NVIC, special registers, SCS/SysTick/DWT, semihosting.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cpu/arm/state.h"
#include "tcg/ir/ir.h"
#include "tcg/memory.h"

namespace presil::cpu::arm {

/// Static configuration of an M-profile core (Cortex-M3 defaults, as QEMU's mps2-an385).
struct MProfileConfig {
  unsigned num_irq = 32;            ///< external interrupt lines (1..496)
  unsigned priority_bits = 3;       ///< implemented priority bits (2..8)
  uint32_t cpuid = 0x410fc231;      ///< SCB.CPUID (QEMU's cortex-m3 value)
  uint32_t vtor_reset = 0;          ///< VTOR after reset (vector table base)
  uint64_t clock_hz = 25'000'000;   ///< core clock (SYST_CALIB, default semihosting clock)
  /// Core cycles per SysTick reference-clock tick (0: no reference clock,
  /// CLKSOURCE reads as 1 and CALIB.NOREF is set). 25 = 1 MHz at 25 MHz, as mps2.
  uint32_t systick_ref_divisor = 25;
  /// SYST_CALIB override; 0 derives it from the reference clock (TENMS = ticks
  /// in 10 ms minus one, SKEW when inexact; NOREF without a reference clock).
  uint32_t systick_calib = 0;
  bool semihosting = false;         ///< BKPT 0xAB is a semihosting call (else a debug event)
  uint32_t entry_cycles = 0;        ///< cost of exception entry with stacking (Cortex-M3: 12)
  uint32_t tail_chain_cycles = 0;   ///< cost of a tail-chained entry (Cortex-M3: 6)
  uint32_t return_cycles = 0;       ///< cost of exception return with unstacking (Cortex-M3: 10)
};

/// Where semihosting talks to the host. Every callback is optional.
struct SemihostIo {
  /// Console output; fd 1 = stdout, 2 = stderr (default: the host's stdout/stderr).
  std::function<void(int fd, std::string_view bytes)> write;
  /// One character of console input, or -1 at end of input (default: EOF).
  std::function<int()> read_char;
  /// The guest asked to stop with this exit status.
  std::function<void(int status)> exit;
  /// Simulated nanoseconds since reset (SYS_CLOCK, SYS_ELAPSED; default: core cycles / clock_hz).
  std::function<uint64_t()> time_ns;
  /// Seconds since the Unix epoch for SYS_TIME (default: the host clock).
  std::function<uint64_t()> epoch_seconds;
};

/// How control last moved between exception levels (for timing tables).
enum class MTransition : uint8_t {
  None,       ///< nothing yet
  Entry,      ///< exception entry with stacking
  TailChain,  ///< entry from an exception return without unstacking
  Return,     ///< exception return with unstacking
};

/// One exception entry, as reported to entry observers (MProfile::add_entry_observer).
/// Cycles are the core's cycle count (the cycle source's, else advance()'s total).
struct ExceptionEntry {
  unsigned number = 0;        ///< exception number (16 + n: external interrupt n)
  uint64_t due_cycle = 0;     ///< cycle at which it became pending (set_irq's due_cycle for external lines)
  uint64_t entry_cycle = 0;   ///< cycle at which the handler's first instruction runs (entry cost included)
  uint32_t pc = 0;            ///< interrupted pc (stacked return address; tail-chained: the EXC_RETURN value)
  bool interrupt = false;     ///< asynchronous (IRQ, NMI, SysTick, PendSV, software-pended), not a fault/SVC/debug event
  bool tail_chained = false;  ///< entered by tail-chaining from an exception return
};

/// The ARMv7-M "system" half of a Cortex-M core: everything the instruction set
/// side does not do. It owns the special registers in ArmState's M-profile
/// section, the NVIC, the system control block, SysTick, the DWT cycle counter
/// and semihosting. It never includes SystemC; memory goes through GuestMemory.
class MProfile {
 public:
  /// Binds to the state (sets state.m_profile to this) and memory; call reset() before running.
  /// Throws std::invalid_argument for a configuration outside the architecture's limits.
  MProfile(ArmState& state, tcg::GuestMemory& memory, const MProfileConfig& config);
  MProfile(const MProfile&) = delete;
  MProfile& operator=(const MProfile&) = delete;

  /// The MProfile bound to a guest state (env pointer from generated code).
  static MProfile& of(void* env) {
    return *static_cast<MProfile*>(static_cast<ArmState*>(env)->m_profile);
  }

  // ----- Reset and run control ------------------------------------------------
  /// Core + NVIC + SCB reset: SP_main and PC from the vector table at VTOR.
  void reset();
  /// Takes the highest-priority pending exception if it may preempt now
  /// (wakes a sleeping core first). Returns true if an exception was entered.
  bool process_interrupts() {
    if (m_lockup || m_exited) return false;
    if (!m_maybe_pending && !m_sleeping) return false;  // fast path between blocks (inline)
    return take_pending();
  }
  /// True while the core sleeps (WFI/WFE, sleep-on-exit) with nothing to wake
  /// it, after a lockup, or after a semihosting exit.
  bool sleeping() const;
  /// Puts the core to sleep (true) or wakes it (false) unconditionally.
  void set_sleeping(bool sleeping) { m_sleeping = sleeping; }
  /// WFI: sleep until an exception could preempt (PRIMASK ignored for waking).
  void wfi();
  /// WFE: consume the event register, or sleep until an event.
  void wfe();
  /// SEV: set the event register.
  void sev() { m_event = true; }
  /// True after an unrecoverable fault (fault at HardFault/NMI priority).
  bool locked_up() const { return m_lockup; }
  /// True after a semihosting exit.
  bool exited() const { return m_exited; }
  /// Exit status reported by the semihosting exit.
  int exit_status() const { return m_exit_status; }

  // ----- Exceptions -------------------------------------------------------------
  /// Delivers an exception raised by the instruction side. `excp` is an
  /// ARMv7-M exception number or one of the kExcp* codes of state.h:
  ///  - kExcpUsageFault/BusFault/MemManage: state.fault_cfsr holds the CFSR
  ///    bits (and BFARVALID/MMARVALID with the address in common.fault_addr);
  ///    r[15] is the faulting instruction.
  ///  - kExcpSvc: r[15] is the instruction after the SVC.
  ///  - kExcpExceptionReturn: state.exc_return holds the value written to PC.
  ///  - kExcpSemihost / kExcpBkpt: r[15] is the BKPT, state.bkpt_imm its immediate.
  ///  - kExcpHalt: WFI (r[15] is the next instruction).
  ///  - kExcpGuestExit: nothing to do (the core stays stopped).
  /// Synchronous faults that cannot be taken escalate to HardFault (HFSR.FORCED);
  /// a fault that cannot escalate locks the core up.
  void take_exception(int excp);
  /// Exception return after PC was written with `exc_return` in handler mode
  /// (validation, deactivation, tail-chaining or unstacking).
  void exception_return(uint32_t exc_return);
  /// Level of external interrupt line n (NVIC input; a rising level pends it).
  /// The exception's due cycle (ExceptionEntry::due_cycle) is the current cycle.
  void set_irq(unsigned n, bool level);
  /// set_irq() with the cycle at which the line changed, as the caller's clock says
  /// (a CPU module that runs ahead of the interrupt's source passes the source's time).
  void set_irq(unsigned n, bool level, uint64_t due_cycle);
  /// Level of the NMI input (a rising level pends NMI).
  void set_nmi(bool level);
  /// Makes exception `excp` pending as software would (ISPR/ICSR), no escalation.
  void set_pending(unsigned excp);
  /// True if exception `excp` is pending.
  bool is_pending(unsigned excp) const { return excp < m_vec.size() && m_vec[excp].pending; }
  /// True if exception `excp` is active.
  bool is_active(unsigned excp) const { return excp < m_vec.size() && m_vec[excp].active; }
  /// Current execution priority (-3..256; 256 = thread mode, nothing boosting).
  int execution_priority() const;
  /// Highest-priority enabled pending exception (0: none).
  unsigned pending_exception() const;
  /// Adds an observer of exception entries (called after each entry, with the
  /// handler's pc in state); returns an id for remove_entry_observer().
  size_t add_entry_observer(std::function<void(const ExceptionEntry&)> fn);
  /// Removes an observer added by add_entry_observer().
  void remove_entry_observer(size_t id);
  /// How control last moved between exception levels.
  MTransition last_transition() const { return m_last_transition; }
  /// True when precise data bus faults must be ignored (CCR.BFHFNMIGN at a
  /// negative execution priority: HardFault, NMI, FAULTMASK); the CPU's data
  /// fault path then completes the access (loads read as zero) instead of raising.
  bool ignores_data_bus_faults() const { return (m_state.ccr & (1u << 8)) && execution_priority() < 0; }
  /// Cycles of exception entries/returns (config costs plus the bus delays of
  /// stacking, unstacking and vector reads) since the last call;
  /// the CPU charges them (Engine::add_cycles) after process_interrupts(),
  /// take_exception() or exception_return().
  uint64_t take_owed_cycles() {
    const uint64_t c = m_owed_cycles;
    m_owed_cycles = 0;
    return c;
  }

  // ----- Special registers (MRS/MSR/CPS) -----------------------------------------
  /// MRS: reads special register SYSm (0-7 xPSR views, 8 MSP, 9 PSP, 16 PRIMASK,
  /// 17 BASEPRI, 18 BASEPRI_MAX, 19 FAULTMASK, 20 CONTROL); unprivileged reads
  /// of 8..19 return 0, EPSR reads as 0.
  uint32_t mrs(uint32_t sysm) const;
  /// MSR: writes SYSm; `mask` is the instruction's mask<1:0> (bit1: NZCVQ) used
  /// for APSR writes. Unprivileged writes to anything but APSR are ignored.
  void msr(uint32_t sysm, uint32_t mask, uint32_t value);
  /// CPSID (disable=true) / CPSIE: i → PRIMASK, f → FAULTMASK; ignored unprivileged.
  void cps(bool disable, bool i, bool f);
  /// True in handler mode or when CONTROL.nPRIV is 0.
  bool privileged() const;
  /// True in handler mode (IPSR != 0).
  bool handler_mode() const { return m_state.ipsr != 0; }
  /// SP_main, wherever it currently lives.
  uint32_t msp() const;
  /// SP_process, wherever it currently lives.
  uint32_t psp() const;
  /// Sets SP_main.
  void set_msp(uint32_t value);
  /// Sets SP_process.
  void set_psp(uint32_t value);
  /// xPSR as stacked (APSR | EPSR IT/T | IPSR).
  uint32_t xpsr() const;

  // ----- Memory-mapped system registers ------------------------------------------
  /// Private peripheral bus base (ITM, DWT, FPB, SCS live in the 1 MiB above it).
  static constexpr uint32_t kPpbBase = 0xE0000000;
  /// Size of the private peripheral bus region.
  static constexpr uint32_t kPpbSize = 0x00100000;
  /// System control space base.
  static constexpr uint32_t kScsBase = 0xE000E000;
  /// Reads the PPB at `offset` from kPpbBase (size 1, 2, 4). Unimplemented
  /// offsets read as zero; unprivileged accesses are bus errors (returns false).
  bool ppb_read(uint32_t offset, unsigned size, uint32_t& value);
  /// Writes the PPB at `offset` from kPpbBase. Same rules as ppb_read.
  bool ppb_write(uint32_t offset, unsigned size, uint32_t value);
  /// True when a register is implemented at PPB `offset` (for -d unimp).
  bool ppb_implemented(uint32_t offset) const;
  /// Reads the SCS at `offset` from kScsBase.
  bool scs_read(uint32_t offset, unsigned size, uint32_t& value) {
    return ppb_read(offset + (kScsBase - kPpbBase), size, value);
  }
  /// Writes the SCS at `offset` from kScsBase.
  bool scs_write(uint32_t offset, unsigned size, uint32_t value) {
    return ppb_write(offset + (kScsBase - kPpbBase), size, value);
  }
  /// Called when software requests a system reset (AIRCR.SYSRESETREQ). It runs
  /// inside the guest's store: request an engine exit and reset from the CPU loop.
  void set_reset_request_callback(std::function<void()> fn) { m_on_reset_request = std::move(fn); }
  /// True once AIRCR.SYSRESETREQ was written (cleared by reset()).
  bool reset_requested() const { return m_reset_requested; }
  /// Called whenever an exception may have become takeable (pending/mask change),
  /// so the CPU can leave generated code and call process_interrupts().
  void set_interrupt_callback(std::function<void()> fn) { m_on_interrupt = std::move(fn); }
  /// Called when the core locks up.
  void set_lockup_callback(std::function<void()> fn) { m_on_lockup = std::move(fn); }

  // ----- Time: SysTick and DWT ---------------------------------------------------
  /// Moves SysTick and DWT.CYCCNT forward by `cycles` core cycles (may pend SysTick).
  void advance(uint64_t cycles);
  /// Moves time forward to `total` core cycles since reset (no-op if already there).
  void advance_to(uint64_t total) {
    if (total > m_cycles) advance(total - m_cycles);
  }
  /// Optional source of the core's total cycle count since reset; when set,
  /// SysTick/DWT accesses first catch up to it (so mid-run reads see the
  /// current time). With a source, move time with sync() or advance_to(),
  /// never advance(), so no cycle is counted twice.
  void set_cycle_source(std::function<uint64_t()> fn) { m_cycle_source = std::move(fn); }
  /// Catches up with the cycle source (no-op without one).
  void sync();
  /// Core cycles accounted so far (advance() total).
  uint64_t cycles() const { return m_cycles; }
  /// Core cycles until SysTick next pends its exception (UINT64_MAX: never).
  uint64_t cycles_to_next_event() const;

  // ----- Semihosting ---------------------------------------------------------------
  /// Installs the host side of semihosting.
  void set_semihost_io(SemihostIo io) { m_io = std::move(io); }
  /// Performs the semihosting call in r0/r1 and advances PC past the BKPT.
  void semihost();

  /// Configuration in use.
  const MProfileConfig& config() const { return m_config; }
  /// Guest state.
  ArmState& state() { return m_state; }

 private:
  friend struct MProfileScs;
  friend struct MProfileSemihost;

  /// One exception's NVIC state.
  struct Vec {
    int16_t prio = 0;      ///< raw priority (negative for Reset/NMI/HardFault)
    bool enabled = false;  ///< IRQ enable / SHCSR enable / always for fixed
    bool pending = false;
    bool active = false;
    bool level = false;    ///< input line level (IRQs, NMI)
    bool async = false;    ///< pended as an interrupt (line, SysTick, software), not by a fault/SVC
    uint64_t due = 0;      ///< cycle at which it became pending
  };

  int group_priority(int prio) const;
  bool exception_enabled(unsigned excp) const;
  bool can_preempt(unsigned excp) const;
  int execution_priority_without_primask() const;
  void pend_sync(unsigned excp, bool derived);
  /// Marks `excp` pending (first pend records its due cycle and kind).
  void mark_pending(unsigned excp, bool async, uint64_t due);
  /// process_interrupts() past its fast path.
  bool take_pending();
  /// The core's current cycle (cycle source, else advance()'s total).
  uint64_t now_cycle() const { return m_cycle_source ? m_cycle_source() : m_cycles; }
  /// Reports the entry just made (transition `t`) to the entry observers.
  void report_entry(MTransition t);
  void enter_lockup();
  void exception_entry();
  bool push_stack(uint32_t frame_ipsr);
  void exception_taken(uint32_t lr);
  bool pop_stack(uint32_t frameptr);
  uint32_t current_exc_return() const;
  void set_spsel_effective(bool use_psp);
  bool using_psp() const;
  bool read_word(uint32_t addr, uint32_t& value);
  bool write_word(uint32_t addr, uint32_t value);
  void notify();
  void transition(MTransition t);
  uint8_t prio_mask() const { return static_cast<uint8_t>(0xFF00u >> m_config.priority_bits); }
  void deactivate(unsigned excp);

  // SysTick
  uint64_t systick_ticks_for(uint64_t cycles);
  void systick_tick(uint64_t ticks);
  bool systick_uses_ref() const;

  // Semihosting
  bool guest_read(uint32_t addr, void* dst, uint32_t n);
  bool guest_write(uint32_t addr, const void* src, uint32_t n);
  bool guest_string(uint32_t addr, uint32_t max, std::string& out);
  void host_write(int fd, std::string_view bytes);
  uint32_t semihost_op(uint32_t op, uint32_t param);

  ArmState& m_state;
  tcg::GuestMemory& m_mem;
  MProfileConfig m_config;
  std::vector<Vec> m_vec;

  // System control block
  uint32_t m_vtor = 0;
  uint32_t m_prigroup = 0;
  uint32_t m_scr = 0;
  uint32_t m_cfsr = 0;
  uint32_t m_hfsr = 0;
  uint32_t m_dfsr = 0;
  uint32_t m_mmfar = 0;
  uint32_t m_bfar = 0;
  uint32_t m_demcr = 0;

  // SysTick
  uint32_t m_syst_csr = 0;
  uint32_t m_syst_rvr = 0;
  uint32_t m_syst_cvr = 0;
  uint64_t m_syst_ref_phase = 0;  ///< core cycles into the current reference tick

  // DWT
  uint32_t m_dwt_ctrl = 0x40000000;
  uint32_t m_dwt_cyccnt = 0;

  uint64_t m_cycles = 0;
  bool m_sleeping = false;
  bool m_event = false;
  bool m_maybe_pending = false;  ///< an enabled exception may be pending (cleared when none is)
  bool m_sleep_wfe = false;  ///< the sleep ends on the event register too
  bool m_lockup = false;
  bool m_exited = false;
  int m_exit_status = 0;
  bool m_reset_requested = false;
  bool m_nmi_level = false;
  MTransition m_last_transition = MTransition::None;
  uint64_t m_owed_cycles = 0;
  /// Entry observers (id, callback); the entry being made (exception_taken() -> transition()).
  std::vector<std::pair<size_t, std::function<void(const ExceptionEntry&)>>> m_entry_observers;
  size_t m_next_observer_id = 1;
  ExceptionEntry m_entry;
  bool m_entry_valid = false;

  // Semihosting
  SemihostIo m_io;
  uint32_t m_semihost_errno = 0;
  /// What a semihosting handle refers to.
  enum class HandleKind : uint8_t { Unused, Stdin, Stdout, Stderr, Features };
  /// One open semihosting handle.
  struct Handle {
    HandleKind kind = HandleKind::Unused;
    uint32_t pos = 0;  ///< read position (static files)
  };
  std::vector<Handle> m_handles;  ///< indexed by handle number
  void reset_handles();
  Handle* handle(uint32_t h);

  std::function<void()> m_on_reset_request;
  std::function<void()> m_on_interrupt;
  std::function<void()> m_on_lockup;
  std::function<uint64_t()> m_cycle_source;
};

/// GuestMemory decorator that routes the private peripheral bus
/// (0xE0000000..0xE00FFFFF) to an MProfile and everything else to `next`.
/// The CPU's engine and the MProfile itself both use it; the PPB is never
/// handed out as DMI, so every access reaches ppb_read/ppb_write.
class PpbMemory : public tcg::GuestMemory {
 public:
  /// Forwards to `next`; bind() the model before the first PPB access.
  explicit PpbMemory(tcg::GuestMemory& next) : m_next(next) {}
  /// Routes PPB accesses to `model` (nullptr: they go to `next`).
  void bind(MProfile* model) { m_model = model; }
  bool map(uint64_t addr, tcg::Access kind, tcg::HostRegion& out) override;
  tcg::MemResult read(uint64_t addr, void* data, unsigned size, tcg::Access kind) override;
  tcg::MemResult write(uint64_t addr, const void* data, unsigned size) override;

 private:
  bool in_ppb(uint64_t addr) const {
    return m_model && addr >= MProfile::kPpbBase && addr < uint64_t(MProfile::kPpbBase) + MProfile::kPpbSize;
  }
  tcg::GuestMemory& m_next;
  MProfile* m_model = nullptr;
};

// ----- Helpers for translated code (tcg::HelperFn signature) ------------------------
// Each takes the env pointer; after msr/cps/exception_return/take_exception/wfi the
// translator must end the block with an exit to the loop (no chaining): PC, mode,
// stack pointer or execution priority may have changed. Globals are synced by the
// call (no NoReadGlobals/NoWriteGlobals flags).

/// MRS: a0 = SYSm; returns the value.
uint64_t helper_mrs(void* env, uint64_t sysm, uint64_t, uint64_t, uint64_t);
/// MSR: a0 = SYSm, a1 = mask<1:0>, a2 = value.
uint64_t helper_msr(void* env, uint64_t sysm, uint64_t mask, uint64_t value, uint64_t);
/// CPS: a0 = 1 for CPSID / 0 for CPSIE, a1 = I flag, a2 = F flag.
uint64_t helper_cps(void* env, uint64_t disable, uint64_t i, uint64_t f, uint64_t);
/// Exception return: a0 = the EXC_RETURN value written to PC (handler mode).
uint64_t helper_exception_return(void* env, uint64_t exc_return, uint64_t, uint64_t, uint64_t);
/// Takes exception a0 (e.g. kExcpSvc with r[15] = next instruction already stored).
uint64_t helper_take_exception(void* env, uint64_t excp, uint64_t, uint64_t, uint64_t);
/// WFI (r[15] = next instruction stored): sleeps until woken.
uint64_t helper_wfi(void* env, uint64_t, uint64_t, uint64_t, uint64_t);
/// WFE (r[15] = next instruction stored).
uint64_t helper_wfe(void* env, uint64_t, uint64_t, uint64_t, uint64_t);
/// SEV.
uint64_t helper_sev(void* env, uint64_t, uint64_t, uint64_t, uint64_t);

/// Index of each helper in m_profile_helpers().
enum class MHelper : uint32_t { Mrs, Msr, Cps, ExceptionReturn, TakeException, Wfi, Wfe, Sev, Count };
/// The helpers above as a table the translator appends to its helper table.
const std::vector<tcg::HelperInfo>& m_profile_helpers();

}  // namespace presil::cpu::arm
