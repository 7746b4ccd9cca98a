/* SPDX-License-Identifier: GPL-2.0 */
/*
 * taskclock.h - exact CPU time of other processes, in nanoseconds.
 * /proc/stat counts in 10 ms ticks and this kernel has no schedstats, which
 * is too coarse for differences of a few ns per packet (the XDP_PASS cost).
 * The scheduler's own sum_exec_runtime is exact; the POSIX process CPU clock
 * of a pid (a threaded NAPI kthread, a testpmd process) reads it.
 */
#ifndef XL_TASKCLOCK_H
#define XL_TASKCLOCK_H

#include <stdint.h>
#include <sys/types.h>

/* CPU time consumed so far by process pid (all its threads); -errno if gone. */
int xl_task_cpu_ns(pid_t pid, uint64_t *ns);

#endif
