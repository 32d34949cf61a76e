// SPDX-License-Identifier: Apache-2.0
// mmio_bench: reads CMSDK timer 0's VALUE register (or, built with MMIO_BENCH_RAM, a RAM word) N times and exits 0.
// ci/bench runs both variants; the wall-time difference divided by N is the cost of one device access.
#include "support.h"

#ifndef MMIO_BENCH_READS
#define MMIO_BENCH_READS (1u << 20)
#endif

static volatile uint32_t ram_word = 1u;

int main(void)
{
#ifdef MMIO_BENCH_RAM
    volatile uint32_t* src = &ram_word;
    const char* what = "ram";
#else
    TIMER_RELOAD(TIMER0_BASE) = 0xFFFFFFFFu;
    TIMER_CTRL(TIMER0_BASE) = TIMER_CTRL_EN;
    volatile uint32_t* src = &TIMER_VALUE(TIMER0_BASE);
    const char* what = "timer";
    (void)ram_word;
#endif
    uint32_t acc = 0;
    // Eight reads per iteration so the loop overhead stays small (and equal in both variants).
    for (uint32_t i = 0; i < MMIO_BENCH_READS / 8u; ++i) {
        acc += *src; acc += *src; acc += *src; acc += *src;
        acc += *src; acc += *src; acc += *src; acc += *src;
    }
    console_printf("mmio_bench: %u %s reads (acc %08x)\n", (unsigned)MMIO_BENCH_READS, what, (unsigned)acc);
    return 0;
}
