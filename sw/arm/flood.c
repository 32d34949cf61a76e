// SPDX-License-Identifier: Apache-2.0
// flood: writes without end: 64 KiB blocks through semihosting SYS_WRITE (stdout) and a line
// through UART0 every block (tests/robust: presil's memory stays flat however much is printed;
// --max-time ends the run).
#include "support.h"

static char block[64 * 1024];

int main(void)
{
    char line[64];
    for (unsigned i = 0; i < 63; ++i) line[i] = (char)('a' + (i < 26 ? i : i < 52 ? i - 26 : i - 52));
    line[63] = '\n';
    for (unsigned i = 0; i < sizeof block; i += sizeof line) memcpy(block + i, line, sizeof line);
    for (uint32_t n = 0;; ++n) {
        uint32_t args[3] = {1, (uint32_t)(uintptr_t)block, sizeof block};
        semihost_call(0x05, (uintptr_t)args);  // SYS_WRITE to stdout
        console_printf("flood: block %u\n", (unsigned)n);
    }
}
