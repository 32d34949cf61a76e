// SPDX-License-Identifier: Apache-2.0
// ARMv7-M as GDB sees it: the register file (core + system registers) and its target description.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace presil::cpu::arm {
class ArmCpu;
class MProfile;
}  // namespace presil::cpu::arm

namespace presil::gdb {

/// GDB register numbers of an ARMv7-M core: r0-r12, sp, lr, pc (0-15), xpsr (16),
/// then msp, psp, primask, basepri, faultmask, control (17-22); all 32-bit.
namespace arm_m {
inline constexpr unsigned kPc = 15;
inline constexpr unsigned kXpsr = 16;
inline constexpr unsigned kCount = 23;

/// Target description: org.gnu.gdb.arm.m-profile plus org.gnu.gdb.arm.m-system.
std::string target_xml();
/// Reads register `reg` of `cpu` (its MProfile gives the banked stack pointers).
bool read_register(const cpu::arm::ArmCpu& cpu, unsigned reg, uint64_t& value);
/// Writes register `reg`; CONTROL.SPSEL and MSP/PSP writes keep the active stack pointer right.
bool write_register(cpu::arm::ArmCpu& cpu, unsigned reg, uint64_t value);
/// True if [addr, addr+len) touches the private peripheral bus (inside the core).
bool in_ppb(uint64_t addr, size_t len);
/// Debug access to the PPB (word-wise through the system model); bytes done.
size_t ppb_access(cpu::arm::MProfile& mp, uint64_t addr, uint8_t* data, size_t len, bool write);
}  // namespace arm_m

}  // namespace presil::gdb
