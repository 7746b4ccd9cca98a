// SPDX-License-Identifier: GPL-2.0
/* taskclock.c - read a process's scheduler run time through its POSIX CPU clock. */
#include <errno.h>
#include <time.h>
#include "taskclock.h"

/* The kernel's encoding of a process CPU clock id (include/linux/posix-timers.h). */
#define XL_CPUCLOCK_SCHED 2
#define XL_PROCESS_CPUCLOCK(pid) ((clockid_t)((~(unsigned int)(pid) << 3) | XL_CPUCLOCK_SCHED))

int xl_task_cpu_ns(pid_t pid, uint64_t *ns)
{
	struct timespec ts;

	if (clock_gettime(XL_PROCESS_CPUCLOCK(pid), &ts))
		return -errno;
	*ns = ts.tv_sec * 1000000000ull + ts.tv_nsec;
	return 0;
}
