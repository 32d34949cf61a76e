// SPDX-License-Identifier: Apache-2.0
// soak: runs until presil's --max-time stops it, exercising everything a long CI run does: two
// threads switched preemptively by PendSV from the Verilated APB timer's interrupt (programmed for every
// 100 us; lazy RTL clocking delivers it at each catch-up),
// SysTick counting milliseconds, the AXI4-Lite CRC-32 peripheral checked against a software CRC,
// and a status line through UART0 every 100 ms of simulated time. Needs boards/mps2-an385-rtl.yaml.
// The output depends only on simulated time, so two runs print the same bytes (tests/robust soak).
#include "support.h"

#define RTL_TIMER_BASE 0x40010000u
#define RTL_TIMER_IRQ 24
#define RT_CTRL REG32(RTL_TIMER_BASE + 0x00)
#define RT_LOAD REG32(RTL_TIMER_BASE + 0x04)
#define RT_INTCLEAR REG32(RTL_TIMER_BASE + 0x10)

#define RTL_CRC_BASE 0x40011000u
#define RC_CTRL REG32(RTL_CRC_BASE + 0x00)
#define RC_DATA REG32(RTL_CRC_BASE + 0x04)
#define RC_RESULT REG32(RTL_CRC_BASE + 0x08)

#define STACK_WORDS 512

static uint32_t stacks[2][STACK_WORDS] __attribute__((aligned(8)));
uint32_t thread_sp[2];
uint32_t current_thread;
static volatile uint32_t switches, timer_irqs, millis;
static volatile uint32_t crc_rounds, crc_last, counter;

void systick_handler(void) { ++millis; }

void irq24_handler(void)
{
    RT_INTCLEAR = 1;
    ++timer_irqs;
    SCB_ICSR = ICSR_PENDSVSET; // preempt the running thread
}

uint32_t switch_thread(uint32_t sp)
{
    thread_sp[current_thread] = sp;
    current_thread ^= 1u;
    ++switches;
    return thread_sp[current_thread];
}

__attribute__((naked)) void pendsv_handler(void)
{
    __asm__ volatile("mrs r0, psp\n"
                     "stmdb r0!, {r4-r11}\n"
                     "push {r4, lr}\n"
                     "bl switch_thread\n"
                     "pop {r4, lr}\n"
                     "ldmia r0!, {r4-r11}\n"
                     "msr psp, r0\n"
                     "bx lr\n");
}

__attribute__((naked)) void svc_handler(void)
{
    __asm__ volatile("ldr r1, =current_thread\n"
                     "ldr r1, [r1]\n"
                     "ldr r0, =thread_sp\n"
                     "ldr r0, [r0, r1, lsl #2]\n"
                     "ldmia r0!, {r4-r11}\n"
                     "msr psp, r0\n"
                     "mov lr, #0xfffffffd\n"
                     "bx lr\n"
                     ".ltorg\n");
}

static uint32_t crc32_sw(const uint8_t* p, size_t n)
{
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; ++i) {
        c ^= p[i];
        for (int k = 0; k < 8; ++k) {
            c = (c & 1u) ? (c >> 1) ^ 0xEDB88320u : c >> 1;
        }
    }
    return ~c;
}

/// Thread 0: CRC-32 of a changing 32-byte buffer on the RTL peripheral, checked in software.
static void crc_thread(void)
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
static void report_thread(void)
{
    uint32_t next = 100;
    for (;;) {
        ++counter;
        if (millis >= next) {
            console_printf("soak: %u ms, %u crc rounds (last %08x), %u timer irqs, %u switches\n",
                           (unsigned)next, (unsigned)crc_rounds, (unsigned)crc_last, (unsigned)timer_irqs,
                           (unsigned)switches);
            next += 100;
        }
    }
}

static void thread_init(unsigned n, void (*entry)(void))
{
    uint32_t* sp = &stacks[n][STACK_WORDS];
    *--sp = 0x01000000u;                    // xPSR: Thumb
    *--sp = (uint32_t)(uintptr_t)entry;     // pc
    *--sp = 0;                              // lr
    for (int i = 0; i < 5; ++i) *--sp = 0;  // r12, r3..r0
    for (int i = 0; i < 8; ++i) *--sp = 0;  // r11..r4
    thread_sp[n] = (uint32_t)(uintptr_t)sp;
}

int main(void)
{
    console_puts("soak: two threads, RTL timer preemption every 100 us, SysTick 1 ms, RTL CRC-32\n");
    SCB_SHPR(14) = 0xFF; // PendSV: lowest priority
    SCB_SHPR(11) = 0x00; // SVCall: highest configurable
    SYST_RVR = 25000 - 1; // 1 ms at 25 MHz
    SYST_CVR = 0;
    SYST_CSR = 7;
    RT_LOAD = 2500; // 100 us
    nvic_enable(RTL_TIMER_IRQ);
    RT_CTRL = 3;
    irq_enable();
    thread_init(0, crc_thread);
    thread_init(1, report_thread);
    current_thread = 0;
    __asm__ volatile("svc 0" ::: "memory");
    console_puts("soak: FAIL returned to main\n");
    return 1;
}
