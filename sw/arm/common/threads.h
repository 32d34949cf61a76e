// SPDX-License-Identifier: Apache-2.0
// Two threads on the process stack: started by SVC 0, switched by PendSV (for context_switch and
// soak). Link common/threads.c; it defines svc_handler and pendsv_handler.
#ifndef PRESIL_SW_THREADS_H
#define PRESIL_SW_THREADS_H

#include <stdint.h>

/// Saved PSP of each thread (r4-r11 pushed below the exception frame).
extern uint32_t thread_sp[2];
/// The thread running now (0 or 1).
extern uint32_t current_thread;
/// PendSV switches so far.
extern volatile uint32_t thread_switches;

/// Lays out thread n's first exception frame on the stack ending at `stack_top`: it starts at
/// `entry` with r0 = n and lr = `on_return`.
void thread_init(unsigned n, uint32_t* stack_top, void (*entry)(uint32_t), void (*on_return)(void));
/// Sets PendSV to the lowest and SVCall to the highest priority and enters thread 0; never returns
/// unless something is broken.
void threads_start(void);

#endif
