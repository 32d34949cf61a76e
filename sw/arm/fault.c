// SPDX-License-Identifier: Apache-2.0
// fault: UsageFault (undefined instruction, divide by zero), BusFault on an unmapped
// address (BFAR), and its escalation to HardFault; each handler reports and resumes.
#include "support.h"

#define CFSR_UNDEFINSTR (1u << 16)
#define CFSR_DIVBYZERO (1u << 25)
#define CFSR_PRECISERR (1u << 9)
#define CFSR_BFARVALID (1u << 15)
#define HFSR_FORCED (1u << 30)

/// Address with nothing mapped on the board.
#define UNMAPPED_ADDR 0x60000010u

static volatile uint32_t last_cfsr, last_hfsr, last_bfar, last_exception, fault_count;

/// Length of the Thumb instruction at pc (2 or 4 bytes).
static uint32_t insn_length(uint32_t pc)
{
    uint16_t hw = *(const volatile uint16_t*)(uintptr_t)pc;
    return (hw & 0xF800u) >= 0xE800u ? 4 : 2;
}

void fault_entry(ExceptionFrame* frame)
{
    uint32_t ipsr;
    __asm__ volatile("mrs %0, ipsr" : "=r"(ipsr));
    last_exception = ipsr & 0x1FFu;
    last_cfsr = SCB_CFSR;
    last_hfsr = SCB_HFSR;
    last_bfar = SCB_BFAR;
    SCB_CFSR = last_cfsr; // write one to clear
    SCB_HFSR = last_hfsr;
    ++fault_count;
    frame->pc += insn_length(frame->pc); // resume after the faulting instruction
}

#define FAULT_TRAMPOLINE(name)                    \
    __attribute__((naked)) void name(void)        \
    {                                             \
        __asm__ volatile("tst lr, #4\n"           \
                         "ite eq\n"               \
                         "mrseq r0, msp\n"        \
                         "mrsne r0, psp\n"        \
                         "push {r4, lr}\n"        \
                         "bl fault_entry\n"       \
                         "pop {r4, pc}\n");       \
    }
FAULT_TRAMPOLINE(usagefault_handler)
FAULT_TRAMPOLINE(busfault_handler)
FAULT_TRAMPOLINE(hardfault_handler)

static void report(const char* what)
{
    console_printf("%s: exception %u cfsr=%08x hfsr=%08x", what, (unsigned)last_exception,
                   (unsigned)last_cfsr, (unsigned)last_hfsr);
    if (last_cfsr & CFSR_BFARVALID) {
        console_printf(" bfar=%08x", (unsigned)last_bfar);
    }
    console_putc('\n');
}

int main(void)
{
    console_puts("fault: configurable faults and escalation\n");
    SCB_SHCSR |= SHCSR_USGFAULTENA | SHCSR_BUSFAULTENA;

    __asm__ volatile("udf #1" ::: "memory");
    CHECK(fault_count == 1 && last_exception == 6 && last_cfsr == CFSR_UNDEFINSTR);
    report("undefined instruction");

    SCB_CCR |= 1u << 4; // DIV_0_TRP
    volatile uint32_t zero = 0;
    volatile uint32_t q = 100u / zero;
    (void)q;
    CHECK(fault_count == 2 && last_exception == 6 && last_cfsr == CFSR_DIVBYZERO);
    report("divide by zero");
    SCB_CCR &= ~(1u << 4);
    volatile uint32_t q0 = 100u / zero; // without the trap: quotient 0
    CHECK(q0 == 0 && fault_count == 2);

    // Unaligned word loads are allowed while CCR.UNALIGN_TRP is clear (its trap is not checked:
    // QEMU does not implement it).
    static uint32_t words[2] = {0x11223344u, 0x55667788u};
    uint32_t value = *(volatile uint32_t*)((uintptr_t)words + 1);
    CHECK(value == 0x88112233u && fault_count == 2);
    console_printf("unaligned load: %08x\n", (unsigned)value);

    volatile uint32_t bus = *(volatile uint32_t*)UNMAPPED_ADDR;
    (void)bus;
    CHECK(fault_count == 3 && last_exception == 5);
    CHECK(last_cfsr == (CFSR_PRECISERR | CFSR_BFARVALID) && last_bfar == UNMAPPED_ADDR);
    report("bus error");

    SCB_SHCSR &= ~SHCSR_BUSFAULTENA; // now escalates to HardFault
    bus = *(volatile uint32_t*)(UNMAPPED_ADDR + 0x100);
    CHECK(fault_count == 4 && last_exception == 3 && (last_hfsr & HFSR_FORCED) != 0);
    CHECK(last_bfar == UNMAPPED_ADDR + 0x100);
    report("escalated bus error");

    console_puts("fault: PASS\n");
    return 0;
}
