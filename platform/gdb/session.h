// SPDX-License-Identifier: Apache-2.0
// The GDB remote protocol command set over an abstract target: packets in, replies and run actions out.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace presil::gdb {

/// Breakpoint and watchpoint types of the Z/z packets.
enum class BreakType : uint8_t {
  Software = 0,     ///< Z0
  Hardware = 1,     ///< Z1
  WriteWatch = 2,   ///< Z2
  ReadWatch = 3,    ///< Z3
  AccessWatch = 4,  ///< Z4
};

/// Why the target stopped, as told to GDB.
struct StopInfo {
  enum class Reason : uint8_t {
    Signal,       ///< plain signal (attach, interrupt, step, exception)
    SwBreak,      ///< software breakpoint (swbreak:)
    HwBreak,      ///< hardware breakpoint (hwbreak:)
    Watch,        ///< write watchpoint (watch:ADDR)
    ReadWatch,    ///< read watchpoint (rwatch:ADDR)
    AccessWatch,  ///< access watchpoint (awatch:ADDR)
  };
  unsigned thread = 1;  ///< thread (CPU) that stopped, 1-based
  int signal = 5;       ///< GDB signal number: 5 SIGTRAP, 2 SIGINT
  Reason reason = Reason::Signal;
  uint64_t addr = 0;    ///< watchpoints: the data address
};

/// Signal numbers GDB understands.
inline constexpr int kSigInt = 2;
inline constexpr int kSigTrap = 5;

/// What the debugged system offers the protocol. Threads are 1..thread_count()
/// (one per CPU); registers are numbered as in target_xml().
class Target {
 public:
  virtual ~Target() = default;
  /// Number of threads (CPUs); at least 1.
  virtual unsigned thread_count() const = 0;
  /// Human-readable name of a thread (qThreadExtraInfo).
  virtual std::string thread_name(unsigned thread) const = 0;
  /// Target description XML (qXfer:features:read:target.xml).
  virtual std::string target_xml() const = 0;
  /// Registers in the g packet.
  virtual unsigned register_count() const = 0;
  /// Size of register `reg` in bytes (1..8).
  virtual unsigned register_size(unsigned reg) const = 0;
  /// Number of the program counter (expedited in stop replies).
  virtual unsigned pc_register() const = 0;
  /// Reads a register of `thread`; false if it cannot be read.
  virtual bool read_register(unsigned thread, unsigned reg, uint64_t& value) = 0;
  /// Writes a register of `thread`; false if it cannot be written.
  virtual bool write_register(unsigned thread, unsigned reg, uint64_t value) = 0;
  /// Debug-reads memory as `thread` sees it; returns the bytes read (a prefix).
  virtual size_t read_memory(unsigned thread, uint64_t addr, uint8_t* data, size_t len) = 0;
  /// Debug-writes memory as `thread` sees it; returns the bytes written (a prefix).
  virtual size_t write_memory(unsigned thread, uint64_t addr, const uint8_t* data, size_t len) = 0;
  /// Inserts a breakpoint or watchpoint on every thread; `len` is the Z packet's kind/length.
  virtual bool insert_break(BreakType type, uint64_t addr, uint64_t len) = 0;
  /// Removes one; false if there was none.
  virtual bool remove_break(BreakType type, uint64_t addr, uint64_t len) = 0;
  /// Runs a `monitor` command, appending its text to `output`; false if unknown.
  virtual bool monitor(std::string_view command, std::string& output) = 0;
};

/// What the session asks the target to do after a packet.
struct Resume {
  enum class Kind : uint8_t {
    None,      ///< stay stopped, keep serving packets
    Continue,  ///< run all threads; reply with stop_reply() at the next stop
    Step,      ///< single-step `thread` (others stay stopped); then stop_reply()
    Detach,    ///< run on without the debugger (the reply "OK" was produced)
    Kill,      ///< end the simulation (no reply)
  };
  Kind kind = Kind::None;
  unsigned thread = 1;  ///< Step: the thread to step
};

/// Result of one packet.
struct Reply {
  std::optional<std::string> payload;  ///< reply to send now (nullopt: none; "" is the empty reply)
  Resume resume;                       ///< run action
};

/// The protocol state machine over a Target. Pure: no I/O, no clock, safe for
/// any packet (a libFuzzer target can drive it with a fake Target).
class Session {
 public:
  explicit Session(Target& target) : m_target(target) {}

  /// Handles one packet payload (already unescaped).
  Reply handle(std::string_view packet);
  /// Stop reply packet for `stop` (T packet with reason and pc); remembered for `?`.
  std::string stop_reply(const StopInfo& stop);
  /// True after QStartNoAckMode: no +/- acks either way.
  bool no_ack() const { return m_no_ack; }
  /// Thread selected for register and memory access (Hg).
  unsigned general_thread() const { return m_g_thread; }
  /// Records the current stop without producing a reply (initial stop, attach).
  void set_stop(const StopInfo& stop) { m_last_stop = stop; }

 private:
  std::string read_all_registers();
  std::string write_all_registers(std::string_view hex);
  std::string read_one_register(std::string_view args);
  std::string write_one_register(std::string_view args);
  std::string read_memory(std::string_view args);
  std::string write_memory(std::string_view args, bool binary);
  std::string breakpoint(std::string_view args, bool insert);
  std::string set_thread(std::string_view args);
  std::string query(std::string_view packet, Reply& r);
  std::string xfer_features(std::string_view args);
  Reply resume(std::string_view packet);
  Reply v_packet(std::string_view packet);
  /// Thread id from a packet field: N (1-based), 0 = any (-> current), -1 = all; nullopt if invalid.
  std::optional<unsigned> thread_id(std::string_view s, unsigned current) const;

  Target& m_target;
  bool m_no_ack = false;
  unsigned m_g_thread = 1;  ///< Hg
  unsigned m_c_thread = 1;  ///< Hc
  StopInfo m_last_stop;
};

}  // namespace presil::gdb
