// SPDX-License-Identifier: Apache-2.0
// dwt_cycles: DWT CYCCNT around known instruction sequences; prints cycle counts (timing lines)
// next to the Cortex-M3 TRM's expected cost, and checks them when the counter runs.
#include "support.h"

#define DEMCR_TRCENA (1u << 24)
#define DWT_CTRL_CYCCNTENA 1u

typedef uint32_t (*Sequence)(void);

// Each sequence returns CYCCNT(after) - CYCCNT(before) around its body.
#define SEQUENCE(name, setup, body)                                         \
    static uint32_t name(void)                                              \
    {                                                                       \
        uint32_t t0, t1;                                                    \
        __asm__ volatile(setup                                              \
                         "ldr %0, [%2]\n"                                   \
                         body                                               \
                         "ldr %1, [%2]\n"                                   \
                         : "=&r"(t0), "=&r"(t1)                             \
                         : "r"(0xE0001004u)                                 \
                         : "r4", "r5", "r6", "r7", "memory", "cc");        \
        return t1 - t0;                                                     \
    }

SEQUENCE(seq_empty, "", "")
SEQUENCE(seq_nop, "", ".rept 100\n nop\n .endr\n")
SEQUENCE(seq_add, "movs r4, #1\n", ".rept 100\n adds r5, r4, #1\n .endr\n")
SEQUENCE(seq_mul, "movs r4, #3\n movs r5, #5\n", ".rept 50\n mul r6, r4, r5\n .endr\n")
SEQUENCE(seq_ldr, "mov r4, sp\n", ".rept 50\n ldr r5, [r4]\n add r6, r6, #1\n .endr\n")
SEQUENCE(seq_str, "mov r4, sp\n sub r4, r4, #64\n", ".rept 50\n str r5, [r4]\n add r6, r6, #1\n .endr\n")
SEQUENCE(seq_udiv, "movs r4, #100\n movs r5, #7\n", ".rept 20\n udiv r6, r4, r5\n .endr\n")
SEQUENCE(seq_branch, "", ".rept 50\n b 1f\n nop\n1:\n .endr\n")
SEQUENCE(seq_ldm, "mov r4, sp\n", ".rept 20\n ldm r4, {r5-r7}\n .endr\n")

typedef struct {
    const char* name;
    Sequence run;
    uint32_t instructions;
    const char* trm; // the TRM's cost per instruction
} Measurement;

static const Measurement kMeasurements[] = {
    {"nop x100", seq_nop, 100, "1"},
    {"adds x100", seq_add, 100, "1"},
    {"mul x50", seq_mul, 50, "1"},
    {"ldr+add x50", seq_ldr, 100, "2+1"},
    {"str+add x50", seq_str, 100, "2+1"},
    {"udiv x20", seq_udiv, 20, "2-12"},
    {"b taken x50", seq_branch, 50, "1+P"},
    {"ldm 3 regs x20", seq_ldm, 20, "1+N"},
};

int main(void)
{
    console_puts("dwt_cycles: DWT cycle counter around known instruction sequences\n");
    DEMCR |= DEMCR_TRCENA;
    DWT_CYCCNT = 0;
    DWT_CTRL |= DWT_CTRL_CYCCNTENA;
    uint32_t a = DWT_CYCCNT;
    for (volatile int i = 0; i < 100; ++i) {
    }
    uint32_t b = DWT_CYCCNT;
    int counting = b != a;
    console_printf("[time] CYCCNT %s\n", counting ? "counting" : "not counting on this platform");
    uint32_t base = seq_empty();
    console_printf("[time] overhead of the measurement: %u cycles\n", (unsigned)base);
    for (unsigned i = 0; i < sizeof kMeasurements / sizeof kMeasurements[0]; ++i) {
        const Measurement* m = &kMeasurements[i];
        uint32_t cycles = m->run() - base;
        console_printf("[time] %-16s %5u cycles (TRM: %s per instruction)\n", m->name,
                       (unsigned)cycles, m->trm);
        if (counting) {
            // Every instruction takes at least one cycle, and none more than 12.
            CHECK(cycles >= m->instructions && cycles <= 12 * m->instructions);
        }
        console_printf("measured %s\n", m->name);
    }
    console_puts("dwt_cycles: PASS\n");
    return 0;
}
