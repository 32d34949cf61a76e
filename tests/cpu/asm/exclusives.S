@ SPDX-License-Identifier: Apache-2.0
@ Exclusive monitor: LDREX/STREX success and failure, CLREX, byte and halfword forms.
@ expect r0=0x00000000 r1=0x00000001 r2=0x00000001 r3=0x00000000 r4=0x00000000
@ expect r5=0x00000011 r6=0x00002233 r7=0x00000001 r8=0x0000002a
@ expect mem32[0x20000000]=0x0000002a mem32[0x20000004]=0x00002233 mem32[0x20000008]=0x00000055
        .syntax unified
        .thumb
        .text
        .global _start
_start:
        ldr     r9, =0x20000000
        movs    r8, #0
        str     r8, [r9]
        str     r8, [r9, #4]
        movs    r8, #0x55
        str     r8, [r9, #8]
        ldrex   r10, [r9]
        movs    r8, #0x2a
        strex   r0, r8, [r9]        @ succeeds: r0 = 0
        strex   r1, r8, [r9]        @ monitor now open: r1 = 1
        ldrex   r10, [r9, #8]
        clrex
        movs    r11, #0x66
        strex   r2, r11, [r9, #8]   @ cleared: r2 = 1, memory keeps 0x55
        add     r12, r9, #4
        ldrexb  r10, [r12]
        movs    r5, #0x11
        strexb  r3, r5, [r12]       @ succeeds
        ldrexh  r10, [r12]
        ldr     r6, =0x2233
        strexh  r4, r6, [r12]       @ succeeds, overwrites the byte
        ldrex   r10, [r9]
        add     r12, r9, #8
        strex   r7, r6, [r12]       @ different address: fails, r7 = 1
        ldr     r8, [r9]
        wfi
        .ltorg
