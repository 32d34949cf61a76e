// SPDX-License-Identifier: Apache-2.0
// ARM CMSDK APB UART model, its consoles, and its registration as `cmsdk-apb-uart`.
#include "platform/devices/cmsdk_apb_uart.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>

namespace presil::platform::devices {

namespace {

constexpr std::array<uint8_t, 12> kUartId{0x04, 0x00, 0x00, 0x00, 0x21, 0xb8, 0x1b, 0x00, 0x0d, 0xf0, 0x05, 0xb1};

/// True when `fd` has data (or end of file) to read right now.
bool readable(int fd) {
    pollfd p{fd, POLLIN, 0};
    return ::poll(&p, 1, 0) > 0 && (p.revents & (POLLIN | POLLHUP)) != 0;
}

/// Output to stdout (flushed per byte so it interleaves with other stdout users); input from
/// stdin when stdin is not a terminal.
class StdioConsole : public UartConsole {
public:
    StdioConsole() : m_input(!::isatty(0)) {}
    void write(uint8_t byte) override {
        std::fputc(byte, stdout);
        std::fflush(stdout);
    }
    bool read(uint8_t& byte) override {
        if (!m_input || !readable(0)) return false;
        const ssize_t n = ::read(0, &byte, 1);
        if (n != 1) m_input = false;  // end of file or error: stop polling
        return n == 1;
    }
    bool has_input() const override { return m_input; }

private:
    bool m_input;
};

/// Output appended to a file; no input.
class FileConsole : public UartConsole {
public:
    explicit FileConsole(const std::string& path) : m_file(std::fopen(path.c_str(), "wb")) {
        if (m_file == nullptr) throw std::runtime_error("cannot open console file '" + path + "': " + std::strerror(errno));
    }
    ~FileConsole() override { std::fclose(m_file); }
    void write(uint8_t byte) override {
        std::fputc(byte, m_file);
        std::fflush(m_file);
    }
    bool read(uint8_t&) override { return false; }
    bool has_input() const override { return false; }

private:
    std::FILE* m_file;
};

/// A TCP server on 127.0.0.1:PORT; one client at a time; output dropped while none is connected.
class TcpConsole : public UartConsole {
public:
    explicit TcpConsole(unsigned port) {
        m_listen = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (m_listen < 0) throw std::runtime_error(std::string("cannot create socket: ") + std::strerror(errno));
        const int one = 1;
        ::setsockopt(m_listen, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(static_cast<uint16_t>(port));
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::bind(m_listen, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(m_listen, 1) != 0) {
            const std::string err = std::strerror(errno);
            ::close(m_listen);
            throw std::runtime_error("cannot listen on 127.0.0.1:" + std::to_string(port) + ": " + err);
        }
    }
    ~TcpConsole() override {
        if (m_client >= 0) ::close(m_client);
        ::close(m_listen);
    }
    void write(uint8_t byte) override {
        accept_client();
        if (m_client >= 0 && ::send(m_client, &byte, 1, MSG_NOSIGNAL) != 1) drop_client();
    }
    bool read(uint8_t& byte) override {
        accept_client();
        if (m_client < 0 || !readable(m_client)) return false;
        const ssize_t n = ::recv(m_client, &byte, 1, 0);
        if (n != 1) drop_client();
        return n == 1;
    }
    bool has_input() const override { return true; }

private:
    void accept_client() {
        if (m_client >= 0) return;
        m_client = ::accept4(m_listen, nullptr, nullptr, SOCK_CLOEXEC);
    }
    void drop_client() {
        ::close(m_client);
        m_client = -1;
    }
    int m_listen = -1;
    int m_client = -1;
};

}  // namespace

std::unique_ptr<UartConsole> UartConsole::create(const std::string& spec) {
    if (spec == "none") return nullptr;
    if (spec == "stdout") return std::make_unique<StdioConsole>();
    if (spec.rfind("file:", 0) == 0 && spec.size() > 5) return std::make_unique<FileConsole>(spec.substr(5));
    if (spec.rfind("tcp:", 0) == 0) {
        const std::string port = spec.substr(4);
        char* end = nullptr;
        const unsigned long n = std::strtoul(port.c_str(), &end, 10);
        if (port.empty() || *end != '\0' || n == 0 || n > 65535)
            throw std::runtime_error("bad TCP port '" + port + "' (expected 1-65535)");
        return std::make_unique<TcpConsole>(static_cast<unsigned>(n));
    }
    throw std::runtime_error("unknown console '" + spec + "' (expected stdout, file:PATH, tcp:PORT or none)");
}

CmsdkApbUart::CmsdkApbUart(sc_core::sc_module_name name, std::unique_ptr<UartConsole> console,
                           sc_core::sc_time poll_period)
    : RegisterMappedDevice(name),
      m_data(regs().add({.name = "DATA",
                         .offset = 0x00,
                         .on_read = [this](uint32_t) { return on_data_read(); },
                         .on_write = [this](uint32_t, uint32_t n) { on_data_write(n); },
                         .write_mask = 0xff})),
      m_state(regs().add({.name = "STATE",
                          .offset = 0x04,
                          .access = tlm::Access::WriteOneToClear,
                          .on_write = [this](uint32_t, uint32_t) { update(); },
                          .write_mask = kStateTxOverrun | kStateRxOverrun})),
      m_ctrl(regs().add({.name = "CTRL",
                         .offset = 0x08,
                         .on_write =
                             [this](uint32_t, uint32_t) {
                                 update();
                                 schedule_poll();
                             },
                         .write_mask = 0x7f})),
      m_intstatus(regs().add({.name = "INTSTATUS",
                              .offset = 0x0C,
                              .access = tlm::Access::WriteOneToClear,
                              .on_write =
                                  [this](uint32_t old_value, uint32_t new_value) {
                                      // Clearing an overrun interrupt clears the overrun state.
                                      const uint32_t cleared = old_value & ~new_value;
                                      m_state.set(m_state.value() & ~(cleared & (kStateTxOverrun | kStateRxOverrun)));
                                      update();
                                  },
                              .write_mask = 0xf})),
      m_console(std::move(console)),
      m_poll_period(poll_period) {
    regs().add({.name = "BAUDDIV", .offset = 0x10, .write_mask = 0xfffff});
    add_id_registers(kUartId);
    SC_HAS_PROCESS(CmsdkApbUart);
    SC_METHOD(poll);
    sensitive << m_poll_event;
    dont_initialize();
}

CmsdkApbUart::~CmsdkApbUart() = default;

tlm::IrqOut* CmsdkApbUart::irq_out(std::string_view name) {
    if (name == "tx") return &m_tx_irq;
    if (name == "rx") return &m_rx_irq;
    if (name == "tx-overrun") return &m_txo_irq;
    if (name == "rx-overrun") return &m_rxo_irq;
    if (name == "overrun") return &m_overrun_irq;
    if (name == "combined") return &m_combined_irq;
    return nullptr;
}

std::vector<std::string> CmsdkApbUart::irq_names() const {
    return names({"tx", "rx", "tx-overrun", "rx-overrun", "overrun", "combined"});
}

void CmsdkApbUart::reset() {
    RegisterMappedDevice::reset();
    m_rx_byte = 0;
    m_poll_pending = false;
    m_poll_event.cancel();
    update();
}

void CmsdkApbUart::on_data_write(uint32_t value) {
    m_data.set(m_rx_byte);  // DATA reads keep showing the received byte
    if ((m_ctrl.value() & kCtrlTxEnable) == 0) return;  // transmitter off: the byte is lost
    const auto byte = static_cast<uint8_t>(value);
    if (m_console) m_console->write(byte);
    if (m_tap) m_tap(byte);
    // The byte leaves at once: the buffer is empty again.
    if (m_ctrl.value() & kCtrlTxIrq) m_intstatus.set(m_intstatus.value() | kIntTx);
    update();
}

uint32_t CmsdkApbUart::on_data_read() {
    const uint32_t value = m_rx_byte;
    if (m_state.value() & kStateRxFull) {
        m_state.set(m_state.value() & ~kStateRxFull);
        update();
        schedule_poll();
    }
    return value;
}

void CmsdkApbUart::receive(uint8_t byte) {
    if ((m_ctrl.value() & kCtrlRxEnable) == 0) return;
    if (m_state.value() & kStateRxFull) {
        m_state.set(m_state.value() | kStateRxOverrun);
    } else {
        m_rx_byte = byte;
        m_data.set(byte);
        m_state.set(m_state.value() | kStateRxFull);
        if (m_ctrl.value() & kCtrlRxIrq) m_intstatus.set(m_intstatus.value() | kIntRx);
    }
    update();
}

void CmsdkApbUart::schedule_poll() {
    if (m_poll_pending || !m_console || !m_console->has_input()) return;
    if ((m_ctrl.value() & kCtrlRxEnable) == 0 || (m_state.value() & kStateRxFull) != 0) return;
    m_poll_pending = true;
    m_poll_event.notify(m_poll_period);
}

void CmsdkApbUart::poll() {
    m_poll_pending = false;
    uint8_t byte = 0;
    if ((m_ctrl.value() & kCtrlRxEnable) != 0 && (m_state.value() & kStateRxFull) == 0 && m_console &&
        m_console->read(byte))
        receive(byte);
    schedule_poll();
}

void CmsdkApbUart::update() {
    // The overrun interrupt bits follow the STATE overrun bits masked by their enables.
    const uint32_t overrun_mask = kIntTxOverrun | kIntRxOverrun;
    const uint32_t enabled_overruns = m_state.value() & (m_ctrl.value() >> 2) & overrun_mask;
    const uint32_t status = (m_intstatus.value() & ~overrun_mask) | enabled_overruns;
    m_intstatus.set(status);
    m_tx_irq.set(status & kIntTx);
    m_rx_irq.set(status & kIntRx);
    m_txo_irq.set(status & kIntTxOverrun);
    m_rxo_irq.set(status & kIntRxOverrun);
    m_overrun_irq.set(status & overrun_mask);
    m_combined_irq.set(status != 0);
}

namespace {
const DeviceRegistrar kRegistrar{
    "cmsdk-apb-uart", "ARM CMSDK APB UART (console on stdout, a file or a TCP port)",
    [](const DeviceConfig& c) -> std::unique_ptr<Device> {
        const std::string spec = c.options.string("console", "stdout");
        c.options.frequency_hz("clock", 25'000'000);  // accepted for BAUDDIV documentation; transfers are instant
        const sc_core::sc_time poll = c.options.time("rx-poll", sc_core::sc_time(1, sc_core::SC_MS));
        if (poll == sc_core::SC_ZERO_TIME) c.options.fail("rx-poll", "the receive poll period must not be 0");
        std::unique_ptr<UartConsole> console;
        try {
            console = UartConsole::create(spec);
        } catch (const std::runtime_error& e) {
            c.options.fail("console", e.what());
        }
        return std::make_unique<CmsdkApbUart>(c.name.c_str(), std::move(console), poll);
    }};
}  // namespace

}  // namespace presil::platform::devices
