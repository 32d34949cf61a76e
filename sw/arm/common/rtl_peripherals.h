// SPDX-License-Identifier: Apache-2.0
// The Verilated RTL peripherals of boards/mps2-an385-rtl.yaml (register map) and the software
// CRC-32 the accelerator is checked against; for rtl_demo and soak.
#ifndef PRESIL_SW_RTL_PERIPHERALS_H
#define PRESIL_SW_RTL_PERIPHERALS_H

#include "support.h"

// APB timer (rtl-bridge/examples/apb_timer.v) at 0x40010000, NVIC IRQ 24.
#define RTL_TIMER_BASE 0x40010000u
#define RTL_TIMER_IRQ 24
#define RT_CTRL REG32(RTL_TIMER_BASE + 0x00)
#define RT_LOAD REG32(RTL_TIMER_BASE + 0x04)
#define RT_VALUE REG32(RTL_TIMER_BASE + 0x08)
#define RT_INTSTATUS REG32(RTL_TIMER_BASE + 0x0C)
#define RT_INTCLEAR REG32(RTL_TIMER_BASE + 0x10)
#define RT_WAIT REG32(RTL_TIMER_BASE + 0x14)
#define RT_ID REG32(RTL_TIMER_BASE + 0x18)

// AXI4-Lite CRC-32 (rtl-bridge/examples/axil_crc32.v) at 0x40011000, NVIC IRQ 25.
#define RTL_CRC_BASE 0x40011000u
#define RTL_CRC_IRQ 25
#define RC_CTRL REG32(RTL_CRC_BASE + 0x00)
#define RC_DATA REG32(RTL_CRC_BASE + 0x04)
#define RC_DATA8 (*(volatile uint8_t*)(uintptr_t)(RTL_CRC_BASE + 0x04))
#define RC_RESULT REG32(RTL_CRC_BASE + 0x08)
#define RC_LATENCY REG32(RTL_CRC_BASE + 0x0C)
#define RC_ID REG32(RTL_CRC_BASE + 0x10)
#define RC_COUNT REG32(RTL_CRC_BASE + 0x14)
#define RC_STATUS REG32(RTL_CRC_BASE + 0x18)
#define RC_PROC REG32(RTL_CRC_BASE + 0x1C)

/// Software CRC-32 (IEEE 802.3, reflected) to check the accelerator against.
static inline uint32_t crc32_sw(const uint8_t* p, size_t n)
{
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; ++i) {
        c ^= p[i];
        for (int k = 0; k < 8; ++k) {
            c = (c & 1u) ? (c >> 1) ^ 0xEDB88320u : c >> 1;
        }
    }
    return ~c;
}

#endif
