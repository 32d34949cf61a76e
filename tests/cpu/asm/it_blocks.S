@ SPDX-License-Identifier: Apache-2.0
@ IT blocks: then/else slots, flag-setting 16-bit forms inside IT, and an IT block split by a page boundary.
@ expect r0=0x00000005 r1=0x00000002 r2=0x00000007 r3=0x00000000 r4=0x00000011 r5=0x00000022
@ expect r6=0x00000003 r7=0x00000001 r8=0x000000aa r9=0x000000bb r10=0x00000004
@ expect apsr=0x60000000
        .syntax unified
        .thumb
        .text
        .global _start
_start:
        movs    r0, #5
        movs    r1, #0
        cmp     r0, #5              @ Z=1 C=1
        ite     eq
        moveq   r1, #2              @ taken
        movne   r1, #3              @ skipped
        ittee   ne
        movne   r2, #1              @ skipped
        movne   r2, #2              @ skipped
        moveq   r2, #7              @ taken
        moveq   r3, #0              @ taken
        movs    r4, #0x10
        cmp     r0, #5              @ Z=1 again (MOVS cleared it)
        it      eq
        addeq   r4, r4, #1          @ ADDS encoding inside IT: no flags
        movs    r5, #0x22           @ sets N=0 Z=0
        cmp     r5, #0x22           @ Z=1 C=1 again
        itete   hi                  @ HI false (Z=1)
        movhi   r6, #9
        movls   r6, #3
        movhi   r7, #9
        movls   r7, #1
        b       split
        .balign 1024
        .space  1020
split:                              @ at 0x3fc: the IT block crosses into the next page
        it      eq
        nop
        itt     eq
        moveq   r8, #0xaa
        moveq   r9, #0xbb
        cmp     r0, #5
        itte    eq
        isbeq                       @ ends the block inside the IT block
        moveq   r11, #0x33
        movne   r11, #0x44
        movs    r10, #4
        cmp     r10, #4             @ Z=1 C=1 N=0 V=0
        wfi
