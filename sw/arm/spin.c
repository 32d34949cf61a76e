// SPDX-License-Identifier: Apache-2.0
// spin: prints one line, then loops forever without any exit (only presil's --max-time or
// --max-wall ends it; tests/robust checks that they do, with the line flushed).
#include "support.h"

int main(void)
{
    console_puts("spin: started, looping forever\n");
    for (volatile uint32_t n = 0;; ++n) {
    }
}
