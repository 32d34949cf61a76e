/* SPDX-License-Identifier: Apache-2.0 */
/* A host (x86-64 / i386) program: the ELF loader must refuse it for an ARM board. */
void _start(void) {
    for (;;) {
    }
}
