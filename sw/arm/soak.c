// SPDX-License-Identifier: Apache-2.0
// soak: runs until presil's --max-time stops it, exercising everything a long CI run does: two
// threads switched preemptively by PendSV from the Verilated APB timer's interrupt (programmed for every
// 100 us; lazy RTL clocking delivers it at each catch-up),
// SysTick counting milliseconds, the AXI4-Lite CRC-32 peripheral checked against a software CRC,
// and a status line through UART0 every 100 ms of simulated time. Needs boards/mps2-an385-rtl.yaml.
// The output depends only on simulated time, so two runs print the same bytes (tests/robust soak).
#include "rtl_peripherals.h"
#include "threads.h"

#define STACK_WORDS 512

static uint32_t stacks[2][STACK_WORDS] __attribute__((aligned(8)));
static volatile uint32_t timer_irqs, millis;
static volatile uint32_t crc_rounds, crc_last, counter;

void systick_handler(void) { ++millis; }

void irq24_handler(void)
{
    RT_INTCLEAR = 1;
    ++timer_irqs;
    SCB_ICSR = ICSR_PENDSVSET; // preempt the running thread
}

/// Thread 0: CRC-32 of a changing 32-byte buffer on the RTL peripheral, checked in software.
static void crc_thread(__attribute__((unused)) uint32_t id)
{
    uint8_t buf[32];
    for (uint32_t round = 0;; ++round) {
        for (unsigned i = 0; i < sizeof buf; ++i) {
            buf[i] = (uint8_t)(round * 31u + i * 7u);
        }
        RC_CTRL = 1;
        for (unsigned i = 0; i < sizeof buf; i += 4) {
            RC_DATA = (uint32_t)buf[i] | (uint32_t)buf[i + 1] << 8 | (uint32_t)buf[i + 2] << 16 |
                      (uint32_t)buf[i + 3] << 24;
        }
        uint32_t hw = RC_RESULT;
        if (hw != crc32_sw(buf, sizeof buf)) {
            console_printf("soak: FAIL crc round %u: %08x\n", (unsigned)round, (unsigned)hw);
            semihost_exit(1);
        }
        crc_last = hw;
        crc_rounds = round + 1;
    }
}

/// Thread 1: counts, and prints a status line every 100 ms of simulated time.
static void report_thread(__attribute__((unused)) uint32_t id)
{
    uint32_t next = 100;
    for (;;) {
        ++counter;
        if (millis >= next) {
            console_printf("soak: %u ms, %u crc rounds (last %08x), %u timer irqs, %u switches\n",
                           (unsigned)next, (unsigned)crc_rounds, (unsigned)crc_last, (unsigned)timer_irqs,
                           (unsigned)thread_switches);
            next += 100;
        }
    }
}

int main(void)
{
    console_puts("soak: two threads, RTL timer preemption every 100 us, SysTick 1 ms, RTL CRC-32\n");
    SYST_RVR = 25000 - 1; // 1 ms at 25 MHz
    SYST_CVR = 0;
    SYST_CSR = 7;
    RT_LOAD = 2500; // 100 us
    nvic_enable(RTL_TIMER_IRQ);
    RT_CTRL = 3;
    irq_enable();
    thread_init(0, &stacks[0][STACK_WORDS], crc_thread, 0);
    thread_init(1, &stacks[1][STACK_WORDS], report_thread, 0);
    threads_start();
    console_puts("soak: FAIL returned to main\n");
    return 1;
}
