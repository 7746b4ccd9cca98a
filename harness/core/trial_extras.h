/* SPDX-License-Identifier: GPL-2.0 */
/*
 * trial_extras.h - what a throughput trial may measure besides its row: the
 * deterministic metrics of the system's XDP program (programs.csv) and a
 * cpu-clock profile of the DUT cores over the measured interval (profile.csv).
 */
#ifndef XL_TRIAL_EXTRAS_H
#define XL_TRIAL_EXTRAS_H

#include "collect/profile.h"
#include "trial.h"

/* programs.csv: one row for the system's program on the generator's test frame. */
int xl_trial_program_row(const struct xl_trial *m, struct xl_system *sys);

struct xl_trial_profile {
	struct xl_profile perf;
	int n;
	char sym[64][96];
	double share[64];
};

int xl_trial_profile_start(const struct xl_trial *m, struct xl_trial_profile *p);
/* Stop and write profile.csv rows, each with its cost per packet from row. */
int xl_trial_profile_write(const struct xl_trial *m, struct xl_trial_profile *p,
			   const struct xl_trial_row *row);

#endif
