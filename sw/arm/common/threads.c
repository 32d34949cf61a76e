// SPDX-License-Identifier: Apache-2.0
// Two threads on the process stack: SVC 0 enters thread 0, PendSV saves r4-r11 and swaps stacks.
#include "threads.h"

#include "support.h"

uint32_t thread_sp[2];
uint32_t current_thread;
volatile uint32_t thread_switches;

void thread_init(unsigned n, uint32_t* stack_top, void (*entry)(uint32_t), void (*on_return)(void))
{
    uint32_t* sp = stack_top;
    *--sp = 0x01000000u;                          // xPSR: Thumb
    *--sp = (uint32_t)(uintptr_t)entry;           // pc
    *--sp = (uint32_t)(uintptr_t)on_return;       // lr
    for (int i = 0; i < 4; ++i) *--sp = 0;        // r12, r3..r1
    *--sp = n;                                    // r0: thread id
    for (int i = 0; i < 8; ++i) *--sp = 0;        // r11..r4
    thread_sp[n] = (uint32_t)(uintptr_t)sp;
}

/// Called by PendSV with the outgoing thread's stack pointer; returns the incoming one.
uint32_t switch_thread(uint32_t sp)
{
    thread_sp[current_thread] = sp;
    current_thread ^= 1u;
    ++thread_switches;
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

// SVC 0: start the current thread on the process stack.
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

void threads_start(void)
{
    SCB_SHPR(14) = 0xFF; // PendSV: lowest priority
    SCB_SHPR(11) = 0x00; // SVCall: highest configurable
    current_thread = 0;
    __asm__ volatile("svc 0" ::: "memory");
}
