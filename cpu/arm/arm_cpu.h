// SPDX-License-Identifier: Apache-2.0
// ArmCpu: the ARMv7-M (Thumb) guest as the engine sees it.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "cpu/arm/state.h"
#include "cpu/arm/timing.h"
#include "tcg/guest.h"

namespace presil::cpu::arm {

class MProfile;

/// An ARMv7-M CPU front-end. The system half (exceptions, NVIC, special
/// registers) is the MProfile bound to state() (MProfile's constructor binds
/// itself); without one, exceptions go to the event handler only.
class ArmCpu : public tcg::GuestCpu {
 public:
  /// Creates a CPU whose blocks cost cycles from `timing`.
  explicit ArmCpu(TimingTable timing = TimingTable::flat());

  /// The guest register file.
  ArmState& state() { return m_state; }
  const ArmState& state() const { return m_state; }
  /// The bound M-profile system model, or nullptr.
  MProfile* system() const { return static_cast<MProfile*>(m_state.m_profile); }
  /// Cycle costs in use.
  const TimingTable& timing() const { return m_timing; }

  /// Called first for every exception the exec loop delivers; returning true
  /// means it was handled (tests, debuggers, a platform's semihosting).
  using EventHandler = std::function<bool(int32_t excp)>;
  void set_event_handler(EventHandler fn) { m_event_handler = std::move(fn); }
  /// Last exception delivered (for diagnostics; -1: none).
  int32_t last_exception() const { return m_last_exception; }
  /// Marks the CPU halted (or not) when no MProfile is bound.
  void set_halted(bool h) { m_halted = h; }

  // tcg::GuestCpu
  tcg::CpuCommon& common() override { return m_state.common; }
  const std::vector<tcg::GlobalDef>& globals() const override;
  const std::vector<tcg::HelperInfo>& helpers() const override;
  tcg::TbKey current_key() const override;
  int32_t pc32_env_offset() const override;
  void translate(tcg::TranslateContext& ctx) override;
  void restore_state(const tcg::InsnRecord& insn) override;
  bool process_interrupts() override;
  void deliver_exception() override;
  bool halted() const override;
  [[noreturn]] void fetch_fault(uint64_t addr) override;
  [[noreturn]] void data_fault(uint64_t addr, tcg::Access kind, bool alignment,
                               uintptr_t host_pc) override;

 private:
  bool sys_process_interrupts();
  void sys_take_exception(int32_t excp);
  bool sys_sleeping() const;

  ArmState m_state;
  TimingTable m_timing;
  EventHandler m_event_handler;
  int32_t m_last_exception = -1;
  bool m_halted = false;
};

}  // namespace presil::cpu::arm
