// SPDX-License-Identifier: Apache-2.0
// Start-up code for mps2-an385 firmware: vector table, reset handler, default exception handlers.
#include "support.h"

extern uint32_t _stack_top;
extern uint32_t _data_start, _data_end, _data_load, _bss_start, _bss_end;

void reset_handler(void) __attribute__((noreturn));

void reset_handler(void)
{
    const uint32_t* src = &_data_load;
    for (uint32_t* dst = &_data_start; dst < &_data_end;) {
        *dst++ = *src++;
    }
    for (uint32_t* dst = &_bss_start; dst < &_bss_end;) {
        *dst++ = 0;
    }
    console_init();
    semihost_exit(main());
}

// Any exception without its own handler lands here: pass the frame (from MSP
// or PSP, per EXC_RETURN bit 2) and EXC_RETURN to fault_report.
__attribute__((naked)) static void default_handler(void)
{
    __asm__ volatile(
        "tst lr, #4\n"
        "ite eq\n"
        "mrseq r0, msp\n"
        "mrsne r0, psp\n"
        "mov r1, lr\n"
        "b fault_report\n");
}

#define WEAK_ALIAS __attribute__((weak, alias("default_handler")))
void nmi_handler(void) WEAK_ALIAS;
void hardfault_handler(void) WEAK_ALIAS;
void memmanage_handler(void) WEAK_ALIAS;
void busfault_handler(void) WEAK_ALIAS;
void usagefault_handler(void) WEAK_ALIAS;
void svc_handler(void) WEAK_ALIAS;
void debugmon_handler(void) WEAK_ALIAS;
void pendsv_handler(void) WEAK_ALIAS;
void systick_handler(void) WEAK_ALIAS;
#define WEAK_IRQ(n) void irq##n##_handler(void) WEAK_ALIAS;
WEAK_IRQ(0) WEAK_IRQ(1) WEAK_IRQ(2) WEAK_IRQ(3) WEAK_IRQ(4) WEAK_IRQ(5) WEAK_IRQ(6) WEAK_IRQ(7)
WEAK_IRQ(8) WEAK_IRQ(9) WEAK_IRQ(10) WEAK_IRQ(11) WEAK_IRQ(12) WEAK_IRQ(13) WEAK_IRQ(14)
WEAK_IRQ(15) WEAK_IRQ(16) WEAK_IRQ(17) WEAK_IRQ(18) WEAK_IRQ(19) WEAK_IRQ(20) WEAK_IRQ(21)
WEAK_IRQ(22) WEAK_IRQ(23) WEAK_IRQ(24) WEAK_IRQ(25) WEAK_IRQ(26) WEAK_IRQ(27) WEAK_IRQ(28)
WEAK_IRQ(29) WEAK_IRQ(30) WEAK_IRQ(31)

typedef void (*Vector)(void);

/// The vector table: initial stack pointer, 15 system exceptions, 32 external interrupts.
__attribute__((section(".vectors"), used)) static const Vector vector_table[16 + 32] = {
    (Vector)&_stack_top, reset_handler, nmi_handler, hardfault_handler,
    memmanage_handler, busfault_handler, usagefault_handler, 0, 0, 0, 0,
    svc_handler, debugmon_handler, 0, pendsv_handler, systick_handler,
    irq0_handler, irq1_handler, irq2_handler, irq3_handler, irq4_handler,
    irq5_handler, irq6_handler, irq7_handler, irq8_handler, irq9_handler,
    irq10_handler, irq11_handler, irq12_handler, irq13_handler, irq14_handler,
    irq15_handler, irq16_handler, irq17_handler, irq18_handler, irq19_handler,
    irq20_handler, irq21_handler, irq22_handler, irq23_handler, irq24_handler,
    irq25_handler, irq26_handler, irq27_handler, irq28_handler, irq29_handler,
    irq30_handler, irq31_handler,
};
