// SPDX-License-Identifier: Apache-2.0
// irq_latency: a CMSDK timer programmed for cycle N interrupts the core at cycle N plus the
// exception entry cost, measured with DWT CYCCNT, while running and while sleeping in WFI.
// presil only (QEMU has no DWT cycle counter); the output must not depend on the quantum.
#include "support.h"

static volatile uint32_t irq_cycle;
static volatile uint32_t fired;

void irq8_handler(void)
{
    irq_cycle = DWT_CYCCNT;
    TIMER_CTRL(TIMER0_BASE) = 0;
    TIMER_INTSTATUS(TIMER0_BASE) = 1;
    fired = 1;
}

static uint32_t measure(uint32_t reload, int sleep)
{
    fired = 0;
    TIMER_RELOAD(TIMER0_BASE) = reload;
    TIMER_VALUE(TIMER0_BASE) = reload;
    uint32_t start = DWT_CYCCNT;
    TIMER_CTRL(TIMER0_BASE) = TIMER_CTRL_EN | TIMER_CTRL_IRQEN;
    while (!fired) {
        if (sleep) {
            wfi();
        }
    }
    return irq_cycle - start;
}

int main(void)
{
    console_puts("irq_latency: timer interrupt against DWT CYCCNT\n");
    DEMCR |= 1u << 24;
    DWT_CYCCNT = 0;
    DWT_CTRL |= 1u;
    nvic_enable(TIMER0_IRQ);
    irq_enable();
    static const uint32_t reloads[] = {1000, 12345, 50000, 250000, 1000000};
    for (unsigned i = 0; i < sizeof reloads / sizeof reloads[0]; ++i) {
        for (int sleep = 0; sleep < 2; ++sleep) {
            uint32_t delta = measure(reloads[i], sleep);
            console_printf("reload %7u %s: interrupt after %u cycles (+%u)\n", (unsigned)reloads[i],
                           sleep ? "wfi " : "busy", (unsigned)delta, (unsigned)(delta - reloads[i]));
            // Due at `reload` cycles; the Cortex-M3 takes 12 cycles to enter the handler and the
            // handler's first load of CYCCNT a few more.
            CHECK(delta >= reloads[i] && delta <= reloads[i] + 12 + 20);
        }
    }
    console_puts("irq_latency: PASS\n");
    return 0;
}
