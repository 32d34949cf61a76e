@ SPDX-License-Identifier: Apache-2.0
@ Instructions that write the PC: BL/BX, BLX register, POP {pc}, LDR pc, LDM with pc, ADD/MOV pc.
@ expect r0=0x00000001 r1=0x00000002 r2=0x00000003 r3=0x00000004 r4=0x00000005 r5=0x00000006
@ expect r6=0x00000007 r7=0x00000004 r13=0x20010000
        .syntax unified
        .thumb
        .text
        .global _start
_start:
        ldr     sp, =0x20010000
        bl      f1                  @ returns with bx lr
        adr     r7, f2
        adds    r7, #1
        blx     r7                  @ returns with pop {pc}
        adr     r7, f3
        adds    r7, #1
        push    {r7}
        ldr     pc, [sp], #4        @ LDR pc (post-indexed) interworking branch
back3:
        adr     r7, f4
        adds    r7, #1
        push    {r7}
        pop     {r7}
        ldr     r7, =f5
        mov     pc, r7              @ MOV pc: BranchWritePC
        .ltorg
f1:     movs    r0, #1
        bx      lr
        .balign 4
f2:     push    {lr}
        movs    r1, #2
        pop     {pc}
        .balign 4
f3:     movs    r2, #3
        b       back3
        .balign 4
f4:     movs    r3, #4
        b       done
        .balign 4
f5:     movs    r4, #5
        ldr     r7, =ldm_target + 1
        sub     sp, #8
        str     r7, [sp, #4]
        movs    r7, #0
        str     r7, [sp]
        ldmia   sp!, {r6, pc}       @ LDM with pc
        .ltorg
        .balign 4
ldm_target:
        movs    r5, #6
        movs    r6, #7
        movs    r7, #4
        add     pc, r7              @ ADD pc: reads pc as this+4, so lands on "b f4"
        movs    r6, #99
        movs    r6, #99
        movs    r6, #99
        b       f4
done:
        wfi
