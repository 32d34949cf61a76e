// SPDX-License-Identifier: Apache-2.0
// demo: banner, timer interrupts blinking the FPGA LEDs, measured cycles and simulated time;
// ends by itself with exit status 0.
#include "support.h"

#define TICKS 20
#define TICK_HZ 100

static volatile uint32_t ticks;

void irq8_handler(void)
{
    TIMER_INTSTATUS(TIMER0_BASE) = 1;
    ++ticks;
    FPGAIO_LED0 = (ticks / 5) & 3u; // the two user LEDs count in binary
    if (ticks % 5 == 0) {
        console_printf("tick %2u  leds %u%u\n", (unsigned)ticks, (unsigned)(FPGAIO_LED0 >> 1) & 1u,
                       (unsigned)FPGAIO_LED0 & 1u);
    }
}

int main(void)
{
    console_puts("\n");
    console_puts("  presil demo on mps2-an385 (Cortex-M3 @ 25 MHz)\n");
    console_puts("  ----------------------------------------------\n");
    console_printf("  cpuid %08x  scc id %08x  nvic irqs %u\n", (unsigned)SCB_CPUID, (unsigned)SCC_ID,
                   (unsigned)((SCS_ICTR & 0xFu) + 1) * 32);

    DEMCR |= 1u << 24;
    DWT_CYCCNT = 0;
    DWT_CTRL |= 1u;
    uint32_t c100_start = FPGAIO_CLK100HZ;
    uint32_t cyc_start = DWT_CYCCNT;

    console_printf("timer0 at %u Hz, waiting for %u interrupts...\n", TICK_HZ, TICKS);
    TIMER_RELOAD(TIMER0_BASE) = SYSCLK_HZ / TICK_HZ - 1;
    TIMER_VALUE(TIMER0_BASE) = SYSCLK_HZ / TICK_HZ - 1;
    nvic_enable(TIMER0_IRQ);
    irq_enable();
    TIMER_CTRL(TIMER0_BASE) = TIMER_CTRL_EN | TIMER_CTRL_IRQEN;
    while (ticks < TICKS) {
        wfi();
    }
    TIMER_CTRL(TIMER0_BASE) = 0;
    nvic_disable(TIMER0_IRQ);

    uint32_t cycles = DWT_CYCCNT - cyc_start;
    uint32_t centis = FPGAIO_CLK100HZ - c100_start;
    console_printf("[time] cycles measured by DWT: %u\n", (unsigned)cycles);
    console_printf("[time] elapsed (FPGAIO 100 Hz counter): %u.%02u s\n", (unsigned)(centis / 100),
                   (unsigned)(centis % 100));
    console_printf("%u timer interrupts taken, expected %u ms of simulated time\n", (unsigned)ticks,
                   (unsigned)(TICKS * 1000 / TICK_HZ));
    console_puts("demo finished\n");
    return 0;
}
