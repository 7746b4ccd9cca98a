/* SPDX-License-Identifier: GPL-2.0 */
/*
 * runner.h - the experiment runner: for every experiment, rate, trial and
 * system (systems interleaved round-robin inside each trial, so that their
 * ratios come from neighbouring minutes on a noisy machine) it sets the system
 * up, attaches the sink where frames are forwarded, pins NAPI threads, runs
 * the generator through a warm-up and the measured interval, reads every
 * counter next to a monotonic timestamp at both edges, tears everything down
 * and appends one results row.
 */
#ifndef XL_RUNNER_H
#define XL_RUNNER_H

#include <stdbool.h>
#include "config.h"
#include "results.h"
#include "trial.h"

struct xl_runner_opts {
	const char *config_path;
	const char *results_base;
	bool quiet;
	int argc;
	char **argv;
};

struct xl_run_summary {
	struct xl_row_store *rows;
	int nrows;
	bool interrupted;
	char dir[512];
};

/* Run everything in cfg; fills sum (rows kept for the terminal table). */
int xl_runner_run(struct xl_run_cfg *cfg, const struct xl_runner_opts *o,
		  struct xl_run_summary *sum);

#endif
