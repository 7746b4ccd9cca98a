// SPDX-License-Identifier: GPL-2.0
/*
 * run_cmd.c - `xdplab run [CONFIG]`: parse options and the config, run the
 * experiments, then print the human summary (median and spread of the valid
 * trials per system).  Files are the results; this table is for people.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "commands.h"
#include "config.h"
#include "runner.h"
#include "sig.h"
#include "systems.h"
#include "util.h"
#include "xl_err.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: xdplab run [CONFIG] [options]     (default CONFIG: configs/default.ini)\n"
		"  -n, --trials N        trials per system (overrides the config)\n"
		"  -t, --duration SEC    measured seconds per trial\n"
		"  -w, --warmup SEC      discarded seconds before each measurement\n"
		"  -o, --only EXP,...    run only these experiments of the config\n"
		"  -r, --results DIR     parent of the results directory (default: results)\n"
		"  -s, --strict          exit 9 if any trial was invalid\n"
		"  -q, --quiet           no progress on the terminal\n"
		"Results: DIR/<timestamp>/{results.csv,context.json,run.log}, DIR/latest -> newest.\n");
	xl_systems_print(f);
	xl_print_exit_codes(f);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	if (!n)
		return NAN;
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static bool same_group(const struct xl_trial_row *a, const struct xl_trial_row *b)
{
	return !strcmp(a->experiment, b->experiment) && !strcmp(a->system, b->system) &&
	       !strcmp(a->mode, b->mode) && a->target_pps == b->target_pps;
}

static void print_summary(const struct xl_run_summary *s)
{
	bool *seen = calloc(s->nrows + 1, sizeof(bool));
	double *mpps = calloc(s->nrows + 1, sizeof(double)),
	       *ns = calloc(s->nrows + 1, sizeof(double));
	double *cpu = calloc(s->nrows + 1, sizeof(double)),
	       *loss = calloc(s->nrows + 1, sizeof(double));
	const char *last_exp = "";

	if (!seen || !mpps || !ns || !cpu || !loss)
		goto out;
	printf("\n%-14s %-20s %-8s %-9s %9s %19s %9s %7s %8s %6s\n", "experiment", "system", "mode",
	       "rate", "Mpps", "[min - max]", "ns/pkt", "DUT%", "loss%", "valid");
	for (int i = 0; i < s->nrows; i++) {
		const struct xl_trial_row *g = &s->rows[i].row;
		int n = 0, total = 0;
		char rate[16];

		if (seen[i])
			continue;
		for (int j = i; j < s->nrows; j++) {
			const struct xl_trial_row *r = &s->rows[j].row;

			if (seen[j] || !same_group(g, r))
				continue;
			seen[j] = true;
			total++;
			if (!r->valid)
				continue;
			mpps[n] = (isnan(r->sink_pps) ? r->dut_pps : r->sink_pps) / 1e6;
			ns[n] = r->ns_per_pkt;
			cpu[n] = r->dut_cpu_pct;
			loss[n] = r->loss_pct;
			n++;
		}
		if (strcmp(last_exp, g->experiment))
			printf("\n");
		last_exp = g->experiment;
		if (g->target_pps > 0)
			snprintf(rate, sizeof(rate), "%.0f", g->target_pps);
		else
			snprintf(rate, sizeof(rate), "max");
		if (!n) {
			printf("%-14s %-20s %-8s %-9s %9s %19s %9s %7s %8s %3d/%-2d\n",
			       g->experiment, g->system, g->mode, rate, "-", "", "-", "-", "-", 0,
			       total);
			continue;
		}
		{
			double m = median(mpps, n), lo = mpps[0], hi = mpps[n - 1];
			char spread[32];

			snprintf(spread, sizeof(spread), "[%.3f - %.3f]", lo, hi);
			printf("%-14s %-20s %-8s %-9s %9.3f %19s %9.1f %7.1f %8.2f %3d/%-2d\n",
			       g->experiment, g->system, g->mode, rate, m, spread, median(ns, n),
			       median(cpu, n), median(loss, n), n, total);
		}
	}
	printf("\nMpps is what the DUT dropped (drop experiments) or what reached the sink "
	       "(forwarding);\nns/pkt is busy DUT CPU time per packet the DUT processed.\n");
out:
	free(seen);
	free(mpps);
	free(ns);
	free(cpu);
	free(loss);
}

static int filter_only(struct xl_run_cfg *cfg, const char *only)
{
	char buf[512], *save = NULL, *tok;
	struct xl_exp_cfg kept[XL_MAX_EXPS];
	int n = 0;

	snprintf(buf, sizeof(buf), "%s", only);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		int found = -1;

		for (int i = 0; i < cfg->nexps; i++)
			if (!strcmp(cfg->exps[i].name, tok))
				found = i;
		if (found < 0)
			return xl_fail(XL_EXIT_USAGE, "--only: no experiment '%s' in the config",
				       tok);
		kept[n++] = cfg->exps[found];
	}
	memcpy(cfg->exps, kept, sizeof(kept[0]) * n);
	cfg->nexps = n;
	return 0;
}

int xl_cmd_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "trials", required_argument, NULL, 'n' },
		{ "duration", required_argument, NULL, 't' },
		{ "warmup", required_argument, NULL, 'w' },
		{ "only", required_argument, NULL, 'o' },
		{ "results", required_argument, NULL, 'r' },
		{ "strict", no_argument, NULL, 's' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL },
	};
	struct xl_runner_opts ro = { .config_path = "configs/default.ini",
				     .results_base = "results",
				     .argc = argc,
				     .argv = argv };
	const char *only = NULL;
	struct xl_run_cfg *cfg;
	struct xl_run_summary sum;
	double trials = 0, duration = 0, warmup = -1, v;
	bool strict = false;
	int opt, err, invalid = 0;

	while ((opt = getopt_long(argc, argv, "n:t:w:o:r:sqh", opts, NULL)) != -1) {
		switch (opt) {
		case 'n':
			if (xl_parse_double(optarg, 1, 1000, &trials) || trials != (int)trials)
				goto bad;
			break;
		case 't':
			if (xl_parse_double(optarg, 0.1, 3600, &duration))
				goto bad;
			break;
		case 'w':
			if (xl_parse_double(optarg, 0, 600, &v))
				goto bad;
			warmup = v;
			break;
		case 'o': only = optarg; break;
		case 'r': ro.results_base = optarg; break;
		case 's': strict = true; break;
		case 'q': ro.quiet = true; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return XL_EXIT_USAGE;
		}
	}
	if (optind < argc)
		ro.config_path = argv[optind++];
	if (optind < argc)
		return xl_fail(XL_EXIT_USAGE, "unexpected argument '%s'", argv[optind]),
		       XL_EXIT_USAGE;
	cfg = calloc(1, sizeof(*cfg));
	if (!cfg)
		return XL_EXIT_FAIL;
	if (xl_config_load(ro.config_path, cfg) || (only && filter_only(cfg, only))) {
		xl_config_free(cfg);
		free(cfg);
		return xl_exit_code();
	}
	/* Command-line overrides apply to every experiment. */
	for (int i = 0; i < cfg->nexps; i++) {
		if (trials)
			cfg->exps[i].trials = trials;
		if (duration)
			cfg->exps[i].duration_s = duration;
		if (warmup >= 0)
			cfg->exps[i].warmup_s = warmup > 0 ? warmup : 1e-9;
	}
	xl_sig_install();
	err = xl_runner_run(cfg, &ro, &sum);
	if (sum.nrows)
		print_summary(&sum);
	for (int i = 0; i < sum.nrows; i++)
		invalid += !sum.rows[i].row.valid;
	if (sum.dir[0])
		printf("\nresults: %s%s\n", sum.dir, sum.interrupted ? " (interrupted)" : "");
	free(sum.rows);
	xl_config_free(cfg);
	free(cfg);
	if (sum.interrupted) {
		xl_fail(XL_EXIT_INTR, "interrupted; completed trials were kept");
		return XL_EXIT_INTR;
	}
	if (err)
		return xl_exit_code() ? xl_exit_code() : XL_EXIT_FAIL;
	if (invalid)
		xl_warn("%d trial%s invalid (see invalid_reason in results.csv)", invalid,
			invalid == 1 ? " was" : "s were");
	return strict && invalid ? XL_EXIT_INVALID : 0;
bad:
	xl_fail(XL_EXIT_USAGE, "bad value for --%s: '%s'",
		opt == 'n'   ? "trials"
		: opt == 't' ? "duration"
			     : "warmup",
		optarg);
	return XL_EXIT_USAGE;
}
