// SPDX-License-Identifier: Apache-2.0
// systick: SysTick on the core clock interrupts periodically; checks COUNTFLAG and reload.
#include "support.h"

static volatile uint32_t ticks;

void systick_handler(void) { ++ticks; }

int main(void)
{
    console_puts("systick: SysTick interrupts on the core clock\n");
    console_printf("reset: csr=%x rvr=%x\n", (unsigned)SYST_CSR, (unsigned)SYST_RVR);
    // COUNTFLAG with a 10 ms period, so the flag cannot be set again between two back-to-back
    // reads even when the host is slow to run them.
    SYST_RVR = 250000 - 1;
    SYST_CVR = 0;          // any write clears the current value
    CHECK(SYST_CVR == 0);
    SYST_CSR = 0x5;        // enabled, core clock, no interrupt
    while ((SYST_CSR & (1u << 16)) == 0) {
    }
    CHECK((SYST_CSR & (1u << 16)) == 0); // COUNTFLAG clears on read
    CHECK(SYST_CVR <= 250000 - 1);
    console_puts("countflag: set on wrap, cleared by reading\n");
    SYST_CSR = 0;
    SYST_RVR = 25000 - 1;  // 1 ms at 25 MHz
    SYST_CVR = 0;

    irq_enable();
    SYST_CSR = 0x7; // with interrupt
    while (ticks < 20) {
        wfi();
    }
    SYST_CSR = 0;
    uint32_t seen = ticks;
    for (volatile int i = 0; i < 100000; ++i) {
    }
    CHECK(ticks == seen);
    console_printf("systick: %u interrupts, none after disable\n", (unsigned)seen);
    console_puts("systick: PASS\n");
    return 0;
}
