@ SPDX-License-Identifier: Apache-2.0
@ TBB and TBH jump tables, CBZ/CBNZ, and a conditional branch loop.
@ expect r0=0x00000003 r1=0x00000002 r2=0x00000000 r3=0x0000000a r4=0x00000037 r5=0x00000002
        .syntax unified
        .thumb
        .text
        .global _start
_start:
        movs    r0, #2
        tbb     [pc, r0]
tbb_table:
        .byte   (case0 - tbb_table) / 2
        .byte   (case1 - tbb_table) / 2
        .byte   (case2 - tbb_table) / 2
        .byte   0
case0:  movs    r1, #0
        b       tbh_part
case1:  movs    r1, #1
        b       tbh_part
case2:  movs    r1, #2
tbh_part:
        movs    r0, #1
        tbh     [pc, r0, lsl #1]
tbh_table:
        .hword  (hcase0 - tbh_table) / 2
        .hword  (hcase1 - tbh_table) / 2
hcase0: movs    r0, #0
        b       loop
hcase1: movs    r0, #3
loop:
        movs    r3, #10
        movs    r4, #0
1:      add     r4, r3
        subs    r3, #1
        bne     1b                  @ r4 = 55
        movs    r3, #10
        movs    r2, #0
        cbz     r2, 2f
        movs    r3, #99
2:      cbnz    r2, 3f
        movs    r5, #2
3:      wfi
