// SPDX-License-Identifier: Apache-2.0
// hello: prints over UART0 and through semihosting, reads the board's ID registers, exits 0.
#include "support.h"

int main(void)
{
    console_puts("Hello from presil on mps2-an385!\n");
    console_printf("cpuid=%08x scc_id=%08x\n", (unsigned)SCB_CPUID, (unsigned)SCC_ID);
    console_printf("printf: %d %u %x %5d|%-5d|%05u %s %c%%\n", -42, 42u, 0xbeefu, 7, 7, 7u, "ok", 'x');
    semihost_write0("semihosting: SYS_WRITE0 works\n");
    console_puts("bye\n");
    return 0;
}
