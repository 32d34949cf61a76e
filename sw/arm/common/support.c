// SPDX-License-Identifier: Apache-2.0
// Tiny libc-free support library: UART0 console, printf-lite, semihosting, fault reports.
#include "support.h"

enum {
    kSysWrite0 = 0x04,
    kSysExit = 0x18,
    kSysExitExtended = 0x20,
    kAdpStoppedApplicationExit = 0x20026,
};

void console_init(void)
{
    UART_BAUDDIV(UART0_BASE) = 16;
    UART_CTRL(UART0_BASE) = 0x3; // TX and RX enabled, no interrupts
}

void console_putc(char c)
{
    while (UART_STATE(UART0_BASE) & 0x1u) { // TX buffer full
    }
    UART_DATA(UART0_BASE) = (uint8_t)c;
}

void console_puts(const char* s)
{
    while (*s != '\0') {
        console_putc(*s++);
    }
}

static void put_padded(const char* s, int len, int width, char pad, int left)
{
    if (!left) {
        for (int i = len; i < width; ++i) console_putc(pad);
    }
    for (int i = 0; i < len; ++i) console_putc(s[i]);
    if (left) {
        for (int i = len; i < width; ++i) console_putc(' ');
    }
}

void console_vprintf(const char* fmt, va_list ap)
{
    static const char digits_lower[] = "0123456789abcdef";
    static const char digits_upper[] = "0123456789ABCDEF";
    for (; *fmt != '\0'; ++fmt) {
        if (*fmt != '%') {
            console_putc(*fmt);
            continue;
        }
        ++fmt;
        char pad = ' ';
        int left = 0;
        int width = 0;
        for (;; ++fmt) {
            if (*fmt == '0') pad = '0';
            else if (*fmt == '-') left = 1;
            else break;
        }
        while (*fmt >= '0' && *fmt <= '9') width = width * 10 + (*fmt++ - '0');
        while (*fmt == 'l') ++fmt;
        char buf[12];
        int len = 0;
        switch (*fmt) {
        case 'd':
        case 'i': {
            int32_t v = va_arg(ap, int32_t);
            uint32_t u = v < 0 ? 0u - (uint32_t)v : (uint32_t)v;
            do { buf[sizeof buf - 1 - len++] = digits_lower[u % 10]; u /= 10; } while (u != 0);
            if (v < 0) buf[sizeof buf - 1 - len++] = '-';
            put_padded(buf + sizeof buf - len, len, width, pad, left);
            break;
        }
        case 'u':
        case 'x':
        case 'X':
        case 'p': {
            uint32_t u = va_arg(ap, uint32_t);
            uint32_t base = *fmt == 'u' ? 10 : 16;
            const char* digits = *fmt == 'X' ? digits_upper : digits_lower;
            do { buf[sizeof buf - 1 - len++] = digits[u % base]; u /= base; } while (u != 0);
            put_padded(buf + sizeof buf - len, len, width, pad, left);
            break;
        }
        case 's': {
            const char* s = va_arg(ap, const char*);
            put_padded(s, (int)strlen(s), width, ' ', left);
            break;
        }
        case 'c':
            buf[0] = (char)va_arg(ap, int);
            put_padded(buf, 1, width, ' ', left);
            break;
        case '%':
            console_putc('%');
            break;
        case '\0':
            return;
        default:
            console_putc('%');
            console_putc(*fmt);
            break;
        }
    }
}

void console_printf(const char* fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    console_vprintf(fmt, ap);
    va_end(ap);
}

uint32_t semihost_call(uint32_t op, uintptr_t arg)
{
    register uint32_t r0 __asm__("r0") = op;
    register uintptr_t r1 __asm__("r1") = arg;
    __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

void semihost_write0(const char* s)
{
    semihost_call(kSysWrite0, (uintptr_t)s);
}

void semihost_exit(int status)
{
    // Wait until the UART has taken the last byte, so no output is lost.
    while (UART_STATE(UART0_BASE) & 0x1u) {
    }
    if (status == 0) {
        semihost_call(kSysExit, kAdpStoppedApplicationExit);
    } else {
        static volatile uint32_t block[2];
        block[0] = kAdpStoppedApplicationExit;
        block[1] = (uint32_t)status;
        semihost_call(kSysExitExtended, (uintptr_t)block);
    }
    for (;;) {
    }
}

static const char* const exception_names[16] = {
    "thread", "reset", "NMI", "HardFault", "MemManage", "BusFault", "UsageFault", "reserved7",
    "reserved8", "reserved9", "reserved10", "SVCall", "DebugMonitor", "reserved13", "PendSV", "SysTick",
};

void fault_report(const ExceptionFrame* frame, uint32_t exc_return)
{
    uint32_t ipsr;
    __asm__ volatile("mrs %0, ipsr" : "=r"(ipsr));
    ipsr &= 0x1FFu;
    if (ipsr < 16) {
        console_printf("fatal: unexpected %s\n", exception_names[ipsr]);
    } else {
        console_printf("fatal: unexpected IRQ %u\n", (unsigned)(ipsr - 16));
    }
    console_printf("  pc=%08x lr=%08x xpsr=%08x exc_return=%08x\n", (unsigned)frame->pc,
                   (unsigned)frame->lr, (unsigned)frame->xpsr, (unsigned)exc_return);
    console_printf("  cfsr=%08x hfsr=%08x bfar=%08x mmfar=%08x\n", (unsigned)SCB_CFSR,
                   (unsigned)SCB_HFSR, (unsigned)SCB_BFAR, (unsigned)SCB_MMFAR);
    semihost_exit(1);
}

void* memcpy(void* dst, const void* src, size_t n)
{
    uint8_t* d = dst;
    const uint8_t* s = src;
    while (n-- != 0) *d++ = *s++;
    return dst;
}

void* memmove(void* dst, const void* src, size_t n)
{
    uint8_t* d = dst;
    const uint8_t* s = src;
    if (d < s) {
        while (n-- != 0) *d++ = *s++;
    } else {
        while (n-- != 0) d[n] = s[n];
    }
    return dst;
}

void* memset(void* dst, int value, size_t n)
{
    uint8_t* d = dst;
    while (n-- != 0) *d++ = (uint8_t)value;
    return dst;
}

int memcmp(const void* a, const void* b, size_t n)
{
    const uint8_t* x = a;
    const uint8_t* y = b;
    for (; n != 0; --n, ++x, ++y) {
        if (*x != *y) return *x < *y ? -1 : 1;
    }
    return 0;
}

size_t strlen(const char* s)
{
    size_t n = 0;
    while (s[n] != '\0') ++n;
    return n;
}
