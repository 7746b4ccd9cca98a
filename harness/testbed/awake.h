/* SPDX-License-Identifier: GPL-2.0 */
/*
 * awake.h - keep CPUs out of idle during latency trials.  An idle vCPU
 * halts, and waking it (the NAPI kthread of a frame that just arrived) costs a
 * VM exit and re-entry: tens of microseconds, which is the floor `no-dut`
 * measured at low rates.  One SCHED_IDLE thread per CPU spins instead, so the
 * CPU never enters idle; any normal or real-time thread that wakes there
 * preempts it at once (SCHED_IDLE runs only when nothing else can).  It plays
 * the part of busy polling on a NIC's core.  Only latency trials use it: in
 * throughput trials it would count as busy CPU time.
 */
#ifndef XL_AWAKE_H
#define XL_AWAKE_H

#define XL_AWAKE_MAX 64

struct xl_awake {
	int n;
	unsigned long tids[XL_AWAKE_MAX]; /* pthread_t */
	volatile int stop;
};

int xl_awake_start(struct xl_awake *a, const int *cpus, int n);
void xl_awake_stop(struct xl_awake *a);

#endif
