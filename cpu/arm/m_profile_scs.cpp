// SPDX-License-Identifier: Apache-2.0
// ARMv7-M private peripheral bus: SCS (NVIC, SCB, SysTick) and DWT registers, declared in one table.
//
// Every register the core implements in 0xE0000000..0xE00FFFFF is one row of
// kRegisters: name, offset from the PPB base, array length, access flags and a
// read and a write function. Unlisted offsets read as zero and ignore writes
// (as QEMU's PPB does); unprivileged accesses are bus errors, except STIR when
// CCR.USERSETMPEND is set. Rows marked Bytes accept 8/16-bit accesses (IPR,
// SHPR, CFSR); other registers ignore sub-word accesses. SysTick counts core
// cycles (CLKSOURCE=1) or reference ticks (one per systick_ref_divisor cycles).

#include <array>
#include <limits>

#include "cpu/arm/m_profile.h"

namespace presil::cpu::arm {

/// Register access from the table (friend of MProfile).
struct MProfileScs {
  using Read = uint32_t (*)(MProfile&, unsigned index);
  using Write = void (*)(MProfile&, unsigned index, uint32_t value, uint32_t lanes);

  /// Access flags of a row.
  enum Flag : uint8_t { None = 0, Bytes = 1, User = 2 };

  /// One register (or an array of `count` consecutive 32-bit registers).
  struct Reg {
    const char* name;
    uint32_t offset;
    uint16_t count;
    uint8_t flags;
    Read read;
    Write write;
  };

  static constexpr unsigned kIrqBase = 16;

  static uint32_t zero(MProfile&, unsigned) { return 0; }
  static void ignore(MProfile&, unsigned, uint32_t, uint32_t) {}

  // ----- NVIC bit arrays: bit b of register i is IRQ 32*i + b.
  template <bool MProfile::Vec::*Field>
  static uint32_t read_bits(MProfile& m, unsigned i) {
    uint32_t v = 0;
    for (unsigned b = 0; b < 32; ++b) {
      const unsigned n = kIrqBase + 32 * i + b;
      if (n < m.m_vec.size() && m.m_vec[n].*Field) v |= 1u << b;
    }
    return v;
  }
  static void for_bits(MProfile& m, unsigned i, uint32_t value, void (*fn)(MProfile&, unsigned)) {
    for (unsigned b = 0; b < 32; ++b) {
      const unsigned n = kIrqBase + 32 * i + b;
      if ((value >> b & 1) && n < m.m_vec.size()) fn(m, n);
    }
  }

  // ----- Priority bytes (IPR: IRQ 4i..4i+3; SHPR: exceptions 4 + 4i ..).
  static uint32_t read_prio(MProfile& m, unsigned first) {
    uint32_t v = 0;
    for (unsigned b = 0; b < 4; ++b) {
      const unsigned n = first + b;
      if (n < m.m_vec.size() && m.m_vec[n].prio >= 0 && has_prio(n)) v |= uint32_t(m.m_vec[n].prio) << 8 * b;
    }
    return v;
  }
  static void write_prio(MProfile& m, unsigned first, uint32_t value, uint32_t lanes) {
    for (unsigned b = 0; b < 4; ++b) {
      const unsigned n = first + b;
      if (!(lanes >> 8 * b & 0xFF) || n >= m.m_vec.size() || !has_prio(n)) continue;
      m.m_vec[n].prio = static_cast<int16_t>(value >> 8 * b & m.prio_mask());
    }
    m.notify();
  }
  static bool has_prio(unsigned n) {
    return n >= 16 || n == 4 || n == 5 || n == 6 || n == 11 || n == 12 || n == 14 || n == 15;
  }

  // ----- ICSR
  static uint32_t read_icsr(MProfile& m, unsigned) {
    const ArmState& s = m.m_state;
    uint32_t v = s.ipsr & 0x1FF;
    unsigned active = 0;
    for (unsigned n = 1; n < m.m_vec.size(); ++n) active += m.m_vec[n].active && n != s.ipsr;
    if (s.ipsr != 0 && active == 0) v |= 1u << 11;  // RETTOBASE
    v |= (m.pending_exception() & 0x1FF) << 12;
    for (unsigned n = kIrqBase; n < m.m_vec.size(); ++n)
      if (m.m_vec[n].pending) {
        v |= 1u << 22;  // ISRPENDING
        break;
      }
    if (m.m_vec[15].pending) v |= 1u << 26;
    if (m.m_vec[14].pending) v |= 1u << 28;
    if (m.m_vec[2].pending) v |= 1u << 31;
    return v;
  }
  static void write_icsr(MProfile& m, unsigned, uint32_t v, uint32_t) {
    if (v & 1u << 31) m.set_pending(2);
    if (v & 1u << 28) m.set_pending(14);
    else if (v & 1u << 27) m.m_vec[14].pending = false;
    if (v & 1u << 26) m.set_pending(15);
    else if (v & 1u << 25) m.m_vec[15].pending = false;
  }

  // ----- AIRCR
  static uint32_t read_aircr(MProfile& m, unsigned) { return 0xFA050000u | m.m_prigroup << 8; }
  static void write_aircr(MProfile& m, unsigned, uint32_t v, uint32_t) {
    if ((v >> 16) != 0x05FA) return;  // writes without VECTKEY are ignored
    m.m_prigroup = v >> 8 & 7;
    if (v & (1u << 2)) {
      m.m_reset_requested = true;
      if (m.m_on_reset_request) m.m_on_reset_request();
    }
    m.notify();
  }

  // ----- SHCSR: active, pended and enable bits of the system exceptions.
  struct ShcsrBit {
    uint8_t bit;
    uint8_t excp;
    enum { Active, Pending, Enable } what;
  };
  static constexpr std::array<ShcsrBit, 14> kShcsr{{
      {0, 4, ShcsrBit::Active}, {1, 5, ShcsrBit::Active}, {3, 6, ShcsrBit::Active},
      {7, 11, ShcsrBit::Active}, {8, 12, ShcsrBit::Active}, {10, 14, ShcsrBit::Active},
      {11, 15, ShcsrBit::Active}, {12, 6, ShcsrBit::Pending}, {13, 4, ShcsrBit::Pending},
      {14, 5, ShcsrBit::Pending}, {15, 11, ShcsrBit::Pending}, {16, 4, ShcsrBit::Enable},
      {17, 5, ShcsrBit::Enable}, {18, 6, ShcsrBit::Enable},
  }};
  static bool& shcsr_field(MProfile& m, const ShcsrBit& b) {
    MProfile::Vec& v = m.m_vec[b.excp];
    return b.what == ShcsrBit::Active ? v.active : b.what == ShcsrBit::Pending ? v.pending : v.enabled;
  }
  static uint32_t read_shcsr(MProfile& m, unsigned) {
    uint32_t v = 0;
    for (const ShcsrBit& b : kShcsr) v |= uint32_t(shcsr_field(m, b)) << b.bit;
    return v;
  }
  static void write_shcsr(MProfile& m, unsigned, uint32_t v, uint32_t) {
    for (const ShcsrBit& b : kShcsr) shcsr_field(m, b) = v >> b.bit & 1;
    m.notify();
  }

  // ----- SysTick
  static void write_syst_csr(MProfile& m, unsigned, uint32_t v, uint32_t) {
    uint32_t csr = (m.m_syst_csr & (1u << 16)) | (v & 7);
    if (m.m_config.systick_ref_divisor == 0) csr |= 4;
    if ((csr & 4) != (m.m_syst_csr & 4)) m.m_syst_ref_phase = 0;
    m.m_syst_csr = csr;
    m.notify();
  }
  static uint32_t read_syst_csr(MProfile& m, unsigned) {
    const uint32_t v = m.m_syst_csr;
    m.m_syst_csr &= ~(1u << 16);  // COUNTFLAG clears on read
    return v;
  }
  static uint32_t read_calib(MProfile& m, unsigned) {
    const MProfileConfig& c = m.m_config;
    if (c.systick_calib != 0) return c.systick_calib;
    if (c.systick_ref_divisor == 0) return 1u << 31;  // NOREF
    const uint64_t ref_hz = c.clock_hz / c.systick_ref_divisor;
    const uint64_t ticks = ref_hz / 100;  // per 10 ms
    uint32_t v = static_cast<uint32_t>(ticks == 0 ? 0 : (ticks - 1) & 0xFFFFFF);
    if (ticks * 100 != ref_hz || c.clock_hz % c.systick_ref_divisor != 0) v |= 1u << 30;  // SKEW
    return v;
  }

  // Peripheral and component identification of the SCS (PID0-3, CID0-3).
  static uint32_t read_ident(MProfile&, unsigned i) {
    static constexpr uint8_t kIdent[8] = {0x00, 0xB0, 0x1B, 0x00, 0x0D, 0xE0, 0x05, 0xB1};
    return kIdent[i];
  }

  // ----- DWT
  static void write_dwt_ctrl(MProfile& m, unsigned, uint32_t v, uint32_t) {
    m.m_dwt_ctrl = (m.m_dwt_ctrl & 0xF0000000u) | (v & 1u);
  }

  static const std::vector<Reg>& registers() {
    using M = MProfile;
    static const std::vector<Reg> regs = {
        {"DWT_CTRL", 0x1000, 1, None, [](M& m, unsigned) { return m.m_dwt_ctrl; }, write_dwt_ctrl},
        {"DWT_CYCCNT", 0x1004, 1, None, [](M& m, unsigned) { return m.m_dwt_cyccnt; },
         [](M& m, unsigned, uint32_t v, uint32_t) { m.m_dwt_cyccnt = v; }},
        {"DWT_CNT", 0x1008, 6, None, zero, ignore},  // CPICNT..PCSR: not modelled, RAZ/WI
        {"ICTR", 0xE004, 1, None, [](M& m, unsigned) { return (m.m_config.num_irq + 31) / 32 - 1; }, ignore},
        {"ACTLR", 0xE008, 1, None, zero, ignore},
        {"SYST_CSR", 0xE010, 1, None, read_syst_csr, write_syst_csr},
        {"SYST_RVR", 0xE014, 1, None, [](M& m, unsigned) { return m.m_syst_rvr; },
         [](M& m, unsigned, uint32_t v, uint32_t) { m.m_syst_rvr = v & 0xFFFFFF; m.notify(); }},
        {"SYST_CVR", 0xE018, 1, None, [](M& m, unsigned) { return m.m_syst_cvr; },
         [](M& m, unsigned, uint32_t, uint32_t) {
           m.m_syst_cvr = 0;
           m.m_syst_csr &= ~(1u << 16);
           m.notify();
         }},
        {"SYST_CALIB", 0xE01C, 1, None, read_calib, ignore},
        {"NVIC_ISER", 0xE100, 16, None, read_bits<&M::Vec::enabled>,
         [](M& m, unsigned i, uint32_t v, uint32_t) {
           for_bits(m, i, v, [](M& mm, unsigned n) { mm.m_vec[n].enabled = true; });
           m.notify();
         }},
        {"NVIC_ICER", 0xE180, 16, None, read_bits<&M::Vec::enabled>,
         [](M& m, unsigned i, uint32_t v, uint32_t) {
           for_bits(m, i, v, [](M& mm, unsigned n) { mm.m_vec[n].enabled = false; });
         }},
        {"NVIC_ISPR", 0xE200, 16, None, read_bits<&M::Vec::pending>,
         [](M& m, unsigned i, uint32_t v, uint32_t) {
           for_bits(m, i, v, [](M& mm, unsigned n) { mm.set_pending(n); });
         }},
        {"NVIC_ICPR", 0xE280, 16, None, read_bits<&M::Vec::pending>,
         [](M& m, unsigned i, uint32_t v, uint32_t) {
           for_bits(m, i, v, [](M& mm, unsigned n) { mm.m_vec[n].pending = false; });
         }},
        {"NVIC_IABR", 0xE300, 16, None, read_bits<&M::Vec::active>, ignore},
        {"NVIC_IPR", 0xE400, 124, Bytes, [](M& m, unsigned i) { return read_prio(m, kIrqBase + 4 * i); },
         [](M& m, unsigned i, uint32_t v, uint32_t l) { write_prio(m, kIrqBase + 4 * i, v, l); }},
        {"CPUID", 0xED00, 1, None, [](M& m, unsigned) { return m.m_config.cpuid; }, ignore},
        {"ICSR", 0xED04, 1, None, read_icsr, write_icsr},
        {"VTOR", 0xED08, 1, None, [](M& m, unsigned) { return m.m_vtor; },
         [](M& m, unsigned, uint32_t v, uint32_t) { m.m_vtor = v & 0xFFFFFF80u; }},
        {"AIRCR", 0xED0C, 1, None, read_aircr, write_aircr},
        {"SCR", 0xED10, 1, None, [](M& m, unsigned) { return m.m_scr; },
         [](M& m, unsigned, uint32_t v, uint32_t) { m.m_scr = v & 0x16; }},
        {"CCR", 0xED14, 1, None, [](M& m, unsigned) { return m.m_state.ccr; },
         [](M& m, unsigned, uint32_t v, uint32_t) {
           m.m_state.ccr = v & 0x31B;
           m.notify();  // UNALIGN_TRP is part of the block key: leave chained code
         }},
        {"SHPR", 0xED18, 3, Bytes, [](M& m, unsigned i) { return read_prio(m, 4 + 4 * i); },
         [](M& m, unsigned i, uint32_t v, uint32_t l) { write_prio(m, 4 + 4 * i, v, l); }},
        {"SHCSR", 0xED24, 1, None, read_shcsr, write_shcsr},
        {"CFSR", 0xED28, 1, Bytes, [](M& m, unsigned) { return m.m_cfsr; },
         [](M& m, unsigned, uint32_t v, uint32_t l) { m.m_cfsr &= ~(v & l); }},
        {"HFSR", 0xED2C, 1, None, [](M& m, unsigned) { return m.m_hfsr; },
         [](M& m, unsigned, uint32_t v, uint32_t) { m.m_hfsr &= ~v; }},
        {"DFSR", 0xED30, 1, None, [](M& m, unsigned) { return m.m_dfsr; },
         [](M& m, unsigned, uint32_t v, uint32_t) { m.m_dfsr &= ~v; }},
        {"MMFAR", 0xED34, 1, None, [](M& m, unsigned) { return m.m_mmfar; },
         [](M& m, unsigned, uint32_t v, uint32_t) { m.m_mmfar = v; }},
        {"BFAR", 0xED38, 1, None, [](M& m, unsigned) { return m.m_bfar; },
         [](M& m, unsigned, uint32_t v, uint32_t) { m.m_bfar = v; }},
        {"AFSR", 0xED3C, 1, None, zero, ignore},
        {"ID_PFR0", 0xED40, 1, None, [](M&, unsigned) { return 0x00000030u; }, ignore},
        {"ID_PFR1", 0xED44, 1, None, [](M&, unsigned) { return 0x00000200u; }, ignore},
        {"ID_DFR0", 0xED48, 1, None, [](M&, unsigned) { return 0x00100000u; }, ignore},
        {"ID_AFR0", 0xED4C, 1, None, zero, ignore},
        {"ID_MMFR0", 0xED50, 1, None, [](M&, unsigned) { return 0x00000030u; }, ignore},
        {"ID_MMFR1", 0xED54, 3, None, zero, ignore},
        {"ID_ISAR0", 0xED60, 1, None, [](M&, unsigned) { return 0x01141110u; }, ignore},
        {"ID_ISAR1", 0xED64, 1, None, [](M&, unsigned) { return 0x02111000u; }, ignore},
        {"ID_ISAR2", 0xED68, 1, None, [](M&, unsigned) { return 0x21112231u; }, ignore},
        {"ID_ISAR3", 0xED6C, 1, None, [](M&, unsigned) { return 0x01111110u; }, ignore},
        {"ID_ISAR4", 0xED70, 1, None, [](M&, unsigned) { return 0x01310102u; }, ignore},
        {"CPACR", 0xED88, 1, None, zero, ignore},
        {"DHCSR", 0xEDF0, 1, None, zero, ignore},
        {"DEMCR", 0xEDFC, 1, None, [](M& m, unsigned) { return m.m_demcr; },
         [](M& m, unsigned, uint32_t v, uint32_t) {
           m.m_demcr = v & 0x010F07F1u;
           m.m_vec[12].enabled = v & (1u << 16);  // MON_EN enables DebugMonitor
           m.m_maybe_pending = true;
           if (v & (1u << 17)) m.set_pending(12);  // MON_PEND
         }},
        {"STIR", 0xEF00, 1, User, zero,
         [](M& m, unsigned, uint32_t v, uint32_t) {
           const unsigned irq = v & 0x1FF;
           if (irq < m.m_config.num_irq) m.set_pending(kIrqBase + irq);
         }},
        {"SCS_ID", 0xEFE0, 8, None, read_ident, ignore},
    };
    return regs;
  }

  static const Reg* find(uint32_t offset, unsigned& index) {
    for (const Reg& r : registers()) {
      if (offset >= r.offset && offset < r.offset + 4u * r.count) {
        index = (offset - r.offset) / 4;
        return &r;
      }
    }
    return nullptr;
  }

  static bool user_allowed(MProfile& m, const Reg* r) {
    return r && (r->flags & User) && (m.m_state.ccr & 2);  // CCR.USERSETMPEND
  }

  static bool syncs_time(const Reg* r) {
    return r && (r->offset == 0x1000 || r->offset == 0x1004 || (r->offset >= 0xE010 && r->offset <= 0xE018));
  }
};

bool MProfile::ppb_read(uint32_t offset, unsigned size, uint32_t& value) {
  unsigned index = 0;
  const MProfileScs::Reg* r = MProfileScs::find(offset & ~3u, index);
  if (!privileged() && !MProfileScs::user_allowed(*this, r)) return false;
  value = 0;
  if (!r || (size != 4 && !(r->flags & MProfileScs::Bytes))) return true;
  if (MProfileScs::syncs_time(r)) sync();
  const uint32_t word = r->read(*this, index);
  const unsigned shift = 8 * (offset & 3);
  value = size == 4 ? word : (word >> shift) & ((1u << 8 * size) - 1);
  return true;
}

bool MProfile::ppb_implemented(uint32_t offset) const {
  unsigned index = 0;
  return MProfileScs::find(offset & ~3u, index) != nullptr;
}

bool MProfile::ppb_write(uint32_t offset, unsigned size, uint32_t value) {
  unsigned index = 0;
  const MProfileScs::Reg* r = MProfileScs::find(offset & ~3u, index);
  if (!privileged() && !MProfileScs::user_allowed(*this, r)) return false;
  if (!r || (size != 4 && !(r->flags & MProfileScs::Bytes))) return true;
  if (MProfileScs::syncs_time(r)) sync();
  const unsigned shift = 8 * (offset & 3);
  const uint32_t lanes = size == 4 ? 0xFFFFFFFFu : ((1u << 8 * size) - 1) << shift;
  r->write(*this, index, (value << shift) & lanes, lanes);
  return true;
}

// ----- PPB routing ------------------------------------------------------------------------

bool PpbMemory::map(uint64_t addr, tcg::Access kind, tcg::HostRegion& out) {
  if (in_ppb(addr)) return false;
  if (!m_next.map(addr, kind, out)) return false;
  // Never let a region handed out by the bus cover the PPB.
  const uint64_t ppb_end = uint64_t(MProfile::kPpbBase) + MProfile::kPpbSize;
  if (m_model && out.base < ppb_end && out.base + out.size > MProfile::kPpbBase) {
    if (addr < MProfile::kPpbBase) {
      out.size = MProfile::kPpbBase - out.base;
    } else {
      out.host += ppb_end - out.base;
      out.size -= ppb_end - out.base;
      out.base = ppb_end;
    }
  }
  return true;
}

tcg::MemResult PpbMemory::read(uint64_t addr, void* data, unsigned size, tcg::Access kind) {
  if (!in_ppb(addr)) return m_next.read(addr, data, size, kind);
  uint32_t v = 0;
  const bool ok = size <= 4 && m_model->ppb_read(static_cast<uint32_t>(addr - MProfile::kPpbBase), size, v);
  for (unsigned i = 0; i < size; ++i) static_cast<uint8_t*>(data)[i] = i < 4 ? uint8_t(v >> 8 * i) : 0;
  return {ok, 0};
}

tcg::MemResult PpbMemory::write(uint64_t addr, const void* data, unsigned size) {
  if (!in_ppb(addr)) return m_next.write(addr, data, size);
  if (size > 4) return {false, 0};
  uint32_t v = 0;
  for (unsigned i = 0; i < size; ++i) v |= uint32_t(static_cast<const uint8_t*>(data)[i]) << 8 * i;
  return {m_model->ppb_write(static_cast<uint32_t>(addr - MProfile::kPpbBase), size, v), 0};
}

// ----- Time --------------------------------------------------------------------------------

bool MProfile::systick_uses_ref() const { return !(m_syst_csr & 4) && m_config.systick_ref_divisor != 0; }

uint64_t MProfile::systick_ticks_for(uint64_t cycles) {
  if (!systick_uses_ref()) return cycles;
  const uint64_t total = m_syst_ref_phase + cycles;
  m_syst_ref_phase = total % m_config.systick_ref_divisor;
  return total / m_config.systick_ref_divisor;
}

// Counts `ticks` SysTick clocks: a nonzero counter decrements and, on reaching
// zero, sets COUNTFLAG (and pends SysTick with TICKINT); a zero counter
// reloads from RVR without an event.
void MProfile::systick_tick(uint64_t ticks) {
  if (ticks == 0) return;
  bool event = false;
  uint64_t n = ticks;
  if (m_syst_cvr != 0) {
    if (n < m_syst_cvr) {
      m_syst_cvr -= static_cast<uint32_t>(n);
      return;
    }
    n -= m_syst_cvr;
    m_syst_cvr = 0;
    event = true;
  }
  if (n != 0 && m_syst_rvr != 0) {
    const uint64_t period = uint64_t(m_syst_rvr) + 1;
    if (n / period) event = true;
    const uint64_t rem = n % period;
    m_syst_cvr = rem == 0 ? 0 : static_cast<uint32_t>(m_syst_rvr - (rem - 1));
  }
  if (event) {
    m_syst_csr |= 1u << 16;
    if (m_syst_csr & 2) set_pending(15);
  }
}

void MProfile::advance(uint64_t cycles) {
  m_cycles += cycles;
  if ((m_demcr & (1u << 24)) && (m_dwt_ctrl & 1)) m_dwt_cyccnt += static_cast<uint32_t>(cycles);
  if (m_syst_csr & 1) systick_tick(systick_ticks_for(cycles));
}

void MProfile::sync() {
  if (m_cycle_source) advance_to(m_cycle_source());
}

uint64_t MProfile::cycles_to_next_event() const {
  constexpr uint64_t kNever = std::numeric_limits<uint64_t>::max();
  if ((m_syst_csr & 3) != 3) return kNever;
  uint64_t ticks;
  if (m_syst_cvr != 0) ticks = m_syst_cvr;
  else if (m_syst_rvr != 0) ticks = uint64_t(m_syst_rvr) + 1;
  else return kNever;
  if (!systick_uses_ref()) return ticks;
  return ticks * m_config.systick_ref_divisor - m_syst_ref_phase;
}

}  // namespace presil::cpu::arm
