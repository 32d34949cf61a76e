// SPDX-License-Identifier: Apache-2.0
// timer_irq: CMSDK APB timers 0/1 and the dual timer raise interrupts that are counted; checks
// reset values, reload, periodic and one-shot modes.
#include "support.h"

static volatile uint32_t timer_irqs[2];
static volatile uint32_t dual_irqs[2];

static void timer_irq(unsigned n, uint32_t base)
{
    TIMER_INTSTATUS(base) = 1; // write one to clear
    ++timer_irqs[n];
}

void irq8_handler(void) { timer_irq(0, TIMER0_BASE); }
void irq9_handler(void) { timer_irq(1, TIMER1_BASE); }

void irq10_handler(void)
{
    for (unsigned n = 0; n < 2; ++n) {
        if (DT_MIS(n) & 1u) {
            DT_INTCLR(n) = 1;
            ++dual_irqs[n];
        }
    }
}

static void run_timer(unsigned n, uint32_t base, unsigned irq, uint32_t reload, uint32_t want)
{
    console_printf("timer%u reset: ctrl=%x value=%x reload=%x intstatus=%x\n", n,
                   (unsigned)TIMER_CTRL(base), (unsigned)TIMER_VALUE(base),
                   (unsigned)TIMER_RELOAD(base), (unsigned)TIMER_INTSTATUS(base));
    TIMER_RELOAD(base) = reload;
    TIMER_VALUE(base) = reload;
    CHECK(TIMER_RELOAD(base) == reload);
    nvic_enable(irq);
    TIMER_CTRL(base) = TIMER_CTRL_EN | TIMER_CTRL_IRQEN;
    CHECK(TIMER_CTRL(base) == (TIMER_CTRL_EN | TIMER_CTRL_IRQEN));
    uint32_t v1 = TIMER_VALUE(base);
    CHECK(v1 <= reload);
    while (timer_irqs[n] < want) {
        wfi();
    }
    TIMER_CTRL(base) = 0;
    nvic_disable(irq);
    uint32_t v2 = TIMER_VALUE(base);
    CHECK(v2 <= reload);
    // Stopped: the value no longer moves.
    for (volatile int i = 0; i < 1000; ++i) {
    }
    CHECK(TIMER_VALUE(base) == v2);
    console_printf("timer%u: %u interrupts with reload %u\n", n, (unsigned)timer_irqs[n], (unsigned)reload);
}

int main(void)
{
    console_puts("timer_irq: CMSDK APB timers and dual timer\n");
    irq_enable();
    run_timer(0, TIMER0_BASE, TIMER0_IRQ, 25000 - 1, 10); // 1 ms period
    run_timer(1, TIMER1_BASE, TIMER1_IRQ, 50000 - 1, 5);  // 2 ms period

    console_printf("dualtimer reset: control1=%x control2=%x load1=%x value1=%x\n",
                   (unsigned)DT_CONTROL(0), (unsigned)DT_CONTROL(1), (unsigned)DT_LOAD(0),
                   (unsigned)DT_VALUE(0));
    nvic_enable(DUALTIMER_IRQ);
    // Counter 1: periodic, 32-bit, interrupt enabled, 0.5 ms period.
    DT_LOAD(0) = 12500;
    DT_CONTROL(0) = 0x80 | 0x40 | 0x20 | 0x02;
    // Counter 2: one-shot, 32-bit, 1 ms.
    DT_LOAD(1) = 25000;
    DT_CONTROL(1) = 0x80 | 0x20 | 0x02 | 0x01;
    while (dual_irqs[0] < 8) {
        wfi();
    }
    DT_CONTROL(0) = 0;
    CHECK(dual_irqs[1] == 1);
    CHECK(DT_VALUE(1) == 0);
    console_printf("dualtimer: periodic %u interrupts, one-shot %u interrupt, one-shot value %u\n",
                   (unsigned)dual_irqs[0], (unsigned)dual_irqs[1], (unsigned)DT_VALUE(1));
    // Free-running 16-bit counter wraps to 0xffff.
    DT_CONTROL(1) = 0;
    DT_LOAD(1) = 10;
    DT_CONTROL(1) = 0x80; // enabled, free-running, 16-bit, no interrupt
    // Wait for the wrap (at most 65536 ticks = 2.6 ms, however long the loop takes to run).
    for (uint32_t i = 0; i < 10000000u && DT_RIS(1) == 0; ++i) {
    }
    CHECK(DT_VALUE(1) <= 0xffffu);
    CHECK(DT_RIS(1) == 1);
    CHECK(DT_MIS(1) == 0);
    DT_CONTROL(1) = 0;
    nvic_disable(DUALTIMER_IRQ);
    console_puts("dualtimer: free-running 16-bit counter wrapped, raw interrupt without mask\n");
    console_puts("timer_irq: PASS\n");
    return 0;
}
