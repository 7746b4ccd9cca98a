/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cpustat.h - per-CPU time accounting from /proc/stat, the same source mpstat
 * uses (the paper's CPU figure is 100 - %idle).  "Busy" is user + nice + system
 * + irq + softirq + steal: everything but idle and iowait.  Steal is counted
 * as busy because on a VM it is time the vCPU wanted to run and could not; it is
 * also reported separately so a noisy host shows up in the results.
 */
#ifndef XL_CPUSTAT_H
#define XL_CPUSTAT_H

#include <stdint.h>

struct xl_cpu_sample {
	uint64_t busy_ticks;
	uint64_t total_ticks;
	uint64_t steal_ticks;
	uint64_t softirq_ticks;
};

/* Read the counters of one CPU. */
int xl_cpu_read(int cpu, struct xl_cpu_sample *s);
/* Sum over a set of CPUs. */
int xl_cpu_read_set(const int *cpus, int n, struct xl_cpu_sample *s);
/* Seconds of CPU time per tick. */
double xl_cpu_tick_seconds(void);

#endif
