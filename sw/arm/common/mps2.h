// SPDX-License-Identifier: Apache-2.0
// mps2-an385 memory map, device registers and Cortex-M3 system registers for the firmware.
#pragma once
#include <stdint.h>

#define REG32(addr) (*(volatile uint32_t*)(uintptr_t)(addr))

/// System clock of the board (Hz): CPU, APB timers and UARTs.
#define SYSCLK_HZ 25000000u

/// CMSDK APB UART (UART0 is the console).
#define UART0_BASE 0x40004000u
#define UART_DATA(b) REG32((b) + 0x00)
#define UART_STATE(b) REG32((b) + 0x04)
#define UART_CTRL(b) REG32((b) + 0x08)
#define UART_INTSTATUS(b) REG32((b) + 0x0C)
#define UART_BAUDDIV(b) REG32((b) + 0x10)

/// CMSDK APB timers and dual timer.
#define TIMER0_BASE 0x40000000u
#define TIMER1_BASE 0x40001000u
#define TIMER_CTRL(b) REG32((b) + 0x00)
#define TIMER_VALUE(b) REG32((b) + 0x04)
#define TIMER_RELOAD(b) REG32((b) + 0x08)
#define TIMER_INTSTATUS(b) REG32((b) + 0x0C)
#define TIMER_CTRL_EN 0x1u
#define TIMER_CTRL_IRQEN 0x8u
#define TIMER0_IRQ 8
#define TIMER1_IRQ 9

#define DUALTIMER_BASE 0x40002000u
#define DUALTIMER_IRQ 10
/// Dual timer: n = 0 or 1 selects the counter (each 0x20 bytes apart).
#define DT_LOAD(n) REG32(DUALTIMER_BASE + 0x20 * (n) + 0x00)
#define DT_VALUE(n) REG32(DUALTIMER_BASE + 0x20 * (n) + 0x04)
#define DT_CONTROL(n) REG32(DUALTIMER_BASE + 0x20 * (n) + 0x08)
#define DT_INTCLR(n) REG32(DUALTIMER_BASE + 0x20 * (n) + 0x0C)
#define DT_RIS(n) REG32(DUALTIMER_BASE + 0x20 * (n) + 0x10)
#define DT_MIS(n) REG32(DUALTIMER_BASE + 0x20 * (n) + 0x14)
#define DT_BGLOAD(n) REG32(DUALTIMER_BASE + 0x20 * (n) + 0x18)

/// FPGA I/O block and system control/configuration registers.
#define FPGAIO_BASE 0x40028000u
#define FPGAIO_LED0 REG32(FPGAIO_BASE + 0x00)
#define FPGAIO_BUTTON REG32(FPGAIO_BASE + 0x08)
#define FPGAIO_CLK1HZ REG32(FPGAIO_BASE + 0x10)
#define FPGAIO_CLK100HZ REG32(FPGAIO_BASE + 0x14)
#define FPGAIO_COUNTER REG32(FPGAIO_BASE + 0x18)
#define SCC_BASE 0x4002F000u
#define SCC_AID REG32(SCC_BASE + 0xFF8)
#define SCC_ID REG32(SCC_BASE + 0xFFC)

/// Cortex-M3 system control space.
#define SCS_ICTR REG32(0xE000E004u)
#define SYST_CSR REG32(0xE000E010u)
#define SYST_RVR REG32(0xE000E014u)
#define SYST_CVR REG32(0xE000E018u)
#define SYST_CALIB REG32(0xE000E01Cu)
#define NVIC_ISER(n) REG32(0xE000E100u + 4 * (n))
#define NVIC_ICER(n) REG32(0xE000E180u + 4 * (n))
#define NVIC_ISPR(n) REG32(0xE000E200u + 4 * (n))
#define NVIC_ICPR(n) REG32(0xE000E280u + 4 * (n))
#define NVIC_IPR(n) (*(volatile uint8_t*)(uintptr_t)(0xE000E400u + (n)))
#define SCB_CPUID REG32(0xE000ED00u)
#define SCB_ICSR REG32(0xE000ED04u)
#define SCB_VTOR REG32(0xE000ED08u)
#define SCB_AIRCR REG32(0xE000ED0Cu)
#define SCB_SCR REG32(0xE000ED10u)
#define SCB_CCR REG32(0xE000ED14u)
#define SCB_SHPR(n) (*(volatile uint8_t*)(uintptr_t)(0xE000ED18u + (n) - 4))
#define SCB_SHCSR REG32(0xE000ED24u)
#define SCB_CFSR REG32(0xE000ED28u)
#define SCB_HFSR REG32(0xE000ED2Cu)
#define SCB_MMFAR REG32(0xE000ED34u)
#define SCB_BFAR REG32(0xE000ED38u)
#define DEMCR REG32(0xE000EDFCu)
#define DWT_CTRL REG32(0xE0001000u)
#define DWT_CYCCNT REG32(0xE0001004u)

#define ICSR_PENDSVSET (1u << 28)
#define SHCSR_USGFAULTENA (1u << 18)
#define SHCSR_BUSFAULTENA (1u << 17)
#define SHCSR_MEMFAULTENA (1u << 16)

static inline void nvic_enable(unsigned irq) { NVIC_ISER(irq / 32) = 1u << (irq % 32); }
static inline void nvic_disable(unsigned irq) { NVIC_ICER(irq / 32) = 1u << (irq % 32); }
static inline void irq_enable(void) { __asm__ volatile("cpsie i" ::: "memory"); }
static inline void irq_disable(void) { __asm__ volatile("cpsid i" ::: "memory"); }
static inline void wfi(void) { __asm__ volatile("wfi" ::: "memory"); }
static inline void dsb(void) { __asm__ volatile("dsb" ::: "memory"); }
static inline void isb(void) { __asm__ volatile("isb" ::: "memory"); }
