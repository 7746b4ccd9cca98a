/* SPDX-License-Identifier: GPL-2.0 */
/*
 * profile.h - a cpu-clock profile of the DUT cores over a trial's measured
 * interval (perf record / perf report), folded to one share per symbol.
 */
#ifndef XL_PROFILE_H
#define XL_PROFILE_H

#include <sys/types.h>

struct xl_profile {
	pid_t pid;
	int undo;
	char path[256];
};

/* Called once per symbol with its share of the samples, in percent. */
typedef void (*xl_profile_row_fn)(void *ctx, const char *symbol, double share_pct);

/* Start sampling the CPUs into data_path; 0 or -errno (exit-code error if perf is missing). */
int xl_profile_start(struct xl_profile *p, const int *cpus, int ncpus, const char *data_path);
/* Stop, summarise (symbols of >= 0.5%) and remove the data file. */
int xl_profile_stop(struct xl_profile *p, xl_profile_row_fn row, void *ctx);

#endif
