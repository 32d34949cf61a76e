// SPDX-License-Identifier: Apache-2.0
// ARMv7-M registers for the GDB stub: numbering, target description, reads and writes.
#include "platform/gdb/arm_m.h"

#include <algorithm>
#include <utility>

#include "cpu/arm/arm_cpu.h"
#include "cpu/arm/m_profile.h"

namespace presil::gdb::arm_m {

namespace {
constexpr const char* kSystemNames[] = {"msp", "psp", "primask", "basepri", "faultmask", "control"};
}

std::string target_xml() {
  std::string x =
      "<?xml version=\"1.0\"?>\n"
      "<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n"
      "<target version=\"1.0\">\n"
      "  <architecture>arm</architecture>\n"
      "  <feature name=\"org.gnu.gdb.arm.m-profile\">\n";
  for (unsigned r = 0; r <= 12; ++r)
    x += "    <reg name=\"r" + std::to_string(r) + "\" bitsize=\"32\" regnum=\"" + std::to_string(r) + "\"/>\n";
  x += "    <reg name=\"sp\" bitsize=\"32\" type=\"data_ptr\" regnum=\"13\"/>\n"
       "    <reg name=\"lr\" bitsize=\"32\" regnum=\"14\"/>\n"
       "    <reg name=\"pc\" bitsize=\"32\" type=\"code_ptr\" regnum=\"15\"/>\n"
       "    <reg name=\"xpsr\" bitsize=\"32\" regnum=\"16\"/>\n"
       "  </feature>\n"
       "  <feature name=\"org.gnu.gdb.arm.m-system\">\n";
  for (unsigned i = 0; i < 6; ++i) {
    x += std::string("    <reg name=\"") + kSystemNames[i] + "\" bitsize=\"32\" regnum=\"" + std::to_string(17 + i) +
         "\"" + (i < 2 ? " type=\"data_ptr\"" : " type=\"uint32\"") + " group=\"system\"/>\n";
  }
  x += "  </feature>\n</target>\n";
  return x;
}

bool read_register(const cpu::arm::ArmCpu& cpu, unsigned reg, uint64_t& value) {
  const cpu::arm::ArmState& s = cpu.state();
  const cpu::arm::MProfile* mp = cpu.system();
  if (reg < 16) {
    value = s.r[reg];
    return true;
  }
  switch (reg) {
    case kXpsr:
      value = mp ? mp->xpsr() : cpu::arm::arm_apsr(s) | cpu::arm::arm_epsr_it(s) | (s.thumb & 1) << 24;
      return true;
    case 17: value = mp ? mp->msp() : s.r[13]; return bool(mp);
    case 18: value = mp ? mp->psp() : 0; return bool(mp);
    case 19: value = s.primask; return true;
    case 20: value = s.basepri; return true;
    case 21: value = s.faultmask; return true;
    case 22: value = s.control; return true;
    default: return false;
  }
}

bool write_register(cpu::arm::ArmCpu& cpu, unsigned reg, uint64_t value) {
  cpu::arm::ArmState& s = cpu.state();
  cpu::arm::MProfile* mp = cpu.system();
  const uint32_t v = uint32_t(value);
  if (reg < 16) {
    s.r[reg] = reg == kPc ? v & ~1u : v;
    return true;
  }
  const bool psp_active = s.ipsr == 0 && (s.control & 2);
  switch (reg) {
    case kXpsr:
      cpu::arm::arm_set_apsr(s, v);
      s.itstate = cpu::arm::arm_itstate_from_xpsr(v);
      s.thumb = v >> 24 & 1;
      s.ipsr = v & 0x1ff;
      break;
    case 17:
      if (!mp) return false;
      mp->set_msp(v);
      return true;
    case 18:
      if (!mp) return false;
      mp->set_psp(v);
      return true;
    case 19: s.primask = v & 1; break;
    case 20: s.basepri = v & 0xff; break;
    case 21: s.faultmask = v & 1; break;
    case 22: s.control = v & 3; break;
    default: return false;
  }
  // CONTROL.SPSEL or IPSR changed which stack pointer r13 holds.
  if (psp_active != (s.ipsr == 0 && (s.control & 2))) std::swap(s.r[13], s.other_sp);
  return true;
}

bool in_ppb(uint64_t addr, size_t len) {
  constexpr uint64_t base = cpu::arm::MProfile::kPpbBase, end = base + cpu::arm::MProfile::kPpbSize;
  return len && addr < end && addr + len > base;
}

size_t ppb_access(cpu::arm::MProfile& mp, uint64_t addr, uint8_t* data, size_t len, bool write) {
  constexpr uint64_t base = cpu::arm::MProfile::kPpbBase, end = base + cpu::arm::MProfile::kPpbSize;
  size_t done = 0;
  while (done < len) {
    const uint64_t a = addr + done;
    if (a < base || a >= end) break;
    // Naturally aligned pieces of at most a word.
    unsigned size = (a & 3) == 0 && len - done >= 4 ? 4 : (a & 1) == 0 && len - done >= 2 ? 2 : 1;
    uint32_t v = 0;
    const uint32_t off = uint32_t(a - base);
    if (write) {
      for (unsigned i = 0; i < size; ++i) v |= uint32_t(data[done + i]) << (8 * i);
      if (!mp.ppb_write(off, size, v)) break;
    } else {
      if (!mp.ppb_read(off, size, v)) break;
      for (unsigned i = 0; i < size; ++i) data[done + i] = uint8_t(v >> (8 * i));
    }
    done += size;
  }
  return done;
}

}  // namespace presil::gdb::arm_m
