// SPDX-License-Identifier: Apache-2.0
// Freestanding x86 guest: writes a greeting to the debug console port 0xE9 and halts.

static inline void outb(unsigned short port, unsigned char value)
{
    __asm__ volatile("outb %0, %1" : : "a"(value), "Nd"(port));
}

static const char message[] = "hello from x86\n";

__attribute__((section(".text.start"), noreturn)) void _start(void)
{
    for (const char* p = message; *p != '\0'; ++p) {
        outb(0xE9, (unsigned char)*p);
    }
    for (;;) {
        __asm__ volatile("cli; hlt");
    }
}
