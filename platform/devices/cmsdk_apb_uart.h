// SPDX-License-Identifier: Apache-2.0
// ARM CMSDK APB UART: transmit/receive, TX/RX/overrun interrupts, console on stdout, a file or a
// loopback TCP port (type cmsdk-apb-uart).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "platform/devices/register_mapped_device.h"

namespace presil::platform::devices {

/// Where a UART's bytes go and come from (options `console: stdout | file:PATH | tcp:PORT | none`).
class UartConsole {
public:
    virtual ~UartConsole() = default;
    /// Sends one transmitted byte.
    virtual void write(uint8_t byte) = 0;
    /// Fetches one received byte if one is available now (never blocks).
    virtual bool read(uint8_t& byte) = 0;
    /// True while input may still arrive (stdin not at end of file, TCP listening...).
    virtual bool has_input() const = 0;
    /// Builds the console for an option value; throws std::runtime_error for a bad spec.
    static std::unique_ptr<UartConsole> create(const std::string& spec);
};

/// CMSDK APB UART. Registers: DATA 0x00, STATE 0x04, CTRL 0x08, INTSTATUS/INTCLEAR 0x0C,
/// BAUDDIV 0x10, IDs. Transmission completes at once; input is polled while RX is enabled.
class CmsdkApbUart : public RegisterMappedDevice {
public:
    /// STATE bits.
    static constexpr uint32_t kStateTxFull = 1, kStateRxFull = 2, kStateTxOverrun = 4, kStateRxOverrun = 8;
    /// CTRL bits.
    static constexpr uint32_t kCtrlTxEnable = 1, kCtrlRxEnable = 2, kCtrlTxIrq = 4, kCtrlRxIrq = 8,
                              kCtrlTxOverrunIrq = 16, kCtrlRxOverrunIrq = 32;
    /// INTSTATUS bits.
    static constexpr uint32_t kIntTx = 1, kIntRx = 2, kIntTxOverrun = 4, kIntRxOverrun = 8;

    /// A UART with the given console (nullptr = none) polling input every `poll_period`.
    CmsdkApbUart(sc_core::sc_module_name name, std::unique_ptr<UartConsole> console,
                 sc_core::sc_time poll_period = sc_core::sc_time(1, sc_core::SC_MS));
    ~CmsdkApbUart() override;

    /// Outputs "tx", "rx", "tx-overrun", "rx-overrun", "overrun" (either) and "combined" (any).
    tlm::IrqOut* irq_out(std::string_view name) override;
    /// The output names.
    std::vector<std::string> irq_names() const override;
    /// Reset values.
    void reset() override;

    /// A byte arrives on the line now (overrun when the previous one was not read).
    void receive(uint8_t byte);
    /// Also passes every transmitted byte to `tap` (test benches, loopback).
    void set_tx_tap(std::function<void(uint8_t)> tap) { m_tap = std::move(tap); }

private:
    void on_data_write(uint32_t value);
    uint32_t on_data_read();
    void poll();
    void schedule_poll();
    void update();

    tlm::Register& m_data;
    tlm::Register& m_state;
    tlm::Register& m_ctrl;
    tlm::Register& m_intstatus;
    std::unique_ptr<UartConsole> m_console;
    std::function<void(uint8_t)> m_tap;
    sc_core::sc_time m_poll_period;
    sc_core::sc_event m_poll_event;
    bool m_poll_pending = false;
    uint8_t m_rx_byte = 0;
    tlm::IrqOut m_tx_irq, m_rx_irq, m_txo_irq, m_rxo_irq, m_overrun_irq, m_combined_irq;
};

}  // namespace presil::platform::devices
