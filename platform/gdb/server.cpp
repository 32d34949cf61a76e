// SPDX-License-Identifier: Apache-2.0
// The GDB stub: loopback TCP, the socket thread, and serving GDB while a CPU is stopped.
//
// Owns the connection (one at a time), the stop request the CPUs poll, the
// breakpoints and watchpoints GDB inserted (mirrored into every CPU's engine),
// and the `monitor` commands.
#include "platform/gdb/server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include <fmt/format.h>

#include "platform/units.h"

namespace presil::gdb {

std::optional<uint16_t> parse_listen_address(std::string_view spec) {
  const size_t colon = spec.rfind(':');
  if (colon != std::string_view::npos) {
    const std::string_view host = spec.substr(0, colon);
    if (!host.empty() && host != "localhost" && host != "127.0.0.1") return std::nullopt;
    spec = spec.substr(colon + 1);
  }
  if (spec.empty() || spec.size() > 5) return std::nullopt;
  unsigned v = 0;
  for (char c : spec) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + unsigned(c - '0');
  }
  if (v > 65535) return std::nullopt;
  return uint16_t(v);
}

Server::Server(uint16_t port, bool wait, std::vector<DebugCpu*> cpus, ServerHooks hooks)
    : m_cpus(std::move(cpus)), m_hooks(std::move(hooks)) {
  if (m_cpus.empty()) throw std::runtime_error("--gdb: the board has no CPU to debug");
  m_listen_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (m_listen_fd < 0) throw std::runtime_error(fmt::format("--gdb: socket: {}", std::strerror(errno)));
  const int one = 1;
  ::setsockopt(m_listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(m_listen_fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(m_listen_fd, 1) != 0) {
    const int err = errno;
    ::close(m_listen_fd);
    throw std::runtime_error(fmt::format("--gdb: cannot listen on 127.0.0.1:{}: {}", port, std::strerror(err)));
  }
  socklen_t len = sizeof addr;
  ::getsockname(m_listen_fd, reinterpret_cast<sockaddr*>(&addr), &len);
  m_port = ntohs(addr.sin_port);
  if (::pipe2(m_wake_pipe, O_CLOEXEC) != 0) {
    ::close(m_listen_fd);
    throw std::runtime_error(fmt::format("--gdb: pipe: {}", std::strerror(errno)));
  }
  for (DebugCpu* c : m_cpus) c->set_debugger(this);
  // -S: the first CPU to poll stops before its first instruction.
  if (wait) m_stop_request.store(true);
  m_thread = std::thread([this] { socket_thread(); });
}

Server::~Server() {
  {
    std::lock_guard lock(m_mutex);
    m_quit = true;
  }
  m_cv.notify_all();
  const char b = 0;
  [[maybe_unused]] const ssize_t n = ::write(m_wake_pipe[1], &b, 1);
  if (m_thread.joinable()) m_thread.join();
  for (DebugCpu* c : m_cpus) c->set_debugger(nullptr);
  if (m_conn >= 0) ::close(m_conn);
  ::close(m_listen_fd);
  ::close(m_wake_pipe[0]);
  ::close(m_wake_pipe[1]);
}

// --- socket thread ------------------------------------------------------------------

void Server::push(Item item) {
  {
    std::lock_guard lock(m_mutex);
    m_queue.push_back(std::move(item));
  }
  m_cv.notify_all();
}

void Server::socket_thread() {
  PacketReader reader;
  char buf[4096];
  for (;;) {
    int conn;
    {
      std::unique_lock lock(m_mutex);
      // After a disconnection, wait until the SystemC side has closed the old socket.
      m_cv.wait(lock, [this] { return m_quit || !m_conn_done; });
      if (m_quit) return;
      conn = m_conn;
    }
    pollfd fds[2] = {{conn >= 0 ? conn : m_listen_fd, POLLIN, 0}, {m_wake_pipe[0], POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (fds[1].revents) return;  // shutting down
    if (!fds[0].revents) continue;
    if (conn < 0) {
      const int c = ::accept4(m_listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
      if (c < 0) continue;
      const int one = 1;
      ::setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      reader = PacketReader{};
      {
        std::lock_guard lock(m_mutex);
        m_conn = c;
      }
      push({Item::Kind::Connected, {}});
      m_stop_request.store(true);  // GDB expects a stopped target after connecting
      wake_cpus();
      continue;
    }
    const ssize_t n = ::recv(conn, buf, sizeof buf, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      {
        std::lock_guard lock(m_mutex);
        m_conn_done = true;
      }
      push({Item::Kind::Disconnected, {}});
      m_stop_request.store(true);
      wake_cpus();
      continue;
    }
    std::vector<Event> events;
    reader.feed(std::string_view(buf, size_t(n)), events);
    bool interrupt = false;
    for (Event& e : events) {
      interrupt = interrupt || e.kind == Event::Kind::Interrupt;
      push({Item::Kind::Data, std::move(e)});
    }
    if (interrupt) {
      m_stop_request.store(true);
      wake_cpus();
    }
  }
}

void Server::wake_cpus() {
  // A CPU sleeping in WFI with nothing pending polls the stop request only when woken.
  for (DebugCpu* c : m_cpus) c->async_wake();
}

// --- SystemC side ----------------------------------------------------------------------

std::optional<Server::Item> Server::pop() {
  std::unique_lock lock(m_mutex);
  m_cv.wait(lock, [this] { return m_quit || !m_queue.empty(); });
  if (m_queue.empty()) return std::nullopt;
  Item it = std::move(m_queue.front());
  m_queue.pop_front();
  return it;
}

void Server::send_raw(const std::string& bytes) {
  int fd;
  {
    std::lock_guard lock(m_mutex);
    fd = m_conn;
  }
  if (fd < 0) return;
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::send(fd, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // the socket thread sees the disconnection
    done += size_t(n);
  }
}

void Server::send_packet(const std::string& payload) {
  m_last_sent = frame(payload);
  send_raw(m_last_sent);
}

void Server::close_connection() {
  {
    std::lock_guard lock(m_mutex);
    if (m_conn >= 0) ::close(m_conn);
    m_conn = -1;
    m_conn_done = false;
  }
  m_cv.notify_all();
  if (m_session)
    for (DebugCpu* c : m_cpus) c->hold_simulation(false);
  m_session.reset();
  m_waiting_stop = false;
}

unsigned Server::thread_of(const DebugCpu& c) const {
  for (size_t i = 0; i < m_cpus.size(); ++i)
    if (m_cpus[i] == &c) return unsigned(i + 1);
  return 1;
}

StopInfo Server::stop_info(DebugCpu& c, tcg::ExitReason why, bool interrupted) const {
  StopInfo s;
  s.thread = thread_of(c);
  s.signal = interrupted ? kSigInt : kSigTrap;
  if (why != tcg::ExitReason::Debug) return s;
  const tcg::DebugStop d = c.debug_stop();
  switch (d.kind) {
    case tcg::DebugStop::Kind::Breakpoint: {
      auto it = m_breaks.lower_bound({BreakType::Software, d.pc, 0});
      const bool sw = it != m_breaks.end() && std::get<0>(it->first) == BreakType::Software &&
                      std::get<1>(it->first) == d.pc;
      s.reason = sw ? StopInfo::Reason::SwBreak : StopInfo::Reason::HwBreak;
      break;
    }
    case tcg::DebugStop::Kind::Watchpoint:
      s.addr = d.addr;
      s.reason = d.watch == tcg::WatchKind::Write  ? StopInfo::Reason::Watch
                 : d.watch == tcg::WatchKind::Read ? StopInfo::Reason::ReadWatch
                                                   : StopInfo::Reason::AccessWatch;
      break;
    default: break;
  }
  return s;
}

void Server::stopped(DebugCpu& stopped_cpu, tcg::ExitReason why) {
  m_stop_request.store(false);
  for (DebugCpu* c : m_cpus) c->set_single_step(false);
  const StopInfo stop = stop_info(stopped_cpu, why, why != tcg::ExitReason::Debug && m_waiting_stop);
  if (m_session) {
    if (m_waiting_stop) send_packet(m_session->stop_reply(stop));
    else m_session->set_stop(stop);
  }
  m_waiting_stop = false;
  for (;;) {
    std::optional<Item> item = pop();
    if (!item) return;  // shutting down
    switch (item->kind) {
      case Item::Kind::Connected:
        m_session.emplace(static_cast<Target&>(*this));
        // While GDB is connected the run does not end for want of events: a
        // sleeping CPU waits for the debugger (Ctrl-C) instead.
        for (DebugCpu* c : m_cpus) c->hold_simulation(true);
        m_session->set_stop(stop_info(stopped_cpu, why, false));
        break;
      case Item::Kind::Disconnected:
        // GDB went away: forget its breakpoints and run on (like detach).
        remove_all_breakpoints();
        close_connection();
        resume_running();
        return;
      case Item::Kind::Data: {
        if (!m_session) break;
        const Event& e = item->event;
        switch (e.kind) {
          case Event::Kind::Packet: break;
          case Event::Kind::BadChecksum:
            if (!m_session->no_ack()) send_raw("-");
            continue;
          case Event::Kind::TooLong:
            if (!m_session->no_ack()) send_raw("+");
            send_packet("E01");
            continue;
          case Event::Kind::Nack:
            if (!m_last_sent.empty()) send_raw(m_last_sent);
            continue;
          case Event::Kind::Ack:
          case Event::Kind::Interrupt:  // already stopped
            continue;
        }
        if (!m_session->no_ack()) send_raw("+");
        const Reply r = m_session->handle(e.payload);
        if (r.payload) send_packet(*r.payload);
        switch (r.resume.kind) {
          case Resume::Kind::None: break;
          case Resume::Kind::Continue:
            m_waiting_stop = true;
            resume_running();
            return;
          case Resume::Kind::Step:
            cpu(r.resume.thread).set_single_step(true);
            m_waiting_stop = true;
            resume_running();
            return;
          case Resume::Kind::Detach:
            remove_all_breakpoints();
            close_connection();
            resume_running();
            return;
          case Resume::Kind::Kill:
            remove_all_breakpoints();
            close_connection();
            if (m_hooks.kill) m_hooks.kill();
            return;
        }
        break;
      }
    }
  }
}

void Server::resume_running() {
  // Stop requests that came while serving (the connection itself, a stray
  // Ctrl-C) are void; keep one only for what still waits in the queue.
  std::lock_guard lock(m_mutex);
  bool pending = false;
  for (const Item& it : m_queue)
    pending = pending || it.kind != Item::Kind::Data || it.event.kind == Event::Kind::Interrupt;
  m_stop_request.store(pending);
}

void Server::exited(int status) {
  if (m_session && m_waiting_stop) send_packet(fmt::format("W{:02x}", status & 0xff));
  m_waiting_stop = false;
}

// --- Target ------------------------------------------------------------------------------

std::string Server::thread_name(unsigned thread) const { return cpu(thread).debug_name(); }
std::string Server::target_xml() const { return m_cpus[0]->target_xml(); }
unsigned Server::register_count() const { return m_cpus[0]->register_count(); }
unsigned Server::register_size(unsigned reg) const { return m_cpus[0]->register_size(reg); }
unsigned Server::pc_register() const { return m_cpus[0]->pc_register(); }

bool Server::read_register(unsigned thread, unsigned reg, uint64_t& value) {
  return cpu(thread).read_register(reg, value);
}
bool Server::write_register(unsigned thread, unsigned reg, uint64_t value) {
  return cpu(thread).write_register(reg, value);
}
size_t Server::read_memory(unsigned thread, uint64_t addr, uint8_t* data, size_t len) {
  return cpu(thread).read_memory(addr, data, len);
}
size_t Server::write_memory(unsigned thread, uint64_t addr, const uint8_t* data, size_t len) {
  return cpu(thread).write_memory(addr, data, len);
}

namespace {
tcg::WatchKind watch_kind(BreakType t) {
  return t == BreakType::WriteWatch ? tcg::WatchKind::Write
         : t == BreakType::ReadWatch ? tcg::WatchKind::Read
                                     : tcg::WatchKind::Access;
}
}  // namespace

bool Server::insert_break(BreakType type, uint64_t addr, uint64_t len) {
  const bool code = type == BreakType::Software || type == BreakType::Hardware;
  for (DebugCpu* c : m_cpus) {
    if (code) c->insert_breakpoint(addr);
    else c->insert_watchpoint(addr, len, watch_kind(type));
  }
  ++m_breaks[{type, addr, code ? 0 : len}];
  return true;
}

bool Server::remove_break(BreakType type, uint64_t addr, uint64_t len) {
  const bool code = type == BreakType::Software || type == BreakType::Hardware;
  auto it = m_breaks.find({type, addr, code ? 0 : len});
  if (it == m_breaks.end()) return false;
  for (DebugCpu* c : m_cpus) {
    if (code) c->remove_breakpoint(addr);
    else c->remove_watchpoint(addr, len, watch_kind(type));
  }
  if (--it->second == 0) m_breaks.erase(it);
  return true;
}

void Server::remove_all_breakpoints() {
  while (!m_breaks.empty()) {
    const auto [type, addr, len] = m_breaks.begin()->first;
    remove_break(type, addr, len);
  }
}

bool Server::monitor(std::string_view command, std::string& out) {
  while (!command.empty() && command.back() == ' ') command.remove_suffix(1);
  while (!command.empty() && command.front() == ' ') command.remove_prefix(1);
  const size_t sp = command.find(' ');
  const std::string_view verb = command.substr(0, sp);
  std::string_view arg = sp == std::string_view::npos ? std::string_view{} : command.substr(sp + 1);
  while (!arg.empty() && arg.front() == ' ') arg.remove_prefix(1);
  if (verb == "help") {
    out += "monitor commands:\n"
           "  reset           reset the CPUs (then: maintenance flush register-cache)\n"
           "  quantum [TIME]  show or set the global quantum (e.g. 10us)\n"
           "  stats           CPU statistics so far\n";
    return true;
  }
  if (verb == "reset" && arg.empty()) {
    if (m_hooks.reset) m_hooks.reset();
    else
      for (DebugCpu* c : m_cpus) c->debug_reset();
    out += "CPUs reset\n";
    return true;
  }
  if (verb == "quantum") {
    if (!arg.empty()) {
      uint64_t ps = 0;
      try {
        ps = platform::parse_time_ps(arg);
      } catch (const std::exception& e) {
        out += std::string("quantum: ") + e.what() + "\n";
        return true;
      }
      if (ps == 0) {
        out += "quantum: expected a time greater than zero\n";
        return true;
      }
      for (DebugCpu* c : m_cpus) c->set_quantum_ps(ps);
    }
    out += "quantum " + platform::format_time_ps(m_cpus[0]->quantum_ps()) + "\n";
    return true;
  }
  if (verb == "stats" && arg.empty() && m_hooks.stats) {
    out += m_hooks.stats();
    return true;
  }
  return false;
}

}  // namespace presil::gdb
