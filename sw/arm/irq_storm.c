// SPDX-License-Identifier: Apache-2.0
// irq_storm: SysTick reloads every 16 cycles with its interrupt enabled, so an interrupt is
// pending again almost as soon as the handler returns; runs forever (tests/robust: simulated
// time still advances and --max-time ends the run).
#include "support.h"

static volatile uint32_t ticks;

void systick_handler(void) { ++ticks; }

int main(void)
{
    console_puts("irq_storm: SysTick every 16 cycles\n");
    SYST_RVR = 15;
    SYST_CVR = 0;
    SYST_CSR = 7;  // enable, interrupt, core clock
    for (uint32_t last = 0;;) {
        if (ticks - last >= 1000000u) {
            last = ticks;
            console_puts("irq_storm: another million interrupts\n");
        }
    }
}
