// SPDX-License-Identifier: Apache-2.0
// context_switch: two threads on the process stack, started by SVC, switched by PendSV.
#include "support.h"

#define STACK_WORDS 256
#define ROUNDS 5

typedef struct {
    uint32_t sp; // saved PSP (r4-r11 pushed below the exception frame)
} Thread;

static uint32_t stacks[2][STACK_WORDS] __attribute__((aligned(8)));
Thread threads[2];
uint32_t current_thread;
static volatile uint32_t switches;
static volatile uint32_t finished;

static void yield(void)
{
    SCB_ICSR = ICSR_PENDSVSET;
    dsb();
    isb();
}

static void thread_body(uint32_t id)
{
    uint32_t control, ipsr;
    __asm__ volatile("mrs %0, control" : "=r"(control));
    __asm__ volatile("mrs %0, ipsr" : "=r"(ipsr));
    CHECK((control & 2u) != 0 && ipsr == 0);
    for (uint32_t round = 0; round < ROUNDS; ++round) {
        console_printf("thread %c: round %u\n", (char)('A' + id), (unsigned)round);
        yield();
    }
    ++finished;
    if (finished == 2) {
        console_printf("both threads finished after %u switches\n", (unsigned)switches);
        console_puts("context_switch: PASS\n");
        semihost_exit(0);
    }
    for (;;) {
        yield();
    }
}

static void thread_exit(void)
{
    console_puts("FAIL: a thread returned\n");
    semihost_exit(1);
}

static void thread_init(unsigned n, void (*entry)(uint32_t))
{
    uint32_t* sp = &stacks[n][STACK_WORDS];
    *--sp = 0x01000000u;             // xPSR: Thumb
    *--sp = (uint32_t)(uintptr_t)entry; // pc
    *--sp = (uint32_t)(uintptr_t)thread_exit; // lr
    *--sp = 0;                       // r12
    *--sp = 0;                       // r3
    *--sp = 0;                       // r2
    *--sp = 0;                       // r1
    *--sp = n;                       // r0: thread id
    for (int i = 0; i < 8; ++i) {
        *--sp = 0;                   // r11..r4
    }
    threads[n].sp = (uint32_t)(uintptr_t)sp;
}

/// Called by PendSV with the outgoing thread's stack pointer; returns the incoming one.
uint32_t switch_thread(uint32_t sp)
{
    threads[current_thread].sp = sp;
    current_thread ^= 1u;
    ++switches;
    return threads[current_thread].sp;
}

__attribute__((naked)) void pendsv_handler(void)
{
    __asm__ volatile(
        "mrs r0, psp\n"
        "stmdb r0!, {r4-r11}\n"
        "push {r4, lr}\n"
        "bl switch_thread\n"
        "pop {r4, lr}\n"
        "ldmia r0!, {r4-r11}\n"
        "msr psp, r0\n"
        "bx lr\n");
}

// SVC 0: start the first thread on the process stack.
__attribute__((naked)) void svc_handler(void)
{
    __asm__ volatile(
        "ldr r1, =current_thread\n"
        "ldr r1, [r1]\n"
        "ldr r0, =threads\n"
        "ldr r0, [r0, r1, lsl #2]\n"
        "ldmia r0!, {r4-r11}\n"
        "msr psp, r0\n"
        "mov lr, #0xfffffffd\n"
        "bx lr\n"
        ".ltorg\n");
}

int main(void)
{
    console_puts("context_switch: two threads, SVC start, PendSV switch\n");
    SCB_SHPR(14) = 0xFF; // PendSV: lowest priority
    SCB_SHPR(11) = 0x00; // SVCall: highest configurable
    thread_init(0, thread_body);
    thread_init(1, thread_body);
    current_thread = 0;
    __asm__ volatile("svc 0" ::: "memory");
    console_puts("FAIL: returned to main\n");
    return 1;
}
