// SPDX-License-Identifier: Apache-2.0
// The GDB stub of `presil run --gdb`: a loopback TCP server driving the board's CPUs.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <tuple>
#include <vector>

#include "platform/gdb/debug_cpu.h"
#include "platform/gdb/packet.h"
#include "platform/gdb/session.h"

namespace presil::gdb {

/// What the stub needs from the simulation besides the CPUs (`monitor` commands, kill).
struct ServerHooks {
  std::function<void()> reset;                                  ///< monitor reset
  std::function<std::string()> stats;                           ///< monitor stats: reply text
  std::function<void()> kill;                                   ///< k: end the simulation
};

/// Parses a --gdb value: "PORT", ":PORT", "localhost:PORT" or "127.0.0.1:PORT"
/// (0 picks a free port); nullopt for anything else.
std::optional<uint16_t> parse_listen_address(std::string_view spec);

/// GDB remote stub over TCP on 127.0.0.1.
///
/// Threads: a socket thread owns accept() and every read. It splits the byte
/// stream into packets (PacketReader) and queues them; Ctrl-C, a new
/// connection or a closed one also set the stop request that the CPUs poll
/// between engine runs. The SystemC thread of a stopped CPU (stopped()) pops
/// the queue, runs the protocol (Session) and writes every reply; it is the
/// only one touching simulation state, and while it serves no other SystemC
/// process runs, so simulated time is frozen.
class Server final : public Debugger, private Target {
 public:
  /// Listens on 127.0.0.1:`port` (0: a free port) and attaches to `cpus`. With
  /// `wait`, the first CPU stops before its first instruction until GDB resumes
  /// it. Throws std::runtime_error when the port cannot be bound.
  Server(uint16_t port, bool wait, std::vector<DebugCpu*> cpus, ServerHooks hooks);
  ~Server() override;
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  /// The port listened on.
  uint16_t port() const { return m_port; }
  /// Debugger: serves GDB in the stopped CPU's SystemC thread until it resumes.
  void stopped(DebugCpu& cpu, tcg::ExitReason why) override;
  /// The simulation ended with `status`: tells a waiting GDB (W packet).
  void exited(int status);
  /// A debugger is connected (the run then does not end when nothing is left to do).
  bool connected() const { return m_session.has_value(); }

 private:
  /// One item from the socket thread.
  struct Item {
    enum class Kind : uint8_t { Connected, Disconnected, Data } kind;
    Event event;
  };

  void socket_thread();
  /// Socket thread: wakes every CPU (DebugCpu::async_wake) after a stop request.
  void wake_cpus();
  void push(Item item);
  /// Pops the next item (blocks); nullopt when the server shuts down.
  std::optional<Item> pop();
  void send_raw(const std::string& bytes);
  void send_packet(const std::string& payload);
  void close_connection();
  /// Leaving stopped(): clears the stop request unless an interrupt or (dis)connection is queued.
  void resume_running();
  void remove_all_breakpoints();
  StopInfo stop_info(DebugCpu& cpu, tcg::ExitReason why, bool interrupted) const;
  unsigned thread_of(const DebugCpu& cpu) const;

  // Target
  unsigned thread_count() const override { return unsigned(m_cpus.size()); }
  std::string thread_name(unsigned thread) const override;
  std::string target_xml() const override;
  unsigned register_count() const override;
  unsigned register_size(unsigned reg) const override;
  unsigned pc_register() const override;
  bool read_register(unsigned thread, unsigned reg, uint64_t& value) override;
  bool write_register(unsigned thread, unsigned reg, uint64_t value) override;
  size_t read_memory(unsigned thread, uint64_t addr, uint8_t* data, size_t len) override;
  size_t write_memory(unsigned thread, uint64_t addr, const uint8_t* data, size_t len) override;
  bool insert_break(BreakType type, uint64_t addr, uint64_t len) override;
  bool remove_break(BreakType type, uint64_t addr, uint64_t len) override;
  bool monitor(std::string_view command, std::string& output) override;
  DebugCpu& cpu(unsigned thread) const { return *m_cpus[thread >= 1 && thread <= m_cpus.size() ? thread - 1 : 0]; }

  std::vector<DebugCpu*> m_cpus;
  ServerHooks m_hooks;
  uint16_t m_port = 0;
  int m_listen_fd = -1;
  int m_wake_pipe[2] = {-1, -1};

  // Shared with the socket thread (under m_mutex).
  std::mutex m_mutex;
  std::condition_variable m_cv;
  std::deque<Item> m_queue;
  int m_conn = -1;          ///< connected socket (-1: none)
  bool m_conn_done = false; ///< the peer closed; the SystemC side closes m_conn
  bool m_quit = false;
  std::thread m_thread;

  // SystemC side only.
  std::optional<Session> m_session;
  std::string m_last_sent;        ///< for `-` (resend)
  bool m_waiting_stop = false;    ///< GDB resumed and waits for a stop reply
  /// Inserted breakpoints and watchpoints (type, addr, len) -> count.
  std::map<std::tuple<BreakType, uint64_t, uint64_t>, unsigned> m_breaks;
};

}  // namespace presil::gdb
