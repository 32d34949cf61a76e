// SPDX-License-Identifier: Apache-2.0
// ArmCpu: translation entry, state restore, and the bridge to the M-profile system model.
#include "cpu/arm/arm_cpu.h"

#include "cpu/arm/m_profile.h"
#include "cpu/arm/translate/helpers.h"
#include "cpu/arm/translate/translator.h"
#include "tcg/engine.h"

namespace presil::cpu::arm {

ArmCpu::ArmCpu(TimingTable timing) : m_timing(timing) {}

const std::vector<tcg::GlobalDef>& ArmCpu::globals() const { return arm_globals(); }

const std::vector<tcg::HelperInfo>& ArmCpu::helpers() const { return arm_helpers(); }

tcg::TbKey ArmCpu::current_key() const {
  tcg::TbKey key;
  key.pc = m_state.r[15];
  key.flags = m_state.itstate & TbFlag::ItMask;
  if (m_state.ccr & (1u << 3)) key.flags |= TbFlag::UnalignTrap;
  if (!m_state.thumb) key.flags |= TbFlag::NotThumb;
  return key;
}

int32_t ArmCpu::pc32_env_offset() const { return PRESIL_ARM_OFFSET(r[15]); }

void ArmCpu::translate(tcg::TranslateContext& ctx) {
  ThumbTranslator t(ctx.b, ctx.key, m_timing,
                    [&ctx](uint32_t addr) { return ctx.fetch16(addr); }, ctx.max_insns,
                    ctx.max_cycles);
  const BlockInfo info = t.translate_block();
  ctx.num_insns = info.num_insns;
  ctx.cycles = info.cycles;
  ctx.end_pc = info.end_pc;
}

void ArmCpu::restore_state(const tcg::InsnRecord& insn) {
  m_state.r[15] = static_cast<uint32_t>(insn.pc);
  m_state.itstate = static_cast<uint32_t>(insn.data1);
}

bool ArmCpu::process_interrupts() { return sys_process_interrupts(); }

void ArmCpu::deliver_exception() {
  const int32_t excp = m_state.common.exception_index;
  m_state.common.exception_index = -1;
  m_last_exception = excp;
  if (m_event_handler && m_event_handler(excp)) return;
  sys_take_exception(excp);
}

bool ArmCpu::halted() const { return sys_sleeping(); }

void ArmCpu::fetch_fault(uint64_t addr) {
  m_state.common.fault_addr = addr;
  m_state.fault_cfsr = Cfsr::Ibuserr;
  tcg::Engine::of(env()).raise(kExcpBusFault, 0);
}

void ArmCpu::data_fault(uint64_t addr, tcg::Access kind, bool alignment, uintptr_t host_pc) {
  m_state.common.fault_addr = addr;
  m_state.fault_cfsr = alignment ? Cfsr::Unaligned : (Cfsr::Preciserr | Cfsr::Bfarvalid);
  tcg::Engine::of(env()).raise(alignment ? kExcpUsageFault : kExcpBusFault, host_pc);
}

// --- the system model (one place to change if its API moves) ----------------------------------

bool ArmCpu::sys_process_interrupts() {
  if (MProfile* mp = system()) return mp->process_interrupts();
  return false;
}

void ArmCpu::sys_take_exception(int32_t excp) {
  if (MProfile* mp = system()) {
    mp->take_exception(excp);
    return;
  }
  // No system model: the CPU stops at the exception.
  m_halted = true;
}

bool ArmCpu::sys_sleeping() const {
  if (MProfile* mp = system()) return mp->sleeping();
  return m_halted;
}

}  // namespace presil::cpu::arm
