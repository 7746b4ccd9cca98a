// SPDX-License-Identifier: GPL-2.0
/* cpustat.c - read per-CPU busy/total ticks from /proc/stat. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "cpustat.h"

int xl_cpu_read(int cpu, struct xl_cpu_sample *s)
{
	unsigned long long v[10] = {};
	char line[512], want[32];
	int found = -ENOENT;
	FILE *f;

	f = fopen("/proc/stat", "r");
	if (!f)
		return -errno;
	snprintf(want, sizeof(want), "cpu%d ", cpu);
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, want, strlen(want)))
			continue;
		/* user nice system idle iowait irq softirq steal guest guest_nice */
		if (sscanf(line + strlen(want), "%llu %llu %llu %llu %llu %llu %llu %llu %llu %llu",
			   &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7], &v[8],
			   &v[9]) < 8)
			break;
		/* guest time is already included in user/nice. */
		s->busy_ticks = v[0] + v[1] + v[2] + v[5] + v[6] + v[7];
		s->total_ticks = s->busy_ticks + v[3] + v[4];
		s->steal_ticks = v[7];
		s->softirq_ticks = v[6];
		found = 0;
		break;
	}
	fclose(f);
	return found;
}

int xl_cpu_read_set(const int *cpus, int n, struct xl_cpu_sample *s)
{
	struct xl_cpu_sample one;
	int err;

	memset(s, 0, sizeof(*s));
	for (int i = 0; i < n; i++) {
		err = xl_cpu_read(cpus[i], &one);
		if (err)
			return err;
		s->busy_ticks += one.busy_ticks;
		s->total_ticks += one.total_ticks;
		s->steal_ticks += one.steal_ticks;
		s->softirq_ticks += one.softirq_ticks;
	}
	return 0;
}

double xl_cpu_tick_seconds(void)
{
	return 1.0 / sysconf(_SC_CLK_TCK);
}
