/* SPDX-License-Identifier: Apache-2.0 */
/* Tiny Cortex-M3 program for the ELF loader tests: ROM vector table, a ROM exit word, RAM data and bss. */
void reset_handler(void);

__attribute__((section(".vectors"), used)) const unsigned vectors[2] = {0x20001000u, (unsigned)&reset_handler};
__attribute__((section(".exitcode"), used)) const unsigned exit_code = 7;
__attribute__((section(".ramdata"), used)) unsigned ram_words[4] = {0x11111111u, 0x22222222u, 0x33333333u, 0x44444444u};
unsigned zeroed[8];

void reset_handler(void) {
    for (unsigned i = 0; i < 8; ++i) zeroed[i] += ram_words[i & 3];
    for (;;) {
    }
}
