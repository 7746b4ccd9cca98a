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
#include "resume.h"
#include "results.h"
#include "trial.h"

struct xl_runner_opts {
	const char *config_path;
	const char *results_base;
	bool quiet;
	bool fix; /* --fix: apply the testbed preflight's fixes for the run (restored at the end) */
	int argc;
	char **argv;
	json_object *context; /* extra context.json keys (owned by the caller), or NULL */
	const char *config_text; /* the config itself (config_path names it), or NULL: read it */
	struct xl_resume *resume; /* `run --resume`: the run to finish (resume.h), or NULL */
};

/* Load, run and summarise a config: the exit code of `run` (run_cmd.c); `ab` uses it too. */
int xl_run_config(struct xl_runner_opts *ro, const char *only, double trials, double duration,
		  double warmup, bool strict);

struct xl_ndr_result {
	const char *experiment, *system, *mode;
	double ndr, pdr;
	int trials;
	bool converged;
};

#define XL_MAX_NDR 32

struct xl_run_summary {
	struct xl_row_store *rows;
	int nrows, cap;
	struct xl_ndr_result ndr[XL_MAX_NDR];
	int nndr;
	bool interrupted;
	char dir[512];
};

/* What the experiment kinds (experiments.c) share during a run. */
struct xl_run {
	struct xl_run_cfg *cfg;
	struct xl_results *res;
	struct xl_testbed *tb;
	struct xl_progress *prog;
	struct xl_run_summary *sum;
	struct xl_row_store *last; /* the row of the latest trial */
	double ceiling_pps; /* the generator's paced ceiling; 0 = not measured */
	struct xl_bounds ceiling_bounds; /* the ceiling trial has no target to hold */
	json_object *load; /* context.json "load": calibration and rates per experiment */
	char programs[XL_MAX_EXPS * XL_MAX_SYSTEMS][80]; /* "system:mode" in programs.csv */
	int nprograms;
	uint32_t *addrs; /* the current experiment's destinations, network order (fixtures.h) */
	unsigned int naddrs;
	const uint32_t *srcs; /* its sources (the load balancer's clients), or NULL */
	unsigned int nsrcs;
	struct xl_lb_plan *lb; /* its load-balancer plan, or NULL */
	int fixture_undo; /* its routes' undo entry */
	struct xl_resume *resume; /* `run --resume`: rows recorded by the run it finishes */
};

/* The experiment's object in context.json "load" (made on first use). */
json_object *xl_run_load_note(struct xl_run *run, const char *exp);

/* Spend an experiment's trials as its kind says (experiments.c). */
int xl_experiment_run(struct xl_run *run, const struct xl_exp_cfg *x);
/* Measure the generator's paced ceiling once (calibration.csv), into run->ceiling_pps. */
int xl_measure_ceiling(struct xl_run *run, const struct xl_exp_cfg *x);
/*
 * The common rate of an equal-load experiment from the systems' capacities
 * (0 = unknown): slowest * (1 + headroom), capped at 90% of what the generator reached.
 */
double xl_common_rate(const double *capacity, int n, double headroom_pct, double ceiling_pps,
		      bool *ceiling_bound);

/* Run everything in cfg; fills sum (rows kept for the terminal table). */
int xl_runner_run(struct xl_run_cfg *cfg, const struct xl_runner_opts *o,
		  struct xl_run_summary *sum);

#endif
