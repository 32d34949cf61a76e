// SPDX-License-Identifier: Apache-2.0
// rtl_demo: drives the Verilated RTL peripherals of boards/mps2-an385-rtl.yaml (APB timer, AXI4-Lite
// CRC-32): registers, wait states, byte writes, interrupts counted, CRCs checked, bus errors → BusFault.
#include "support.h"

#include "rtl_peripherals.h"

#define CFSR_PRECISERR (1u << 9)
#define CFSR_BFARVALID (1u << 15)

static volatile uint32_t timer_irqs, crc_irqs;
static volatile uint32_t fault_count, last_cfsr, last_bfar;

void irq24_handler(void)
{
    CHECK(RT_INTSTATUS == 1);
    RT_INTCLEAR = 1;
    ++timer_irqs;
}

void irq25_handler(void)
{
    CHECK(RC_STATUS == 1);
    RC_STATUS = 1; // write one to clear
    ++crc_irqs;
}

/// Length of the Thumb instruction at pc (2 or 4 bytes).
static uint32_t insn_length(uint32_t pc)
{
    uint16_t hw = *(const volatile uint16_t*)(uintptr_t)pc;
    return (hw & 0xF800u) >= 0xE800u ? 4 : 2;
}

void rtl_fault_entry(ExceptionFrame* frame)
{
    last_cfsr = SCB_CFSR;
    last_bfar = SCB_BFAR;
    SCB_CFSR = last_cfsr; // write one to clear
    ++fault_count;
    frame->pc += insn_length(frame->pc); // resume after the faulting load
}

__attribute__((naked)) void busfault_handler(void)
{
    __asm__ volatile("tst lr, #4\n"
                     "ite eq\n"
                     "mrseq r0, msp\n"
                     "mrsne r0, psp\n"
                     "push {r4, lr}\n"
                     "bl rtl_fault_entry\n"
                     "pop {r4, pc}\n");
}

/// Reads `addr`, which must answer with a bus error: a precise BusFault with BFAR = addr.
static void expect_bus_error(uint32_t addr, const char* what)
{
    uint32_t before = fault_count;
    volatile uint32_t v = REG32(addr);
    (void)v;
    CHECK(fault_count == before + 1);
    CHECK(last_cfsr == (CFSR_PRECISERR | CFSR_BFARVALID) && last_bfar == addr);
    console_printf("%s: BusFault cfsr=%08x bfar=%08x\n", what, (unsigned)last_cfsr, (unsigned)last_bfar);
}


static void timer_part(void)
{
    console_printf("rtl_timer: id=%08x ctrl=%x load=%x value=%x\n", (unsigned)RT_ID, (unsigned)RT_CTRL,
                   (unsigned)RT_LOAD, (unsigned)RT_VALUE);
    CHECK(RT_ID == 0x41505430u);

    // Byte-lane writes: only the addressed byte of LOAD changes.
    RT_LOAD = 0x11223344u;
    *(volatile uint8_t*)(uintptr_t)(RTL_TIMER_BASE + 0x05) = 0xAB;
    *(volatile uint16_t*)(uintptr_t)(RTL_TIMER_BASE + 0x06) = 0xCDEF;
    CHECK(RT_LOAD == 0xCDEFAB44u);
    CHECK(*(volatile uint8_t*)(uintptr_t)(RTL_TIMER_BASE + 0x06) == 0xEF);
    console_printf("rtl_timer: byte writes give load=%08x\n", (unsigned)RT_LOAD);

    // Wait states stretch the APB access phase; the values stay right.
    RT_WAIT = 5;
    CHECK(RT_WAIT == 5 && RT_ID == 0x41505430u);
    RT_WAIT = 0;

    // Free-running with an interrupt every 2500 clocks (100 us at 25 MHz).
    RT_LOAD = 2500;
    nvic_enable(RTL_TIMER_IRQ);
    RT_CTRL = 3;
    uint32_t v1 = RT_VALUE;
    CHECK(v1 <= 2500);
    while (timer_irqs < 10) {
        wfi();
    }
    RT_CTRL = 0;
    nvic_disable(RTL_TIMER_IRQ);
    uint32_t v2 = RT_VALUE;
    for (volatile int i = 0; i < 1000; ++i) {
    }
    CHECK(RT_VALUE == v2); // stopped
    console_printf("rtl_timer: %u interrupts with load 2500\n", (unsigned)timer_irqs);

    expect_bus_error(RTL_TIMER_BASE + 0x40, "rtl_timer: read of a hole (PSLVERR)");
}

static void crc_part(void)
{
    console_printf("rtl_crc: id=%08x count=%u status=%x\n", (unsigned)RC_ID, (unsigned)RC_COUNT,
                   (unsigned)RC_STATUS);
    CHECK(RC_ID == 0x43524333u);

    // "123456789": two words, then one byte on lane 0. The check value of CRC-32 is cbf43926.
    static const char check[] = "123456789";
    RC_CTRL = 1;
    RC_DATA = 0x34333231u;
    RC_DATA = 0x38373635u;
    RC_DATA8 = '9';
    CHECK(RC_COUNT == 9);
    CHECK(RC_RESULT == 0xCBF43926u && RC_RESULT == crc32_sw((const uint8_t*)check, 9));
    console_printf("rtl_crc: crc32(\"123456789\") = %08x\n", (unsigned)RC_RESULT);

    // 64 bytes of a pattern, with late READY (latency 3), compared with the software CRC.
    uint8_t buf[64];
    for (unsigned i = 0; i < sizeof buf; ++i) {
        buf[i] = (uint8_t)(i * 37u + 11u);
    }
    RC_LATENCY = 3;
    RC_CTRL = 1;
    for (unsigned i = 0; i < sizeof buf; i += 4) {
        RC_DATA = (uint32_t)buf[i] | (uint32_t)buf[i + 1] << 8 | (uint32_t)buf[i + 2] << 16 |
                  (uint32_t)buf[i + 3] << 24;
    }
    RC_LATENCY = 0;
    CHECK(RC_COUNT == 64 && RC_RESULT == crc32_sw(buf, sizeof buf));
    console_printf("rtl_crc: 64-byte pattern crc32 = %08x (matches software)\n", (unsigned)RC_RESULT);

    // Done interrupt: PROC cycles after each DATA write.
    RC_STATUS = 1;
    RC_PROC = 200;
    nvic_enable(RTL_CRC_IRQ);
    RC_CTRL = 1 | 2;
    for (unsigned n = 0; n < 4; ++n) {
        uint32_t before = crc_irqs;
        RC_DATA = n;
        while (crc_irqs == before) {
            wfi();
        }
    }
    RC_CTRL = 0;
    nvic_disable(RTL_CRC_IRQ);
    CHECK(crc_irqs == 4 && RC_COUNT == 16);
    console_printf("rtl_crc: %u done interrupts\n", (unsigned)crc_irqs);

    expect_bus_error(RTL_CRC_BASE + 0x20, "rtl_crc: read of a hole (SLVERR)");
    expect_bus_error(RTL_CRC_BASE + 0x100, "rtl_crc: read outside the window (DECERR)");
}

int main(void)
{
    console_puts("rtl_demo: Verilated APB timer and AXI4-Lite CRC-32\n");
    SCB_SHCSR |= SHCSR_BUSFAULTENA;
    irq_enable();
    timer_part();
    crc_part();
    CHECK(fault_count == 3);
    console_puts("rtl_demo: PASS\n");
    return 0;
}
