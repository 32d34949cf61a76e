// SPDX-License-Identifier: Apache-2.0
// sleep_forever: prints one line, then sleeps with every interrupt disabled and nothing to wake
// it (tests/robust: presil reports that nothing is left to do, with the line flushed).
#include "support.h"

int main(void)
{
    console_puts("sleep_forever: going to sleep\n");
    __asm volatile("cpsid i");
    for (;;) {
        __asm volatile("wfi");
    }
}
