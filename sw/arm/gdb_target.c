// SPDX-License-Identifier: Apache-2.0
// gdb_target: the GDB stub test's program: calls to step through, a store at a known label to
// watch, a buffer to read and write, and a loop the debugger interrupts and then releases.
#include "support.h"

volatile uint32_t g_counter;  // step_me() adds to it
volatile uint32_t g_watched;  // written once, by the store at gdb_watch_store
volatile uint32_t g_buffer[4] = {0x11111111u, 0x22222222u, 0x33333333u, 0x44444444u};
volatile uint32_t g_spin = 1;  // the debugger clears it to end the loop

__attribute__((noinline)) int step_me(int x)
{
    g_counter += (uint32_t)x;
    return (int)g_counter;
}

// The store a watchpoint on g_watched must stop at: gdb_watch_store is its address,
// gdb_watch_after the next instruction's.
__attribute__((noinline)) void poke(uint32_t value)
{
    __asm volatile(".global gdb_watch_store\n"
                   "gdb_watch_store:\n"
                   "  str %0, [%1]\n"
                   ".global gdb_watch_after\n"
                   "gdb_watch_after:\n"
                   :
                   : "l"(value), "l"(&g_watched)
                   : "memory");
}

int main(void)
{
    int r = step_me(1);
    r += step_me(2);
    poke(0x1000u + (uint32_t)r);
    while (g_spin) g_counter++;
    console_printf("gdb_target: watched=%x buffer0=%x spin=%u\n", (unsigned)g_watched, (unsigned)g_buffer[0],
                   (unsigned)g_spin);
    return 0;
}
