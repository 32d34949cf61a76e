// SPDX-License-Identifier: Apache-2.0
// context_switch: two threads on the process stack, started by SVC, switched by PendSV.
#include "support.h"
#include "threads.h"

#define STACK_WORDS 256
#define ROUNDS 5

static uint32_t stacks[2][STACK_WORDS] __attribute__((aligned(8)));
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
        console_printf("both threads finished after %u switches\n", (unsigned)thread_switches);
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

int main(void)
{
    console_puts("context_switch: two threads, SVC start, PendSV switch\n");
    thread_init(0, &stacks[0][STACK_WORDS], thread_body, thread_exit);
    thread_init(1, &stacks[1][STACK_WORDS], thread_body, thread_exit);
    threads_start();
    console_puts("FAIL: returned to main\n");
    return 1;
}
