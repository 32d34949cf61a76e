// SPDX-License-Identifier: Apache-2.0
// Differential test against Unicorn (Cortex-M3): random instruction streams generated from
// the decoder tables, run in every engine mode, registers/flags/memory compared per case.
#include <capstone/capstone.h>
#include <gtest/gtest.h>
#include <unicorn/unicorn.h>

#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <sstream>
#include <string>

#include "cpu/arm/arm_cpu.h"
#include "cpu/arm/decoder/thumb.h"
#include "cpu/arm/translate/helpers.h"
#include "cpu/arm/translate/translator.h"
#include "host/backends.h"
#include "tcg/engine.h"
#include "tcg/fastmem.h"

namespace presil::cpu::arm {
namespace {

constexpr uint32_t kCodeBase = 0x08000000;
constexpr uint32_t kPage = 4096;
constexpr uint32_t kPpbBase = 0xE0000000;
constexpr uint16_t kWfi = 0xbf30;
constexpr uint16_t kNop = 0xbf00;

/// Rows the random generator leaves out, with the reason.
const std::map<std::string, std::string>& do_not_test() {
  static const std::map<std::string, std::string> rows = {
      {"thumb16_BX", "control flow leaves the generated code (tests/cpu/asm)"},
      {"thumb16_BLX_reg", "control flow leaves the generated code (tests/cpu/asm)"},
      {"thumb16_B_cond", "control flow leaves the generated code (tests/cpu/asm)"},
      {"thumb16_B", "control flow leaves the generated code (tests/cpu/asm)"},
      {"thumb16_CBZ", "control flow leaves the generated code (tests/cpu/asm)"},
      {"thumb32_B_cond", "control flow leaves the generated code (tests/cpu/asm)"},
      {"thumb32_B", "control flow leaves the generated code (tests/cpu/asm)"},
      {"thumb32_BL", "control flow leaves the generated code (tests/cpu/asm)"},
      {"thumb32_TBB", "control flow leaves the generated code (tests/cpu/asm)"},
      {"thumb32_TBH", "control flow leaves the generated code (tests/cpu/asm)"},
      {"thumb16_SVC", "exception entry: Unicorn has no M-profile exception model"},
      {"thumb16_BKPT", "exception entry: Unicorn has no M-profile exception model"},
      {"thumb16_UDF", "exception entry: Unicorn has no M-profile exception model"},
      {"thumb32_UDF", "exception entry: Unicorn has no M-profile exception model"},
      {"thumb32_COPROC", "exception entry: Unicorn has no M-profile exception model"},
      {"thumb16_WFI", "sleeps: used as the terminator"},
      {"thumb32_WFI", "sleeps: used as the terminator"},
      {"thumb16_WFE", "sleeps"},
      {"thumb16_YIELD", "Unicorn stops emulating at YIELD (QEMU's EXCP_YIELD exit)"},
      {"thumb32_YIELD", "Unicorn stops emulating at YIELD (QEMU's EXCP_YIELD exit)"},
      {"thumb32_WFE", "sleeps"},
      {"thumb32_ISB", "Unicorn drops ITSTATE at the block end ISB forces (tests/cpu/asm/it_blocks.S)"},
      {"thumb32_MSR", "special registers: tests/cpu/m_profile"},
      {"thumb32_MRS", "special registers: tests/cpu/m_profile"},
      {"thumb16_CPS", "special registers: tests/cpu/m_profile"},
  };
  return rows;
}

/// Contents of memory nobody wrote: a function of the address, the same in both engines.
uint8_t background(uint32_t addr) {
  uint32_t x = addr * 0x9E3779B1u;
  x ^= x >> 15;
  x *= 0x85EBCA6Bu;
  return uint8_t(x >> 13);
}

/// Sparse guest memory with pages created on first touch.
class SparseMemory : public tcg::GuestMemory {
 public:
  bool touched_ppb = false;   ///< an access reached the private peripheral bus
  bool wrote_code = false;    ///< a store hit the code page

  uint8_t* page(uint32_t addr) {
    const uint32_t base = addr & ~(kPage - 1);
    auto& p = m_pages[base];
    if (!p) {
      p = std::make_unique<tcg::HostBuffer>(kPage);  // shared: the JIT aliases it (fast memory)
      for (uint32_t i = 0; i < kPage; ++i) p->data()[i] = background(base + i);
    }
    return p->data();
  }
  void clear() {
    m_pages.clear();
    touched_ppb = wrote_code = false;
  }
  const std::map<uint32_t, std::unique_ptr<tcg::HostBuffer>>& pages() const { return m_pages; }

  bool map(uint64_t addr, tcg::Access kind, tcg::HostRegion& out) override {
    const uint32_t a = uint32_t(addr);
    if (a >= kPpbBase) touched_ppb = true;
    if (kind == tcg::Access::Write && (a & ~(kPage - 1)) == kCodeBase) wrote_code = true;
    out = tcg::HostRegion{a & ~(kPage - 1), kPage, page(a), true, true, true, 0, 0};
    return true;
  }
  tcg::MemResult read(uint64_t addr, void* data, unsigned size, tcg::Access) override {
    for (unsigned i = 0; i < size; ++i) {
      const uint32_t a = uint32_t(addr + i);
      if (a >= kPpbBase) touched_ppb = true;
      static_cast<uint8_t*>(data)[i] = page(a)[a & (kPage - 1)];
    }
    return {};
  }
  tcg::MemResult write(uint64_t addr, const void* data, unsigned size) override {
    for (unsigned i = 0; i < size; ++i) {
      const uint32_t a = uint32_t(addr + i);
      if (a >= kPpbBase) touched_ppb = true;
      if ((a & ~(kPage - 1)) == kCodeBase) wrote_code = true;
      page(a)[a & (kPage - 1)] = static_cast<const uint8_t*>(data)[i];
    }
    return {};
  }

 private:
  std::map<uint32_t, std::unique_ptr<tcg::HostBuffer>> m_pages;
};

/// Register file compared between the engines.
struct Regs {
  uint32_t r[16];
  uint32_t apsr;  ///< N Z C V Q in bits 31..27
  bool exception = false;
};

/// One generated test case.
struct Case {
  std::vector<uint16_t> code;  ///< halfwords, ending with the terminator
  std::vector<std::string> rows;
  uint32_t term_addr = 0;
  uint32_t regs[16];
  uint32_t apsr;
};

/// Generates instruction streams from the decoder tables.
class Generator {
 public:
  explicit Generator(uint64_t seed) : m_rng(seed) {
    for (const auto& m : thumb16_table<ThumbTranslator>())
      if (!do_not_test().count(m.name)) m_rows16.push_back(&m);
    for (const auto& m : thumb32_table<ThumbTranslator>())
      if (!do_not_test().count(m.name)) m_rows32.push_back(&m);
  }

  uint32_t value() {
    // Mostly word-aligned values, so that LDM/LDRD/LDREX bases are usable addresses.
    const uint32_t align = m_rng() % 4 == 0 ? ~0u : ~3u;
    switch (m_rng() % 6) {
      case 0: return (m_rng() % 64) & align;
      case 1: return 0x20000000u + (m_rng() % 0x10000) * 4;
      case 2: return uint32_t(-int32_t(m_rng() % 64)) & align;
      case 3: return 0x80000000u ^ (m_rng() % 4);
      default: return uint32_t(m_rng()) & align;
    }
  }

  static unsigned exclusive_size(const std::string& row) {
    const char last = row.back();
    return last == 'B' ? 1 : last == 'H' ? 2 : 4;
  }

  Case make(unsigned length) {
    Case c;
    uint32_t it = 0;
    unsigned excl_size = 0;
    // Prologue CLREX: Unicorn keeps its exclusive monitor across runs.
    c.code = {0xf3bf, 0x8f2f};
    c.rows.push_back("thumb32_CLREX");
    for (unsigned k = 0; k < length || it != 0; ++k) {
      if (k >= length) {  // finish an open IT block
        c.code.push_back(kNop);
        c.rows.push_back("thumb16_NOP");
        it = advance(it);
        continue;
      }
      for (int attempt = 0; attempt < 1000; ++attempt) {
        const bool wide = m_rng() % 2;
        const auto& rows = wide ? m_rows32 : m_rows16;
        const auto* row = rows[m_rng() % rows.size()];
        const uint32_t insn = instance(*row);
        // The instance may belong to an earlier, more specific row: judge that one.
        row = wide ? decoder::find(thumb32_table<ThumbTranslator>(), insn)
                   : decoder::find(thumb16_table<ThumbTranslator>(), insn);
        if (do_not_test().count(row->name)) continue;
        // Its should-be-one/zero bits must hold too (else UNPREDICTABLE; QEMU undefines them).
        if ((insn & (row->pattern.sbo | row->pattern.sbz)) != row->pattern.sbo) continue;
        if (!defined(insn, wide, it)) continue;
        // STREX of another size than the open LDREX is IMPLEMENTATION DEFINED (QEMU
        // compares the truncated value and may store while reporting failure): skip.
        const std::string rn = row->name;
        if (rn.rfind("thumb32_STREX", 0) == 0 && excl_size != 0 && exclusive_size(rn) != excl_size) continue;
        if (rn.rfind("thumb32_LDREX", 0) == 0) excl_size = exclusive_size(rn);
        if (wide) {
          c.code.push_back(uint16_t(insn >> 16));
          c.code.push_back(uint16_t(insn));
        } else {
          c.code.push_back(uint16_t(insn));
        }
        c.rows.push_back(row->name);
        it = std::string(row->name) == "thumb16_IT" ? (insn & 0xff) : advance(it);
        break;
      }
    }
    c.term_addr = kCodeBase + uint32_t(c.code.size() * 2);
    c.code.push_back(kWfi);
    for (unsigned i = 0; i < 15; ++i) c.regs[i] = value();
    c.regs[13] = 0x20080000u + (m_rng() % 0x1000) * 4;
    c.regs[15] = kCodeBase;
    c.apsr = uint32_t(m_rng()) & 0xf8000000u;
    return c;
  }

 private:
  static uint32_t advance(uint32_t it) { return (it & 7) == 0 ? 0 : (it & 0xe0) | ((it << 1) & 0x1f); }

  uint32_t instance(const decoder::Matcher<ThumbTranslator>& row) {
    const decoder::Pattern& p = row.pattern;
    uint32_t insn = p.match | p.sbo | (uint32_t(m_rng()) & p.dont_care);
    const std::string name = row.name;
    for (unsigned f = 0; f < p.num_fields; ++f) {
      const auto& fd = p.fields[f];
      uint32_t v = uint32_t(m_rng()) & ((1u << fd.width) - 1);
      const bool reg4 = fd.width == 4 && std::strchr("ndmtalh", fd.name) != nullptr;
      if (reg4) v = m_rng() % 13;  // no SP/PC operands: their UNPREDICTABLE cases differ
      if (fd.name == 'r' && fd.width == 16) v &= 0x1fff;  // no PC/SP/LR in 32-bit lists
      if (name == "thumb16_POP" && fd.name == 'p') v = 0;  // no PC load
      if (name == "thumb16_ADD_reg_T2" || name == "thumb16_MOV_reg_T1" || name == "thumb16_CMP_reg_T2")
        if (fd.width == 4) v = m_rng() % 13;
      insn |= decoder::deposit_field(v, fd.mask);
    }
    return insn;
  }

  bool defined(uint32_t insn, bool wide, uint32_t it) {
    tcg::Block block(arm_globals(), &arm_helpers());
    tcg::Builder b(block);
    ThumbTranslator t(b, tcg::TbKey{kCodeBase, it, 0}, m_timing, [](uint32_t) -> uint16_t { return kNop; });
    return t.decode_only(insn, wide, kCodeBase);
  }

  std::mt19937_64 m_rng;
  std::vector<const decoder::Matcher<ThumbTranslator>*> m_rows16, m_rows32;
  TimingTable m_timing;
};

/// Unicorn, as a Cortex-M3, with pages mapped on first touch.
class Oracle {
 public:
  Oracle() {
    EXPECT_EQ(uc_open(UC_ARCH_ARM, UC_MODE_THUMB, &m_uc), UC_ERR_OK);
    EXPECT_EQ(uc_ctl_set_cpu_model(m_uc, UC_CPU_ARM_CORTEX_M3), UC_ERR_OK);
    uc_hook h;
    uc_hook_add(m_uc, &h, UC_HOOK_MEM_UNMAPPED, reinterpret_cast<void*>(&Oracle::on_unmapped), this, 1, 0);
    uc_hook_add(m_uc, &h, UC_HOOK_INTR, reinterpret_cast<void*>(&Oracle::on_intr), this, 1, 0);
  }
  ~Oracle() { uc_close(m_uc); }

  Regs run(const Case& c) {
    for (uint32_t p : m_pages) uc_mem_unmap(m_uc, p, kPage);
    m_pages.clear();
    m_exception = false;
    map_page(kCodeBase);
    uc_mem_write(m_uc, kCodeBase, c.code.data(), c.code.size() * 2);
    // Unicorn keeps translations across unmap/map: drop those of the code page.
    uc_ctl_remove_cache(m_uc, kCodeBase, kCodeBase + kPage);
    static const int ids[16] = {UC_ARM_REG_R0, UC_ARM_REG_R1, UC_ARM_REG_R2,  UC_ARM_REG_R3,
                                UC_ARM_REG_R4, UC_ARM_REG_R5, UC_ARM_REG_R6,  UC_ARM_REG_R7,
                                UC_ARM_REG_R8, UC_ARM_REG_R9, UC_ARM_REG_R10, UC_ARM_REG_R11,
                                UC_ARM_REG_R12, UC_ARM_REG_SP, UC_ARM_REG_LR, UC_ARM_REG_PC};
    for (unsigned i = 0; i < 15; ++i) uc_reg_write(m_uc, ids[i], &c.regs[i]);
    uint32_t xpsr = c.apsr | (1u << 24);
    uc_reg_write(m_uc, UC_ARM_REG_XPSR, &xpsr);
    const uc_err err = uc_emu_start(m_uc, kCodeBase | 1, c.term_addr, 0, 0);
    Regs r{};
    for (unsigned i = 0; i < 16; ++i) uc_reg_read(m_uc, ids[i], &r.r[i]);
    uc_reg_read(m_uc, UC_ARM_REG_XPSR, &xpsr);
    r.apsr = xpsr & 0xf8000000u;
    r.exception = m_exception || err != UC_ERR_OK;
    return r;
  }

  /// Page contents (background if never mapped).
  void read_page(uint32_t base, uint8_t* out) {
    if (m_pages.count(base)) {
      uc_mem_read(m_uc, base, out, kPage);
    } else {
      for (uint32_t i = 0; i < kPage; ++i) out[i] = background(base + i);
    }
  }
  const std::set<uint32_t>& pages() const { return m_pages; }

 private:
  void map_page(uint32_t base) {
    uc_mem_map(m_uc, base, kPage, UC_PROT_ALL);
    uint8_t bytes[kPage];
    for (uint32_t i = 0; i < kPage; ++i) bytes[i] = background(base + i);
    uc_mem_write(m_uc, base, bytes, kPage);
    m_pages.insert(base);
  }
  static bool on_unmapped(uc_engine*, uc_mem_type, uint64_t addr, int size, int64_t, void* user) {
    auto* self = static_cast<Oracle*>(user);
    const uint32_t first = uint32_t(addr) & ~(kPage - 1);
    const uint32_t last = uint32_t(addr + size - 1) & ~(kPage - 1);
    if (!self->m_pages.count(first)) self->map_page(first);
    if (!self->m_pages.count(last)) self->map_page(last);
    return true;
  }
  static void on_intr(uc_engine* uc, uint32_t intno, void* user) {
    // QEMU-internal exits (>= 0x10000: YIELD, halt, ...) are not guest exceptions.
    if (intno >= 0x10000) return;
    static_cast<Oracle*>(user)->m_exception = true;
    uc_emu_stop(uc);
  }

  uc_engine* m_uc = nullptr;
  std::set<uint32_t> m_pages;
  bool m_exception = false;
};

/// An engine mode: back-end, block shape.
struct Mode {
  std::string backend;
  bool single_step;
  bool no_chain;
  std::string name() const {
    return backend + (single_step ? "_step" : no_chain ? "_blocks" : "_chained");
  }
};

std::vector<Mode> modes() {
  std::vector<Mode> out;
  for (const std::string& b : host::backend_names()) {
    out.push_back({b, true, true});
    out.push_back({b, false, true});
    out.push_back({b, false, false});
  }
  return out;
}

std::string disassemble(const Case& c) {
  std::ostringstream os;
  csh h;
  if (cs_open(CS_ARCH_ARM, cs_mode(CS_MODE_THUMB | CS_MODE_MCLASS), &h) != CS_ERR_OK) return "(capstone failed)\n";
  size_t off = 0;
  for (size_t k = 0; k <= c.rows.size() && off < c.code.size(); ++k) {
    const bool wide = thumb_is_wide(c.code[off]);
    const size_t bytes = wide ? 4 : 2;
    os << "  " << std::hex << kCodeBase + off * 2 << ":  " << c.code[off];
    if (wide) os << ' ' << c.code[off + 1];
    cs_insn* insn = nullptr;
    const size_t n = cs_disasm(h, reinterpret_cast<const uint8_t*>(&c.code[off]), bytes, kCodeBase + off * 2, 1, &insn);
    os << "\t" << (n ? std::string(insn[0].mnemonic) + " " + insn[0].op_str : std::string("(capstone: unknown)"));
    os << "\t; " << (k < c.rows.size() ? c.rows[k] : std::string("terminator")) << '\n';
    if (n) cs_free(insn, n);
    off += bytes / 2;
  }
  cs_close(&h);
  return os.str();
}

std::string ir_of(const Case& c) {
  tcg::Block block(arm_globals(), &arm_helpers());
  tcg::Builder b(block);
  ThumbTranslator t(b, tcg::TbKey{kCodeBase, 0, 0}, TimingTable::flat(), [&](uint32_t a) -> uint16_t {
    const uint32_t i = (a - kCodeBase) / 2;
    return i < c.code.size() ? c.code[i] : kNop;
  });
  t.translate_block();
  return block.to_string();
}

class ArmDiffTest : public ::testing::TestWithParam<Mode> {};

TEST_P(ArmDiffTest, RandomStreamsMatchUnicorn) {
  const Mode mode = GetParam();
  uint64_t budget_insns = 100000;
  if (const char* e = std::getenv("PRESIL_ARM_DIFF_INSNS")) budget_insns = std::strtoull(e, nullptr, 0);
  uint64_t seed = 0x5eed0001;
  if (const char* e = std::getenv("PRESIL_ARM_DIFF_SEED")) seed = std::strtoull(e, nullptr, 0);

  SparseMemory mem;
  ArmCpu cpu;
  bool halted_at_wfi = false;
  int32_t our_excp = -1;
  cpu.set_event_handler([&](int32_t excp) {
    halted_at_wfi = excp == kExcpHalt;
    our_excp = excp;
    cpu.set_halted(true);
    return true;
  });
  tcg::EngineOptions opts;
  opts.single_step = mode.single_step;
  opts.no_chain = mode.no_chain;
  tcg::Engine engine(cpu, mem, host::make_backend(mode.backend), opts);
  Oracle oracle;
  Generator gen(seed);
  std::mt19937 len_rng{static_cast<uint32_t>(seed)};

  uint64_t insns = 0, cases = 0, skipped = 0, exceptions = 0, mismatches = 0;
  uint64_t skipped_ppb = 0, skipped_smc = 0, skipped_unaligned = 0;
  while (insns < budget_insns && mismatches < 5) {
    Case c = gen.make(1 + len_rng() % 24);
    // --- presil
    mem.clear();
    std::memcpy(mem.page(kCodeBase), c.code.data(), c.code.size() * 2);
    engine.flush_code();
    engine.flush_tlb();
    ArmState& s = cpu.state();
    for (unsigned i = 0; i < 16; ++i) s.r[i] = c.regs[i];
    arm_set_apsr(s, c.apsr);
    s.itstate = 0;
    s.thumb = 1;
    s.excl_valid = false;
    cpu.set_halted(false);
    halted_at_wfi = false;
    const tcg::ExitReason why = engine.run(int64_t(1) << 30);
    Regs ours{};
    for (unsigned i = 0; i < 16; ++i) ours.r[i] = s.r[i];
    ours.apsr = arm_apsr(s);
    ours.exception = !halted_at_wfi;
    // Skipped: accesses to the system region (Unicorn's NVIC lives there), self-modifying
    // stores, and alignment UsageFaults (Unicorn does not raise them for LDM/LDRD/LDREX).
    const bool unaligned_fault = our_excp == kExcpUsageFault && (s.fault_cfsr & Cfsr::Unaligned);
    // (Stores through a cached host pointer do not call write(): compare the code itself.)
    if (std::memcmp(mem.page(kCodeBase), c.code.data(), c.code.size() * 2) != 0) mem.wrote_code = true;
    if (mem.touched_ppb || mem.wrote_code || unaligned_fault) {
      ++skipped;
      skipped_ppb += mem.touched_ppb;
      skipped_smc += mem.wrote_code;
      skipped_unaligned += unaligned_fault;
      continue;
    }
    // --- Unicorn
    Regs theirs = oracle.run(c);
    ++cases;
    insns += c.rows.size();
    bool same = ours.exception == theirs.exception && ours.apsr == theirs.apsr;
    for (unsigned i = 0; i < 15; ++i) same = same && ours.r[i] == theirs.r[i];
    if (ours.exception) {
      ++exceptions;
    } else {
      same = same && why == tcg::ExitReason::Halted && ours.r[15] == c.term_addr + 2 && theirs.r[15] == c.term_addr;
      // Memory: every page either engine touched.
      std::set<uint32_t> pages(oracle.pages());
      for (const auto& [base, p] : mem.pages()) pages.insert(base);
      std::vector<uint8_t> a(kPage), b(kPage);
      for (uint32_t base : pages) {
        std::memcpy(a.data(), mem.page(base), kPage);
        oracle.read_page(base, b.data());
        if (a != b) {
          for (uint32_t i = 0; i < kPage; ++i)
            if (a[i] != b[i]) {
              ADD_FAILURE() << "memory differs at 0x" << std::hex << base + i << ": presil " << int(a[i])
                            << " unicorn " << int(b[i]);
              break;
            }
          same = false;
        }
      }
    }
    if (!same) {
      ++mismatches;
      std::ostringstream os;
      os << "mismatch in case " << std::dec << cases << " (seed 0x" << std::hex << seed << ", mode " << mode.name()
         << ")\n" << disassemble(c) << "  reg      initial    presil     unicorn\n";
      for (unsigned i = 0; i < 16; ++i)
        os << (ours.r[i] != theirs.r[i] && i != 15 ? "* " : "  ") << "r" << std::dec << i << (i < 10 ? "      " : "     ")
           << std::hex << c.regs[i] << "  " << ours.r[i] << "  " << theirs.r[i] << '\n';
      os << (ours.apsr != theirs.apsr ? "* " : "  ") << "apsr     " << c.apsr << "  " << ours.apsr << "  "
         << theirs.apsr << '\n';
      os << "  exception: presil " << ours.exception << " (" << std::dec << our_excp << ", cfsr 0x" << std::hex
         << cpu.state().fault_cfsr << ", addr 0x" << cpu.state().common.fault_addr << ") unicorn " << theirs.exception << '\n';
      os << "IR of the first block:\n" << ir_of(c);
      ADD_FAILURE() << os.str();
    }
  }
  std::printf("[ arm-diff ] mode %s: %llu instructions in %llu cases, %llu with exceptions, %llu mismatches; "
              "%llu cases skipped (%llu system region, %llu self-modifying, %llu alignment faults)\n",
              mode.name().c_str(), (unsigned long long)insns, (unsigned long long)cases,
              (unsigned long long)exceptions, (unsigned long long)mismatches, (unsigned long long)skipped,
              (unsigned long long)skipped_ppb, (unsigned long long)skipped_smc, (unsigned long long)skipped_unaligned);
  EXPECT_GE(insns, budget_insns);
  EXPECT_EQ(mismatches, 0u);
}

INSTANTIATE_TEST_SUITE_P(Modes, ArmDiffTest, ::testing::ValuesIn(modes()),
                         [](const ::testing::TestParamInfo<Mode>& i) { return i.param.name(); });

}  // namespace
}  // namespace presil::cpu::arm
