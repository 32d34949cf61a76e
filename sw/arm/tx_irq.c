// SPDX-License-Identifier: Apache-2.0
// tx_irq: interrupts the core raises itself. UART1's transmit interrupt goes up inside the
// core's own write of DATA, after busy loops of different lengths; the handler counts them.
// presil's --stats measures their lateness from the SystemC time of the raise, which trails
// the core by the part of the quantum it has run ahead (tests/stats).
#include "support.h"

#define UART1_BASE 0x40005000u
#define UART1_TX_IRQ 3
#define UART_CTRL_TX_EN 0x1u
#define UART_CTRL_TX_IRQ_EN 0x4u
#define UART_INT_TX 0x1u

static volatile uint32_t tx_irqs;

void irq3_handler(void)
{
    UART_INTSTATUS(UART1_BASE) = UART_INT_TX; // write one to clear
    ++tx_irqs;
}

int main(void)
{
    console_puts("tx_irq: UART1 transmit interrupts raised by the core's own writes\n");
    UART_BAUDDIV(UART1_BASE) = 16;
    UART_CTRL(UART1_BASE) = UART_CTRL_TX_EN | UART_CTRL_TX_IRQ_EN;
    nvic_enable(UART1_TX_IRQ);
    irq_enable();
    enum { kRounds = 40 };
    for (uint32_t i = 0; i < kRounds; ++i) {
        // Busy loops of 0..~30000 cycles put the write anywhere in a quantum.
        for (volatile uint32_t n = 0; n < (i * 2654435761u) % 6007u; ++n) {
        }
        const uint32_t before = tx_irqs;
        UART_DATA(UART1_BASE) = 'a' + i % 26;
        // A core takes it within a few instructions (presil: at the end of the translated block).
        for (uint32_t wait = 0; tx_irqs == before && wait < 1000; ++wait) {
        }
        CHECK(tx_irqs == before + 1);
    }
    UART_CTRL(UART1_BASE) = 0;
    console_printf("tx_irq: %u interrupts\n", (unsigned)tx_irqs);
    return tx_irqs == kRounds ? 0 : 1;
}
