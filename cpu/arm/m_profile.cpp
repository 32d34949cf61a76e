// SPDX-License-Identifier: Apache-2.0
// ARMv7-M exception model: reset, priorities, entry/return, tail-chaining, special registers.
//
// Owns the exception half of the M-profile core (ARMv7-M ARM chapter B1):
// execution priority from active exceptions and PRIMASK/FAULTMASK/BASEPRI,
// pending selection, synchronous-fault escalation to HardFault and lockup,
// stacking (8-word frame, STKALIGN padding in xPSR<9>), EXC_RETURN handling
// with tail-chaining, and MRS/MSR/CPS. Exception entry is atomic at
// instruction granularity: whatever is pending when entry happens competes,
// and the highest priority wins (the instruction-level form of late arrival);
// a stacking fault pends its BusFault and entry then takes the highest
// pending exception with the frame already pushed.

#include "cpu/arm/m_profile.h"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace presil::cpu::arm {

namespace {

constexpr unsigned kNmi = 2;
constexpr unsigned kHardFault = 3;
constexpr unsigned kMemManage = 4;
constexpr unsigned kBusFault = 5;
constexpr unsigned kUsageFault = 6;
constexpr unsigned kSvcall = 11;
constexpr unsigned kDebugMonitor = 12;
constexpr unsigned kPendSv = 14;
constexpr unsigned kSysTick = 15;
constexpr unsigned kFirstIrq = 16;

constexpr uint32_t kHfsrVecttbl = 1u << 1;
constexpr uint32_t kHfsrForced = 1u << 30;
constexpr uint32_t kHfsrDebugevt = 1u << 31;
constexpr uint32_t kCfsrStkerr = 1u << 12;
constexpr uint32_t kCfsrUnstkerr = 1u << 11;
constexpr uint32_t kCcrNonbasethrdena = 1u << 0;
constexpr uint32_t kCcrStkalign = 1u << 9;
constexpr uint32_t kScrSleeponexit = 1u << 1;
constexpr uint32_t kScrSevonpend = 1u << 4;
constexpr uint32_t kDemcrMonEn = 1u << 16;
constexpr uint32_t kDfsrBkpt = 1u << 1;

}  // namespace

MProfile::MProfile(ArmState& state, tcg::GuestMemory& memory, const MProfileConfig& config)
    : m_state(state), m_mem(memory), m_config(config) {
  if (m_config.num_irq < 1 || m_config.num_irq > 496)
    throw std::invalid_argument("M-profile: num-irq must be 1..496, got " + std::to_string(m_config.num_irq));
  if (m_config.priority_bits < 2 || m_config.priority_bits > 8)
    throw std::invalid_argument("M-profile: priority-bits must be 2..8, got " +
                                std::to_string(m_config.priority_bits));
  m_vec.resize(kFirstIrq + m_config.num_irq);
  m_state.m_profile = this;
}

// ----- Reset -------------------------------------------------------------------------

void MProfile::reset() {
  for (Vec& v : m_vec) v = Vec{};
  m_vec[1].prio = -3;
  m_vec[kNmi].prio = -2;
  m_vec[kHardFault].prio = -1;
  for (unsigned n : {1u, kNmi, kHardFault, kSvcall, kPendSv, kSysTick}) m_vec[n].enabled = true;

  m_vtor = m_config.vtor_reset & 0xFFFFFF80u;
  m_prigroup = 0;
  m_scr = 0;
  m_cfsr = m_hfsr = m_dfsr = m_mmfar = m_bfar = m_demcr = 0;
  m_syst_csr = m_config.systick_ref_divisor == 0 ? 4u : 0u;
  m_syst_rvr = m_syst_cvr = 0;
  m_syst_ref_phase = 0;
  m_dwt_ctrl = 0x40000000;
  m_dwt_cyccnt = 0;
  m_sleeping = m_sleep_wfe = m_event = m_lockup = m_exited = m_reset_requested = false;
  m_maybe_pending = false;
  m_exit_status = 0;
  m_nmi_level = false;
  m_last_transition = MTransition::None;
  m_owed_cycles = 0;
  m_semihost_errno = 0;
  reset_handles();
  if (m_cycle_source) m_cycles = m_cycle_source();

  ArmState& s = m_state;
  for (uint32_t& r : s.r) r = 0;
  arm_set_apsr(s, 0);
  s.itstate = 0;
  s.excl_valid = false;
  s.ipsr = 0;
  s.primask = s.faultmask = s.basepri = s.control = 0;
  s.ccr = kCcrStkalign;
  uint32_t sp = 0, pc = 0;
  read_word(m_vtor, sp);  // a failed read leaves 0, as an unmapped vector table would
  read_word(m_vtor + 4, pc);
  s.r[13] = sp & ~3u;
  s.other_sp = 0;
  s.r[14] = 0xFFFFFFFFu;
  s.thumb = pc & 1;
  s.r[15] = pc & ~1u;
  m_owed_cycles = 0;  // reset itself is not charged
}

// ----- Priorities ----------------------------------------------------------------------

int MProfile::group_priority(int prio) const {
  if (prio < 0) return prio;
  const int sub_mask = (2 << m_prigroup) - 1;
  return prio & ~sub_mask & 0xFF;
}

bool MProfile::exception_enabled(unsigned excp) const { return m_vec[excp].enabled; }

int MProfile::execution_priority_without_primask() const {
  int running = 256;
  for (unsigned n = 1; n < m_vec.size(); ++n)
    if (m_vec[n].active) running = std::min(running, group_priority(m_vec[n].prio));
  if (m_state.basepri & prio_mask())
    running = std::min(running, group_priority(m_state.basepri & prio_mask()));
  if (m_state.faultmask & 1) running = std::min(running, -1);
  return running;
}

int MProfile::execution_priority() const {
  int running = execution_priority_without_primask();
  if (m_state.primask & 1) running = std::min(running, 0);
  return running;
}

unsigned MProfile::pending_exception() const {
  unsigned best = 0;
  int best_prio = 1000;
  for (unsigned n = 1; n < m_vec.size(); ++n) {
    const Vec& v = m_vec[n];
    if (!v.pending || !v.enabled) continue;
    if (v.prio < best_prio) {  // raw priority orders group then subpriority; ties: lowest number
      best = n;
      best_prio = v.prio;
    }
  }
  return best;
}

bool MProfile::can_preempt(unsigned excp) const {
  return excp != 0 && group_priority(m_vec[excp].prio) < execution_priority();
}

void MProfile::transition(MTransition t) {
  m_last_transition = t;
  m_owed_cycles += t == MTransition::Entry       ? m_config.entry_cycles
                   : t == MTransition::TailChain ? m_config.tail_chain_cycles
                                                 : m_config.return_cycles;
  if (m_entry_valid) [[unlikely]] report_entry(t);
}

// ----- Entry observers --------------------------------------------------------------------

size_t MProfile::add_entry_observer(std::function<void(const ExceptionEntry&)> fn) {
  m_entry_observers.emplace_back(m_next_observer_id, std::move(fn));
  return m_next_observer_id++;
}

void MProfile::remove_entry_observer(size_t id) {
  std::erase_if(m_entry_observers, [id](const auto& o) { return o.first == id; });
}

void MProfile::report_entry(MTransition t) {
  m_entry_valid = false;
  if (t == MTransition::Return) return;
  // The handler's first instruction runs once the cycles owed for the entry are charged;
  // the CPU module charges none today (entry_cycles is 0 unless configured).
  m_entry.entry_cycle = now_cycle();
  m_entry.tail_chained = t == MTransition::TailChain;
  const ExceptionEntry e = m_entry;
  for (const auto& o : m_entry_observers) o.second(e);
}

void MProfile::mark_pending(unsigned excp, bool async, uint64_t due) {
  Vec& v = m_vec[excp];
  if (!v.pending) {
    v.due = due;
    v.async = async;
  }
  v.pending = true;
}

void MProfile::notify() {
  m_maybe_pending = true;
  if (m_on_interrupt) m_on_interrupt();
}

void MProfile::set_pending(unsigned excp) {
  if (excp == 0 || excp >= m_vec.size()) return;
  mark_pending(excp, true, now_cycle());
  if (m_scr & kScrSevonpend) m_event = true;
  notify();
}

void MProfile::set_irq(unsigned n, bool level) {
  if (n >= m_config.num_irq) return;
  set_irq(n, level, now_cycle());
}

void MProfile::set_irq(unsigned n, bool level, uint64_t due_cycle) {
  if (n >= m_config.num_irq) return;
  Vec& v = m_vec[kFirstIrq + n];
  const bool rising = level && !v.level;
  v.level = level;
  if (!rising) return;
  mark_pending(kFirstIrq + n, true, due_cycle);  // latched even while active (pending and active)
  set_pending(kFirstIrq + n);
}

void MProfile::set_nmi(bool level) {
  const bool rising = level && !m_nmi_level;
  m_nmi_level = level;
  if (rising) set_pending(kNmi);
}

void MProfile::enter_lockup() {
  m_lockup = true;
  m_sleeping = true;
  if (m_on_lockup) m_on_lockup();
}

// Pends a synchronous (or derived) exception, escalating to HardFault when it
// is disabled or cannot preempt the current execution priority.
void MProfile::pend_sync(unsigned excp, bool derived) {
  (void)derived;
  const int running = execution_priority();
  if (excp != kHardFault && excp != kNmi) {
    if (!m_vec[excp].enabled || group_priority(m_vec[excp].prio) >= running) {
      if (excp == kDebugMonitor) m_hfsr |= kHfsrDebugevt;
      else m_hfsr |= kHfsrForced;
      excp = kHardFault;
    }
  }
  if (excp == kHardFault && running <= -1) {
    enter_lockup();
    return;
  }
  mark_pending(excp, false, now_cycle());
  m_maybe_pending = true;
}

// ----- Stack pointers ---------------------------------------------------------------------

bool MProfile::using_psp() const { return m_state.ipsr == 0 && (m_state.control & 2); }

bool MProfile::privileged() const { return m_state.ipsr != 0 || !(m_state.control & 1); }

uint32_t MProfile::msp() const { return using_psp() ? m_state.other_sp : m_state.r[13]; }
uint32_t MProfile::psp() const { return using_psp() ? m_state.r[13] : m_state.other_sp; }

void MProfile::set_msp(uint32_t value) {
  (using_psp() ? m_state.other_sp : m_state.r[13]) = value & ~3u;
}

void MProfile::set_psp(uint32_t value) {
  (using_psp() ? m_state.r[13] : m_state.other_sp) = value & ~3u;
}

// Switches r[13] so it holds the stack selected by `use_psp` (the caller then
// changes ipsr/control to match).
void MProfile::set_spsel_effective(bool use_psp) {
  if (use_psp != using_psp()) std::swap(m_state.r[13], m_state.other_sp);
}

uint32_t MProfile::xpsr() const {
  return arm_apsr(m_state) | arm_epsr_it(m_state) | (m_state.thumb & 1) << 24 | (m_state.ipsr & 0x1FF);
}

bool MProfile::read_word(uint32_t addr, uint32_t& value) {
  uint8_t b[4];
  const tcg::MemResult r = m_mem.read(addr, b, 4, tcg::Access::Read);
  m_owed_cycles += r.delay_cycles;
  if (!r.ok) return false;
  value = uint32_t(b[0]) | uint32_t(b[1]) << 8 | uint32_t(b[2]) << 16 | uint32_t(b[3]) << 24;
  return true;
}

bool MProfile::write_word(uint32_t addr, uint32_t value) {
  const uint8_t b[4] = {uint8_t(value), uint8_t(value >> 8), uint8_t(value >> 16), uint8_t(value >> 24)};
  const tcg::MemResult r = m_mem.write(addr, b, 4);
  m_owed_cycles += r.delay_cycles;
  return r.ok;
}

// ----- Exception entry ----------------------------------------------------------------------

uint32_t MProfile::current_exc_return() const {
  if (m_state.ipsr != 0) return 0xFFFFFFF1u;
  return (m_state.control & 2) ? 0xFFFFFFFDu : 0xFFFFFFF9u;
}

// PushStack: the 8-word frame on the current stack. Returns false (with a
// derived BusFault pending) when a write failed.
bool MProfile::push_stack(uint32_t frame_ipsr) {
  ArmState& s = m_state;
  const uint32_t sp = s.r[13];
  const bool align = (s.ccr & kCcrStkalign) && (sp & 4);
  const uint32_t frame = (sp - 0x20) & ~(align ? 4u : 0u);
  s.r[13] = frame;
  const uint32_t psr = (xpsr() & ~0x1FFu) | (frame_ipsr & 0x1FF) | (align ? 1u << 9 : 0u);
  const uint32_t words[8] = {s.r[0], s.r[1], s.r[2], s.r[3], s.r[12], s.r[14], s.r[15] & ~1u, psr};
  for (unsigned i = 0; i < 8; ++i) {
    if (!write_word(frame + 4 * i, words[i])) {
      m_cfsr |= kCfsrStkerr;
      pend_sync(kBusFault, true);
      return false;
    }
  }
  return true;
}

// ExceptionTaken: acknowledges the highest-priority pending exception and
// jumps to its vector, in handler mode on the main stack.
void MProfile::exception_taken(uint32_t lr) {
  for (unsigned attempts = 0; attempts < 4 && !m_lockup; ++attempts) {
    const unsigned excp = pending_exception();
    if (excp == 0) return;
    uint32_t vector = 0;
    if (!read_word(m_vtor + 4 * excp, vector)) {
      m_hfsr |= kHfsrVecttbl;
      if (excp == kHardFault || execution_priority() <= -1) {
        enter_lockup();
        return;
      }
      mark_pending(kHardFault, false, now_cycle());
      m_maybe_pending = true;
      continue;  // take HardFault with the frame already pushed
    }
    ArmState& s = m_state;
    if (!m_entry_observers.empty()) [[unlikely]] {
      m_entry = ExceptionEntry{excp, m_vec[excp].due, 0, s.r[15], m_vec[excp].async, false};
      m_entry_valid = true;
    }
    m_vec[excp].pending = false;
    m_vec[excp].active = true;
    set_spsel_effective(false);
    s.ipsr = excp;
    s.control &= ~2u;
    s.r[14] = lr;
    s.itstate = 0;
    s.thumb = vector & 1;
    s.r[15] = vector & ~1u;
    s.excl_valid = false;
    m_event = true;
    m_sleeping = false;
    return;
  }
}

void MProfile::exception_entry() {
  const uint32_t lr = current_exc_return();
  push_stack(m_state.ipsr);
  exception_taken(lr);
  transition(MTransition::Entry);
}

bool MProfile::take_pending() {
  const unsigned excp = pending_exception();
  if (excp == 0) m_maybe_pending = false;
  if (m_sleeping) {
    const bool by_event = m_sleep_wfe && m_event;
    const bool wake =
        by_event || (excp != 0 && group_priority(m_vec[excp].prio) < execution_priority_without_primask());
    if (!wake) return false;
    if (by_event) m_event = false;
    m_sleeping = false;
  }
  if (!can_preempt(excp)) return false;
  exception_entry();
  return true;
}

bool MProfile::sleeping() const {
  if (m_lockup || m_exited) return true;
  if (!m_sleeping) return false;
  if (m_sleep_wfe && m_event) return false;
  const unsigned excp = pending_exception();
  return !(excp != 0 && group_priority(m_vec[excp].prio) < execution_priority_without_primask());
}

void MProfile::wfi() {
  m_sleeping = true;
  m_sleep_wfe = false;
}

void MProfile::wfe() {
  if (m_event) {
    m_event = false;
    return;
  }
  m_sleeping = true;
  m_sleep_wfe = true;
}

void MProfile::take_exception(int excp) {
  ArmState& s = m_state;
  switch (excp) {
    case kExcpExceptionReturn: exception_return(s.exc_return); return;
    case kExcpSemihost:
      if (m_config.semihosting) {
        semihost();
        return;
      }
      [[fallthrough]];
    case kExcpBkpt:
      m_dfsr |= kDfsrBkpt;
      if (m_demcr & kDemcrMonEn) {
        pend_sync(kDebugMonitor, false);
      } else {
        m_hfsr |= kHfsrDebugevt;
        pend_sync(kHardFault, false);
      }
      break;
    case kExcpHalt: wfi(); return;
    case kExcpGuestExit: m_sleeping = true; return;
    case kExcpUsageFault:
    case kExcpBusFault:
    case kExcpMemManage:
      m_cfsr |= s.fault_cfsr;
      if (s.fault_cfsr & Cfsr::Bfarvalid) m_bfar = static_cast<uint32_t>(s.common.fault_addr);
      if (s.fault_cfsr & Cfsr::Mmarvalid) m_mmfar = static_cast<uint32_t>(s.common.fault_addr);
      s.fault_cfsr = 0;
      pend_sync(static_cast<unsigned>(excp), false);
      break;
    case kExcpSvc:
    case kExcpHardFault:
      pend_sync(static_cast<unsigned>(excp), false);
      break;
    default:
      if (excp > 0 && static_cast<unsigned>(excp) < m_vec.size()) set_pending(static_cast<unsigned>(excp));
      break;
  }
  if (m_lockup) return;
  m_sleeping = false;
  if (can_preempt(pending_exception())) exception_entry();
}

// ----- Exception return -----------------------------------------------------------------------

void MProfile::deactivate(unsigned excp) {
  Vec& v = m_vec[excp];
  v.active = false;
  if (excp >= kFirstIrq && v.level) {
    mark_pending(excp, true, now_cycle());  // the line is still high: pending again from now
    m_maybe_pending = true;
  }
  if (excp != kNmi) m_state.faultmask = 0;
}

bool MProfile::pop_stack(uint32_t frameptr) {
  ArmState& s = m_state;
  uint32_t w[8];
  for (unsigned i = 0; i < 8; ++i)
    if (!read_word(frameptr + 4 * i, w[i])) return false;
  s.r[0] = w[0];
  s.r[1] = w[1];
  s.r[2] = w[2];
  s.r[3] = w[3];
  s.r[12] = w[4];
  s.r[14] = w[5];
  s.r[15] = w[6] & ~1u;  // bit 0 set is UNPREDICTABLE in ARMv7-M; it is ignored
  const uint32_t psr = w[7];
  arm_set_apsr(s, psr);
  s.itstate = arm_itstate_from_xpsr(psr);
  s.thumb = psr >> 24 & 1;
  s.ipsr = psr & 0x1FF;
  const bool padded = (psr & (1u << 9)) && (s.ccr & kCcrStkalign);
  s.r[13] = frameptr + 0x20 + (padded ? 4u : 0u);
  return true;
}

void MProfile::exception_return(uint32_t exc_return) {
  ArmState& s = m_state;
  const unsigned returning = s.ipsr;
  unsigned active_count = 0;
  for (const Vec& v : m_vec) active_count += v.active;

  // Validation (UsageFault INVPC on the current stack, nothing deactivated).
  const uint32_t kind = exc_return & 0xF;
  bool bad = returning == 0 || (exc_return & 0x0FFFFFF0u) != 0x0FFFFFF0u || !m_vec[returning].active;
  bool to_handler = false, to_psp = false;
  if (!bad) {
    switch (kind) {
      case 0x1: to_handler = true; bad = active_count == 1; break;
      case 0x9: bad = active_count != 1 && !(s.ccr & kCcrNonbasethrdena); break;
      case 0xD: to_psp = true; bad = active_count != 1 && !(s.ccr & kCcrNonbasethrdena); break;
      default: bad = true; break;
    }
  }
  if (bad) {
    m_cfsr |= Cfsr::Invpc;
    s.r[15] = exc_return;
    pend_sync(kUsageFault, false);
    if (m_lockup) return;
    const uint32_t lr = current_exc_return();
    push_stack(m_state.ipsr);
    exception_taken(lr);
    transition(MTransition::Entry);
    return;
  }

  // DeActivate, then tail-chain: a pending exception that preempts the context
  // being returned to is entered directly, reusing the frame on the stack.
  deactivate(returning);
  if (can_preempt(pending_exception())) {
    exception_taken(exc_return);
    transition(MTransition::TailChain);
    return;
  }

  // Select the mode and stack to return to, then unstack.
  if (to_handler) {
    s.control &= ~2u;
  } else {
    const bool was_psp = using_psp();
    s.ipsr = 0;
    s.control = to_psp ? (s.control | 2u) : (s.control & ~2u);
    if (was_psp != to_psp) std::swap(s.r[13], s.other_sp);
  }
  if (!pop_stack(s.r[13])) {
    // Unstacking error: BusFault (UNSTKERR) taken as a tail-chain; the frame stays.
    m_cfsr |= kCfsrUnstkerr;
    if (!to_handler) {
      set_spsel_effective(false);
      s.ipsr = returning;
    }
    pend_sync(kBusFault, true);
    if (m_lockup) return;
    exception_taken(exc_return);
    transition(MTransition::TailChain);
    return;
  }
  const uint32_t stacked_ipsr = s.ipsr;
  if (to_handler ? stacked_ipsr == 0 : stacked_ipsr != 0) {
    // The stacked IPSR does not match the mode in EXC_RETURN: UsageFault
    // (INVPC) with the frame pushed back where it was.
    s.ipsr = to_handler ? returning : 0;  // keeps r[13]/other_sp consistent
    m_cfsr |= Cfsr::Invpc;
    pend_sync(kUsageFault, false);
    if (m_lockup) return;
    push_stack(stacked_ipsr);
    exception_taken(exc_return);
    transition(MTransition::Entry);
    return;
  }
  s.excl_valid = false;
  m_event = true;
  transition(MTransition::Return);
  if (!to_handler && (m_scr & kScrSleeponexit)) wfi();
  notify();
}

// ----- Special registers ------------------------------------------------------------------------

uint32_t MProfile::mrs(uint32_t sysm) const {
  const ArmState& s = m_state;
  if (sysm < 8) {
    uint32_t v = 0;
    if (sysm & 1) v |= s.ipsr & 0x1FF;
    if (!(sysm & 4)) v |= arm_apsr(s);
    return v;  // EPSR reads as zero
  }
  if (sysm == 20) return s.control & 3;
  if (!privileged()) return 0;
  switch (sysm) {
    case 8: return msp();
    case 9: return psp();
    case 16: return s.primask & 1;
    case 17:
    case 18: return s.basepri & 0xFF;
    case 19: return s.faultmask & 1;
    default: return 0;
  }
}

void MProfile::msr(uint32_t sysm, uint32_t mask, uint32_t value) {
  ArmState& s = m_state;
  if (sysm < 8) {
    if (!(sysm & 4) && (mask & 2)) {
      const uint32_t it = s.itstate;
      arm_set_apsr(s, value & 0xF8000000u);
      s.itstate = it;
    }
    return;
  }
  if (!privileged()) return;
  switch (sysm) {
    case 8: set_msp(value); break;
    case 9: set_psp(value); break;
    case 16: s.primask = value & 1; break;
    case 17: s.basepri = value & prio_mask(); break;
    case 18: {
      const uint32_t v = value & prio_mask();
      if (v != 0 && (s.basepri == 0 || v < s.basepri)) s.basepri = v;
      break;
    }
    case 19:
      if (!(value & 1)) s.faultmask = 0;
      else if (execution_priority() > -1) s.faultmask = 1;
      break;
    case 20: {
      uint32_t control = (s.control & ~1u) | (value & 1);
      if (s.ipsr == 0) {
        const bool psp = value & 2;
        set_spsel_effective(psp);
        control = (control & ~2u) | (psp ? 2u : 0u);
      }
      s.control = control;
      break;
    }
    default: return;
  }
  notify();
}

void MProfile::cps(bool disable, bool i, bool f) {
  ArmState& s = m_state;
  if (!privileged()) return;
  if (i) s.primask = disable ? 1 : 0;
  if (f) {
    if (!disable) s.faultmask = 0;
    else if (execution_priority() > -1) s.faultmask = 1;
  }
  if (!disable) notify();
}

// ----- Helpers ------------------------------------------------------------------------------------

uint64_t helper_mrs(void* env, uint64_t sysm, uint64_t, uint64_t, uint64_t) {
  return MProfile::of(env).mrs(static_cast<uint32_t>(sysm));
}

uint64_t helper_msr(void* env, uint64_t sysm, uint64_t mask, uint64_t value, uint64_t) {
  MProfile::of(env).msr(static_cast<uint32_t>(sysm), static_cast<uint32_t>(mask), static_cast<uint32_t>(value));
  return 0;
}

uint64_t helper_cps(void* env, uint64_t disable, uint64_t i, uint64_t f, uint64_t) {
  MProfile::of(env).cps(disable != 0, i != 0, f != 0);
  return 0;
}

uint64_t helper_exception_return(void* env, uint64_t exc_return, uint64_t, uint64_t, uint64_t) {
  MProfile::of(env).exception_return(static_cast<uint32_t>(exc_return));
  return 0;
}

uint64_t helper_take_exception(void* env, uint64_t excp, uint64_t, uint64_t, uint64_t) {
  MProfile::of(env).take_exception(static_cast<int>(excp));
  return 0;
}

uint64_t helper_wfi(void* env, uint64_t, uint64_t, uint64_t, uint64_t) {
  MProfile::of(env).wfi();
  return 0;
}

uint64_t helper_wfe(void* env, uint64_t, uint64_t, uint64_t, uint64_t) {
  MProfile::of(env).wfe();
  return 0;
}

uint64_t helper_sev(void* env, uint64_t, uint64_t, uint64_t, uint64_t) {
  MProfile::of(env).sev();
  return 0;
}

const std::vector<tcg::HelperInfo>& m_profile_helpers() {
  static const std::vector<tcg::HelperInfo> table = {
      {"m_mrs", helper_mrs, 1, true, 0},
      {"m_msr", helper_msr, 3, false, 0},
      {"m_cps", helper_cps, 3, false, 0},
      {"m_exception_return", helper_exception_return, 1, false, 0},
      {"m_take_exception", helper_take_exception, 1, false, 0},
      {"m_wfi", helper_wfi, 0, false, 0},
      {"m_wfe", helper_wfe, 0, false, 0},
      {"m_sev", helper_sev, 0, false, 0},
  };
  return table;
}

}  // namespace presil::cpu::arm
