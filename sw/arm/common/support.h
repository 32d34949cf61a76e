// SPDX-License-Identifier: Apache-2.0
// Tiny libc-free support library: console on UART0, printf-lite, semihosting, exit.
#pragma once
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "mps2.h"

/// Enables UART0's transmitter and receiver (called by the reset handler before main).
void console_init(void);
/// Writes one character to UART0 (waits while the transmit buffer is full).
void console_putc(char c);
/// Writes a string to UART0.
void console_puts(const char* s);
/// printf subset on UART0: %d %i %u %x %X %p %s %c %% with flags '0', '-' and a width; 'l' is accepted.
void console_printf(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
/// console_printf with a va_list.
void console_vprintf(const char* fmt, va_list ap);

/// Semihosting call (BKPT 0xAB): operation in r0, parameter in r1; returns r0.
uint32_t semihost_call(uint32_t op, uintptr_t arg);
/// SYS_WRITE0: writes a NUL-terminated string to the debugger's console.
void semihost_write0(const char* s);
/// Ends the program with an exit status via semihosting (SYS_EXIT / SYS_EXIT_EXTENDED).
void semihost_exit(int status) __attribute__((noreturn));

/// Prints "FAIL: <msg>" and exits with status 1 when cond is false.
#define CHECK(cond, ...)                                                   \
    do {                                                                   \
        if (!(cond)) {                                                     \
            console_printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); \
            semihost_exit(1);                                              \
        }                                                                  \
    } while (0)

/// Firmware entry, called by the reset handler; its return value becomes the exit status.
int main(void);

/// Exception handlers (weak; a firmware overrides the ones it uses).
void nmi_handler(void);
void hardfault_handler(void);
void memmanage_handler(void);
void busfault_handler(void);
void usagefault_handler(void);
void svc_handler(void);
void debugmon_handler(void);
void pendsv_handler(void);
void systick_handler(void);
/// External interrupt handlers irqN_handler for N = 0..31.
#define DECLARE_IRQ(n) void irq##n##_handler(void);
DECLARE_IRQ(0) DECLARE_IRQ(1) DECLARE_IRQ(2) DECLARE_IRQ(3) DECLARE_IRQ(4) DECLARE_IRQ(5)
DECLARE_IRQ(6) DECLARE_IRQ(7) DECLARE_IRQ(8) DECLARE_IRQ(9) DECLARE_IRQ(10) DECLARE_IRQ(11)
DECLARE_IRQ(12) DECLARE_IRQ(13) DECLARE_IRQ(14) DECLARE_IRQ(15) DECLARE_IRQ(16) DECLARE_IRQ(17)
DECLARE_IRQ(18) DECLARE_IRQ(19) DECLARE_IRQ(20) DECLARE_IRQ(21) DECLARE_IRQ(22) DECLARE_IRQ(23)
DECLARE_IRQ(24) DECLARE_IRQ(25) DECLARE_IRQ(26) DECLARE_IRQ(27) DECLARE_IRQ(28) DECLARE_IRQ(29)
DECLARE_IRQ(30) DECLARE_IRQ(31)
#undef DECLARE_IRQ

/// Exception frame pushed by the core on exception entry.
typedef struct {
    uint32_t r0, r1, r2, r3, r12, lr, pc, xpsr;
} ExceptionFrame;

/// Reports an unexpected exception (number, frame, fault registers) and exits with status 1.
void fault_report(const ExceptionFrame* frame, uint32_t exc_return) __attribute__((noreturn));

/// Library functions the compiler may call.
void* memcpy(void* dst, const void* src, size_t n);
void* memset(void* dst, int value, size_t n);
void* memmove(void* dst, const void* src, size_t n);
int memcmp(const void* a, const void* b, size_t n);
size_t strlen(const char* s);
