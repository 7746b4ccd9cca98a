/* SPDX-License-Identifier: GPL-2.0 */
/*
 * trial.h - one measurement: a system at one rate, one trial.  A throughput
 * trial sets the system and its sink up, runs the generator through a
 * warm-up and the measured interval and computes one results row; a latency
 * trial sends an exact number of timestamped frames and also writes the
 * latency summary and histogram.  Everything set up is torn down on every path.
 */
#ifndef XL_TRIAL_H
#define XL_TRIAL_H

#include "config.h"
#include "progress.h"
#include "results.h"
#include "runner.h"
#include "systems.h"

struct xl_trial {
	struct xl_results *res;
	struct xl_run_cfg *cfg;
	struct xl_exp_cfg *exp;
	struct xl_testbed *tb;
	struct xl_progress *prog;
	const struct xl_system_def *def;
	enum xl_sys_mode mode;
	double rate;
	int trial, trials;
	unsigned int frame_size, flows;
	double warmup_s, duration_s;
};

int xl_trial_throughput(const struct xl_trial *m, struct xl_row_store *out);
int xl_trial_latency(const struct xl_trial *m, struct xl_row_store *out);

#endif
