// SPDX-License-Identifier: Apache-2.0
// A tiny guest for engine tests: 16 64-bit registers, a 4-byte toy ISA, or IR supplied by the test.
#pragma once

#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <vector>

#include "host/backends.h"
#include "tcg/engine.h"

namespace presil::tcg::test {

/// Guest state: the engine part first, then the registers.
struct TestState {
  CpuCommon common;
  uint64_t r[16] = {};
  uint64_t pc = 0;
  uint32_t w[8] = {};          ///< 32-bit registers (globals w0..w7)
  uint64_t scratch[2] = {};    ///< target of env loads/stores in tests
  uint64_t restored_data = 0;  ///< data1 of the last restored insn record
  uint32_t halted = 0;
  uint32_t irq = 0;            ///< pending interrupt (taken between blocks)
  uint64_t exceptions = 0;     ///< exceptions delivered
  int32_t last_exception = -1;
  uint64_t exception_pc = 0;   ///< pc when the last exception was delivered
  uint64_t handler_pc = 0x800; ///< where exceptions go
};

/// Exception numbers of the test guest.
enum : int32_t { kExcHelper = 1, kExcData = 2, kExcAlign = 3, kExcFetch = 4 };

/// Toy ISA, one 32-bit little-endian word per instruction:
/// op = bits 7:0, ra = 11:8, rb = 15:12, imm = 31:16.
enum ToyOp : uint8_t {
  kMovi = 0x01,   ///< ra = imm (zero-extended)
  kAdd = 0x02,    ///< ra += rb
  kAddi = 0x03,   ///< ra += sext(imm)
  kSt32 = 0x04,   ///< [rb] = ra (32-bit)
  kLd32 = 0x05,   ///< ra = [rb] (32-bit, zero-extended)
  kB = 0x06,      ///< pc += sext(imm) * 4 (ends the block, chain slot 0)
  kBnz = 0x07,    ///< if ra != 0: pc += sext(imm) * 4 (slot 1) else next (slot 0)
  kHalt = 0x08,   ///< sleeps
  kChk = 0x09,    ///< helper raises kExcHelper when ra == 0xdead
  kJr = 0x0a,     ///< pc = ra (goto_ptr)
  kBusy = 0x0b,   ///< costs imm cycles, does nothing else
  kLdBe32 = 0x0c, ///< ra = big-endian [rb]
  kLdA32 = 0x0d,  ///< ra = [rb], must be 4-byte aligned
  kSt64 = 0x0e,   ///< [rb] = ra (64-bit)
  kLd64 = 0x0f,   ///< ra = [rb] (64-bit)
  kSt8 = 0x10,    ///< [rb] = ra (8-bit)
  kStBe32 = 0x11, ///< big-endian [rb] = ra
};

/// Encodes one toy instruction.
inline uint32_t toy(uint8_t op, unsigned ra = 0, unsigned rb = 0, uint16_t imm = 0) {
  return uint32_t(op) | (ra & 15) << 8 | (rb & 15) << 12 | uint32_t(imm) << 16;
}

/// RAM with a DMI pointer, an MMIO window and a hole (bus error).
class TestMemory : public GuestMemory {
 public:
  static constexpr uint64_t kRamSize = 64 * 1024;
  static constexpr uint64_t kMmioBase = 0x100000;
  static constexpr uint64_t kMmioSize = 0x1000;
  static constexpr uint64_t kMmioDelay = 5;

  std::vector<uint8_t> ram = std::vector<uint8_t>(kRamSize, 0);
  bool dmi = true;          ///< offer RAM as a host region
  uint32_t read_latency = 0;
  uint64_t map_calls = 0, reads = 0, writes = 0;
  std::map<uint64_t, uint64_t> mmio;  ///< MMIO registers written (addr -> value)
  std::function<void()> on_mmio_read;  ///< called at every MMIO read (a device that waits, say)

  bool map(uint64_t addr, Access kind, HostRegion& out) override {
    ++map_calls;
    if (!dmi || addr >= kRamSize) return false;
    out = HostRegion{0, kRamSize, ram.data(), true, true, true, read_latency, 0};
    return true;
  }
  MemResult read(uint64_t addr, void* data, unsigned size, Access kind) override {
    ++reads;
    if (addr + size <= kRamSize) {
      std::memcpy(data, ram.data() + addr, size);
      return {};
    }
    if (addr >= kMmioBase && addr + size <= kMmioBase + kMmioSize) {
      if (on_mmio_read) on_mmio_read();
      uint64_t v = mmio.count(addr) ? mmio[addr] : 0x1000 + (addr - kMmioBase);
      std::memcpy(data, &v, size);
      return {true, kMmioDelay};
    }
    return {false, 0};
  }
  MemResult write(uint64_t addr, const void* data, unsigned size) override {
    ++writes;
    if (addr + size <= kRamSize) {
      std::memcpy(ram.data() + addr, data, size);
      return {};
    }
    if (addr >= kMmioBase && addr + size <= kMmioBase + kMmioSize) {
      uint64_t v = 0;
      std::memcpy(&v, data, size);
      mmio[addr] = v;
      return {true, kMmioDelay};
    }
    return {false, 0};
  }
  /// Writes toy instructions at addr.
  void program(uint64_t addr, std::initializer_list<uint32_t> words) {
    for (uint32_t w : words) {
      std::memcpy(ram.data() + addr, &w, 4);
      addr += 4;
    }
  }
};

/// The test CPU: toy ISA from memory, or IR from `ir` when set.
class TestCpu : public GuestCpu {
 public:
  static constexpr unsigned kPcGlobal = 16;
  static constexpr unsigned kW0Global = 17;  ///< w0..w7 follow
  TestState s;
  /// When set, translate() calls this instead of decoding the toy ISA.
  std::function<void(TranslateContext&)> ir;
  uint64_t translations = 0;

  TestCpu() {
    for (unsigned i = 0; i < 16; ++i)
      m_globals.push_back(GlobalDef{kRegNames[i], Type::I64, int32_t(offsetof(TestState, r) + 8 * i)});
    m_globals.push_back(GlobalDef{"pc", Type::I64, int32_t(offsetof(TestState, pc))});
    for (unsigned i = 0; i < 8; ++i)
      m_globals.push_back(GlobalDef{kWordNames[i], Type::I32, int32_t(offsetof(TestState, w) + 4 * i)});
    m_helpers = {
        {"raise_if_dead", &helper_raise_if_dead, 1, true, HelperFlag::MayRaise},
        {"add3", &helper_add3, 3, true, HelperFlag::NoSideEffects | HelperFlag::NoReadGlobals | HelperFlag::NoWriteGlobals},
        {"halt", &helper_halt, 0, false, 0},
        {"request_exit", &helper_request_exit, 0, false, 0},
    };
  }
  CpuCommon& common() override { return s.common; }
  const std::vector<GlobalDef>& globals() const override { return m_globals; }
  const std::vector<HelperInfo>& helpers() const override { return m_helpers; }
  TbKey current_key() const override { return TbKey{s.pc, 0, 0}; }
  void restore_state(const InsnRecord& insn) override {
    s.pc = insn.pc;
    s.restored_data = insn.data1;
  }
  bool process_interrupts() override {
    if (!s.irq) return false;
    s.irq = 0;
    s.r[15] = s.pc;
    s.pc = 0x900;
    s.halted = 0;
    return true;
  }
  void deliver_exception() override {
    ++s.exceptions;
    s.last_exception = s.common.exception_index;
    s.exception_pc = s.pc;
    s.pc = s.handler_pc;
  }
  bool halted() const override { return s.halted != 0; }
  [[noreturn]] void fetch_fault(uint64_t addr) override {
    s.common.fault_addr = addr;
    Engine::of(env()).raise(kExcFetch, 0);
  }
  [[noreturn]] void data_fault(uint64_t addr, Access, bool alignment, uintptr_t host_pc) override {
    Engine::of(env()).raise(alignment ? kExcAlign : kExcData, host_pc);
  }

  void translate(TranslateContext& ctx) override {
    ++translations;
    if (ir) return ir(ctx);
    translate_toy(ctx);
  }

 private:
  static constexpr const char* kRegNames[16] = {"r0", "r1", "r2",  "r3",  "r4",  "r5",  "r6",  "r7",
                                                "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15"};

  static constexpr const char* kWordNames[8] = {"w0", "w1", "w2", "w3", "w4", "w5", "w6", "w7"};

  static uint64_t helper_raise_if_dead(void* env, uint64_t a, uint64_t, uint64_t, uint64_t) {
    auto* c = static_cast<CpuCommon*>(env);
    if (a == 0xdead) Engine::of(env).raise(kExcHelper, c->fault_host_pc);
    return a + 1;
  }
  static uint64_t helper_add3(void*, uint64_t a, uint64_t b, uint64_t c, uint64_t) { return a + b + c; }
  static uint64_t helper_halt(void* env, uint64_t, uint64_t, uint64_t, uint64_t) {
    reinterpret_cast<TestState*>(env)->halted = 1;
    return 0;
  }

  static uint64_t helper_request_exit(void* env, uint64_t, uint64_t, uint64_t, uint64_t) {
    Engine::of(env).request_exit();
    return 0;
  }

  static uint32_t cost(uint32_t insn) { return (insn & 0xff) == kBusy ? (insn >> 16) : 1; }

  void translate_toy(TranslateContext& ctx) {
    Builder& b = ctx.b;
    U64 pc = b.global64(kPcGlobal);
    uint64_t at = ctx.key.pc;
    auto reg = [&](unsigned i) { return b.global64(i); };
    auto jump = [&](unsigned slot, uint64_t target) {
      b.movi(pc, target);
      b.goto_tb(slot);
      b.exit_tb(slot);
    };
    for (;;) {
      uint32_t insn = ctx.fetch32(at);
      if (ctx.num_insns > 0 && ctx.cycles + cost(insn) > ctx.max_cycles) {
        jump(0, at);
        break;
      }
      b.insn_start(at, at ^ 0x5a5a);
      ctx.num_insns++;
      ctx.cycles += cost(insn);
      unsigned ra = insn >> 8 & 15, rb = insn >> 12 & 15;
      uint16_t imm = uint16_t(insn >> 16);
      uint64_t next = at + 4;
      bool end = false;
      switch (insn & 0xff) {
        case kMovi: b.movi(reg(ra), imm); break;
        case kAdd: b.mov(reg(ra), b.add(reg(ra), reg(rb))); break;
        case kAddi: b.mov(reg(ra), b.add(reg(ra), b.c64(uint64_t(int64_t(int16_t(imm)))))); break;
        case kSt32: b.st(reg(ra), reg(rb), MemOp::u(2)); break;
        case kSt64: b.st(reg(ra), reg(rb), MemOp::u(3)); break;
        case kSt8: b.st(reg(ra), reg(rb), MemOp::u(0)); break;
        case kStBe32: b.st(reg(ra), reg(rb), MemOp{2, false, true, 0, 0}); break;
        case kLd32: b.mov(reg(ra), b.ld64(reg(rb), MemOp::u(2))); break;
        case kLd64: b.mov(reg(ra), b.ld64(reg(rb), MemOp::u(3))); break;
        case kLdBe32: b.mov(reg(ra), b.ld64(reg(rb), MemOp{2, false, true, 0, 0})); break;
        case kLdA32: b.mov(reg(ra), b.ld64(reg(rb), MemOp{2, false, false, 2, 0})); break;
        case kB:
          jump(0, at + int64_t(int16_t(imm)) * 4);
          end = true;
          break;
        case kBnz: {
          Label taken = b.new_label();
          b.brcond(Cond::Ne, reg(ra), b.c64(0), taken);
          jump(0, next);
          b.set_label(taken);
          jump(1, at + int64_t(int16_t(imm)) * 4);
          end = true;
          break;
        }
        case kHalt:
          b.call0(2, {});
          b.movi(pc, next);
          b.exit_tb(ExitCode::NoChain);
          end = true;
          break;
        case kChk: b.mov(reg(14), b.call(0, {reg(ra).t}, true)); break;
        case kJr:
          b.mov(pc, reg(ra));
          b.goto_ptr();
          end = true;
          break;
        case kBusy: break;
        default:
          b.movi(pc, at);
          b.exit_tb(ExitCode::NoChain);
          end = true;
          break;
      }
      at = next;
      if (end) break;
      if (ctx.num_insns >= ctx.max_insns) {
        jump(0, at);
        break;
      }
    }
    ctx.end_pc = at;
  }

  std::vector<GlobalDef> m_globals;
  std::vector<HelperInfo> m_helpers;
};

/// A CPU, memory and engine on one back-end.
struct Rig {
  TestCpu cpu;
  TestMemory mem;
  Engine engine;
  /// Tests verify every block's IR; benchmarks pass verify = false.
  explicit Rig(const std::string& backend, EngineOptions opts = {}, bool verify = true)
      : engine(cpu, mem, host::make_backend(backend), with_verifier(opts, verify)) {}
  static EngineOptions with_verifier(EngineOptions o, bool verify) {
    o.verify_ir = verify;
    return o;
  }
};

}  // namespace presil::tcg::test
